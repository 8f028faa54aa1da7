// Whether the kubelet would start with this evidence. Fatal diagnostics are the cases where it
// refuses (kubelet-facts §5): an empty, invalid or wrongly typed --config file or drop-in (strict
// YAML/JSON, apiVersion kubelet.config.k8s.io/v1beta1, kind KubeletConfiguration; an empty or invalid
// drop-in stops the kubelet) and flags pflag rejects (§5.5).
import type { Check, CheckResult } from '../types.ts';
import { evidenceOfDiagnostic, placeOf, where } from './diagnostics.ts';

const RESTART = 'then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).';

export const configAccepted: Check = {
  meta: {
    id: 'kubelet-config-accepted',
    title: 'The kubelet accepts its flags, config file and drop-ins',
    section: 'kubelet-evidence',
    severity: 'high',
    cis: [],
    rationale:
      'A kubelet that refuses its configuration does not start, or keeps running on its old settings until the next restart takes the node down; and what such a file says is not what the kubelet does, so checks built on it are unknown.',
    remediation: 'Fix the file and line named in the finding so the kubelet accepts it, then restart the kubelet.',
  },
  evaluate(facts) {
    const k = facts.kubelet;
    const fatal = k.diagnostics.filter((d) => d.fatal);
    if (fatal.length > 0) {
      return fatal.map((d): CheckResult => ({
        status: 'fail',
        subject: placeOf(d),
        message: d.message,
        evidence: evidenceOfDiagnostic(d),
        remediation: `${where(d)}: ${d.code === 'flag-invalid' ? 'fix or remove the flag' : 'fix the file'} (${d.message}); ${RESTART}`,
      }));
    }
    if (k.missing) return { status: 'unknown', message: `no kubelet was found, so there is no configuration to judge: ${k.missing}` };
    // Without a fatal diagnostic, an unknown setting means a file could not be read (EACCES, a
    // drop-in folder that cannot be listed): whether the kubelet accepts it is not known either.
    const unread = Object.entries(k.effective).find(([, s]) => s.unknown);
    if (unread) return { status: 'unknown', message: `part of the kubelet's configuration could not be read: ${unread[1].unknown!}` };
    const parts = ['its command line'];
    if (k.configFile) parts.push(`--config ${k.configFile}`);
    if (k.dropIns.length > 0) parts.push(`${k.dropIns.length} drop-in${k.dropIns.length > 1 ? 's' : ''}`);
    return { status: 'pass', message: `the kubelet accepts ${parts.join(', ')}` };
  },
};

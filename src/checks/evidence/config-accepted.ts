// Whether the kubelet would start with this evidence. Fatal diagnostics are the cases where it
// refuses (kubelet-facts §5): an empty, invalid or wrongly typed --config file or drop-in (strict
// YAML/JSON, apiVersion kubelet.config.k8s.io/v1beta1, kind KubeletConfiguration; an empty or invalid
// drop-in stops the kubelet), flags pflag rejects (§5.5), and what the kubelet of this version
// refuses once it has read them all (src/kubelet/validation.ts: validation.go ranges and enums,
// authorization mode, TLS names, feature gates and flags per version). A refusal that only some
// versions make, the version being unknown, is `unknown`, naming the versions; never a pass.
import type { Check, CheckResult } from '../types.ts';
import { evidenceOfDiagnostic, placeOf, where } from './diagnostics.ts';

const RESTART = 'then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).';
/** Diagnostics of src/kubelet/validation.ts: refusals that depend on the kubelet's version and settings. */
const REFUSAL_CODES = new Set(['config-refused', 'flag-removed', 'feature-gate-refused']);

function fixOf(code: string): string {
  switch (code) {
    case 'flag-invalid':
      return 'fix or remove the flag';
    case 'flag-removed':
      return 'remove the flag (this kubelet no longer knows it)';
    case 'feature-gate-refused':
      return 'remove the feature gate or set it as this kubelet allows';
    case 'config-refused':
      return 'set a value the kubelet accepts';
    default:
      return 'fix the file';
  }
}

export const configAccepted: Check = {
  meta: {
    id: 'kubelet-config-accepted',
    title: 'The kubelet accepts its flags, config file and drop-ins',
    section: 'kubelet-evidence',
    severity: 'high',
    cis: [],
    rationale:
      "A kubelet that refuses its configuration does not start, or keeps running on its old settings until the next restart takes the node down; and what such a file says is not what the kubelet does. Refused are files the kubelet cannot decode, flags it does not know (removed ones per version), and settings its validation rejects: negative rates, out-of-range ports and thresholds, an authorization mode other than AlwaysAllow or Webhook, unknown TLS cipher or version names, feature gates the version does not know or has locked. Where the refusal depends on a kubelet version that is unknown, the result is unknown and names the versions.",
    remediation: 'Fix the file and line named in the finding so the kubelet accepts it (give --kubelet-version when the result depends on the version), then restart the kubelet.',
  },
  evaluate(facts) {
    const k = facts.kubelet;
    const fatal = k.diagnostics.filter((d) => d.fatal);
    if (fatal.length > 0) {
      const version = k.version ? `kubelet ${k.version.value} (${k.version.source})` : undefined;
      return fatal.map((d): CheckResult => d.versions ? {
        status: 'unknown',
        subject: placeOf(d),
        message: version
          ? `whether ${version} refuses this is not decided (refused on kubelet ${d.versions}): ${d.message}`
          : `kubelet ${d.versions} refuses this, and the kubelet's version is unknown (give --kubelet-version): ${d.message}`,
        evidence: evidenceOfDiagnostic(d),
      } : {
        status: 'fail',
        subject: placeOf(d),
        message: `${REFUSAL_CODES.has(d.code) && version ? `${version} refuses ` : ''}${d.message}`,
        evidence: evidenceOfDiagnostic(d),
        remediation: `${where(d)}: ${fixOf(d.code)} (${d.message}); ${RESTART}`,
      });
    }
    if (k.missing) return { status: 'unknown', message: `no kubelet was found, so there is no configuration to judge: ${k.missing}` };
    // Without a fatal diagnostic, an unknown setting means a file could not be read (EACCES, a
    // drop-in folder that cannot be listed): whether the kubelet accepts it is not known either.
    const unread = Object.entries(k.effective).find(([, s]) => s.unknown);
    if (unread) return { status: 'unknown', message: `part of the kubelet's configuration could not be read: ${unread[1].unknown!}` };
    const parts = ['its command line'];
    if (k.configFile) parts.push(`--config ${k.configFile}`);
    if (k.dropIns.length > 0) parts.push(`${k.dropIns.length} drop-in${k.dropIns.length > 1 ? 's' : ''}`);
    // "Accepted" as far as the rules modelled go (src/kubelet/validation.ts lists the ones left out).
    const who = k.version ? `kubelet ${k.version.value}` : 'the kubelet';
    return { status: 'pass', message: `${who} accepts ${parts.join(', ')}: they decode, every flag is known${k.version ? ' to this version' : ''}, and no value breaks the validation, authorization, TLS or feature-gate rules kubelet-guard models` };
  },
};

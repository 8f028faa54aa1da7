// authentication.x509.clientCAFile, when set, names a readable file of at least one certificate.
// The kubelet loads it at start with dynamiccertificates.NewDynamicCAContentFromFile
// (cmd/kubelet/app/auth.go BuildAuthn): an unreadable or empty file, or one whose PEM holds no
// certificate or a broken one (cert.NewPoolFromBytes), is an error and the kubelet does not start
// ("unable to load client CA file"); older kubelets failed the same way in InitializeTLS
// (certutil.NewPool). Whether the certificates are CAs (basicConstraints) is not in the facts
// (CertificateFact has no isCA field), so this check counts certificates.
import type { Check, CheckResult } from '../types.ts';
import { evidenceOf, lookup } from '../setting.ts';
import { RESTART, whereSet } from '../kubelet/helpers.ts';
import { factEvidence } from './common.ts';
import { normalize } from '../../sources/root-fs.ts';

const SETTING = 'authentication.x509.clientCAFile';

export const clientCaPresent: Check = {
  meta: {
    id: 'cert-client-ca-present',
    title: 'The kubelet client CA file exists and holds certificates',
    section: 'certificates',
    severity: 'high',
    cis: [],
    setting: SETTING,
    rationale:
      'The kubelet refuses to start when its client CA file cannot be read or holds no certificate; while it keeps running with a replaced or broken file, client-certificate authentication (the API server calling the kubelet) fails.',
    remediation: 'Point authentication.x509.clientCAFile at the cluster CA bundle (kubeadm: /etc/kubernetes/pki/ca.crt) and make sure the file holds the PEM certificates, then restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const v = l.s.value;
    const ev = evidenceOf(SETTING, l.s);
    if (typeof v !== 'string' || v === '') {
      return { status: 'not-applicable', message: 'no client CA file is set: x509 client-certificate authentication is off (kubelet-client-ca-file, CIS 4.2.3, judges that)', evidence: [ev] };
    }
    const p = normalize(v);
    const f = facts.certificates.find((c) => c.role === 'client-ca' && c.path === p);
    if (!f) return { status: 'unknown', message: `${p} was not examined`, evidence: [ev] };
    const evidence = [ev, factEvidence(f)];
    if (f.error !== undefined) {
      if (f.stat.exists === false || f.error === 'missing') {
        return { status: 'fail', message: `${p} does not exist: the kubelet refuses to start ("unable to load client CA file")`, evidence, remediation: fix(p, l.s.source) };
      }
      if (/^(EACCES|EPERM)\b/.test(f.error) || f.stat.exists === null) {
        return { status: 'unknown', message: `${p} cannot be read by this audit (${f.error}); the kubelet, running as root, may read it`, evidence };
      }
      return { status: 'fail', message: `${p} is not a usable CA bundle (${f.error}): the kubelet refuses to start with it`, evidence, remediation: fix(p, l.s.source) };
    }
    const subjects = [f.subject, ...(f.chain ?? []).map((c) => c.subject)];
    return {
      status: 'pass',
      message: `${p} holds ${subjects.length} certificate${subjects.length === 1 ? '' : 's'}: ${subjects.join('; ')}`,
      evidence,
    };
  },
};

/** The fix naming the file this node's setting names (not a kubeadm path that may not be there). */
function fix(p: string, source: Parameters<typeof whereSet>[0]): string {
  return `Put the cluster CA bundle (PEM certificates) at ${p}, or change ${SETTING} to the file that holds it (${whereSet(source).replace(/^In /, 'in ').replace(/^On /, 'on ')}); ${RESTART}`;
}

// The private keys of the kubelet's serving and client certificates are readable by root only:
// mode 600 or stricter, owner uid 0. The kubelet itself writes its keys 0600 (keyutil.WriteKey;
// certificate_store.go Update opens the rotated PEM with 0o600), so looser modes come from
// hand-made files or copies. One result per key file (a combined cert+key PEM is its own key file;
// a kubeconfig with client-key-data holds the client key).
import type { CertificateFact } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import { describeFixes } from '../../fix/describe.ts';
import type { FixProposal } from '../../fix/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { noEvidence, ROLE_WORDS } from './common.ts';

export const keyFilePrivate: Check = {
  meta: {
    id: 'cert-key-file-private',
    title: 'The kubelet private keys are readable by root only',
    section: 'certificates',
    severity: 'high',
    cis: [],
    rationale:
      'Whoever can read the kubelet serving or client key can impersonate the kubelet: serve a fake kubelet API to the API server, or act as system:node:<name> against the API server (read the secrets of every pod on the node).',
    remediation: 'chmod 600 the key file and chown it to root:root.',
  },
  evaluate: (facts): CheckResult[] | CheckResult => {
    const none = noEvidence(facts);
    if (none) return none;
    const seen = new Map<string, CertificateFact[]>();
    for (const f of facts.certificates) {
      if (f.role === 'client-ca' || !f.key || f.key.path === '') continue;
      seen.set(f.key.path, [...(seen.get(f.key.path) ?? []), f]);
    }
    if (seen.size === 0) return { status: 'not-applicable', message: 'the evidence names no private key file of the kubelet' };
    return [...seen.entries()].map(([keyPath, fs]) => judge(keyPath, fs[0]!.key!, fs));
  },
};

function judge(keyPath: string, st: StatResult, users: CertificateFact[]): CheckResult {
  const whose = users.map((f) => `the ${ROLE_WORDS[f.role]} ${f.path}`).join(' and ');
  const base = { subject: keyPath, evidence: [{ file: keyPath, note: `private key of ${whose}` }] };
  if (st.exists === false) return { ...base, status: 'unknown', message: `the key file ${keyPath} of ${whose} does not exist` };
  if (st.exists === null || st.mode === undefined || st.uid === undefined) {
    return { ...base, status: 'unknown', message: `the key file ${keyPath} cannot be examined: ${st.error ?? 'no mode or owner in the evidence'}` };
  }
  if (st.type !== undefined && st.type !== 'file') return { ...base, status: 'unknown', message: `the key file ${keyPath} is a ${st.type}, not a regular file` };
  const mode = st.mode.toString(8).padStart(3, '0');
  const problems: string[] = [];
  if ((st.mode & ~0o600) !== 0) problems.push(`mode ${mode} is looser than 600${st.mode & 0o077 ? ' (readable or writable by group or others: anyone on the node in them can impersonate the kubelet)' : ''}`);
  if (st.uid !== 0) problems.push(`owned by uid ${st.uid}, not root`);
  if (problems.length === 0) return { ...base, status: 'pass', message: `${keyPath}, the private key of ${whose}, is mode ${mode}, owned by root` };
  const fixes: FixProposal[] = [
    ...((st.mode & ~0o600) !== 0 ? [{ kind: 'mode' as const, file: keyPath, mode: st.mode & 0o600 }] : []),
    ...(st.uid !== 0 ? [{ kind: 'owner' as const, file: keyPath, uid: 0, gid: 0, user: 'root', group: 'root' }] : []),
  ];
  return { ...base, status: 'fail', message: `the private key ${keyPath} of ${whose}: ${problems.join('; ')}`, fixes, remediation: describeFixes(fixes) };
}

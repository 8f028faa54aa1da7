// CIS 4.1.7. The CA bundle the kubelet verifies client certificates against (kubelet-facts §3):
// public certificates, so 644 is enough; what matters is that nobody but root can write it.
import { clientCATargets, fileCheck, MODE_644 } from './file-stat.ts';

export const clientCAPerms = fileCheck(
  {
    id: 'file-client-ca-perms',
    title: "The kubelet's client CA file has mode 644 or stricter",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.7'],
    setting: 'authentication.x509.clientCAFile',
    rationale:
      'Whoever can write the client CA file can add their own CA: the kubelet then authenticates any client certificate they mint, for example as a cluster admin, and serves exec, attach and logs of every pod on the node.',
    remediation: 'chmod 644 /etc/kubernetes/pki/ca.crt (the file authentication.x509.clientCAFile names)',
  },
  MODE_644,
  clientCATargets,
);

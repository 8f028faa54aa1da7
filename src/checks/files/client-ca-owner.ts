// CIS 4.1.8. The owner of the client CA file can chmod it and add a CA the kubelet trusts (§3).
import { clientCATargets, fileCheck, ROOT_OWNER } from './file-stat.ts';

export const clientCAOwner = fileCheck(
  {
    id: 'file-client-ca-owner',
    title: "The kubelet's client CA file is owned by root:root",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.8'],
    setting: 'authentication.x509.clientCAFile',
    rationale:
      'A non-root owner of the client CA file can chmod it and add their own CA, after which the kubelet accepts any client certificate they mint and serves exec in every pod on the node.',
    remediation: 'chown root:root /etc/kubernetes/pki/ca.crt (the file authentication.x509.clientCAFile names)',
  },
  ROOT_OWNER,
  clientCATargets,
);

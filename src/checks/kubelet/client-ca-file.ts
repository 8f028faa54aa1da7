// CIS 4.2.3. The x509 authenticator verifies client certificates against clientCAFile; empty means
// no certificate is ever accepted (kubelet-facts §3). Default "" for both file and flag (§4).
import type { Check } from '../types.ts';
import { judgeSetting } from '../setting.ts';

const SETTING = 'authentication.x509.clientCAFile';

export const clientCaFile: Check = {
  meta: {
    id: 'kubelet-client-ca-file',
    title: 'The kubelet verifies client certificates against a client CA',
    section: 'cis-4.2',
    severity: 'high',
    cis: ['4.2.3'],
    setting: SETTING,
    rationale:
      'Without a client CA the kubelet accepts no client certificate, so the API server cannot authenticate to it with --kubelet-client-certificate; clusters then tend to keep the kubelet working with anonymous auth or AlwaysAllow, which lets anyone reaching port 10250 run commands in pods.',
    remediation:
      'Set authentication.x509.clientCAFile to the cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt) in the kubelet config file (or --client-ca-file) and restart the kubelet.',
  },
  evaluate: (facts) =>
    judgeSetting(
      facts,
      SETTING,
      (v) =>
        typeof v === 'string' && v !== ''
          ? { pass: true, message: `client certificates are verified against ${v}` }
          : { pass: false, message: 'no client CA: the kubelet authenticates no client certificate' },
      { want: '/etc/kubernetes/pki/ca.crt' },
    ),
};

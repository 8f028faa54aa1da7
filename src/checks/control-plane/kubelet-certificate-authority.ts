// CIS 1.2.5: --kubelet-certificate-authority (kubelet-facts §7). Without it the API server does
// not verify the serving certificate of the kubelets it calls, so whoever can answer for a node's
// address (ARP/DNS spoofing, a hijacked node IP) receives exec, attach, port-forward and log
// streams, and can feed back whatever it likes. kubeadm does not set it.
import type { Check } from '../types.ts';
import { describe, fixFlag, perComponent, setting, settingEvidence } from './common.ts';

export const apiserverKubeletCertificateAuthority: Check = {
  meta: {
    id: 'apiserver-kubelet-certificate-authority',
    title: 'The API server verifies the serving certificates of kubelets',
    section: 'control-plane',
    severity: 'high',
    cis: ['1.2.5'],
    setting: '--kubelet-certificate-authority',
    rationale:
      'Without --kubelet-certificate-authority the API server accepts any certificate from a kubelet: a machine that answers for a node address receives the exec, attach, port-forward and log traffic meant for that kubelet (a man in the middle between the API server and the node).',
    remediation: 'Have kubelets serve certificates signed by the cluster CA (serverTLSBootstrap: true and approve their CSRs), then set --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c) => {
      const s = setting(c, 'kubelet-certificate-authority', '');
      const evidence = settingEvidence(c, 'kubelet-certificate-authority', s, 'not set: kubelet serving certificates are not verified');
      if (s.kind === 'set' && s.value !== '') return { status: 'pass', message: `the API server verifies kubelet serving certificates: ${describe('kubelet-certificate-authority', s)}`, evidence };
      return {
        status: 'fail',
        message: `the API server does not verify kubelet serving certificates: ${describe('kubelet-certificate-authority', s)}`,
        evidence,
        remediation: `First make every kubelet serve a certificate this CA signed (kubelet config serverTLSBootstrap: true, then approve the kubelet-serving CSRs; self-signed kubelet certificates would make logs, exec and port-forward fail). Then: ${fixFlag(c, 'kubelet-certificate-authority', '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt')}`,
      };
    }),
};

// CIS 1.2.4: --kubelet-client-certificate and --kubelet-client-key (kubelet-facts §7). The API
// server presents this certificate to every kubelet it calls (exec, attach, port-forward, logs,
// the node proxy); without it the kubelet sees the API server as anonymous.
import type { Check, CheckResult } from '../types.ts';
import { describe, fixFlag, perComponent, setting, settingEvidence } from './common.ts';

export const apiserverKubeletClientCert: Check = {
  meta: {
    id: 'apiserver-kubelet-client-cert',
    title: 'The API server authenticates to kubelets with a client certificate',
    section: 'control-plane',
    severity: 'high',
    cis: ['1.2.4'],
    setting: '--kubelet-client-certificate',
    rationale:
      "Without a client certificate the API server reaches kubelets as an anonymous client: exec, logs and port-forward through the API server then only work when kubelets accept anonymous requests, which opens the kubelet API to everyone who can reach port 10250.",
    remediation: 'Set --kubelet-client-certificate and --kubelet-client-key (kubeadm: /etc/kubernetes/pki/apiserver-kubelet-client.crt and .key) in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c): CheckResult => {
      const cert = setting(c, 'kubelet-client-certificate', '');
      const key = setting(c, 'kubelet-client-key', '');
      const evidence = [
        ...settingEvidence(c, 'kubelet-client-certificate', cert, 'not set'),
        ...settingEvidence(c, 'kubelet-client-key', key, 'not set'),
      ];
      const has = (s: typeof cert) => s.kind === 'set' && s.value !== '';
      if (has(cert) && has(key)) {
        return { status: 'pass', message: `the API server presents a client certificate to kubelets: ${describe('kubelet-client-certificate', cert)}, ${describe('kubelet-client-key', key)}`, evidence };
      }
      const fixes: string[] = [];
      if (!has(cert)) fixes.push(fixFlag(c, 'kubelet-client-certificate', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt'));
      if (!has(key)) fixes.push(fixFlag(c, 'kubelet-client-key', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key'));
      return {
        status: 'fail',
        message: `the API server has no client certificate for kubelets: ${[!has(cert) ? describe('kubelet-client-certificate', cert) : '', !has(key) ? describe('kubelet-client-key', key) : ''].filter(Boolean).join('; ')}`,
        evidence,
        remediation: `${fixes.join(' ')} The certificate must be signed by the CA the kubelets trust (their authentication.x509.clientCAFile) and carry a user the kubelet's Webhook authorization allows (kubeadm: kube-apiserver-kubelet-client in group kubeadm:cluster-admins or system:masters).`,
      };
    }),
};

// CIS 4.1.5. The kubelet's --kubeconfig (a flag-only setting; empty: a standalone kubelet).
import { fileCheck, kubeletKubeconfigTargets, MODE_600 } from './file-stat.ts';

export const kubeletKubeconfigPerms = fileCheck(
  {
    id: 'file-kubelet-kubeconfig-perms',
    title: "The kubelet's --kubeconfig file has mode 600 or stricter",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.5'],
    setting: '--kubeconfig',
    rationale:
      "The kubelet's kubeconfig holds (or names) the node's client credentials, system:node:<name>: a local user who reads it can act as the node (read the Secrets of its pods, change its status); one who writes it can point the kubelet at a rogue API server that runs any pod as root on this node.",
    remediation: 'chmod 600 /etc/kubernetes/kubelet.conf (the file --kubeconfig names)',
  },
  MODE_600,
  kubeletKubeconfigTargets,
);

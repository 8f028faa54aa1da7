// CIS 4.1.6. The kubelet's --kubeconfig (a flag-only setting; empty: a standalone kubelet).
import { fileCheck, kubeletKubeconfigTargets, ROOT_OWNER } from './file-stat.ts';

export const kubeletKubeconfigOwner = fileCheck(
  {
    id: 'file-kubelet-kubeconfig-owner',
    title: "The kubelet's --kubeconfig file is owned by root:root",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.6'],
    setting: '--kubeconfig',
    rationale:
      "A non-root owner of the kubelet's kubeconfig can chmod it, take the node's credentials and point the kubelet at a rogue API server that runs any pod as root on this node.",
    remediation: 'chown root:root /etc/kubernetes/kubelet.conf (the file --kubeconfig names)',
  },
  ROOT_OWNER,
  kubeletKubeconfigTargets,
);

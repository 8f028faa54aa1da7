// CIS 4.1.4. Only when kube-proxy runs from this node's own files (see 4.1.3).
import { fileCheck, kubeProxyKubeconfigTargets, ROOT_OWNER } from './file-stat.ts';

export const kubeProxyKubeconfigOwner = fileCheck(
  {
    id: 'file-kube-proxy-kubeconfig-owner',
    title: "kube-proxy's kubeconfig is owned by root:root",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.4'],
    rationale:
      "A non-root owner of kube-proxy's kubeconfig can chmod it, read its API server credentials and point kube-proxy at a rogue API server that rewrites this node's service routing.",
    remediation: "chown root:root /var/lib/kube-proxy/kubeconfig (the file kube-proxy's --kubeconfig names)",
  },
  ROOT_OWNER,
  kubeProxyKubeconfigTargets,
);

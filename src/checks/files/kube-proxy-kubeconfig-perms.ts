// CIS 4.1.3. Only when kube-proxy runs from this node's own files (a unit or a process); kubeadm
// runs it as a DaemonSet whose kubeconfig lives in the cluster, not on the node.
import { fileCheck, kubeProxyKubeconfigTargets, MODE_600 } from './file-stat.ts';

export const kubeProxyKubeconfigPerms = fileCheck(
  {
    id: 'file-kube-proxy-kubeconfig-perms',
    title: "kube-proxy's kubeconfig has mode 600 or stricter",
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.3'],
    rationale:
      "A local user who can read kube-proxy's kubeconfig gets its API server credentials; one who can write it can point kube-proxy at a rogue API server and so rewrite this node's service routing (iptables/IPVS rules) to intercept traffic.",
    remediation: "chmod 600 /var/lib/kube-proxy/kubeconfig (the file kube-proxy's --kubeconfig names)",
  },
  MODE_600,
  kubeProxyKubeconfigTargets,
);

// Well-known node paths that both the evidence gathering and the checks name.

/** Where kubeadm keeps the cluster CA certificate; gathered with the node's files so that a fix names it only when it exists. */
export const KUBEADM_CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';

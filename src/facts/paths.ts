// Well-known node paths that both the evidence gathering and the checks name.

/** Where kubeadm keeps the cluster CA certificate; gathered with the node's files so that a fix names it only when it exists. */
export const KUBEADM_CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';

/** Where kubeadm keeps etcd's own CA; read with the CAs etcd trusts so that the unique-CA fix names it only when it exists and is not the cluster CA. */
export const KUBEADM_ETCD_CA = '/etc/kubernetes/pki/etcd/ca.crt';

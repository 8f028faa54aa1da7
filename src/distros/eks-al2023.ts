// Amazon EKS on Amazon Linux 2023: nodeadm (awslabs/amazon-eks-ami, nodeadm/internal/kubelet)
// writes the kubelet's config, its drop-in, environment and unit from the NodeConfig in the
// instance's user data, at every boot.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const eksAl2023: Distribution = {
  name: 'eks-al2023',
  title: 'Amazon EKS (Amazon Linux 2023, nodeadm)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [{ file: '/etc/eks/kubelet/environment' }, { file: '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf' }],
  managed: [
    {
      paths: ['/etc/kubernetes/kubelet/config.json', '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf', '/etc/eks/kubelet/environment'],
      when: 'boot',
      why: "nodeadm (EKS) writes this file again at every boot from the NodeConfig in the instance's user data: make the change there (spec.kubelet.config or spec.kubelet.flags), or it is undone",
    },
  ],
  // Node object: EKS's kubelet reports v1.30.0-eks-036c24b (EKS Distro's build tag with the commit),
  // managed node groups carry the label eks.amazonaws.com/nodegroup; osImage is AL2023's PRETTY_NAME,
  // "Amazon Linux 2023.5.20240624". A providerID aws:///<zone>/<instance> alone is any Kubernetes on EC2.
  nodeObject: [
    { kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+-eks-[0-9a-f]{7,}$/, osImage: /^Amazon Linux 2023/ },
    { label: 'eks.amazonaws.com/nodegroup', osImage: /^Amazon Linux 2023/ },
  ],
  benchmark: 'cis-eks',
  sources: ['awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go', 'awslabs/amazon-eks-ami nodeadm/internal/kubelet/environment.go'],
};

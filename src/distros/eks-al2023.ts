// Amazon EKS on Amazon Linux 2023: nodeadm (awslabs/amazon-eks-ami, nodeadm/internal/kubelet)
// writes the kubelet's config, its drop-in, environment, kubeconfig and CA from the NodeConfig in
// the instance's user data, at every boot (nodeadm-config.service and nodeadm-run.service, both
// enabled, run `nodeadm init`); the unit itself comes with the AMI
// (templates/al2023/runtime/rootfs/etc/systemd/system/kubelet.service).
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';
import { withKubeletVersionFile } from '../sources/launch/version-file.ts';

// templates/al2023/provisioners/install-worker.sh: `kubelet --version > kubelet-version.txt`, moved
// to /etc/eks/kubelet-version.txt ("Kubernetes v1.33.5-eks-3025e55"). The kubelet itself is a
// binary from S3 (no rpm record), so this is the only place the node shows its version offline.
const KUBELET_VERSION_FILE = { file: '/etc/eks/kubelet-version.txt', pattern: /^Kubernetes (v[0-9][^\s]*)/m };

export const eksAl2023: Distribution = {
  name: 'eks-al2023',
  title: 'Amazon EKS (Amazon Linux 2023, nodeadm)',
  runs: 'process',
  launch: withKubeletVersionFile(systemdLaunch(), KUBELET_VERSION_FILE),
  marks: [
    // nodeadm/internal/kubelet/environment.go (kubeletEnvironmentFilePath)
    { file: '/etc/eks/kubelet/environment' },
    // nodeadm/internal/kubelet/config.go (kubeletConfigRoot/kubeletConfigDir, writeKubeletConfigToDir)
    { file: '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf' },
    // templates/al2023/runtime/rootfs/etc/systemd/system/nodeadm-run.service (installed by the AMI)
    { unit: 'nodeadm-run.service' },
  ],
  // the EKS version of the node is its kubelet's (templates/al2023/provisioners/install-worker.sh);
  // /etc/eks/release holds BASE_AMI_ID, BUILD_TIME, BUILD_KERNEL and ARCH only, no version.
  version: [{ file: KUBELET_VERSION_FILE.file, pattern: /^Kubernetes v([0-9][^\s]*)/m }],
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
  sources: [
    'awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go',
    'awslabs/amazon-eks-ami nodeadm/internal/kubelet/environment.go',
    'awslabs/amazon-eks-ami nodeadm/internal/kubelet/kubeconfig.go',
    'awslabs/amazon-eks-ami templates/al2023/runtime/rootfs/etc/systemd/system/kubelet.service',
    'awslabs/amazon-eks-ami templates/al2023/runtime/rootfs/etc/systemd/system/nodeadm-run.service',
    'awslabs/amazon-eks-ami templates/al2023/provisioners/install-worker.sh',
  ],
};

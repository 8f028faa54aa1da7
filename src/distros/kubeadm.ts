// kubeadm on a Linux distribution with the pkgs.k8s.io packages: the kubelet is its own process,
// started by kubelet.service with kubeadm's drop-in 10-kubeadm.conf (examples/nodes/README.md
// names the files read: kubernetes/release cmd/krel/templates/latest/{kubelet,kubeadm}/*.spec,
// kubernetes/kubernetes cmd/kubeadm/app/phases/kubelet/flags.go, cmd/kubeadm/app/componentconfigs/kubelet.go).
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const kubeadm: Distribution = {
  name: 'kubeadm',
  title: 'kubeadm',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [
    { file: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf' },
    { file: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf' },
    { file: '/var/lib/kubelet/kubeadm-flags.env' },
    { dpkg: 'kubeadm' },
  ],
  version: [{ dpkg: 'kubeadm' }],
  managed: [
    {
      paths: ['/var/lib/kubelet/kubeadm-flags.env'],
      when: 'upgrade',
      why: 'kubeadm rewrites /var/lib/kubelet/kubeadm-flags.env on `kubeadm upgrade node` and `kubeadm join`: also set the flag in kubeadm\'s nodeRegistration.kubeletExtraArgs, or it comes back',
    },
    {
      paths: ['/var/lib/kubelet/config.yaml'],
      when: 'upgrade',
      why: 'kubeadm rewrites /var/lib/kubelet/config.yaml from the kubelet-config ConfigMap on `kubeadm upgrade node`: also change the ConfigMap (kubectl -n kube-system edit cm kubelet-config), or the change is undone at the next upgrade',
    },
  ],
  // Node object: kubeadm init/join annotate the Node kubeadm.alpha.kubernetes.io/cri-socket
  // (cmd/kubeadm/app/constants/constants.go AnnotationKubeadmCRISocket); kind's nodes have it too
  // and are named first (registry order). A node without it stays unnamed rather than guessed.
  nodeObject: [{ annotation: 'kubeadm.alpha.kubernetes.io/cri-socket' }],
  benchmark: 'cis-kubernetes',
  sources: [
    'kubernetes/release cmd/krel/templates/latest/kubelet/kubelet.spec',
    'kubernetes/release cmd/krel/templates/latest/kubeadm/kubeadm.spec',
    'kubernetes/kubernetes cmd/kubeadm/app/phases/kubelet/flags.go',
    'kubernetes/kubernetes cmd/kubeadm/app/componentconfigs/kubelet.go',
  ],
};

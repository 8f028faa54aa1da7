// Amazon EKS on Amazon Linux 2 (the EKS-optimized AL2 AMI, removed from awslabs/amazon-eks-ami
// main by "chore: remove AL2 support (#2645)"; read at its parent commit 0ab8428, templates/al2/).
// The kubelet is its own process, started by kubelet.service:
//   - install-worker.sh (AMI build) installs templates/al2/runtime/kubelet-containerd.service as
//     /etc/eks/containerd/kubelet-containerd.service, kubelet-config.json as
//     /etc/kubernetes/kubelet/kubelet-config.json and kubelet-kubeconfig as /var/lib/kubelet/kubeconfig;
//   - bootstrap.sh (/etc/eks/bootstrap.sh, run by the instance's user data) then copies the unit to
//     /etc/systemd/system/kubelet.service, edits kubelet-config.json with jq (clusterDNS, evictionHard,
//     kubeReserved, maxPods, providerID, cgroupDriver systemd, the reserved cgroups), fills in the
//     kubeconfig, writes the cluster CA to /etc/kubernetes/pki/ca.crt, and writes the drop-ins
//     10-kubelet-args.conf (Environment='KUBELET_ARGS=--node-ip=… --pod-infra-container-image=…
//     --v=2 --hostname-override=… --cloud-provider=external') and, when given,
//     30-kubelet-extra-args.conf (Environment='KUBELET_EXTRA_ARGS=<--kubelet-extra-args>').
// The unit's ExecStart ends in $KUBELET_ARGS $KUBELET_EXTRA_ARGS: systemd reads all of it, so the
// plain systemd model gives every word its file and line.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

const WHY =
  "the EKS AL2 bootstrap script (/etc/eks/bootstrap.sh, run from the instance's user data) writes this file when the node first boots, " +
  'and every node the node group launches gets it afresh: make the change in the launch template\'s user data instead — kubelet flags in ' +
  "bootstrap.sh's --kubelet-extra-args (they override kubelet-config.json), other kubelet-config.json settings with a jq edit of " +
  '/etc/kubernetes/kubelet/kubelet-config.json before bootstrap.sh runs (it changes only the fields it sets), file modes with a chmod after it';

export const eksAl2: Distribution = {
  name: 'eks-al2',
  title: 'Amazon EKS (Amazon Linux 2)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [
    // bootstrap.sh: cat << EOF > /etc/systemd/system/kubelet.service.d/10-kubelet-args.conf
    { file: '/etc/systemd/system/kubelet.service.d/10-kubelet-args.conf' },
    // install-worker.sh: mv kubelet-containerd.service /etc/eks/containerd/kubelet-containerd.service
    { file: '/etc/eks/containerd/kubelet-containerd.service' },
    // install-worker.sh: mv kubelet-config.json /etc/kubernetes/kubelet/kubelet-config.json
    // (AL2023's nodeadm writes /etc/kubernetes/kubelet/config.json instead)
    { file: '/etc/kubernetes/kubelet/kubelet-config.json' },
  ],
  // No version on the node: install-worker.sh writes /etc/eks/release with BASE_AMI_ID, BUILD_TIME,
  // BUILD_KERNEL and ARCH only, and installs the kubelet as a bare binary from S3 (no rpm record);
  // bootstrap.sh asks `kubelet --version`, which an offline audit cannot run. Unknown, never guessed.
  managed: [
    {
      paths: [
        '/etc/kubernetes/kubelet/kubelet-config.json',
        '/etc/systemd/system/kubelet.service',
        '/etc/systemd/system/kubelet.service.d/10-kubelet-args.conf',
        '/etc/systemd/system/kubelet.service.d/30-kubelet-extra-args.conf',
        '/var/lib/kubelet/kubeconfig',
        '/etc/kubernetes/pki/ca.crt',
      ],
      when: 'boot',
      why: WHY,
    },
  ],
  // Node object: as for eks-al2023, with AL2's PRETTY_NAME "Amazon Linux 2" (exactly)
  nodeObject: [
    { kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+-eks-[0-9a-f]{7,}$/, osImage: /^Amazon Linux 2$/ },
    { label: 'eks.amazonaws.com/nodegroup', osImage: /^Amazon Linux 2$/ },
  ],
  benchmark: 'cis-eks',
  sources: [
    'awslabs/amazon-eks-ami templates/al2/runtime/bootstrap.sh (at 0ab842803d827b8087d78dd2eff0bc408caec771)',
    'awslabs/amazon-eks-ami templates/al2/runtime/kubelet-containerd.service',
    'awslabs/amazon-eks-ami templates/al2/runtime/kubelet-config.json',
    'awslabs/amazon-eks-ami templates/al2/runtime/kubelet-kubeconfig',
    'awslabs/amazon-eks-ami templates/al2/provisioners/install-worker.sh',
  ],
};

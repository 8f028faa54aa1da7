// kind (kubernetes-sigs/kind): each node is a container running systemd, and in it kubeadm's
// kubelet.service, as any kubeadm node (so it is audited as one: systemdLaunch). kind's node image
// brings its own unit files (images/base/files/etc/systemd/system/): kubelet.service deviates from
// upstream's (ConditionPathExists=/var/lib/kubelet/config.yaml, RestartSec=1s, Slice=kubelet.slice,
// KillMode=process), 10-kubeadm.conf is upstream's, 11-kind.conf adds cgroup ExecStartPre lines,
// and /etc/default/kubelet sets KUBELET_EXTRA_ARGS=--runtime-cgroups=/system.slice/containerd.service.
// The image has no packages (no dpkg kubeadm): /kind/version holds the Kubernetes version it was
// built with (pkg/build/nodeimage/buildcontext.go, const.go kubernetesVersionLocation).
// It must be detected before kubeadm, whose marks (10-kubeadm.conf, kubeadm-flags.env) it also has.
import type { Distribution } from './types.ts';
import type { LaunchModel } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

const KIND_VERSION = '/kind/version';
const VERSION_PATTERN = /^(v?[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*)\s*$/;

/** kubeadm's launch, with the kubelet's version from /kind/version (the binaries were built at that tag). */
function kindLaunch(): LaunchModel {
  const plain = systemdLaunch();
  return (ctx) => {
    const launch = plain(ctx);
    if (launch.kubeletVersion) return launch;
    const r = ctx.fs.read(KIND_VERSION, 256);
    const m = r.ok ? VERSION_PATTERN.exec(r.bytes.toString('utf8')) : null;
    return m?.[1] ? { ...launch, kubeletVersion: { value: m[1], source: KIND_VERSION } } : launch;
  };
}

export const kind: Distribution = {
  name: 'kind',
  title: 'kind',
  runs: 'process',
  launch: kindLaunch(),
  marks: [
    { file: KIND_VERSION },
    { file: '/etc/systemd/system/kubelet.service.d/11-kind.conf' },
  ],
  version: [{ file: KIND_VERSION, pattern: VERSION_PATTERN }],
  managed: [
    {
      // kind create cluster runs kubeadm init/join with the config kind renders (pkg/cluster/internal/kubeadm/config.go)
      paths: ['/var/lib/kubelet/config.yaml', '/var/lib/kubelet/kubeadm-flags.env'],
      when: 'upgrade',
      why: 'kubeadm writes this file from the configuration kind renders when the cluster is created: also put the change in the cluster\'s kind config (kubeadmConfigPatches, a KubeletConfiguration patch or nodeRegistration.kubeletExtraArgs), or a new cluster does not have it',
    },
    {
      paths: ['/etc/systemd/system/kubelet.service', '/etc/systemd/system/kubelet.service.d/', '/etc/default/kubelet', '/kind/'],
      when: 'upgrade',
      why: 'this file comes with kind\'s node image (kubernetes-sigs/kind images/base/files): a node created from the image again does not have the change; put it in the cluster\'s kind config (kubeadmConfigPatches) instead',
    },
  ],
  // Node object: kind sets --provider-id=kind://{{.NodeProvider}}/{{.ClusterName}}/{{.NodeName}}
  // through kubeletExtraArgs (pkg/cluster/internal/kubeadm/config.go)
  nodeObject: [{ providerID: /^kind:\/\/[a-z]+\/[^/]+\/[^/]+$/ }],
  benchmark: 'cis-kubernetes',
  sources: [
    'kubernetes-sigs/kind images/base/files/etc/systemd/system/kubelet.service',
    'kubernetes-sigs/kind images/base/files/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
    'kubernetes-sigs/kind images/base/files/etc/systemd/system/kubelet.service.d/11-kind.conf',
    'kubernetes-sigs/kind images/base/files/etc/default/kubelet',
    'kubernetes-sigs/kind pkg/build/nodeimage/buildcontext.go',
    'kubernetes-sigs/kind pkg/cluster/internal/kubeadm/config.go',
  ],
};

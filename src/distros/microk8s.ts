// MicroK8s (canonical/microk8s): a classic snap; the kubelet runs inside kubelite, one process with
// the API server, scheduler, controller manager and kube-proxy, started by the snap service
// snap.microk8s.daemon-kubelite (snap/snapcraft.yaml apps.daemon-kubelite: run-kubelite-with-args).
// Its flags are the words of $SNAP_DATA/args/kubelet (src/sources/launch/args-file.ts says how
// kubelite reads them); the install hook copies it from the snap's default-args/kubelet, which sets
// --anonymous-auth=false, --authentication-token-webhook=true, --read-only-port=0 and
// --client-ca-file on the command line. No --config file by default, so every other setting is the
// kubelet's flag default (authorization mode AlwaysAllow unless --authorization-mode is given).
import type { Distribution } from './types.ts';
import { kubeliteLaunch, SNAP_VERSION_PATTERN, SNAP_YAML } from '../sources/launch/args-file.ts';

export const microk8s: Distribution = {
  name: 'microk8s',
  title: 'MicroK8s',
  runs: 'embedded',
  launch: kubeliteLaunch(),
  marks: [
    // snapd's unit for apps.daemon-kubelite (snap/snapcraft.yaml)
    { unit: 'snap.microk8s.daemon-kubelite.service' },
    { process: 'kubelite' },
    // the snap's data (snap/hooks/install copies default-args to ${SNAP_DATA}/args)
    { file: '/var/snap/microk8s/current/args/kubelet' },
    { file: '/snap/microk8s/current/meta/snap.yaml' },
  ],
  // snap.yaml's version is the Kubernetes tag it was built from (snapcraft.yaml adopt-info
  // kubernetes-version; build-scripts/components/kubernetes/version.sh)
  version: [{ file: SNAP_YAML, pattern: SNAP_VERSION_PATTERN }],
  managed: [
    {
      // the snap itself: a read-only squashfs, replaced by every refresh
      paths: ['/snap/microk8s/'],
      when: 'boot',
      why: 'this is the MicroK8s snap itself (read-only, replaced at every refresh): change the kubelet\'s arguments in /var/snap/microk8s/current/args/kubelet, then `sudo snap restart microk8s.daemon-kubelite`',
    },
    {
      // written by snapd from snap.yaml at install, refresh and boot
      paths: ['/etc/systemd/system/snap.microk8s.daemon-kubelite.service'],
      when: 'boot',
      why: 'snapd writes this unit from the snap\'s metadata: change the kubelet\'s arguments in /var/snap/microk8s/current/args/kubelet instead, then `sudo snap restart microk8s.daemon-kubelite`',
    },
    // Not managed: /var/snap/microk8s/current/args/kubelet is the user's (snapd copies $SNAP_DATA to
    // the new revision at refresh). The snap edits only given lines of it: the configure hook deletes
    // --allow-privileged and --log-dir lines and may rewrite the container runtime flags
    // (snap/hooks/configure), the service wrapper deletes the flags kubelets no longer know and adds
    // --resolv-conf when absent (run-kubelite-with-args, sanitise_args_kubelet in utils.sh).
  ],
  // Node object: default-args/kubelet sets --node-labels=microk8s.io/cluster=true,...; the kubelet
  // is upstream's (kubeletVersion plain, such as v1.32.3).
  nodeObject: [{ label: 'microk8s.io/cluster' }],
  // the snap's service runs kubelite (snap/snapcraft.yaml apps.daemon-kubelite); `snap restart` restarts its unit
  restart: 'restart kubelite, which runs the kubelet (snap restart microk8s.daemon-kubelite)',
  benchmark: 'cis-kubernetes',
  sources: [
    'canonical/microk8s microk8s-resources/default-args/kubelet',
    'canonical/microk8s microk8s-resources/default-args/kubelite',
    'canonical/microk8s microk8s-resources/wrappers/run-kubelite-with-args',
    'canonical/microk8s microk8s-resources/actions/common/utils.sh',
    'canonical/microk8s build-scripts/components/kubernetes/patches/v1.36.0/0000-Kubelite-integration.patch',
    'canonical/microk8s snap/snapcraft.yaml',
    'canonical/microk8s snap/hooks/install',
    'canonical/microk8s snap/hooks/configure',
    'canonical/microk8s build-scripts/components/kubernetes/version.sh',
  ],
};

// Google Kubernetes Engine (GKE) on Container-Optimized OS or Ubuntu. GKE's node software is not
// open source; this is built from its public ancestor, kubernetes/kubernetes cluster/gce (the GCE
// reference GKE's node startup derives from: cluster/gce/gci/node.yaml runs configure.sh and
// configure-helper.sh at every boot from kube-node-installation/kube-node-configuration.service):
//   - configure-helper.sh start-kubelet writes /etc/default/kubelet
//       KUBELET_OPTS="${KUBELET_ARGS} ${KUBELET_CONFIG_FILE_ARG:-} ${kubelet_cgroup_driver:-}"
//       KUBE_COVERAGE_FILE="/var/log/kubelet.cov"
//     and /etc/systemd/system/kubelet.service (EnvironmentFile=/etc/default/kubelet,
//     ExecStart=/home/kubernetes/bin/kubelet $KUBELET_OPTS);
//   - KUBELET_ARGS comes from the node's kube-env (/home/kubernetes/kube-env), built by
//     cluster/gce/util.sh construct-linux-kubelet-flags; KUBELET_CONFIG_FILE_ARG is
//     "--config /home/kubernetes/kubelet-config.yaml" when that file exists (configure-helper.sh main),
//     its text from cluster/gce/util.sh build-kubelet-config (readOnlyPort: 10255, staticPodPath,
//     authentication.x509.clientCAFile /etc/srv/kubernetes/pki/ca-certificates.crt; no authorization
//     or webhook fields, so the v1beta1 defaults apply);
//   - create-node-pki writes /etc/srv/kubernetes/pki/ca-certificates.crt (and the bootstrap pair
//     kubelet.crt/kubelet.key) with umask 077; create-kubelet-kubeconfig writes
//     /var/lib/kubelet/bootstrap-kubeconfig; the kubelet writes /var/lib/kubelet/kubeconfig after
//     TLS bootstrap (--cert-dir=/var/lib/kubelet/pki/).
// Where a real GKE node differs from this reference (its kubelet-config.yaml carries more fields,
// e.g. the read-only port follows the node pool's insecureKubeletReadonlyPortEnabled), the node's
// own files decide: the audit reads them, not this description. kube-bench cfg/gke-1.9.0/config.yaml
// names the same kubelet config path (/home/kubernetes/kubelet-config.yaml).
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';
import { withKubeletVersionFile } from '../sources/launch/version-file.ts';

// kube-env: the metadata's YAML (cluster/gce/util.sh build-linux-kube-env) that configure.sh
// download-kube-env turns into shell lines `readonly KEY=<shlex-quoted value>` (umask 077), e.g.
// readonly SERVER_BINARY_TAR_URL=https://…/v1.31.5-gke.1023000/kubernetes-server-linux-amd64.tar.gz;
// configure.sh installs the kubelet from that release. The file also holds credentials
// (KUBELET_CERT/KUBELET_KEY): only the version is taken from it (src/sources/launch/version-file.ts).
const TAR_URL = /^(?:readonly )?SERVER_BINARY_TAR_URL=(?:'|)[^'\n]*?\/v([0-9]+\.[0-9]+\.[0-9]+[^/'\s]*)\//m;
const KUBE_ENV_VERSION = { file: '/home/kubernetes/kube-env', pattern: TAR_URL };

const WHY =
  "GKE's node startup (configure-helper.sh, from the node pool's metadata) writes this file again at every boot — on Container-Optimized OS " +
  '/etc is not even kept across reboots — and every node the pool creates gets it afresh: change the node pool instead. Kubelet settings go in ' +
  'its node system configuration (`gcloud container node-pools update POOL --cluster CLUSTER --system-config-from-file=FILE`, kubeletConfig: ' +
  'cpuManagerPolicy, cpuCFSQuota, cpuCFSQuotaPeriod, podPidsLimit, insecureKubeletReadonlyPortEnabled, imageGcLowThresholdPercent, ' +
  'imageGcHighThresholdPercent, imageMinimumGcAge, imageMaximumGcAge, containerLogMaxSize, containerLogMaxFiles, allowedUnsafeSysctls); ' +
  'the read-only port also with `--no-enable-insecure-kubelet-readonly-port`; everything else (authentication, authorization, TLS, ' +
  'certificates, file modes) is set by GKE and is not the user\'s to change';

export const gke: Distribution = {
  name: 'gke',
  title: 'Google Kubernetes Engine (GKE)',
  runs: 'process',
  launch: withKubeletVersionFile(systemdLaunch(), KUBE_ENV_VERSION),
  marks: [
    // configure.sh downloads the node's kube-env here; configure-helper.sh sources it
    { file: '/home/kubernetes/kube-env' },
    // build-kubelet-config's text, written by configure.sh; kube-bench cfg/gke-*/config.yaml defaultconf
    { file: '/home/kubernetes/kubelet-config.yaml' },
    // configure-helper.sh start-kubelet: kubelet_bin="${KUBE_HOME}/bin/kubelet"
    { file: '/home/kubernetes/bin/kubelet' },
  ],
  version: [KUBE_ENV_VERSION],
  managed: [
    {
      paths: [
        '/etc/default/kubelet',
        '/etc/systemd/system/kubelet.service',
        '/home/kubernetes/kubelet-config.yaml',
        '/home/kubernetes/kube-env',
        '/var/lib/kubelet/bootstrap-kubeconfig',
        '/etc/srv/kubernetes/pki/',
      ],
      when: 'boot',
      why: WHY,
    },
  ],
  // Node object: GKE's kubelet reports v1.29.6-gke.1038000; nodes carry the label
  // cloud.google.com/gke-nodepool. A providerID gce://<project>/<zone>/<name> alone is any Kubernetes on GCE.
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+-gke\.[0-9]+$/ }, { label: 'cloud.google.com/gke-nodepool' }],
  benchmark: 'cis-gke',
  sources: [
    'kubernetes/kubernetes cluster/gce/gci/configure-helper.sh (start-kubelet, create-node-pki, create-kubelet-kubeconfig, main)',
    'kubernetes/kubernetes cluster/gce/util.sh (construct-linux-kubelet-flags, build-kubelet-config)',
    'kubernetes/kubernetes cluster/gce/gci/node.yaml',
    'kubernetes/kubernetes cluster/gce/config-default.sh (VOLUME_PLUGIN_DIR, AUTH_PROVIDER_GCP_LINUX_*)',
    'aquasecurity/kube-bench cfg/gke-1.9.0/config.yaml',
    'cloud.google.com/kubernetes-engine/docs/how-to/node-system-config',
    'cloud.google.com/kubernetes-engine/docs/how-to/disable-kubelet-readonly-port',
  ],
};

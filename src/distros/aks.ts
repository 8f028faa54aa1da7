// Azure Kubernetes Service (AKS), Linux nodes provisioned by AgentBaker (Azure/AgentBaker,
// parts/linux/cloud-init/artifacts). The kubelet is its own process, started by kubelet.service:
//   - kubelet.service (the VHD's /etc/systemd/system/kubelet.service, vhdbuilder/packer/packer_source.sh;
//     also written 0600 by cloud-init, parts/linux/cloud-init/nodecustomdata.yml):
//     EnvironmentFile=/etc/default/kubelet and ExecStart=/opt/bin/kubelet --enable-server
//     --node-labels="${KUBELET_NODE_LABELS}" --v=2 --volume-plugin-dir=/etc/kubernetes/volumeplugins
//     $KUBELET_TLS_BOOTSTRAP_FLAGS $KUBELET_CONFIG_FILE_FLAGS $KUBELET_CONTAINERD_FLAGS
//     $KUBELET_CONTAINER_RUNTIME_FLAG $KUBELET_CGROUP_FLAGS $KUBELET_FLAGS;
//   - /etc/default/kubelet (cse_config.sh ensureKubelet, chmod 0600): KUBELET_FLAGS= the RP's flags,
//     sorted, less those moved into the config file (pkg/agent/utils.go GetOrderedKubeletConfigFlagString,
//     TranslatedKubeletConfigFlags), plus --node-ip (setKubeletNodeIPFlag); KUBELET_NODE_LABELS=…;
//   - /etc/default/kubeletconfig.json (cse_config.sh, chmod 0600, when KUBELET_CONFIG_FILE_ENABLED):
//     GetKubeletConfigFileContent, json.MarshalIndent with four spaces; the drop-in
//     kubelet.service.d/10-componentconfig.conf sets KUBELET_CONFIG_FILE_FLAGS=--config /etc/default/kubeletconfig.json;
//   - drop-ins 10-tlsbootstrap.conf (--kubeconfig /var/lib/kubelet/kubeconfig --bootstrap-kubeconfig
//     /var/lib/kubelet/bootstrap-kubeconfig), 10-containerd-base-flag.conf (--runtime-request-timeout,
//     --container-runtime-endpoint, --runtime-cgroups), 10-cgroupv2.conf (--cgroup-driver=systemd),
//     10-watchdog.conf, 10-ensure-imds-restriction.conf, 10-credential-validation.conf (cse_config.sh, cse_main.sh);
//   - certificates in /etc/kubernetes/certs/: ca.crt (ensureKubeCACert, 0600), kubeletserver.crt/.key
//     (generateSelfSignedKubeletServingCertificate: openssl req -x509, CN and SAN the node name,
//     when serving-certificate rotation is off), client.crt/.key (without TLS bootstrapping).
// systemd reads all of these, so the plain systemd model gives every word its file and line.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

// The node pool's custom node configuration (pkg/agent/utils.go setCustomKubeletConfig, the
// CustomKubeletConfig AKS passes) is the only kubelet input an AKS user has.
const WHY =
  "AKS writes this file when it provisions the node (AgentBaker's cse_config.sh) and again on every reimage and node image upgrade, " +
  'which replace the node\'s disk: a change here is undone. Kubelet settings belong in the node pool\'s custom node configuration ' +
  '(`az aks nodepool add --kubelet-config FILE`; `az aks nodepool update --kubelet-config FILE` where the CLI supports it), which takes only ' +
  'cpuManagerPolicy, cpuCfsQuota, cpuCfsQuotaPeriod, imageGcHighThreshold, imageGcLowThreshold, topologyManagerPolicy, allowedUnsafeSysctls, ' +
  'failSwapOn, containerLogMaxSizeMB, containerLogMaxFiles, podMaxPids and seccompDefault; everything else (authentication, authorization, ' +
  'the read-only port, TLS, certificates, file modes) is set by AKS and is not the user\'s to change: raise it with Azure support';

export const aks: Distribution = {
  name: 'aks',
  title: 'Azure Kubernetes Service (AKS)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [
    // cse_config.sh ensureKubelet: KUBELET_RUNTIME_CONFIG_SCRIPT_FILE=/opt/azure/containers/kubelet.sh
    { file: '/opt/azure/containers/kubelet.sh' },
    // cse_config.sh / cse_main.sh: the containerd flags drop-in
    { file: '/etc/systemd/system/kubelet.service.d/10-containerd-base-flag.conf' },
    // cse_config.sh: KUBELET_CONFIG_JSON_PATH="/etc/default/kubeletconfig.json"
    { file: '/etc/default/kubeletconfig.json' },
  ],
  // No version on the node that an offline audit can read: the kubelet is /opt/bin/kubelet, moved from
  // the VHD's cached /opt/bin/kubelet-<version> (cse_install.sh) and the cache is then cleared;
  // KUBERNETES_VERSION lives only in the CSE command. Unknown, never guessed (give --kubelet-version).
  managed: [
    {
      paths: [
        '/etc/default/kubelet',
        '/etc/default/kubeletconfig.json',
        '/etc/systemd/system/kubelet.service',
        '/etc/systemd/system/kubelet.service.d/',
        '/var/lib/kubelet/kubeconfig',
        '/var/lib/kubelet/bootstrap-kubeconfig',
        '/etc/kubernetes/certs/',
      ],
      when: 'boot',
      why: WHY,
    },
  ],
  // Node object: AKS labels every node kubernetes.azure.com/cluster (the node resource group); the
  // providerID azure:///subscriptions/... alone is any Kubernetes on Azure VMs
  nodeObject: [{ label: 'kubernetes.azure.com/cluster' }],
  benchmark: 'cis-aks',
  sources: [
    'Azure/AgentBaker parts/linux/cloud-init/artifacts/kubelet.service',
    'Azure/AgentBaker parts/linux/cloud-init/artifacts/cse_config.sh',
    'Azure/AgentBaker parts/linux/cloud-init/artifacts/cse_main.sh',
    'Azure/AgentBaker parts/linux/cloud-init/artifacts/cse_cmd.sh',
    'Azure/AgentBaker parts/linux/cloud-init/nodecustomdata.yml',
    'Azure/AgentBaker pkg/agent/utils.go',
    'Azure/AgentBaker e2e/node_config.go',
  ],
};

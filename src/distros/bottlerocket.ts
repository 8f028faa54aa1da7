// Bottlerocket (aws-k8s-*, vmware-k8s-*, metal-k8s-* variants): the kubelet is its own process,
// started by kubelet.service, but every file it starts from is rendered from the settings API
// (apiclient; user data `[settings.kubernetes]`) by thar-be-settings at every boot and whenever a
// setting changes. Read from bottlerocket-os/bottlerocket-core-kit a10182f (2024-10-24),
// packages/kubernetes-1.31 (the same files in every kubernetes-1.* package of that commit), and
// bottlerocket-os/bottlerocket 91632ff sources/shared-defaults/kubernetes-*.toml.
//
// Where things are on a node:
// - / is the read-only, dm-verity root (packages/filesystem/filesystem.spec): /usr is a symlink to
//   ./x86_64-bottlerocket-linux-gnu/sys-root/usr (aarch64-… on ARM), where kubelet.service and its
//   packaged drop-ins live (/usr/lib/systemd/system/kubelet.service{,.d/*.conf}).
// - /etc is a tmpfs mounted by systemd (packages/systemd/9006-mount-setup-mount-etc-with-specific-
//   label.patch): everything there is written again at every boot (thar-be-settings renders each
//   `configuration-files` entry of kubernetes-services.toml; the rest comes from tmpfiles).
//   /etc/os-release is systemd's tmpfiles link to ../usr/lib/os-release, written at image build
//   (twoliter rpm2img: VERSION_ID, VARIANT_ID=aws-k8s-1.31, BUILD_ID).
// - /var/lib/kubelet is on the persistent data partition: the kubelet's own certificates.
// From the admin container, the host's root is /.bottlerocket/rootfs: `kubelet-guard node --root
// /.bottlerocket/rootfs` (or run it in `sudo sheltie`, the host's namespaces).
import type { ManagedChange } from './types.ts';
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';
import { withOsReleaseKubeletMinor } from '../sources/launch/os-release.ts';

/** The user-facing setting that renders a kubelet config key (template kubelet-config, kubernetes-1.31). */
const CONFIG_SETTINGS: Readonly<Record<string, string>> = {
  clusterDomain: 'cluster-domain',
  clusterDNS: 'cluster-dns-ip',
  evictionHard: 'eviction-hard',
  evictionSoft: 'eviction-soft',
  evictionSoftGracePeriod: 'eviction-soft-grace-period',
  evictionMaxPodGracePeriod: 'eviction-max-pod-grace-period',
  allowedUnsafeSysctls: 'allowed-unsafe-sysctls',
  registryPullQPS: 'registry-qps',
  registryBurst: 'registry-burst',
  eventRecordQPS: 'event-qps',
  eventBurst: 'event-burst',
  kubeAPIQPS: 'kube-api-qps',
  kubeAPIBurst: 'kube-api-burst',
  'kubeReserved.cpu': 'kube-reserved.cpu',
  'kubeReserved.memory': 'kube-reserved.memory',
  'kubeReserved.ephemeral-storage': 'kube-reserved.ephemeral-storage',
  systemReserved: 'system-reserved',
  cpuCFSQuota: 'cpu-cfs-quota-enforced',
  cpuManagerPolicy: 'cpu-manager-policy',
  cpuManagerReconcilePeriod: 'cpu-manager-reconcile-period',
  cpuManagerPolicyOptions: 'cpu-manager-policy-options',
  topologyManagerScope: 'topology-manager-scope',
  topologyManagerPolicy: 'topology-manager-policy',
  podPidsLimit: 'pod-pids-limit',
  imageGCHighThresholdPercent: 'image-gc-high-threshold-percent',
  imageGCLowThresholdPercent: 'image-gc-low-threshold-percent',
  providerID: 'provider-id',
  seccompDefault: 'seccomp-default',
  serverTLSBootstrap: 'server-tls-bootstrap',
  // tlsCertFile/tlsPrivateKeyFile are rendered when both of these are set (base64 PEM)
  tlsCertFile: 'server-certificate',
  tlsPrivateKeyFile: 'server-key',
  maxPods: 'max-pods',
  containerLogMaxSize: 'container-log-max-size',
  containerLogMaxFiles: 'container-log-max-files',
  shutdownGracePeriod: 'shutdown-grace-period',
  shutdownGracePeriodCriticalPods: 'shutdown-grace-period-for-critical-pods',
  memoryManagerPolicy: 'memory-manager-policy',
  reservedMemory: 'memory-manager-reserved-memory',
  reservedSystemCPUs: 'reserved-cpus',
};

/**
 * Keys the template renders from settings.kubernetes.standalone-mode alone: false (every k8s
 * variant's default, kubernetes-aws.toml) renders address 0.0.0.0, anonymous authentication off,
 * webhook authentication on with clientCAFile /etc/kubernetes/pki/ca.crt, and authorization
 * Webhook; true renders 127.0.0.1, anonymous on, webhook off and AlwaysAllow.
 */
const STANDALONE_KEYS = new Set([
  'address', 'authentication.anonymous.enabled', 'authentication.webhook.enabled', 'authentication.webhook.cacheTTL',
  'authentication.x509.clientCAFile', 'authorization.mode', 'authorization.webhook.cacheAuthorizedTTL', 'authorization.webhook.cacheUnauthorizedTTL',
]);

/** Flags of the exec-start drop-in (template kubelet-exec-start-conf) and the setting that writes each. */
const FLAG_SETTINGS: Readonly<Record<string, string>> = {
  'cloud-provider': 'cloud-provider',
  'hostname-override': 'hostname-override',
  'node-ip': 'node-ip',
  'node-labels': 'node-labels',
  'register-with-taints': 'node-taints',
  v: 'log-level',
  'image-credential-provider-config': 'credential-providers',
  'image-credential-provider-bin-dir': 'credential-providers',
};

/** A value as `apiclient set` takes it (a JSON value; a plain word as is). */
function apiValue(v: unknown): string | undefined {
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return /^[\w.:/@%+-]+$/.test(v) ? v : JSON.stringify(v);
  return undefined; // a list or map: user data TOML is clearer than a quoted JSON argument
}

function setting(name: string, value: unknown): string {
  const v = value === undefined ? undefined : apiValue(value);
  return v === undefined
    ? `the setting is settings.kubernetes.${name}`
    : `run \`apiclient set settings.kubernetes.${name}=${v}\` (or ${name} = ${JSON.stringify(value)} under [settings.kubernetes] in the user data)`;
}

/** Where a change to a rendered kubelet file belongs on Bottlerocket. */
export function bottlerocketInstead(c: ManagedChange): string {
  if (c.meta) return `its ${c.meta} is fixed by Bottlerocket (the configuration-files entry that renders it), not by a setting`;
  if (c.key !== undefined) {
    const top = c.key.split('.')[0]!;
    if (STANDALONE_KEYS.has(c.key)) {
      return `no setting writes ${c.key} alone: settings.kubernetes.standalone-mode decides it (false renders anonymous authentication off, webhook authentication and Webhook authorization): \`apiclient set settings.kubernetes.standalone-mode=false\``;
    }
    const name = CONFIG_SETTINGS[c.key] ?? (c.key.startsWith('kubeReserved.') ? undefined : CONFIG_SETTINGS[top]);
    if (name) return setting(name, name === CONFIG_SETTINGS[c.key] ? c.value : undefined);
    return `no Bottlerocket setting writes ${c.key}: the kubelet-config template ${TEMPLATE_FIXED.has(top) ? 'fixes it' : 'leaves it at the kubelet\'s default'}, so it cannot be changed on this variant`;
  }
  if (c.flag !== undefined) {
    const name = FLAG_SETTINGS[c.flag];
    if (name && c.value === undefined) {
      // the template writes the flag only when the setting is set (and a setting cannot be unset with apiclient)
      const source = c.flag === 'hostname-override' ? ' (on AWS variants pluto sets it from settings.kubernetes.hostname-override-source)' : '';
      return `--${c.flag} comes from settings.kubernetes.${name}${source}: it is left out only when that setting is not set in the user data`;
    }
    if (name) return setting(name, name === 'credential-providers' ? undefined : c.value);
    return `no Bottlerocket setting writes --${c.flag}: the exec-start template fixes it`;
  }
  return '';
}

/** Keys the kubelet-config template writes with a fixed value. */
const TEMPLATE_FIXED = new Set([
  'readOnlyPort', 'protectKernelDefaults', 'tlsCipherSuites', 'resolvConf', 'hairpinMode', 'cgroupDriver', 'cgroupRoot',
  'runtimeRequestTimeout', 'serializeImagePulls', 'volumePluginDir', 'staticPodPath', 'kubeReservedCgroup', 'systemReservedCgroup',
]);

const RENDERED = 'Bottlerocket renders this file from its settings at every boot and whenever a setting changes (thar-be-settings; /etc is a tmpfs): a change made here is lost, it belongs in the settings (apiclient, or [settings.kubernetes] in the user data)';

/** VARIANT_ID=aws-k8s-1.31 (or vmware-k8s-1.31, metal-k8s-1.30, …-nvidia, …-fips): the kubelet's minor version. */
const VARIANT = /^VARIANT_ID="?[a-z0-9]+-k8s-(1\.\d{1,3})(?:-[a-z0-9-]+)?"?$/m;

export const bottlerocket: Distribution = {
  name: 'bottlerocket',
  title: 'Bottlerocket',
  runs: 'process',
  // kubelet.service; the variant names the kubelet's minor version (the image ships exactly that kubelet)
  launch: withOsReleaseKubeletMinor(systemdLaunch(), (t) => VARIANT.exec(t)?.[1], 'VARIANT_ID names the kubelet\'s minor version'),
  marks: [
    { file: '/etc/os-release', pattern: /^ID="?bottlerocket"?$/m },
    { file: '/usr/lib/os-release', pattern: /^ID="?bottlerocket"?$/m },
    // the kubelet-config template, installed by the kubelet package (kubernetes-1.*.spec)
    { file: '/usr/share/templates/kubelet-config' },
  ],
  version: [
    { file: '/etc/os-release', pattern: /^VERSION_ID="?([^"\n]+)"?$/m },
    { file: '/usr/lib/os-release', pattern: /^VERSION_ID="?([^"\n]+)"?$/m },
  ],
  managed: [
    {
      // configuration-files of services.kubernetes (shared-defaults/kubernetes-services.toml)
      paths: [
        '/etc/kubernetes/kubelet/config', '/etc/kubernetes/kubelet/kubeconfig', '/etc/kubernetes/kubelet/bootstrap-kubeconfig',
        '/etc/kubernetes/kubelet/env', '/etc/kubernetes/kubelet/credential-provider-config.yaml', '/etc/kubernetes/pki/ca.crt',
        '/etc/kubernetes/pki/kubelet-server.crt', '/etc/kubernetes/pki/private/kubelet-server.key',
        '/etc/systemd/system/kubelet.service.d/exec-start.conf', '/etc/network/proxy.env',
      ],
      when: 'boot',
      why: RENDERED,
      instead: bottlerocketInstead,
    },
    {
      paths: ['/etc/'],
      when: 'boot',
      why: '/etc is a tmpfs on Bottlerocket, filled again at every boot: a file written there by hand is gone after a reboot; change the settings instead (apiclient set, or the user data)',
      instead: bottlerocketInstead,
    },
    {
      paths: ['/usr/', '/x86_64-bottlerocket-linux-gnu/', '/aarch64-bottlerocket-linux-gnu/'],
      when: 'boot',
      why: 'this is Bottlerocket\'s read-only root filesystem (verified by dm-verity): it cannot be changed on the node; it changes only with the image',
    },
  ],
  // Node object: osImage is Bottlerocket's PRETTY_NAME, "Bottlerocket OS 1.20.3 (aws-k8s-1.30)"
  // (bottlerocket-os/bottlerocket os-release: PRETTY_NAME="Bottlerocket OS <version> (<variant>)")
  nodeObject: [{ osImage: /^Bottlerocket OS [0-9]+\.[0-9]+\.[0-9]+/ }],
  benchmark: 'cis-eks',
  sources: [
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubelet.service',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubelet-exec-start-conf',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubelet-config',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubelet-env',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubelet-kubeconfig',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/credential-provider-config-yaml',
    'bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.31/kubernetes-1.31.spec',
    'bottlerocket-os/bottlerocket-core-kit packages/release/release.spec',
    'bottlerocket-os/bottlerocket-core-kit packages/filesystem/filesystem.spec',
    'bottlerocket-os/bottlerocket-core-kit sources/api/thar-be-settings/src/config.rs',
    'bottlerocket-os/bottlerocket sources/shared-defaults/kubernetes-services.toml',
    'bottlerocket-os/bottlerocket sources/shared-defaults/kubernetes-aws.toml',
    'bottlerocket-os/bottlerocket tools/rpm2img (os-release: VERSION_ID, VARIANT_ID; moved to twoliter in cf77c9b3)',
  ],
};

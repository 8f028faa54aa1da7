// OpenShift 4 (and OKD) on RHCOS/SCOS: the kubelet is its own process, started by kubelet.service
// through the exec wrapper kubenswrapper (which execs kubensenter or the kubelet with its argv
// unchanged). Every file the kubelet starts from is rendered by the machine-config-operator from
// the pool's MachineConfigs (templates/<role>/01-<role>-kubelet, templates/common) and written by
// the machine-config-daemon, which also checks their content and mode against the rendered config
// at every start (pkg/daemon/on_disk_validation.go checkFileContentsAndMode: a mismatch degrades
// the node) and writes them again on the next update. A kubelet setting is changed with a
// KubeletConfig resource (machineconfiguration.openshift.io/v1, spec.kubeletConfig), which the
// kubelet-config controller merges into /etc/kubernetes/kubelet.conf (pkg/controller/kubelet-config).
// Read from openshift/machine-config-operator release-4.20 (afed099): templates/worker/
// 01-worker-kubelet/_base/{units/kubelet.service.yaml,files/kubelet.yaml,files/kubenswrapper.yaml},
// templates/common/_base/{units/kubelet.service*.yaml,files/kubelet-*.yaml}, templates/common/aws.
import type { ManagedChange } from './types.ts';
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';
import { withOsReleaseKubeletMinor } from '../sources/launch/os-release.ts';

/**
 * OpenShift 4.N ships Kubernetes 1.(N+13) from 4.12 on (machine-config-operator release-4.N go.mod:
 * k8s.io/kubelet v0.25 in 4.12, v0.27 in 4.14, v0.29 in 4.16, v0.31 in 4.18, v0.33 in 4.20, v0.35
 * in 4.22); older releases are not mapped.
 */
export function openshiftKubeletMinor(osRelease: string): string | undefined {
  const m = /^OPENSHIFT_VERSION="?4\.(\d{1,3})"?$/m.exec(osRelease);
  const n = m ? Number(m[1]) : NaN;
  return n >= 12 && n <= 99 ? `1.${n + 13}` : undefined;
}

/** KubeletConfiguration fields a KubeletConfig may not set (pkg/controller/kubelet-config/helpers.go validateUserKubeletConfig). */
const FORBIDDEN: Readonly<Record<string, string>> = {
  cgroupDriver: 'the MCO refuses a KubeletConfig that sets cgroupDriver',
  clusterDNS: 'the MCO refuses a KubeletConfig that sets clusterDNS (it comes from the cluster\'s DNS service)',
  clusterDomain: 'the MCO refuses a KubeletConfig that sets clusterDomain',
  featureGates: 'the MCO refuses a KubeletConfig that sets featureGates: they come from the cluster\'s FeatureGate resource (featuregates.config.openshift.io/cluster)',
  failSwapOn: 'the MCO refuses a KubeletConfig that sets failSwapOn',
  memorySwap: 'the MCO refuses a KubeletConfig that sets memorySwap.swapBehavior',
};

/**
 * A KubeletConfig setting `key` (dotted) to `value` for the worker pool, as one line of YAML (flow
 * style) that `oc apply -f -` takes as it is.
 */
export function kubeletConfigExample(key: string, value: unknown): string {
  const setting = key.split('.').reduceRight<string>((inner, k) => `{${k}: ${inner}}`, JSON.stringify(value));
  return `{apiVersion: machineconfiguration.openshift.io/v1, kind: KubeletConfig, metadata: {name: kubelet-guard-worker}, spec: {machineConfigPoolSelector: {matchLabels: {pools.operator.machineconfiguration.openshift.io/worker: ""}}, kubeletConfig: ${setting}}}`;
}

/** Where a change to an MCO-rendered kubelet file belongs on OpenShift. */
export function openshiftInstead(c: ManagedChange): string {
  if (c.meta) return `its ${c.meta} is part of the MachineConfig that writes it: change it there (a MachineConfig of a later name that writes the same path wins), never by hand`;
  if (c.key !== undefined) {
    const top = c.key.split('.')[0]!;
    if (FORBIDDEN[top]) return `${FORBIDDEN[top]}; it cannot be changed on the node`;
    if (top === 'tlsCipherSuites' || top === 'tlsMinVersion') {
      return `${c.key} comes from the TLS security profile: set spec.tlsSecurityProfile in a KubeletConfig for the pool (or in the cluster's APIServer resource), e.g. \`type: Intermediate\``;
    }
    if (c.value === undefined) return `set ${c.key} in a KubeletConfig for the pool (spec.kubeletConfig), applied with \`oc apply -f\``;
    return `apply a KubeletConfig for the pool with \`oc apply -f -\` (its nodes are then updated and rebooted one by one): ${kubeletConfigExample(c.key, c.value)}`;
  }
  if (c.flag !== undefined) {
    if (c.flag === 'v') return 'the log level comes from spec.logLevel of a KubeletConfig';
    return `--${c.flag} is written in the MCO's kubelet.service template: it changes only with a MachineConfig that replaces the unit (unsupported), not on the node`;
  }
  return '';
}

const RENDERED = 'the machine-config-operator renders this file from the pool\'s MachineConfigs; the machine-config-daemon checks it at every start (a hand edit degrades the node: "content mismatch") and writes it again on the next update';

export const openshift: Distribution = {
  name: 'openshift',
  title: 'OpenShift',
  runs: 'process',
  // kubelet.service runs /usr/local/bin/kubenswrapper /usr/bin/kubelet …: the wrapper execs the rest
  launch: withOsReleaseKubeletMinor(systemdLaunch('kubelet.service', 'kubelet', ['kubenswrapper', 'kubensenter']), openshiftKubeletMinor, 'OPENSHIFT_VERSION 4.N ships Kubernetes 1.(N+13)'),
  marks: [
    // RHCOS writes ID="rhcos", OKD's CentOS Stream CoreOS ID="scos"
    { file: '/etc/os-release', pattern: /^ID="?(?:rhcos|scos)"?$/m },
    { file: '/usr/lib/os-release', pattern: /^ID="?(?:rhcos|scos)"?$/m },
    // the machine-config-daemon's state (pkg/daemon/constants/constants.go, daemon.go)
    { file: '/etc/machine-config-daemon' },
    { file: '/usr/local/bin/kubenswrapper' },
  ],
  version: [
    // OPENSHIFT_VERSION="4.20" is appended to os-release by the RHCOS build (openshift/os); VERSION
    // is the RHCOS build ("420.96.202611040917-0") when it is absent
    { file: '/etc/os-release', pattern: /^OPENSHIFT_VERSION="?([^"\n]+)"?$/m },
    { file: '/usr/lib/os-release', pattern: /^OPENSHIFT_VERSION="?([^"\n]+)"?$/m },
    { file: '/etc/os-release', pattern: /^VERSION="?([^"\n ]+)"?$/m },
  ],
  managed: [
    {
      paths: [
        '/etc/kubernetes/kubelet.conf', '/etc/systemd/system/kubelet.service', '/etc/systemd/system/kubelet.service.d/',
        '/etc/kubernetes/kubelet-ca.crt', '/etc/kubernetes/credential-providers/', '/etc/node-sizing-enabled.env',
        '/usr/local/bin/kubenswrapper',
      ],
      when: 'boot',
      why: RENDERED,
      instead: openshiftInstead,
    },
    {
      // written at every boot by units the MCO renders (kubelet-auto-node-size.service, aws-kubelet-nodename/-providerid)
      paths: ['/etc/node-sizing.env', '/etc/kubernetes/node.env', '/etc/openshift/kubelet.conf.d/'],
      when: 'boot',
      why: 'a unit of the machine-config-operator writes this file again before the kubelet starts (kubelet-auto-node-size.service from /etc/node-sizing-enabled.env; aws-kubelet-nodename/-providerid from the instance metadata): the change belongs in a KubeletConfig (spec.autoSizingReserved, spec.kubeletConfig.systemReserved)',
    },
    {
      paths: ['/usr/'],
      when: 'boot',
      why: '/usr is part of the read-only RHCOS image (rpm-ostree): it changes only with the release image',
    },
    {
      paths: ['/var/lib/kubelet/kubeconfig'],
      when: 'upgrade',
      why: 'the machine-config-daemon rewrites /var/lib/kubelet/kubeconfig when the kube-apiserver serving CA rotates (pkg/daemon/certificate_writer.go); check it again after a rotation',
    },
  ],
  kubelet: {
    // The kubelet is built from openshift/kubernetes (vendored in machine-config-operator
    // release-4.20 through its go.mod replace): a gate it does not know is only warned about
    // (vendor/k8s.io/component-base/featuregate/feature_gate.go: klog.Warningf("unrecognized feature
    // gate: %s") and continue; the carry "UPSTREAM: <carry>: warn only about unknown feature gates"),
    // which the MCO relies on to pass the cluster's OpenShift gates to the kubelet
    // (pkg/controller/kubelet-config/kubelet_config_features.go, openshiftOnlyFeatureGates).
    unknownFeatureGates: 'warn',
    // NodeLogQuery is on by default in that build (vendor/k8s.io/kubernetes/pkg/features/
    // kube_features.go: 1.27 alpha and 1.30 beta, Default: true; upstream: false), which the
    // template's `enableSystemLogQuery: true` needs
    gateDefaults: { NodeLogQuery: true },
  },
  // Node object: the machine-config-operator labels nodes node.openshift.io/os_id (rhcos, rhel);
  // osImage is RHCOS's PRETTY_NAME, "Red Hat Enterprise Linux CoreOS 416.94.202405291527-0"
  nodeObject: [{ label: 'node.openshift.io/os_id' }, { osImage: /^Red Hat Enterprise Linux CoreOS / }],
  benchmark: 'cis-openshift',
  sources: [
    'openshift/machine-config-operator templates/worker/01-worker-kubelet/_base/units/kubelet.service.yaml',
    'openshift/machine-config-operator templates/worker/01-worker-kubelet/_base/files/kubelet.yaml',
    'openshift/machine-config-operator templates/worker/01-worker-kubelet/_base/files/kubenswrapper.yaml',
    'openshift/machine-config-operator templates/common/_base/units/kubelet.service.yaml',
    'openshift/machine-config-operator templates/common/_base/units/kubelet.service-kubens.yaml',
    'openshift/machine-config-operator templates/common/_base/files/kubelet-log-level.yaml',
    'openshift/machine-config-operator templates/common/_base/files/kubelet-auto-sizing.yaml',
    'openshift/machine-config-operator templates/common/aws/units/kubelet-node-env.dropin.yaml',
    'openshift/machine-config-operator pkg/controller/kubelet-config/helpers.go',
    'openshift/machine-config-operator pkg/controller/kubelet-config/kubelet_config_features.go',
    'openshift/machine-config-operator pkg/daemon/on_disk_validation.go',
    'openshift/machine-config-operator pkg/daemon/certificate_writer.go',
    'openshift/machine-config-operator pkg/server/cluster_server.go',
  ],
};

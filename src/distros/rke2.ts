// RKE2: runs k3s's agent code (rancher/rke2 go.mod requires github.com/k3s-io/k3s) with its own data
// dir, config file and units, and starts the kubelet as a child process (rancher/rke2
// pkg/executor/staticpod/staticpod.go Kubelet: exec of `kubelet` from <data-dir>/data/<release>/bin).
// Live, that process's /proc cmdline is the truth; offline, the model rebuilds it as k3s does, plus
// RKE2's own words. `profile: cis` makes k3s write protectKernelDefaults: true into the defaults
// drop-in (pkg/cli/cmds/profile_linux.go setCISFlags), which the audit reads from the node.
import type { Distribution } from './types.ts';
import { k3sLaunch } from '../sources/launch/k3s.ts';

export const RKE2_BY = 'RKE2 (k3s-io/k3s pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig, run by rancher/rke2)';

export const rke2: Distribution = {
  name: 'rke2',
  title: 'RKE2',
  runs: 'child',
  launch: k3sLaunch({
    program: 'rke2',
    // bundle/lib/systemd/system/rke2-{server,agent}.service, installed to /usr/local/lib/systemd/system (tarball) or /usr/lib/systemd/system (RPM)
    units: ['rke2-server.service', 'rke2-agent.service'],
    configFile: '/etc/rancher/rke2/config.yaml',
    dataDir: '/var/lib/rancher/rke2',
    by: RKE2_BY,
    // pkg/cli/defaults/defaults.go Set: prepended to the user's kubelet-arg, then taken out again
    // with the other klog flags by pkg/logging/logging.go ExtractFromArgs
    prependedArgs: {
      words: ['stderrthreshold=FATAL', 'log-file-max-size=50', 'alsologtostderr=false', 'logtostderr=false', 'log-file=/var/lib/rancher/rke2/agent/logs/kubelet.log'],
      by: 'RKE2 (rancher/rke2 pkg/cli/defaults/defaults.go Set)',
    },
    leadingArgs: {
      words: ['--volume-plugin-dir=/var/lib/kubelet/volumeplugins', '--file-check-frequency=5s', '--sync-frequency=30s'],
      by: 'RKE2 (rancher/rke2 pkg/executor/staticpod/staticpod.go Kubelet)',
    },
    stripKlog: true,
    versionLink: { path: '/var/lib/rancher/rke2/bin', pattern: /\/v(\d+\.\d+\.\d+)-rke2r\d+-[0-9a-f]+\/bin\/?$/ },
    live: 'child',
  }),
  marks: [
    { unit: 'rke2-server.service' },
    { unit: 'rke2-agent.service' },
    { file: '/etc/rancher/rke2/config.yaml' },
    { file: '/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/00-rke2-defaults.conf' },
    { file: '/var/lib/rancher/rke2/agent' },
  ],
  // <data-dir>/bin is a symlink to data/<tag>-<12 hex>/bin (pkg/bootstrap/bootstrap.go releaseRefDigest, Stage)
  version: [{ link: '/var/lib/rancher/rke2/bin', pattern: /\/(v\d+\.\d+\.\d+-rke2r\d+)-[0-9a-f]+\/bin\/?$/ }],
  managed: [
    {
      paths: ['/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/00-rke2-defaults.conf'],
      when: 'boot',
      why: 'RKE2 writes this drop-in again at every start from its own settings (k3s pkg/daemons/agent/agent.go writeKubeletConfig): set the kubelet flag with kubelet-arg in /etc/rancher/rke2/config.yaml, or put a KubeletConfiguration drop-in of your own after it in the same folder, and restart rke2-server or rke2-agent',
    },
    {
      paths: ['/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/10-cli-config.conf', '/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/20-cli-config-dir/'],
      when: 'boot',
      why: 'RKE2 copies this at every start from the file named by kubelet-arg config= or config-dir= in /etc/rancher/rke2/config.yaml: change that file, and restart RKE2',
    },
    {
      paths: [
        '/var/lib/rancher/rke2/agent/kubelet.kubeconfig',
        '/var/lib/rancher/rke2/agent/client-ca.crt',
        '/var/lib/rancher/rke2/agent/server-ca.crt',
        '/var/lib/rancher/rke2/agent/serving-kubelet.crt',
        '/var/lib/rancher/rke2/agent/serving-kubelet.key',
        '/var/lib/rancher/rke2/agent/client-kubelet.crt',
        '/var/lib/rancher/rke2/agent/client-kubelet.key',
      ],
      when: 'boot',
      why: 'RKE2 writes the agent\'s kubeconfigs, certificates and keys again at every start: a change here does not last',
    },
    {
      paths: ['/usr/local/lib/systemd/system/rke2-server.service', '/usr/local/lib/systemd/system/rke2-agent.service', '/usr/lib/systemd/system/rke2-server.service', '/usr/lib/systemd/system/rke2-agent.service'],
      when: 'upgrade',
      why: 'the RKE2 tarball or RPM installs this unit again on upgrade: set kubelet-arg in /etc/rancher/rke2/config.yaml instead, or the change is undone',
    },
  ],
  restart: 'restart RKE2, which starts the kubelet (systemctl daemon-reload && systemctl restart rke2-server, or rke2-agent on an agent)',
  flagHint: 'add `{flag}` to kubelet-arg in /etc/rancher/rke2/config.yaml and restart rke2-server (or rke2-agent)',
  // Node object: kubeletVersion is RKE2's version, v1.30.4+rke2r1 (rancher/rke2 scripts/version.sh:
  // ^v(\d+)\.(\d+)\.(\d+)([-+][a-zA-Z0-9.]+)?[-+](rke2r[0-9]+|dev.*)$)
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+(?:[-+][A-Za-z0-9.]+)?[-+]rke2r[0-9]+$/ }],
  benchmark: 'cis-rke2',
  sources: [
    'rancher/rke2 pkg/executor/staticpod/staticpod.go (Kubelet)',
    'rancher/rke2 pkg/cli/defaults/defaults.go (Set)',
    'rancher/rke2 pkg/logging/logging.go (ExtractFromArgs)',
    'rancher/rke2 pkg/cli/cmds/profile_linux.go (setCISFlags)',
    'rancher/rke2 pkg/cli/cmds/root.go (DisableSliceFlagSeparator, kubelet-path)',
    'rancher/rke2 pkg/bootstrap/bootstrap.go (releaseRefDigest, symlinkBinDir)',
    'rancher/rke2 bundle/lib/systemd/system/rke2-server.service, rke2-agent.service',
    'k3s-io/k3s pkg/daemons/agent (kubelet defaults, as for k3s)',
  ],
};

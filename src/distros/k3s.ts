// K3s: the kubelet runs inside the `k3s server` / `k3s agent` process (k3s-io/k3s
// pkg/daemons/executor/embed.go: the kubelet's own command is run in-process), so no process of its
// own shows its command line. The model (src/sources/launch/k3s.ts) rebuilds it from the unit
// install.sh writes, /etc/rancher/k3s/config.yaml and config.yaml.d/*.yaml (kubelet-arg), and k3s's
// own defaults: since v1.32 a KubeletConfiguration drop-in it writes at every start plus
// --config-dir, --kubeconfig and (from v1.32.4) --read-only-port=0 on the command line.
import type { Distribution } from './types.ts';
import { k3sLaunch } from '../sources/launch/k3s.ts';

/**
 * Where k3s's default kubelet words are set: read in the stored k3s-io/k3s sources of the v1.32 to
 * v1.37 development lines (no tagged snapshot could be fetched: the repository is over the size
 * limit), which agree on these words.
 */
export const K3S_BY = 'k3s (k3s-io/k3s pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig)';

export const k3s: Distribution = {
  name: 'k3s',
  title: 'K3s',
  runs: 'embedded',
  launch: k3sLaunch({
    program: 'k3s',
    // install.sh: SYSTEMD_NAME=k3s for a server, k3s-agent for an agent, in /etc/systemd/system
    units: ['k3s.service', 'k3s-agent.service'],
    // pkg/configfilearg/defaultparser.go: DefaultConfig /etc/rancher/k3s/config.yaml, EnvName K3S_CONFIG_FILE
    configFile: '/etc/rancher/k3s/config.yaml',
    // pkg/datadir/datadir.go DefaultDataDir
    dataDir: '/var/lib/rancher/k3s',
    by: K3S_BY,
    live: 'embedded',
  }),
  marks: [
    { unit: 'k3s.service' },
    { unit: 'k3s-agent.service' },
    { file: '/etc/rancher/k3s/config.yaml' },
    { file: '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf' },
    { file: '/var/lib/rancher/k3s/agent' },
  ],
  // No file on a k3s node names its version: the data dir is named by a hash of the binary's
  // contents (cmd/k3s/main.go getAssetAndDir), install.sh writes no version; --kubelet-version gives it.
  version: [],
  managed: [
    {
      paths: ['/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf'],
      when: 'boot',
      why: 'k3s writes this drop-in again at every start from its own settings (pkg/daemons/agent/agent.go writeKubeletConfig): set the kubelet flag with kubelet-arg in /etc/rancher/k3s/config.yaml, or put a KubeletConfiguration drop-in of your own after it in the same folder, and restart k3s',
    },
    {
      paths: ['/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/10-cli-config.conf', '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/20-cli-config-dir/'],
      when: 'boot',
      why: 'k3s copies this at every start from the file named by kubelet-arg config= or config-dir= in /etc/rancher/k3s/config.yaml (pkg/daemons/agent/agent.go extractConfigArgs): change that file, and restart k3s',
    },
    {
      paths: [
        '/var/lib/rancher/k3s/agent/kubelet.kubeconfig',
        '/var/lib/rancher/k3s/agent/client-ca.crt',
        '/var/lib/rancher/k3s/agent/server-ca.crt',
        '/var/lib/rancher/k3s/agent/serving-kubelet.crt',
        '/var/lib/rancher/k3s/agent/serving-kubelet.key',
        '/var/lib/rancher/k3s/agent/client-kubelet.crt',
        '/var/lib/rancher/k3s/agent/client-kubelet.key',
      ],
      when: 'boot',
      why: 'k3s writes the agent\'s kubeconfigs, certificates and keys again at every start (pkg/agent/config/config.go): a change here does not last',
    },
    {
      paths: ['/etc/systemd/system/k3s.service', '/etc/systemd/system/k3s-agent.service', '/etc/systemd/system/k3s.service.env', '/etc/systemd/system/k3s-agent.service.env'],
      when: 'upgrade',
      why: 'install.sh writes the unit and its .env file again when it is run (to upgrade): also set kubelet-arg in /etc/rancher/k3s/config.yaml, or pass it to install.sh (INSTALL_K3S_EXEC), or the change is undone',
    },
  ],
  restart: 'restart k3s, which runs the kubelet (systemctl daemon-reload && systemctl restart k3s, or k3s-agent on an agent)',
  flagHint: 'add `{flag}` to kubelet-arg in /etc/rancher/k3s/config.yaml and restart k3s',
  // Node object: kubeletVersion is k3s's own version, the Kubernetes tag plus +k3sN (k3s-io/k3s
  // scripts/version.sh: VERSION=$GIT_TAG, checked against ^$VERSION_K8S[+-]; untagged builds +k3s-<commit>)
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.]+)?\+k3s(?:[0-9]+|-[0-9a-f]{8})/ }],
  benchmark: 'cis-k3s',
  sources: [
    'k3s-io/k3s pkg/daemons/agent/agent_linux.go (kubeletArgsAndConfig)',
    'k3s-io/k3s pkg/daemons/agent/agent.go (startKubelet, extractConfigArgs, writeKubeletConfig, defaultKubeletConfig)',
    'k3s-io/k3s pkg/util/args.go (GetArgs)',
    'k3s-io/k3s pkg/configfilearg/parser.go (readConfigFile, dotDFiles)',
    'k3s-io/k3s pkg/cli/server/server.go, pkg/cli/agent/agent.go (SetProcTitle)',
    'k3s-io/k3s cmd/k3s/main.go (data dir, current symlink)',
    'k3s-io/k3s install.sh (k3s.service, k3s-agent.service, EnvironmentFile)',
    'k3s-io/k3s#12164, #12165 (read-only port 10255 on v1.32.0..v1.32.3)',
  ],
};

// Facts: plain, JSON-able data gathered by sources and judged by checks. A live node, an offline
// root and (later) a remote probe or the API server produce the same shapes, so one check serves all.
import type { StatResult } from '../sources/root-fs.ts';
import type { DistributionFact } from '../distros/types.ts';

/** Where a value came from. `file` and `line` (1-based) where its text is in a file. */
export interface Provenance {
  kind: 'flag' | 'config-file' | 'drop-in' | 'flag-default' | 'config-default' | 'configz' | 'distribution-default';
  file?: string;
  line?: number;
  /** e.g. the flag text `--read-only-port=10255`, or "the file writes 0s; the defaulter replaces zero". */
  detail?: string;
}

export type SettingValue = boolean | number | string | string[] | Record<string, unknown> | null;

/** One setting of the effective configuration. `unknown` says why the value cannot be known. */
export interface EffectiveSetting {
  value: SettingValue;
  source: Provenance;
  unknown?: string;
}

/** Keyed by setting: a v1beta1 JSON path, or a flag (`--hostname-override`) for flag-only settings. */
export type EffectiveConfig = Record<string, EffectiveSetting>;

/** One word of the kubelet's argv with where its text was written. */
export interface Arg {
  text: string;
  file?: string;
  line?: number;
  /** how it got there, e.g. `$KUBELET_EXTRA_ARGS from /etc/default/kubelet`. */
  via?: string;
  /** a word the distribution itself adds (not the user's): who adds it and where that is written, e.g. "k3s (k3s-io/k3s pkg/daemons/agent/agent_linux.go)" */
  by?: string;
  /**
   * A word that stands in a YAML file as a list item or scalar of its own (k3s's config.yaml
   * `kubelet-arg`): its path from the document's root and its text there ("anonymous-auth=true"),
   * so that a fix can set that item. Not reported.
   */
  yaml?: { path: Array<string | number>; text: string };
}

/** A flag after pflag parsing. */
export interface ParsedFlag {
  name: string; // without dashes, normalized (underscores → dashes)
  value: string; // "true" for a bare bool flag
  text: string; // as written, e.g. `--read-only-port=0`
  file?: string;
  line?: number;
  /** the distribution adds it itself (Arg.by) */
  by?: string;
}

/** Something the evidence says that a check should report (a file the kubelet would refuse, …). */
export interface Diagnostic {
  code: string; // stable, e.g. `config-invalid`, `dropin-invalid`, `unit-parse`, `flag-invalid`
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  message: string;
  file?: string;
  line?: number;
  /** whether the kubelet would refuse to start with this evidence. */
  fatal?: boolean;
  /** a refusal only some kubelet versions make, the version being unknown: the versions that refuse ("1.27 and later") */
  versions?: string;
}

export interface KubeletInvocation {
  /** how it was found: a running process, the systemd unit that would start it, or the distribution's own files (k3s's config.yaml, MicroK8s's args file) */
  from: 'process' | 'systemd-unit' | 'manual' | 'distribution';
  pid?: number;
  argv: Arg[];
  /** environment of the process (names only are kept for secrets' sake, values redacted by reporters). */
  env: Record<string, string>;
  unit?: { file: string; dropIns: string[] };
  flags: ParsedFlag[];
}

export interface CertificateFact {
  path: string;
  role: 'serving' | 'client' | 'client-ca';
  stat: StatResult;
  error?: string;
  subject?: string;
  issuer?: string;
  selfSigned?: boolean;
  notBefore?: string; // ISO 8601
  notAfter?: string;
  keyType?: string;
  keyBits?: number;
  sans?: string[];
  /** how the kubelet came to use it: `tlsCertFile`, `self-signed in cert dir`, `rotated server certificate`, … */
  origin: string;
  /** the private key's file (the same file for a combined PEM), for mode checks; never its content */
  key?: StatResult;
  /** further certificates in the same PEM (intermediates), same fields as above */
  chain?: Array<Pick<CertificateFact, 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'selfSigned' | 'keyType' | 'keyBits'>>;
}

export interface KubeProxyFacts {
  /** whether kube-proxy runs from this node's own files (a systemd unit or a process) */
  present: boolean;
  /** where its settings were found (unit file, process), or why there is no evidence */
  source?: string;
  metricsBindAddress?: { value: string; source: Provenance };
  /** node path of its --kubeconfig, stat'd in NodeFacts.files */
  kubeconfig?: string;
  /** why its settings cannot be known (a config file unreadable, …) */
  unknown?: string;
}

export interface KubeletFacts {
  invocation?: KubeletInvocation;
  /** why there is no invocation (not found, not root, …). */
  missing?: string;
  /** the kubelet version where known, with its source. */
  version?: { value: string; source: string };
  configFile?: string; // node path of --config
  configDir?: string; // node path of --config-dir
  dropIns: string[];
  effective: EffectiveConfig;
  diagnostics: Diagnostic[];
  /** why part of the kubelet's command line could not be seen (every setting a flag could set is then unknown) */
  commandLineHidden?: string;
}

export interface NodeFacts {
  target: string; // "live node" or the --root folder
  /** the distribution found (or named by --distribution), its version and why; absent for facts not read from a node's files (scan, cluster) */
  distribution?: DistributionFact;
  mode: 'live' | 'offline';
  /** whether the evidence could be read fully (live mode needs root). */
  privileged: boolean;
  privilegeNote?: string;
  /** node paths the audit was refused (EACCES, EPERM) */
  unreadable: string[];
  /** static pods from the effective staticPodPath (issue 3) */
  staticPods?: StaticPodFacts;
  /** control-plane components on this node: manifests or, live, processes (issue 3) */
  controlPlane?: ControlPlaneFacts;
  /** container runtime sockets (issue 3) */
  runtimeSockets?: RuntimeSocketFacts;
  /** TCP listeners joined to processes, live mode only (issue 3) */
  listeners?: ListenerFacts;
  kubelet: KubeletFacts;
  /** the node's operating system where the evidence shows it (absent: unknown), with how it is known */
  os?: { value: 'linux' | 'windows'; source: string };
  /** stat of every file a check may ask about, keyed by node path (absent: not examined). */
  files: Record<string, StatResult>;
  certificates: CertificateFact[];
  kubeProxy: KubeProxyFacts;
  /** current time, so checks stay pure (certificate expiry). */
  now: string;
}

// ---- Issue 3: the other API-server bypasses seen from a node ---------------------------------

/** A hostPath volume and where the pod mounts it. */
export interface HostPathMount {
  volume: string;
  path: string; // the host path, as written
  /** the host path with every symlink on the node followed, when it differs from the path written */
  realPath?: string;
  type?: string; // hostPath.type
  line?: number;
  /** containers (by name) that mount it, with mountPath and whether read-only */
  mounts: Array<{ container: string; mountPath: string; readOnly: boolean; line?: number }>;
}

export interface ContainerFact {
  name: string;
  image?: string;
  command: string[];
  args: string[];
  privileged: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilitiesAdd: string[];
  runAsUser?: number;
  line?: number;
  init?: boolean;
  /** lines of the fields a fix names */
  lines?: { privileged?: number; capabilitiesAdd?: number };
  /** the YAML line of each command and args word (same order as command, args) */
  commandLines?: Array<number | undefined>;
  argsLines?: Array<number | undefined>;
  /** env entries by name; a value is kept only for ETCD_* variables whose name is not secret-like */
  env?: Array<{ name: string; line?: number; valueFrom: boolean; value?: string }>;
  /** the container takes variables from envFrom (ConfigMaps or Secrets the node cannot see) */
  envFrom?: { line?: number };
}

/** One pod as the kubelet would run it from a static manifest. */
export interface PodFact {
  name: string;
  /** as written; empty means "default" (the kubelet defaults it) */
  namespace: string;
  line?: number;
  hostNetwork: boolean;
  hostPID: boolean;
  hostIPC: boolean;
  containers: ContainerFact[];
  hostPaths: HostPathMount[];
  labels: Record<string, string>;
  /** lines of the fields a fix names */
  lines?: { name?: number; namespace?: number; hostNetwork?: number; hostPID?: number; hostIPC?: number };
}

/** One file in the static pod folder. */
export interface ManifestFact {
  path: string; // node path
  stat: StatResult;
  /** why the kubelet ignores this entry (dot file, folder, not a regular file) */
  ignored?: string;
  /** why it cannot be read or parsed (the kubelet skips it too) */
  error?: string;
  line?: number;
  /** the pods the kubelet runs from it (a Pod or the items of a PodList) */
  pods: PodFact[];
  /** further YAML documents the kubelet does not read */
  extraDocuments?: number;
  /** the audit could not read the file (EACCES, over its cap): the kubelet may still run it */
  unreadable?: string;
  /** the manifest is a symlink: the node path it resolves to (the kubelet reads the target) */
  linkTarget?: string;
}

export interface StaticPodFacts {
  /** the effective staticPodPath ("" = none) */
  path: string;
  /** stat of the folder (or file) */
  stat?: StatResult;
  /** why the manifests cannot be known */
  unknown?: string;
  manifests: ManifestFact[];
  /** the effective staticPodURL, credentials redacted ("" = none) */
  url: string;
}

/** A flag of a control-plane binary, parsed from a pod spec's command/args or a process argv. */
export interface ComponentFlag {
  name: string;
  value: string;
  text: string;
  file?: string;
  line?: number;
}

export type ComponentName = 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler';

export interface ComponentFacts {
  name: ComponentName;
  from: 'manifest' | 'process';
  file?: string;
  pid?: number;
  flags: ComponentFlag[];
  /** why its flags cannot be known */
  unknown?: string;
  /** read through the API server from a pod (`file` is then `pod <namespace>/<name>`), not from the node */
  apiPod?: { node: string; namespace: string; mirror: boolean; source?: string; owner?: string };
}

/** What the node's /etc/passwd and /etc/group say of an `etcd` account (CIS 1.1.12 wants etcd:etcd). */
export interface EtcdAccount {
  /** the `etcd` user (absent: /etc/passwd has none) */
  user?: { uid: number; gid: number };
  /** the `etcd` group (absent: /etc/group has none) */
  group?: { gid: number };
  /** why the files cannot be read; users from NSS sources other than the files (LDAP, sssd) are never seen */
  unknown?: string;
}

export interface ControlPlaneFacts {
  components: ComponentFacts[];
  /** present when etcd runs on this node */
  etcdAccount?: EtcdAccount;
  /** files CIS 1.1.x and the etcd checks ask about (PKI, etcd data folder), by node path, stat'ed in NodeFacts.files */
  files: string[];
  /** parsed certificates the etcd/API-server checks compare (etcd CA vs cluster CA), by node path;
   *  fingerprint256 lists every certificate of the file, comma-separated, in file order */
  certificates: Record<string, { fingerprint256?: string; subject?: string; error?: string }>;
}

export interface RuntimeSocketFact {
  path: string; // node path
  /** how it was found: `containerRuntimeEndpoint`, `known location (containerd)`, … */
  source: string;
  stat: StatResult;
  owner?: string; // user name from /etc/passwd
  group?: string; // group name from /etc/group
  groupMembers?: string[];
}

export interface RuntimeSocketFacts {
  sockets: RuntimeSocketFact[];
  /** why the endpoint cannot be known (remote endpoint, unknown setting) */
  unknown?: string;
}

export interface Listener {
  proto: 'tcp' | 'tcp6';
  address: string; // "0.0.0.0", "127.0.0.1", "::", "::1", …
  port: number;
  inode: number;
  pid?: number;
  process?: string; // comm / argv[0] basename
  /** argv[1] when it is a subcommand word ("kubelet" of hyperkube, "agent" of k3s); never a flag or value */
  subcommand?: string;
}

export interface ListenerFacts {
  /** live mode only; offline there are none to read */
  available: boolean;
  unknown?: string;
  listeners: Listener[];
  /** what the scan could not read (processes whose fds were unreadable, …) */
  note?: string;
  /** whether /proc/net is the node's own network namespace (pid 1's); absence only counts then */
  sameNetnsAsInit?: boolean;
  /** what of the listener evidence could not be read (pid 1's network namespace, processes' fds, a bound hit): the evidence is partial */
  incomplete?: string[];
}

// The control-plane components on this node, with their flags parsed the way each binary parses
// them, and the files CIS 1.1 and the etcd checks ask about (kubelet-facts §7).
//
// Where components come from:
// - static pod manifests (StaticPodFacts, from the effective staticPodPath): a regular container
//   whose command[0] basename is kube-apiserver, etcd, kube-controller-manager or kube-scheduler,
//   or, failing that, the pod's `component` label (kubeadm labels its pods so);
// - live mode only, running processes (/proc/<pid>/cmdline) for a component no manifest names
//   (etcd or an API server started by systemd, kubernetes-the-hard-way style).
//
// How flags are read:
// - kube-apiserver, kube-controller-manager, kube-scheduler use spf13/pflag (component-base
//   cli.Run sets cliflag.WordSepNormalizeFunc, so `_` is `-`): `--f=v` or `--f v` for non-bool
//   flags (the next word is taken whatever it looks like), bool flags only `--f` or `--f=v`;
//   scalar flags: the last one wins; StringSlice flags (--authorization-mode,
//   --enable-admission-plugins, --disable-admission-plugins, --admission-control): the first use
//   replaces the default and every further use appends (pflag stringSlice.Set), each value read
//   as CSV. All occurrences are kept here; `sliceFlag` and `lastFlag` give the effective value.
// - etcd (3.4, 3.5, 3.6: etcd-io/etcd server/etcdmain/config.go, embed/config.go AddFlags) uses
//   Go's `flag` package on its own FlagSet: `-f` and `--f` alike, `=v` or ` v` for non-bool
//   flags, bool flags (client-cert-auth, auto-tls, peer-client-cert-auth, peer-auto-tls, …) only
//   `--f` or `--f=v` (strconv.ParseBool). Parsing stops at the first word that is not a flag,
//   and etcd then refuses to start (`"x" is not a valid flag`): `--client-cert-auth true` does
//   not start. A flag not given on the command line is read from ETCD_<FLAG_NAME> in the
//   environment (pkg/flags SetFlagsFromEnv: upper case, `-` → `_`, empty values ignored); a
//   variable that names a flag also given on the command line makes etcd 3.5+ exit ("conflicting
//   environment variable is shadowed by corresponding command-line flag"). --config-file (or
//   ETCD_CONFIG_FILE) makes etcd ignore every other flag and variable.
//
// Paths in a static pod's flags are container paths: they are turned into node paths through the
// pod's hostPath volumes (`nodePathOf`); a path no hostPath covers lives in the container image
// and cannot be examined from the node.
//
// Safety: key files are stat'ed, never read; certificates are parsed for their fingerprint and
// subject only; of the container environment only the ETCD_* variables of the settings checks
// judge keep their values, other variables are not kept at all.
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { ComponentFacts, ComponentFlag, ComponentName, ContainerFact, ControlPlaneFacts, EtcdAccount, ManifestFact, PodFact, StaticPodFacts } from '../facts/types.ts';
import { KUBEADM_ETCD_CA } from '../facts/paths.ts';
import { MAX_CERT_BYTES, parsePem } from './certificates.ts';
import { findProcesses } from './proc.ts';
import { normalize, type RootFs, type StatResult } from './root-fs.ts';

export const COMPONENTS: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** kubeadm's PKI folder (CIS 1.1.19–1.1.21). */
export const PKI_DIR = '/etc/kubernetes/pki';
/** The cluster CA when the API server names none (kubeadm). */
export const DEFAULT_CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';
/** kubeadm's kubeconfig files (CIS 1.1.13–1.1.18). */
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
export const SUPER_ADMIN_CONF = '/etc/kubernetes/super-admin.conf';
export const SCHEDULER_CONF = '/etc/kubernetes/scheduler.conf';
export const CONTROLLER_MANAGER_CONF = '/etc/kubernetes/controller-manager.conf';
/** systemd unit files that would start a component outside static pods (seen offline too). */
export const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
/** A `files` entry `<folder>/*` says the folder could not be listed (or not fully): its `error` says why. */
export const UNLISTED = '/*';
/** The ComponentFlag that says etcd's environment cannot be fully known (its `text` says why). */
export const ENV_UNKNOWN = '(environment)';


const MAX_PKI_ENTRIES = 2000;
const MAX_PKI_DEPTH = 8;

// ─── Flag kinds ─────────────────────────────────────────────────────────────────────────────────

// Bool flags of the Kubernetes components (pflag BoolVar, and --version's NoOptDefVal "true"):
// `--f` alone is true and the next word is never taken as its value.
const KUBE_COMMON_BOOLS = [
  'alsologtostderr', 'logtostderr', 'add-dir-header', 'skip-headers', 'skip-log-headers', 'one-output', 'log-json-split-stream',
  'contention-profiling', 'profiling', 'permit-address-sharing', 'permit-port-sharing', 'version', 'help',
  'authentication-skip-lookup', 'authentication-tolerate-lookup-failure', 'leader-elect', 'disable-http2-serving',
];
const KUBE_BOOLS: Record<Exclude<ComponentName, 'etcd'>, Set<string>> = {
  'kube-apiserver': new Set([
    ...KUBE_COMMON_BOOLS, 'allow-privileged', 'anonymous-auth', 'enable-aggregator-routing', 'enable-bootstrap-token-auth',
    'enable-garbage-collector', 'enable-logs-handler', 'enable-priority-and-fairness', 'encryption-provider-config-automatic-reload',
    'service-account-extend-token-expiration', 'service-account-lookup', 'watch-cache', 'aggregator-reject-forwarding-redirect',
    'shutdown-send-retry-after', 'audit-log-compress', 'audit-log-batch-throttle-enable', 'audit-webhook-batch-throttle-enable',
    'audit-log-truncate-enabled', 'audit-webhook-truncate-enabled', 'enable-swagger-ui', 'kubelet-https', 'emulation-forward-compatible',
    'runtime-config-emulation-forward-compatible', 'enable-admission-plugins-defaults',
  ]),
  'kube-controller-manager': new Set([
    ...KUBE_COMMON_BOOLS, 'use-service-account-credentials', 'allocate-node-cidrs', 'enable-dynamic-provisioning',
    'enable-hostpath-provisioner', 'enable-taint-manager', 'enable-garbage-collector', 'disable-attach-detach-reconcile-sync',
    'configure-cloud-routes', 'pv-recycler-increment-timeout-nfs', 'show-hidden-metrics-for-version-bool',
  ]),
  'kube-scheduler': new Set([...KUBE_COMMON_BOOLS]),
};
// Non-bool flags known by name: `--f` followed by a word takes it as the value, as pflag does.
// A bare flag known as neither, followed by a word that starts with `-`, is ambiguous (see below).
const KUBE_VALUED = new Set([
  'advertise-address', 'authorization-mode', 'authorization-config', 'authorization-webhook-config-file', 'authorization-webhook-version',
  'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl', 'authorization-policy-file',
  'authentication-config', 'client-ca-file', 'enable-admission-plugins', 'disable-admission-plugins', 'admission-control',
  'admission-control-config-file', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile', 'etcd-servers', 'kubelet-client-certificate',
  'kubelet-client-key', 'kubelet-certificate-authority', 'kubelet-preferred-address-types', 'proxy-client-cert-file',
  'proxy-client-key-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix',
  'requestheader-group-headers', 'requestheader-username-headers', 'secure-port', 'service-account-issuer', 'service-account-key-file',
  'service-account-signing-key-file', 'service-cluster-ip-range', 'tls-cert-file', 'tls-private-key-file', 'token-auth-file',
  'bind-address', 'kubeconfig', 'authentication-kubeconfig', 'authorization-kubeconfig', 'cluster-cidr', 'cluster-name',
  'cluster-signing-cert-file', 'cluster-signing-key-file', 'controllers', 'root-ca-file', 'service-account-private-key-file',
  'feature-gates', 'v', 'vmodule', 'audit-log-path', 'audit-policy-file', 'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize',
  'encryption-provider-config', 'tls-cipher-suites', 'tls-min-version', 'runtime-config', 'cloud-provider', 'node-cidr-mask-size',
  'config', 'master', 'requestheader-uid-headers', 'egress-selector-config-file', 'api-audiences', 'service-node-port-range',
]);

// etcd's bool flags (Go flag BoolVar) in 3.4–3.6; the flags CIS 2 names are among them.
const ETCD_BOOLS = new Set([
  'client-cert-auth', 'auto-tls', 'peer-client-cert-auth', 'peer-auto-tls', 'strict-reconfig-check', 'enable-v2', 'pre-vote', 'debug',
  'force-new-cluster', 'version', 'enable-pprof', 'enable-grpc-gateway', 'socket-reuse-port', 'socket-reuse-address', 'enable-log-rotation',
  'unsafe-no-fsync', 'experimental-initial-corrupt-check', 'experimental-enable-lease-checkpoint', 'experimental-enable-lease-checkpoint-persist',
  'experimental-memory-mlock', 'experimental-txn-mode-write-with-shared-buffer', 'experimental-enable-distributed-tracing',
  'experimental-stop-grpc-service-on-defrag', 'experimental-compact-hash-check-enabled', 'experimental-peer-skip-client-san-verification',
  'peer-skip-client-san-verification', 'enable-distributed-tracing', 'help', 'h',
]);
const ETCD_VALUED = new Set([
  'name', 'data-dir', 'wal-dir', 'listen-peer-urls', 'listen-client-urls', 'listen-client-http-urls', 'listen-metrics-urls',
  'advertise-client-urls', 'initial-advertise-peer-urls', 'initial-cluster', 'initial-cluster-state', 'initial-cluster-token',
  'cert-file', 'key-file', 'trusted-ca-file', 'client-crl-file', 'client-cert-file', 'client-key-file', 'peer-cert-file', 'peer-key-file',
  'peer-trusted-ca-file', 'peer-crl-file', 'peer-client-cert-file', 'peer-client-key-file', 'peer-cert-allowed-cn', 'peer-cert-allowed-hostname',
  'client-cert-allowed-hostname', 'cipher-suites', 'tls-min-version', 'tls-max-version', 'snapshot-count', 'heartbeat-interval',
  'election-timeout', 'quota-backend-bytes', 'auto-compaction-retention', 'auto-compaction-mode', 'log-level', 'logger', 'log-outputs',
  'metrics', 'max-request-bytes', 'max-snapshots', 'max-wals', 'config-file', 'discovery', 'discovery-srv', 'discovery-fallback',
  'feature-gates', 'experimental-watch-progress-notify-interval', 'watch-progress-notify-interval', 'experimental-corrupt-check-time',
  'experimental-compaction-batch-limit', 'experimental-warning-apply-duration', 'grpc-keepalive-min-time', 'grpc-keepalive-interval',
  'grpc-keepalive-timeout', 'cors', 'host-whitelist', 'auth-token', 'v2-deprecation', 'max-txn-ops', 'max-concurrent-streams',
]);

/** etcd flags whose ETCD_* variable keeps its value (the settings the etcd and CIS checks judge). */
export const ETCD_CHECKED_FLAGS = [
  'cert-file', 'key-file', 'client-cert-auth', 'auto-tls', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-client-cert-auth',
  'peer-auto-tls', 'peer-trusted-ca-file', 'listen-client-urls', 'listen-client-http-urls', 'listen-metrics-urls', 'listen-peer-urls',
  'data-dir', 'name', 'config-file',
] as const;

/** pkg/flags FlagToEnv: ETCD_ + upper case, `-` → `_`. */
export function etcdEnvName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────────

export function readControlPlane(
  fs: RootFs,
  staticPods: StaticPodFacts | undefined,
  live: boolean,
): { controlPlane: ControlPlaneFacts; files: Record<string, StatResult> } {
  const components: ComponentFacts[] = [];
  for (const m of staticPods?.manifests ?? []) {
    if (m.ignored || m.error) continue;
    components.push(...fromManifest(m));
  }
  if (live) {
    for (const name of COMPONENTS) {
      if (components.some((c) => c.name === name)) continue;
      for (const p of findProcesses(fs, name).found) components.push(fromProcess(name, p.pid, p.argv.slice(1), p.env, p.envError));
    }
  }

  const files: Record<string, StatResult> = {};
  const stat = (p: string | undefined): void => {
    if (p && !(p in files)) files[p] = fs.stat(p);
  };
  const cp: ControlPlaneFacts = { components, files: [], certificates: {} };

  // Unit files that would start a component outside static pods (an offline audit sees no processes).
  for (const name of COMPONENTS) for (const dir of UNIT_DIRS) stat(`${dir}/${name}.service`);

  if (components.length > 0) {
    for (const c of components) if (c.from === 'manifest') stat(c.file);
    [ADMIN_CONF, SUPER_ADMIN_CONF, SCHEDULER_CONF, CONTROLLER_MANAGER_CONF].forEach(stat);
    for (const c of components) {
      if (c.name !== 'kube-scheduler' && c.name !== 'kube-controller-manager') continue;
      const k = kubeconfigOf(staticPods, components, c);
      if (k.ok) stat(k.path);
    }
    walkPki(fs, files);
    for (const c of components) {
      if (c.name !== 'etcd') continue;
      const d = etcdDataDir(staticPods, components, c);
      if (d.ok) stat(d.path);
    }
    readCertificates(fs, staticPods, components, cp, stat);
    if (components.some((c) => c.name === 'etcd')) cp.etcdAccount = readEtcdAccount(fs);
  }
  cp.files = Object.keys(files).sort();
  return { controlPlane: cp, files };
}

/** The node paths of the CA certificates the unique-CA check compares (etcd 2.7). */
function readCertificates(
  fs: RootFs,
  staticPods: StaticPodFacts | undefined,
  components: ComponentFacts[],
  cp: ControlPlaneFacts,
  stat: (p: string) => void,
): void {
  const paths = new Set<string>();
  for (const c of components) {
    if (c.name !== 'etcd' || c.unknown) continue;
    for (const flag of ['trusted-ca-file', 'peer-trusted-ca-file']) {
      const v = effective(c, flag);
      if (!v?.value) continue;
      const p = nodePathOf(staticPods, components, c, v.value);
      if (p.ok) paths.add(p.path);
    }
  }
  const ca = clusterCA(staticPods, components);
  if (ca.ok) paths.add(ca.path);
  if (components.some((c) => c.name === 'etcd')) paths.add(KUBEADM_ETCD_CA); // what the 2.7 fix may point at
  for (const p of paths) {
    stat(p);
    cp.certificates[p] = certificateFact(fs, p);
  }
}

/** SHA-256 fingerprints (every certificate of the file, in order, comma-separated) and the first subject. */
export function certificateFact(fs: RootFs, p: string): { fingerprint256?: string; subject?: string; error?: string } {
  const r = fs.read(p, MAX_CERT_BYTES);
  if (!r.ok) return { error: r.code === 'ENOENT' ? 'missing' : r.error };
  const parsed = parsePem(r.bytes);
  if (!parsed.ok) return { error: parsed.error };
  const prints: string[] = [];
  for (const m of r.bytes.toString('latin1').matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const body = m[1]!;
    if (/^[^\n]*:/m.test(body.trim())) continue; // a block with headers: skipped, as parsePem does
    try {
      prints.push(new X509Certificate(Buffer.from(body.replace(/\s+/g, ''), 'base64')).fingerprint256);
    } catch {
      // parsePem already accepted every block; nothing to add
    }
  }
  const out: { fingerprint256?: string; subject?: string } = {};
  if (prints.length > 0) out.fingerprint256 = prints.join(',');
  const subject = parsed.certs[0]?.subject;
  if (subject !== undefined) out.subject = subject;
  return out;
}

/** The `etcd` entries of /etc/passwd and /etc/group (names and ids only). */
export function readEtcdAccount(fs: RootFs): EtcdAccount {
  const out: EtcdAccount = {};
  const errors: string[] = [];
  const entry = (file: string): string[] | undefined => {
    const r = fs.read(file);
    if (!r.ok) {
      if (r.code !== 'ENOENT') errors.push(`cannot read ${file}: ${r.error}`);
      return undefined;
    }
    for (const l of r.bytes.toString('utf8').split('\n')) {
      const parts = l.split(':');
      if (parts[0] === 'etcd') return parts;
    }
    return undefined;
  };
  const u = entry('/etc/passwd');
  if (u && /^\d+$/.test(u[2] ?? '') && /^\d+$/.test(u[3] ?? '')) out.user = { uid: Number(u[2]), gid: Number(u[3]) };
  const g = entry('/etc/group');
  if (g && /^\d+$/.test(g[2] ?? '')) out.group = { gid: Number(g[2]) };
  if (errors.length > 0) out.unknown = errors.join('; ');
  return out;
}

/** /etc/kubernetes/pki and everything under it (find(1) order is not kept; symlinked folders are not entered). */
function walkPki(fs: RootFs, files: Record<string, StatResult>): void {
  const top = fs.stat(PKI_DIR);
  files[PKI_DIR] = top;
  if (top.exists !== true || top.type !== 'dir') return;
  let count = 0;
  const visit = (dir: string, depth: number): void => {
    // Streamed, at most the entries still allowed: a folder of millions of names is not held.
    const l = fs.entries(dir, () => true, MAX_PKI_ENTRIES - count + 1);
    if (!l.ok) {
      files[dir + UNLISTED] = { path: dir + UNLISTED, exists: null, error: `cannot list ${dir}: ${l.error}` };
      return;
    }
    for (const { name } of l.entries) {
      const p = `${dir}/${name}`;
      if (++count > MAX_PKI_ENTRIES) {
        files[PKI_DIR + UNLISTED] = { path: PKI_DIR + UNLISTED, exists: null, error: `more than ${MAX_PKI_ENTRIES} entries under ${PKI_DIR}; the rest were not examined` };
        return;
      }
      const own = fs.stat(p, { follow: false });
      if (own.type === 'symlink') {
        files[p] = fs.stat(p); // the target's mode and owner are what protect the content
        continue;
      }
      files[p] = own;
      if (own.type === 'dir') {
        if (depth >= MAX_PKI_DEPTH) {
          files[p + UNLISTED] = { path: p + UNLISTED, exists: null, error: `${p} is nested deeper than ${MAX_PKI_DEPTH} folders; not examined` };
          continue;
        }
        visit(p, depth + 1);
      }
    }
  };
  visit(PKI_DIR, 1);
}

// ─── Components from manifests ──────────────────────────────────────────────────────────────────

interface Word {
  text: string;
  line?: number;
}

interface EnvEntry {
  name: string;
  value?: string; // only for the ETCD_* variables of ETCD_CHECKED_FLAGS
  valueFrom: boolean;
  line?: number;
}

interface YamlContainer {
  command: Word[];
  args: Word[];
  env: EnvEntry[];
  envFrom: boolean;
  envFromLine?: number;
}

/** Which containers of a pod are control-plane components. */
export function detectComponents(pod: PodFact): Array<{ name: ComponentName; container: ContainerFact }> {
  const regular = pod.containers.filter((c) => !c.init);
  const out: Array<{ name: ComponentName; container: ContainerFact }> = [];
  for (const c of regular) {
    const base = path.posix.basename(c.command[0] ?? '');
    if ((COMPONENTS as readonly string[]).includes(base)) out.push({ name: base as ComponentName, container: c });
  }
  if (out.length > 0) return out;
  const label = pod.labels['component'];
  if (label && (COMPONENTS as readonly string[]).includes(label)) {
    const c = regular.length === 1 ? regular[0] : regular.find((x) => x.name === label);
    if (c) out.push({ name: label as ComponentName, container: c });
  }
  return out;
}

/** The control-plane components of a static pod manifest (one per component container), as the node audit reads them. */
export function fromManifest(m: ManifestFact): ComponentFacts[] {
  const found: Array<{ name: ComponentName; container: ContainerFact; podIndex: number; pod: PodFact }> = [];
  m.pods.forEach((pod, podIndex) => {
    for (const d of detectComponents(pod)) found.push({ ...d, podIndex, pod });
  });
  if (found.length === 0) return [];
  return found.map(({ name, container, pod }) => {
    const y = yamlOf(container);
    const comp: ComponentFacts = { name, from: 'manifest', file: m.path, flags: [] };
    const words = wordsOf(y);
    const shell = shellOf(container);
    if (shell) {
      comp.unknown = `the ${container.name} container of pod ${pod.name} is started through \`${shell}\`: its command line is a shell script, not parsed`;
      return comp;
    }
    if (container.command.length === 0) {
      comp.unknown = `the ${container.name} container of pod ${pod.name} (found by its component label) gives no command: the image's entrypoint decides how its args are read`;
      return comp;
    }
    if (name === 'etcd') {
      parseEtcd(comp, words, m.path);
      if (!comp.unknown) addEtcdEnv(comp, y, undefined, m.path);
    } else {
      parseKube(comp, name, words, m.path);
    }
    return comp;
  });
}

function shellOf(c: ContainerFact): string | undefined {
  const base = path.posix.basename(c.command[0] ?? '');
  if (!['sh', 'bash', 'ash', 'dash', 'busybox'].includes(base)) return undefined;
  return c.command.slice(0, 2).join(' ');
}

/** command[1..] then args, each with its YAML line (recorded by the static pod reader). */
function wordsOf(y: YamlContainer): Word[] {
  return [...y.command.slice(1), ...y.args];
}

/** The container as the flag parsers need it: words with lines, and the ETCD_* variables. */
function yamlOf(c: ContainerFact): YamlContainer {
  const words = (texts: string[], lines: Array<number | undefined> | undefined): Word[] =>
    texts.map((text, i) => (lines?.[i] !== undefined ? { text, line: lines[i] } : { text }));
  const env: EnvEntry[] = [];
  for (const e of c.env ?? []) {
    if (!e.name.startsWith('ETCD_')) continue;
    const entry: EnvEntry = { name: e.name, valueFrom: e.valueFrom, ...(e.line !== undefined ? { line: e.line } : {}) };
    const checked = (ETCD_CHECKED_FLAGS as readonly string[]).some((f) => etcdEnvName(f) === e.name);
    if (checked && e.value !== undefined) entry.value = e.value;
    env.push(entry);
  }
  return { command: words(c.command, c.commandLines), args: words(c.args, c.argsLines), env, envFrom: c.envFrom !== undefined, ...(c.envFrom?.line !== undefined ? { envFromLine: c.envFrom.line } : {}) };
}


function fromProcess(name: ComponentName, pid: number, argv: string[], env: Record<string, string>, envError?: string): ComponentFacts {
  const comp: ComponentFacts = { name, from: 'process', pid, flags: [] };
  const words = argv.map((text) => ({ text }));
  if (name === 'etcd') {
    parseEtcd(comp, words, undefined);
    if (comp.unknown) return comp;
    if (envError) {
      comp.flags.push({ name: ENV_UNKNOWN, value: '', text: `the environment of pid ${pid} cannot be read (${envError}); ETCD_* variables may set what the command line leaves out` });
      return comp;
    }
    const setOnCmdline = new Set(comp.flags.map((f) => f.name));
    for (const flag of ETCD_CHECKED_FLAGS) {
      const key = etcdEnvName(flag);
      const v = env[key];
      if (v === undefined || v === '' || setOnCmdline.has(flag)) continue;
      comp.flags.push({ name: flag, value: v, text: `${key}=${v}` });
    }
    applyEtcdConfigFile(comp);
  } else {
    parseKube(comp, name, words, undefined);
  }
  return comp;
}

/**
 * A component read from its arguments (argv without the binary): a manifest's when `file` is
 * given (word i at line firstLine + i, `env` as the container's variables), else a process's.
 * The readers above use the same parsers; tests and other sources use this.
 */
export function componentFromArgs(
  name: ComponentName,
  args: string[],
  opts: { file?: string; firstLine?: number; pid?: number; env?: Record<string, string> } = {},
): ComponentFacts {
  if (!opts.file) return fromProcess(name, opts.pid ?? 1, args, opts.env ?? {});
  const comp: ComponentFacts = { name, from: 'manifest', file: opts.file, flags: [] };
  const words = args.map((text, i) => (opts.firstLine ? { text, line: opts.firstLine + i } : { text }));
  if (name === 'etcd') {
    parseEtcd(comp, words, opts.file);
    const env: EnvEntry[] = Object.entries(opts.env ?? {})
      .filter(([k]) => k.startsWith('ETCD_'))
      .map(([k, v]) => ({ name: k, valueFrom: false, ...((ETCD_CHECKED_FLAGS as readonly string[]).some((f) => etcdEnvName(f) === k) ? { value: v } : {}) }));
    if (!comp.unknown) addEtcdEnv(comp, { command: [], args: [], env, envFrom: false }, undefined, opts.file);
  } else {
    parseKube(comp, name, words, opts.file);
  }
  return comp;
}

// ─── pflag (Kubernetes components) ──────────────────────────────────────────────────────────────

function parseKube(comp: ComponentFacts, name: Exclude<ComponentName, 'etcd'>, words: Word[], file: string | undefined): void {
  const bools = KUBE_BOOLS[name];
  const at = (w: Word) => (w.line ? ` (${file}:${w.line})` : '');
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const s = w.text;
    if (s === '--') {
      if (i + 1 < words.length) comp.unknown = `${name} refuses to start: it takes no arguments, and "${words[i + 1]!.text}" follows "--"${at(words[i + 1]!)}`;
      break;
    }
    if (!s.startsWith('-') || s === '-') {
      comp.unknown = `${name} refuses to start: it takes no arguments, and "${s}"${at(w)} is not a flag`;
      return;
    }
    let flagName: string;
    let value: string | undefined;
    if (s.startsWith('--')) {
      const body = s.slice(2);
      const eq = body.indexOf('=');
      flagName = (eq >= 0 ? body.slice(0, eq) : body).replace(/_/g, '-');
      if (eq >= 0) value = body.slice(eq + 1);
    } else {
      // shorthands: -v (klog verbosity) takes a value, -h prints help
      const c = s[1]!;
      if (c === 'h') {
        comp.unknown = `${name} prints its help and exits: "${s}"${at(w)}`;
        return;
      }
      if (c !== 'v') {
        comp.unknown = `${name} refuses to start: unknown shorthand flag "${c}" in "${s}"${at(w)}`;
        return;
      }
      flagName = 'v';
      const rest = s.slice(2);
      if (rest !== '') value = rest.startsWith('=') ? rest.slice(1) : rest;
    }
    if (flagName === 'help') {
      comp.unknown = `${name} prints its help and exits: "${s}"${at(w)}`;
      return;
    }
    let text = s;
    if (value === undefined) {
      if (bools.has(flagName)) value = 'true';
      else {
        const next = words[i + 1];
        if (!next) {
          if (KUBE_VALUED.has(flagName)) {
            comp.unknown = `${name} refuses to start: flag needs an argument: ${s}${at(w)}`;
            return;
          }
          value = 'true'; // an unknown bare flag at the end: a bool, or the binary refuses to start
        } else if (KUBE_VALUED.has(flagName) || !next.text.startsWith('-')) {
          value = next.text;
          text = `${s} ${next.text}`;
          i++;
        } else {
          comp.unknown = `"${s}"${at(w)} is followed by "${next.text}": whether ${name} takes that word as the value of --${flagName} or as a flag of its own depends on whether --${flagName} is a bool flag, which kubelet-guard does not know`;
          return;
        }
      }
    }
    if (flagName === 'version' && value !== 'false') {
      comp.unknown = `${name} prints its version and exits: "${text}"${at(w)}`;
      return;
    }
    if (bools.has(flagName) && parseGoBool(value) === undefined) {
      comp.unknown = `${name} refuses to start: invalid value "${value}" for the bool flag --${flagName}${at(w)}`;
      return;
    }
    comp.flags.push(flag(flagName, value, text, file, w.line));
  }
}

// ─── Go flag (etcd) ─────────────────────────────────────────────────────────────────────────────

function parseEtcd(comp: ComponentFacts, words: Word[], file: string | undefined): void {
  const at = (w: Word) => (w.line ? ` (${file}:${w.line})` : '');
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const s = w.text;
    if (s.length < 2 || !s.startsWith('-')) {
      comp.unknown = `etcd refuses to start: "${s}"${at(w)} is not a flag, so Go's flag parsing stops there ("is not a valid flag")`;
      return;
    }
    if (s === '--') {
      if (i + 1 < words.length) comp.unknown = `etcd refuses to start: "${words[i + 1]!.text}" follows "--"${at(words[i + 1]!)} ("is not a valid flag")`;
      break;
    }
    const minuses = s[1] === '-' ? 2 : 1;
    const body = s.slice(minuses);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      comp.unknown = `etcd refuses to start: bad flag syntax: ${s}${at(w)}`;
      return;
    }
    const eq = body.indexOf('=');
    const flagName = eq >= 0 ? body.slice(0, eq) : body;
    let value = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (flagName === 'help' || flagName === 'h') {
      comp.unknown = `etcd prints its help and exits: "${s}"${at(w)}`;
      return;
    }
    let text = s;
    if (ETCD_BOOLS.has(flagName)) {
      if (value === undefined) value = 'true';
      else if (parseGoBool(value) === undefined) {
        comp.unknown = `etcd refuses to start: invalid boolean value "${value}" for -${flagName}${at(w)}`;
        return;
      }
    } else if (value === undefined) {
      const next = words[i + 1];
      if (!next) {
        if (ETCD_VALUED.has(flagName)) {
          comp.unknown = `etcd refuses to start: flag needs an argument: ${s}${at(w)}`;
          return;
        }
        value = 'true';
      } else if (ETCD_VALUED.has(flagName) || !next.text.startsWith('-')) {
        value = next.text;
        text = `${s} ${next.text}`;
        i++;
      } else {
        comp.unknown = `"${s}"${at(w)} is followed by "${next.text}": whether etcd takes that word as the value of --${flagName} depends on whether it is a bool flag, which kubelet-guard does not know`;
        return;
      }
    }
    if (flagName === 'version' && parseGoBool(value)) {
      comp.unknown = `etcd prints its version and exits: "${text}"${at(w)}`;
      return;
    }
    comp.flags.push(flag(flagName, value, text, file, w.line));
  }
}

/** The ETCD_* variables of an etcd container (pkg/flags SetFlagsFromEnv). */
function addEtcdEnv(comp: ComponentFacts, y: YamlContainer | undefined, yamlError: string | undefined, file: string): void {
  if (!y) {
    comp.flags.push({ name: ENV_UNKNOWN, value: '', text: `the container's environment cannot be read from ${file}${yamlError ? ` (${yamlError})` : ''}; ETCD_* variables may set what the command line leaves out` });
    applyEtcdConfigFile(comp);
    return;
  }
  const onCmdline = new Map(comp.flags.map((f) => [etcdEnvName(f.name), f]));
  for (const e of y.env) {
    const shadowed = onCmdline.get(e.name);
    if (shadowed) {
      comp.unknown = `${file}${e.line ? ` line ${e.line}` : ''} sets the environment variable ${e.name} and${shadowed.line ? ` line ${shadowed.line}` : ''} the flag ${shadowed.text}: etcd 3.5 and later refuse to start ("conflicting environment variable is shadowed by corresponding command-line flag"); older ones use the flag`;
      return;
    }
  }
  for (const e of y.env) {
    const flagName = (ETCD_CHECKED_FLAGS as readonly string[]).find((f) => etcdEnvName(f) === e.name);
    if (!flagName) continue;
    if (e.valueFrom) {
      comp.flags.push({ name: ENV_UNKNOWN, value: '', text: `${e.name} takes its value from valueFrom, which cannot be read from the node`, file, ...(e.line ? { line: e.line } : {}) });
      continue;
    }
    if (e.value === undefined || e.value === '') continue; // an empty variable is ignored
    comp.flags.push({ name: flagName, value: e.value, text: `${e.name}=${e.value}`, file, ...(e.line ? { line: e.line } : {}) });
  }
  if (y.envFrom) {
    comp.flags.push({ name: ENV_UNKNOWN, value: '', text: `the container takes variables from envFrom, whose ETCD_* values cannot be read from the node`, file, ...(y.envFromLine ? { line: y.envFromLine } : {}) });
  }
  applyEtcdConfigFile(comp);
}

/** --config-file (or ETCD_CONFIG_FILE): etcd then ignores every other flag and variable. */
function applyEtcdConfigFile(comp: ComponentFacts): void {
  const cf = comp.flags.filter((f) => f.name === 'config-file' && f.value !== '').at(-1);
  if (cf) comp.unknown = `etcd reads its whole configuration from the config file ${cf.value} (${cf.text}) and ignores its other flags and ETCD_* variables; kubelet-guard does not read that file`;
}

function flag(name: string, value: string, text: string, file: string | undefined, line: number | undefined): ComponentFlag {
  const f: ComponentFlag = { name, value, text };
  if (file) f.file = file;
  if (line) f.line = line;
  return f;
}

/** strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

// ─── Effective values (pure; checks use these too) ──────────────────────────────────────────────

function isEnvFlag(f: ComponentFlag): boolean {
  return !f.text.startsWith('-');
}

/** The occurrence that decides a scalar flag: the last one (etcd: a command-line flag, else its ETCD_* variable). */
export function lastFlag(c: ComponentFacts, name: string): ComponentFlag | undefined {
  const all = c.flags.filter((f) => f.name === name);
  return all.filter((f) => !isEnvFlag(f)).at(-1) ?? all.at(-1);
}

/** Every occurrence of a flag, in order. */
export function allFlags(c: ComponentFacts, name: string): ComponentFlag[] {
  return c.flags.filter((f) => f.name === name);
}

/** Why an etcd setting not on the command line may still be set by the environment (undefined: it cannot). */
export function envUnknown(c: ComponentFacts): string | undefined {
  const u = c.flags.filter((f) => f.name === ENV_UNKNOWN).map((f) => `${f.text}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`);
  return u.length > 0 ? u.join('; ') : undefined;
}

export function isFromEnvironment(f: ComponentFlag): boolean {
  return isEnvFlag(f);
}

/** A scalar setting's effective value, or undefined when neither a flag nor (etcd) a variable sets it. */
export function effective(c: ComponentFacts, name: string): { value: string; flag: ComponentFlag } | undefined {
  const f = lastFlag(c, name);
  return f ? { value: f.value, flag: f } : undefined;
}

/** pflag StringSlice: CSV values of every occurrence, appended (undefined: never given, the default applies). */
export function sliceFlag(c: ComponentFacts, name: string): { values: string[]; flags: ComponentFlag[] } | undefined {
  const flags = allFlags(c, name);
  if (flags.length === 0) return undefined;
  return { values: flags.flatMap((f) => readAsCSV(f.value)), flags };
}

/** encoding/csv of one line, as pflag's readAsCSV: "" is no value; quotes group commas. */
export function readAsCSV(v: string): string[] {
  if (v === '') return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const ch = v[i]!;
    if (quoted) {
      if (ch === '"' && v[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

// ─── Paths ──────────────────────────────────────────────────────────────────────────────────────

export type NodePath = { ok: true; path: string; note?: string } | { ok: false; why: string };

/** The static pod container a component was read from (the k-th of its name in that file). */
export function componentContainer(
  staticPods: StaticPodFacts | undefined,
  components: ComponentFacts[],
  c: ComponentFacts,
): { pod: PodFact; container: ContainerFact } | undefined {
  if (c.from !== 'manifest' || !c.file) return undefined;
  const m = staticPods?.manifests.find((x) => x.path === c.file);
  if (!m) return undefined;
  const ordinal = components.filter((x) => x.from === 'manifest' && x.file === c.file && x.name === c.name).indexOf(c);
  const found = m.pods.flatMap((pod) => detectComponents(pod).filter((d) => d.name === c.name).map((d) => ({ pod, container: d.container })));
  return found[Math.max(ordinal, 0)];
}

/**
 * The node path of a path as the component sees it. A static pod sees the node only through its
 * hostPath volumes: the longest mountPath that holds the path decides. A process sees the node's
 * own paths (relative ones depend on its working folder, which is not known).
 */
export function nodePathOf(staticPods: StaticPodFacts | undefined, components: ComponentFacts[], c: ComponentFacts, p: string): NodePath {
  const who = c.from === 'manifest' ? `the ${c.name} container` : `${c.name} (pid ${c.pid ?? '?'})`;
  if (!p.startsWith('/')) return { ok: false, why: `${p} is a relative path, resolved against the working folder of ${who}, which the evidence does not hold` };
  const clean = path.posix.normalize(p);
  if (c.from === 'process') return { ok: true, path: clean };
  const found = componentContainer(staticPods, components, c);
  if (!found) return { ok: false, why: `the static pod ${c.name} was read from is not in the evidence, so its volumes are not known` };
  let best: { mountPath: string; host: string } | undefined;
  for (const hp of found.pod.hostPaths) {
    for (const m of hp.mounts) {
      if (m.container !== found.container.name) continue;
      const mp = path.posix.normalize(m.mountPath).replace(/\/$/, '') || '/';
      const inside = clean === mp || clean.startsWith(mp === '/' ? '/' : `${mp}/`);
      if (inside && (!best || mp.length > best.mountPath.length)) best = { mountPath: mp, host: hp.path };
    }
  }
  if (!best) return { ok: false, why: `${p} is inside the ${found.container.name} container's own filesystem: no hostPath volume of pod ${found.pod.name} holds it, so it cannot be examined on the node` };
  const rest = clean.slice(best.mountPath === '/' ? 0 : best.mountPath.length);
  const joined = normalize(`${best.host}/${rest}`);
  const host = joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
  return host === clean ? { ok: true, path: host } : { ok: true, path: host, note: `${p} in the container is ${host} on the node (hostPath ${best.host} mounted at ${best.mountPath})` };
}

/** etcd's data folder: --data-dir (or ETCD_DATA_DIR); unset, it is "<name>.etcd" in etcd's working folder. */
export function etcdDataDir(staticPods: StaticPodFacts | undefined, components: ComponentFacts[], c: ComponentFacts): NodePath & { flag?: ComponentFlag } {
  if (c.unknown) return { ok: false, why: c.unknown };
  const d = effective(c, 'data-dir');
  if (!d || d.value === '') {
    const env = envUnknown(c);
    if (env) return { ok: false, why: `--data-dir is not on etcd's command line and ${env}` };
    const name = effective(c, 'name')?.value ?? 'default';
    return { ok: false, why: `etcd is given no --data-dir: its data folder is "${name}.etcd" in its working folder (etcd's default), which the evidence does not hold` };
  }
  const p = nodePathOf(staticPods, components, c, d.value);
  return { ...p, flag: d.flag };
}

/** The kubeconfig a scheduler or controller manager uses: --kubeconfig, else kubeadm's file (CIS 1.1.15–1.1.18). */
export function kubeconfigOf(staticPods: StaticPodFacts | undefined, components: ComponentFacts[], c: ComponentFacts): NodePath {
  const fallback = c.name === 'kube-scheduler' ? SCHEDULER_CONF : CONTROLLER_MANAGER_CONF;
  if (c.unknown) return { ok: true, path: fallback, note: `${c.name}'s flags cannot be known (${c.unknown}); kubeadm's ${fallback} is examined` };
  const k = effective(c, 'kubeconfig');
  const cfg = effective(c, 'config');
  if (cfg && cfg.value !== '' && (!k || k.value === '')) {
    return { ok: false, why: `${c.name} reads its settings from ${cfg.flag.text}, whose clientConnection.kubeconfig names the kubeconfig; kubelet-guard does not read that file` };
  }
  if (!k || k.value === '') return { ok: true, path: fallback, note: `${c.name} is given no --kubeconfig; kubeadm's ${fallback} is examined` };
  return nodePathOf(staticPods, components, c, k.value);
}

/** The cluster CA: the API server's --client-ca-file, else kubeadm's /etc/kubernetes/pki/ca.crt. */
export function clusterCA(staticPods: StaticPodFacts | undefined, components: ComponentFacts[]): NodePath & { how: string } {
  const api = components.find((c) => c.name === 'kube-apiserver' && !c.unknown);
  const f = api ? effective(api, 'client-ca-file') : undefined;
  if (api && f && f.value !== '') {
    const p = nodePathOf(staticPods, components, api, f.value);
    return { ...p, how: `the API server's ${f.flag.text}` };
  }
  return { ok: true, path: DEFAULT_CLUSTER_CA, how: api ? "kubeadm's cluster CA (the API server names no --client-ca-file)" : "kubeadm's cluster CA (no API server on this node names one)" };
}

// Gathers a node's evidence into NodeFacts: the distribution (src/distros), the kubelet invocation
// as that distribution starts it (src/sources/launch), the --config file and --config-dir drop-ins, the effective config, the
// files checks ask about, certificates, kube-proxy and the kubelet version. All I/O of the node
// audit happens here (and in the modules it calls); nothing here judges.
import type { Diagnostic, KubeletFacts, KubeProxyFacts, NodeFacts, ParsedFlag } from '../facts/types.ts';
import type { Distribution } from '../distros/types.ts';
import { detectDistribution } from '../distros/detect.ts';
import { RootFs, joinNodePath, type DirEntry, type FileType, type StatResult } from './root-fs.ts';
import { readKubeletCertificates } from './certificates.ts';
import { parsePflags } from '../kubelet/pflag.ts';
import { parseConfigDoc, type ConfigDoc } from '../kubelet/config-file.ts';
import { computeEffectiveConfig } from '../kubelet/effective-config.ts';
import { refusalDiagnostics } from '../kubelet/validation.ts';
import { readDpkgVersion } from './dpkg.ts';
import { readKubeProxy } from './kube-proxy.ts';
import { KUBEADM_CLUSTER_CA } from '../facts/paths.ts';
import { readRuntimeSockets } from './runtime-sockets.ts';
import { readListeners } from './listeners.ts';
import { readStaticPods } from './static-pods.ts';
import { readControlPlane } from './control-plane.ts';

export interface NodeOptions {
  /** --root DIR; undefined for the live node */
  root?: string;
  /** --kubelet-version, when the user knows better than the evidence */
  kubeletVersion?: string;
  /** for tests: pretend to be (un)privileged, or read through another RootFs */
  privileged?: boolean;
  fs?: RootFs;
  now?: Date;
  /** live: the kubelet as its unit would start it, not the running process (what `fix` changes and proves) */
  kubeletFromFiles?: boolean;
  /** --distribution NAME: skip detection (src/distros) */
  distribution?: string;
}

/**
 * The kubelet reads every drop-in; so does the audit, up to these bounds on what it holds (a
 * hostile tree must not exhaust memory). Beyond them every setting is unknown, never guessed.
 */
/** folders and *.conf names kept over the whole --config-dir walk */
export const MAX_DROP_INS = 50_000;
/** bytes of --config-dir drop-ins read in all */
export const MAX_DROP_IN_BYTES = 16 * 1024 * 1024;

export function gatherNodeFacts(opts: NodeOptions): NodeFacts {
  const live = opts.root === undefined;
  const fs = opts.fs ?? new RootFs(opts.root ?? '/');
  const privileged = opts.privileged ?? (!live || process.getuid?.() === 0);
  const files: Record<string, StatResult> = {};
  const statFile = (p: string | undefined) => {
    if (p && !(p in files)) files[p] = fs.stat(p);
  };

  const detected = detectDistribution(fs, live, opts.distribution);
  const kubelet = gatherKubelet(fs, live, opts, detected.distro);
  const unit = kubelet.invocation?.unit;
  if (unit) [unit.file, ...unit.dropIns].forEach(statFile);
  statFile(kubelet.configFile);
  kubelet.dropIns.forEach(statFile);
  const eff = kubelet.effective;
  for (const setting of ['--kubeconfig', 'authentication.x509.clientCAFile', 'tlsCertFile', 'tlsPrivateKeyFile']) {
    const v = eff[setting]?.value;
    if (typeof v === 'string' && v !== '') statFile(joinNodePath('/', v));
  }
  // where kubeadm keeps the cluster CA: a fix may name it only when it is there (kubelet-client-ca-file)
  statFile(KUBEADM_CLUSTER_CA);

  const kubeProxy: KubeProxyFacts = readKubeProxy(fs, live);
  statFile(kubeProxy.kubeconfig);

  const staticPods = readStaticPods(fs, eff);
  const cp = readControlPlane(fs, staticPods, live);
  for (const [p, st] of Object.entries(cp.files)) if (!(p in files)) files[p] = st;

  return {
    target: live ? 'live node' : (opts.root as string),
    distribution: detected.fact,
    mode: live ? 'live' : 'offline',
    privileged,
    ...(privileged ? {} : { privilegeNote: 'live mode runs as a non-root user: the kubelet process, its files and keys may be unreadable, and checks that need them are unknown; run as root for a full audit' }),
    kubelet,
    ...nodeOs(live, kubelet),
    files,
    certificates: kubelet.missing ? [] : readKubeletCertificates(fs, eff),
    kubeProxy,
    staticPods,
    controlPlane: cp.controlPlane,
    runtimeSockets: readRuntimeSockets(fs, eff),
    listeners: readListeners(fs, live),
    unreadable: [...fs.denied].sort(),
    now: (opts.now ?? new Date()).toISOString(),
  };
}

/**
 * The node's OS: live, the platform this audit runs on (it reads the node's own /proc); offline,
 * Linux when the kubelet was found through a systemd unit or /proc, which only Linux nodes have.
 */
function nodeOs(live: boolean, kubelet: KubeletFacts): Pick<NodeFacts, 'os'> {
  if (live && (process.platform === 'linux' || process.platform === 'win32')) {
    return { os: { value: process.platform === 'linux' ? 'linux' : 'windows', source: `the live audit runs on this node (${process.platform})` } };
  }
  const unit = kubelet.invocation?.unit?.file;
  if (!live && unit) return { os: { value: 'linux', source: `the kubelet is started by the systemd unit ${unit}` } };
  return {};
}

function gatherKubelet(fs: RootFs, live: boolean, opts: NodeOptions, distro: Distribution): KubeletFacts {
  const diagnostics: Diagnostic[] = [];
  const launch = distro.launch({ fs, live, fromFiles: opts.kubeletFromFiles === true, ...(opts.kubeletVersion ? { kubeletVersion: opts.kubeletVersion } : {}) });
  diagnostics.push(...launch.diagnostics);
  const invocation = launch.invocation;

  const version = opts.kubeletVersion
    ? { value: opts.kubeletVersion, source: '--kubelet-version' }
    : (launch.kubeletVersion ?? readDpkgVersion(fs));

  if (!invocation) {
    return { missing: launch.missing, version, dropIns: [], effective: {}, diagnostics };
  }
  const hidden = launch.hidden;

  const parsed = parsePflags(invocation.argv.slice(1));
  invocation.flags = parsed.flags;
  diagnostics.push(...parsed.diagnostics);
  const lastFlag = (name: string) => parsed.flags.filter((f) => f.name === name).at(-1)?.value;

  // --config and --config-dir are relative to the kubelet's working directory: "/" under systemd.
  const configPath = lastFlag('config');
  let configFile: { path: string; doc?: ConfigDoc; unreadable?: string } | undefined;
  if (configPath !== undefined && configPath !== '') {
    const path = joinNodePath('/', configPath);
    const r = fs.read(path);
    if (r.ok) {
      const doc = parseConfigDoc(r.bytes, path, 'config-file');
      diagnostics.push(...doc.diagnostics);
      configFile = { path, doc };
    } else if (r.code === 'ENOENT') {
      configFile = { path, unreadable: r.error };
      diagnostics.push({ code: 'config-invalid', severity: 'high', message: `the kubelet refuses to start: its --config file ${path} does not exist`, file: path, fatal: true });
    } else {
      configFile = { path, unreadable: r.error };
      diagnostics.push({ code: 'config-unreadable', severity: 'info', message: `cannot read the --config file ${path}: ${r.error}`, file: path });
    }
  }

  const dirFlag = lastFlag('config-dir');
  const dropIns: ConfigDoc[] = [];
  let dropInDirUnreadable: string | undefined;
  let configDir: string | undefined;
  const refusal = dirFlag ? configDirRefusal(version?.value, invocation.env) : undefined;
  if (refusal) {
    dropInDirUnreadable = refusal;
    diagnostics.push({ code: 'flag-invalid', severity: 'high', message: refusal, fatal: true, ...flagPlace(parsed.flags, 'config-dir') });
  } else if (dirFlag !== undefined && dirFlag !== '') {
    if (!version) {
      // The version decides whether the flag is known at all: say which versions refuse it.
      const alphaOn = 'KUBELET_CONFIG_DROPIN_DIR_ALPHA' in invocation.env;
      diagnostics.push({ code: 'flag-invalid', severity: 'high', message: `--config-dir: unknown flag before 1.28${alphaOn ? '' : '; 1.28 and 1.29 (alpha) refuse it without the environment variable KUBELET_CONFIG_DROPIN_DIR_ALPHA'}`, fatal: true, versions: configDirVersions(invocation.env), ...flagPlace(parsed.flags, 'config-dir') });
    }
    configDir = joinNodePath('/', dirFlag);
    const walked = walkDropIns(fs, configDir);
    if (walked.error) {
      dropInDirUnreadable = walked.error;
      diagnostics.push({ code: 'dropin-dir-unreadable', severity: 'info', message: walked.error, file: configDir });
    }
    let bytes = 0;
    for (const file of walked.files) {
      const r = fs.read(file);
      if (!r.ok) {
        dropInDirUnreadable ??= `cannot read the drop-in ${file}: ${r.error}`;
        diagnostics.push({ code: 'dropin-unreadable', severity: 'info', message: `cannot read the drop-in ${file}: ${r.error}`, file });
        continue;
      }
      bytes += r.bytes.length;
      if (bytes > MAX_DROP_IN_BYTES) {
        const why = `the drop-ins under ${configDir} hold more than ${MAX_DROP_IN_BYTES} bytes: ${file} and the ones after it were not read`;
        dropInDirUnreadable ??= why;
        diagnostics.push({ code: 'dropin-dir-unreadable', severity: 'info', message: why, file });
        break;
      }
      const doc = parseConfigDoc(r.bytes, file, 'drop-in');
      diagnostics.push(...doc.diagnostics);
      dropIns.push(doc);
    }
  }

  const effective = computeEffectiveConfig({ flags: parsed.flags, configFile, dropIns, dropInDirUnreadable, commandLineHidden: hidden });
  // A word the distribution may or may not pass (by its version): unknown unless a flag seen sets it.
  for (const u of launch.unsure ?? []) {
    const s = effective[u.setting];
    if (s && s.source.kind !== 'flag' && !s.unknown) s.unknown = u.why;
  }
  // What the kubelet of this version refuses after reading it all (validation.go, auth, TLS, gates, removed flags).
  diagnostics.push(...refusalDiagnostics({ effective, flags: parsed.flags, version: version?.value, ...(distro.kubelet?.unknownFeatureGates ? { unknownFeatureGates: distro.kubelet.unknownFeatureGates } : {}), ...(distro.kubelet?.gateDefaults ? { gateDefaults: distro.kubelet.gateDefaults } : {}) }));
  return {
    invocation,
    version,
    configFile: configFile?.path,
    configDir,
    dropIns: dropIns.map((d) => d.file),
    effective,
    diagnostics,
    ...(hidden ? { commandLineHidden: hidden } : {}),
  };
}

/**
 * --config-dir arrived in 1.28 as alpha: 1.28 and 1.29 refuse to start with it unless the
 * environment variable KUBELET_CONFIG_DROPIN_DIR_ALPHA is set (kubelet-facts §5.3; kubernetes.io
 * "kubelet-config-file", drop-in directory). Older kubelets do not know the flag at all.
 */
export function configDirRefusal(version: string | undefined, env: Record<string, string>): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  const minor = Number(m[1]) === 1 ? Number(m[2]) : 99;
  if (minor < 28) return `--config-dir needs kubelet 1.28 or newer: kubelet ${version} does not know the flag and refuses to start`;
  if (minor < 30 && !('KUBELET_CONFIG_DROPIN_DIR_ALPHA' in env)) {
    return `--config-dir on kubelet ${version} (alpha) needs the environment variable KUBELET_CONFIG_DROPIN_DIR_ALPHA, which is not set: the kubelet refuses to start`;
  }
  return undefined;
}

/** With the version unknown: the kubelet versions that refuse --config-dir (kubelet-facts §5.3). */
export function configDirVersions(env: Record<string, string>): string {
  return 'KUBELET_CONFIG_DROPIN_DIR_ALPHA' in env ? 'before 1.28' : 'before 1.30';
}

function flagPlace(flags: ParsedFlag[], name: string): { file?: string; line?: number } {
  const f = flags.filter((x) => x.name === name).at(-1);
  return f ? { file: f.file, line: f.line } : {};
}

/**
 * The drop-ins the kubelet applies: every `*.conf` under the folder, walked recursively in lexical
 * order like filepath.WalkDir (kubelet-facts §5.3); symlinked folders are not entered (WalkDir
 * does not follow them), a missing folder is an error that stops the kubelet.
 */
export function walkDropIns(fs: RootFs, dir: string, max = MAX_DROP_INS): { files: string[]; error?: string } {
  const files: string[] = [];
  // Only folders and *.conf names are kept from a listing (filepath.Ext(name) == ".conf"): a
  // folder of a million other names costs no memory. At most `max` are kept over the whole walk.
  const wanted = (name: string, type: FileType | undefined) => type === 'dir' || name.endsWith('.conf');
  let kept = 0;
  const tooMany = `more than ${max} folders and drop-ins under ${dir}; the rest were not read`;
  const list = (p: string) => {
    const l = fs.entries(p, wanted, max - kept);
    if (l.ok) kept += l.entries.length;
    return l;
  };
  const top = list(dir);
  if (!top.ok) {
    return { files, error: top.code === 'ENOENT' ? `the --config-dir folder ${dir} does not exist: the kubelet refuses to start` : `cannot list the --config-dir folder ${dir}: ${top.error}` };
  }
  if (top.truncated) return { files, error: tooMany };
  const visit = (folder: string, entries: DirEntry[]): string | undefined => {
    for (const e of entries) {
      const p = `${folder}/${e.name}`;
      if (e.type === 'dir') {
        const sub = list(p);
        if (!sub.ok) return `cannot list ${p}: ${sub.error}`;
        if (sub.truncated) return tooMany;
        const err = visit(p, sub.entries);
        if (err) return err;
      } else files.push(p);
    }
    return undefined;
  };
  const error = visit(dir.replace(/\/$/, ''), top.entries);
  return error ? { files, error } : { files };
}

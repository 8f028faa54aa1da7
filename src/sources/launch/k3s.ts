// K3s and RKE2: the kubelet's command line as k3s's agent code builds it (RKE2 runs the same code,
// rancher/rke2 go.mod requires github.com/k3s-io/k3s). Nothing on the node holds that command line
// whole: k3s runs the kubelet inside its own process (its /proc cmdline is erased by
// gspt.SetProcTitle(os.Args[0] + " server"|" agent"), pkg/cli/server/server.go, pkg/cli/agent/agent.go),
// RKE2 starts it as a child process. So the model rebuilds it from what k3s reads:
//
//   1. the unit's ExecStart (`k3s server --kubelet-arg=...`, install.sh writes k3s.service or
//      k3s-agent.service) and its environment (K3S_CONFIG_FILE);
//   2. the config file and its drop-ins (k3s-io/k3s pkg/configfilearg/parser.go readConfigFile):
//      config.yaml first (when it exists), then config.yaml.d/*.yaml|*.yml (not folders, suffix
//      case-insensitive) in os.ReadDir (name) order; a key `kubelet-arg+` appends to the values of
//      the files before, a plain `kubelet-arg` replaces them; the result is inserted right after
//      `server`/`agent`, so the unit's own --kubelet-arg words come after the files' (urfave/cli
//      StringSlice, no comma splitting: rancher/rke2 pkg/cli/cmds/root.go DisableSliceFlagSeparator);
//   3. (RKE2) pkg/cli/defaults/defaults.go prepends its klog flags to that list;
//   4. k3s-io/k3s pkg/daemons/agent/agent.go extractConfigArgs: `config` and `config-dir` are taken
//      out of the list (their files are copied into the managed drop-in folder as 10-cli-config.conf
//      and 20-cli-config-dir/); a word without `=` takes the word after it as its value, which is
//      then dropped from the list;
//   5. pkg/util/args.go GetArgs(defaults, list): a user key replaces k3s's default of that key
//      (`key+=v` appends to it, `key-=v` prepends), repeated keys are all kept in order, and the
//      result is sorted by key — so the user's words win by replacing k3s's, not by coming last;
//   6. (RKE2) pkg/executor/staticpod/staticpod.go Kubelet: its own words first, then klog flags
//      taken out (pkg/logging/logging.go ExtractFromArgs); the kubelet binary is `kubelet` on PATH.
//
// k3s's defaults are mostly not flags any more: since v1.32 k3s writes them as a KubeletConfiguration
// drop-in, <data-dir>/agent/etc/kubelet.conf.d/00-<program>-defaults.conf, at every start, and passes
// --config-dir (pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig, agent.go defaultKubeletConfig:
// anonymous auth off, webhook authn/authz, clientCAFile, tlsCertFile…). That file is read from the
// node like any drop-in. The flags k3s adds whose values depend on the host at run time (hostname,
// node IPs, cgroups, labels, cloud provider) are not written anywhere: they are left out and said so.
import type { Arg, Diagnostic, KubeletInvocation } from '../../facts/types.ts';
import type { Launch, LaunchContext, LaunchModel } from '../../distros/types.ts';
import type { RootFs } from '../root-fs.ts';
import { reconstructUnit, type UnitReconstruction } from '../systemd-unit.ts';
import { findProcesses } from '../proc.ts';
import { decodeK8sYaml, type GoNode } from '../k8s-yaml.ts';

/** What differs between k3s and RKE2: their data, read from their own sources. */
export interface K3sFlavour {
  /** version.Program: `k3s` or `rke2` */
  program: 'k3s' | 'rke2';
  /** the units install.sh writes, server first */
  units: string[];
  /** the default config file (pkg/cli/cmds/config.go DefaultParser.DefaultConfig); K3S_CONFIG_FILE / RKE2_CONFIG_FILE override */
  configFile: string;
  /** the default data dir (pkg/cli/cmds: --data-dir) */
  dataDir: string;
  /** citation for the words k3s's agent code adds */
  by: string;
  /** (RKE2) words the distribution prepends to the user's kubelet-arg list, with their citation */
  prependedArgs?: { words: string[]; by: string };
  /** (RKE2) words put before GetArgs's, with their citation */
  leadingArgs?: { words: string[]; by: string };
  /** (RKE2) klog flags taken out of the command line before the kubelet is started */
  stripKlog?: boolean;
  /** (RKE2) the symlink whose target names the version: <data-dir>/bin -> data/v1.33.4-rke2r1-<hash>/bin (rancher/rke2 pkg/bootstrap/bootstrap.go releaseRefDigest, symlinkBinDir) */
  versionLink?: { path: string; pattern: RegExp };
  /** live: how the kubelet shows in /proc */
  live: 'embedded' | 'child';
}

/**
 * klog's flags (klog.InitFlags) but v and vmodule: RKE2's logging.ExtractFromArgs takes these out of
 * the kubelet's command line and handles the log file itself (rancher/rke2 pkg/logging/logging.go).
 */
const KLOG_FLAGS = new Set(['log-dir', 'log-file', 'log-file-max-size', 'logtostderr', 'alsologtostderr', 'add-dir-header', 'skip-headers', 'skip-log-headers', 'stderrthreshold', 'one-output', 'legacy-stderr-threshold-behavior']);

/** A word of the kubelet-arg list, with where it was written. */
interface ListWord {
  text: string;
  file?: string;
  line?: number;
  via: string;
  by?: string;
  yaml?: Arg['yaml'];
}

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_CONFIG_DROPINS = 1000;
/** bytes of config.yaml and config.yaml.d read in all: a hostile folder of 1,000 files of 1 MiB must not exhaust memory */
export const MAX_CONFIG_TOTAL_BYTES = 16 * 1024 * 1024;
/** kubelet-arg words kept: beyond, the rest is not read (each costs the parser and the merge; no real node has thousands) */
export const MAX_KUBELET_ARGS = 10_000;

export function k3sLaunch(f: K3sFlavour): LaunchModel {
  return (ctx: LaunchContext): Launch => {
    const diagnostics: Diagnostic[] = [];
    const shown = f.versionLink ? linkVersion(ctx.fs, f.versionLink) : undefined;
    const built = fromFiles(ctx.fs, f, diagnostics, ctx.kubeletVersion ?? shown?.value, ctx.live);
    if (shown) built.kubeletVersion = shown;
    if (ctx.live && !ctx.fromFiles) {
      const seen = liveProcess(ctx.fs, f, diagnostics, built);
      if (seen) return seen;
    }
    return built;
  };
}

function fromFiles(fs: RootFs, f: K3sFlavour, diagnostics: Diagnostic[], kubeletVersion: string | undefined, live: boolean): Launch {
  // 1. the unit: k3s.service or k3s-agent.service (install.sh writes one of them)
  let unit: UnitReconstruction | undefined;
  for (const name of f.units) {
    const u = reconstructUnit(fs, name);
    if (u.unit && u.argv.length > 0) {
      unit = u;
      diagnostics.push(...u.diagnostics);
      break;
    }
  }
  const hidden: string[] = [];
  if (!unit) hidden.push(`no ${f.units.join(' or ')} unit with an ExecStart was found, so --kubelet-arg words on ${f.program}'s own command line (if it is started otherwise) are not seen`);
  if (unit?.incomplete) hidden.push(`part of ${f.program}'s unit could not be read (${unit.incomplete.join('; ')})`);

  const env = unit?.env ?? {};
  const cli: Cli = unit ? readCli(unit.argv.slice(1)) : { kubeletArgs: [] };
  if (cli.problem) hidden.push(cli.problem);

  // 2. the config file and its drop-ins; K3S_CONFIG_FILE wins over --config (parser.go findConfigFileFlag)
  const envName = `${f.program.toUpperCase()}_CONFIG_FILE`;
  const configPath = env[envName] || cli.config || f.configFile;
  const cfg = readConfigArgs(fs, configPath, f.program);
  diagnostics.push(...cfg.diagnostics);
  if (cfg.hidden) hidden.push(cfg.hidden);
  const dataDir = (cli.dataDir ?? cfg.dataDir ?? f.dataDir).replace(/\/+$/, '') || f.dataDir;

  // The list urfave/cli collects: the config files' words, then the command line's.
  let list: ListWord[] = [
    ...cfg.words,
    ...cli.kubeletArgs.map((a) => ({ text: a.text, ...(a.file ? { file: a.file, line: a.line } : {}), via: `--kubelet-arg on ${f.program}'s command line${unit?.unit ? ` (${unit.unit.file})` : ''}` })),
  ];
  // 3. RKE2's own klog words go first (defaults.Set, PrependToStringSlice)
  if (f.prependedArgs) list = [...f.prependedArgs.words.map((text) => ({ text, via: f.prependedArgs!.by, by: f.prependedArgs!.by })), ...list];

  // 4. extractConfigArgs
  list = extractConfigArgs(list, dataDir, f.program, diagnostics);

  // k3s's own default flags (kubeletArgsAndConfig): only those whose values the node's files decide.
  const confDir = `${dataDir}/agent/etc/kubelet.conf.d`;
  const defaultsFile = `${confDir}/00-${f.program}-defaults.conf`;
  const defaults = new Map<string, string>([
    ['config-dir', confDir],
    ['kubeconfig', `${dataDir}/agent/kubelet.kubeconfig`],
  ]);
  const vias = new Map<string, string>();
  const bys = new Map<string, string>();
  const unsure: Launch['unsure'] = [];
  // --hostname-override=<node name>, always (agent_linux.go: cfg.NodeName is never empty): the
  // node-name flag, else <PROGRAM>_NODE_NAME, else the host name, lowercased (pkg/util GetHostnameAndIPs)
  const envNode = `${f.program.toUpperCase()}_NODE_NAME`;
  const named = cli.nodeName !== undefined ? { value: cli.nodeName, via: `--node-name on ${f.program}'s command line` }
    : cfg.nodeName !== undefined ? { value: cfg.nodeName.value, via: `node-name in ${cfg.nodeName.file}` }
      : env[envNode] ? { value: env[envNode], via: `${envNode} in ${f.program}'s unit environment` }
        : hostName(fs, live);
  if (cfg.withNodeId) unsure.push({ setting: '--hostname-override', why: `with-node-id is set: ${f.program} appends a node id kept outside its config to the node name` });
  if (named && /^[\x21-\x7e]{1,253}$/.test(named.value)) {
    defaults.set('hostname-override', named.value.toLowerCase());
    vias.set('hostname-override', `the node name, from ${named.via}`);
    bys.set('hostname-override', `${f.by.replace(/\)$/, '')}: the node name, from ${named.via})`);
  } else {
    defaults.set('hostname-override', '');
    unsure.push({ setting: '--hostname-override', why: `${f.program} passes --hostname-override with its node name, and this node shows neither a node-name setting nor its host name` });
  }
  const rop = readOnlyPortFlag(kubeletVersion);
  if (rop === true) {
    defaults.set('read-only-port', '0');
    bys.set('read-only-port', `${f.by.replace(/\)$/, '')}; since v1.32.4, k3s-io/k3s#12165)`);
  }
  else if (rop === undefined) {
    unsure.push({ setting: 'readOnlyPort', why: `${f.program} passes --read-only-port=0 since v1.32.4 (k3s-io/k3s#12165); v1.32.0 to v1.32.3 did not, and the kubelet then serves the read-only port 10255 (k3s-io/k3s#12164). This node does not show which ${f.program} version it runs: give it with --kubelet-version` });
  }
  if (fs.stat(defaultsFile).exists === false) {
    diagnostics.push({ code: 'distribution-defaults-missing', severity: 'info', message: `${defaultsFile} is not there: ${f.program} writes it at every start (since v1.32), so it has not started on this node yet or is older than v1.32 (which passed its kubelet defaults as flags that this audit does not model); the kubelet settings are audited without it`, file: defaultsFile });
  }

  const words = getArgs(defaults, list, f.by, vias, bys);
  let argv: Arg[] = words;
  if (f.leadingArgs) argv = [...f.leadingArgs.words.map((text) => ({ text, via: f.leadingArgs!.by, by: f.leadingArgs!.by })), ...argv];
  if (f.stripKlog) argv = argv.filter((a) => !KLOG_FLAGS.has(flagName(a.text)));
  // The flags k3s finds on the host at start are written nowhere on the node; none is a setting the checks read.
  const leftOut = `; left out: the flags ${f.program} derives from the host at start (--node-ip, --node-labels, --cloud-provider, --runtime-cgroups, --containerd), written nowhere on the node`;
  const argv0: Arg = f.live === 'embedded'
    ? { text: unit?.argv[0]?.text ?? `/usr/local/bin/${f.program}`, via: `the kubelet runs inside the ${f.program} process${leftOut}`, by: f.program }
    : { text: 'kubelet', via: `${f.program} starts \`kubelet\` from its data dir's bin folder${leftOut}`, by: f.leadingArgs?.by ?? f.program };

  const invocation: KubeletInvocation = {
    from: 'distribution',
    argv: [argv0, ...argv],
    env,
    flags: [],
    ...(unit?.unit ? { unit: unit.unit } : {}),
  };
  return {
    invocation,
    diagnostics,
    ...(hidden.length > 0 ? { hidden: `${hidden.join('; ')}: any setting may be overridden by a flag not seen` } : {}),
    ...(unsure.length > 0 ? { unsure } : {}),
  };
}

/**
 * Whether k3s passes --read-only-port=0 (k3s-io/k3s#12165, in v1.32.4+k3s1 and v1.33.0+k3s1): true,
 * false (a known version without it), or undefined (the version is unknown).
 */
export function readOnlyPortFlag(version: string | undefined): boolean | undefined {
  const m = /^v?1\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  const minor = Number(m[1]);
  const patch = Number(m[2]);
  return minor > 32 || (minor === 32 && patch >= 4);
}

function linkVersion(fs: RootFs, v: { path: string; pattern: RegExp }): Launch['kubeletVersion'] {
  const l = fs.readlink(v.path);
  if (!l.ok) return undefined;
  const m = v.pattern.exec(l.target);
  return m?.[1] && /^[0-9.]{1,32}$/.test(m[1]) && /^[\x20-\x7e]{1,4096}$/.test(l.target) ? { value: m[1], source: `${v.path} -> ${l.target}` } : undefined;
}

/** The words of k3s's own command line that matter here (urfave/cli: `-name` and `--name`, `=value` or the next word). */
interface Cli { kubeletArgs: Arg[]; config?: string; dataDir?: string; nodeName?: string; problem?: string }
function readCli(args: Arg[]): Cli {
  const out: Cli = { kubeletArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([A-Za-z][A-Za-z0-9-]*)(=(.*))?$/s.exec(a.text);
    if (!m) continue;
    const name = m[1]!;
    if (!['kubelet-arg', 'config', 'c', 'data-dir', 'd', 'node-name'].includes(name)) continue;
    let value: string | undefined = m[3];
    let at: Arg = a;
    if (m[2] === undefined) {
      const next = args[i + 1];
      if (!next) {
        out.problem = `${a.text} has no value`;
        break;
      }
      value = next.text;
      at = next;
      i++;
    }
    if (name === 'kubelet-arg') out.kubeletArgs.push({ ...at, text: value! });
    else if (name === 'config' || name === 'c') out.config = value;
    else if (name === 'node-name') out.nodeName = value;
    else out.dataDir = value;
  }
  return out;
}

/** The config file and its .d drop-ins, flattened as k3s does; kubelet-arg words with file and line. */
interface ConfigArgs { words: ListWord[]; dataDir?: string; nodeName?: { value: string; file: string }; withNodeId?: boolean; diagnostics: Diagnostic[]; hidden?: string }
function readConfigArgs(fs: RootFs, path: string, program: string): ConfigArgs {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const dDir = `${path}.d`;
  const listed = fs.entries(dDir, (n, t) => t !== 'dir' && /\.ya?ml$/i.test(n), MAX_CONFIG_DROPINS);
  let hidden: string | undefined;
  if (!listed.ok && listed.code !== 'ENOENT') hidden = `cannot list ${dDir}: ${listed.error}`;
  const base = fs.stat(path);
  if (base.exists === true) files.push(path);
  else if (base.exists === null) hidden ??= `cannot read ${path}: ${base.error ?? 'unknown error'}`;
  if (listed.ok) {
    if (listed.truncated) hidden ??= `more than ${MAX_CONFIG_DROPINS} files in ${dDir}`;
    // os.ReadDir sorts by file name (bytes)
    const names = listed.entries.map((e) => e.name).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    files.push(...names.map((n) => `${dDir}/${n}`));
  }
  // Values per key across the files, in the order keys were first seen (parser.go readConfigFile).
  let kubeletArgs: ListWord[] | undefined;
  let dataDir: string | undefined;
  let nodeName: ConfigArgs['nodeName'];
  let withNodeId = false;
  let total = 0;
  for (const file of files) {
    const r = fs.read(file, MAX_CONFIG_BYTES);
    if (!r.ok) {
      hidden ??= `cannot read ${file}: ${r.error}`;
      continue;
    }
    total += r.bytes.length;
    if (total > MAX_CONFIG_TOTAL_BYTES) {
      hidden ??= `the ${program} configuration files hold more than ${MAX_CONFIG_TOTAL_BYTES} bytes: ${file} and the files after it were not read`;
      break;
    }
    const doc = decodeK8sYaml(r.bytes.toString('utf8'));
    if (doc.status !== 'ok') {
      // k3s refuses to start on a file it cannot parse: nothing is known of its words
      diagnostics.push({ code: 'distribution-config-invalid', severity: 'high', message: `${program} refuses to start: ${file} is not valid YAML (${doc.problem.message})`, file, ...(doc.problem.line ? { line: doc.problem.line } : {}), fatal: true });
      hidden ??= `${file} cannot be parsed`;
      continue;
    }
    if (doc.root === null) continue;
    if (doc.root.kind !== 'map') {
      diagnostics.push({ code: 'distribution-config-invalid', severity: 'high', message: `${program} refuses to start: ${file} is not a mapping of flags`, file, line: doc.root.line, fatal: true });
      hidden ??= `${file} is not a mapping`;
      continue;
    }
    // go-yaml v2's MapSlice keeps a repeated key twice; the decoder here keeps the last only
    if (doc.duplicates.some((d) => /^"?kubelet-arg\+?"?$/.test(d.path.replace(/^\./, '')))) hidden ??= `${file} repeats the key kubelet-arg`;
    for (const [rawKey, fld] of doc.root.fields) {
      const append = rawKey.endsWith('+');
      const key = append ? rawKey.slice(0, -1) : rawKey;
      if (key === 'data-dir' && fld.value.kind === 'string') dataDir = fld.value.value;
      if (key === 'node-name' && (fld.value.kind === 'string' || fld.value.kind === 'int')) nodeName = { value: String(fld.value.value), file };
      if (key === 'with-node-id') withNodeId = fld.value.kind === 'bool' ? fld.value.value : fld.value.kind !== 'null';
      if (key !== 'kubelet-arg') continue;
      const items = listItems(fld.value, file, fld.line, rawKey);
      if (append && kubeletArgs) for (const w of items) kubeletArgs.push(w); // no spread: a list may hold 100,000s
      else kubeletArgs = items;
      if (kubeletArgs.length > MAX_KUBELET_ARGS) {
        hidden ??= `more than ${MAX_KUBELET_ARGS} kubelet-arg words in the ${program} configuration (at ${file}): the rest were not read`;
        kubeletArgs.length = MAX_KUBELET_ARGS;
      }
    }
  }
  return { words: kubeletArgs ?? [], ...(dataDir ? { dataDir } : {}), ...(nodeName ? { nodeName } : {}), ...(withNodeId ? { withNodeId } : {}), diagnostics, ...(hidden ? { hidden } : {}) };
}

/** The host name k3s's os.Hostname() returns: live the kernel's, offline /etc/hostname. */
function hostName(fs: RootFs, live: boolean): { value: string; via: string } | undefined {
  const path = live ? '/proc/sys/kernel/hostname' : '/etc/hostname';
  const r = fs.read(path, 4096);
  if (!r.ok) return undefined;
  const first = r.bytes.toString('utf8').split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
  return first ? { value: first, via: `the host name (${path})` } : undefined;
}

/** convert.ToString of each item (a scalar is one item, as toSlice and formatSingleArg make it). */
function listItems(n: GoNode, file: string, keyLine: number, key: string): ListWord[] {
  const one = (x: GoNode, path: Array<string | number>): ListWord | undefined => {
    const via = `kubelet-arg in ${file}`;
    switch (x.kind) {
      case 'string':
      case 'int':
      case 'float':
      case 'bool':
        return { text: String(x.value), file, line: x.line || keyLine, via, ...(x.kind === 'string' ? { yaml: { path, text: x.value } } : {}) };
      default:
        return undefined;
    }
  };
  if (n.kind === 'list') return n.items.flatMap((x, i) => one(x, [key, i]) ?? []);
  return [one(n, [key]) ?? []].flat();
}

/** pkg/daemons/agent/agent.go extractConfigArgs. */
function extractConfigArgs(list: ListWord[], dataDir: string, program: string, diagnostics: Diagnostic[]): ListWord[] {
  const out: ListWord[] = [];
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    const key0 = w.text.startsWith('--') ? w.text.slice(2) : w.text;
    const eq = key0.indexOf('=');
    const key = eq >= 0 ? key0.slice(0, eq) : key0;
    let skipped: ListWord | undefined;
    if (eq < 0 && i + 1 < list.length) {
      skipped = list[i + 1];
      i++;
    }
    if (key === 'config' || key === 'config-dir') {
      const copy = key === 'config' ? `${dataDir}/agent/etc/kubelet.conf.d/10-cli-config.conf` : `${dataDir}/agent/etc/kubelet.conf.d/20-cli-config-dir/`;
      diagnostics.push({ code: 'distribution-kubelet-config', severity: 'info', message: `kubelet-arg ${key} is not passed to the kubelet: ${program} copies what it names to ${copy} at every start, and the kubelet reads that copy`, ...(w.file ? { file: w.file, line: w.line } : {}) });
      continue;
    }
    if (skipped) {
      diagnostics.push({ code: 'distribution-arg-dropped', severity: 'medium', message: `kubelet-arg "${w.text}" has no "=": ${program} takes the next kubelet-arg "${skipped.text}" as its value and drops it from the kubelet's command line`, ...(skipped.file ? { file: skipped.file, line: skipped.line } : {}) });
    }
    out.push(w);
  }
  return out;
}

/** pkg/util/args.go GetArgs, with each word's provenance. */
function getArgs(defaults: Map<string, string>, extra: ListWord[], by: string, vias: Map<string, string>, bys: Map<string, string>): Arg[] {
  const initial = new Map(defaults);
  const multi = new Map<string, Arg[]>();
  for (const w of extra) {
    const s = w.text.startsWith('--') ? w.text.slice(2) : w.text;
    const eq = s.indexOf('=');
    const arg = eq >= 0 ? s.slice(0, eq) : s;
    const value = eq >= 0 ? s.slice(eq + 1) : 'true';
    const cleaned = arg.replace(/[-+]+$/, '');
    const initialValue = initial.get(cleaned);
    const existing = multi.get(cleaned) ?? [];
    // only a plain `key=value` item can be set in place by a fix (`key+=v` also keeps k3s's default)
    const yaml = w.yaml && !/[-+]$/.test(arg) ? { yaml: w.yaml } : {};
    const mine: Arg = { text: `--${cleaned}=${value}`, ...(w.file ? { file: w.file, line: w.line } : {}), via: w.via, ...(w.by ? { by: w.by } : {}), ...yaml };
    const dflt: Arg[] = initialValue !== undefined ? [{ text: `--${cleaned}=${initialValue}`, via: vias.get(cleaned) ?? by, by: bys.get(cleaned) ?? by }] : [];
    let next: Arg[];
    if (arg.endsWith('+')) next = [...dflt, ...existing, mine];
    else if (arg.endsWith('-')) next = [mine, ...dflt, ...existing];
    else next = [...existing, mine];
    initial.delete(cleaned);
    multi.set(cleaned, next);
  }
  for (const [k, v] of initial) multi.set(k, [{ text: `--${k}=${v}`, via: vias.get(k) ?? by, by: bys.get(k) ?? by }]);
  // sort.Strings: bytewise
  const keys = [...multi.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  // fmt.Sprintf("%s%s=%s", "--", strings.TrimPrefix(arg, "--"), value): the text is already that
  return keys.flatMap((k) => multi.get(k)!);
}

function flagName(text: string): string {
  return text.replace(/^--?/, '').split('=')[0]!.replace(/_/g, '-');
}

/** Live: where the kubelet runs, and the words the files give it. */
function liveProcess(fs: RootFs, f: K3sFlavour, diagnostics: Diagnostic[], built: Launch): Launch | undefined {
  if (f.live === 'embedded') {
    // argv[0] reads "/usr/local/bin/k3s server" once k3s has retitled itself (gspt), or "k3s" before.
    const procs = findProcesses(fs, (argv0) => {
      const first = argv0.split(' ')[0]!.split('/').pop();
      return first === f.program;
    });
    if (procs.error) diagnostics.push({ code: 'proc-unreadable', severity: 'info', message: procs.error });
    const p = procs.found.find((x) => / (server|agent)$/.test(x.argv[0] ?? '') || x.argv.includes('server') || x.argv.includes('agent')) ?? procs.found[0];
    if (!p || !built.invocation) {
      diagnostics.push({ code: 'distribution-not-running', severity: 'info', message: `no ${f.program} process is running: the kubelet is audited as ${f.program}'s files would start it` });
      return undefined;
    }
    const via = `the kubelet runs inside ${f.program} (pid ${p.pid}), whose command line is not in /proc (${f.program} erases it): read from ${f.program}'s unit and config files`;
    const argv = built.invocation.argv.map((a, i) => (i === 0 ? { ...a, via } : a));
    return { ...built, invocation: { ...built.invocation, argv, pid: p.pid, env: Object.keys(p.env).length > 0 ? p.env : built.invocation.env } };
  }
  // RKE2: the kubelet is a process of its own; its /proc cmdline is the truth. A word the files
  // give too keeps their provenance.
  const procs = findProcesses(fs, 'kubelet');
  if (procs.error) diagnostics.push({ code: 'proc-unreadable', severity: 'info', message: procs.error });
  const p = procs.found[0];
  if (!p) {
    diagnostics.push({ code: 'distribution-not-running', severity: 'info', message: `no kubelet process is running: the kubelet is audited as ${f.program}'s files would start it` });
    return undefined;
  }
  if (procs.found.length > 1) diagnostics.push({ code: 'several-kubelets', severity: 'info', message: `${procs.found.length} kubelet processes are running (pids ${procs.found.map((x) => x.pid).join(', ')}); auditing pid ${p.pid}` });
  const known = new Map<string, Arg>();
  for (const a of built.invocation?.argv.slice(1) ?? []) if (!known.has(a.text)) known.set(a.text, a);
  const argv: Arg[] = p.argv.map((text, i) => {
    const k = i > 0 ? known.get(text) : undefined;
    return k ? { ...k, via: `/proc/${p.pid}/cmdline; ${k.via ?? ''}`.replace(/; $/, '') } : { text, via: `/proc/${p.pid}/cmdline` };
  });
  // what the files would start differs from what runs: the running process is audited
  const { unsure: _u, hidden: _h, ...rest } = built;
  void _u; void _h;
  return { ...rest, invocation: { from: 'process', pid: p.pid, argv, env: p.env, flags: [], ...(built.invocation?.unit ? { unit: built.invocation.unit } : {}) } };
}

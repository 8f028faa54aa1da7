// MicroK8s: the kubelet runs inside kubelite (snap service snap.microk8s.daemon-kubelite), which
// reads its arguments from an args file, by default $SNAP_DATA/args/kubelet. Everything here is
// read from canonical/microk8s:
//   - build-scripts/components/kubernetes/patches/v1.36.0/0000-Kubelite-integration.patch,
//     cmd/kubelite/app/options/options.go ReadArgsFromFile: bufio.Scanner lines (64 KiB at most, a
//     longer line is fatal), strings.TrimSpace, a line empty or starting with `#` skipped, every `"`
//     and `'` deleted (no quoting: they are simply removed), the line split on single spaces (two
//     spaces make an empty argument), each word through os.ExpandEnv ($VAR and ${VAR} from
//     kubelite's environment, unset = ""). The kubelet gets exactly these words (daemon.go
//     StartKubelet: command.SetArgs(args)), nothing added.
//   - cmd/kubelite/app/server.go: --kubelet-args-file, default /var/snap/microk8s/current/args/kubelet;
//     microk8s-resources/wrappers/run-kubelite-with-args passes kubelite the words of
//     $SNAP_DATA/args/kubelite (default-args/kubelite: --kubelet-args-file=$SNAP_DATA/args/kubelet).
//   - the same wrapper, at every start before kubelite runs, unless $SNAP_DATA/var/lock/no-arg-sanitisation
//     exists: sanitise_args_kubelet (microk8s-resources/actions/common/utils.sh) deletes every line
//     matching `--NAME[= ]` for the flags kubelets no longer know (skip_opt_in_local_config's
//     sed '/--NAME[= ]/d') and deletes the text `DevicePlugins=true` everywhere.
import type { Arg, Diagnostic, KubeletInvocation } from '../../facts/types.ts';
import type { Launch, LaunchContext, LaunchModel } from '../../distros/types.ts';
import type { RootFs } from '../root-fs.ts';
import { joinNodePath } from '../root-fs.ts';
import { findProcesses } from '../proc.ts';

export const SNAP_NAME = 'microk8s';
export const SNAP_CURRENT = '/snap/microk8s/current';
export const SNAP_DATA_CURRENT = '/var/snap/microk8s/current';
export const SNAP_COMMON = '/var/snap/microk8s/common';
/** kubelite's own default (cmd/kubelite/app/options/options.go NewOptions) */
export const DEFAULT_KUBELET_ARGS = `${SNAP_DATA_CURRENT}/args/kubelet`;
/** bufio.MaxScanTokenSize: a longer line stops the scanner, and kubelite exits (klog.Fatalf) */
export const MAX_LINE = 64 * 1024;
/** an args file is a few hundred bytes; more than this is not read (hostile input) */
export const MAX_ARGS_FILE = 1024 * 1024;

/** sanitise_args_kubelet's list (utils.sh): the wrapper deletes their lines at every start */
export const SANITISED_KUBELET_FLAGS = [
  'log-dir', 'log-file', 'log-flush-frequency', 'logtostderr', 'alsologtostderr', 'one-output', 'stderrthreshold',
  'log-file-max-size', 'skip-log-headers', 'add-dir-header', 'skip-headers', 'log-backtrace-at', 'docker-endpoint',
  'image-pull-progress-deadline', 'network-plugin', 'cni-conf-dir', 'cni-bin-dir', 'cni-cache-dir', 'network-plugin-mtu',
  'experimental-kernel-memcg-notification', 'pod-infra-container-image', 'experimental-dockershim-root-directory',
  'non-masquerade-cidr', 'container-runtime',
];

const SOURCE = 'canonical/microk8s cmd/kubelite/app/options/options.go (ReadArgsFromFile)';

/** Go's unicode.IsSpace, which strings.TrimSpace uses (not JavaScript's trim: U+FEFF is no space to Go). */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
export const goTrimSpace = (s: string): string => s.replace(TRIM, '');

const isSpecial = (c: string) => '*#$@!?-0123456789'.includes(c);
const isAlnum = (c: string) => /^[A-Za-z0-9_]$/.test(c);

/**
 * Go's os.Expand (os/env.go): `$NAME`, `${NAME}`, `$1`-style special names; `${}` and an
 * unclosed `${` are eaten; a `$` followed by no name stays. `lookup` returns undefined for a
 * variable whose value the audit cannot know (then the word cannot be known either).
 */
export function goExpand(s: string, lookup: (name: string) => string | undefined): { text: string; names: string[]; unknown: string[] } {
  let out = '';
  const names: string[] = [];
  const unknown: string[] = [];
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(i, j);
    const rest = s.slice(j + 1);
    let name = '';
    let w = 0;
    if (rest[0] === '{') {
      if (rest.length > 2 && isSpecial(rest[1]!) && rest[2] === '}') {
        name = rest[1]!;
        w = 3;
      } else {
        const close = rest.indexOf('}', 1);
        if (close === 1) w = 2; // "${}": bad syntax, eaten
        else if (close < 0) w = 1; // "${" unclosed: eaten
        else {
          name = rest.slice(1, close);
          w = close + 1;
        }
      }
    } else if (isSpecial(rest[0]!)) {
      name = rest[0]!;
      w = 1;
    } else {
      while (w < rest.length && isAlnum(rest[w]!)) w++;
      name = rest.slice(0, w);
    }
    if (name === '' && w > 0) {
      // invalid syntax: the characters are eaten
    } else if (name === '') out += '$';
    else {
      names.push(name);
      const v = lookup(name);
      if (v === undefined) unknown.push(name);
      out += v ?? '';
    }
    j += w;
    i = j + 1;
  }
  return { text: out + s.slice(i), names, unknown };
}

export interface ArgsFileWords {
  words: Arg[];
  diagnostics: Diagnostic[];
  /** why the words cannot be known exactly (an unknown variable, a line kubelite refuses) */
  hidden?: string;
}

/** The words kubelite gives the kubelet from an args file's text, each with its line. */
export function argsFileWords(text: string, file: string, lookup: (name: string) => string | undefined, sanitise: boolean): ArgsFileWords {
  const words: Arg[] = [];
  const diagnostics: Diagnostic[] = [];
  const unknown = new Set<string>();
  let hidden: string | undefined;
  // bufio.ScanLines: split at \n, a \r before it dropped; a last line without \n still counts
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let n = 0; n < lines.length; n++) {
    let raw = lines[n]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const line = n + 1;
    if (Buffer.byteLength(raw) > MAX_LINE) {
      hidden = `line ${line} of ${file} is longer than ${MAX_LINE} bytes: kubelite's line scanner stops there and kubelite exits ("Failed to read arguments file"), so the kubelet does not start with these arguments`;
      diagnostics.push({ code: 'args-file-invalid', severity: 'high', message: hidden, file, line, fatal: true });
      break;
    }
    if (sanitise) {
      const dropped = SANITISED_KUBELET_FLAGS.find((f) => raw.includes(`--${f}=`) || raw.includes(`--${f} `));
      if (dropped) {
        diagnostics.push({ code: 'args-line-removed', severity: 'info', file, line,
          message: `run-kubelite-with-args deletes line ${line} of ${file} (--${dropped}) before every start (sanitise_args_kubelet, canonical/microk8s microk8s-resources/actions/common/utils.sh); the kubelet never sees it` });
        continue;
      }
      if (raw.includes('DevicePlugins=true')) {
        raw = raw.replaceAll('DevicePlugins=true', '');
        diagnostics.push({ code: 'args-line-changed', severity: 'info', file, line,
          message: `run-kubelite-with-args deletes "DevicePlugins=true" from line ${line} of ${file} before every start (sanitise_args_kubelet)` });
      }
    }
    let t = goTrimSpace(raw);
    if (t === '' || t.startsWith('#')) continue;
    t = t.replace(/["']/g, ''); // kubelite deletes quotes; it does not interpret them
    for (const part of t.split(' ')) {
      const x = goExpand(part, lookup);
      x.unknown.forEach((u) => unknown.add(u));
      const via = x.names.length > 0 ? `${SOURCE}, expanding ${x.names.map((v) => `$${v}`).join(', ')}` : SOURCE;
      words.push({ text: x.text, file, line, via });
    }
  }
  if (unknown.size > 0 && !hidden) {
    hidden = `${file} uses ${[...unknown].map((u) => `$${u}`).join(', ')}, which kubelite expands from its own environment: the audit cannot see that value here, so any setting may be changed by it`;
  }
  return { words, diagnostics, ...(hidden ? { hidden } : {}) };
}

/**
 * The snap's environment as snapd gives it to the service (SNAP, SNAP_DATA, SNAP_COMMON, …),
 * for a node seen from its files: the revision from /snap/microk8s/current, a symlink to it.
 */
function snapEnvFromFiles(fs: RootFs): Record<string, string> {
  const rev = fs.readlink(SNAP_CURRENT);
  const revision = rev.ok && /^x?[0-9]{1,12}$/.test(rev.target) ? rev.target : undefined;
  const dataRev = fs.readlink(SNAP_DATA_CURRENT);
  const dataRevision = dataRev.ok && /^x?[0-9]{1,12}$/.test(dataRev.target) ? dataRev.target : revision;
  return {
    SNAP: revision ? `/snap/microk8s/${revision}` : SNAP_CURRENT,
    SNAP_DATA: dataRevision ? `/var/snap/microk8s/${dataRevision}` : SNAP_DATA_CURRENT,
    SNAP_COMMON,
    SNAP_NAME,
    SNAP_INSTANCE_NAME: SNAP_NAME,
    ...(revision ? { SNAP_REVISION: revision } : {}),
    // run-kubelite-with-args: use_snap_env exports it (utils.sh)
    XDG_RUNTIME_DIR: `${SNAP_COMMON}/run`,
  };
}

/** The kubelite's --kubelet-args-file from its own args file (shell words: only plain $SNAP_DATA forms are followed). */
function kubeletArgsFile(fs: RootFs, env: Record<string, string>, kubeliteArgv: string[] | undefined): { path: string; from: string } | { hidden: string } {
  const pick = (words: string[], from: string): { path: string; from: string } | { hidden: string } | undefined => {
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i]!;
      const m = /^--?kubelet-args-file(?:=(.*))?$/.exec(w);
      if (!m) continue;
      const v = m[1] ?? words[i + 1];
      if (v === undefined) return { hidden: `${from} names no value for --kubelet-args-file` };
      const x = goExpand(v, (n) => env[n]);
      if (x.unknown.length > 0 || /[`$()\\*?[\]{}~;&|<>]/.test(x.text)) return { hidden: `${from} gives --kubelet-args-file as ${JSON.stringify(v)}, which the audit cannot resolve exactly` };
      return { path: joinNodePath('/', x.text), from };
    }
    return undefined;
  };
  if (kubeliteArgv) return pick(kubeliteArgv, 'the kubelite command line') ?? { path: DEFAULT_KUBELET_ARGS, from: "kubelite's default" };
  // run-kubelite-with-args: declare -a args="($(cat $SNAP_DATA/args/kubelite))"
  const file = `${SNAP_DATA_CURRENT}/args/kubelite`;
  const r = fs.read(file, MAX_ARGS_FILE);
  if (!r.ok) {
    if (r.code === 'ENOENT') return { path: DEFAULT_KUBELET_ARGS, from: `kubelite's default (${file} does not exist)` };
    return { hidden: `cannot read ${file}, which may name another kubelet args file: ${r.error}` };
  }
  const words = r.bytes.toString('utf8').split(/\s+/).filter((w) => w !== '').map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
  return pick(words, file) ?? { path: DEFAULT_KUBELET_ARGS, from: `kubelite's default (${file} does not name one)` };
}

export function kubeliteLaunch(): LaunchModel {
  return ({ fs, live, fromFiles }: LaunchContext): Launch => {
    const diagnostics: Diagnostic[] = [];
    let env = snapEnvFromFiles(fs);
    let pid: number | undefined;
    let kubeliteArgv: string[] | undefined;
    let envKnown = false;
    if (live && !fromFiles) {
      const procs = findProcesses(fs, 'kubelite');
      if (procs.error) diagnostics.push({ code: 'proc-unreadable', severity: 'info', message: procs.error });
      const p = procs.found[0];
      if (p) {
        pid = p.pid;
        kubeliteArgv = p.argv.slice(1);
        if (!p.envError) {
          env = p.env;
          envKnown = true;
        } else diagnostics.push({ code: 'proc-unreadable', severity: 'info', message: `cannot read the environment of kubelite (pid ${p.pid}): ${p.envError}; the snap's usual values are assumed` });
      }
    }
    // offline, only the snap's own variables are known; live, kubelite's real environment (an unset one is "")
    const lookup = (name: string): string | undefined => (envKnown ? (env[name] ?? '') : env[name]);
    const where = kubeletArgsFile(fs, env, kubeliteArgv);
    if ('hidden' in where) {
      return { diagnostics, hidden: where.hidden, missing: `the kubelet's args file is not known: ${where.hidden}` };
    }
    const file = where.path;
    const r = fs.read(file, MAX_ARGS_FILE);
    if (!r.ok) {
      const why = r.code === 'ENOENT' ? `${file} does not exist (kubelite exits: "Failed to open arguments file")` : `cannot read ${file}: ${r.error}`;
      return { diagnostics, missing: `MicroK8s runs the kubelet inside kubelite with the arguments of ${file}, and ${why}` };
    }
    const sanitise = fs.stat(`${SNAP_DATA_CURRENT}/var/lock/no-arg-sanitisation`, { follow: false }).exists !== true;
    const parsed = argsFileWords(r.bytes.toString('utf8'), file, lookup, sanitise);
    diagnostics.push(...parsed.diagnostics);
    const argv: Arg[] = [{ text: `${env['SNAP'] ?? SNAP_CURRENT}/kubelite`, via: `kubelite (${where.from}: ${file})`, by: 'MicroK8s (canonical/microk8s cmd/kubelite/app/daemons/daemon.go StartKubelet)' }, ...parsed.words];
    const invocation: KubeletInvocation = { from: 'distribution', argv, env: envKnown ? env : {}, flags: [], ...(pid !== undefined ? { pid } : {}) };
    const version = readSnapVersion(fs);
    return { invocation, diagnostics, ...(parsed.hidden ? { hidden: parsed.hidden } : {}), ...(version ? { kubeletVersion: version } : {}) };
  };
}

export const SNAP_YAML = `${SNAP_CURRENT}/meta/snap.yaml`;
/** snap.yaml's `version:` (snapcraft.yaml adopt-info kubernetes-version: build-scripts/components/kubernetes/version.sh, the upstream tag such as v1.32.3) */
export const SNAP_VERSION_PATTERN = /^version:[ \t]*['"]?(v?[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+~-]*)['"]?[ \t]*$/m;

function readSnapVersion(fs: RootFs): { value: string; source: string } | undefined {
  const r = fs.read(SNAP_YAML, 64 * 1024);
  if (!r.ok) return undefined;
  const m = SNAP_VERSION_PATTERN.exec(r.bytes.toString('utf8'));
  return m?.[1] && m[1].length <= 64 ? { value: m[1], source: SNAP_YAML } : undefined;
}

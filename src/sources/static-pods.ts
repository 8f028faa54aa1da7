// Static pods: the manifests in the kubelet's effective staticPodPath, read the way the kubelet's
// file source reads them (kubelet-facts §7; kubernetes/kubernetes pkg/kubelet/config/file.go,
// file_linux.go, common.go):
// - the path is os.Stat'ed (symlinks followed): a regular file is one manifest; a folder is listed
//   with filepath.Glob(dir + "/[^.]*") — names starting with "." are skipped — in sort.Strings
//   (bytewise) order; each entry is os.Stat'ed: sub-folders are not recursed ("Provided manifest
//   path is a directory, not recursing"), entries that are neither folder nor regular file and
//   entries that cannot be stat'ed (dangling symlinks) are logged and skipped;
// - a file is read with utilio.ReadAtMost(file, maxConfigLength = 10 MiB): reaching the limit is an
//   error (the audit reads at most 4 MiB: a larger file is "not read", never guessed);
// - it is decoded by tryDecodeSinglePod only: utilyaml.ToJSON (JSON as is when the text starts with
//   "{", else sigs.k8s.io/yaml on yaml.v2, which reads the FIRST YAML document only: the others are
//   recorded as extraDocuments), then the legacy scheme's universal decoder, which must yield a
//   v1 Pod. A PodList is decoded only by the HTTP source (http.go, staticPodURL), never from a file;
// - the pod needs a name, is defaulted (empty namespace -> "default", name -> name-<node>) and
//   validated (ValidatePodCreate); any error: the kubelet logs "Could not process manifest file" and
//   runs nothing from that file.
// The audit checks the types of the fields it reads (a wrong type fails the kubelet's decoding too)
// and the validation rules it verified (name, namespace, containers, volume and mount names,
// hostPath path and type). The rest of ValidatePodCreate is not re-run: a manifest accepted here may
// still be refused by the kubelet; its risks are then reported for a pod that does not run, never
// the reverse. Environment variables are never read.
import path from 'node:path';
import type { ContainerFact, EffectiveConfig, HostPathMount, ManifestFact, PodFact, StaticPodFacts } from '../facts/types.ts';
import { redactArg, redactArgv, redactUrl } from '../facts/redact.ts';
import { normalize, type RootFs, type StatResult } from './root-fs.ts';
import { firstBadUtf8, lineOf } from './text.ts';
import { decodeK8sYaml, describeGo, type GoNode } from './k8s-yaml.ts';

/** The audit reads at most this much of a manifest. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The audit looks at most at this many folder entries. */
export const MAX_ENTRIES = 10_000;
/** …and reads at most this many bytes of manifests in all (decoding costs time and memory); the rest are unknown. */
export const MAX_TOTAL_MANIFEST_BYTES = 16 * 1024 * 1024;
/** common.go: maxConfigLength = 10 * 1 << 20; ReadAtMost fails once that many bytes are read. */
export const KUBELET_MAX_MANIFEST_BYTES = 10 * 1024 * 1024;

// ---- The folder ------------------------------------------------------------------------------

export function readStaticPods(fs: RootFs, effective: EffectiveConfig): StaticPodFacts {
  const u = effective['staticPodURL'];
  const url = u && !u.unknown && typeof u.value === 'string' && u.value !== '' ? redactUrl(u.value) : '';
  const s = effective['staticPodPath'];
  if (!s) return { path: '', unknown: 'staticPodPath is not part of the evidence (no kubelet configuration was read)', manifests: [], url };
  if (s.unknown) return { path: '', unknown: `staticPodPath cannot be known: ${s.unknown}`, manifests: [], url };
  if (typeof s.value !== 'string') return { path: '', unknown: `staticPodPath has the value ${JSON.stringify(s.value)}, not a path`, manifests: [], url };
  const written = s.value;
  if (written === '') return { path: '', manifests: [], url };
  if (!written.startsWith('/')) {
    // A relative path in the --config file was resolved against its folder already
    // (config-file.ts, kubelet-facts §5). From a flag or a drop-in the base is not known.
    return { path: written, unknown: `staticPodPath is the relative path ${written}; how the kubelet resolves it (set ${s.source.kind === 'flag' ? 'by a flag' : `in ${s.source.file ?? 'a drop-in'}`}) is not known`, manifests: [], url };
  }
  if (/[*?[\\]/.test(written)) {
    // file.go joins the folder into a filepath.Glob pattern: these characters would be a pattern.
    return { path: written, unknown: `staticPodPath ${written} holds glob characters (* ? [ \\), which the kubelet's filepath.Glob reads as a pattern; the files it would match are not worked out`, manifests: [], url };
  }
  const dir = normalize(written).replace(/(.)\/+$/, '$1'); // NewSourceFile trims trailing slashes
  const stat = fs.stat(dir);
  if (stat.exists === false) return { path: dir, stat, manifests: [], url }; // "path does not exist, ignoring"
  if (stat.exists === null) return { path: dir, stat, unknown: `cannot examine staticPodPath ${dir}: ${stat.error ?? 'stat failed'}`, manifests: [], url };
  if (stat.type === 'file') return { path: dir, stat, manifests: [readManifest(fs, dir, stat)], url };
  // Neither folder nor regular file (a socket, a FIFO): "path is not a directory or file", no pods.
  if (stat.type !== 'dir') return { path: dir, stat, manifests: [], url };
  // Streamed: past MAX_ENTRIES the folder is not read further (memory), and the verdicts say so.
  const listed = fs.entries(dir, () => true, MAX_ENTRIES);
  if (!listed.ok) return { path: dir, stat, unknown: `cannot list staticPodPath ${dir}: ${listed.error}`, manifests: [], url };
  const manifests: ManifestFact[] = [];
  const budget = { left: MAX_TOTAL_MANIFEST_BYTES };
  const unknown = listed.truncated ? `${dir} holds more than ${MAX_ENTRIES} entries; only ${MAX_ENTRIES} of them were examined` : undefined;
  for (const { name } of listed.entries) {
    const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
    if (name.startsWith('.')) {
      manifests.push({ path: p, stat: fs.stat(p, { follow: false }), ignored: 'its name starts with "." (the kubelet lists the folder with the pattern [^.]*)', pods: [] });
      continue;
    }
    manifests.push(entry(fs, p, budget));
  }
  const out: StaticPodFacts = { path: dir, stat, manifests, url };
  if (unknown) out.unknown = unknown;
  return out;
}

/** One folder entry, os.Stat'ed as the kubelet does. */
function entry(fs: RootFs, p: string, budget: { left: number }): ManifestFact {
  const lst = fs.stat(p, { follow: false });
  const st = fs.stat(p);
  const link = lst.type === 'symlink' ? fs.realpath(p) : undefined;
  const linkTarget = link?.ok ? { linkTarget: link.path } : {};
  if (st.exists === false) {
    const why = lst.type === 'symlink' ? 'a symlink whose target does not exist' : 'it vanished while the folder was read';
    return { path: p, stat: lst, ignored: `${why} (the kubelet cannot stat it and skips it)`, pods: [] };
  }
  if (st.exists === null) {
    if (st.error?.startsWith('ELOOP')) return { path: p, stat: lst, ignored: 'a symlink loop (the kubelet cannot stat it and skips it)', pods: [] };
    return { path: p, stat: st, unreadable: `cannot stat it: ${st.error ?? 'stat failed'}`, pods: [], ...linkTarget };
  }
  if (st.type === 'dir') return { path: p, stat: st, ignored: 'a folder: the kubelet does not recurse into sub-folders', pods: [], ...linkTarget };
  if (st.type !== 'file') return { path: p, stat: st, ignored: `not a regular file (${st.type ?? 'unknown type'}): the kubelet skips it`, pods: [], ...linkTarget };
  return { ...readManifest(fs, p, st, budget), ...linkTarget };
}

function readManifest(fs: RootFs, p: string, stat: StatResult, budget?: { left: number }): ManifestFact {
  if (budget && (stat.size ?? 0) > budget.left) {
    return { path: p, stat, unreadable: `not read: the manifests before it hold ${MAX_TOTAL_MANIFEST_BYTES - budget.left} bytes, and the audit reads at most ${MAX_TOTAL_MANIFEST_BYTES} bytes of manifests in all`, pods: [] };
  }
  const r = fs.read(p, MAX_MANIFEST_BYTES);
  if (budget && r.ok) budget.left -= r.bytes.length;
  if (!r.ok) {
    if (r.code === 'EFBIG' && stat.size !== undefined && stat.size >= KUBELET_MAX_MANIFEST_BYTES) {
      return { path: p, stat, error: `the file is ${stat.size} bytes: the kubelet reads at most ${KUBELET_MAX_MANIFEST_BYTES} bytes (maxConfigLength) and refuses it`, line: 1, pods: [] };
    }
    const why = r.code === 'EFBIG' ? `it is larger than the audit's ${MAX_MANIFEST_BYTES}-byte read limit (the kubelet reads up to ${KUBELET_MAX_MANIFEST_BYTES})` : r.error;
    return { path: p, stat, unreadable: `cannot read it: ${why}`, pods: [] };
  }
  const d = decodeManifest(r.bytes, (hostPath) => {
    const rp = fs.realpath(hostPath);
    return rp.ok ? rp.path : undefined;
  });
  const m: ManifestFact = { path: p, stat, pods: d.pods };
  if (d.unreadable !== undefined) m.unreadable = d.unreadable;
  if (d.error !== undefined) {
    m.error = d.error;
    m.line = d.line ?? 1;
  }
  if (d.extraDocuments) m.extraDocuments = d.extraDocuments;
  return m;
}

// ---- One manifest ----------------------------------------------------------------------------

export interface DecodedManifest {
  pods: PodFact[];
  /** the kubelet would decode it, but it is beyond the audit's bounds: the pod is not known */
  unreadable?: string;
  error?: string;
  line?: number;
  extraDocuments?: number;
}

class Refused extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/** The kubelet would decode it; the audit does not build it (k8s-yaml.ts bounds). */
class NotAnalysed extends Refused {}

/**
 * A manifest's bytes as the kubelet decodes them: the pod it runs, or why it runs nothing.
 * Never throws. `realpath` (optional) resolves a hostPath on the node.
 */
export function decodeManifest(bytes: Buffer, realpath?: (nodePath: string) => string | undefined): DecodedManifest {
  try {
    return decode(bytes, realpath);
  } catch (e) {
    if (e instanceof NotAnalysed) return { pods: [], unreadable: `not analysed${e.line ? ` (line ${e.line})` : ''}: ${e.message}` };
    if (e instanceof Refused) return { pods: [], error: e.message, line: e.line };
    return { pods: [], error: `the audit could not decode it: ${(e as Error)?.message ?? String(e)}`, line: 1 };
  }
}

function decode(bytes: Buffer, realpath?: (nodePath: string) => string | undefined): DecodedManifest {
  const text = textOf(bytes);
  if (text.trim() === '') throw new Refused("the file is empty: no object to decode (the kubelet: Object 'Kind' is missing)", 1);
  if (text.includes('\u0000')) throw new Refused('the file holds NUL bytes (binary data): neither YAML nor JSON', lineOf(text, text.indexOf('\u0000')));

  // utilyaml.ToJSON: a text starting with "{" (after white space) is JSON and decoded as JSON.
  const json = /^\s*\{/.test(text);
  if (json) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new Refused(`invalid JSON: ${(e as Error).message}`, jsonErrorLine(text, e as Error));
    }
  }
  const decoded = decodeK8sYaml(text);
  if (decoded.status === 'too-large') throw new NotAnalysed(decoded.problem.message, decoded.problem.line);
  if (decoded.status === 'refused') throw new Refused(`invalid ${json ? 'JSON' : 'YAML'}: ${decoded.problem.message}`, decoded.problem.line);
  const extra = json ? 0 : decoded.later.nonEmpty;
  const r = new Reader();
  const pod = readPod(r, decoded.root, realpath);
  return extra > 0 ? { pods: [pod], extraDocuments: extra } : { pods: [pod] };
}

/** UTF-8 (BOM dropped) or, with a BOM, UTF-16 as yaml.v2 accepts; invalid UTF-8 is refused. */
function textOf(bytes: Buffer): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    try {
      return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes.subarray(2));
    } catch {
      throw new Refused('invalid UTF-16 after a UTF-16 byte order mark', 1);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Go's JSON decoder replaces invalid UTF-8 in strings; yaml.v2 refuses it.
    const loose = new TextDecoder('utf-8').decode(bytes);
    if (/^\s*\{/.test(loose)) return loose;
    const at = firstBadUtf8(bytes);
    throw new Refused(`invalid UTF-8 at byte ${at.offset}: yaml: invalid leading UTF-8 octet`, at.line);
  }
}

function jsonErrorLine(text: string, e: Error): number | undefined {
  const m = /position (\d+)/.exec(e.message);
  return m ? lineOf(text, Number(m[1])) : undefined;
}


// ---- Typed reading, as Go decodes JSON into v1.Pod ---------------------------------------------

interface Field {
  key: string;
  value: GoNode | null;
  line: number | undefined;
}

/** Typed reading of the JSON value YAMLToJSON gives (k8s-yaml.ts: merge keys already applied). */
class Reader {
  line(n: GoNode | null | undefined): number | undefined {
    return n?.line;
  }

  /** The fields of a mapping (merge keys applied, the last of a repeated key winning, as yaml.v2). */
  fields(v: GoNode | null, what: string): Map<string, Field> {
    const out = new Map<string, Field>();
    if (v === null || v.kind === 'null') return out;
    if (v.kind !== 'map') throw new Refused(`${what}: expected an object, got ${describeGo(v)}`, v.line);
    for (const [key, f] of v.fields) out.set(key, { key, value: f.value, line: f.line });
    return out;
  }

  str(f: Field | undefined, what: string): string | undefined {
    const v = f?.value;
    if (!f || !v || v.kind === 'null') return undefined;
    if (v.kind !== 'string') throw new Refused(`${what}: expected a string, got ${describeGo(v)} (json: cannot unmarshal into a string field)`, f.line);
    return v.value;
  }

  bool(f: Field | undefined, what: string): boolean | undefined {
    const v = f?.value;
    if (!f || !v || v.kind === 'null') return undefined;
    if (v.kind !== 'bool') throw new Refused(`${what}: expected true or false, got ${describeGo(v)}`, f.line);
    return v.value;
  }

  int(f: Field | undefined, what: string): number | undefined {
    const v = f?.value;
    if (!f || !v || v.kind === 'null') return undefined;
    if ((v.kind !== 'int' && v.kind !== 'float') || !Number.isInteger(v.value)) throw new Refused(`${what}: expected an integer, got ${describeGo(v)}`, f.line);
    return v.value;
  }

  list(f: Field | undefined, what: string): GoNode[] {
    const v = f?.value;
    if (!f || !v || v.kind === 'null') return [];
    if (v.kind !== 'list') throw new Refused(`${what}: expected a list, got ${describeGo(v)}`, f.line);
    return v.items;
  }

  strings(f: Field | undefined, what: string): string[] {
    return this.list(f, what).map((it, i) => this.str({ key: String(i), value: it, line: it.line }, `${what}[${i}]`) ?? '');
  }
}

// ---- The pod ---------------------------------------------------------------------------------

/** argv as it may be kept: secret flag values redacted (redact.ts), and passwords in any URL. */
/**
 * Env entries: names, lines and whether they come from valueFrom. Values are kept only for ETCD_*
 * variables (etcd reads its flags from them) whose name is not secret-like; no other value is read.
 */
function readEnv(r: Reader, f: Field | undefined, where: string): NonNullable<ContainerFact['env']> {
  const out: NonNullable<ContainerFact['env']> = [];
  if (!f) return out;
  r.list(f, where).forEach((item, i) => {
    const e = r.fields(item, `${where}[${i}]`);
    const name = r.str(e.get('name'), `${where}[${i}].name`);
    if (name === undefined) return;
    const entry: NonNullable<ContainerFact['env']>[number] = { name, valueFrom: e.has('valueFrom') };
    const at = r.line(item);
    if (at !== undefined) entry.line = at;
    const v = e.get('value');
    const sv = v?.value;
    if (/^ETCD_/.test(name) && redactArg(`--${name}=x`).endsWith('=x') && sv && sv.kind !== 'null' && sv.kind !== 'map' && sv.kind !== 'list') entry.value = String(sv.value);
    out.push(entry);
  });
  return out;
}

function scrub(words: string[]): string[] {
  return redactArgv(words).map((w) => {
    if (!/:\/\/[^/\s]*@/.test(w)) return w;
    const eq = w.startsWith('-') ? w.indexOf('=') : -1;
    const head = eq >= 0 ? w.slice(0, eq + 1) : '';
    return head + w.slice(head.length).split(',').map((u) => (/:\/\/[^/\s]*@/.test(u) ? redactUrl(u) : u)).join(',');
  });
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// validation.go supportedHostPathTypes
const HOST_PATH_TYPES = new Set(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']);

function readPod(r: Reader, root: GoNode | null, realpath?: (nodePath: string) => string | undefined): PodFact {
  const rootNode = root;
  const rootLine = r.line(rootNode) ?? 1;
  if (rootNode?.kind !== 'map') {
    throw new Refused(!rootNode || rootNode.kind === 'null' ? "the document is empty (the kubelet: Object 'Kind' is missing)" : `expected a Pod object at the top level, got ${describeGo(rootNode)}`, rootLine);
  }
  const top = r.fields(rootNode, 'the manifest');
  const apiVersion = r.str(top.get('apiVersion'), 'apiVersion');
  const kind = r.str(top.get('kind'), 'kind');
  if (!kind) throw new Refused("Object 'Kind' is missing: a static pod manifest needs \"apiVersion: v1\" and \"kind: Pod\"", rootLine);
  if (!apiVersion) throw new Refused('apiVersion is missing: a static pod manifest needs "apiVersion: v1" and "kind: Pod"', top.get('kind')?.line ?? rootLine);
  if (apiVersion === 'v1' && kind === 'PodList') {
    throw new Refused('a PodList: the kubelet decodes one Pod per file from staticPodPath (tryDecodeSinglePod); lists are accepted only from staticPodURL. Write one Pod per file', top.get('kind')?.line);
  }
  if (apiVersion !== 'v1' || kind !== 'Pod') {
    const at = apiVersion !== 'v1' ? top.get('apiVersion')?.line : top.get('kind')?.line;
    throw new Refused(`apiVersion ${apiVersion}, kind ${kind}: the kubelet decodes only "apiVersion: v1" with "kind: Pod" from a manifest file (couldn't parse as pod)`, at);
  }

  const metaF = top.get('metadata');
  const meta = r.fields(metaF?.value ?? null, 'metadata');
  const nameF = meta.get('name');
  const name = r.str(nameF, 'metadata.name') ?? '';
  if (name === '') throw new Refused('invalid pod: name is needed for the pod (metadata.name)', metaF?.line ?? rootLine);
  // applyDefaults: the pod runs as "<name>-<node name in lower case>", which must be a DNS subdomain.
  if (!DNS1123_SUBDOMAIN.test(`${name}-n`) || name.length > 252) {
    throw new Refused(`invalid pod: metadata.name "${name}" does not make a valid pod name "${name}-<node>" (lower-case letters, digits, "-" and "."; a DNS subdomain)`, nameF?.line);
  }
  const nsF = meta.get('namespace');
  const namespace = r.str(nsF, 'metadata.namespace') ?? '';
  if (namespace !== '' && !(DNS1123_LABEL.test(namespace) && namespace.length <= 63)) {
    // ValidateObjectMeta: ValidateNamespaceName = NameIsDNSLabel.
    throw new Refused(`invalid pod: metadata.namespace "${namespace}" is not a valid namespace name (a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit)`, nsF?.line);
  }
  const labels: Record<string, string> = {};
  const labelsF = meta.get('labels');
  for (const [k, f] of r.fields(labelsF?.value ?? null, 'metadata.labels')) labels[k] = r.str(f, `metadata.labels.${k}`) ?? '';

  const specF = top.get('spec');
  const spec = r.fields(specF?.value ?? null, 'spec');
  const podSc = r.fields(spec.get('securityContext')?.value ?? null, 'spec.securityContext');
  const podRunAsUser = r.int(podSc.get('runAsUser'), 'spec.securityContext.runAsUser');
  const hostNetwork = r.bool(spec.get('hostNetwork'), 'spec.hostNetwork') ?? false;
  const hostPID = r.bool(spec.get('hostPID'), 'spec.hostPID') ?? false;
  const hostIPC = r.bool(spec.get('hostIPC'), 'spec.hostIPC') ?? false;

  // Volumes: names unique DNS labels; a hostPath has a path without ".." and a known type.
  const volumes = new Map<string, { line?: number; hostPath?: { path: string; type?: string } }>();
  r.list(spec.get('volumes'), 'spec.volumes').forEach((item, i) => {
    const at = r.line(item) ?? spec.get('volumes')?.line;
    const v = r.fields(item, `spec.volumes[${i}]`);
    const vname = r.str(v.get('name'), `spec.volumes[${i}].name`) ?? '';
    if (vname === '') throw new Refused(`invalid pod: spec.volumes[${i}].name: Required value`, at);
    if (!DNS1123_LABEL.test(vname) || vname.length > 63) throw new Refused(`invalid pod: spec.volumes[${i}].name "${vname}" is not a DNS-1123 label`, v.get('name')?.line);
    if (volumes.has(vname)) throw new Refused(`invalid pod: spec.volumes[${i}].name: Duplicate value "${vname}"`, v.get('name')?.line);
    const hpF = v.get('hostPath');
    let hostPath: { path: string; type?: string } | undefined;
    if (hpF && hpF.value && hpF.value.kind !== 'null') {
      const hp = r.fields(hpF.value, `spec.volumes[${i}].hostPath`);
      const p = r.str(hp.get('path'), `spec.volumes[${i}].hostPath.path`) ?? '';
      if (p === '') throw new Refused(`invalid pod: spec.volumes[${i}].hostPath.path: Required value`, hpF.line);
      if (p.split('/').includes('..')) throw new Refused(`invalid pod: spec.volumes[${i}].hostPath.path "${p}": must not contain '..'`, hp.get('path')?.line);
      const type = r.str(hp.get('type'), `spec.volumes[${i}].hostPath.type`);
      if (type !== undefined && !HOST_PATH_TYPES.has(type)) throw new Refused(`invalid pod: spec.volumes[${i}].hostPath.type "${type}": Unsupported value`, hp.get('type')?.line);
      hostPath = type !== undefined && type !== '' ? { path: p, type } : { path: p };
    }
    volumes.set(vname, hostPath ? { line: at, hostPath } : { line: at });
  });

  const containers: ContainerFact[] = [];
  const mountsByVolume = new Map<string, HostPathMount['mounts']>();
  const names = new Set<string>();
  const readContainers = (key: 'containers' | 'initContainers') => {
    r.list(spec.get(key), `spec.${key}`).forEach((item, i) => {
      const where = `spec.${key}[${i}]`;
      const at = r.line(item) ?? spec.get(key)?.line;
      const c = r.fields(item, where);
      const cname = r.str(c.get('name'), `${where}.name`) ?? '';
      if (cname === '') throw new Refused(`invalid pod: ${where}.name: Required value`, at);
      if (!DNS1123_LABEL.test(cname) || cname.length > 63) throw new Refused(`invalid pod: ${where}.name "${cname}" is not a DNS-1123 label`, c.get('name')?.line);
      if (names.has(cname)) throw new Refused(`invalid pod: ${where}.name: Duplicate value "${cname}"`, c.get('name')?.line);
      names.add(cname);
      const image = r.str(c.get('image'), `${where}.image`);
      const command = r.strings(c.get('command'), `${where}.command`);
      const args = r.strings(c.get('args'), `${where}.args`);
      const scF = c.get('securityContext');
      const sc = r.fields(scF?.value ?? null, `${where}.securityContext`);
      const privileged = r.bool(sc.get('privileged'), `${where}.securityContext.privileged`) ?? false;
      const ape = r.bool(sc.get('allowPrivilegeEscalation'), `${where}.securityContext.allowPrivilegeEscalation`);
      const runAsUser = r.int(sc.get('runAsUser'), `${where}.securityContext.runAsUser`) ?? podRunAsUser;
      const capsF = sc.get('capabilities');
      const caps = r.fields(capsF?.value ?? null, `${where}.securityContext.capabilities`);
      const addF = caps.get('add');
      const capabilitiesAdd = r.strings(addF, `${where}.securityContext.capabilities.add`);
      r.strings(caps.get('drop'), `${where}.securityContext.capabilities.drop`);
      const mountPaths = new Set<string>();
      r.list(c.get('volumeMounts'), `${where}.volumeMounts`).forEach((mi, j) => {
        const mw = `${where}.volumeMounts[${j}]`;
        const mat = r.line(mi) ?? c.get('volumeMounts')?.line;
        const m = r.fields(mi, mw);
        const vname = r.str(m.get('name'), `${mw}.name`) ?? '';
        const mountPath = r.str(m.get('mountPath'), `${mw}.mountPath`) ?? '';
        const readOnly = r.bool(m.get('readOnly'), `${mw}.readOnly`) ?? false;
        if (vname === '') throw new Refused(`invalid pod: ${mw}.name: Required value`, mat);
        if (!volumes.has(vname)) throw new Refused(`invalid pod: ${mw}.name: Not found: "${vname}" (no volume of that name)`, m.get('name')?.line ?? mat);
        if (mountPath === '') throw new Refused(`invalid pod: ${mw}.mountPath: Required value`, mat);
        if (mountPaths.has(mountPath)) throw new Refused(`invalid pod: ${mw}.mountPath "${mountPath}": must be unique`, m.get('mountPath')?.line ?? mat);
        mountPaths.add(mountPath);
        const list = mountsByVolume.get(vname) ?? [];
        list.push(mat !== undefined ? { container: cname, mountPath, readOnly, line: mat } : { container: cname, mountPath, readOnly });
        mountsByVolume.set(vname, list);
      });
      const fact: ContainerFact = { name: cname, command: scrub(command), args: scrub(args), privileged, capabilitiesAdd };
      const wordLines = (f: Field | undefined) => (f ? r.list(f, where).map((it) => r.line(it)) : []);
      if (command.length > 0) fact.commandLines = wordLines(c.get('command'));
      if (args.length > 0) fact.argsLines = wordLines(c.get('args'));
      const env = readEnv(r, c.get('env'), `${where}.env`);
      if (env.length > 0) fact.env = env;
      const envFromF = c.get('envFrom');
      if (envFromF && r.list(envFromF, `${where}.envFrom`).length > 0) fact.envFrom = envFromF.line !== undefined ? { line: envFromF.line } : {};
      if (image !== undefined) fact.image = image;
      if (ape !== undefined) fact.allowPrivilegeEscalation = ape;
      if (runAsUser !== undefined) fact.runAsUser = runAsUser;
      if (at !== undefined) fact.line = at;
      if (key === 'initContainers') fact.init = true;
      const lines: NonNullable<ContainerFact['lines']> = {};
      if (sc.get('privileged')?.line !== undefined && privileged) lines.privileged = sc.get('privileged')!.line!;
      if (addF?.line !== undefined && capabilitiesAdd.length > 0) lines.capabilitiesAdd = addF.line;
      if (Object.keys(lines).length > 0) fact.lines = lines;
      containers.push(fact);
    });
  };
  readContainers('initContainers');
  readContainers('containers');
  if (!containers.some((c) => !c.init)) throw new Refused('invalid pod: spec.containers: Required value (a pod needs at least one container)', specF?.line ?? rootLine);
  if (r.list(spec.get('ephemeralContainers'), 'spec.ephemeralContainers').length > 0) {
    throw new Refused('invalid pod: spec.ephemeralContainers: Forbidden: cannot be set on create', spec.get('ephemeralContainers')?.line);
  }
  // Regular containers first, as they appear; init containers after (flagged init).
  containers.sort((a, b) => Number(a.init ?? false) - Number(b.init ?? false));

  const hostPaths: HostPathMount[] = [];
  for (const [vname, v] of volumes) {
    if (!v.hostPath) continue;
    const hp: HostPathMount = { volume: vname, path: v.hostPath.path, mounts: mountsByVolume.get(vname) ?? [] };
    if (v.hostPath.type !== undefined) hp.type = v.hostPath.type;
    if (v.line !== undefined) hp.line = v.line;
    if (realpath && v.hostPath.path.startsWith('/')) {
      const clean = path.posix.normalize(v.hostPath.path).replace(/(.)\/$/, '$1');
      const rp = realpath(clean);
      if (rp !== undefined && rp !== clean) hp.realPath = rp;
    }
    hostPaths.push(hp);
  }

  const pod: PodFact = { name, namespace, line: metaF?.line ?? rootLine, hostNetwork, hostPID, hostIPC, containers, hostPaths, labels };
  const lines: NonNullable<PodFact['lines']> = {};
  if (nameF?.line !== undefined) lines.name = nameF.line;
  if (nsF?.line !== undefined) lines.namespace = nsF.line;
  if (hostNetwork && spec.get('hostNetwork')?.line !== undefined) lines.hostNetwork = spec.get('hostNetwork')!.line!;
  if (hostPID && spec.get('hostPID')?.line !== undefined) lines.hostPID = spec.get('hostPID')!.line!;
  if (hostIPC && spec.get('hostIPC')?.line !== undefined) lines.hostIPC = spec.get('hostIPC')!.line!;
  if (Object.keys(lines).length > 0) pod.lines = lines;
  return pod;
}

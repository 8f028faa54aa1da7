// YAML read as Kubernetes reads it (kubelet-facts §8): sigs.k8s.io/yaml's YAMLToJSON on go-yaml v2
// (go.yaml.in/yaml/v2 2.4.x, before that the fork sigs.k8s.io/yaml/goyaml.v2). One module, so the
// kubelet config and drop-ins, static pod manifests, kubeconfigs and kube-proxy's config all get
// the same JSON value the Go code decodes — with the line where each value was written.
//
// What go-yaml v2 does, read in goyaml.v2/decode.go, resolve.go, scannerc.go and yaml.go of
// kubernetes-sigs/yaml (and sigs.k8s.io/yaml yaml.go yamlToJSONTarget, convertToJSONableObject):
// - only the first document is decoded (yaml.Unmarshal); anchors are bound at parse time, in document order (a later
//   `&a` rebinds the name for the aliases after it); an alias inside its own anchor is refused
//   ("anchor 'a' value contains itself"), an unknown one too;
// - merge keys: a key is `<<` if it is a plain untagged scalar `<<`, or any `<<` tagged `!` or
//   !!merge (isMerge, parserc.go plain_implicit). Its value must be a mapping, an alias of one, or a
//   sequence of those (else "map merge requires map or sequence of maps as the value"). The merged
//   pairs are written INTO the same Go map, in place, where the `<<` stands (decoder.merge,
//   mapping): a key written before `<<` is overwritten by the merge, a key written after it wins; in
//   a sequence the maps are applied last to first, so the first one wins among them. A quoted "<<"
//   is an ordinary key. (The yaml library's `merge` option keeps a key written before `<<`, as the
//   YAML merge spec says: not what Kubernetes does, so it is not used.)
// - duplicates: the last write wins (map assignment); UnmarshalStrict reports "key already set in
//   map" instead — merged keys included — which the kubelet's strict decoding turns into a warning
//   and a lenient retry (kubelet-facts §8), so the lenient value is the one used;
// - plain scalars resolve by YAML 1.1 rules (resolve.go): y/yes/on/true… bools, ~/null/"" null,
//   Go ParseInt base 0 (0x, 0o, 0b, leading 0 octal, `_` removed), then uint64, then float; base 60
//   is not supported; timestamps decode into interface{} as their text;
// - keys become JSON strings: bool "true"/"false", numbers in decimal (floats as Go formats a
//   float32 with %g), strings as they are; a null key is refused ("unsupported map key"), a mapping
//   or sequence key is refused ("invalid map key"); NaN or ±Inf anywhere in the result fails
//   json.Marshal;
// - limits: 10,000 nested flow collections (max_flow_level) and 10,000 block indentation levels
//   (max_indents) — "exceeded max depth of 10000" — and "document contains excessive aliasing",
//   decided by the share of decode steps that come from expanding aliases (allowedAliasRatio).
//
// The audit's own bounds: a document of more than MAX_AUDIT_NODES tokens or nested deeper than
// MAX_AUDIT_DEPTH is not built (the YAML library needs up to about 1.5 KB per node); it is counted
// first with the library's Lexer, token by token, and reported as too large: its verdicts are unknown.
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, type Document, type Node, type Scalar } from 'yaml';

export interface GoNull { kind: 'null'; line: number }
export interface GoBool { kind: 'bool'; value: boolean; line: number }
export interface GoInt { kind: 'int'; value: number; line: number }
export interface GoFloat { kind: 'float'; value: number; line: number }
export interface GoString { kind: 'string'; value: string; line: number }
/** A field: its JSON key, the line of the key as written (inside an anchor for a merged field). */
export interface GoField { key: string; line: number; value: GoNode }
export interface GoMap { kind: 'map'; fields: Map<string, GoField>; line: number }
export interface GoList { kind: 'list'; items: GoNode[]; line: number }
/** A value as Go's JSON decoder receives it after YAMLToJSON; `line` is where it was written. */
export type GoNode = GoNull | GoBool | GoInt | GoFloat | GoString | GoMap | GoList;

export interface YamlProblem { message: string; line?: number }

/** A key set twice in one mapping (go-yaml's strict mode: "key already set in map"); the last wins. */
export interface Duplicate {
  /** dotted path of the key (list items as [i]) */
  path: string;
  line: number;
  previousLine: number;
  /** set by a merge key (`<<`) */
  merged: boolean;
}

export type K8sYaml =
  | {
    status: 'ok';
    root: GoNode | null;
    duplicates: Duplicate[];
    /** the documents after the first (never decoded): how many, how many hold anything, where the second starts */
    later: { count: number; nonEmpty: number; line?: number };
  }
  /** go-yaml or YAMLToJSON fails on it: the Kubernetes component refuses the file. */
  | { status: 'refused'; problem: YamlProblem }
  /** Go accepts it, but it is beyond what the audit builds in memory: what it says is not known. */
  | { status: 'too-large'; problem: YamlProblem };

/** scannerc.go: max_flow_level and max_indents. */
export const GO_YAML_MAX_DEPTH = 10_000;
/**
 * The audit builds a first document of at most this many YAML tokens (scalars, aliases, indicators
 * such as `-` `:` `,` `[`): about 330 MiB at most for the YAML library's tree, measured on the
 * densest forms (flow sequences of scalars, `- a:` lines, aliases, lines with errors).
 */
export const MAX_AUDIT_NODES = 350_000;
/**
 * and nests at most this deep: the YAML library composes recursively and runs out of stack
 * somewhere between 1,000 and 3,000 levels; real files nest fewer than 20.
 */
export const MAX_AUDIT_DEPTH = 200;
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

class Refusal extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/**
 * The first YAML document of `text` as sigs.k8s.io/yaml.YAMLToJSON (non-strict) returns it, with
 * lines. Never throws. `limits` lowers the audit's bounds (for tests).
 */
export function decodeK8sYaml(text: string, limits: { nodes?: number; depth?: number } = {}): K8sYaml {
  const maxNodes = limits.nodes ?? MAX_AUDIT_NODES;
  const maxDepth = limits.depth ?? MAX_AUDIT_DEPTH;
  const scan = scanYaml(text, maxNodes);
  if (scan.refused) return { status: 'refused', problem: scan.refused };
  if (scan.nodes > maxNodes) {
    return { status: 'too-large', problem: { message: `the document holds about ${scan.nodes} YAML tokens; the audit analyses at most ${maxNodes} per file`, line: scan.nodesLine } };
  }
  if (scan.depth > maxDepth) {
    return { status: 'too-large', problem: { message: `the document nests ${scan.depth} levels deep; the audit analyses at most ${maxDepth} levels (the kubelet's YAML parser allows ${GO_YAML_MAX_DEPTH})`, line: scan.depthLine } };
  }
  const later = { count: scan.documents > 1 ? scan.documents - 1 : 0, nonEmpty: scan.laterWithContent, ...(scan.secondLine ? { line: scan.secondLine } : {}) };
  // Only the first document is parsed (go-yaml decodes only that one); a stray token at the stream
  // level (`]` in block context…) refuses the file at the first one, before any tree.
  const lc = new LineCounter();
  const composer = new Composer({ version: '1.1', uniqueKeys: false });
  let first: Document.Parsed | undefined;
  for (const tok of new Parser(lc.addNewLine).parse(scan.secondOffset !== undefined ? text.slice(0, scan.secondOffset) : text)) {
    if (tok.type === 'error') {
      const line = lc.linePos(tok.offset).line;
      if (STACK_OVERFLOW.test(tok.message)) return { status: 'too-large', problem: { message: 'the document nests too deeply for the audit to analyse', line } };
      return { status: 'refused', problem: { message: tok.message, line } };
    }
    for (const d of composer.next(tok)) first ??= d;
    if (first) break;
  }
  if (!first) for (const d of composer.end()) first ??= d;
  if (!first) return { status: 'ok', root: null, duplicates: [], later };
  const err = first.errors[0];
  if (err) {
    // The library turns its own stack overflow into a parse error: that is the audit's limit, not the file's fault.
    const status = first.errors.some((e) => STACK_OVERFLOW.test(e.message)) ? 'too-large' : 'refused';
    const message = status === 'too-large' ? 'the document nests too deeply for the audit to analyse' : (err.message.split('\n')[0] ?? 'invalid YAML');
    return { status, problem: { message, line: lc.linePos(err.pos[0]).line } };
  }
  const dec = new Decoder(lc);
  try {
    dec.step(); // the document node
    const root = first.contents === null ? null : dec.node(first.contents as Node, '').v;
    if (root) rejectNonFinite(root);
    return { status: 'ok', root: root && root.kind === 'null' ? null : root, duplicates: dec.duplicates, later };
  } catch (e) {
    if (e instanceof Refusal) return { status: 'refused', problem: e.line !== undefined ? { message: e.message, line: e.line } : { message: e.message } };
    // A nesting the count above did not see (it should): not built, never guessed.
    if (e instanceof RangeError) return { status: 'too-large', problem: { message: 'the document nests too deeply for the audit to analyse' } };
    throw e;
  }
}

// ---- Decoding, step by step as go-yaml's decoder.unmarshal --------------------------------------

const MERGE_TAG = 'tag:yaml.org,2002:merge';

function isMergeKey(k: unknown): boolean {
  if (!isScalar(k) || k.source !== '<<') return false;
  // isMerge: value "<<" and (implicit || tag == !!merge); implicit (parserc.go plain_implicit) is a
  // plain scalar without a tag, or any scalar with the non-specific tag `!`, quoted or not.
  return (k.type === 'PLAIN' && k.tag === undefined) || k.tag === '!' || k.tag === MERGE_TAG;
}

/** decode.go allowedAliasRatio */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

interface Decoded { v: GoNode; steps: number }

class Decoder {
  readonly duplicates: Duplicate[] = [];
  private decodeCount = 0;
  private aliasCount = 0;
  private readonly anchors = new Map<string, Node>();
  private readonly memo = new Map<Node, Decoded>();
  private readonly active = new Set<Node>();
  private readonly lc: LineCounter;

  constructor(lc: LineCounter) {
    this.lc = lc;
  }

  line(n: { range?: readonly number[] | null } | null | undefined): number {
    return n?.range ? this.lc.linePos(n.range[0]!).line : 1;
  }

  /** One unmarshal call outside an alias. */
  step(): void {
    this.decodeCount++;
    this.checkAliasing();
  }

  /**
   * An alias expands its target again: `steps` unmarshal calls, all counted as alias-driven. Within
   * such a run the alias share only grows and the allowed ratio only falls, so checking at its end
   * finds exactly what go-yaml's per-step check finds.
   */
  private aliasRun(steps: number): void {
    this.decodeCount += steps;
    this.aliasCount += steps;
    this.checkAliasing();
  }

  private checkAliasing(): void {
    const d = this.decodeCount;
    if (this.aliasCount > 100 && d > 1000 && this.aliasCount / d > allowedAliasRatio(d)) throw new Refusal('yaml: document contains excessive aliasing');
  }

  node(n: Node | null, path: string, fallbackLine = 1): Decoded {
    if (n === null || n === undefined) {
      this.step();
      return { v: { kind: 'null', line: fallbackLine }, steps: 1 };
    }
    if (isAlias(n)) {
      const target = this.anchors.get(n.source);
      const line = this.line(n);
      if (!target) throw new Refusal(`yaml: unknown anchor '${n.source}' referenced`, line);
      if (this.active.has(target)) throw new Refusal(`yaml: anchor '${n.source}' value contains itself`, line);
      const t = this.memo.get(target);
      if (!t) throw new Refusal(`yaml: anchor '${n.source}' cannot be resolved`, line);
      this.step();
      this.aliasRun(t.steps);
      return { v: t.v, steps: 1 + t.steps };
    }
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, n); // bound at the node's start, as go-yaml's parser does
    this.step();
    let out: Decoded;
    if (isScalar(n)) out = { v: resolveScalar(n, this.line(n)), steps: 1 };
    else if (isMap(n)) out = this.mapping(n, path);
    else if (isSeq(n)) out = this.sequence(n, path);
    else throw new Refusal('yaml: unexpected node', this.line(n));
    if (anchor) this.memo.set(n, out);
    return out;
  }

  private mapping(n: Node & { items: unknown[] }, path: string): Decoded {
    this.active.add(n);
    const fields = new Map<string, GoField>();
    let steps = 1;
    for (const item of n.items) {
      if (!isPair(item)) continue;
      if (isMergeKey(item.key)) {
        steps += this.merge(item.value as Node | null, fields, path);
        continue;
      }
      const keyNode = item.key as Node | null;
      const kLine = keyNode ? this.line(keyNode) : this.line(item.value as Node | null);
      const k = this.node(keyNode, path, kLine);
      const v = this.node(item.value as Node | null, path, kLine);
      steps += k.steps + v.steps;
      const key = jsonKey(k.v, kLine);
      this.set(fields, { key, line: kLine, value: v.v }, path, false);
    }
    this.active.delete(n);
    return { v: { kind: 'map', fields, line: this.line(n) }, steps };
  }

  private sequence(n: Node & { items: unknown[] }, path: string): Decoded {
    this.active.add(n);
    const items: GoNode[] = [];
    let steps = 1;
    n.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (isPair(item)) {
        // `[a: 1]`: a flow sequence entry that is a single-pair mapping
        const kLine = this.line(item.key as Node | null);
        this.step();
        const k = this.node(item.key as Node | null, p, kLine);
        const v = this.node(item.value as Node | null, p, kLine);
        steps += 1 + k.steps + v.steps;
        const fields = new Map<string, GoField>([[jsonKey(k.v, kLine), { key: jsonKey(k.v, kLine), line: kLine, value: v.v }]]);
        items.push({ kind: 'map', fields, line: kLine });
        return;
      }
      const d = this.node(item as Node | null, p, this.line(n));
      steps += d.steps;
      items.push(d.v);
    });
    this.active.delete(n);
    return { v: { kind: 'list', items, line: this.line(n) }, steps };
  }

  /** decoder.merge: the merged maps' fields are written into `into` now, in place. */
  private merge(value: Node | null, into: Map<string, GoField>, path: string): number {
    const wantMap = (at: number) => new Refusal('yaml: map merge requires map or sequence of maps as the value', at);
    const mapOf = (n: Node | null | undefined): boolean => {
      if (isMap(n)) return true;
      if (isAlias(n)) return isMap(this.anchors.get(n.source));
      return false;
    };
    if (isSeq(value)) {
      // Decoded in document order (anchors bind in document order), applied last to first: the
      // first map of the sequence wins ("Step backwards as earlier nodes take precedence").
      const parts: Decoded[] = [];
      let steps = 0;
      for (const it of value.items) {
        if (!mapOf(it as Node | null)) throw wantMap(this.line((it as Node | null) ?? value));
        const d = this.node(it as Node, path);
        steps += d.steps;
        parts.push(d);
      }
      for (let i = parts.length - 1; i >= 0; i--) this.apply(parts[i]!.v, into, path);
      return steps;
    }
    if (!mapOf(value)) throw wantMap(this.line(value));
    const d = this.node(value, path);
    this.apply(d.v, into, path);
    return d.steps;
  }

  private apply(src: GoNode, into: Map<string, GoField>, path: string): void {
    if (src.kind !== 'map') return;
    for (const f of src.fields.values()) this.set(into, f, path, true);
  }

  private set(fields: Map<string, GoField>, f: GoField, path: string, merged: boolean): void {
    const before = fields.get(f.key);
    if (before) this.duplicates.push({ path: path ? `${path}.${f.key}` : f.key, line: f.line, previousLine: before.line, merged });
    fields.set(f.key, f);
  }
}

/** convertToJSONableObject: the JSON name of a map key. */
function jsonKey(k: GoNode, line: number): string {
  switch (k.kind) {
    case 'string':
      return k.value;
    case 'bool':
      return k.value ? 'true' : 'false';
    case 'int':
      return String(k.value);
    case 'float':
      return goFloat32g(k.value);
    case 'null':
      throw new Refusal('unsupported map key of type: <nil> (a null key)', line);
    default:
      throw new Refusal(`yaml: invalid map key: a ${k.kind === 'map' ? 'mapping' : 'sequence'} used as a key`, line);
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's .inf/.nan spellings. */
function goFloat32g(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const f32 = Math.fround(f);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = f32.toPrecision(p);
    if (Math.fround(Number(digits)) === f32) break;
  }
  const [mant, e] = Number(digits).toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 21 || (exp >= 6 && !Number.isInteger(Number(digits)))) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 6) return `${mant}e+${String(exp).padStart(2, '0')}`;
  return String(Number(digits));
}

/** json.Marshal fails on NaN and ±Inf: YAMLToJSON then fails as a whole. */
function rejectNonFinite(root: GoNode): void {
  const seen = new Set<GoNode>();
  const stack: GoNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'float' && !Number.isFinite(n.value)) throw new Refusal(`json: unsupported value: ${Number.isNaN(n.value) ? 'NaN' : n.value > 0 ? '+Inf' : '-Inf'}`, n.line);
    if (n.kind === 'map') for (const f of n.fields.values()) stack.push(f.value);
    else if (n.kind === 'list') for (const it of n.items) stack.push(it);
  }
}

// ---- Scalars: resolve.go -------------------------------------------------------------------------

const TAG = 'tag:yaml.org,2002:';
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, NaN] as [string, number]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Infinity] as [string, number]),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, -Infinity] as [string, number]),
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Resolved = { tag: 'null' } | { tag: 'bool'; v: boolean } | { tag: 'int'; v: number } | { tag: 'float'; v: number } | { tag: 'str'; v: string } | { tag: 'timestamp'; v: string };

/** resolve(tag="", in): the type go-yaml gives a plain scalar. */
export function resolvePlain(src: string): Resolved {
  if (NULLS.has(src)) return { tag: 'null' };
  if (TRUES.has(src)) return { tag: 'bool', v: true };
  if (FALSES.has(src)) return { tag: 'bool', v: false };
  const special = SPECIAL_FLOATS.get(src);
  if (special !== undefined) return { tag: 'float', v: special };
  const c = src[0]!;
  if (c === '.') {
    // strconv.ParseFloat on the text as is
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(src) ? { tag: 'float', v: Number(src) } : { tag: 'str', v: src };
  }
  if (!/[-+0-9]/.test(c)) return { tag: 'str', v: src };
  if (/^[0-9]{4}-/.test(src) && isTimestamp(src)) return { tag: 'timestamp', v: src };
  const plain = src.replace(/_/g, '');
  const m = GO_INT.exec(plain);
  if (m) {
    const body = m[2]!;
    const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body; // a leading 0 is octal
    const n = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
    if ((n >= INT64_MIN && n <= INT64_MAX) || (m[1] === '' && n <= UINT64_MAX)) return { tag: 'int', v: Number(n) };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', v: f }; // ParseFloat fails on overflow
  }
  return { tag: 'str', v: src };
}

function isTimestamp(s: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/.test(s);
}

function resolveScalar(s: Scalar, line: number): GoNode {
  const text = typeof s.source === 'string' ? s.source : String(s.value ?? '');
  const tag = s.tag;
  let r: Resolved;
  if (tag === undefined) {
    // A quoted or block scalar without a tag is a string (n.tag == "" && !n.implicit).
    r = s.type === 'PLAIN' ? resolvePlain(text) : { tag: 'str', v: text };
  } else if (tag === `${TAG}binary`) {
    const clean = text.replace(/\s+/g, '');
    if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) throw new Refusal('yaml: !!binary value contains invalid base64 data', line);
    r = { tag: 'str', v: Buffer.from(clean, 'base64').toString('utf8') };
  } else if ([`${TAG}str`, `${TAG}bool`, `${TAG}int`, `${TAG}float`, `${TAG}null`, `${TAG}timestamp`].includes(tag)) {
    const want = tag.slice(TAG.length);
    if (want === 'str') r = { tag: 'str', v: text };
    else {
      r = text === '' ? { tag: 'null' } : resolvePlain(text);
      if (want === 'float' && r.tag === 'int') r = { tag: 'float', v: r.v };
      if (r.tag !== want && !(want === 'timestamp' && r.tag === 'timestamp')) {
        throw new Refusal(`yaml: cannot decode !!${r.tag} \`${text.length > 10 ? `${text.slice(0, 7)}...` : text}\` as a !!${want}`, line);
      }
    }
  } else {
    r = { tag: 'str', v: text }; // any other tag: the text, as go-yaml's resolve leaves it
  }
  switch (r.tag) {
    case 'null':
      return { kind: 'null', line };
    case 'bool':
      return { kind: 'bool', value: r.v, line };
    case 'int':
      return { kind: 'int', value: r.v, line };
    case 'float':
      return { kind: 'float', value: r.v, line };
    default:
      return { kind: 'string', value: r.v, line };
  }
}

// ---- The count before the build -------------------------------------------------------------------

export interface YamlScan {
  /** scalars, collections and aliases, about */
  nodes: number;
  /** the line where the count passed MAX_AUDIT_NODES */
  nodesLine?: number;
  /** deepest nesting of the first document (flow collections plus block indentation levels) */
  depth: number;
  depthLine?: number;
  /** go-yaml's scanner refuses the first document */
  refused?: YamlProblem;
  /** documents in the stream, the ones after the first that hold anything, where the second starts */
  documents: number;
  laterWithContent: number;
  secondLine?: number;
  /** where the second document starts: the first is all that is parsed */
  secondOffset?: number;
}

/**
 * Counts nodes and nesting with the YAML library's Lexer, one token at a time and without a tree,
 * and applies go-yaml's scanner limits the way scannerc.go counts them: flow_level rises at each
 * `[`/`{`, the indents stack at each block entry (`-`), explicit key (`?`) or simple key whose
 * column is deeper than the current indentation, and falls when a token starts left of it.
 */
export function scanYaml(text: string, nodeMark = MAX_AUDIT_NODES): YamlScan {
  const out: YamlScan = { nodes: 0, depth: 0, documents: 0, laterWithContent: 0 };
  let docHasContent = false;
  let line = 1;
  let col = 0;
  let flow = 0;
  const indents: number[] = [];
  let indent = -1;
  let keyAllowed = true;
  let keyCol = -1;
  let keyLine = 0;
  let doc = 0;
  let atDocStart = false;
  let offset = 0; // the Lexer is lossless: every character is in exactly one token
  const roll = (c: number, at: number) => {
    if (indent < c) {
      indents.push(indent);
      indent = c;
      if (doc <= 1 && indents.length > GO_YAML_MAX_DEPTH && !out.refused) {
        out.refused = { message: `yaml: line ${at}: exceeded max depth of ${GO_YAML_MAX_DEPTH} (the YAML parser of Kubernetes allows ${GO_YAML_MAX_DEPTH} nested block levels)`, line: at };
      }
    }
  };
  for (const tok of new Lexer().lex(text)) {
    const c0 = tok.charCodeAt(0);
    // A document starts at the lexer's DOCUMENT mark, or at a `---` right after the previous one.
    if (tok === '\x02' || tok === '---') {
      if (tok === '\x02' || !atDocStart) {
        doc++;
        if (doc === 2) {
          out.secondLine = line;
          out.secondOffset = offset;
        }
        docHasContent = false;
      }
      atDocStart = tok === '\x02';
      flow = 0;
      indents.length = 0;
      indent = -1;
      keyAllowed = true;
      keyCol = -1;
      advance(tok === '\x02' ? '' : tok);
      continue;
    }
    if (tok === '\x1f' || tok === '\x18') continue;
    if (tok === '\n' || tok === '\r\n') {
      offset += tok.length;
      line++;
      col = 0;
      if (flow === 0) keyAllowed = true;
      continue;
    }
    if (c0 === 0x20 || c0 === 0x09 || c0 === 0x23 /* # */ || c0 === 0xfeff || c0 === 0x25 /* % */ || tok === '...') {
      advance(tok);
      continue;
    }
    atDocStart = false;
    if (!docHasContent && doc > 1) out.laterWithContent++;
    docHasContent = true;
    countNode(); // every token that can make or mark a node, a pair or an error counts
    const startLine = line;
    const startCol = col;
    if (flow === 0) while (indent > startCol) indent = indents.pop()!;
    if (tok === '[' || tok === '{') {
      if (flow === 0 && keyAllowed) { keyCol = startCol; keyLine = startLine; }
      keyAllowed = true;
      flow++;
      if (doc <= 1 && flow > GO_YAML_MAX_DEPTH && !out.refused) {
        out.refused = { message: `yaml: line ${startLine}: exceeded max depth of ${GO_YAML_MAX_DEPTH} (the YAML parser of Kubernetes allows ${GO_YAML_MAX_DEPTH} nested flow collections)`, line: startLine };
      }
    } else if (tok === ']' || tok === '}') {
      if (flow > 0) flow--;
      keyAllowed = false;
    } else if (tok === ',') {
      keyAllowed = true;
    } else if (tok === '-' || tok === '?') {
      if (flow === 0) roll(startCol, startLine);
      keyAllowed = true;
    } else if (tok === ':') {
      if (flow === 0 && keyCol >= 0 && keyLine === startLine) roll(keyCol, startLine);
      keyCol = -1;
      keyAllowed = true;
    } else {
      // a scalar's text, a quoted scalar, an anchor, a tag or an alias
      if (keyAllowed) { keyCol = startCol; keyLine = startLine; keyAllowed = false; }
    }
    const depth = flow + indents.length;
    if (depth > out.depth && doc <= 1) {
      out.depth = depth;
      out.depthLine = startLine;
    }
    advance(tok);
  }
  out.documents = doc;
  return out;

  function countNode(): void {
    if (doc > 1) return; // later documents are never built
    out.nodes++;
    if (out.nodes === nodeMark + 1) out.nodesLine = line;
  }
  function advance(tok: string): void {
    offset += tok.length;
    let i = tok.indexOf('\n');
    if (i < 0) {
      col += tok.length;
      return;
    }
    let last = i;
    while (i >= 0) {
      line++;
      last = i;
      i = tok.indexOf('\n', i + 1);
    }
    col = tok.length - last - 1;
  }
}

// ---- Reading the result -------------------------------------------------------------------------

/** The plain JSON value (what Go's JSON decoder sees), for readers that need no lines. */
export function toPlain(n: GoNode | null): unknown {
  if (n === null) return null;
  switch (n.kind) {
    case 'null':
      return null;
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const [k, f] of n.fields) Object.defineProperty(o, k, { value: toPlain(f.value), enumerable: true, writable: true, configurable: true });
      return o;
    }
    case 'list':
      return n.items.map(toPlain);
    default:
      return n.value;
  }
}

/** A field of a map by its JSON name (case-sensitive, as Kubernetes' JSON decoding is). */
export function field(n: GoNode | null | undefined, key: string): GoField | undefined {
  return n?.kind === 'map' ? n.fields.get(key) : undefined;
}

/** "a string", "a list"… for messages about a value of the wrong type (the value itself is not quoted). */
export function describeGo(n: GoNode | null | undefined): string {
  if (!n || n.kind === 'null') return 'null';
  return { bool: 'a boolean', int: 'a number', float: 'a number', string: 'a string', map: 'an object', list: 'a list' }[n.kind];
}

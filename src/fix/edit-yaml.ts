// Surgical edits of a YAML file (issue 12, item 4): set or delete one path of the FIRST document —
// the only one go-yaml and sigs.k8s.io/yaml decode (src/sources/k8s-yaml.ts) — changing the fewest
// bytes: one setting changed is one line changed in the diff the user reviews; every comment, blank
// line, quote style and indentation elsewhere stays. The `yaml` library only LOCATES (node ranges);
// the text is edited by ranges. Nothing is guessed: an alias or an anchor on the path, a key written
// twice, tabs, a document Kubernetes refuses, all are refused with a reason. Every edit is then
// checked against the audit's own decoder: decodeK8sYaml(after) must be decodeK8sYaml(before) with
// exactly that path set (or deleted), the later documents untouched — otherwise the edit is refused.
import { isDeepStrictEqual } from 'node:util';
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { decodeK8sYaml, resolvePlain, scanYaml, toPlain } from '../sources/k8s-yaml.ts';
import { fromFile, pathProblem, refuse, showPath, type EditResult } from './edit-result.ts';

export type { EditResult } from './edit-result.ts';

/** Sub-edits of one call (a collection value is set member by member, to keep what is unchanged). */
const MAX_STEPS = 2000;


/**
 * Sets `path` of the first YAML document of `text` to `value` (`undefined`: deletes it), editing the
 * text in place. Never throws. Numbers in `path` index block sequences; an index equal to the
 * sequence's length appends.
 */
export function setYamlPath(text: string, path: Array<string | number>, value: unknown): EditResult {
  try {
    return setChecked(text, path, value);
  } catch (e) {
    return refuse(`internal error while editing the YAML: ${fromFile(e instanceof Error ? e.message : String(e))}`);
  }
}

function setChecked(text: string, path: Array<string | number>, value: unknown): EditResult {
  const bad = pathProblem(path, value, 'YAML');
  if (bad) return refuse(bad);
  const before = decodeK8sYaml(text);
  if (before.status !== 'ok') return refuse(`Kubernetes would not read this YAML as it is (${fromFile(before.problem.message)}${before.problem.line ? `, line ${before.problem.line}` : ''}): fix it by hand first`);
  const scan = scanYaml(text);
  const end = scan.secondOffset ?? text.length;
  const tabLine = tabIndented(text.slice(0, end));
  if (tabLine) return refuse(`line ${tabLine} is indented with a tab: the file cannot be edited without guessing its indentation`);

  let cur = text;
  const budget: Budget = { steps: 0, override: new Set() };
  const r = setInText(cur, end, path, value, budget);
  if (!r.ok) return r;
  cur = r.text;
  const expected = setPlain(toPlain(before.root), path, value === undefined ? undefined : normalize(value));
  if (typeof expected === 'string') return refuse(expected);

  // The oracle: the audit's decoder must read exactly the intended change, and nothing else moved.
  const tail = text.slice(end);
  if (!cur.endsWith(tail)) return refuse(`${showPath(path)}: the edit would touch a later document`);
  const after = decodeK8sYaml(cur);
  if (after.status !== 'ok') return refuse(`${showPath(path)}: the edited file would not be valid YAML for Kubernetes (${fromFile(after.problem.message)}); edit it by hand`);
  const got = after.root === null ? {} : toPlain(after.root);
  if (!isDeepStrictEqual(got, expected.value ?? {})) {
    return refuse(`${showPath(path)}: this file's structure (a merge key, an unusual layout) does not allow a safe in-place edit; edit it by hand`);
  }
  const had = new Set(before.duplicates.map((d) => d.path));
  // (Duplicate.path names the key with list indexes only, not its parent keys: matched by the key's name)
  const overridden = (p: string) => [...budget.override].some((k) => p === k || p.endsWith(`.${k}`));
  if (after.duplicates.some((d) => !d.merged && !had.has(d.path) && !overridden(d.path))) return refuse(`${showPath(path)}: the edit would write a key twice; edit it by hand`);
  return { ok: true, text: cur };
}

// ---- The intended result, as plain JSON ------------------------------------------------------------


/** JSON-normal: -0 is 0, own keys only (as Object.defineProperty, so "__proto__" is a plain key). */
function normalize(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(o, k, { value: normalize(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The decoded document with `path` set: a missing or null map or list on the way is created (as
 * the edit creates it). A string on failure.
 */
function setPlain(root: unknown, path: Array<string | number>, value: unknown): { value: unknown } | string {
  const top: unknown = root === null ? {} : structuredClone(root);
  if (!isObj(top) && !Array.isArray(top)) return 'the document is not a mapping of keys: it cannot hold the setting';
  let cur: Record<string, unknown> | unknown[] = top;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const here = showPath(path.slice(0, i));
    if (typeof seg === 'string') {
      if (!isObj(cur)) return `${here} is not a mapping of keys: ${showPath(path)} cannot be set`;
      if (last) {
        if (value === undefined) delete cur[seg];
        else Object.defineProperty(cur, seg, { value, enumerable: true, writable: true, configurable: true });
        break;
      }
      const has = Object.prototype.hasOwnProperty.call(cur, seg);
      let next = has ? cur[seg] : undefined;
      if (next === undefined || next === null) {
        if (value === undefined) return { value: top };
        next = typeof path[i + 1] === 'number' ? [] : {};
        Object.defineProperty(cur, seg, { value: next, enumerable: true, writable: true, configurable: true });
      }
      cur = next as Record<string, unknown> | unknown[];
      if (!isObj(cur) && !Array.isArray(cur)) return `${showPath(path.slice(0, i + 1))} is a single value, not a mapping or a list: ${showPath(path)} cannot be set`;
    } else {
      if (!Array.isArray(cur)) return `${here} is not a list: ${showPath(path)} cannot be set`;
      if (seg > cur.length || (seg === cur.length && value === undefined && !last)) {
        if (value === undefined) return { value: top };
        return `${showPath(path.slice(0, i + 1))}: the list has ${cur.length} items; only an index up to ${cur.length} (to append) can be set`;
      }
      if (last) {
        if (value === undefined) {
          if (seg < cur.length) cur.splice(seg, 1);
        } else cur[seg] = value;
        break;
      }
      let next = cur[seg];
      if (next === undefined || next === null) {
        if (value === undefined) return { value: top };
        next = typeof path[i + 1] === 'number' ? [] : {};
        cur[seg] = next;
      }
      cur = next as Record<string, unknown> | unknown[];
      if (!isObj(cur) && !Array.isArray(cur)) return `${showPath(path.slice(0, i + 1))} is a single value, not a mapping or a list: ${showPath(path)} cannot be set`;
    }
  }
  return { value: top };
}

// ---- Locating -------------------------------------------------------------------------------------

/** The line (1-based) of the first line whose indentation holds a tab, if any. */
function tabIndented(text: string): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^[ ]*\t/.test(l) && /\S/.test(l)) return i + 1;
  }
  return undefined;
}

/** The first document, composed as decodeK8sYaml composes it (YAML 1.1, duplicates kept). */
function firstDocument(text: string): Document.Parsed | undefined {
  const composer = new Composer({ version: '1.1', uniqueKeys: false });
  let first: Document.Parsed | undefined;
  for (const tok of new Parser().parse(text)) {
    for (const d of composer.next(tok)) first ??= d;
    if (first) break;
  }
  if (!first) for (const d of composer.end()) first ??= d;
  return first;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

function isMergeKey(k: unknown): boolean {
  if (!isScalar(k) || k.source !== '<<') return false;
  return (k.type === 'PLAIN' && k.tag === undefined) || k.tag === '!' || k.tag === MERGE_TAG;
}

/** The JSON key go-yaml and YAMLToJSON make of a key node; undefined when not a plain string-like key. */
function keyString(k: unknown): string | undefined {
  if (!isScalar(k)) return undefined;
  const src = typeof k.source === 'string' ? k.source : String(k.value ?? '');
  if (k.tag !== undefined) return k.tag === 'tag:yaml.org,2002:str' || k.tag === '!' ? src : undefined;
  if (k.type !== 'PLAIN') return src;
  const r = resolvePlain(src);
  if (r.tag === 'str' || r.tag === 'timestamp') return r.v;
  if (r.tag === 'bool') return String(r.v);
  if (r.tag === 'int') return String(r.v);
  return undefined;
}

interface Layout {
  /** spaces a nested block mapping is indented under its key */
  mapIndent: number;
  /** spaces a block sequence's dash is indented under its key (0: go-yaml's and kubeadm's style) */
  seqIndent: number;
  /** spaces after a dash */
  dashGap: number;
  eol: string;
}

class Text {
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  lineStart(pos: number): number {
    return this.s.lastIndexOf('\n', pos - 1) + 1;
  }
  /** the end of pos's line, before its line break */
  lineEnd(pos: number): number {
    const i = this.s.indexOf('\n', pos);
    if (i < 0) return this.s.length;
    return i > 0 && this.s[i - 1] === '\r' ? i - 1 : i;
  }
  eolLen(lineEnd: number): number {
    if (this.s.startsWith('\r\n', lineEnd)) return 2;
    return this.s[lineEnd] === '\n' ? 1 : 0;
  }
  /** the column (a BOM at the file's start is no column) */
  col(pos: number): number {
    const ls = this.lineStart(pos);
    return pos - ls - (ls === 0 && this.s.startsWith('\ufeff') ? 1 : 0);
  }
  /** what precedes pos on its line */
  before(pos: number): string {
    return this.s.slice(this.lineStart(pos), pos);
  }
  /** back over whitespace and line breaks */
  trimBack(pos: number, floor: number): number {
    let p = pos;
    while (p > floor && /[ \t\r\n]/.test(this.s[p - 1]!)) p--;
    return p;
  }
}

const range = (n: { range?: readonly number[] | null } | null | undefined): readonly number[] | undefined => n?.range ?? undefined;

/** Where the last character of a node's own text is (trailing comments and blank lines excluded). */
function contentEnd(t: Text, n: unknown): number {
  if (isMap(n) && !n.flow && n.items.length > 0) return pairEnd(t, n.items[n.items.length - 1]!);
  if (isSeq(n) && !n.flow && n.items.length > 0) {
    const last = n.items[n.items.length - 1];
    const r = range(last as Node);
    return r ? contentEnd(t, last) : t.trimBack(range(n as Node)![1]!, range(n as Node)![0]!);
  }
  const r = range(n as Node)!;
  return t.trimBack(r[1]!, r[0]!);
}

/** position of the ':' of a block pair, or -1 */
function colonOf(t: Text, p: Pair): number {
  const kr = range(p.key as Node);
  if (!kr) return -1;
  let i = kr[1]!;
  while (t.s[i] === ' ') i++;
  return t.s[i] === ':' ? i : -1;
}

function pairEnd(t: Text, p: Pair): number {
  const colon = colonOf(t, p);
  const v = p.value as Node | null;
  const ve = v && range(v) ? contentEnd(t, v) : -1;
  return Math.max(colon + 1, ve, range(p.key as Node)?.[1] ?? 0);
}

function detectLayout(t: Text, doc: Document.Parsed): Layout {
  const out: Partial<Layout> = {};
  const visit = (n: unknown, depth: number): void => {
    if (depth > 100 || (out.mapIndent !== undefined && out.seqIndent !== undefined && out.dashGap !== undefined)) return;
    if (isMap(n) && !n.flow) {
      for (const p of n.items) {
        const kr = range(p.key as Node);
        const v = p.value as Node | null;
        const vr = range(v);
        if (kr && vr && t.before(kr[0]!).trim() === '') {
          const kc = t.col(kr[0]!);
          if (isMap(v) && !v.flow && v.items.length > 0 && out.mapIndent === undefined) {
            const d = t.col(vr[0]!) - kc;
            if (d > 0 && t.before(vr[0]!).trim() === '') out.mapIndent = d;
          }
          if (isSeq(v) && !v.flow && out.seqIndent === undefined && t.before(vr[0]!).trim() === '') {
            const d = t.col(vr[0]!) - kc;
            if (d >= 0) out.seqIndent = d;
          }
        }
        visit(v, depth + 1);
      }
    } else if (isSeq(n) && !n.flow) {
      const first = n.items[0] as Node | undefined;
      const fr = range(first);
      const sr = range(n);
      if (fr && sr && out.dashGap === undefined && t.s[sr[0]!] === '-' && fr[1]! > fr[0]!) {
        const g = fr[0]! - sr[0]! - 1;
        if (g >= 1 && !t.s.slice(sr[0]! + 1, fr[0]!).includes('\n')) out.dashGap = g;
      }
      for (const it of n.items) visit(it, depth + 1);
    }
  };
  visit(doc.contents, 0);
  return { mapIndent: out.mapIndent ?? 2, seqIndent: out.seqIndent ?? 0, dashGap: out.dashGap ?? 1, eol: t.s.includes('\r\n') ? '\r\n' : '\n' };
}

// ---- Rendering ------------------------------------------------------------------------------------

/** A plain scalar that the YAML library and go-yaml both read as this very string. */
const PLAIN_SAFE = /^[A-Za-z0-9_./-][A-Za-z0-9_./:@+=~-]*$/;

function plainOk(s: string): boolean {
  // a lone '-' is a list item; '---' and '...' at a line's start end a document
  if (!PLAIN_SAFE.test(s) || s === '-' || s.startsWith('---') || s.startsWith('...') || s.endsWith(':') || s.length > 1000) return false;
  const r = resolvePlain(s);
  return r.tag === 'str' && r.v === s;
}

/** Double-quoted, JSON-style; also escapes what YAML 1.1 takes for a line break or forbids. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function singleQuotedOk(s: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.test(s) && !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

type Style = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | undefined;

function renderScalar(v: unknown, style: Style = undefined): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    const s = String(v === 0 ? 0 : v);
    const r = resolvePlain(s);
    if ((r.tag === 'int' || r.tag === 'float') && r.v === v) return s;
    throw new Error(`the number ${s} cannot be written so that go-yaml reads it back`);
  }
  const s = String(v);
  if (style === 'QUOTE_SINGLE' && singleQuotedOk(s)) return `'${s.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(s);
  return plainOk(s) ? s : doubleQuoted(s);
}

const renderKey = (k: string): string => (plainOk(k) && k !== '<<' ? k : doubleQuoted(k));

/** A scalar or an empty collection: written on the key's (or dash's) line. */
function inline(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isObj(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
  return renderScalar(v);
}

/** The lines of a non-empty block collection: a mapping's keys, or a sequence's dashes, at column `col`. */
function blockLines(v: unknown, col: number, L: Layout): string[] {
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) out.push(...itemLines(item, col, L));
    return out;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out.push(...pairLines(k, x, col, L));
  return out;
}

function pairLines(key: string, v: unknown, col: number, L: Layout): string[] {
  const head = `${' '.repeat(col)}${renderKey(key)}:`;
  const il = inline(v);
  if (il !== undefined) return [`${head} ${il}`];
  return [head, ...blockLines(v, col + (Array.isArray(v) ? L.seqIndent : L.mapIndent), L)];
}

function itemLines(v: unknown, dashCol: number, L: Layout): string[] {
  const dash = `${' '.repeat(dashCol)}-${' '.repeat(L.dashGap)}`;
  const il = inline(v);
  if (il !== undefined) return [`${dash}${il}`];
  const inner = blockLines(v, dashCol + 1 + L.dashGap, L);
  inner[0] = dash + inner[0]!.slice(dash.length);
  return inner;
}

// ---- Editing ----------------------------------------------------------------------------------------

/** steps taken, and the keys written after a merge key (<<) to override what it provides */
interface Budget { steps: number; override: Set<string> }

type Located =
  /** the whole path is written: `node` is the value (null for an empty `- ` item), `holder` what holds it */
  | { kind: 'found'; node: Node | null; holder: { map: YAMLMap; pair: Pair } | { seq: YAMLSeq; index: number }; depth: number }
  /** path[depth] is not written in `coll`; everything before it is */
  | { kind: 'missing'; coll: YAMLMap | YAMLSeq; depth: number; merged: boolean }
  /** path[0, depth) is written and holds nothing (`key:`, `~`): it is replaced as a whole */
  | { kind: 'through-empty'; depth: number }
  /** path[0, depth) is a flow collection ({…}, […]): it is rewritten as a whole, on its one line */
  | { kind: 'flow'; node: YAMLMap | YAMLSeq; depth: number }
  /** the document holds nothing */
  | { kind: 'empty' };

function locate(t: Text, doc: Document.Parsed, path: Array<string | number>): Located | string {
  let node = doc.contents as Node | null;
  if (node === null || (isScalar(node) && node.value === null && node.source === '' && !node.anchor && !node.tag)) return { kind: 'empty' };
  let holder: { map: YAMLMap; pair: Pair } | { seq: YAMLSeq; index: number } | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = showPath(path.slice(0, i));
    if (i > 0 && (node === null || (isScalar(node) && node.value === null && !node.anchor && !node.tag))) return { kind: 'through-empty', depth: i };
    if ((isMap(node) || isSeq(node)) && node.flow && !node.anchor && !node.tag) return { kind: 'flow', node, depth: i };
    if (isAlias(node)) return `${here} is an alias (*${fromFile(node.source)}): an edit through it would change the anchored value and every other alias of it; edit by hand`;
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) return `${here} is anchored (&${fromFile(anchor)}): an edit would also change every alias of it; edit by hand`;
    if (node && (isMap(node) || isSeq(node)) && node.tag) return `${here} carries an explicit tag (${fromFile(node.tag)}); edit by hand`;
    if (typeof seg === 'string') {
      if (!isMap(node)) return `${here} is not a mapping of keys: ${showPath(path)} cannot be set`;
      const hits: Pair[] = [];
      let merged = false;
      for (const p of node.items) {
        if (!isPair(p)) continue;
        if (isMergeKey(p.key)) merged = true;
        else if (isAlias(p.key)) return `${here} has an alias as a key; edit by hand`;
        else if (keyString(p.key) === seg) hits.push(p);
      }
      if (hits.length > 1) {
        const lines = hits.map((p) => t.s.slice(0, range(p.key as Node)![0]).split('\n').length);
        return `${showPath(path.slice(0, i + 1))} is written ${hits.length} times (lines ${lines.join(', ')}); Kubernetes uses the last one: remove the others by hand first`;
      }
      const hit = hits[0];
      if (!hit) return { kind: 'missing', coll: node, depth: i, merged };
      holder = { map: node, pair: hit };
      node = hit.value as Node | null;
    } else {
      if (!isSeq(node)) return `${here} is not a list: ${showPath(path)} cannot be set`;
      if (seg > node.items.length) return `${showPath(path.slice(0, i + 1))}: the list has ${node.items.length} items; only an index up to ${node.items.length} (to append) can be set`;
      if (seg === node.items.length) return { kind: 'missing', coll: node, depth: i, merged: false };
      holder = { seq: node, index: seg };
      node = node.items[seg] as Node | null;
    }
  }
  if (isAlias(node)) return `${showPath(path)} is an alias (*${fromFile(node.source)}); edit by hand`;
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (anchor) return `${showPath(path)} is anchored (&${fromFile(anchor)}): an edit would also change every alias of it; edit by hand`;
  if (node && node.tag && !(isScalar(node) && node.tag === 'tag:yaml.org,2002:null')) return `${showPath(path)} carries an explicit tag (${fromFile(node.tag)}); edit by hand`;
  return { kind: 'found', node, holder: holder!, depth: path.length };
}

/** Nests `value` under the rest of the path: ['b', 0] → { b: [value] }. */
function nest(rest: Array<string | number>, value: unknown): { v: unknown } | string {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const seg = rest[i]!;
    if (typeof seg === 'number') {
      if (seg !== 0) return `index ${seg} of a list that does not exist yet`;
      v = [v];
    } else {
      const o: Record<string, unknown> = {};
      Object.defineProperty(o, seg, { value: v, enumerable: true, writable: true, configurable: true });
      v = o;
    }
  }
  return { v };
}

function splice(s: string, from: number, to: number, ins: string): string {
  return s.slice(0, from) + ins + s.slice(to);
}

/** One edit of the text of the first document (text[0, end)); collections member by member. */
function setInText(text: string, end: number, path: Array<string | number>, value: unknown, budget: Budget): EditResult {
  if (++budget.steps > MAX_STEPS) return refuse(`${showPath(path)}: the value is too large to write as an edit`);
  const t = new Text(text);
  const doc = firstDocument(text.slice(0, end));
  if (doc && doc.errors.length > 0) return refuse('the YAML cannot be parsed');
  const L = doc ? detectLayout(t, doc) : { mapIndent: 2, seqIndent: 0, dashGap: 1, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const loc = doc ? locate(t, doc, path) : ({ kind: 'empty' } as const);
  if (typeof loc === 'string') return refuse(loc);

  if (loc.kind === 'empty') {
    if (value === undefined) return { ok: true, text };
    const n = nest(path, value);
    if (typeof n === 'string') return refuse(`${showPath(path)}: ${n}`);
    const nested = n.v;
    if (!isObj(nested)) return refuse('the document is empty and the path does not start with a key');
    if ((doc && /^\.\.\.\s*$/m.test(text.slice(0, end))) || end < text.length) return refuse('the first document is empty and followed by another one; edit by hand');
    const lines = blockLines(nested, 0, L).join(L.eol);
    const head = text.slice(0, end);
    const out = head === '' || head.endsWith('\n') ? `${head}${lines}${L.eol}` : `${head}${L.eol}${lines}`;
    return { ok: true, text: out + text.slice(end) };
  }

  if (loc.kind === 'through-empty') {
    if (value === undefined) return { ok: true, text }; // nothing to delete
    const n = nest(path.slice(loc.depth), value);
    if (typeof n === 'string') return refuse(`${showPath(path)}: ${n}`);
    return setInText(text, end, path.slice(0, loc.depth), n.v, budget);
  }
  if (loc.kind === 'flow') return flowRewrite(t, loc.node, path, loc.depth, value);

  if (loc.kind === 'missing') {
    if (value === undefined) return { ok: true, text }; // nothing to delete
    const { coll, depth } = loc;
    const rest = path.slice(depth + 1);
    if (loc.merged && rest.length > 0 && typeof path[depth] === 'string') {
      return refuse(`${showPath(path.slice(0, depth + 1))} is not written in its mapping (it may come from a merge key <<); set it there by hand`);
    }
    const seg = path[depth]!;
    const n = nest(rest, value);
    if (typeof n === 'string') return refuse(`${showPath(path)}: ${n}`);
    const nested = n.v;
    // a key only a merge (<<) provides is overridden by writing it after the merge: go-yaml v2
    // applies the merge where `<<` stands, so a key written after it wins (k8s-yaml.ts).
    if (loc.merged) budget.override.add(String(seg));
    if (coll.items.length === 0) return refuse(`${showPath(path.slice(0, depth))} has no entry to align with`);
    const last = coll.items[coll.items.length - 1]!;
    let lines: string[];
    let at: number;
    if (isMap(coll)) {
      const kr = range(coll.items[0]!.key as Node);
      if (!kr) return refuse(`${showPath(path.slice(0, depth))}: a key without a position`);
      lines = pairLines(String(seg), nested, t.col(kr[0]!), L);
      at = t.lineEnd(pairEnd(t, last as Pair));
    } else {
      const sr = range(coll as Node)!;
      if (t.s[sr[0]!] !== '-') return refuse(`${showPath(path.slice(0, depth))}: a list whose dashes cannot be found`);
      const fr = range(coll.items[0] as Node | null);
      const gap = fr && fr[1]! > fr[0]! && !t.s.slice(sr[0]! + 1, fr[0]!).includes('\n') ? fr[0]! - sr[0]! - 1 : L.dashGap;
      lines = itemLines(nested, t.col(sr[0]!), { ...L, dashGap: Math.max(1, gap) });
      at = t.lineEnd(contentEnd(t, coll));
    }
    return { ok: true, text: splice(text, at, at, L.eol + lines.join(L.eol)) };
  }

  // The whole path is written.
  const { node, holder } = loc;
  if (value === undefined) return deleteAt(t, node, holder, path);
  if ((isMap(node) || isSeq(node)) && node.flow) return flowRewrite(t, node, path, path.length, value);
  const il = inline(value);

  // A scalar for a scalar: exactly its text.
  if ((node === null || isScalar(node)) && il !== undefined) {
    const r = range(node);
    if (!r || r[1]! === r[0]!) {
      // `key:` or `-` with nothing written: the value goes right after the indicator
      let pos = 'pair' in holder ? colonOf(t, holder.pair) + 1 : -1;
      if (!('pair' in holder) && r) {
        // right after the dash: a null item's position may be that of a comment after it
        const dash = t.s.lastIndexOf('-', r[0]! - 1);
        if (dash >= 0 && t.s.slice(dash + 1, r[0]!).trim() === '') pos = dash + 1;
      }
      if (pos <= 0) return refuse(`${showPath(path)}: cannot find where its value is written`);
      return { ok: true, text: splice(text, pos, pos, ` ${il}`) };
    }
    const s = node as Scalar;
    if (s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED') return { ok: true, text: splice(text, r[0]!, contentEnd(t, s), il) };
    const style = s.type === 'QUOTE_SINGLE' || s.type === 'QUOTE_DOUBLE' ? s.type : undefined;
    const next = typeof value === 'string' ? renderScalar(value, style) : il;
    return { ok: true, text: splice(text, r[0]!, r[1]!, next) };
  }

  // A non-empty collection for a scalar: the scalar goes, the block is written under the key.
  if (node === null || isScalar(node)) {
    const r = range(node);
    if ('pair' in holder) {
      const colon = colonOf(t, holder.pair);
      if (colon < 0) return refuse(`${showPath(path)}: cannot find the ':' of its key`);
      const kr = range(holder.pair.key as Node)!;
      let from = colon + 1;
      let to = from;
      if (r && r[1]! > r[0]!) {
        from = r[0]!;
        to = contentEnd(t, node);
        while (from > colon + 1 && t.s[from - 1] === ' ') from--;
      }
      const lines = blockLines(value, t.col(kr[0]!) + (Array.isArray(value) ? L.seqIndent : L.mapIndent), L);
      const cut = splice(text, from, to, '');
      const at = new Text(cut).lineEnd(from);
      return { ok: true, text: splice(cut, at, at, L.eol + lines.join(L.eol)) };
    }
    // a list item: `- x` becomes `- a: 1` (more keys under it) or `- - a`
    if (!r || r[1]! <= r[0]!) return refuse(`${showPath(path)}: an empty list item; set it by hand`);
    const dash = t.s.lastIndexOf('-', r[0]! - 1);
    if (dash < 0 || t.s.slice(dash + 1, r[0]!).trim() !== '') return refuse(`${showPath(path)}: cannot find its dash`);
    const lines = itemLines(value, t.col(dash), { ...L, dashGap: r[0]! - dash - 1 });
    const first = lines[0]!.slice(t.col(r[0]!));
    return { ok: true, text: splice(text, r[0]!, contentEnd(t, node), [first, ...lines.slice(1)].join(L.eol)) };
  }

  // A block collection for one of its kind: member by member, so what does not change keeps its
  // text and comments. Sets first, deletions last: the collection is never empty on the way.
  if (isMap(node) && isObj(value)) {
    if (node.items.some((p) => isPair(p) && isMergeKey(p.key))) return refuse(`${showPath(path)} holds a merge key (<<); replace it by hand`);
    let cur = text;
    const keys = Object.keys(value);
    for (const k of keys) {
      const r = setInText(cur, end + (cur.length - text.length), [...path, k], value[k], budget);
      if (!r.ok) return r;
      cur = r.text;
    }
    for (const p of node.items) {
      const k = isPair(p) ? keyString(p.key) : undefined;
      if (k === undefined) return refuse(`${showPath(path)} holds a key that is not a plain string; replace it by hand`);
      if (!keys.includes(k)) {
        const r = setInText(cur, end + (cur.length - text.length), [...path, k], undefined, budget);
        if (!r.ok) return r;
        cur = r.text;
      }
    }
    return { ok: true, text: cur };
  }
  if (isSeq(node) && Array.isArray(value)) {
    let cur = text;
    for (let i = 0; i < value.length; i++) {
      const r = setInText(cur, end + (cur.length - text.length), [...path, i], value[i], budget);
      if (!r.ok) return r;
      cur = r.text;
    }
    for (let i = node.items.length - 1; i >= value.length; i--) {
      const r = setInText(cur, end + (cur.length - text.length), [...path, i], undefined, budget);
      if (!r.ok) return r;
      cur = r.text;
    }
    return { ok: true, text: cur };
  }
  // A block collection for a value of another kind: its lines go, the value is written anew.
  if ((isMap(node) || isSeq(node)) && 'pair' in holder) {
    const del = deleteLines(t, firstContentStart(node), contentEnd(t, node));
    if (typeof del === 'string') return refuse(`${showPath(path)}: ${del}`);
    const colon = colonOf(t, holder.pair);
    if (colon < 0 || colon >= del.from) return refuse(`${showPath(path)}: cannot find the ':' of its key`);
    const cut = splice(text, del.from, del.to, '');
    if (il !== undefined) return { ok: true, text: splice(cut, colon + 1, colon + 1, ` ${il}`) };
    const kr = range(holder.pair.key as Node)!;
    const lines = blockLines(value, t.col(kr[0]!) + (Array.isArray(value) ? L.seqIndent : L.mapIndent), L);
    const at = new Text(cut).lineEnd(colon);
    return { ok: true, text: splice(cut, at, at, L.eol + lines.join(L.eol)) };
  }
  return refuse(`${showPath(path)}: this value cannot be replaced in place; edit it by hand`);
}

/**
 * A flow collection on one line ({a: 1}, [x, y]) is rewritten as a whole, in flow style, with the
 * change made: one line changes either way. Refused when it spans lines (comments could be lost) or
 * holds anything a rewrite could alter (aliases, anchors, tags, comments).
 */
function flowRewrite(t: Text, node: YAMLMap | YAMLSeq, path: Array<string | number>, depth: number, value: unknown): EditResult {
  const here = showPath(path.slice(0, depth));
  const r = range(node)!;
  const to = contentEnd(t, node);
  const span = t.s.slice(r[0]!, to);
  if (span.includes('\n')) return refuse(`${here} is written in flow style ({…} or […]) over several lines; change it by hand`);
  if (/[*&!#]|<</.test(span)) return refuse(`${here} is written in flow style with aliases, anchors, tags or comments; change it by hand`);
  const d = decodeK8sYaml(t.s);
  if (d.status !== 'ok') return refuse('the YAML cannot be read');
  let cur: unknown = toPlain(d.root);
  for (const seg of path.slice(0, depth)) cur = (cur as Record<string | number, unknown>)[seg];
  const rel = path.slice(depth);
  let next: unknown;
  if (rel.length === 0) next = value;
  else {
    const s = setPlain(cur, rel, value === undefined ? undefined : normalize(value));
    if (typeof s === 'string') return refuse(s);
    next = s.value;
  }
  return { ok: true, text: splice(t.s, r[0]!, to, renderFlow(next)) };
}

function renderFlow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(renderFlow).join(', ')}]`;
  if (isObj(v)) return `{${Object.entries(v).map(([k, x]) => `${renderKey(k)}: ${renderFlow(x)}`).join(', ')}}`;
  return renderScalar(v);
}

/** The first character of a block collection (its first key or dash). */
function firstContentStart(n: YAMLMap | YAMLSeq): number {
  if (isMap(n)) return range(n.items[0]!.key as Node)?.[0] ?? range(n as Node)![0]!;
  return range(n as Node)![0]!;
}

/**
 * The whole lines from `from`'s line to `to`'s line; the file's final line break (or its absence)
 * is kept. Refused when something else than indentation precedes `from` on its line.
 */
function deleteLines(t: Text, from: number, to: number): { from: number; to: number } | string {
  const start = t.lineStart(from);
  if (t.s.slice(start, from).trim() !== '') return 'it shares its first line with another value';
  const le = t.lineEnd(to);
  const el = t.eolLen(le);
  if (el > 0) return { from: start, to: le + el };
  // the last line of a file without a final line break: the line break before it goes instead
  if (start === 0) return { from: 0, to: le };
  const prev = t.s[start - 2] === '\r' ? 2 : 1;
  return { from: start - prev, to: le };
}

function deleteAt(t: Text, node: Node | null, holder: { map: YAMLMap; pair: Pair } | { seq: YAMLSeq; index: number }, path: Array<string | number>): EditResult {
  const text = t.s;
  const coll = 'pair' in holder ? holder.map : holder.seq;
  if (coll.flow) return refuse(`${showPath(path.slice(0, -1))} is written in flow style ({…} or […]); remove ${showPath(path)} by hand`);
  let start: number;
  let stop: number;
  if ('pair' in holder) {
    start = range(holder.pair.key as Node)?.[0] ?? -1;
    stop = pairEnd(t, holder.pair);
  } else {
    const r = range(node);
    const sr = range(holder.seq as Node)!;
    // the item's dash: the seq's first character for item 0, else the last '-' before the item
    const dash = holder.index === 0 ? sr[0]! : r ? text.lastIndexOf('-', r[0]! - 1) : -1;
    if (dash < 0 || text[dash] !== '-' || (r && text.slice(dash + 1, r[0]!).trim() !== '')) return refuse(`${showPath(path)}: cannot find its dash`);
    start = dash;
    stop = node && r ? Math.max(dash + 1, contentEnd(t, node)) : dash + 1;
  }
  if (start < 0) return refuse(`${showPath(path)}: cannot find where it is written`);
  const only = coll.items.length === 1;
  const lead = t.before(start);
  if (lead.trim() !== '') {
    // `- key: v` (the first key of a list item's mapping): the next key moves up after the dash
    if ('pair' in holder && /^\s*(-\s+)+$/.test(lead)) {
      if (only) return { ok: true, text: splice(text, start, stop, '{}') };
      const next = holder.map.items[1]!;
      const nr = range(next.key as Node);
      if (!nr || holder.map.items.indexOf(holder.pair) !== 0) return refuse(`${showPath(path)}: cannot tell its lines apart`);
      return { ok: true, text: splice(text, start, nr[0]!, '') };
    }
    return refuse(`${showPath(path)} shares its line with another value; remove it by hand`);
  }
  const del = deleteLines(t, start, stop);
  if (typeof del === 'string') return refuse(`${showPath(path)}: ${del}`);
  let out = splice(text, del.from, del.to, '');
  if (only) {
    // the emptied collection stays a collection: `key: {}` / `key: []`
    const parentPath = path.slice(0, -1);
    if (parentPath.length === 0) return { ok: true, text: out };
    const doc = firstDocument(out);
    if (!doc) return refuse('the YAML cannot be parsed');
    const p = locate(new Text(out), doc, parentPath);
    if (typeof p === 'string') return refuse(p);
    if (p.kind === 'found' && 'pair' in p.holder) {
      const colon = colonOf(new Text(out), p.holder.pair);
      if (colon < 0) return refuse(`${showPath(parentPath)}: cannot find the ':' of its key`);
      const rest = out.slice(colon + 1, new Text(out).lineEnd(colon));
      if (rest.trim() === '' || rest.trimStart().startsWith('#')) {
        out = splice(out, colon + 1, colon + 1, ` ${'pair' in holder ? '{}' : '[]'}`);
      }
    } else if (p.kind === 'found') {
      const r = range(p.node);
      if (r && r[1]! === r[0]!) out = splice(out, r[0]!, r[0]!, 'pair' in holder ? '{}' : '[]');
    }
  }
  return { ok: true, text: out };
}

// Surgical edits of a JSON config file (issue 12, item 4): the kubelet accepts a JSON --config (it
// is read by the same YAML-to-JSON decoder, kubelet-facts §8). A value is replaced where it is
// written, a member is inserted after the object's last one with the object's own layout (2 spaces,
// 4, a tab, or inline `{"a":1}` → `{"a":1,"b":2}`), a member is deleted with its comma; every other
// byte stays. The JSON is parsed here, strictly (RFC 8259), to know where each value is written; a
// key written twice on the path is refused (JSON.parse would silently keep the last one). Every
// edit is checked: JSON.parse(after) must be JSON.parse(before) with exactly that path changed.
import { isDeepStrictEqual } from 'node:util';
import { fromFile, pathProblem, refuse, showPath, type EditResult } from './edit-result.ts';

export type { EditResult } from './edit-result.ts';

const MAX_DEPTH = 500;

type JNode =
  | { t: 'scalar'; start: number; end: number }
  | { t: 'object'; start: number; end: number; members: Array<{ key: string; keyStart: number; value: JNode }> }
  | { t: 'array'; start: number; end: number; items: JNode[] };

class JsonError extends Error {}

/** A strict JSON parser that keeps where every value is written. */
function parse(s: string, from: number): JNode {
  let i = from;
  const fail = (what: string): never => {
    const line = s.slice(0, i).split('\n').length;
    throw new JsonError(`${what} at line ${line}`);
  };
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < s.length && s[i] !== '"') {
      const c = s.charCodeAt(i);
      if (c < 0x20) fail('a control character in a string');
      if (s[i] === '\\') {
        i++;
        if (s[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail('a bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(s[i] ?? 'x')) fail('a bad escape');
      }
      i++;
    }
    if (i >= s.length) fail('an unterminated string');
    i++;
    return JSON.parse(s.slice(start, i)) as string;
  };
  const value = (depth: number): JNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const start = i;
    const c = s[i];
    if (c === '{') {
      i++;
      const members: Array<{ key: string; keyStart: number; value: JNode }> = [];
      ws();
      if (s[i] === '}') return { t: 'object', start, end: ++i, members };
      for (;;) {
        ws();
        if (s[i] !== '"') fail('a key was expected');
        const keyStart = i;
        const key = str();
        ws();
        if (s[i] !== ':') fail("':' was expected");
        i++;
        members.push({ key, keyStart, value: value(depth + 1) });
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') return { t: 'object', start, end: ++i, members };
        fail("',' or '}' was expected");
      }
    }
    if (c === '[') {
      i++;
      const items: JNode[] = [];
      ws();
      if (s[i] === ']') return { t: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') return { t: 'array', start, end: ++i, items };
        fail("',' or ']' was expected");
      }
    }
    if (c === '"') {
      str();
      return { t: 'scalar', start, end: i };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/.exec(s.slice(i, i + 400));
    if (!m || m[0] === '' || (m[0] === '-')) fail('a value was expected');
    i += m![0].length;
    return { t: 'scalar', start, end: i };
  };
  const root = value(0);
  ws();
  if (i < s.length) fail('text after the JSON value');
  return root;
}

interface Style {
  /** the indentation unit of a multi-line object ('  ', '    ', '\t'), or null when written inline */
  unit: string | null;
  colon: string;
  comma: string;
  eol: string;
}

function detectStyle(s: string, root: JNode): Style {
  const eol = s.includes('\r\n') ? '\r\n' : '\n';
  let unit: string | null = null;
  // the first member written at the start of its own line tells the unit (its depth is known)
  const visit = (n: JNode, depth: number): boolean => {
    const kids = n.t === 'object' ? n.members.map((m) => ({ at: m.keyStart, v: m.value })) : n.t === 'array' ? n.items.map((v) => ({ at: v.start, v })) : [];
    for (const k of kids) {
      const ls = s.lastIndexOf('\n', k.at - 1) + 1;
      const lead = s.slice(ls, k.at);
      if (ls > 0 && /^[ \t]+$/.test(lead)) {
        unit = lead.startsWith('\t') ? '\t' : ' '.repeat(Math.max(1, Math.round(lead.length / depth)));
        return true;
      }
      if (visit(k.v, depth + 1)) return true;
    }
    return false;
  };
  visit(root, 1);
  const colon = /"\s*:\s/.test(s) ? ': ' : ':';
  const comma = /,[ ]+"/.test(s) || /,[ ]+[^\s]/.test(s) ? ', ' : ',';
  return { unit, colon, comma, eol };
}

/** `value` as JSON in the file's style; `indent` is the indentation of the line it starts on. */
function render(v: unknown, st: Style, indent: string): string {
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
    const arr = Array.isArray(v);
    const entries = arr ? (v as unknown[]).map((x) => ['', x] as const) : Object.entries(v as Record<string, unknown>);
    const [open, close] = arr ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const one = (k: string, x: unknown, ind: string) => (arr ? render(x, st, ind) : `${JSON.stringify(k)}${st.colon}${render(x, st, ind)}`);
    if (st.unit === null) return open + entries.map(([k, x]) => one(k, x, indent)).join(st.comma) + close;
    const inner = indent + st.unit;
    return `${open}${st.eol}${entries.map(([k, x]) => inner + one(k, x, inner)).join(`,${st.eol}`)}${st.eol}${indent}${close}`;
  }
  return escapeJson(JSON.stringify(v));
}

/** JSON.stringify leaves U+2028/2029 raw; they are escaped, so the line count of the file is what it shows */
const escapeJson = (s: string): string => s.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);


const define = (o: object, k: string | number, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

function expectedAfter(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const top = structuredClone(root) as Record<string, unknown>;
  let cur: Record<string | number, unknown> = top;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    let next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    if (next === undefined || next === null) {
      if (value === undefined) return top;
      next = typeof path[i + 1] === 'number' ? [] : {};
      define(cur, seg, next);
    }
    cur = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) {
      if ((last as number) < cur.length) cur.splice(last as number, 1);
    } else delete cur[last];
  } else define(cur, last, JSON.parse(JSON.stringify(value)));
  return top;
}

/**
 * Sets `path` of the JSON document `text` to `value` (`undefined`: deletes it), editing the text in
 * place. Never throws. Numbers in `path` index arrays; an index equal to the length appends.
 */
export function setJsonPath(text: string, path: Array<string | number>, value: unknown): EditResult {
  try {
    return setChecked(text, path, value);
  } catch (e) {
    if (e instanceof JsonError) return refuse(`the file is not valid JSON (${e.message}): fix it by hand first`);
    if (e instanceof RangeError) return refuse('the JSON nests too deeply to edit');
    return refuse(`internal error while editing the JSON: ${fromFile(e instanceof Error ? e.message : String(e))}`);
  }
}

function setChecked(text: string, path: Array<string | number>, value: unknown): EditResult {
  const bad = pathProblem(path, value, 'JSON');
  if (bad) return refuse(bad);
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  if (text.slice(bom).trim() === '') {
    // an empty file: a new object, written the way kubeadm and json.MarshalIndent write JSON
    if (value === undefined) return { ok: true, text };
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let v: unknown = value;
    for (let i = path.length - 1; i >= 0; i--) {
      const seg = path[i]!;
      if (typeof seg === 'number') {
        if (seg !== 0) return refuse(`${showPath(path)}: index ${seg} of a list that does not exist yet`);
        v = [v];
      } else v = define({}, seg, v);
    }
    return { ok: true, text: `${text}${render(v, { unit: '  ', colon: ': ', comma: ', ', eol }, '')}${eol}` };
  }
  const root = parse(text, bom);
  if (root.t !== 'object') return refuse('the JSON document is not an object: it cannot hold the setting');
  const st = detectStyle(text, root);
  const ed = edit(text, root, path, value, st);
  if (typeof ed === 'string') return refuse(ed);
  const out = ed.text;
  // the oracle: JSON.parse must read exactly the intended change
  const before = JSON.parse(text.slice(bom)) as unknown;
  let after: unknown;
  try {
    after = JSON.parse(out.slice(bom));
  } catch {
    return refuse(`${showPath(path)}: the edit would not leave valid JSON; edit it by hand`);
  }
  if (!isDeepStrictEqual(after, expectedAfter(before, path, value))) return refuse(`${showPath(path)}: the edit could not be made safely in place; edit it by hand`);
  return { ok: true, text: out };
}

function lineIndent(s: string, pos: number): string {
  const ls = s.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(s.slice(ls, pos))![0];
}

/** Does `a` start its own line (only indentation before it)? */
function ownLine(s: string, pos: number): boolean {
  const ls = s.lastIndexOf('\n', pos - 1) + 1;
  return ls > 0 && /^[ \t]*$/.test(s.slice(ls, pos));
}

function splice(s: string, from: number, to: number, ins: string): string {
  return s.slice(0, from) + ins + s.slice(to);
}

type Edited = { text: string } | string;

function edit(s: string, root: JNode, path: Array<string | number>, value: unknown, st: Style): Edited {
  let node: JNode = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = showPath(path.slice(0, i));
    const last = i === path.length - 1;
    if (typeof seg === 'string') {
      if (node.t !== 'object') return `${here} is not an object: ${showPath(path)} cannot be set`;
      const hits = node.members.filter((m) => m.key === seg);
      if (hits.length > 1) {
        const lines = hits.map((m) => s.slice(0, m.keyStart).split('\n').length);
        return `${showPath(path.slice(0, i + 1))} is written ${hits.length} times (lines ${lines.join(', ')}); JSON readers keep the last one: remove the others by hand first`;
      }
      const hit = hits[0];
      if (!hit) {
        if (value === undefined) return { text: s };
        return insert(s, node, seg, nest(path.slice(i + 1), value), st);
      }
      if (last) {
        if (value === undefined) return remove(s, node, node.members.indexOf(hit));
        return replace(s, hit.value, { v: value }, st);
      }
      if (s.slice(hit.value.start, hit.value.end) === 'null') return replace(s, hit.value, nest(path.slice(i + 1), value), st);
      node = hit.value;
    } else {
      if (node.t !== 'array') return `${here} is not a list: ${showPath(path)} cannot be set`;
      if (seg > node.items.length) return `${showPath(path.slice(0, i + 1))}: the list has ${node.items.length} items; only an index up to ${node.items.length} (to append) can be set`;
      if (seg === node.items.length) {
        if (value === undefined) return { text: s };
        return insert(s, node, null, nest(path.slice(i + 1), value), st);
      }
      const item = node.items[seg]!;
      if (last) {
        if (value === undefined) return remove(s, node, seg);
        return replace(s, item, { v: value }, st);
      }
      if (s.slice(item.start, item.end) === 'null') return replace(s, item, nest(path.slice(i + 1), value), st);
      node = item;
    }
  }
  return `${showPath(path)}: nothing to edit`;
}

/** `value` under the rest of the path: ['b', 0] → {"b": [value]}; a string when it cannot be. */
function nest(rest: Array<string | number>, value: unknown): { v: unknown } | string {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const seg = rest[i]!;
    if (typeof seg === 'number' && seg !== 0) return `index ${seg} of a list that does not exist yet`;
    v = typeof seg === 'number' ? [v] : define({}, seg, v);
  }
  return { v };
}

/** The style for a value written inside `n`: inline when `n` is written on one line. */
function styleIn(s: string, n: JNode, st: Style): Style {
  return s.slice(n.start, n.end).includes('\n') ? st : { ...st, unit: null };
}

function replace(s: string, n: JNode, nested: { v: unknown } | string, st: Style): Edited {
  if (typeof nested === 'string') return nested;
  const value = nested.v;
  const multi = s.slice(n.start, n.end).includes('\n') || (st.unit !== null && (n.t !== 'scalar' || ownLineValue(s, n)));
  return { text: splice(s, n.start, n.end, render(value, multi ? st : { ...st, unit: null }, lineIndent(s, n.start))) };
}

/** a scalar on a line of its own member in a multi-line file: a collection put there is written multi-line */
function ownLineValue(s: string, n: JNode): boolean {
  const ls = s.lastIndexOf('\n', n.start - 1) + 1;
  return ls > 0 || s.indexOf('\n', n.end) >= 0;
}

function insert(s: string, n: JNode, key: string | null, nested: { v: unknown } | string, st: Style): Edited {
  if (typeof nested === 'string') return nested;
  return { text: insertText(s, n, key, nested.v, st) };
}

function insertText(s: string, n: JNode, key: string | null, value: unknown, st: Style): string {
  const kids = n.t === 'object' ? n.members.map((m) => ({ at: m.keyStart, end: m.value.end })) : n.t === 'array' ? n.items.map((v) => ({ at: v.start, end: v.end })) : [];
  const head = (ind: string, sty: Style) => (key === null ? '' : `${JSON.stringify(key)}${sty.colon}`) + render(value, sty, ind);
  if (kids.length === 0) {
    // `{}` / `[]`: written on one line in an inline file, else opened over lines
    const inner = s.slice(n.start + 1, n.end - 1);
    if (st.unit === null || inner.includes('\n')) {
      const ind = inner.includes('\n') ? lineIndent(s, n.end - 1) + (st.unit ?? '') : '';
      if (inner.includes('\n')) return splice(s, n.start + 1, n.end - 1, `${st.eol}${ind}${head(ind, st)}${st.eol}${lineIndent(s, n.end - 1)}`);
      return splice(s, n.start + 1, n.end - 1, head('', { ...st, unit: null }));
    }
    const base = lineIndent(s, n.start);
    const ind = base + st.unit;
    return splice(s, n.start + 1, n.end - 1, `${st.eol}${ind}${head(ind, st)}${st.eol}${base}`);
  }
  const lastKid = kids[kids.length - 1]!;
  if (ownLine(s, lastKid.at)) {
    const ind = lineIndent(s, lastKid.at);
    return splice(s, lastKid.end, lastKid.end, `,${st.eol}${ind}${head(ind, st)}`);
  }
  const sty = styleIn(s, n, st);
  const comma = /,[ ]/.test(s.slice(n.start, n.end)) ? ', ' : kids.length > 1 ? ',' : st.comma;
  const colon = /"\s*:\s/.test(s.slice(n.start, n.end)) ? ': ' : /":"|":[^\s]/.test(s.slice(n.start, n.end)) ? ':' : st.colon;
  return splice(s, lastKid.end, lastKid.end, `${comma}${head('', { ...sty, unit: null, colon, comma })}`);
}

function remove(s: string, n: JNode, index: number): Edited {
  return { text: removeText(s, n, index) };
}

function removeText(s: string, n: JNode, index: number): string {
  const kids = n.t === 'object' ? n.members.map((m) => ({ at: m.keyStart, end: m.value.end })) : n.t === 'array' ? n.items.map((v) => ({ at: v.start, end: v.end })) : [];
  if (kids.length === 1) return splice(s, n.start + 1, n.end - 1, '');
  // with the comma before it, or (the first one) up to the next one
  if (index > 0) return splice(s, kids[index - 1]!.end, kids[index]!.end, '');
  return splice(s, kids[0]!.at, kids[1]!.at, '');
}

// What a text editor of `kubelet-guard fix` returns (src/fix/edit-yaml.ts, edit-json.ts, edit-words.ts):
// the whole new text, or why the edit was refused, in words a user understands. The editors never
// throw and never guess: a refusal leaves the file to be edited by hand. A reason quotes text from
// the file (an anchor's name, a parser's message) only made inert and cut short: the file may be
// hostile, and the reason is printed.
import { quoteCommandLine } from '../facts/redact.ts';
import { inert } from '../report/terminal.ts';

export type EditResult = { ok: true; text: string } | { ok: false; why: string };

/** Text from the file, for a reason: escapes shown, at most 80 characters. */
export function fromFile(s: string): string {
  return inert(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** A word of the kubelet's command line, for a reason: inert, and marked so the output layer hides secret flag values. */
export function showWord(w: string): string {
  return quoteCommandLine(`"${fromFile(w)}"`);
}

/** A path as users read it: a.b[0].c */
export function showPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += /^[A-Za-z0-9_-]+$/.test(seg) ? (out === '' ? seg : `.${seg}`) : `[${inert(JSON.stringify(seg))}]`;
  }
  return out === '' ? '(the document)' : out;
}

export const refuse = (why: string): EditResult => ({ ok: false, why });

/** How deep a path, and a value, may go: far past any kubelet or static pod field. */
const MAX_PATH = 64;
const MAX_VALUE_DEPTH = 32;

/** Why a path and value cannot be written (as `format`, JSON or YAML), or undefined: plain JSON data only. */
export function pathProblem(path: ReadonlyArray<string | number>, value: unknown, format: 'JSON' | 'YAML'): string | undefined {
  if (path.length === 0) return 'an empty path: the whole document cannot be replaced by an edit';
  if (path.length > MAX_PATH) return `the path is ${path.length} levels deep; at most ${MAX_PATH} are edited`;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Number.isSafeInteger(seg) || seg < 0 : typeof seg !== 'string') return `${showPath(path)}: a path element is neither a key nor a list index`;
  }
  const bad = valueProblem(value, 0, format);
  return bad ? `${showPath(path)}: ${bad}` : undefined;
}

function valueProblem(v: unknown, depth: number, format: 'JSON' | 'YAML'): string | undefined {
  if (depth > MAX_VALUE_DEPTH) return 'the value nests too deeply';
  if (v === undefined) return depth === 0 ? undefined : 'the value holds an undefined member';
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'a number that is not finite cannot be written (Kubernetes refuses NaN and infinities)';
  const members = Array.isArray(v) ? v : typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v)) ? Object.values(v as object) : undefined;
  if (!members) return `a value of type ${typeof v} cannot be written as ${format}`;
  for (const x of members) {
    const p = valueProblem(x, depth + 1, format);
    if (p) return p;
  }
  return undefined;
}

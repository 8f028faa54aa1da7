// Surgical edits of one word of the kubelet's command line where it is written (issue 12, item 8):
// a unit or drop-in's ExecStart= (or one of its backslash-continued lines), an Environment= value,
// or an EnvironmentFile such as /etc/default/kubelet or kubeadm-flags.env
// (`KUBELET_KUBEADM_ARGS="--a=b --c=d"`; kubelet-facts §6). One physical line is edited; every other
// byte stays. The word is found as written — a whole word, exactly once — and refused rather than
// guessed when it is written with quotes or escapes inside it, quoted together with other words of
// ExecStart= (one argument then), or when the new text would need quoting: only
// [A-Za-z0-9_=.,:/@+-] is written (in unit files `%` is a specifier and `$` a variable, in
// environment files `"`, `'`, `\` and `$` are syntax).
import { fromFile, refuse, showWord, type EditResult } from './edit-result.ts';

export type { EditResult } from './edit-result.ts';

/** What may be written without quoting or escaping in a unit file, an Environment= value or an env file. */
const SAFE_WORD = /^[A-Za-z0-9_=.,:/@+-]+$/;
const MAX_LINE = 64 * 1024;

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isQuote = (c: string | undefined): boolean => c === '"' || c === "'";

interface Line {
  /** offset of the line in the text, and its content without the line break */
  start: number;
  content: string;
  /** the line is part of an ExecStart= (itself or a continuation): quotes there group words into one argument */
  execStart: boolean;
}

function findLine(text: string, line: number): Line | string {
  if (!Number.isSafeInteger(line) || line < 1) return `line ${String(line)} is not a line number`;
  // systemd also ends a line at a lone \r or a NUL: such a file's lines are not what they look like
  if (/\r(?!\n)|\0/.test(text)) return 'the file holds a bare carriage return or a NUL byte; edit it by hand';
  let start = 0;
  let execStart = false;
  let continued = false;
  for (let n = 1; ; n++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const content = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    const comment = /^\s*[#;]/.test(content);
    // a continuation line belongs to the assignment above it (comment lines are skipped inside it)
    if (!continued) execStart = /^\s*ExecStart\s*=/.test(content);
    if (n === line) {
      if (content.length > MAX_LINE) return `line ${line} is longer than ${MAX_LINE} characters`;
      if (comment) return `line ${line} is a comment`;
      return { start, content, execStart };
    }
    if (!comment) continued = /(^|[^\\])(\\\\)*\\$/.test(content);
    if (nl < 0) return `the file has ${n} lines; there is no line ${line}`;
    start = nl + 1;
  }
}

/** Is the `=` at index i the end of a `KEY=` prefix (KEY=, ExecStart=, an assignment of Environment=)? */
function keyEquals(s: string, i: number): boolean {
  let j = i;
  while (j > 0 && /[A-Za-z0-9_]/.test(s[j - 1]!)) j--;
  if (j === i || !/[A-Za-z_]/.test(s[j]!)) return false;
  return assignmentStart(s, j);
}

/**
 * Does an assignment's name start at j: at the line's start (an environment file's KEY=, a unit
 * file's key), or where Environment= starts an assignment (after whitespace outside quotes, or
 * inside an assignment's opening quote)? `--x foo=bar` holds no assignment: `bar` is no word there.
 */
function assignmentStart(s: string, j: number): boolean {
  if (/^\s*$/.test(s.slice(0, j))) return true;
  const m = /^\s*Environment\s*=\s*/.exec(s);
  if (!m || j < m[0].length) return false;
  let q = '';
  let start = m[0].length;
  for (let i = m[0].length; i < j; i++) {
    const c = s[i]!;
    if (q === '') {
      if (isWs(c)) start = i + 1;
      else if (isQuote(c) && i === start) {
        q = c;
        start = i + 1;
      } else if (c === '\\') i++;
    } else if (c === '\\' && q === '"') i++;
    else if (c === q) q = '';
  }
  return j === start;
}

/** The word may start at i: the line's start, whitespace, a KEY='s `=`, or a quote that itself starts a word. */
function startsWord(s: string, i: number): boolean {
  if (i === 0) return true;
  const c = s[i - 1];
  if (isWs(c)) return true;
  if (c === '=') return keyEquals(s, i - 1);
  if (isQuote(c)) return i - 1 === 0 || isWs(s[i - 2]) || (s[i - 2] === '=' && keyEquals(s, i - 2));
  return false;
}

/** The word may end at j: the line's end, whitespace, a continuation backslash, or a quote that ends a word. */
function endsWord(s: string, j: number): boolean {
  if (j === s.length) return true;
  const c = s[j];
  if (isWs(c)) return true;
  if (c === '\\') return s.slice(j) === '\\'; // the continuation backslash (systemd joins with a space)
  if (isQuote(c)) return j + 1 === s.length || isWs(s[j + 1]) || s.slice(j + 1) === '\\';
  return false;
}

interface Hit {
  at: number;
  end: number;
  /** wrapped in quotes of its own ("--a=b"), not shared with other words */
  ownQuotes: boolean;
}

/** The single whole-word occurrence of `word` on the line, or why there is none. */
function findWord(l: Line, word: string, line: number, what: string): Hit | string {
  const s = l.content;
  const hits: Hit[] = [];
  for (let i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
    const end = i + word.length;
    if (!startsWord(s, i) || !endsWord(s, end)) continue;
    const ownQuotes = isQuote(s[i - 1]) && s[i - 1] === s[end];
    hits.push({ at: i, end, ownQuotes });
  }
  const shown = showWord(word);
  if (hits.length === 0) return `${what} ${shown} is not written as a word on line ${line} (it may be quoted or escaped there, or the file changed); edit it by hand`;
  if (hits.length > 1) return `${what} ${shown} is written ${hits.length} times on line ${line}; edit it by hand`;
  const h = hits[0]!;
  if (l.execStart) {
    // in ExecStart=, quotes make one argument of what they enclose: the word must not share them
    const q = quoteState(s, h.at);
    if (q === null) return `line ${line} has unbalanced quotes or escapes; edit it by hand`;
    if (q !== '' && !h.ownQuotes) return `${what} ${shown} is quoted together with other words on line ${line} (one argument for systemd); edit it by hand`;
  }
  return h;
}

/** The quote open at `pos` on an ExecStart= line ('' for none), or null when it cannot be told. */
function quoteState(s: string, pos: number): string | null {
  let q = '';
  for (let i = 0; i < pos; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (q === "'") continue;
      i++;
      continue;
    }
    if (q === '' && isQuote(c) && (i === 0 || isWs(s[i - 1]) || s[i - 1] === '=')) q = c;
    else if (q !== '' && c === q) q = '';
  }
  return q;
}

function checkWord(w: string, what: string): string | undefined {
  if (w === '') return `${what} is empty`;
  if (!SAFE_WORD.test(w)) return `${what} ${showWord(w)} holds characters that would need quoting or escaping here (only letters, digits and _=.,:/@+- are written)`;
  return undefined;
}

/**
 * On the 1-based physical `line`, replaces the single whole-word occurrence of `from` with `to`;
 * `to` null removes the word and one space next to it (its own quotes with it). Never throws.
 */
export function replaceWord(text: string, line: number, from: string, to: string | null): EditResult {
  try {
    const bad = checkWord(from, 'the word') ?? (to === null ? undefined : checkWord(to, 'the new word'));
    if (bad) return refuse(bad);
    const l = findLine(text, line);
    if (typeof l === 'string') return refuse(l);
    const h = findWord(l, from, line, 'the word');
    if (typeof h === 'string') return refuse(h);
    const s = l.content;
    if (l.execStart && /^\s*ExecStart\s*=\s*[-@:+!]*["']?$/.test(s.slice(0, h.at)) && to === null) return refuse(`${showWord(from)} is the program ExecStart= runs; it is not removed`);
    let from0 = h.at;
    let to0 = h.end;
    const ins = to ?? '';
    if (to === null) {
      if (h.ownQuotes && l.execStart) {
        from0--;
        to0++;
      }
      if (isWs(s[from0 - 1])) from0--;
      else if (isWs(s[to0])) to0++;
    }
    const next = s.slice(0, from0) + ins + s.slice(to0);
    return { ok: true, text: text.slice(0, l.start) + next + text.slice(l.start + s.length) };
  } catch (e) {
    return refuse(`internal error while editing the line: ${fromFile(e instanceof Error ? e.message : String(e))}`);
  }
}

/**
 * On the 1-based physical `line`, inserts ` word` right after the single whole-word occurrence of
 * `after` (inside the quotes of an environment assignment, after the closing quote of an ExecStart=
 * argument quoted on its own). `after` may also be an assignment's `NAME=` on that line: the word
 * then becomes the value's first word (`KUBELET_EXTRA_ARGS=` → `KUBELET_EXTRA_ARGS=--a=b`). Never throws.
 */
export function appendWordAfter(text: string, line: number, after: string, word: string): EditResult {
  try {
    const bad = checkWord(word, 'the new word') ?? checkWord(after, 'the word to add after');
    if (bad) return refuse(bad);
    const l = findLine(text, line);
    if (typeof l === 'string') return refuse(l);
    const s = l.content;
    const at = (pos: number, ins: string): EditResult => ({ ok: true, text: text.slice(0, l.start) + s.slice(0, pos) + ins + s.slice(pos) + text.slice(l.start + s.length) });
    if (/^[A-Za-z_][A-Za-z0-9_]*=$/.test(after)) {
      // NAME=: the start of that assignment's value
      const hits: number[] = [];
      for (let i = s.indexOf(after); i >= 0; i = s.indexOf(after, i + 1)) {
        if (assignmentStart(s, i)) hits.push(i + after.length);
      }
      if (hits.length !== 1) return refuse(`the assignment ${showWord(after)} is written ${hits.length} times on line ${line}; edit it by hand`);
      let p = hits[0]!;
      if (isQuote(s[p])) p++;
      const rest = s.slice(p);
      const empty = rest === '' || isQuote(rest[0]) || isWs(rest[0]) || rest[0] === '\\';
      if (l.execStart) return refuse(`${showWord(after)} on line ${line} is in ExecStart=; add the word after one of its words`);
      return at(p, empty ? word : `${word} `);
    }
    const h = findWord(l, after, line, 'the word');
    if (typeof h === 'string') return refuse(h);
    return at(h.ownQuotes && l.execStart ? h.end + 1 : h.end, ` ${word}`);
  } catch (e) {
    return refuse(`internal error while editing the line: ${fromFile(e instanceof Error ? e.message : String(e))}`);
  }
}

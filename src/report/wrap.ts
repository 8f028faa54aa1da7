// Word-wrapping for the terminal reports. A line is cut only at a space, never inside a word, so a
// path, a flag (`--kubelet-certificate-authority`), a setting (`readOnlyPort=0`) or a URL is never
// split and can be copied whole; a word longer than the width goes on a line of its own, unbroken.
// Command text stays on one line too: a `backquoted` or "quoted" span, and a parenthesised command
// such as (systemctl daemon-reload && systemctl restart kubelet), is one unit. Continuation lines
// are indented two columns past the line's own indent.
//
// The text may hold the SGR colour sequences the reporters add (ESC [ … m); they take no width.
// Untrusted text reaches this function already inert (terminal.ts), so every real ESC in it is ours,
// and a cut never makes a line that starts like a row (ROW_LIKE): text from a node cannot forge one.

/** The width a report is wrapped to: the terminal's on a TTY, else 100 (a file, a pipe, CI logs). */
export function reportWidth(out: { isTTY?: boolean; columns?: number }): number {
  const cols = out.isTTY === true && typeof out.columns === 'number' && out.columns > 0 ? out.columns : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, cols);
}

export const DEFAULT_WIDTH = 100;
/** Narrower than this, wrapping would make every word a line: the report is wrapped at 20. */
const MIN_WIDTH = 20;

const SGR = /\u001b\[[0-9;]*m/g;

/** Columns `s` takes: SGR sequences take none; each code point one. */
export function visibleWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(SGR, '')) n++;
  return n;
}

/**
 * Words a report row starts with (status mark, CIS id, severity, `fix:`). Text from the evidence may
 * hold them ("x  PASS  4.2.1  high  all good"): were a cut made before one, the continuation line
 * would read like a row the report never wrote. No cut is made before them.
 */
const ROW_LIKE = /^(PASS|FAIL|UNKN|N\/A|-|\d+(\.\d+)+,?|critical|high|medium|low|info|fix:)$/i;

/** Words that start a command when they open a parenthesis: the span up to `)` or `;` is kept whole. */
const COMMANDS = new Set(['systemctl', 'kubectl', 'kubeadm', 'kubelet-guard', 'npx', 'npm', 'chmod', 'chown', 'openssl', 'etcdctl', 'crictl', 'journalctl', 'sysctl', 'sudo', 'curl', 'ss']);
/** A command span longer than this is not kept whole (it would be prose, not a command). */
const MAX_SPAN = 80;
/** Backquotes mark command text explicitly: kept whole up to this length. */
const MAX_BACKQUOTED = 200;

/**
 * The units of `text` (no leading indent), each with the spaces before it: runs of non-space
 * characters, where a quoted or backquoted span or a parenthesised command is one unit.
 */
export function units(text: string): Array<{ sep: string; word: string }> {
  const out: Array<{ sep: string; word: string }> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = i;
    while (j < n && text[j] === ' ') j++;
    if (j >= n) break;
    const end = spanEnd(text, j);
    const word = text.slice(j, end);
    // a word that could open a forged row never starts a continuation line: it stays with the one before
    const last = out[out.length - 1];
    // (nor does a colour sequence alone: it takes no width, and what follows it could be such a word)
    const bare = word.replace(SGR, '');
    if (last && (bare === '' || ROW_LIKE.test(bare))) last.word += text.slice(i, end);
    else out.push({ sep: text.slice(i, j), word });
    i = end;
  }
  return out;
}

/** Where the unit starting at `i` (a non-space) ends. */
function spanEnd(text: string, i: number): number {
  const plain = (from: number) => {
    let j = from;
    while (j < text.length && text[j] !== ' ') j++;
    return j;
  };
  const word = plain(i);
  // a quoted span may open after a prefix of SGR sequences and punctuation, e.g. `(` or an SGR
  let k = i;
  for (;;) {
    const m = /^\u001b\[[0-9;]*m/.exec(text.slice(k));
    if (m) k += m[0].length;
    else if (text[k] === '(' || text[k] === '[') k++;
    else break;
  }
  const open = text[k];
  if (open === '`' || open === '"' || open === "'") {
    // the closing quote: the next same character, for ' and " one that ends a word
    for (let j = text.indexOf(open, k + 1); j !== -1 && j - i <= (open === '`' ? MAX_BACKQUOTED : MAX_SPAN); j = text.indexOf(open, j + 1)) {
      if (open === '`' || j + 1 >= text.length || /[\s.,;:)\]!?]/.test(text[j + 1]!)) {
        const close = plain(j + 1);
        return close > word ? close : word;
      }
    }
    return word;
  }
  if (text[i] === '(') {
    const first = text.slice(i + 1, word).replace(SGR, '');
    if (COMMANDS.has(first)) {
      const stop = /[);]/.exec(text.slice(i + 1, i + 1 + MAX_SPAN));
      if (stop) {
        const close = plain(i + 1 + stop.index);
        return close > word ? close : word;
      }
    }
  }
  return word;
}

/**
 * `line` wrapped to `width` columns: cut only between units (the spaces at a cut are dropped, the
 * others kept, so aligned columns stay aligned); continuation lines indented to `hangAt`, by
 * default two columns past the line's own indent (at most half the width). Returns the lines,
 * without newlines.
 */
export function wrapLine(line: string, width: number, hangAt?: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const words = units(line.slice(indent.length));
  if (words.length === 0) return [line];
  const hang = ' '.repeat(Math.min(hangAt ?? indent.length + 2, Math.floor(width / 2)));
  const out: string[] = [];
  let cur = indent + words[0]!.word;
  let curWidth = visibleWidth(cur);
  for (const { sep, word } of words.slice(1)) {
    const ww = visibleWidth(word);
    if (curWidth + sep.length + ww <= width) {
      cur += sep + word;
      curWidth += sep.length + ww;
    } else {
      out.push(cur);
      cur = hang + word;
      curWidth = hang.length + ww;
    }
  }
  out.push(cur);
  return out;
}

/** Every line of `text` wrapped to `width`; a final newline is kept. */
export function wrapText(text: string, width: number): string {
  const nl = text.endsWith('\n');
  const body = nl ? text.slice(0, -1) : text;
  return body.split('\n').flatMap((l) => wrapLine(l, width)).join('\n') + (nl ? '\n' : '');
}

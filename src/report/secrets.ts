// The secrets of one invocation: every credential the user gave the tool (a --token, the contents
// of a --token-file or --key, a kubeconfig's token, password or key, a token an exec plugin or auth
// provider returned) and the credentials the tool parsed from evidence (staticPodURLHeader values,
// secret flag values on a node). The output layer masks each one wherever it reappears — a server
// echoing it in a Status message or /metrics, a parse error quoting a stray argument — in raw,
// JSON-escaped, terminal-escaped, HTML-escaped and URL-encoded form, and a cut-off beginning of one (a body
// preview truncated in the middle of a token) too. One registry per invocation: main() makes it.
import { inert } from './terminal.ts';
import { escapeAttr, escapeHtml } from './html-escape.ts';
import { REDACTED, redactText } from '../facts/redact.ts';

/** A credential the user gave is masked from this length on (shorter ones would mask ordinary words). */
const MIN_GIVEN = 4;
/**
 * A credential found in evidence is masked from this length on: evidence is written by whoever
 * controls the node, who must not be able to hide words of the report by declaring them secrets.
 */
const MIN_FOUND = 8;
/**
 * At most this many secrets are taken from evidence: masking costs a pass over every write per
 * secret, and a node's config can declare 200,000 header values (20,000 took 28 s to print). A
 * real node has a handful; the fields they come from are redacted in the report model anyway.
 */
const MAX_FOUND = 1000;
/** The shape of the report's own words (statuses, severities, check ids, sections): never taken from evidence as a secret. */
const REPORT_WORDS = /^[a-z]+(?:[- .][a-z]+)*$/;
/** A cut-off beginning of a secret at least this long is masked too (a truncated preview). */
const MIN_PREFIX = 8;

function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  // the HTML report's escaped text and attribute forms (a secret holding & < > " ' = `)
  return [secret, json, inert(secret), inert(json), encodeURIComponent(secret), escapeHtml(secret), escapeAttr(secret)];
}

export class Secrets {
  private readonly values = new Set<string>();
  /**
   * The ones whose cut-off beginnings are masked too: only credentials the user gave. A beginning
   * of eight characters is short enough to be a word of the report ("kubelet-…"), and a hostile
   * node must not be able to blank out findings by declaring their words secrets.
   */
  private readonly prefixed = new Set<string>();
  private sorted: string[] | undefined;
  private readonly found = new Set<string>();

  /** A credential the user gave the tool, or that the tool obtained with it at run time. */
  add(secret: string | undefined | null): void {
    this.register(secret, MIN_GIVEN, true);
  }

  /**
   * A credential parsed from evidence (a node's files, a server's answer): not one shaped like the
   * report's own words, so a node cannot blank out "critical" or a check id by writing it as a
   * header value (its known field is redacted anyway).
   */
  addFound(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || REPORT_WORDS.test(secret.trim()) || this.found.has(secret) || this.found.size >= MAX_FOUND) return;
    this.found.add(secret);
    this.register(secret, MIN_FOUND, false);
  }

  private register(secret: string | undefined | null, min: number, given: boolean): void {
    if (typeof secret !== 'string') return;
    const candidates = new Set([secret, secret.trim()]);
    // a multi-line secret (a PEM key): each line of it as well, as servers quote lines
    for (const line of secret.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) candidates.add(line.trim());
    for (const c of candidates) {
      if (c.length < min) continue;
      for (const f of forms(c)) {
        if (f.length >= min && !this.values.has(f)) {
          this.values.add(f);
          if (given) this.prefixed.add(f);
          this.sorted = undefined;
        }
      }
    }
  }

  /** `text` with every registered secret and every text rule of src/facts/redact.ts applied. */
  redact(text: string): string {
    let t = text;
    if (this.values.size > 0) {
      this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
      // whole secrets first (longest first), then cut-off beginnings: a prefix of one secret must
      // not split another that contains it
      for (const s of this.sorted) t = maskAll(t, s, false);
      for (const s of this.sorted) if (this.prefixed.has(s)) t = maskAll(t, s, true);
    }
    return redactText(t);
  }
}

/** Every occurrence of `s` in `t` or, with `prefixes`, of a beginning of it (≥ MIN_PREFIX) that the text cuts off. */
function maskAll(t: string, s: string, prefixes: boolean): string {
  const head = s.slice(0, Math.min(s.length, MIN_PREFIX));
  let at = t.indexOf(head);
  if (at < 0) return t;
  let out = '';
  let from = 0;
  while (at >= 0) {
    let n = head.length;
    while (n < s.length && t[at + n] === s[n]) n++;
    if (n === s.length || (prefixes && n >= MIN_PREFIX)) {
      // never begin or end a match inside an escape (`\"`, `\u001b`): take all of it
      const start = Math.max(from, escapeAt(t, at)?.[0] ?? at);
      const end = escapeAt(t, at + n - 1)?.[1] ?? at + n;
      out += t.slice(from, start) + masked(t, start, end);
      n = end - at;
      from = at + n;
      at = t.indexOf(head, from);
    } else {
      at = t.indexOf(head, at + 1);
    }
  }
  return out + t.slice(from);
}

/**
 * The mask for t[from, to). A raw form of a secret holding `"` or a control character can match
 * JSON text only across a string's boundary (inside a JSON string both are escaped): say the secret
 * `aaaaaaaa"` and the JSON string "aaaaaaaa" followed by its closing quote. So every unescaped `"`
 * and control character of the match is kept in place, as are runs of JSON punctuation between
 * them, and only the rest becomes <redacted>: JSON stays JSON, and in text the secret is still gone.
 */
function masked(t: string, from: number, to: number): string {
  let out = '';
  let piece = '';
  let split = false;
  const flush = (): void => {
    if (piece !== '') out += /^[\s,:[\]{}]*$/.test(piece) ? piece : REDACTED;
    piece = '';
  };
  for (let i = from; i < to; i++) {
    const ch = t[i]!;
    if ((ch === '"' && !(i > 0 && t[i - 1] === '\\' && oddBackslashes(t, i - 1))) || ch < ' ') {
      flush();
      out += ch;
      split = true;
    } else piece += ch;
  }
  if (!split) return REDACTED;
  flush();
  return out;
}

/** The escape (`\x`, `\uXXXX`, `\xHH`) that holds position `i` as [its backslash, its end), if one does. */
function escapeAt(t: string, i: number): [number, number] | undefined {
  for (let b = i; b >= 0 && b > i - 6; b--) {
    if (t[b] !== '\\' || !oddBackslashes(t, b)) continue;
    const len = t[b + 1] === 'u' ? 6 : t[b + 1] === 'x' ? 4 : 2;
    return b + len > i ? [b, Math.min(t.length, b + len)] : undefined;
  }
  return undefined;
}

/** Whether the backslash at `i` ends a run of an odd number of backslashes (it escapes the next character). */
function oddBackslashes(t: string, i: number): boolean {
  let k = 0;
  while (i - k >= 0 && t[i - k] === '\\') k++;
  return k % 2 === 1;
}

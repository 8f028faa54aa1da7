// What the tool must never print: credentials in URLs, header values, token-like flag values.
// Applied where facts become output (the report model) and by checks that quote such values, and,
// as text rules (redactText), by the output layer to every output (src/report/output.ts).

export const REDACTED = '<redacted>';

/**
 * Flag names whose values are secrets: the word at the END of the name (`--initial-cluster-token`,
 * `--manifest-url-header`, `--db-password`), not inside it (`--enable-bootstrap-token-auth` is a
 * bool, `--token-auth-file` a path).
 */
const SECRET_FLAG = /(^|[-_])(token|password|passwd|secret|key-data|credentials?|header)$/i;

/** Environment variable names whose values are credentials (`API_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`). */
export const SECRET_ENV_NAME = /(^|_)(TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIALS?|KEY_DATA|API_?KEY|ACCESS_KEY)$/i;

/** A URL with any password in its userinfo and every query value replaced by "redacted". */
export function redactUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password) u.password = 'redacted';
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, 'redacted');
    return u.toString();
  } catch {
    // not a URL the WHATWG parser takes: cut anything that looks like credentials or a query
    return text.replace(/\/\/[^/@]*@/, '//<redacted>@').replace(/\?.*$/, '?<redacted>');
  }
}

/**
 * One argument as it may be printed: `--x-token=abc` → `--x-token=<redacted>`, URLs in
 * `--manifest-url` without credentials. Handles the `--flag value` form too.
 */
export function redactArg(text: string): string {
  const m = /^(--?[^=\s]+)([=\s])(.*)$/s.exec(text);
  if (!m) return text;
  const [, name, sep, value] = m as unknown as [string, string, string, string];
  if (SECRET_FLAG.test(name)) return `${name}${sep}${REDACTED}`;
  if (/url/i.test(name)) return `${name}${sep}${redactUrl(value)}`;
  return text;
}

/**
 * A whole argv: also the value word after a secret flag given as `--flag value`, and a stray word
 * right after a secret `--flag=value` (`--manifest-url-header=Authorization:Bearer TOKEN` split
 * into two words by a missing quote: the kubelet refuses the stray word, and it is a secret).
 */
export function redactArgv(words: readonly string[]): string[] {
  return words.map((w, i) => {
    const prev = words[i - 1];
    if (prev !== undefined && !w.startsWith('-')) {
      if (/^--?[^=\s]+$/.test(prev)) {
        if (SECRET_FLAG.test(prev)) return REDACTED;
        if (/url/i.test(prev)) return redactUrl(w);
      } else if (/^--?[^=\s]+=/.test(prev) && SECRET_FLAG.test(prev.slice(0, prev.indexOf('=')))) return REDACTED;
    }
    return redactArg(w);
  });
}

// ---------------------------------------------------------------------------------------------
// Text rules: what the output layer (src/report/output.ts) applies to EVERY output it writes —
// table, JSON, jsonl, stderr — whatever put the text there. They work on plain text and on JSON
// text alike: a replacement never splits a JSON escape (`\"`, `\\`, `\uXXXX`) and never crosses
// a closing quote, so JSON stays valid.

/** One word of a value: escape pairs whole, up to whitespace, a quote or a comma. */
const VALUE_WORD = String.raw`(?:\\.|[^\s"'\\,])+`;

// Every rule runs in linear time on any text (a hostile server's answer may be megabytes): no
// quantifier can rescan the same characters from many starting points, because starts are bounded
// ({0,31} scheme, {0,16} flag-name parts) or guarded by a lookbehind that only holds at the first of
// a run (JWT), and spans stop where the next candidate begins (keys, quotes).

/**
 * scheme://userinfo@ — the whole userinfo (a token used as the user name is as secret as a
 * password) — and the query of such a URL. The host and path stay. The userinfo cannot hold '/',
 * so a scan never runs past the next "://".
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)((?:\\.|[^\s/?#@"'<>\\])*)@/gi;
/** The query of a URL: a '?' that a scheme:// precedes within 2,048 characters (looked for backwards, from each '?' only). */
const URL_QUERY = /(?<=\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s?#"'<>\\]{0,2048}\?)((?:\\.|[^\s#"'<>\\])*)/gi;
/** `--x-token=VALUE` anywhere in a text (the `--flag value` form is redacted where argv is known: redactArgv). */
const FLAG_VALUE = new RegExp(String.raw`(?<![A-Za-z0-9_-])(--?(?:[A-Za-z0-9]{1,32}[-_]){0,16}(?:token|password|passwd|secret|key-data|credentials?|header)=)(?!<redacted>)${VALUE_WORD}`, 'gi');
/** An HTTP Authorization value (RFC 6750 b64token, RFC 7617), at least 8 characters. */
const AUTH_SCHEME = /\b(Bearer|Basic) +(?!<redacted>)[A-Za-z0-9._~+/-]{8,}=*/g;
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** a private key, up to its END line or, cut short, to the next key, the end of the JSON string or of the text */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?:\\.|-(?!----BEGIN )|[^"\\-])*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|(?=")|(?=-----BEGIN )|$)/g;

/**
 * V8's JSON.parse error quotes the input around the error (`Unexpected token 'S', "{"a": SuperSecre"...
 * is not valid JSON`): a hostile answer's or a manifest's content, secrets included. The snippet
 * goes; the unexpected character stays. Also inside JSON text (quotes escaped).
 */
const JSON_PARSE_SNIPPET = /(Unexpected token '(?:\\.|[^'\\]){1,4}', )(?:\.\.\.)?\\?"[\s\S]{0,80}?\\?"(?:\.\.\.)?( is not valid JSON)/g;

/** Private-use characters that mark a quoted secret span; see quoteSecret(). */
export const QUOTE_OPEN = '\uE000';
export const QUOTE_CLOSE = '\uE001';
export const CMD_OPEN = '\uE002';
export const CMD_CLOSE = '\uE003';
const QUOTED = /\uE000([^\uE000\uE001]*)\uE001/g;
const QUOTED_CMD = /\uE002([^\uE002\uE003]*)\uE003/g;
const STRAY_MARK = /[\uE000-\uE003]/g;
/** In a quoted command line: `--x-token VALUE` (the `=` form is FLAG_VALUE's, for any text). */
const FLAG_SPACE_VALUE = new RegExp(String.raw`(?<![A-Za-z0-9_-])(--?(?:[A-Za-z0-9]{1,32}[-_]){0,16}(?:token|password|passwd|secret|key-data|credentials?|header))(\s+)(?!-|<redacted>)${VALUE_WORD}`, 'gi');

/**
 * Marks text a message quotes from an environment value or line (an `Environment=` assignment, a
 * line of an EnvironmentFile): sources quote it so the message says what was wrong, and the output
 * layer shows it as `NAME=<redacted>` (or `<redacted>` when it does not start with a variable name)
 * wherever the message goes, in every format. Sources never redact by themselves.
 */
export function quoteSecret(text: string): string {
  return `${QUOTE_OPEN}${text.replace(STRAY_MARK, '')}${QUOTE_CLOSE}`;
}

/** Marks a command line a message quotes (an ExecStart= value): the output layer hides the values of secret flags in it, `--flag value` form included. */
export function quoteCommandLine(text: string): string {
  return `${CMD_OPEN}${text.replace(STRAY_MARK, '')}${CMD_CLOSE}`;
}

function unquoteCommandLine(_m: string, inner: string): string {
  return inner.replace(FLAG_SPACE_VALUE, `$1$2${REDACTED}`);
}

function unquote(_m: string, inner: string): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(inner);
  return name ? `${name[0]}${REDACTED}` : REDACTED;
}

function redactQuery(query: string): string {
  return query.split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? (p === '' ? p : 'redacted') : `${p.slice(0, eq)}=redacted`;
  }).join('&');
}

/** The text rules: quoted secrets, URL userinfo and query values, secret flag values, auth headers, JSON parse-error snippets, JWTs, private keys. */
export function redactText(text: string): string {
  let t = text;
  if (/[\uE000-\uE003]/.test(t)) t = t.replace(QUOTED, unquote).replace(QUOTED_CMD, unquoteCommandLine).replace(STRAY_MARK, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  if (t.includes('://')) t = t.replace(URL_USERINFO, `$1${REDACTED}@`).replace(URL_QUERY, redactQuery);
  if (t.includes('=')) t = t.replace(FLAG_VALUE, `$1${REDACTED}`);
  if (t.includes('Bearer') || t.includes('Basic')) t = t.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  if (t.includes('is not valid JSON')) t = t.replace(JSON_PARSE_SNIPPET, `$1${REDACTED}$2`);
  if (t.includes('eyJ')) t = t.replace(JWT, REDACTED);
  if (t.includes('PRIVATE KEY-----')) t = t.replace(PRIVATE_KEY, REDACTED);
  return t;
}

// What the tool must never print: credentials in URLs, header values, token-like flag values.
// Applied where facts become output (the report model) and by checks that quote such values.

export const REDACTED = '<redacted>';

/**
 * Flag names whose values are secrets: the word at the END of the name (`--initial-cluster-token`,
 * `--manifest-url-header`, `--db-password`), not inside it (`--enable-bootstrap-token-auth` is a
 * bool, `--token-auth-file` a path).
 */
const SECRET_FLAG = /(^|[-_])(token|password|passwd|secret|key-data|credentials?|header)$/i;

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

/** A whole argv: also the value word after a secret flag given as `--flag value`. */
export function redactArgv(words: readonly string[]): string[] {
  return words.map((w, i) => {
    const prev = words[i - 1];
    if (prev !== undefined && /^--?[^=\s]+$/.test(prev) && !w.startsWith('-')) {
      if (SECRET_FLAG.test(prev)) return REDACTED;
      if (/url/i.test(prev)) return redactUrl(w);
    }
    return redactArg(w);
  });
}

// Untrusted text made inert for a terminal: the one place where evidence (file names, pod and node
// names, versions, server answers) and user input become safe to print. A terminal acts on control
// characters (ESC sequences clear the screen, set the title, write the clipboard with OSC 52; a
// newline forges a row; U+009B is a one-byte CSI) and bidi controls reorder what the eye reads
// (U+202E), so every such character is shown as a visible escape instead:
//   \n \r \t            for those three
//   \xHH                C0, DEL, C1 (U+0080–U+009F) and U+00AD (soft hyphen)
//   \uXXXX / \u{XXXXX}  every other control, format (Cf: bidi embeddings, overrides and isolates,
//                       U+200E/F, U+061C, zero-width characters, BOM, tags), line and paragraph
//                       separator (U+2028/9), lone surrogate or noncharacter
// A backslash is NOT escaped: the text stays readable (paths, regular expressions, systemd
// escapes), at the price that a literal "\x1b" in the evidence reads like an escaped ESC. Both
// are inert; the JSON output holds the exact value when the difference matters.
//
// Every human-facing writer (node, scan and cluster tables, explain, progress lines, stderr
// messages) passes each untrusted string through inert(); the output layer (output.ts) escapes
// whatever C1/format character is left as a last line of defence, for every format.

/** Characters a terminal must never receive raw from untrusted text. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u{FFFE}\u{FFFF}]/gu;

function escapeChar(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const cp = ch.codePointAt(0)!;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/** `s` with every control, format or separator character shown as a visible escape. */
export function inert(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/** inert(), surrounding whitespace trimmed: for one field of a table line. */
export function inertLine(s: string): string {
  return inert(s.trim());
}

/**
 * Characters that JSON.stringify leaves raw but a terminal (or a JavaScript eval of old) acts on:
 * C1 controls, format characters (bidi), U+2028/9. In JSON text they can only stand inside a
 * string, where `\uXXXX` keeps the parsed value exact.
 */
const JSON_UNSAFE = /[\u0080-\u009f\p{Cf}\u2028\u2029\u{FFFE}\u{FFFF}]/gu;

/** JSON text (or any text) with those characters as \uXXXX escapes (surrogate pairs for astral Cf). */
export function escapeForJson(text: string): string {
  return text.replace(JSON_UNSAFE, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * A stderr message (or several lines of one): each line made inert, so text from the user or the
 * node cannot add lines or escapes; ends with one newline.
 */
export function inertMessage(msg: string): string {
  return `${inert(msg.replace(/\n+$/, ''))}\n`;
}

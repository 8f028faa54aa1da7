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

// What a text editor of `kubelet-guard fix` returns (src/fix/edit-yaml.ts, edit-json.ts, edit-words.ts):
// the whole new text, or why the edit was refused, in words a user understands. The editors never
// throw and never guess: a refusal leaves the file to be edited by hand.
export type EditResult = { ok: true; text: string } | { ok: false; why: string };

/** A path as users read it: a.b[0].c */
export function showPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += /^[A-Za-z0-9_-]+$/.test(seg) ? (out === '' ? seg : `.${seg}`) : `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(the document)' : out;
}

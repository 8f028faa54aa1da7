// Untrusted text made inert for HTML: node and pod names, file paths and contents, messages and
// evidence values are attacker-written. Two functions, one per context; no untrusted string ever
// goes into a URL, an event handler, a style or a script (the HTML writer uses them only as text
// and as the value of quoted data-* / value attributes, which a script compares, never runs).
// Both first apply inert() (terminal.ts): controls, bidi embeddings/overrides/isolates, zero-width
// characters and U+2028/9 become visible escapes (\u202e), so a node name cannot reorder what the
// reader sees in the report any more than in the terminal.
import { inert } from './terminal.ts';

/** Text content of an element: & < > (and quotes, harmlessly, so a misuse in an attribute stays closed). */
export function escapeHtml(s: string): string {
  return inert(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The value of a double-quoted attribute: everything escapeHtml escapes (`"` and `'` above all). */
export function escapeAttr(s: string): string {
  return escapeHtml(s).replace(/`/g, '&#96;').replace(/=/g, '&#61;');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

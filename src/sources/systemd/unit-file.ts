// The unit file syntax: lines, comments, continuation lines, sections and assignments, and where
// each piece of a continued value came from. Follows systemd/systemd (main branch as of 2025):
//   src/shared/conf-parser.c  config_parse/parse_line: comments, continuation lines, sections
//   src/basic/fileio.c     read_line: \n, \r, \r\n, \n\r and NUL end a line
// Nothing here throws.
import type { Diagnostic } from '../../facts/types.ts';
import { decodeUtf8, internalError, isWs, preview, stringIsSafe, stripWs, toBinary } from './bytes.ts';
import { quoteSecret } from '../../facts/redact.ts';

/** Where a logical line's physical lines start, as offsets into the entry's value (continuation lines). */
export interface Segment {
  at: number;
  line: number;
}

export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  /** first physical line of the assignment (systemd's own messages name the last one). */
  line: number;
  segments?: Segment[];
}

// ---------------------------------------------------------------------------------------------
// read_line (fileio.c): a line ends at \n, \r, NUL or a combination in which no marker repeats
// (\r\n, \n\r, \r\n\0, …); after a NUL the line always ends.

function readLines(bin: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  const kind = (c: string | undefined): number => (c === '\n' ? 2 : c === '\r' ? 4 : c === '\0' ? 1 : 0);
  let i = 0;
  let line = 0;
  while (i < bin.length) {
    let j = i;
    while (j < bin.length && kind(bin[j]) === 0) j++;
    const text = bin.slice(i, j);
    let prev = 0;
    while (j < bin.length) {
      const k = kind(bin[j]);
      if (prev & 1 || k === 0 || prev & k) break;
      prev |= k;
      j++;
    }
    out.push({ text, line: ++line });
    i = j;
  }
  return out;
}

/** For a valid UTF-8 binary string, the UTF-16 length of each prefix ending at the given byte offsets. */
function utf16Offsets(bin: string, byteOffsets: number[]): number[] {
  const res: number[] = [];
  let units = 0;
  let k = 0;
  for (let i = 0; i <= bin.length && k < byteOffsets.length; i++) {
    while (k < byteOffsets.length && (byteOffsets[k] ?? 0) <= i) {
      res.push(units);
      k++;
    }
    if (i === bin.length) break;
    const b = bin.charCodeAt(i);
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  while (res.length < byteOffsets.length) res.push(units);
  return res;
}

export function lineAt(segments: Segment[] | undefined, at: number, fallback: number): number {
  if (!segments || segments.length === 0) return fallback;
  let lo = 0;
  let hi = segments.length - 1;
  let best = segments[0]?.line ?? fallback;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid];
    if (!s) break;
    if (s.at <= at) {
      best = s.line;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Unit file syntax (conf-parser.c config_parse + parse_line).

/**
 * Parses a unit file or drop-in. Comment lines (`#`/`;` after leading whitespace) are skipped even
 * inside a continuation; a line ending in an unescaped backslash continues on the next one (the
 * backslash becomes a space); keys and values are whitespace-trimmed.
 */
export function parseUnitFile(
  text: string | Uint8Array,
  file: string,
): { entries: UnitEntry[]; diagnostics: Diagnostic[] } {
  const entries: UnitEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    const bin = toBinary(text);
    let section: string | null = null;
    let sectionIgnored = false;
    let bomSeen = false;
    let cont: { bin: string; segs: Segment[] } | null = null;

    const diag = (line: number, severity: Diagnostic['severity'], message: string, fatal = false): void => {
      diagnostics.push({ code: 'unit-parse', severity, message, file, line, ...(fatal ? { fatal } : {}) });
    };

    const handle = (p: string, segs: Segment[]): void => {
      const line0 = segs[0]?.line ?? 1;
      let s = 0;
      let e = p.length;
      while (s < e && isWs(p[s])) s++;
      while (e > s && isWs(p[e - 1])) e--;
      if (s === e) return;
      const bl = p.slice(s, e);
      const l = decodeUtf8(bl);
      if (l === null) {
        // parse_line: log_syntax_invalid_utf8() returns -EINVAL, so config_parse() fails and the unit
        // does not load (systemd before v246 skipped the line instead).
        diag(line0, 'high', 'line is not valid UTF-8: systemd refuses to load this unit file', true);
        return;
      }
      if (l[0] === '[') {
        if (l[l.length - 1] !== ']' || l.length < 2) {
          diag(line0, 'high', `invalid section header '${preview(l)}': systemd refuses to load this unit file`, true);
          section = null;
          sectionIgnored = true;
          return;
        }
        const name = l.slice(1, -1);
        if (!stringIsSafe(name)) {
          diag(line0, 'high', `bad characters in section header '${preview(l)}': systemd refuses to load this unit file`, true);
          section = null;
          sectionIgnored = true;
          return;
        }
        section = name;
        sectionIgnored = false;
        return;
      }
      if (section === null) {
        if (!sectionIgnored) diag(line0, 'low', 'assignment outside of any section, ignored');
        return;
      }
      const eq = l.indexOf('=');
      if (eq < 0) {
        diag(line0, 'low', `missing '=', line ignored: ${quoteSecret(preview(l))}`);
        return;
      }
      if (eq === 0) {
        diag(line0, 'low', "missing key name before '=', line ignored");
        return;
      }
      const key = stripWs(l.slice(0, eq));
      let vs = eq + 1;
      while (vs < l.length && isWs(l[vs])) vs++;
      const value = l.slice(vs);
      const entry: UnitEntry = { section, key, value, line: line0 };
      if (segs.length > 1) {
        const offs = utf16Offsets(
          bl,
          segs.map((sg) => Math.min(Math.max(sg.at - s, 0), bl.length)),
        );
        entry.segments = segs.map((sg, i) => ({ at: (offs[i] ?? 0) - vs, line: sg.line }));
      }
      entries.push(entry);
    };

    for (const { text: raw, line } of readLines(bin)) {
      let k = 0;
      while (k < raw.length && isWs(raw[k])) k++;
      if (k < raw.length && (raw[k] === '#' || raw[k] === ';')) continue; // comments, also inside a continuation
      let l = raw;
      if (!bomSeen && l.startsWith('\xEF\xBB\xBF')) {
        l = l.slice(3);
        bomSeen = true;
      }
      let escaped = false;
      for (let i = 0; i < l.length; i++) {
        if (escaped) escaped = false;
        else if (l[i] === '\\') escaped = true;
      }
      const segs: Segment[] = cont ? cont.segs : [];
      const head: string = cont ? cont.bin : '';
      segs.push({ at: head.length, line });
      if (escaped) {
        // the backslash becomes a space; concatenation only (no slicing of the joined text: linear)
        cont = { bin: head + l.slice(0, -1) + ' ', segs };
        continue;
      }
      cont = null;
      handle(head + l, segs);
    }
    if (cont) handle(cont.bin, cont.segs);
  } catch (e) {
    diagnostics.push(internalError(e, file));
  }
  return { entries, diagnostics };
}

// Splitting a setting's value into words: quotes and C escapes, as Environment=, ExecStart= and
// UnsetEnvironment= read them. Follows systemd/systemd (main branch as of 2025):
//   src/basic/extract-word.c  extract_first_word: quotes and C escapes
//   src/basic/escape.c     cunescape_one
import type { Diagnostic } from '../../facts/types.ts';
import { isWs, preview, utf8Fatal, utf8Lossy } from './bytes.ts';

// ---------------------------------------------------------------------------------------------
// extract_first_word() (extract-word.c, current version) with cunescape_one() (escape.c).

export interface ExtractFlags {
  cunescape?: boolean;
  unescapeRelax?: boolean; // keep unknown escapes and a trailing backslash verbatim
  relax?: boolean; // accept unbalanced quotes, eat a trailing backslash
}

type Extracted = { word: string; start: number; next: number; badBytes: boolean } | { word: null; next: number } | { error: 'EINVAL' };

/** Builds a word from code points and the raw bytes `\xNN`/`\NNN` escapes produce. */
class WordBuf {
  private parts: string[] = [];
  private bytes: number[] = [];
  bad = false;
  char(s: string): void {
    this.flush();
    this.parts.push(s);
  }
  byte(b: number): void {
    if (b < 0x80) this.char(String.fromCharCode(b));
    else this.bytes.push(b);
  }
  private flush(): void {
    if (this.bytes.length === 0) return;
    const buf = Uint8Array.from(this.bytes);
    this.bytes = [];
    try {
      this.parts.push(utf8Fatal.decode(buf));
    } catch {
      this.bad = true;
      this.parts.push(utf8Lossy.decode(buf));
    }
  }
  done(): string {
    this.flush();
    return this.parts.join('');
  }
}

const HEX = '0123456789abcdefABCDEF';
const hexVal = (c: string | undefined): number => (c !== undefined && c.length === 1 && HEX.includes(c) ? parseInt(c, 16) : -1);
const octVal = (c: string | undefined): number => (c !== undefined && c >= '0' && c <= '7' && c.length === 1 ? c.charCodeAt(0) - 48 : -1);

function unicharIsValid(c: number): boolean {
  if (c >= 0x110000) return false;
  if ((c & 0xfffff800) === 0xd800) return false;
  if (c >= 0xfdd0 && c <= 0xfdef) return false;
  if ((c & 0xfffe) === 0xfffe) return false;
  return true;
}

/** cunescape_one(): the escape after a backslash at s[i]; null if invalid. */
function cunescapeOne(s: string, i: number): { len: number; cp?: number; byte?: number } | null {
  const c = s[i];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, s: 32 };
  if (c === undefined) return null;
  if (Object.hasOwn(simple, c)) return { len: 1, cp: simple[c] ?? 0 };
  if (c === 'x') {
    const a = hexVal(s[i + 1]);
    const b = hexVal(s[i + 2]);
    if (a < 0 || b < 0 || (a === 0 && b === 0)) return null; // no NUL bytes
    return { len: 3, byte: (a << 4) | b };
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    let v = 0;
    for (let k = 1; k <= n; k++) {
      const h = hexVal(s[i + k]);
      if (h < 0) return null;
      v = v * 16 + h;
    }
    if (v === 0) return null;
    if (c === 'U' && !unicharIsValid(v)) return null;
    return { len: n + 1, cp: v };
  }
  if (c >= '0' && c <= '7') {
    const a = octVal(s[i]);
    const b = octVal(s[i + 1]);
    const d = octVal(s[i + 2]);
    if (a < 0 || b < 0 || d < 0) return null;
    if (a === 0 && b === 0 && d === 0) return null;
    const m = (a << 6) | (b << 3) | d;
    if (m > 255) return null;
    return { len: 3, byte: m };
  }
  return null;
}

export function extractFirstWord(s: string, pos: number, flags: ExtractFlags): Extracted {
  const n = s.length;
  let i = pos;
  while (i < n && isWs(s[i])) i++;
  if (i >= n) return { word: null, next: n };
  const start = i;
  const w = new WordBuf();
  let quote = '';
  let backslash = false;
  const finish = (next: number): Extracted => {
    const word = w.done();
    return { word, start, next, badBytes: w.bad };
  };
  for (;;) {
    if (backslash) {
      if (i >= n) {
        if (flags.unescapeRelax && (!quote || flags.relax)) {
          w.char('\\');
          return finish(n);
        }
        if (flags.relax) return finish(n);
        return { error: 'EINVAL' };
      }
      if (flags.cunescape) {
        const r = cunescapeOne(s, i);
        if (r) {
          if (r.byte !== undefined) w.byte(r.byte);
          else if (r.cp !== undefined) {
            if (r.cp >= 0xd800 && r.cp <= 0xdfff) {
              w.bad = true; // utf8_encode_unichar() writes a surrogate: not valid UTF-8
              w.char('\uFFFD');
            } else w.char(String.fromCodePoint(r.cp));
          }
          i += r.len;
        } else if (flags.unescapeRelax) {
          w.char('\\');
          w.char(s[i] ?? '');
          i++;
        } else return { error: 'EINVAL' };
      } else {
        w.char(s[i] ?? '');
        i++;
      }
      backslash = false;
    } else if (quote) {
      for (;;) {
        if (i >= n) {
          if (flags.relax) return finish(n);
          return { error: 'EINVAL' };
        }
        const c = s[i] ?? '';
        i++;
        if (c === quote) {
          quote = '';
          break;
        }
        if (c === '\\') {
          backslash = true;
          break;
        }
        w.char(c);
      }
    } else {
      for (;;) {
        if (i >= n) return finish(n);
        const c = s[i] ?? '';
        if (c === "'" || c === '"') {
          quote = c;
          i++;
          break;
        }
        if (c === '\\') {
          backslash = true;
          i++;
          break;
        }
        if (isWs(c)) {
          while (i < n && isWs(s[i])) i++;
          return finish(i);
        }
        w.char(c);
        i++;
      }
    }
  }
}

export interface Problem {
  severity: Diagnostic['severity'];
  message: string;
  fatal?: boolean;
  code?: string;
}

/** extract_first_word_and_warn(): retry with unknown escapes kept verbatim, then report unbalanced quoting. */
export function extractAndWarn(s: string, pos: number, flags: ExtractFlags, problems: Problem[]): Extracted {
  const r = extractFirstWord(s, pos, flags);
  if (!('error' in r)) return r;
  const r2 = extractFirstWord(s, pos, { ...flags, unescapeRelax: true });
  if (!('error' in r2)) {
    if (r2.word !== null) problems.push({ severity: 'low', message: `unknown escape sequences kept verbatim: "${preview(r2.word)}"` });
    return r2;
  }
  return r2;
}

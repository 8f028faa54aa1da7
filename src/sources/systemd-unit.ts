// Rebuilds the kubelet's command line the way systemd (PID 1) builds it from kubelet.service: the unit
// search path with shadowing and masking, drop-ins, Environment=, EnvironmentFile=, ExecStart= and its
// variable expansion. Each rule below names the systemd source it follows (systemd/systemd, main
// branch as of 2025):
//   src/core/unit-file.c   unit_file_build_name_map: the first search-path folder with the name wins
//   src/shared/dropin.c    unit_file_find_dropin_paths: <dir>/<unit>.d then <dir>/service.d
//   src/shared/conf-parser.c  config_parse/parse_line: comments, continuation lines, sections
//   src/basic/fileio.c     read_line: \n, \r, \r\n, \n\r and NUL end a line
//   src/core/load-fragment.c  config_parse_exec / config_parse_environ / config_parse_unit_env_file
//   src/basic/extract-word.c  extract_first_word: quotes and C escapes
//   src/basic/escape.c     cunescape_one
//   src/basic/env-file.c   parse_env_file_internal: the EnvironmentFile= syntax
//   src/basic/env-util.c   replace_env_argv / replace_env_full: $VAR and ${VAR}
//   src/core/execute.c     exec_context_load_environment: "-", globbing, later files win
//   src/shared/specifier.c specifier_printf: %% and unknown specifiers
// Every file is read through RootFs (confined to the node root, at most 1 MiB); nothing here throws.
import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { Arg, Diagnostic } from '../facts/types.ts';
import { compareBytes, type RootFs } from './root-fs.ts';

const MAX_BYTES = 1024 * 1024;
const MAX_GLOB_MATCHES = 1024;
const MAX_DIR_ENTRIES = 4096;

/** systemd's system-scope unit search path, highest priority first (src/basic/path-lookup.c). */
export const SYSTEM_UNIT_PATH: readonly string[] = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system', // split-usr systems; on merged-usr it is /usr/lib again and deduplicated
  '/run/systemd/generator.late',
];

export interface UnitReconstruction {
  unit?: { file: string; dropIns: string[] }; // node paths, drop-ins in the order applied
  /** ExecStart after expansion; argv[0] is the binary (with the `@` prefix: the second word, as systemd passes it). */
  argv: Arg[];
  /** the program systemd executes (differs from argv[0] only with the `@` prefix); never variable-expanded. */
  execPath?: string;
  env: Record<string, string>; // final environment from Environment= and EnvironmentFile=
  envSources: Record<string, { file: string; line: number }>;
  diagnostics: Diagnostic[];
  missing?: string; // why no unit/ExecStart was found
  /** files systemd would read but we could not (EACCES, too large…): the command line may hold more than argv shows */
  incomplete?: string[];
}

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

export interface EnvFileVar {
  name: string;
  value: string;
  line: number;
}

// ---------------------------------------------------------------------------------------------
// Bytes and UTF-8. Files are parsed as "binary strings" (one char per byte, latin1) so that invalid
// UTF-8 can be told apart exactly where systemd checks it.

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function toBinary(input: string | Uint8Array): string {
  if (typeof input !== 'string') return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  if (!LONE_SURROGATE.test(input)) return Buffer.from(input, 'utf8').toString('latin1');
  // A lone surrogate is what a C program would see as the (invalid) 3-byte sequence ED xx xx.
  let out = '';
  for (const ch of input) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else out += Buffer.from(ch, 'utf8').toString('latin1');
  }
  return out;
}

function decodeUtf8(bin: string): string | null {
  try {
    return utf8Fatal.decode(Buffer.from(bin, 'latin1'));
  } catch {
    return null;
  }
}

function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function stripWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s[a])) a++;
  while (b > a && isWs(s[b - 1])) b--;
  return s.slice(a, b);
}

/** env_name_is_valid (env-util.c): bash's character set, not starting with a digit. */
export function envNameIsValid(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** string_is_safe (string-util.c): no control characters, quotes or backslashes. */
function stringIsSafe(s: string): boolean {
  return !/[\x01-\x1f\x7f"'\\]/.test(s);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function preview(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
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

function lineAt(segments: Segment[] | undefined, at: number, fallback: number): number {
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
        diag(line0, 'low', `missing '=', line ignored: ${preview(l)}`);
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

// ---------------------------------------------------------------------------------------------
// EnvironmentFile= syntax: a port of env-file.c parse_env_file_internal(). Not a shell: no `export`,
// quotes are only recognised where a value (re)starts, `#`/`;` only start comments at a line's start.

const SHELL_NEED_ESCAPE = '"\\`$';

/**
 * Parses an environment file. `error` is set when systemd would reject the whole file (invalid
 * UTF-8 in a key or value, a NUL byte); `vars` is then empty, as systemd loads nothing from it.
 */
export function parseEnvironmentFile(
  text: string | Uint8Array,
  file: string,
): { vars: EnvFileVar[]; diagnostics: Diagnostic[]; error?: string } {
  const vars: EnvFileVar[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    const bin = toBinary(text);
    const nul = bin.indexOf('\0');
    if (nul >= 0) {
      // read_full_stream() without a size refuses embedded NULs (EBADMSG).
      const line = countLines(bin, nul);
      const error = `${file}:${line}: contains a NUL byte; systemd refuses to read the file`;
      diagnostics.push({ code: 'env-file-invalid', severity: 'medium', message: error, file, line });
      return { vars: [], diagnostics, error };
    }

    type State =
      | 'PRE_KEY'
      | 'KEY'
      | 'PRE_VALUE'
      | 'VALUE'
      | 'VALUE_ESCAPE'
      | 'SQ'
      | 'DQ'
      | 'DQ_ESCAPE'
      | 'COMMENT'
      | 'COMMENT_ESCAPE';
    let state: State = 'PRE_KEY';
    let key = '';
    let value: string | null = null;
    let lastKeyWs = -1;
    let lastValueWs = -1;
    let line = 1;
    let keyLine = 1;
    let error: string | undefined;

    const push = (): boolean => {
      if (lastKeyWs >= 0) key = key.slice(0, lastKeyWs);
      const k = decodeUtf8(key);
      const v = decodeUtf8(value ?? '');
      if (k === null || v === null) {
        // check_utf8ness_and_warn() fails, and load_env_file() with it: nothing of the file is used.
        error = `${file}:${keyLine}: invalid UTF-8 in ${k === null ? 'a key' : `the value of ${k}`}; systemd rejects the whole file`;
        diagnostics.push({ code: 'env-file-invalid', severity: 'medium', message: error, file, line: keyLine });
        return false;
      }
      if (!envNameIsValid(k)) {
        // exec_context_load_environment() drops it: "Ignoring invalid environment assignment".
        const hint = /^export\s/.test(k) ? ' (systemd does not understand the shell `export` keyword)' : '';
        diagnostics.push({
          code: 'env-file-invalid',
          severity: 'low',
          message: `invalid variable name '${preview(k, 60)}', ignored by systemd${hint}`,
          file,
          line: keyLine,
        });
      } else vars.push({ name: k, value: v, line: keyLine });
      return true;
    };
    const reset = (): void => {
      key = '';
      value = null;
    };
    const append = (c: string): void => {
      value = (value ?? '') + c;
    };

    let stopped = false;
    for (let i = 0; i < bin.length && !stopped; i++) {
      const c = bin[i] ?? '';
      const nl = c === '\n' || c === '\r';
      switch (state) {
        case 'PRE_KEY':
          if (c === '#' || c === ';') state = 'COMMENT';
          else if (!isWs(c)) {
            state = 'KEY';
            lastKeyWs = -1;
            keyLine = line;
            key = c;
          }
          break;
        case 'KEY':
          if (nl) {
            diagnostics.push({
              code: 'env-file-invalid',
              severity: 'low',
              message: `line without '=' ignored: ${preview(decodeUtf8(key) ?? utf8Lossy.decode(Buffer.from(key, 'latin1')), 60)}`,
              file,
              line: keyLine,
            });
            state = 'PRE_KEY';
            reset();
          } else if (c === '=') {
            state = 'PRE_VALUE';
            lastValueWs = -1;
          } else {
            if (!isWs(c)) lastKeyWs = -1;
            else if (lastKeyWs < 0) lastKeyWs = key.length;
            key += c;
          }
          break;
        case 'PRE_VALUE':
          if (nl) {
            state = 'PRE_KEY';
            if (!push()) stopped = true;
            reset();
          } else if (c === "'") state = 'SQ';
          else if (c === '"') state = 'DQ';
          else if (c === '\\') state = 'VALUE_ESCAPE';
          else if (!isWs(c)) {
            state = 'VALUE';
            append(c);
          }
          break;
        case 'VALUE':
          if (nl) {
            state = 'PRE_KEY';
            if (lastValueWs >= 0 && value !== null) value = (value as string).slice(0, lastValueWs);
            if (!push()) stopped = true;
            reset();
          } else if (c === '\\') {
            state = 'VALUE_ESCAPE';
            lastValueWs = -1;
          } else {
            if (!isWs(c)) lastValueWs = -1;
            else if (lastValueWs < 0) lastValueWs = (value ?? '').length;
            append(c);
          }
          break;
        case 'VALUE_ESCAPE':
          state = 'VALUE';
          if (!nl) append(c); // an escaped newline is eaten: a continuation line
          break;
        case 'SQ':
          if (c === "'") state = 'PRE_VALUE';
          else append(c);
          break;
        case 'DQ':
          if (c === '"') state = 'PRE_VALUE';
          else if (c === '\\') state = 'DQ_ESCAPE';
          else append(c);
          break;
        case 'DQ_ESCAPE':
          state = 'DQ';
          if (SHELL_NEED_ESCAPE.includes(c)) append(c);
          else if (c !== '\n') append('\\' + c); // like the shell, keep the backslash
          break;
        case 'COMMENT':
          if (c === '\\') state = 'COMMENT_ESCAPE';
          else if (nl) state = 'PRE_KEY';
          break;
        case 'COMMENT_ESCAPE':
          state = nl ? 'PRE_KEY' : 'COMMENT';
          break;
      }
      if (c === '\n' || (c === '\r' && bin[i + 1] !== '\n')) line++;
    }
    if (!stopped) {
      if (state === 'SQ' || state === 'DQ' || state === 'DQ_ESCAPE') {
        diagnostics.push({
          code: 'env-file-invalid',
          severity: 'low',
          message: 'unterminated quote: systemd takes the value up to the end of the file',
          file,
          line: keyLine,
        });
      }
      if (state === 'KEY') {
        diagnostics.push({
          code: 'env-file-invalid',
          severity: 'low',
          message: `line without '=' ignored: ${preview(decodeUtf8(key) ?? utf8Lossy.decode(Buffer.from(key, 'latin1')), 60)}`,
          file,
          line: keyLine,
        });
      } else if (['PRE_VALUE', 'VALUE', 'VALUE_ESCAPE', 'SQ', 'DQ', 'DQ_ESCAPE'].includes(state)) {
        if (state === 'VALUE' && lastValueWs >= 0 && value !== null) value = (value as string).slice(0, lastValueWs);
        push();
      }
    }
    if (error !== undefined) return { vars: [], diagnostics, error };
  } catch (e) {
    diagnostics.push(internalError(e, file));
  }
  return { vars, diagnostics };
}

function countLines(bin: string, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) {
    const c = bin[i];
    if (c === '\n' || (c === '\r' && bin[i + 1] !== '\n')) line++;
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// extract_first_word() (extract-word.c, current version) with cunescape_one() (escape.c).

interface ExtractFlags {
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

function extractFirstWord(s: string, pos: number, flags: ExtractFlags): Extracted {
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

interface Problem {
  severity: Diagnostic['severity'];
  message: string;
  fatal?: boolean;
  code?: string;
}

/** extract_first_word_and_warn(): retry with unknown escapes kept verbatim, then report unbalanced quoting. */
function extractAndWarn(s: string, pos: number, flags: ExtractFlags, problems: Problem[]): Extracted {
  const r = extractFirstWord(s, pos, flags);
  if (!('error' in r)) return r;
  const r2 = extractFirstWord(s, pos, { ...flags, unescapeRelax: true });
  if (!('error' in r2)) {
    if (r2.word !== null) problems.push({ severity: 'low', message: `unknown escape sequences kept verbatim: "${preview(r2.word)}"` });
    return r2;
  }
  return r2;
}

// ---------------------------------------------------------------------------------------------
// Specifiers (specifier.c specifier_printf; the table of unit-printf.c unit_full_printf).

const KNOWN_SPECIFIERS = 'aAbBcCdDEfgGhHiIjJlLmMnNopPqrRsStTuUvVwWyY';

function resolveSpecifiers(s: string): { text: string; unresolved: string[]; unknown: string[] } {
  if (!s.includes('%')) return { text: s, unresolved: [], unknown: [] };
  let out = '';
  const unresolved: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c !== '%') {
      out += c;
      continue;
    }
    const d = s[i + 1];
    if (d === undefined) {
      out += '%'; // a stray % at the end stays
      break;
    }
    i++;
    if (d === '%') out += '%';
    else if (KNOWN_SPECIFIERS.includes(d)) {
      out += '%' + d; // not resolved here: needs the running system (host name, machine id, …)
      unresolved.push('%' + d);
    } else if (/^[A-Za-z0-9]$/.test(d)) {
      out += '%' + d; // systemd fails with EBADSLT
      unknown.push('%' + d);
    } else out += '%' + d;
  }
  return { text: out, unresolved, unknown };
}

// ---------------------------------------------------------------------------------------------
// Environment= (load-fragment.c config_parse_environ).

interface Assignment {
  name: string;
  value: string;
  at: number;
}

function parseEnvironmentValue(value: string): { assignments: Assignment[]; problems: Problem[] } {
  const assignments: Assignment[] = [];
  const problems: Problem[] = [];
  const v = value.includes('\0') ? value.slice(0, value.indexOf('\0')) : value;
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(v, pos, { cunescape: true });
    if ('error' in r) {
      // no retry here: words before stay applied, the rest of the line is dropped.
      problems.push({ severity: 'low', code: 'env-invalid', message: `invalid syntax (unbalanced quotes or a bad escape), rest of the line ignored: ${preview(v.slice(pos))}` });
      break;
    }
    if (r.word === null) break;
    pos = r.next;
    const spec = resolveSpecifiers(r.word);
    if (spec.unknown.length > 0) {
      problems.push({ severity: 'low', code: 'env-invalid', message: `unknown specifier ${spec.unknown.join(', ')}: systemd ignores the assignment ${preview(r.word)}` });
      continue;
    }
    if (spec.unresolved.length > 0) {
      problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec.unresolved.join(', ')} left unresolved in ${preview(r.word)}` });
    }
    const word = spec.text;
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : '';
    if (eq < 0 || !envNameIsValid(name) || r.badBytes || !isWellFormed(word)) {
      problems.push({ severity: 'low', code: 'env-invalid', message: `invalid environment assignment, ignored: ${preview(word)}` });
      continue;
    }
    assignments.push({ name, value: word.slice(eq + 1), at: r.start });
  }
  return { assignments, problems };
}

/** The assignments of one Environment= value, as systemd keeps them (invalid ones dropped). */
export function splitEnvironmentAssignments(value: string): Array<{ name: string; value: string }> {
  try {
    return parseEnvironmentValue(value).assignments.map(({ name, value: v }) => ({ name, value: v }));
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// ExecStart= (load-fragment.c config_parse_exec) and its expansion (env-util.c replace_env_argv).

interface ExecWord {
  text: string;
  at: number; // offset in the value where the word starts
}

interface ExecCommand {
  ignoreFailure: boolean;
  separateArgv0: boolean;
  noEnvExpand: boolean;
  path: string;
  argv: ExecWord[];
}

/**
 * Splits one ExecStart= value into commands. `rejected` is set when a command of the line was
 * refused: with `-` systemd ignores the line, otherwise the unit fails to load (-ENOEXEC).
 */
function parseExecValue(value: string): { commands: ExecCommand[]; problems: Problem[]; rejected?: string } {
  const commands: ExecCommand[] = [];
  const problems: Problem[] = [];
  const v = value.includes('\0') ? value.slice(0, value.indexOf('\0')) : value;
  const flags: ExtractFlags = { cunescape: true };
  let p = 0;
  let semicolon: boolean;
  const reject = (ignore: boolean, message: string): { commands: ExecCommand[]; problems: Problem[]; rejected: string } => {
    problems.push({
      severity: ignore ? 'medium' : 'high',
      code: 'exec-start-invalid',
      message: ignore ? `${message}; the line is ignored (prefix '-')` : `${message}; systemd refuses to load the unit`,
      fatal: !ignore,
    });
    return { commands, problems, rejected: message };
  };
  do {
    semicolon = false;
    const first = extractAndWarn(v, p, flags, problems);
    if ('error' in first) {
      // config_parse_exec() returns 0 here: the line is ignored, the unit still loads.
      problems.push({ severity: 'medium', code: 'exec-start-invalid', message: `unbalanced quoting, ExecStart= line ignored: ${preview(v)}` });
      return { commands, problems, rejected: 'unbalanced quoting' };
    }
    if (first.word === null) break;
    p = first.next;
    if (first.word === ';') {
      semicolon = true;
      continue;
    }
    let ignoreFailure = false;
    let separateArgv0 = false;
    let noEnvExpand = false;
    let fullyPrivileged = false;
    let noSetuid = false;
    let ambient = false;
    let viaShell = false;
    let k = 0;
    for (;;) {
      const c = first.word[k];
      if (c === '|' && !viaShell) viaShell = true;
      else if (c === '-' && !ignoreFailure) ignoreFailure = true;
      else if (c === '@' && !separateArgv0) separateArgv0 = true;
      else if (c === ':' && !noEnvExpand) noEnvExpand = true;
      else if (c === '+' && !(fullyPrivileged || noSetuid || ambient)) fullyPrivileged = true;
      else if (c === '!' && !(fullyPrivileged || noSetuid || ambient)) noSetuid = true;
      else if (c === '!' && !(fullyPrivileged || ambient)) {
        noSetuid = false;
        ambient = true; // "!!"
      } else break;
      k++;
    }
    if (viaShell) {
      // systemd 258 added '|' (run the command line through the shell); older versions reject the path.
      problems.push({ severity: 'medium', code: 'exec-start-invalid', message: `the '|' prefix (systemd 258+: the command line runs through /bin/sh) is not modelled: '${preview(v)}'` });
      return { commands, problems, rejected: "the '|' prefix is not modelled" };
    }
    const spec0 = resolveSpecifiers(first.word.slice(k));
    if (spec0.unknown.length > 0) return reject(ignoreFailure, `unknown specifier ${spec0.unknown.join(', ')} in '${preview(first.word)}'`);
    if (spec0.unresolved.length > 0) problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec0.unresolved.join(', ')} left unresolved in ${preview(first.word)}` });
    const path = spec0.text;
    if (path === '') return reject(ignoreFailure, `empty path in command line: '${preview(v)}'`);
    if (!stringIsSafe(path) || first.badBytes) return reject(ignoreFailure, `executable name contains special characters: ${preview(path)}`);
    if (path.endsWith('/')) return reject(ignoreFailure, `executable path specifies a directory: ${preview(path)}`);
    const valid = path.startsWith('/')
      ? byteLength(path) < 4096 && path.split('/').every((c) => byteLength(c) <= 255)
      : path !== '.' && path !== '..' && !path.includes('/') && byteLength(path) <= 255;
    if (!valid) return reject(ignoreFailure, `neither a valid executable name nor an absolute path: ${preview(path)}`);
    if (path.includes('$')) {
      // systemd.service(5): "the first argument (i.e. the program to execute) may not be a variable".
      problems.push({ severity: 'medium', code: 'exec-start-invalid', message: `the executable path '${preview(path)}' contains '$': systemd does not expand variables in it` });
    }
    const argv: ExecWord[] = [];
    if (!separateArgv0) argv.push({ text: path, at: first.start });
    while (p < v.length) {
      if (v[p] === ';' && (p + 1 >= v.length || isWs(v[p + 1]))) {
        p++;
        while (p < v.length && isWs(v[p])) p++;
        semicolon = true;
        break;
      }
      if (v[p] === '\\' && v[p + 1] === ';' && (p + 2 >= v.length || isWs(v[p + 2]))) {
        argv.push({ text: ';', at: p });
        p += 2;
        while (p < v.length && isWs(v[p])) p++;
        continue;
      }
      const r = extractAndWarn(v, p, flags, problems);
      if ('error' in r) return reject(ignoreFailure, `unbalanced quoting in '${preview(v)}'`);
      if (r.word === null) break;
      p = r.next;
      const spec = resolveSpecifiers(r.word);
      if (spec.unknown.length > 0) return reject(ignoreFailure, `unknown specifier ${spec.unknown.join(', ')} in '${preview(r.word)}'`);
      if (spec.unresolved.length > 0) problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec.unresolved.join(', ')} left unresolved in ${preview(r.word)}` });
      if (r.badBytes) problems.push({ severity: 'low', code: 'exec-start-invalid', message: `escape sequences in '${preview(spec.text)}' produce bytes that are not UTF-8; shown with replacement characters` });
      argv.push({ text: spec.text, at: r.start });
    }
    if (argv.length === 0) return reject(ignoreFailure, `empty executable name or zeroeth argument: '${preview(v)}'`);
    commands.push({ ignoreFailure, separateArgv0, noEnvExpand, path, argv });
  } while (semicolon);
  return { commands, problems };
}

interface ExpandedWord {
  text: string;
  at: number;
  /** variables whose values are in the text */
  vars: string[];
  /** the whole text is one variable's value (`$VAR` split, or a word that is exactly `${VAR}`) */
  whole?: { name: string; form: '$' | '${}' };
}

function envGet(env: Map<string, string> | Record<string, string>, name: string): string | undefined {
  if (env instanceof Map) return env.get(name);
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

/** replace_env_full() with flags 0: only `${NAME}` and `$$`; `${NAME:-x}` is left as it is. */
function replaceEnv(word: string, env: Map<string, string> | Record<string, string>, unset: string[], bad: string[]): { text: string; vars: string[] } {
  let out = '';
  const vars: string[] = [];
  let state: 'WORD' | 'CURLY' | 'VARIABLE' = 'WORD';
  let from = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (state === 'WORD') {
      if (c === '$') state = 'CURLY';
    } else if (state === 'CURLY') {
      if (c === '{') {
        out += word.slice(from, i - 1);
        from = i - 1;
        state = 'VARIABLE';
      } else if (c === '$') {
        out += word.slice(from, i); // `$$` → `$`
        from = i + 1;
        state = 'WORD';
      } else state = 'WORD';
    } else if (c === '}') {
      const name = word.slice(from + 2, i);
      if (envNameIsValid(name)) {
        const val = envGet(env, name);
        if (val === undefined) unset.push(name);
        else {
          out += val;
          vars.push(name);
        }
      } else bad.push(name);
      from = i + 1;
      state = 'WORD';
    } else if (c === ':') state = 'WORD'; // unsupported syntax: no replacement
  }
  out += word.slice(from);
  return { text: out, vars };
}

/** replace_env_argv(): `$NAME` alone is split at whitespace (quotes honoured); `${NAME}` inside a word is replaced as-is. */
function expandCommand(cmd: ExecCommand, env: Map<string, string> | Record<string, string>): { words: ExpandedWord[]; unset: string[]; bad: string[] } {
  const words: ExpandedWord[] = [];
  const unset: string[] = [];
  const bad: string[] = [];
  for (const w of cmd.argv) {
    if (cmd.noEnvExpand) {
      words.push({ text: w.text, at: w.at, vars: [] });
      continue;
    }
    const t = w.text;
    if (t[0] === '$' && t[1] !== '{' && t[1] !== '$') {
      const name = t.slice(1);
      if (!envNameIsValid(name)) {
        bad.push(name); // the word disappears
        continue;
      }
      const val = envGet(env, name);
      if (val === undefined) {
        unset.push(name);
        continue;
      }
      let pos = 0;
      for (let guard = 0; guard <= val.length + 1; guard++) {
        const r = extractFirstWord(val, pos, { relax: true });
        if ('error' in r || r.word === null) break;
        pos = r.next;
        words.push({ text: r.word, at: w.at, vars: [name], whole: { name, form: '$' } });
      }
      continue;
    }
    const r = replaceEnv(t, env, unset, bad);
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(t);
    const ew: ExpandedWord = { text: r.text, at: w.at, vars: r.vars };
    if (m && m[1] !== undefined && r.vars.length === 1) ew.whole = { name: m[1], form: '${}' };
    words.push(ew);
  }
  return { words, unset: [...new Set(unset)], bad: [...new Set(bad)] };
}

/**
 * Expands an ExecStart= value the way systemd does: quotes and C escapes, prefixes (`-@:+!`), `%%`,
 * then `$VAR`/`${VAR}`/`$$`. With several `;`-separated commands, the last one is expanded.
 */
export function expandExecStart(
  value: string,
  env: Record<string, string>,
): { words: Array<{ text: string; fromVar?: string }> } | { error: string } {
  try {
    const parsed = parseExecValue(value);
    if (parsed.rejected !== undefined) return { error: parsed.rejected };
    const cmd = parsed.commands[parsed.commands.length - 1];
    if (!cmd) return { words: [] };
    const { words } = expandCommand(cmd, env);
    return { words: words.map((w) => (w.vars[0] !== undefined ? { text: w.text, fromVar: w.vars[0] } : { text: w.text })) };
  } catch (e) {
    return { error: `internal error: ${String(e)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Node file access: unit folders, symlinks, globbing, all through RootFs.

type LinkTarget = string | null; // null: not a readable link

function readlinkOf(fs: RootFs, nodePath: string): LinkTarget {
  const r = fs.readlink(nodePath);
  return r.ok ? r.target : null;
}

/**
 * The folders that exist, each place once: /lib/systemd/system on a merged-usr node is
 * /usr/lib/systemd/system again (unit-file.c chases the search path the same way).
 */
function uniqueDirs(fs: RootFs, dirs: readonly string[], diagnostics: Diagnostic[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const d of dirs) {
    const st = fs.stat(d);
    if (st.exists === null) {
      diagnostics.push({ code: 'unit-unreadable', severity: 'medium', message: `cannot read ${d}: ${st.error ?? 'unknown error'}`, file: d });
      continue;
    }
    if (st.exists !== true || st.type !== 'dir') continue;
    const real = fs.realpath(d);
    const key = real.ok ? real.path : d;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(d);
  }
  return kept;
}

type FileState =
  | { kind: 'file'; bytes: Buffer }
  | { kind: 'masked'; why: string }
  | { kind: 'missing'; why: string }
  | { kind: 'error'; why: string; code: string };

/** Reads a unit file or drop-in, recognising masks (a symlink to /dev/null, an empty file: null_or_empty). */
function loadConfigFile(fs: RootFs, nodePath: string): FileState {
  const lst = fs.stat(nodePath, { follow: false });
  if (lst.exists === false) return { kind: 'missing', why: 'no such file' };
  if (lst.exists === null) return { kind: 'error', why: lst.error ?? 'unreadable', code: 'EIO' };
  if (lst.type === 'symlink') {
    const st = fs.stat(nodePath);
    if (st.exists === true && st.type === 'char') return { kind: 'masked', why: 'a symlink to /dev/null' };
    if (st.exists === false) {
      const target = readlinkOf(fs, nodePath);
      if (target === '/dev/null') return { kind: 'masked', why: 'a symlink to /dev/null' };
      return { kind: 'missing', why: `a dangling symlink${target === null ? '' : ` to ${target}`}` };
    }
    if (st.exists === null) return { kind: 'error', why: st.error ?? 'unreadable', code: 'EIO' };
  }
  const r = fs.read(nodePath, MAX_BYTES);
  if (!r.ok) {
    if (r.code === 'ENOENT') return { kind: 'missing', why: r.error };
    return { kind: 'error', why: r.error, code: r.code };
  }
  if (r.bytes.length === 0) return { kind: 'masked', why: 'an empty file' };
  return { kind: 'file', bytes: r.bytes };
}

const GLOB_CHARS = /[*?[]/;

function globToRegExp(pat: string): RegExp {
  let re = '^';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i] ?? '';
    if (c === '\\' && i + 1 < pat.length) {
      re += escapeRe(pat[++i] ?? '');
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      let neg = false;
      if (pat[j] === '!' || pat[j] === '^') {
        neg = true;
        j++;
      }
      const bodyStart = j;
      if (pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) {
        re += '\\[';
        continue;
      }
      const body = pat.slice(bodyStart, j).replace(/[\\\]^[]/g, (m) => '\\' + m);
      re += `[${neg ? '^' : ''}${body}]`;
      i = j;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(re + '$', 'su');
  } catch {
    return /(?!)/;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** safe_glob() as exec_context_load_environment() uses it: sorted matches, ENOENT when none. */
function globNodePaths(fs: RootFs, pattern: string): { paths: string[]; truncated: boolean } {
  if (!GLOB_CHARS.test(pattern)) return { paths: fs.stat(pattern, { follow: false }).exists === true ? [pattern] : [], truncated: false };
  let truncated = false;
  let current = ['/'];
  const comps = pattern.split('/').filter((c) => c.length > 0);
  for (const comp of comps) {
    const next: string[] = [];
    if (GLOB_CHARS.test(comp)) {
      const re = globToRegExp(comp);
      for (const dir of current) {
        const l = fs.list(dir);
        if (!l.ok) continue;
        for (const name of l.names) {
          if (name.startsWith('.') && !comp.startsWith('.')) continue; // a leading dot must be explicit
          if (re.test(name)) next.push(dir === '/' ? `/${name}` : `${dir}/${name}`);
          if (next.length > MAX_GLOB_MATCHES) break;
        }
        if (next.length > MAX_GLOB_MATCHES) break;
      }
    } else {
      const lit = comp.replace(/\\(.)/g, '$1');
      for (const dir of current) next.push(dir === '/' ? `/${lit}` : `${dir}/${lit}`);
    }
    if (next.length > MAX_GLOB_MATCHES) truncated = true;
    current = next.slice(0, MAX_GLOB_MATCHES);
    if (current.length === 0) return { paths: [], truncated };
  }
  return { paths: current.filter((p) => fs.stat(p, { follow: false }).exists === true).sort(compareBytes), truncated };
}

// ---------------------------------------------------------------------------------------------
// The reconstruction.

interface EnvValue {
  value: string;
  file: string;
  line: number;
}

function internalError(e: unknown, file?: string): Diagnostic {
  return { code: 'internal-error', severity: 'high', message: `internal error while reading systemd configuration: ${String(e)}`, ...(file ? { file } : {}) };
}

function recordFrom<T>(m: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of m) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** unit_name_is_valid(): name.type, allowed characters, at most 255 bytes. */
function unitNameIsValid(name: string): boolean {
  return name.length <= 255 && /^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?\.[a-z]+$/.test(name);
}

/**
 * Finds `unitName` (default kubelet.service) on the node the way systemd loads it, applies its
 * drop-ins, loads the environment and expands ExecStart=. Never throws.
 */
export function reconstructUnit(fs: RootFs, unitName = 'kubelet.service'): UnitReconstruction {
  const diagnostics: Diagnostic[] = [];
  const out: UnitReconstruction = { argv: [], env: {}, envSources: {}, diagnostics };
  try {
    reconstruct(fs, unitName, out);
    for (const d of diagnostics) if (d.code === 'unit-unreadable') (out.incomplete ??= []).push(d.message);
  } catch (e) {
    diagnostics.push(internalError(e));
    out.missing ??= `internal error: ${String(e)}`;
  }
  return out;
}

function reconstruct(fs: RootFs, unitName: string, out: UnitReconstruction): void {
  const diagnostics = out.diagnostics;
  if (!unitNameIsValid(unitName)) {
    out.missing = `'${unitName}' is not a valid unit name`;
    return;
  }
  const unitType = unitName.slice(unitName.lastIndexOf('.') + 1);

  // 1. The unit file: the first folder of the search path with an entry of that name wins, even a
  //    mask or a dangling link (unit-file.c: "If the name is already mapped … ignore it").
  const dirs = uniqueDirs(fs, SYSTEM_UNIT_PATH, diagnostics);
  let unitFile: string | undefined;
  let winner = -1;
  for (const [i, d] of dirs.entries()) {
    const p = `${d}/${unitName}`;
    const st = fs.stat(p, { follow: false });
    if (st.exists === null) {
      diagnostics.push({ code: 'unit-unreadable', severity: 'medium', message: `cannot tell whether ${p} exists: ${st.error ?? 'unknown error'}`, file: p });
      continue;
    }
    // Only regular files and symlinks count (unit-file.c: DT_REG, DT_LNK).
    if (st.exists && (st.type === 'file' || st.type === 'symlink')) {
      unitFile = p;
      winner = i;
      break;
    }
  }
  if (unitFile === undefined) {
    out.missing = `no ${unitName} unit in any systemd unit folder (/etc/systemd/system, /run/systemd/system, /usr/lib/systemd/system, … ${SYSTEM_UNIT_PATH.length} in all)`;
    return;
  }
  for (const d of dirs.slice(winner + 1)) {
    const p = `${d}/${unitName}`;
    const st = fs.stat(p, { follow: false });
    if (st.exists === true && (st.type === 'file' || st.type === 'symlink')) {
      diagnostics.push({ code: 'unit-shadowed', severity: 'info', message: `${p} is shadowed by ${unitFile}`, file: p });
    }
  }
  const unit = loadConfigFile(fs, unitFile);
  out.unit = { file: unitFile, dropIns: [] };
  if (unit.kind === 'masked') {
    diagnostics.push({ code: 'unit-masked', severity: 'high', message: `${unitName} is masked (${unitFile} is ${unit.why}): systemd will not start it`, file: unitFile, fatal: true });
    out.missing = `${unitName} is masked`;
    return;
  }
  if (unit.kind !== 'file') {
    diagnostics.push({ code: 'unit-unreadable', severity: 'high', message: `cannot read ${unitFile}: ${unit.why}`, file: unitFile, ...(unit.kind === 'missing' ? { fatal: true } : {}) });
    out.missing = `cannot read ${unitFile}: ${unit.why}`;
    return;
  }

  // 2. Drop-ins: <dir>/<unit>.d/*.conf for every folder, then the type-wide <dir>/service.d/*.conf;
  //    merged by file name (the first folder wins, a mask hides the name), applied in bytewise order.
  const dropDirs = uniqueDirs(fs, [...dirs.map((d) => `${d}/${unitName}.d`), ...dirs.map((d) => `${d}/${unitType}.d`)], diagnostics);
  const byName = new Map<string, string>();
  for (const dd of dropDirs) {
    const l = fs.list(dd);
    if (!l.ok) {
      diagnostics.push({ code: 'unit-unreadable', severity: 'medium', message: `cannot list ${dd}: ${l.error}`, file: dd });
      continue;
    }
    for (const name of l.names.slice(0, MAX_DIR_ENTRIES)) {
      if (name.startsWith('.') || !name.endsWith('.conf')) continue;
      const p = `${dd}/${name}`;
      const st = fs.stat(p, { follow: false });
      if (!(st.type === 'file' || st.type === 'symlink')) continue;
      const prior = byName.get(name);
      if (prior !== undefined) {
        diagnostics.push({ code: 'dropin-shadowed', severity: 'info', message: `drop-in ${p} is overridden by ${prior}`, file: p });
        continue;
      }
      byName.set(name, p);
    }
  }
  const files: Array<{ path: string; bytes: Buffer }> = [{ path: unitFile, bytes: unit.bytes }];
  for (const name of [...byName.keys()].sort(compareBytes)) {
    const p = byName.get(name) ?? '';
    const f = loadConfigFile(fs, p);
    if (f.kind === 'file') {
      files.push({ path: p, bytes: f.bytes });
      out.unit.dropIns.push(p);
    } else if (f.kind === 'masked') {
      diagnostics.push({ code: 'dropin-masked', severity: 'info', message: `drop-in ${p} is ${f.why}: it masks any ${name} of lower priority`, file: p });
    } else if (f.kind === 'missing') {
      diagnostics.push({ code: 'dropin-masked', severity: 'info', message: `drop-in ${p} is ${f.why}: ignored, and it masks any ${name} of lower priority`, file: p });
    } else {
      diagnostics.push({
        code: 'unit-unreadable',
        severity: 'high',
        message: `cannot read drop-in ${p}: ${f.why}${f.code === 'EFBIG' ? '' : '; systemd would fail to load the unit'}`,
        file: p,
        ...(f.code === 'EFBIG' ? {} : { fatal: true }),
      });
    }
  }

  // 3. Apply [Service] settings in file order.
  type ExecLine = { cmd: ExecCommand; file: string; line: number; segments?: Segment[] };
  let execStart: ExecLine[] = [];
  let environment = new Map<string, EnvValue>();
  let envFiles: Array<{ path: string; file: string; line: number }> = [];
  let unsetEnv: string[] = [];
  let serviceType = 'simple';
  const problemsTo = (problems: Problem[], file: string, line: number, fallbackCode: string): void => {
    for (const pr of problems) {
      diagnostics.push({ code: pr.code ?? fallbackCode, severity: pr.severity, message: pr.message, file, line, ...(pr.fatal ? { fatal: true } : {}) });
    }
  };
  for (const f of files) {
    const parsed = parseUnitFile(f.bytes, f.path);
    diagnostics.push(...parsed.diagnostics);
    for (const e of parsed.entries) {
      if (e.section !== 'Service') continue;
      const lineOf = (at: number): number => lineAt(e.segments, at, e.line);
      switch (e.key) {
        case 'ExecStart': {
          if (e.value === '') {
            execStart = []; // an empty assignment resets the list
            break;
          }
          const pv = parseExecValue(e.value);
          problemsTo(pv.problems, f.path, e.line, 'exec-start-invalid');
          for (const cmd of pv.commands) execStart.push({ cmd, file: f.path, line: e.line, ...(e.segments ? { segments: e.segments } : {}) });
          break;
        }
        case 'Environment': {
          if (e.value === '') {
            environment = new Map();
            break;
          }
          const pe = parseEnvironmentValue(e.value);
          problemsTo(pe.problems, f.path, e.line, 'env-invalid');
          for (const a of pe.assignments) environment.set(a.name, { value: a.value, file: f.path, line: lineOf(a.at) });
          break;
        }
        case 'EnvironmentFile': {
          if (e.value === '') {
            envFiles = [];
            break;
          }
          const spec = resolveSpecifiers(e.value);
          if (spec.unknown.length > 0) {
            diagnostics.push({ code: 'env-file-invalid', severity: 'low', message: `unknown specifier ${spec.unknown.join(', ')} in EnvironmentFile=${preview(e.value)}: ignored by systemd`, file: f.path, line: e.line });
            break;
          }
          if (spec.unresolved.length > 0) {
            diagnostics.push({ code: 'unit-specifier', severity: 'info', message: `specifier ${spec.unresolved.join(', ')} left unresolved in EnvironmentFile=${preview(e.value)}`, file: f.path, line: e.line });
          }
          const bare = spec.text.startsWith('-') ? spec.text.slice(1) : spec.text;
          if (!bare.startsWith('/')) {
            diagnostics.push({ code: 'env-file-invalid', severity: 'low', message: `EnvironmentFile=${preview(e.value)} is not an absolute path: ignored by systemd`, file: f.path, line: e.line });
            break;
          }
          envFiles.push({ path: spec.text, file: f.path, line: e.line });
          break;
        }
        case 'UnsetEnvironment': {
          if (e.value === '') {
            unsetEnv = [];
            break;
          }
          let pos = 0;
          for (;;) {
            const r = extractFirstWord(e.value, pos, { cunescape: true });
            if ('error' in r || r.word === null) break;
            pos = r.next;
            unsetEnv.push(r.word);
          }
          break;
        }
        case 'Type':
          serviceType = e.value === '' ? 'simple' : e.value;
          break;
      }
    }
  }

  // 4. EnvironmentFile=: globbed, read in order, later files win; "-" means a missing or
  //    unreadable file is skipped, otherwise systemd fails to start the unit.
  const fromFiles = new Map<string, EnvValue>();
  for (const ef of envFiles) {
    const ignore = ef.path.startsWith('-');
    const pattern = ignore ? ef.path.slice(1) : ef.path;
    const { paths, truncated } = globNodePaths(fs, pattern);
    if (truncated) {
      diagnostics.push({ code: 'env-file-invalid', severity: 'medium', message: `EnvironmentFile=${pattern} matches more than ${MAX_GLOB_MATCHES} files: only the first ${MAX_GLOB_MATCHES} are read, the environment may be incomplete`, file: ef.file, line: ef.line });
    }
    if (paths.length === 0) {
      if (!ignore) {
        diagnostics.push({ code: 'env-file-missing', severity: 'high', message: `EnvironmentFile=${pattern} does not exist (no '-' prefix): systemd would fail to start the unit`, file: ef.file, line: ef.line, fatal: true });
      } else {
        diagnostics.push({ code: 'env-file-missing', severity: 'info', message: `optional EnvironmentFile=-${pattern} does not exist`, file: ef.file, line: ef.line });
      }
      continue;
    }
    for (const p of paths) {
      const r = fs.read(p, MAX_BYTES);
      if (!r.ok) {
        if (r.code !== 'ENOENT') (out.incomplete ??= []).push(`cannot read EnvironmentFile ${p}: ${r.error}`);
        const ours = r.code === 'EFBIG';
        diagnostics.push({
          code: r.code === 'ENOENT' ? 'env-file-missing' : 'env-file-invalid',
          severity: ignore ? 'low' : ours ? 'medium' : 'high',
          message: `cannot read EnvironmentFile ${p}: ${r.error}${ours ? ' (not read: its variables are unknown)' : ignore ? " (skipped: '-' prefix)" : '; systemd would fail to start the unit'}`,
          file: p,
          ...(ignore || ours ? {} : { fatal: true }),
        });
        continue;
      }
      const parsed = parseEnvironmentFile(r.bytes, p);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.error !== undefined) {
        diagnostics.push({
          code: 'env-file-invalid',
          severity: ignore ? 'low' : 'high',
          message: ignore ? `EnvironmentFile ${p} is rejected by systemd and skipped ('-' prefix)` : `EnvironmentFile ${p} is rejected by systemd: the unit would fail to start`,
          file: p,
          ...(ignore ? {} : { fatal: true }),
        });
        continue;
      }
      for (const v of parsed.vars) fromFiles.set(v.name, { value: v.value, file: p, line: v.line });
    }
  }

  // 5. The environment: Environment= first, EnvironmentFile= over it (execute.c merges files_env
  //    last), then UnsetEnvironment= (a name, or an exact NAME=VALUE).
  const finalEnv = new Map<string, EnvValue>(environment);
  for (const [k, v] of fromFiles) finalEnv.set(k, v);
  for (const u of unsetEnv) {
    const eq = u.indexOf('=');
    if (eq < 0) finalEnv.delete(u);
    else {
      const cur = finalEnv.get(u.slice(0, eq));
      if (cur && cur.value === u.slice(eq + 1)) finalEnv.delete(u.slice(0, eq));
    }
  }
  const values = new Map<string, string>();
  const sources = new Map<string, { file: string; line: number }>();
  for (const [k, v] of finalEnv) {
    values.set(k, v.value);
    sources.set(k, { file: v.file, line: v.line });
  }
  out.env = recordFrom(values);
  out.envSources = recordFrom(sources);

  // 6. ExecStart=.
  if (execStart.length === 0) {
    diagnostics.push({ code: 'exec-start-missing', severity: 'high', message: `${unitName} has no ExecStart=: systemd refuses to load it`, file: unitFile, fatal: true });
    out.missing = `${unitName} has no ExecStart=`;
    return;
  }
  const chosen = execStart[execStart.length - 1];
  if (!chosen) return;
  if (execStart.length > 1) {
    const oneshot = serviceType === 'oneshot';
    diagnostics.push({
      code: 'exec-start-multiple',
      severity: oneshot ? 'info' : 'high',
      message: oneshot
        ? `${execStart.length} ExecStart= commands (Type=oneshot runs them in order); the last one is reported`
        : `${execStart.length} ExecStart= commands remain (${execStart.map((x) => `${x.file}:${x.line}`).join(', ')}): only Type=oneshot allows more than one, systemd refuses to load the unit; the last one is reported`,
      file: chosen.file,
      line: chosen.line,
      ...(oneshot ? {} : { fatal: true }),
    });
  }
  const { cmd } = chosen;
  out.execPath = cmd.path;
  const expanded = expandCommand(cmd, values);
  for (const name of expanded.unset) {
    diagnostics.push({ code: 'env-var-unset', severity: 'info', message: `$${name} is not set by Environment= or EnvironmentFile=: it expands to nothing`, file: chosen.file, line: chosen.line });
  }
  for (const name of expanded.bad) {
    diagnostics.push({ code: 'env-var-invalid', severity: 'low', message: `'${preview(name, 60)}' is not a valid variable name: systemd expands it to nothing`, file: chosen.file, line: chosen.line });
  }
  const via = (name: string, form: '$' | '${}'): string => {
    const src = sources.get(name);
    return `${form === '$' ? `$${name}` : `\${${name}}`} from ${src?.file ?? 'the environment'}`;
  };
  out.argv = expanded.words.map((w): Arg => {
    if (w.whole) {
      const src = sources.get(w.whole.name);
      return { text: w.text, ...(src ? { file: src.file, line: src.line } : {}), via: via(w.whole.name, w.whole.form) };
    }
    const arg: Arg = { text: w.text, file: chosen.file, line: lineAt(chosen.segments, w.at, chosen.line) };
    if (w.vars.length > 0) arg.via = [...new Set(w.vars)].map((v) => via(v, '${}')).join(', ');
    return arg;
  });
  if (out.argv.length === 0) {
    diagnostics.push({ code: 'exec-start-invalid', severity: 'high', message: 'ExecStart= expands to an empty command line', file: chosen.file, line: chosen.line, fatal: true });
  }
}

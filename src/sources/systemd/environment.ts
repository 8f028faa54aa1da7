// The environment settings' syntax: EnvironmentFile= files and Environment= values. Follows
// systemd/systemd (main branch as of 2025):
//   src/basic/env-file.c   parse_env_file_internal: the EnvironmentFile= syntax
//   src/core/load-fragment.c  config_parse_environ
// Nothing here throws.
import { Buffer } from 'node:buffer';
import type { Diagnostic } from '../../facts/types.ts';
import { decodeUtf8, envNameIsValid, internalError, isWellFormed, isWs, preview, toBinary, utf8Lossy } from './bytes.ts';
import { extractFirstWord, type Problem } from './extract-word.ts';
import { resolveSpecifiers } from './specifiers.ts';
import { quoteSecret } from '../../facts/redact.ts';

export interface EnvFileVar {
  name: string;
  value: string;
  line: number;
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
              message: `line without '=' ignored: ${quoteSecret(preview(decodeUtf8(key) ?? utf8Lossy.decode(Buffer.from(key, 'latin1')), 60))}`,
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
          message: `line without '=' ignored: ${quoteSecret(preview(decodeUtf8(key) ?? utf8Lossy.decode(Buffer.from(key, 'latin1')), 60))}`,
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
// Environment= (load-fragment.c config_parse_environ).

interface Assignment {
  name: string;
  value: string;
  at: number;
}

export function parseEnvironmentValue(value: string): { assignments: Assignment[]; problems: Problem[] } {
  const assignments: Assignment[] = [];
  const problems: Problem[] = [];
  const v = value.includes('\0') ? value.slice(0, value.indexOf('\0')) : value;
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(v, pos, { cunescape: true });
    if ('error' in r) {
      // no retry here: words before stay applied, the rest of the line is dropped.
      problems.push({ severity: 'low', code: 'env-invalid', message: `invalid syntax (unbalanced quotes or a bad escape), rest of the line ignored: ${quoteSecret(preview(v.slice(pos)))}` });
      break;
    }
    if (r.word === null) break;
    pos = r.next;
    const spec = resolveSpecifiers(r.word);
    if (spec.unknown.length > 0) {
      problems.push({ severity: 'low', code: 'env-invalid', message: `unknown specifier ${spec.unknown.join(', ')}: systemd ignores the assignment ${quoteSecret(preview(r.word))}` });
      continue;
    }
    if (spec.unresolved.length > 0) {
      problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec.unresolved.join(', ')} left unresolved in ${quoteSecret(preview(r.word))}` });
    }
    const word = spec.text;
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : '';
    if (eq < 0 || !envNameIsValid(name) || r.badBytes || !isWellFormed(word)) {
      problems.push({ severity: 'low', code: 'env-invalid', message: `invalid environment assignment, ignored: ${quoteSecret(preview(word))}` });
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

// ExecStart=: the command line's prefixes and words, then its variable expansion. Follows
// systemd/systemd (main branch as of 2025):
//   src/core/load-fragment.c  config_parse_exec
//   src/basic/env-util.c   replace_env_argv / replace_env_full: $VAR and ${VAR}
import { byteLength, envNameIsValid, isWs, preview, stringIsSafe } from './bytes.ts';
import { extractAndWarn, extractFirstWord, type ExtractFlags, type Problem } from './extract-word.ts';
import { resolveSpecifiers } from './specifiers.ts';
import { quoteCommandLine } from '../../facts/redact.ts';

// ---------------------------------------------------------------------------------------------
// ExecStart= (load-fragment.c config_parse_exec) and its expansion (env-util.c replace_env_argv).

interface ExecWord {
  text: string;
  at: number; // offset in the value where the word starts
}

export interface ExecCommand {
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
export function parseExecValue(value: string): { commands: ExecCommand[]; problems: Problem[]; rejected?: string } {
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
      problems.push({ severity: 'medium', code: 'exec-start-invalid', message: `unbalanced quoting, ExecStart= line ignored: ${quoteCommandLine(preview(v))}` });
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
      problems.push({ severity: 'medium', code: 'exec-start-invalid', message: `the '|' prefix (systemd 258+: the command line runs through /bin/sh) is not modelled: '${quoteCommandLine(preview(v))}'` });
      return { commands, problems, rejected: "the '|' prefix is not modelled" };
    }
    const spec0 = resolveSpecifiers(first.word.slice(k));
    if (spec0.unknown.length > 0) return reject(ignoreFailure, `unknown specifier ${spec0.unknown.join(', ')} in '${preview(first.word)}'`);
    if (spec0.unresolved.length > 0) problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec0.unresolved.join(', ')} left unresolved in ${preview(first.word)}` });
    const path = spec0.text;
    if (path === '') return reject(ignoreFailure, `empty path in command line: '${quoteCommandLine(preview(v))}'`);
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
      if ('error' in r) return reject(ignoreFailure, `unbalanced quoting in '${quoteCommandLine(preview(v))}'`);
      if (r.word === null) break;
      p = r.next;
      const spec = resolveSpecifiers(r.word);
      if (spec.unknown.length > 0) return reject(ignoreFailure, `unknown specifier ${spec.unknown.join(', ')} in '${preview(r.word)}'`);
      if (spec.unresolved.length > 0) problems.push({ severity: 'info', code: 'unit-specifier', message: `specifier ${spec.unresolved.join(', ')} left unresolved in ${preview(r.word)}` });
      if (r.badBytes) problems.push({ severity: 'low', code: 'exec-start-invalid', message: `escape sequences in '${preview(spec.text)}' produce bytes that are not UTF-8; shown with replacement characters` });
      argv.push({ text: spec.text, at: r.start });
    }
    if (argv.length === 0) return reject(ignoreFailure, `empty executable name or zeroeth argument: '${quoteCommandLine(preview(v))}'`);
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

/**
 * The audit expands a command line to at most this many characters in all. Far past what execve
 * takes (one argument at most MAX_ARG_STRLEN = 32 pages, include/uapi/linux/binfmts.h; all of them
 * at most a quarter of the stack limit): `${A}${A}…` of a large A would otherwise build gigabytes.
 */
export const MAX_EXPANDED_CHARS = 4 * 1024 * 1024;

/** replace_env_full() with flags 0: only `${NAME}` and `$$`; `${NAME:-x}` is left as it is. Stops past `room` characters (text undefined). */
function replaceEnv(word: string, env: Map<string, string> | Record<string, string>, unset: string[], bad: string[], room: number): { text?: string; vars: string[] } {
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
          if (out.length + val.length > room) return { vars };
          out += val;
          vars.push(name);
        }
      } else bad.push(name);
      from = i + 1;
      state = 'WORD';
    } else if (c === ':') state = 'WORD'; // unsupported syntax: no replacement
  }
  out += word.slice(from);
  return out.length > room ? { vars } : { text: out, vars };
}

/**
 * replace_env_argv(): `$NAME` alone is split at whitespace (quotes honoured); `${NAME}` inside a word
 * is replaced as-is. Past `maxChars` characters in all it stops: `tooLong`, and the words so far.
 */
export function expandCommand(
  cmd: ExecCommand,
  env: Map<string, string> | Record<string, string>,
  maxChars = MAX_EXPANDED_CHARS,
): { words: ExpandedWord[]; unset: string[]; bad: string[]; tooLong?: true } {
  const words: ExpandedWord[] = [];
  const unset: string[] = [];
  const bad: string[] = [];
  let used = 0;
  const done = (tooLong?: true) => ({ words, unset: [...new Set(unset)], bad: [...new Set(bad)], ...(tooLong ? { tooLong } : {}) });
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
        used += r.word.length;
        if (used > maxChars) return done(true);
        words.push({ text: r.word, at: w.at, vars: [name], whole: { name, form: '$' } });
      }
      continue;
    }
    const r = replaceEnv(t, env, unset, bad, maxChars - used);
    if (r.text === undefined) return done(true);
    used += r.text.length;
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(t);
    const ew: ExpandedWord = { text: r.text, at: w.at, vars: r.vars };
    if (m && m[1] !== undefined && r.vars.length === 1) ew.whole = { name: m[1], form: '${}' };
    words.push(ew);
  }
  return done();
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

// Rebuilds the kubelet's command line the way systemd (PID 1) builds it from kubelet.service: the unit
// search path with shadowing and masking, drop-ins, Environment=, EnvironmentFile=, ExecStart= and its
// variable expansion. The syntax and file access live in ./systemd/ (unit-file, environment,
// extract-word, specifiers, exec-start, node-files, bytes); this module applies them in the order
// systemd does. Each rule names the systemd source it follows (systemd/systemd, main branch as of 2025):
//   src/core/unit-file.c   unit_file_build_name_map: the first search-path folder with the name wins
//   src/shared/dropin.c    unit_file_find_dropin_paths: <dir>/<unit>.d then <dir>/service.d
//   src/core/load-fragment.c  config_parse_exec / config_parse_environ / config_parse_unit_env_file
//   src/core/execute.c     exec_context_load_environment: "-", globbing, later files win
// Every file is read through RootFs (confined to the node root, at most 1 MiB); nothing here throws.
import { Buffer } from 'node:buffer';
import type { Arg, Diagnostic } from '../facts/types.ts';
import { compareBytes, type RootFs } from './root-fs.ts';
import { internalError, preview } from './systemd/bytes.ts';
import { parseEnvironmentFile, parseEnvironmentValue } from './systemd/environment.ts';
import { expandCommand, MAX_EXPANDED_CHARS, parseExecValue, type ExecCommand } from './systemd/exec-start.ts';
import { extractFirstWord, type Problem } from './systemd/extract-word.ts';
import { globNodePaths, loadConfigFile, MAX_BYTES, SYSTEM_UNIT_PATH, UNIT_LIMITS, uniqueDirs, type UnitLimits } from './systemd/node-files.ts';
import { resolveSpecifiers } from './systemd/specifiers.ts';
import { lineAt, parseUnitFile, type Segment } from './systemd/unit-file.ts';

export { envNameIsValid } from './systemd/bytes.ts';
export { parseEnvironmentFile, splitEnvironmentAssignments, type EnvFileVar } from './systemd/environment.ts';
export { expandExecStart } from './systemd/exec-start.ts';
export { SYSTEM_UNIT_PATH, UNIT_LIMITS, type UnitLimits } from './systemd/node-files.ts';
export { parseUnitFile, type Segment, type UnitEntry } from './systemd/unit-file.ts';

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

// ---------------------------------------------------------------------------------------------
// The reconstruction.

interface EnvValue {
  value: string;
  file: string;
  line: number;
}

function recordFrom<T>(m: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of m) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** "file:line, …" of the first few (a hostile unit may hold a million ExecStart= lines). */
function places(xs: ReadonlyArray<{ file: string; line: number }>, max = 10): string {
  const shown = xs.slice(0, max).map((x) => `${x.file}:${x.line}`).join(', ');
  return xs.length > max ? `${shown}, … ${xs.length} in all` : shown;
}

/** unit_name_is_valid(): name.type, allowed characters, at most 255 bytes. */
function unitNameIsValid(name: string): boolean {
  return name.length <= 255 && /^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?\.[a-z]+$/.test(name);
}

/**
 * Finds `unitName` (default kubelet.service) on the node the way systemd loads it, applies its
 * drop-ins, loads the environment and expands ExecStart=. Never throws.
 */
export function reconstructUnit(fs: RootFs, unitName = 'kubelet.service', limits: UnitLimits = UNIT_LIMITS): UnitReconstruction {
  const diagnostics: Diagnostic[] = [];
  const out: UnitReconstruction = { argv: [], env: {}, envSources: {}, diagnostics };
  try {
    reconstruct(fs, unitName, out, limits);
    for (const d of diagnostics) if (d.code === 'unit-unreadable') (out.incomplete ??= []).push(d.message);
  } catch (e) {
    diagnostics.push(internalError(e));
    out.missing ??= `internal error: ${String(e)}`;
  }
  return out;
}

function reconstruct(fs: RootFs, unitName: string, out: UnitReconstruction, limits: UnitLimits): void {
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
  // Every *.conf name is read (systemd has no limit): the folders are streamed, keeping only those.
  const byName = new Map<string, string>();
  const notRead = (why: string): void => {
    (out.incomplete ??= []).push(why);
    diagnostics.push({ code: 'unit-incomplete', severity: 'medium', message: `${why}: the command line systemd builds may differ from the one shown`, file: unitFile });
  };
  const isDropIn = (name: string, type: string | undefined) => !name.startsWith('.') && name.endsWith('.conf') && (type === 'file' || type === 'symlink');
  for (const dd of dropDirs) {
    const l = fs.entries(dd, isDropIn, limits.dropIns - byName.size);
    if (!l.ok) {
      diagnostics.push({ code: 'unit-unreadable', severity: 'medium', message: `cannot list ${dd}: ${l.error}`, file: dd });
      continue;
    }
    for (const { name } of l.entries) {
      const p = `${dd}/${name}`;
      const prior = byName.get(name);
      if (prior !== undefined) {
        diagnostics.push({ code: 'dropin-shadowed', severity: 'info', message: `drop-in ${p} is overridden by ${prior}`, file: p });
        continue;
      }
      byName.set(name, p);
    }
    if (l.truncated) {
      notRead(`${unitName} has more than ${limits.dropIns} drop-ins (${dd} and the folders after it were not read in full)`);
      break;
    }
  }
  let budget = limits.totalBytes - unit.bytes.length;
  const files: Array<{ path: string; bytes: Buffer }> = [{ path: unitFile, bytes: unit.bytes }];
  for (const name of [...byName.keys()].sort(compareBytes)) {
    const p = byName.get(name) ?? '';
    const f = loadConfigFile(fs, p);
    if (f.kind === 'file') {
      budget -= f.bytes.length;
      if (budget < 0) {
        notRead(`the drop-ins of ${unitName} hold more than ${limits.totalBytes} bytes: ${p} and the ones after it were not read`);
        break;
      }
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
          const spec = resolveSpecifiers(e.value, unitName);
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
  envFiles: for (const ef of envFiles) {
    const ignore = ef.path.startsWith('-');
    const pattern = ignore ? ef.path.slice(1) : ef.path;
    const { paths, truncated } = globNodePaths(fs, pattern, limits);
    if (truncated) {
      // The files systemd reads last win: without all of them no variable is known.
      const why = `EnvironmentFile=${pattern} ${truncated}, which the audit does not read`;
      (out.incomplete ??= []).push(why);
      diagnostics.push({ code: 'env-file-invalid', severity: 'medium', message: `${why}: the environment, and so the command line, cannot be known`, file: ef.file, line: ef.line });
      continue;
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
      const r = fs.read(p, Math.min(MAX_BYTES, Math.max(budget, 0)));
      if (!r.ok && r.code === 'EFBIG' && budget < MAX_BYTES) {
        const why = `the unit's files and environment files hold more than ${limits.totalBytes} bytes: EnvironmentFile ${p} and the ones after it were not read`;
        (out.incomplete ??= []).push(why);
        diagnostics.push({ code: 'env-file-invalid', severity: 'medium', message: `${why}; the environment, and so the command line, cannot be known`, file: ef.file, line: ef.line });
        break envFiles;
      }
      if (r.ok) budget -= r.bytes.length;
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
        : `${execStart.length} ExecStart= commands remain (${places(execStart)}): only Type=oneshot allows more than one, systemd refuses to load the unit; the last one is reported`,
      file: chosen.file,
      line: chosen.line,
      ...(oneshot ? {} : { fatal: true }),
    });
  }
  const { cmd } = chosen;
  out.execPath = cmd.path;
  const expanded = expandCommand(cmd, values);
  if (expanded.tooLong) {
    // execve would refuse such a command line (E2BIG); the audit does not build it to find out.
    const why = `ExecStart= expands to more than ${MAX_EXPANDED_CHARS} characters, which the audit does not build (execve fails with E2BIG on an argument longer than MAX_ARG_STRLEN, 128 KiB with 4 KiB pages, or on arguments beyond a quarter of the stack limit)`;
    (out.incomplete ??= []).push(why);
    diagnostics.push({ code: 'exec-start-invalid', severity: 'high', message: why, file: chosen.file, line: chosen.line });
  }
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

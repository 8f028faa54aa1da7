// Node file access for the reconstruction: the unit search path, unit folders, masks (a symlink
// to /dev/null, an empty file), symlinks and EnvironmentFile= globbing. Follows systemd/systemd
// (main branch as of 2025):
//   src/basic/path-lookup.c   the system-scope unit search path
//   src/core/unit-file.c   the search path's folders, each place once
//   src/core/execute.c     exec_context_load_environment: globbing (safe_glob)
// Every file is read through RootFs (confined to the node root, at most 1 MiB); nothing here throws.
import type { Buffer } from 'node:buffer';
import type { Diagnostic } from '../../facts/types.ts';
import { compareBytes, type RootFs } from '../root-fs.ts';

export const MAX_BYTES = 1024 * 1024;
// systemd reads every drop-in and every file a glob matches; so does the audit, up to bounds on
// what it holds, far above any real node. Past one, the reconstruction is `incomplete` and every
// kubelet setting unknown (systemd-unit.ts), never a pass on what was left unread.
export interface UnitLimits {
  /** EnvironmentFile= glob matches (per pattern) */
  globMatches: number;
  /** folder entries an EnvironmentFile= glob may list (per pattern) */
  globNames: number;
  /** *.conf drop-ins of one unit, over all its drop-in folders */
  dropIns: number;
  /** bytes of the unit, its drop-ins and its environment files together (a unit and its files are kilobytes; parsing 16 MiB takes seconds) */
  totalBytes: number;
}
export const UNIT_LIMITS: Readonly<UnitLimits> = { globMatches: 100_000, globNames: 1_000_000, dropIns: 100_000, totalBytes: 16 * 1024 * 1024 };

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
export function uniqueDirs(fs: RootFs, dirs: readonly string[], diagnostics: Diagnostic[]): string[] {
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
export function loadConfigFile(fs: RootFs, nodePath: string): FileState {
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

/**
 * safe_glob() as exec_context_load_environment() uses it: sorted matches, ENOENT when none. Every
 * folder is streamed and only matching names are kept. Past `limits.globMatches` matches, or
 * `limits.globNames` names listed in all (a star followed by `/..` lists the same folder again for
 * every match: glob(3) would too, without end), it stops and says why in `truncated`.
 */
export function globNodePaths(fs: RootFs, pattern: string, limits: Pick<UnitLimits, 'globMatches' | 'globNames'> = UNIT_LIMITS): { paths: string[]; truncated?: string } {
  if (!GLOB_CHARS.test(pattern)) return { paths: fs.stat(pattern, { follow: false }).exists === true ? [pattern] : [] };
  let current = ['/'];
  let listed = 0;
  const comps = pattern.split('/').filter((c) => c.length > 0);
  for (const comp of comps) {
    const next: string[] = [];
    if (GLOB_CHARS.test(comp)) {
      const re = globToRegExp(comp);
      const keep = (name: string) => {
        listed++;
        return !(name.startsWith('.') && !comp.startsWith('.')) && re.test(name); // a leading dot must be explicit
      };
      for (const dir of current) {
        const l = fs.entries(dir, keep, limits.globMatches - next.length);
        if (l.ok) for (const e of l.entries) next.push(dir === '/' ? `/${e.name}` : `${dir}/${e.name}`);
        if (l.ok && l.truncated) return { paths: [], truncated: `matches more than ${limits.globMatches} files` };
        if (listed > limits.globNames) return { paths: [], truncated: `needs more than ${limits.globNames} folder entries listed` };
      }
    } else {
      const lit = comp.replace(/\\(.)/g, '$1');
      for (const dir of current) next.push(dir === '/' ? `/${lit}` : `${dir}/${lit}`);
    }
    current = next;
    if (current.length === 0) return { paths: [] };
  }
  return { paths: current.filter((p) => fs.stat(p, { follow: false }).exists === true).sort(compareBytes) };
}

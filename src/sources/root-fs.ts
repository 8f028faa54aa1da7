// Read-only access to a node's filesystem, live (root "/") or offline (--root DIR).
//
// Every path is a *node path* (as the kubelet sees it). Symlinks, absolute or relative, are
// resolved component by component the way the kernel would inside a chroot at `root`: an absolute
// target restarts at `root`, `..` never climbs above it, and more than 40 hops is ELOOP. So no
// path can ever name a file outside `root`. Sources never throw for I/O: they return the error as
// data (`unreadable: EACCES`), which checks turn into `unknown` verdicts.
import fs from 'node:fs';
import path from 'node:path';

const MAX_SYMLINK_HOPS = 40; // Linux's MAXSYMLINKS
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export type FileType = 'file' | 'dir' | 'symlink' | 'socket' | 'fifo' | 'block' | 'char' | 'other';

/** What stat() says of a node path, or why it could not say. */
export interface StatResult {
  path: string;
  exists: boolean | null; // null: could not tell (error says why)
  error?: string;
  type?: FileType;
  mode?: number; // permission bits only (0o7777)
  uid?: number;
  gid?: number;
  size?: number;
}

export type ReadResult =
  | { ok: true; path: string; bytes: Buffer }
  | { ok: false; path: string; code: string; error: string };

type Resolved = { ok: true; host: string } | { ok: false; code: string; error: string };

function typeOf(st: fs.Stats): FileType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isSocket()) return 'socket';
  if (st.isFIFO()) return 'fifo';
  if (st.isBlockDevice()) return 'block';
  if (st.isCharacterDevice()) return 'char';
  return 'other';
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

function describe(code: string): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'too many levels of symbolic links',
    ENOTDIR: 'a path component is not a directory',
    EISDIR: 'is a directory',
    EFBIG: 'file too large to read',
    ENOTFILE: 'not a regular file',
  };
  return `${code}: ${words[code] ?? 'I/O error'}`;
}

export class RootFs {
  /** Absolute host path of the node's "/" ("/" in live mode). */
  readonly root: string;

  /** node paths this reader was refused (EACCES, EPERM): evidence that exists but was not read (/proc/<pid>/ aside). */
  readonly denied = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private note(code: string, nodePath: string): string {
    // Other processes' /proc entries are refused by design (ptrace checks), not node files whose
    // evidence is missing: the sources that read them (proc.ts, listeners.ts) say so themselves.
    const p = normalize(nodePath);
    if ((code === 'EACCES' || code === 'EPERM') && !/^\/proc\/(\d+|self)\//.test(p)) this.denied.add(p);
    return describe(code);
  }

  get live(): boolean {
    return this.root === '/';
  }

  /** Host path of a node path, every symlink followed inside root. */
  private resolve(nodePath: string, followLast = true): Resolved {
    const pending = splitPath(nodePath);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '.' || part === '') continue;
      if (part === '..') {
        done.pop(); // never above root
        continue;
      }
      const host = this.hostOf([...done, part]);
      if (!followLast && pending.length === 0) {
        done.push(part);
        break;
      }
      let st: fs.Stats;
      try {
        st = fs.lstatSync(host);
      } catch (e) {
        const code = errCode(e);
        return { ok: false, code, error: this.note(code, nodePath) };
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) return { ok: false, code: 'ELOOP', error: describe('ELOOP') };
        let target: string;
        try {
          target = fs.readlinkSync(host);
        } catch (e) {
          const code = errCode(e);
          return { ok: false, code, error: this.note(code, nodePath) };
        }
        if (target.startsWith('/')) done.length = 0;
        pending.unshift(...splitPath(target));
        continue;
      }
      if (pending.length > 0 && !st.isDirectory()) {
        return { ok: false, code: 'ENOTDIR', error: describe('ENOTDIR') };
      }
      done.push(part);
    }
    return { ok: true, host: this.hostOf(done) };
  }

  private hostOf(parts: string[]): string {
    return parts.length === 0 ? this.root : path.join(this.root, ...parts);
  }

  /** stat (following symlinks) or lstat of a node path; errors are data. */
  stat(nodePath: string, opts: { follow?: boolean } = {}): StatResult {
    const p = normalize(nodePath); // for display; resolution walks the path as written (a/link/.. is not a)
    const r = this.resolve(nodePath, opts.follow ?? true);
    if (!r.ok) {
      if (r.code === 'ENOENT' || r.code === 'ENOTDIR') return { path: p, exists: false };
      return { path: p, exists: null, error: r.error };
    }
    try {
      const st = opts.follow === false ? fs.lstatSync(r.host) : fs.statSync(r.host);
      return {
        path: p,
        exists: true,
        type: typeOf(st),
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: st.size,
      };
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT') return { path: p, exists: false };
      return { path: p, exists: null, error: this.note(code, nodePath) };
    }
  }

  /** Reads a regular file, at most maxBytes (a larger file is EFBIG, never half-read). */
  read(nodePath: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
    const p = normalize(nodePath);
    const r = this.resolve(nodePath);
    if (!r.ok) return { ok: false, path: p, code: r.code, error: r.error };
    let fd: number | undefined;
    try {
      // O_NONBLOCK: a FIFO planted in a node tree must not hang the audit.
      fd = fs.openSync(r.host, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) return { ok: false, path: p, code: 'EISDIR', error: describe('EISDIR') };
      if (!st.isFile()) return { ok: false, path: p, code: 'ENOTFILE', error: `${describe('ENOTFILE')} (${typeOf(st)})` };
      const tooBig = (n: number) => ({ ok: false as const, path: p, code: 'EFBIG', error: `EFBIG: ${n} bytes, more than the ${maxBytes}-byte limit` });
      if (st.size > maxBytes) return tooBig(st.size);
      // /proc files report size 0: read to EOF, never past the limit.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.alloc(Math.min(Math.max(st.size - total, 65536), maxBytes + 1 - total));
        if (chunk.length === 0) return tooBig(total);
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
        total += n;
        if (total > maxBytes) return tooBig(total);
      }
      return { ok: true, path: p, bytes: Buffer.concat(chunks, total) };
    } catch (e) {
      const code = errCode(e);
      return { ok: false, path: p, code, error: this.note(code, nodePath) };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Where a symlink points, as written in it (a node path when absolute). */
  readlink(nodePath: string): { ok: true; target: string } | { ok: false; code: string; error: string } {
    const r = this.resolve(nodePath, false);
    if (!r.ok) return r;
    try {
      return { ok: true, target: fs.readlinkSync(r.host) };
    } catch (e) {
      const code = errCode(e);
      return { ok: false, code, error: this.note(code, nodePath) };
    }
  }

  /** The canonical node path (every symlink followed inside root), or why it has none. */
  realpath(nodePath: string): { ok: true; path: string } | { ok: false; code: string; error: string } {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    const rel = path.relative(this.root, r.host);
    return { ok: true, path: '/' + rel.split(path.sep).filter((x) => x !== '').join('/') };
  }

  /** Names in a folder, sorted bytewise (Go's lexical order); errors are data. */
  list(nodePath: string): { ok: true; names: string[] } | { ok: false; code: string; error: string } {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    try {
      const names = fs.readdirSync(r.host);
      return { ok: true, names: names.sort(compareBytes) };
    } catch (e) {
      const code = errCode(e);
      return { ok: false, code, error: this.note(code, nodePath) };
    }
  }
}

/** Go's sort.Strings / filepath.WalkDir order: bytewise, not locale. */
export function compareBytes(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

function splitPath(p: string): string[] {
  return p.split('/').filter((s) => s.length > 0);
}

/** A clean absolute node path ("/a/b"), `..` folded at the root. */
export function normalize(nodePath: string): string {
  return path.posix.normalize('/' + nodePath);
}

/** Joins a relative node path onto a folder (absolute ones stay as they are). */
export function joinNodePath(dir: string, p: string): string {
  return p.startsWith('/') ? normalize(p) : normalize(path.posix.join(dir, p));
}

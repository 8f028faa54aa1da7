// Read-only access to a node's filesystem, live (root "/") or offline (--root DIR).
//
// Every path is a *node path* (as the kubelet sees it). Symlinks, absolute or relative, are
// resolved component by component the way the kernel would inside a chroot at `root`: an absolute
// target restarts at `root`, `..` never climbs above it, and more than 40 hops is ELOOP. So no
// path can ever name a file outside `root`. Sources never throw for I/O: they return the error as
// data (`unreadable: EACCES`), which checks turn into `unknown` verdicts.
import fs from 'node:fs';
import path from 'node:path';
import { errnoWords } from './errno.ts';

const MAX_SYMLINK_HOPS = 40; // Linux's MAXSYMLINKS
export const PATH_MAX = 4096; // Linux's, with the terminating NUL
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** At most this many characters of remembered folder paths (a cache; see RootFs.dirs). */
const MEMO_CHARS = 8 * 1024 * 1024;

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

type Resolved = { ok: true; host: string; node: string } | { ok: false; code: string; error: string };

/** The type a stat or a folder entry says (a Dirent of DT_UNKNOWN says 'other'). */
function typeOf(st: fs.Stats | fs.BigIntStats | fs.Dirent): FileType {
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

/** The error in words: "permission denied", never "EACCES" (the code stays in `code`). */
function describe(code: string): string {
  return errnoWords(code);
}

export class RootFs {
  /** Absolute host path of the node's "/" ("/" in live mode). */
  readonly root: string;

  /** node paths this reader was refused (EACCES, EPERM): evidence that exists but was not read (/proc/<pid>/ aside). */
  readonly denied = new Set<string>();

  /** The root's real host path, to check what an open really reached (undefined: cannot tell). */
  private readonly realRoot: string | undefined;
  /** whether /proc/self/fd can name open files (Linux with /proc mounted) */
  private readonly procFd = fs.existsSync('/proc/self/fd');

  constructor(root: string) {
    this.root = path.resolve(root);
    try {
      this.realRoot = fs.realpathSync.native(this.root);
    } catch {
      this.realRoot = undefined;
    }
  }

  /**
   * Whether an open file descriptor is a file inside the root, by the kernel's own name for it
   * (/proc/self/fd). Resolution checks each component, but a tree changed while it is read (a
   * folder swapped for a symlink after it was resolved or cached) must not lead a read outside.
   */
  private insideRoot(fd: number): boolean {
    if (this.live || this.realRoot === undefined) return true;
    let real: string;
    try {
      real = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return true; // no /proc to ask: resolution's own checks stand
    }
    return real.startsWith(this.realRoot === '/' ? '/' : `${this.realRoot}/`);
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

  /**
   * Canonical node paths ("/a/b", no symlink in them) already seen to be folders, so a walk down a
   * deep tree resolves each path from its parent instead of from the root: resolution stays linear
   * in the path's length (no cube of the depth). Only a cache: cleared when it holds too much.
   */
  private readonly dirs = new Set<string>();
  private dirChars = 0;

  private rememberDir(key: string): void {
    if (this.dirChars + key.length > MEMO_CHARS) {
      this.dirs.clear();
      this.dirChars = 0;
    }
    if (!this.dirs.has(key)) {
      this.dirs.add(key);
      this.dirChars += key.length;
    }
  }

  /** Host path of a node path, every symlink followed inside root. */
  private resolve(nodePath: string, followLast = true): Resolved {
    // The kernel refuses a path of PATH_MAX bytes or more before it walks it; so does this walk,
    // which bounds its work whatever a hostile flag or field names.
    if (Buffer.byteLength(nodePath) >= PATH_MAX) return { ok: false, code: 'ENAMETOOLONG', error: describe('ENAMETOOLONG') };
    const parts = splitPath(nodePath);
    // Components still to walk, last one first (pop, push: no O(n) shift per component).
    let pending: string[] = parts.slice().reverse();
    const done: string[] = [];
    let key = ''; // the canonical node path of `done` ("" is the root)
    // Fast path: a plain path whose parent folder is known resolves from that parent.
    if (parts.length > 0 && !parts.some((x) => x === '.' || x === '..')) {
      const whole = '/' + parts.join('/');
      if (followLast && this.dirs.has(whole)) return { ok: true, host: this.hostOf(whole), node: whole };
      const parentKey = whole.slice(0, whole.length - parts[parts.length - 1]!.length - 1);
      if (parentKey !== '' && this.dirs.has(parentKey)) {
        done.push(...parts.slice(0, -1));
        key = parentKey;
        pending = [parts[parts.length - 1]!];
      }
    }
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '.' || part === '') continue;
      if (part === '..') {
        const last = done.pop(); // never above root
        if (last !== undefined) key = key.slice(0, key.length - last.length - 1);
        continue;
      }
      const next = `${key}/${part}`;
      if (!followLast && pending.length === 0) {
        done.push(part);
        key = next;
        break;
      }
      if (this.dirs.has(next)) {
        done.push(part);
        key = next;
        continue;
      }
      const host = this.hostOf(next);
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
        if (target.startsWith('/')) {
          done.length = 0;
          key = '';
        }
        for (const t of splitPath(target).reverse()) pending.push(t);
        continue;
      }
      if (pending.length > 0 && !st.isDirectory()) {
        return { ok: false, code: 'ENOTDIR', error: describe('ENOTDIR') };
      }
      if (st.isDirectory()) this.rememberDir(next);
      done.push(part);
      key = next;
    }
    return { ok: true, host: this.hostOf(key), node: key === '' ? '/' : key };
  }

  /** Host path of a canonical node path ("" or "/a/b"). */
  private hostOf(key: string): string {
    if (key === '') return this.root;
    return this.root === '/' ? key : this.root + key;
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

  /**
   * Reads a regular file, at most maxBytes (a larger file is refused, code EFBIG, never half-read). Anything
   * else is never opened: opening a device node has effects (a watchdog starts counting, a tty
   * becomes the controlling terminal) and a FIFO may block, so the type is checked with lstat
   * first; the open (O_NOFOLLOW, O_NOCTTY, O_NONBLOCK) must then give the same file (dev, ino),
   * so a swap between the two is refused rather than read.
   */
  read(nodePath: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
    const p = normalize(nodePath);
    const r = this.resolve(nodePath);
    if (!r.ok) return { ok: false, path: p, code: r.code, error: r.error };
    const tooBig = (n: number | bigint) => ({ ok: false as const, path: p, code: 'EFBIG', error: `too large to read: ${n} bytes, more than the ${maxBytes}-byte limit` });
    let fd: number | undefined;
    try {
      // resolve() followed every symlink: a symlink here was put there since, and is not followed.
      const st = fs.lstatSync(r.host, { bigint: true });
      const notFile = notRegular(st, p);
      if (notFile) return notFile;
      if (st.size > BigInt(maxBytes)) return tooBig(st.size);
      fd = fs.openSync(r.host, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
      const fst = fs.fstatSync(fd, { bigint: true });
      if (fst.dev !== st.dev || fst.ino !== st.ino || !this.insideRoot(fd)) return { ok: false, path: p, code: 'ECHANGED', error: describe('ECHANGED') };
      const size = Number(fst.size);
      if (fst.size > BigInt(maxBytes)) return tooBig(fst.size);
      // A regular file is read in one buffer of its size and a byte more (to see it grow), so a
      // small file costs its size, not a 64 KiB chunk; /proc files report size 0: read in
      // chunks to EOF, never past the limit.
      const chunks: Buffer[] = [];
      let total = 0;
      let slack = 0; // bytes allocated but not filled
      for (;;) {
        const chunk = Buffer.alloc(Math.min(total === 0 && size > 0 ? size + 1 : 65536, maxBytes + 1 - total));
        if (chunk.length === 0) return tooBig(total);
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
        slack += chunk.length - n;
        total += n;
        if (total > maxBytes) return tooBig(total);
        if (size > 0 && n < chunk.length && total >= size) break; // a short read at its size: EOF
      }
      return { ok: true, path: p, bytes: chunks.length === 1 && slack <= 1 ? chunks[0]! : Buffer.concat(chunks, total) };
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
    return { ok: true, path: r.node };
  }

  /** Names in a folder, sorted bytewise (Go's lexical order); errors are data. */
  list(nodePath: string): { ok: true; names: string[] } | { ok: false; code: string; error: string } {
    const r = this.entries(nodePath);
    return r.ok ? { ok: true, names: r.entries.map((e) => e.name) } : r;
  }

  /**
   * The entries of a folder that `keep` accepts (all by default), with their own type (symlinks
   * not followed), sorted bytewise. The folder is streamed: a folder of millions of names costs
   * memory only for the entries kept; past `max` kept entries it stops and says `truncated`.
   * Errors are data.
   */
  entries(
    nodePath: string,
    keep: (name: string, type: FileType | undefined) => boolean = () => true,
    max = Infinity,
  ): { ok: true; entries: DirEntry[]; truncated?: true } | { ok: false; code: string; error: string } {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    let dir: fs.Dir | undefined;
    let fd: number | undefined;
    try {
      // Offline, the folder is opened first and checked to be inside the root (as read() does),
      // then listed through that descriptor: a folder swapped for a symlink is not listed.
      if (!this.live && this.realRoot !== undefined && this.procFd) {
        fd = fs.openSync(r.host, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
        if (!this.insideRoot(fd)) return { ok: false, code: 'ECHANGED', error: describe('ECHANGED') };
      }
      dir = fs.opendirSync(fd === undefined ? r.host : `/proc/self/fd/${fd}`);
      const out: DirEntry[] = [];
      for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
        const type = direntType(d, r.host);
        if (!keep(d.name, type)) continue;
        // More than `max` kept: the caller says what was not read (never a silent cut).
        if (out.length >= max) return { ok: true, entries: out.sort((a, b) => compareBytes(a.name, b.name)), truncated: true };
        out.push({ name: d.name, type });
      }
      return { ok: true, entries: out.sort((a, b) => compareBytes(a.name, b.name)) };
    } catch (e) {
      const code = errCode(e);
      return { ok: false, code, error: this.note(code, nodePath) };
    } finally {
      try {
        dir?.closeSync();
      } catch {
        // already closed
      }
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}

export interface DirEntry {
  name: string;
  /** the entry itself (a symlink is 'symlink'); undefined when it vanished before it could be told */
  type?: FileType;
}

/** The type a folder entry reports, or lstat's when the filesystem does not say (DT_UNKNOWN). */
function direntType(d: fs.Dirent, dirHost: string): FileType | undefined {
  const t = typeOf(d);
  if (t !== 'other') return t;
  try {
    return typeOf(fs.lstatSync(path.join(dirHost, d.name)));
  } catch {
    return undefined;
  }
}

/** EISDIR or ENOTFILE for anything that is not a regular file; undefined for a regular file. */
function notRegular(st: fs.BigIntStats, p: string): ReadResult | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return { ok: false, path: p, code: 'EISDIR', error: describe('EISDIR') };
  return { ok: false, path: p, code: 'ENOTFILE', error: `${describe('ENOTFILE')} (${typeOf(st)})` };
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

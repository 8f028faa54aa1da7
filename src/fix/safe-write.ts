// Safe writes for `kubelet-guard fix --write` (issue 12, item 4): every file of a plan is written
// the way careful package managers and editors do, so a crash or `kill -9` at any moment leaves
// each file wholly old or wholly new, and nothing is written when any file of the plan cannot be.
//
// Phase 1 (for ALL files, nothing visible changes): resolve the path inside the root, check it is
// a regular file, copy it to a backup (a temp file renamed to `FILE.kubelet-guard-YYYYMMDDHHMMSS.bak`,
// so a .bak is always whole), write the new content to `.<name>.kubelet-guard-<pid>-<rand>.tmp` in
// the same folder (O_EXCL, 0600 until owner and mode are set), fsync. Any failure removes every
// temp and backup made so far and returns the file and step that failed.
// Phase 2: rename each temp over its original (atomic per file on POSIX), fsync each folder.
//
// Honest limits:
//   - Across files there is no atomicity: rename(2) replaces one name at a time, so a kill during
//     phase 2 can leave file A new and file B old (each whole). The result names what was renamed.
//   - A kill leaves `.kubelet-guard-*.tmp` files behind (never under the target's own name); a later
//     run may remove them, nothing else ever looks at them.
//   - Extended attributes are NOT copied: Node has no xattr API, this project adds no native
//     dependency, and getfattr/setfattr are not on our CI image. The new inode gets its folder's
//     defaults, so an SELinux label (security.selinux), file capabilities (security.capability) and
//     POSIX ACLs (system.posix_acl_access) of the original are lost; the backup loses them too.
//     `restorecon` after writing restores the policy's label.
//   - Node has no openat/renameat: the folder is re-checked (realpath inside the root, same inode)
//     just before each rename, which narrows but cannot close a race with a hostile writer that
//     swaps a folder for a symlink in between.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { RootFs } from '../sources/root-fs.ts';

export interface PlannedWrite {
  /** node path (as the node sees it; under `root` when one is given) */
  path: string;
  content: Buffer | string;
  /** permission bits of the new file; the original's when absent */
  mode?: number;
}

export interface WriteOptions {
  /** the node's "/" on this host ("/" when absent) */
  root?: string;
  /** host folder for backups (the node path is mirrored under it); next to each file when absent */
  backupDir?: string;
  /** the clock, passed in: names the backups */
  now: Date;
  /** called before each step (fault injection in tests); a throw fails that step */
  hook?: (step: string, file: string) => void;
}

export interface Written {
  path: string;
  /** the node path written (symlinks followed) */
  target: string;
  /** host path of the backup */
  backup: string;
}

export type WriteResult =
  | { ok: true; written: Written[] }
  | { ok: false; file: string; step: string; error: string; written: Written[] };

const CHUNK = 1024 * 1024;

interface Prepared {
  path: string;
  target: string;
  host: string;
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
  size: bigint;
  tmp?: string;
  backupTmp?: string;
  backup: string;
  backupFinal?: boolean;
}

class StepError extends Error {
  readonly step: string;
  readonly file: string;
  constructor(file: string, step: string, message: string) {
    super(message);
    this.file = file;
    this.step = step;
  }
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function message(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String((e as Error)?.message ?? e);
}

/** Whether a temp name is one of ours (so a later run may remove it). */
export function isStrayTemp(name: string): boolean {
  return /^\..+\.kubelet-guard-\d+-[0-9a-f]{8}\.tmp$/.test(name);
}

function tempName(dir: string, base: string): string {
  return path.join(dir, `.${base}.kubelet-guard-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function applyWrites(plan: readonly PlannedWrite[], opts: WriteOptions): WriteResult {
  const root = new RootFs(opts.root ?? '/');
  const realRoot = fs.realpathSync(root.root);
  const inRoot = (host: string) => realRoot === '/' || host === realRoot || host.startsWith(realRoot + '/');
  const hook = opts.hook ?? (() => {});
  const ts = stamp(opts.now);
  const prepared: Prepared[] = [];
  // Runs one step: the hook first (it may kill or throw), then the work; any error names the step.
  const step = <T>(file: string, name: string, fn: () => T): T => {
    try {
      hook(name, file);
      return fn();
    } catch (e) {
      if (e instanceof StepError) throw e;
      throw new StepError(file, name, message(e));
    }
  };

  try {
    const seen = new Set<string>();
    for (const w of plan) {
      const target = step(w.path, 'resolve', () => {
        const r = root.realpath(w.path);
        if (!r.ok) throw new Error(r.error);
        return r.path;
      });
      if (seen.has(target)) throw new StepError(w.path, 'resolve', `the plan writes ${target} twice`);
      seen.add(target);
      const host = root.live ? target : root.root + target;
      const dir = path.dirname(host);
      const p: Prepared = { path: w.path, target, host, dev: 0n, ino: 0n, mtimeNs: 0n, size: 0n, backup: '' };
      prepared.push(p);
      // The original: a regular file inside the root, opened without following a symlink put there
      // since resolution and without side effects (a FIFO would block, a device open has effects).
      const src = step(w.path, 'open-original', () => {
        const st = fs.lstatSync(host, { bigint: true });
        if (!st.isFile()) throw new Error(`not a regular file (${st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symlink' : st.isFIFO() ? 'a FIFO' : 'a device, socket or other'})`);
        if (!inRoot(fs.realpathSync(dir))) throw new Error('the folder is outside the root');
        const fd = fs.openSync(host, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
        const fst = fs.fstatSync(fd, { bigint: true });
        if (fst.dev !== st.dev || fst.ino !== st.ino) {
          fs.closeSync(fd);
          throw new Error('the file changed while it was opened');
        }
        return { fd, st: fst };
      });
      p.dev = src.st.dev;
      p.ino = src.st.ino;
      p.mtimeNs = src.st.mtimeNs;
      p.size = src.st.size;
      const uid = Number(src.st.uid);
      const gid = Number(src.st.gid);
      const origMode = Number(src.st.mode) & 0o7777;
      try {
        // Backup: a copy of the original, same owner and mode (it may hold secrets: never wider).
        const bdir = opts.backupDir ? path.join(path.resolve(opts.backupDir), path.dirname(target)) : dir;
        p.backup = path.join(bdir, `${path.basename(target)}.kubelet-guard-${ts}.bak`);
        step(w.path, 'backup-mkdir', () => {
          if (opts.backupDir) fs.mkdirSync(bdir, { recursive: true, mode: 0o700 });
          if (fs.existsSync(p.backup)) throw new Error(`the backup ${p.backup} already exists`); // early word; backup-link is the real guard
        });
        writeFile(tempName(bdir, path.basename(target)), (f) => (p.backupTmp = f), w.path, 'backup', step, (write) => {
          const buf = Buffer.alloc(CHUNK);
          let pos = 0;
          for (;;) {
            const n = fs.readSync(src.fd, buf, 0, CHUNK, pos);
            if (n === 0) break;
            write(buf.subarray(0, n));
            pos += n;
          }
        }, uid, gid, origMode);
      } finally {
        fs.closeSync(src.fd);
      }
      const bytes = typeof w.content === 'string' ? Buffer.from(w.content) : w.content;
      writeFile(tempName(dir, path.basename(target)), (f) => (p.tmp = f), w.path, 'temp', step, (write) => {
        for (let i = 0; i < bytes.length; i += CHUNK) write(bytes.subarray(i, i + CHUNK));
      }, uid, gid, w.mode ?? origMode);
    }
    // Backups become visible under their names only once every temp is whole and synced.
    for (const p of prepared) {
      // link(2), not rename(2): it fails with EEXIST instead of replacing a backup already there
      // (two runs in the same second, or a name planted in the folder).
      step(p.path, 'backup-link', () => fs.linkSync(p.backupTmp!, p.backup));
      p.backupFinal = true;
      step(p.path, 'backup-unlink-temp', () => fs.unlinkSync(p.backupTmp!));
      step(p.path, 'backup-fsync-dir', () => fsyncDir(path.dirname(p.backup)));
    }
    // Last check before anything is replaced: each original is still the file that was copied
    // (an edit made meanwhile would otherwise be lost without a backup).
    for (const p of prepared) {
      step(p.path, 'recheck', () => {
        const st = fs.lstatSync(p.host, { bigint: true });
        if (st.dev !== p.dev || st.ino !== p.ino || st.mtimeNs !== p.mtimeNs || st.size !== p.size) throw new Error('the file changed since it was read');
        if (!inRoot(fs.realpathSync(path.dirname(p.host)))) throw new Error('the folder is now outside the root');
      });
    }
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('?', '?', message(e));
    for (const p of prepared) {
      for (const f of [p.tmp, p.backupTmp, p.backupFinal ? p.backup : undefined]) {
        if (f) fs.rmSync(f, { force: true });
      }
    }
    return { ok: false, file: err.file, step: err.step, error: err.message, written: [] };
  }

  // Phase 2: each rename replaces one file atomically; across files, see the header.
  const written: Written[] = [];
  for (const p of prepared) {
    try {
      step(p.path, 'rename', () => fs.renameSync(p.tmp!, p.host));
      written.push({ path: p.path, target: p.target, backup: p.backup });
      step(p.path, 'fsync-dir', () => fsyncDir(path.dirname(p.host)));
    } catch (e) {
      const err = e as StepError;
      // the temps not renamed yet (this file's too when its rename failed) go; the backups stay
      for (const q of prepared.slice(written.length)) if (q.tmp) fs.rmSync(q.tmp, { force: true });
      return { ok: false, file: err.file, step: err.step, error: `${err.message} (${written.length} of ${prepared.length} files were replaced; the backups stay)`, written };
    }
  }
  return { ok: true, written };
}

/** Writes a new file: O_EXCL at 0600, the bytes, then owner and mode (chown before chmod: chown clears set-id bits), fsync. */
function writeFile(
  file: string,
  created: (file: string) => void,
  label: string,
  kind: string,
  step: <T>(file: string, name: string, fn: () => T) => T,
  fill: (write: (b: Buffer) => void) => void,
  uid: number,
  gid: number,
  mode: number,
): void {
  const fd = step(label, `${kind}-open`, () => fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600));
  created(file); // only now is it ours to remove: a name that was there (EEXIST) is never removed
  try {
    fill((b) =>
      step(label, `${kind}-write`, () => {
        let off = 0;
        while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
      }),
    );
    step(label, `${kind}-chown`, () => {
      // Only root may give a file away: as anyone else, a file owned by another uid cannot keep its
      // owner, and the plan fails rather than change it silently.
      const me = process.getuid?.();
      if (me !== undefined && me !== 0 && me !== uid) throw new Error(`cannot keep the owner uid ${uid} without root`);
      fs.fchownSync(fd, uid, gid);
    });
    step(label, `${kind}-chmod`, () => fs.fchmodSync(fd, mode));
    step(label, `${kind}-fsync`, () => fs.fsyncSync(fd));
  } finally {
    fs.closeSync(fd);
  }
}

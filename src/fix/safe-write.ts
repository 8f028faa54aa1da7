// Safe writes for `kubelet-guard fix --write` (issue 12, item 4): every file of a plan is written
// the way careful package managers and editors do, so a crash or `kill -9` at any moment leaves
// each file wholly old or wholly new, and nothing is changed when any part of the plan cannot be.
// A plan has three kinds of change: an edit (a file's new content, optionally a new mode or owner),
// a create (a file that must not exist yet: a drop-in, a new --config) and an attribute change
// (mode and/or owner of a file or folder whose content stays).
//
// Phase 1 (for ALL of the plan, nothing visible changes):
//   - edit: resolve the path inside the root, check it is a regular file, copy it to a backup (a
//     temp file linked to `FILE.kubelet-guard-YYYYMMDDHHMMSS.bak`, so a .bak is always whole),
//     write the new content to `.<name>.kubelet-guard-<pid>-<rand>.tmp` in the same folder (O_EXCL,
//     0600 until owner and mode are set), fsync.
//   - create: the parent folder resolves inside the root and is a real folder, the name does not
//     exist (a dangling symlink counts as existing); the temp is written as above with the planned
//     mode (required) and owner (the kernel's default for a new file when none is planned: the
//     process's uid, its gid or a setgid folder's). No backup: there is no original.
//   - attributes: resolve inside the root, check it is a regular file or a folder (opened
//     O_NOFOLLOW|O_NONBLOCK|O_NOCTTY, never a device, FIFO or socket), record dev/ino and the current
//     mode/uid/gid, and probe with an fchmod to the current mode (a read-only mount, an immutable
//     file or a missing privilege fails here, not half way through phase 2; it only touches ctime).
//   - last, every original, new name's folder and attribute target is re-checked (same inode, same
//     size/mtime or mode/owner, folder still inside the root).
// Any failure removes every temp and backup made so far and returns the path and step that failed.
// Phase 2: rename each edit's temp over its original (atomic per file on POSIX); link(2) each
// create's temp to its name (EEXIST, never a replace, when a file appeared since) and unlink the
// temp; fsync each folder; then for each attribute change reopen the object, check it is the inode
// recorded with the mode/owner recorded, fchown (only when the owner changes: before the chmod,
// since chown clears set-id bits), fchmod, fsync. The result lists each path as replaced (with its
// backup), created (undo: remove it) or attributes changed (before and after, for an undo).
//
// Honest limits:
//   - Across files there is no atomicity: rename(2), link(2), fchmod(2) change one object at a
//     time, so a kill during phase 2 can leave file A new and file B old (each whole), a mode
//     changed and an owner not yet. The result names what was done.
//   - A kill leaves `.kubelet-guard-*.tmp` files behind (never under the target's own name; a
//     created file killed between link and unlink has both names, each whole); a later run may
//     remove them, nothing else ever looks at them.
//   - Extended attributes are NOT copied: Node has no xattr API, this project adds no native
//     dependency, and getfattr/setfattr are not on our CI image. The new inode gets its folder's
//     defaults, so an SELinux label (security.selinux), file capabilities (security.capability) and
//     POSIX ACLs (system.posix_acl_access) of the original are lost; the backup loses them too.
//     `restorecon` after writing restores the policy's label. An attribute change keeps the inode,
//     so its xattrs stay (a chmod does rewrite the ACL mask, as chmod(1) does).
//   - Node has no openat/renameat/linkat: the folder is re-checked (realpath inside the root, same
//     inode) just before phase 2, which narrows but cannot close a race with a hostile writer that
//     swaps a folder for a symlink in between. An attribute change is made through a descriptor
//     checked to be the recorded inode, so it never lands on another object.
//   - Ownership rules are checked up front as far as the process can tell (only root gives a file
//     away or changes another user's file; an unprivileged chmod would silently drop a setgid bit,
//     so it is refused); a capability-based privilege without uid 0 is not recognised.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { RootFs } from '../sources/root-fs.ts';

export interface PlannedWrite {
  /** node path (as the node sees it; under `root` when one is given) */
  path: string;
  content: Buffer | string;
  /** permission bits of the new file; the original's when absent (required with `create`) */
  mode?: number;
  /** the file must not exist yet: it is created (never replacing anything), with no backup */
  create?: true;
  /** owner of the new file; the original's when absent (for a create: the kernel's default) */
  uid?: number;
  gid?: number;
}

/** A mode and/or owner change of a file or folder whose content stays. */
export interface PlannedAttr {
  /** node path; symlinks are followed inside the root, the object reached is changed */
  path: string;
  mode?: number;
  uid?: number;
  gid?: number;
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

export interface Attrs {
  /** permission bits (0o7777) */
  mode: number;
  uid: number;
  gid: number;
}

/** An edited file, replaced; its original is in `backup`. */
export interface Written {
  path: string;
  /** the node path written (symlinks followed) */
  target: string;
  /** host path of the backup */
  backup: string;
}

/** A file that did not exist and now does (undo: remove `target`). */
export interface Created {
  path: string;
  /** the node path created (the folder's symlinks followed) */
  target: string;
  /** the new file's mode and owner */
  attrs: Attrs;
}

/** A mode/owner change (undo: set `before` again). */
export interface AttrChanged {
  path: string;
  /** the node path changed (symlinks followed) */
  target: string;
  type: 'file' | 'dir';
  before: Attrs;
  /** as fstat says once changed */
  after: Attrs;
}

export type WriteResult =
  | { ok: true; written: Written[]; created: Created[]; attrs: AttrChanged[] }
  | { ok: false; file: string; step: string; error: string; written: Written[]; created: Created[]; attrs: AttrChanged[] };

const CHUNK = 1024 * 1024;

interface Prepared {
  path: string;
  create: boolean;
  target: string;
  host: string;
  /** edit: the original's; create: its folder's */
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
  size: bigint;
  tmp?: string;
  backupTmp?: string;
  backup: string;
  backupFinal?: boolean;
  attrs?: Attrs;
}

interface PreparedAttr {
  path: string;
  target: string;
  host: string;
  type: 'file' | 'dir';
  dev: bigint;
  ino: bigint;
  before: Attrs;
  mode?: number;
  uid?: number;
  gid?: number;
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

function kindOf(st: fs.BigIntStats): string {
  return st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symlink' : st.isFIFO() ? 'a FIFO' : st.isFile() ? 'a regular file' : 'a device, socket or other';
}

function attrsOf(st: fs.BigIntStats): Attrs {
  return { mode: Number(st.mode) & 0o7777, uid: Number(st.uid), gid: Number(st.gid) };
}

/** Why a planned mode or owner is not one (undefined: it is). */
function badIds(x: { mode?: number; uid?: number; gid?: number }): string | undefined {
  if (x.mode !== undefined && !(Number.isInteger(x.mode) && x.mode >= 0 && x.mode <= 0o7777)) return `mode ${x.mode} is not permission bits (0 to 07777)`;
  for (const [k, v] of [['uid', x.uid], ['gid', x.gid]] as const) {
    // (uid_t)-1 means "no change" to chown(2): never a planned owner
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v < 0xffffffff)) return `${k} ${v} is not an id`;
  }
  return undefined;
}

/** Whether this process may set `gid` as a group without privilege. */
function inGroup(gid: number): boolean {
  return process.getegid?.() === gid || (process.getgroups?.() ?? []).includes(gid);
}

/** The uid when not root (only root may give files away or change others' files), undefined as root. */
const unprivilegedUid = (): number | undefined => {
  const me = process.getuid?.();
  return me !== undefined && me !== 0 ? me : undefined;
};

export function applyWrites(plan: readonly PlannedWrite[], opts: WriteOptions, attrPlan: readonly PlannedAttr[] = []): WriteResult {
  const root = new RootFs(opts.root ?? '/');
  const realRoot = fs.realpathSync(root.root);
  const inRoot = (host: string) => realRoot === '/' || host === realRoot || host.startsWith(realRoot + '/');
  const hostOf = (target: string) => (root.live ? target : target === '/' ? root.root : root.root + target);
  const hook = opts.hook ?? (() => {});
  const ts = stamp(opts.now);
  const prepared: Prepared[] = [];
  const preparedAttrs: PreparedAttr[] = [];
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
  const resolve = (p: string) => {
    const r = root.realpath(p);
    if (!r.ok) throw new Error(r.error);
    return r.path;
  };

  const seen = new Set<string>();
  try {
    for (const w of plan) {
      const bad = badIds(w);
      if (bad) throw new StepError(w.path, 'resolve', bad);
      if (w.create) {
        prepareCreate(w);
        continue;
      }
      const target = step(w.path, 'resolve', () => resolve(w.path));
      if (seen.has(target)) throw new StepError(w.path, 'resolve', `the plan writes ${target} twice`);
      seen.add(target);
      const host = hostOf(target);
      const dir = path.dirname(host);
      const p: Prepared = { path: w.path, create: false, target, host, dev: 0n, ino: 0n, mtimeNs: 0n, size: 0n, backup: '' };
      prepared.push(p);
      // The original: a regular file inside the root, opened without following a symlink put there
      // since resolution and without side effects (a FIFO would block, a device open has effects).
      const src = step(w.path, 'open-original', () => {
        const st = fs.lstatSync(host, { bigint: true });
        if (!st.isFile()) throw new Error(`not a regular file (${kindOf(st)})`);
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
      const orig = attrsOf(src.st);
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
        }, { uid: orig.uid, gid: orig.gid, keep: true }, orig.mode);
      } finally {
        fs.closeSync(src.fd);
      }
      const bytes = typeof w.content === 'string' ? Buffer.from(w.content) : w.content;
      p.attrs = writeFile(tempName(dir, path.basename(target)), (f) => (p.tmp = f), w.path, 'temp', step, (write) => {
        for (let i = 0; i < bytes.length; i += CHUNK) write(bytes.subarray(i, i + CHUNK));
      }, { uid: w.uid ?? orig.uid, gid: w.gid ?? orig.gid, keep: w.uid === undefined }, w.mode ?? orig.mode);
    }

    // Attribute changes: checked and probed now, made after every file is in place.
    for (const a of attrPlan) {
      const bad = badIds(a) ?? (a.mode === undefined && a.uid === undefined && a.gid === undefined ? 'no mode or owner to change' : undefined);
      if (bad) throw new StepError(a.path, 'attr-resolve', bad);
      const target = step(a.path, 'attr-resolve', () => resolve(a.path));
      if (seen.has(target)) {
        const written = prepared.some((p) => p.target === target);
        throw new StepError(a.path, 'attr-resolve', written ? `the plan writes ${target} and changes its attributes: give the write its mode and owner instead` : `the plan changes the attributes of ${target} twice`);
      }
      seen.add(target);
      const host = hostOf(target);
      const pa = step(a.path, 'attr-check', (): PreparedAttr => {
        // resolve() followed every symlink: one here was put there since, and is refused.
        const st = fs.lstatSync(host, { bigint: true });
        if (!st.isFile() && !st.isDirectory()) throw new Error(`not a regular file or folder (${kindOf(st)})`);
        if (!inRoot(fs.realpathSync(host))) throw new Error('it is outside the root');
        const type = st.isDirectory() ? 'dir' : 'file';
        const before = attrsOf(st);
        const me = unprivilegedUid();
        if (me !== undefined) {
          // The kernel's rules (chown(2), chmod(2)), said before anything is changed.
          if (before.uid !== me) throw new Error(`cannot change the mode or owner of a ${type === 'dir' ? 'folder' : 'file'} owned by uid ${before.uid} without root`);
          if (a.uid !== undefined && a.uid !== me) throw new Error(`cannot give it to uid ${a.uid} without root`);
          if (a.gid !== undefined && a.gid !== before.gid && !inGroup(a.gid)) throw new Error(`cannot give it to gid ${a.gid}, a group this user is not in`);
          const gid = a.gid ?? before.gid;
          if (((a.mode ?? before.mode) & 0o2000 || before.mode & 0o2000) && !inGroup(gid)) throw new Error('an unprivileged chmod would silently drop the setgid bit');
        }
        return { path: a.path, target, host, type, dev: st.dev, ino: st.ino, before, mode: a.mode, uid: a.uid, gid: a.gid };
      });
      preparedAttrs.push(pa);
      step(a.path, 'attr-probe', () => {
        const fd = openAttr(pa);
        try {
          fs.fchmodSync(fd, pa.before.mode); // the current mode: no change, but a read-only mount or an immutable file says so now
        } finally {
          fs.closeSync(fd);
        }
      });
    }

    // Backups become visible under their names only once every temp is whole and synced.
    for (const p of prepared) {
      if (p.create) continue;
      // link(2), not rename(2): it fails with EEXIST instead of replacing a backup already there
      // (two runs in the same second, or a name planted in the folder).
      step(p.path, 'backup-link', () => fs.linkSync(p.backupTmp!, p.backup));
      p.backupFinal = true;
      step(p.path, 'backup-unlink-temp', () => fs.unlinkSync(p.backupTmp!));
      step(p.path, 'backup-fsync-dir', () => fsyncDir(path.dirname(p.backup)));
    }
    // Last check before anything is changed: each original is still the file that was copied (an
    // edit made meanwhile would otherwise be lost without a backup), each new name still free in
    // the same folder, each attribute target still the object with the mode and owner recorded.
    for (const p of prepared) {
      step(p.path, 'recheck', () => {
        const dir = path.dirname(p.host);
        if (p.create) {
          const st = fs.lstatSync(dir, { bigint: true });
          if (st.dev !== p.dev || st.ino !== p.ino) throw new Error('the folder changed since it was checked');
          if (lexists(p.host)) throw new Error(`${p.target} exists now`);
        } else {
          const st = fs.lstatSync(p.host, { bigint: true });
          if (st.dev !== p.dev || st.ino !== p.ino || st.mtimeNs !== p.mtimeNs || st.size !== p.size) throw new Error('the file changed since it was read');
        }
        if (!inRoot(fs.realpathSync(dir))) throw new Error('the folder is now outside the root');
      });
    }
    for (const a of preparedAttrs) {
      step(a.path, 'recheck', () => {
        const st = fs.lstatSync(a.host, { bigint: true });
        if (!sameAttrs(a, st)) throw new Error('it changed since it was checked');
        if (!inRoot(fs.realpathSync(a.host))) throw new Error('it is now outside the root');
      });
    }
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('?', '?', message(e));
    for (const p of prepared) {
      for (const f of [p.tmp, p.backupTmp, p.backupFinal ? p.backup : undefined]) {
        if (f) fs.rmSync(f, { force: true });
      }
    }
    return { ok: false, file: err.file, step: err.step, error: err.message, written: [], created: [], attrs: [] };
  }

  // Phase 2: each rename or link changes one name atomically; across files, see the header.
  const written: Written[] = [];
  const created: Created[] = [];
  const attrs: AttrChanged[] = [];
  const fail = (e: unknown): WriteResult => {
    const err = e instanceof StepError ? e : new StepError('?', '?', message(e));
    // the temps not renamed or linked yet (this file's too when its rename failed) go; the backups stay
    for (const p of prepared) if (p.tmp) fs.rmSync(p.tmp, { force: true });
    const edits = prepared.filter((p) => !p.create).length;
    const done = `${written.length} of ${edits} files were replaced, ${created.length} of ${prepared.length - edits} created, ${attrs.length} of ${preparedAttrs.length} modes/owners changed; the backups stay`;
    return { ok: false, file: err.file, step: err.step, error: `${err.message} (${done})`, written, created, attrs };
  };
  try {
    for (const p of prepared) {
      if (p.create) {
        // link(2): fails with EEXIST rather than replace a file that appeared since the recheck
        step(p.path, 'link', () => fs.linkSync(p.tmp!, p.host));
        created.push({ path: p.path, target: p.target, attrs: p.attrs! });
        step(p.path, 'unlink-temp', () => fs.unlinkSync(p.tmp!));
      } else {
        step(p.path, 'rename', () => fs.renameSync(p.tmp!, p.host));
        written.push({ path: p.path, target: p.target, backup: p.backup });
      }
      p.tmp = undefined;
      step(p.path, 'fsync-dir', () => fsyncDir(path.dirname(p.host)));
    }
    for (const a of preparedAttrs) {
      const fd = step(a.path, 'attr-open', () => {
        const fd = openAttr(a);
        if (!sameAttrs(a, fs.fstatSync(fd, { bigint: true }))) {
          fs.closeSync(fd);
          throw new Error('it changed since it was checked');
        }
        return fd;
      });
      try {
        const uid = a.uid ?? a.before.uid;
        const gid = a.gid ?? a.before.gid;
        if (uid !== a.before.uid || gid !== a.before.gid) step(a.path, 'attr-chown', () => fs.fchownSync(fd, uid, gid));
        if (a.mode !== undefined) step(a.path, 'attr-chmod', () => fs.fchmodSync(fd, a.mode!));
        const after = attrsOf(fs.fstatSync(fd, { bigint: true }));
        attrs.push({ path: a.path, target: a.target, type: a.type, before: a.before, after });
        step(a.path, 'attr-fsync', () => fs.fsyncSync(fd));
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    return fail(e);
  }
  return { ok: true, written, created, attrs };

  /** A create: the folder resolved inside the root and a real folder, the name free, the temp written. */
  function prepareCreate(w: PlannedWrite): void {
    // Not normalised: the folder is walked as written, as the kernel would (a/link/.. is not a).
    const base = path.posix.basename(w.path);
    const parentTarget = step(w.path, 'resolve', () => {
      if (w.mode === undefined) throw new Error('a file to create needs a planned mode');
      if (!w.path.startsWith('/') || w.path.endsWith('/') || base === '' || base === '.' || base === '..') throw new Error('not a path to a file');
      return resolve(path.posix.dirname(w.path));
    });
    const target = path.posix.join(parentTarget, base);
    if (seen.has(target)) throw new StepError(w.path, 'resolve', `the plan writes ${target} twice`);
    seen.add(target);
    const host = hostOf(target);
    const dir = path.dirname(host);
    const p: Prepared = { path: w.path, create: true, target, host, dev: 0n, ino: 0n, mtimeNs: 0n, size: 0n, backup: '' };
    prepared.push(p);
    step(w.path, 'check-new', () => {
      const st = fs.lstatSync(dir, { bigint: true });
      if (!st.isDirectory()) throw new Error(`its folder is not a folder (${kindOf(st)})`);
      if (!inRoot(fs.realpathSync(dir))) throw new Error('the folder is outside the root');
      if (lexists(host)) throw new Error(`${target} already exists (${kindOf(fs.lstatSync(host, { bigint: true }))}): a create never replaces`);
      p.dev = st.dev;
      p.ino = st.ino;
    });
    const bytes = typeof w.content === 'string' ? Buffer.from(w.content) : w.content;
    p.attrs = writeFile(tempName(dir, base), (f) => (p.tmp = f), w.path, 'temp', step, (write) => {
      for (let i = 0; i < bytes.length; i += CHUNK) write(bytes.subarray(i, i + CHUNK));
    }, { uid: w.uid, gid: w.gid, keep: false }, w.mode!);
  }
}

/** Whether a name exists, a dangling symlink included (an error other than ENOENT is thrown). */
function lexists(host: string): boolean {
  try {
    fs.lstatSync(host);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Whether a stat is still the object recorded, with the mode and owner recorded. */
function sameAttrs(a: PreparedAttr, st: fs.BigIntStats): boolean {
  const now = attrsOf(st);
  return st.dev === a.dev && st.ino === a.ino && now.mode === a.before.mode && now.uid === a.before.uid && now.gid === a.before.gid;
}

/** Opens an attribute target without following a symlink, blocking or side effects; it must be the inode recorded. */
function openAttr(a: PreparedAttr): number {
  const c = fs.constants;
  const fd = fs.openSync(a.host, c.O_RDONLY | c.O_NOFOLLOW | c.O_NONBLOCK | c.O_NOCTTY | (a.type === 'dir' ? c.O_DIRECTORY : 0));
  const st = fs.fstatSync(fd, { bigint: true });
  if (st.dev !== a.dev || st.ino !== a.ino || (a.type === 'dir') !== st.isDirectory()) {
    fs.closeSync(fd);
    throw new Error('it was replaced since it was checked');
  }
  return fd;
}

/**
 * Writes a new file: O_EXCL at 0600, the bytes, then owner and mode (chown before chmod: chown
 * clears set-id bits), fsync. No owner planned (a create without uid/gid): the kernel's. Returns
 * the mode and owner the file got.
 */
function writeFile(
  file: string,
  created: (file: string) => void,
  label: string,
  kind: string,
  step: <T>(file: string, name: string, fn: () => T) => T,
  fill: (write: (b: Buffer) => void) => void,
  owner: { uid?: number; gid?: number; keep: boolean },
  mode: number,
): Attrs {
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
      if (owner.uid === undefined && owner.gid === undefined) return;
      // Only root may give a file away: as anyone else, a file owned by another uid cannot keep its
      // owner (or get a new one), and the plan fails rather than change it silently.
      const me = unprivilegedUid();
      if (me !== undefined && owner.uid !== undefined && me !== owner.uid) throw new Error(owner.keep ? `cannot keep the owner uid ${owner.uid} without root` : `cannot give the file to uid ${owner.uid} without root`);
      fs.fchownSync(fd, owner.uid ?? -1, owner.gid ?? -1);
    });
    step(label, `${kind}-chmod`, () => fs.fchmodSync(fd, mode));
    step(label, `${kind}-fsync`, () => fs.fsyncSync(fd));
    return attrsOf(fs.fstatSync(fd, { bigint: true }));
  } finally {
    fs.closeSync(fd);
  }
}

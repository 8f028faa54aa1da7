// Report files (-o/--output): each written whole or not at all. Its bytes go to a temporary file
// beside it (same folder, so the rename cannot cross filesystems), which is fsynced and renamed
// over the target only when the report is complete: a reader, a CI upload step or a crash never
// sees half a report, and an existing file is replaced whole. Every byte passes through the same
// output layer as standard output (output.ts: the run's secrets redacted, terminal-unsafe
// characters escaped). The files are opened before the audit starts, so a folder that cannot be
// written fails at once (exit 2), not after a ten-minute cluster audit.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createOutput, type Io, type OutStream } from './output.ts';
import { reasonOf } from '../sources/errno.ts';

/** One report file being written: its temporary file until commit(). */
class PendingFile implements OutStream {
  readonly target: string;
  private readonly tmp: string;
  private fd: number | undefined;
  /** the first write error: the file is then never committed */
  error: string | undefined;

  constructor(target: string) {
    this.target = target;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(target);
    } catch {
      st = undefined;
    }
    if (st && !st.isFile()) throw new Error(`${target}: not a regular file (a report replaces only a file)`);
    const dir = path.dirname(path.resolve(target));
    this.tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      // 'wx': never through an existing file or symlink planted at the temporary name
      this.fd = fs.openSync(this.tmp, 'wx', 0o666);
    } catch (e) {
      throw new Error(`${target}: cannot write in ${dir}: ${reasonOf(e)}`, { cause: e });
    }
    // a file replaced keeps its permissions (a report someone made private stays private)
    if (st) {
      try { fs.fchmodSync(this.fd, st.mode & 0o777); } catch { /* not ours to change: the umask's mode then */ }
    }
  }

  write(chunk: string): boolean {
    if (this.fd === undefined || this.error !== undefined) return true;
    try {
      const buf = Buffer.from(chunk, 'utf8');
      for (let off = 0; off < buf.length; ) off += fs.writeSync(this.fd, buf, off);
    } catch (e) {
      this.error = `${this.target}: ${reasonOf(e)}`;
    }
    return true;
  }

  /** fsync, close, rename over the target, fsync the folder (the rename itself survives a crash). */
  commit(): void {
    if (this.fd === undefined) return;
    if (this.error !== undefined) throw new Error(this.error);
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      try { fs.closeSync(fd); } catch { /* closed already */ }
      this.removeTmp();
      throw new Error(`${this.target}: ${reasonOf(e)}`, { cause: e });
    }
    try {
      const d = fs.openSync(path.dirname(path.resolve(this.target)), 'r');
      try { fs.fsyncSync(d); } finally { fs.closeSync(d); }
    } catch { /* a folder that cannot be fsynced (some filesystems): the file itself was */ }
  }

  /** Drops the temporary file; the target is untouched. */
  abort(): void {
    if (this.fd === undefined) return;
    try { fs.closeSync(this.fd); } catch { /* closed already */ }
    this.fd = undefined;
    this.removeTmp();
  }

  private removeTmp(): void {
    try { fs.unlinkSync(this.tmp); } catch { /* gone already */ }
  }
}

export interface OpenOutput<F extends string = string> {
  format: F;
  /** undefined: standard output */
  file: string | undefined;
  /** where its bytes go: io.out, or the file's temporary file, both through the output layer */
  stream: OutStream;
}

export interface OpenOutputs<F extends string = string> {
  outputs: Array<OpenOutput<F>>;
  /** Every file renamed into place; the first error, if one could not be written (the others are still committed). */
  commit(): string | undefined;
  /** Every file not committed yet removed (on an error, a usage error, an exception). */
  abort(): void;
}

/** Opens every output: standard output as it is, each file as a pending temporary file. Throws (with the file named) if one cannot be created. */
export function openOutputs<F extends string>(targets: ReadonlyArray<{ format: F; file: string | undefined }>, io: Io): OpenOutputs<F> {
  const pending: PendingFile[] = [];
  const outputs: Array<OpenOutput<F>> = [];
  try {
    for (const t of targets) {
      if (t.file === undefined) {
        outputs.push({ ...t, stream: io.out });
        continue;
      }
      const f = new PendingFile(t.file);
      pending.push(f);
      // the same layer as io.out: this run's secrets (io.secrets, shared), the terminal escapes
      outputs.push({ ...t, stream: createOutput({ out: f, err: io.err, ...(io.secrets ? { secrets: io.secrets } : {}) }).out });
    }
  } catch (e) {
    for (const f of pending) f.abort();
    throw e;
  }
  // process.exit skips finally blocks (a reader gone away: exit 141; an uncaught exception: 2):
  // the temporary files go with the process all the same
  const onExit = (): void => {
    for (const f of pending) f.abort();
  };
  if (pending.length > 0) process.once('exit', onExit);
  return {
    outputs,
    commit() {
      process.off('exit', onExit);
      let first: string | undefined;
      for (const f of pending) {
        try {
          f.commit();
        } catch (e) {
          first ??= (e as Error).message;
        }
      }
      return first;
    },
    abort() {
      process.off('exit', onExit);
      for (const f of pending) f.abort();
    },
  };
}

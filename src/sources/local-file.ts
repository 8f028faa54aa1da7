// Files the user names (a scan's token, client certificate and key; the cluster command's
// kubeconfig and the files it names), read without side effects and within bounds: the type is
// checked with stat before the file is opened, so a device (`--token-file /dev/zero`, a tty) is
// never opened, and at most MAX_LOCAL_FILE_BYTES are read, so nothing reads forever. A FIFO
// (`--kubeconfig <(vault read …)`) is opened without blocking and read within a deadline: one that
// nothing writes to ends in a second with a clear message instead of hanging the process.
import fs from 'node:fs';

export const MAX_LOCAL_FILE_BYTES = 4 * 1024 * 1024;
/** how long a FIFO may stay without a writer (nothing written yet) before it is given up */
export const FIFO_NO_WRITER_MS = 1000;
/** how long reading a FIFO may take in all */
export const FIFO_READ_MS = 10_000;

/**
 * The file's stat, once its type and size are what a small input file may be; throws an Error with
 * a clear message (what the path is, what was expected). `fifo: false` for a file another reader
 * (a library, synchronously) will open: a FIFO there could block the process.
 */
export function statLocalFile(path: string, maxBytes = MAX_LOCAL_FILE_BYTES, o: { fifo?: boolean } = {}): fs.Stats {
  const st = fs.statSync(path);
  if (!st.isFile() && !(st.isFIFO() && o.fifo !== false)) {
    const kind = st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : st.isFIFO() ? 'a FIFO' : 'not a regular file';
    throw new Error(`is ${kind}, expected a regular file${kind.endsWith('device') ? ' (devices are never opened)' : ''}`);
  }
  if (st.isFile() && st.size > maxBytes) throw new Error(`is ${st.size} bytes, more than the ${maxBytes} expected of this file`);
  return st;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(pause, 0, 0, ms);

/** The file's text; throws an Error with a clear message (what the path is, what was expected). */
export function readLocalFile(path: string, maxBytes = MAX_LOCAL_FILE_BYTES): string {
  const st = statLocalFile(path, maxBytes);
  const fifo = st.isFIFO();
  // O_NONBLOCK always: opening a FIFO's read end blocks until a writer opens it, which may be never,
  // and the path may have become one since the stat (the fstat below then refuses it)
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  try {
    const again = fs.fstatSync(fd);
    if (again.ino !== st.ino || again.dev !== st.dev) throw new Error('changed while it was opened');
    const buf = Buffer.alloc(Math.min(maxBytes + 1, st.isFile() ? st.size + 1 : maxBytes + 1));
    const started = Date.now();
    let n = 0;
    for (;;) {
      let got: number;
      try {
        got = fs.readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        if (!fifo || (e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        // a writer holds the FIFO but has not written (more) yet
        if (Date.now() - started > FIFO_READ_MS) throw new Error(`is a FIFO not written to its end within ${FIFO_READ_MS} ms`, { cause: e });
        sleep(5);
        continue;
      }
      if (got === 0) {
        // on a FIFO, nothing read yet and end-of-file: no writer has opened it (yet)
        if (fifo && n === 0 && Date.now() - started < FIFO_NO_WRITER_MS) {
          sleep(5);
          continue;
        }
        if (fifo && n === 0) throw new Error(`is a FIFO that nothing wrote to within ${FIFO_NO_WRITER_MS} ms (no writer)`);
        break;
      }
      n += got;
      if (n > maxBytes) throw new Error(`is more than the ${maxBytes} bytes expected of this file`);
      if (n === buf.length) throw new Error('grew while it was read'); // the +1 byte: never a silently cut file
    }
    return buf.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}

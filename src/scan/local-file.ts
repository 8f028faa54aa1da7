// Files the user names for a scan (a token, a client certificate and key, a kubeconfig and the files
// it names), read without side effects and within bounds: the type is checked with stat before the
// file is opened, so a device (`--token-file /dev/zero`, a tty) is never opened, and at most
// MAX_LOCAL_FILE_BYTES are read, so nothing reads forever.
import fs from 'node:fs';

export const MAX_LOCAL_FILE_BYTES = 4 * 1024 * 1024;

/** The file's text; throws an Error with a clear message (what the path is, what was expected). */
export function readLocalFile(path: string, maxBytes = MAX_LOCAL_FILE_BYTES): string {
  const st = fs.statSync(path);
  if (!st.isFile() && !st.isFIFO()) {
    const kind = st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new Error(`is ${kind}, expected a regular file${kind.endsWith('device') ? ' (devices are never opened)' : ''}`);
  }
  if (st.isFile() && st.size > maxBytes) throw new Error(`is ${st.size} bytes, more than the ${maxBytes} expected of this file`);
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOCTTY);
  try {
    const again = fs.fstatSync(fd);
    if (again.ino !== st.ino || again.dev !== st.dev) throw new Error('changed while it was opened');
    const buf = Buffer.alloc(Math.min(maxBytes + 1, st.isFile() ? st.size + 1 : maxBytes + 1));
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes) throw new Error(`is more than the ${maxBytes} bytes expected of this file`);
      if (n === buf.length) break; // a regular file that grew: the +1 byte above says so next time
    }
    return buf.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}

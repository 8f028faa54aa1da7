// System errors in words: what the user reads says "no such file or directory", not ENOENT.
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'is a directory',
  EFBIG: 'file too large to read',
  ENOTFILE: 'not a regular file',
  ECHANGED: 'the file changed while it was opened',
  ENAMETOOLONG: 'file name too long',
  ENXIO: 'no such device or address',
  EMFILE: 'too many open files',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EBUSY: 'device or resource busy',
  EIO: 'input/output error',
  EINVAL: 'invalid argument',
  EAGAIN: 'resource temporarily unavailable',
  ENODEV: 'no such device',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  EHOSTDOWN: 'host is down',
  ENETUNREACH: 'network is unreachable',
  ENETDOWN: 'network is down',
  EADDRNOTAVAIL: 'address not available',
  EADDRINUSE: 'address already in use',
  EPIPE: 'broken pipe',
  EPROTO: 'protocol error',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'temporary failure in name resolution',
  EAI_FAIL: 'name resolution failed',
  EAI_NONAME: 'host name not found',
  ENOBUFS: 'no buffer space available',
};

/** The words for an errno code (an unknown code: "I/O error (CODE)"). */
export function errnoWords(code: string): string {
  return WORDS[code] ?? `I/O error (${code})`;
}

/** Why an operation failed, in words: a system error's meaning, else the error's own message. */
export function reasonOf(e: unknown): string {
  return errorWords(e);
}

const SYSTEM_CODE = /^E[A-Z_]+$/;

/**
 * An error in words. A system error's code becomes its meaning, with the host, address or program
 * it concerned ("connection refused (127.0.0.1:6443)", "host name not found (api.example)"); Node's
 * own message for it ("connect ECONNREFUSED 127.0.0.1:6443", "ENOENT: no such file or directory,
 * open '/x'") says nothing more and is left out, while a message in words of its own is kept
 * ("connection reset by peer: Client network socket disconnected before secure TLS connection was
 * established"). Any other error: its message.
 */
export function errorWords(e: unknown): string {
  const err = e as (NodeJS.ErrnoException & { address?: unknown; port?: unknown; hostname?: unknown }) | null | undefined;
  const msg = e instanceof Error ? e.message : String(e);
  const code = err?.code;
  if (typeof code !== 'string' || !SYSTEM_CODE.test(code)) return msg;
  const words = errnoWords(code);
  const where =
    typeof err?.hostname === 'string' ? err.hostname
      : typeof err?.address === 'string' ? `${err.address}${typeof err.port === 'number' ? `:${err.port}` : ''}`
        : typeof err?.syscall === 'string' && err.syscall.startsWith('spawn') && typeof err.path === 'string' ? err.path
          : undefined;
  const own = msg === '' || msg.includes(code) ? '' : `: ${msg}`;
  return `${words}${where !== undefined ? ` (${where})` : ''}${own}`;
}

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
};

/** The words for an errno code (an unknown code: "I/O error (CODE)"). */
export function errnoWords(code: string): string {
  return WORDS[code] ?? `I/O error (${code})`;
}

/** Why an operation failed, in words: a system error's meaning, else the error's own message. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return errnoWords(code);
  return e instanceof Error ? e.message : String(e);
}

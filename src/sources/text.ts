// Small text helpers for reading node files the way Go reads them: where a byte or offset is.

/** The 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Where the first byte that is not valid UTF-8 is (Go's YAML parser refuses the file there). */
export function firstBadUtf8(bytes: Buffer): { offset: number; line: number } {
  // The longest prefix that decodes (streaming, so a cut multi-byte character is not an error).
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  let line = 1;
  for (let i = 0; i < lo; i++) if (bytes[i] === 10) line++;
  return { offset: lo, line };
}

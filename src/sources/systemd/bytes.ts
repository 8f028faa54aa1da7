// Bytes, UTF-8 and the small string checks the systemd parsers share, plus the diagnostic for an
// unexpected exception. Follows systemd/systemd (main branch as of 2025):
//   src/basic/env-util.c     env_name_is_valid
//   src/basic/string-util.c  string_is_safe
import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { Diagnostic } from '../../facts/types.ts';

// ---------------------------------------------------------------------------------------------
// Bytes and UTF-8. Files are parsed as "binary strings" (one char per byte, latin1) so that invalid
// UTF-8 can be told apart exactly where systemd checks it.

export const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function toBinary(input: string | Uint8Array): string {
  if (typeof input !== 'string') return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  if (!LONE_SURROGATE.test(input)) return Buffer.from(input, 'utf8').toString('latin1');
  // A lone surrogate is what a C program would see as the (invalid) 3-byte sequence ED xx xx.
  let out = '';
  for (const ch of input) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else out += Buffer.from(ch, 'utf8').toString('latin1');
  }
  return out;
}

export function decodeUtf8(bin: string): string | null {
  try {
    return utf8Fatal.decode(Buffer.from(bin, 'latin1'));
  } catch {
    return null;
  }
}

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function stripWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s[a])) a++;
  while (b > a && isWs(s[b - 1])) b--;
  return s.slice(a, b);
}

/** env_name_is_valid (env-util.c): bash's character set, not starting with a digit. */
export function envNameIsValid(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** string_is_safe (string-util.c): no control characters, quotes or backslashes. */
export function stringIsSafe(s: string): boolean {
  return !/[\x01-\x1f\x7f"'\\]/.test(s);
}

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function preview(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function internalError(e: unknown, file?: string): Diagnostic {
  return { code: 'internal-error', severity: 'high', message: `internal error while reading systemd configuration: ${String(e)}`, ...(file ? { file } : {}) };
}

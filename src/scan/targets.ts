// What `kubelet-guard scan` sweeps: target specs (addresses, CIDRs, ranges, host names, files of
// targets, standard input), port lists, and the guard against sweeps larger than the user meant.
//
// Nothing here materialises addresses: a target is an interval (IPv4 as numbers, IPv6 as bigints)
// or a host name, counted with arithmetic and walked by a lazy generator. Host names stay names;
// the caller resolves them when it probes them.
import { createReadStream } from 'node:fs';
import { formatIPv4, formatIPv6 } from '../net/ip-text.ts';

export { formatIPv4, formatIPv6 };

export type TargetSet =
  /** an IPv4 interval, first and last included (a single address has first === last) */
  | { kind: 'ipv4'; spec: string; first: number; last: number }
  /** an IPv6 interval, first and last included; a zone (`%eth0`) only on a single address */
  | { kind: 'ipv6'; spec: string; first: bigint; last: bigint; zone?: string }
  /** a host name, resolved by the caller when it is probed */
  | { kind: 'name'; spec: string; name: string };

export type ParseResult = { ok: true; target: TargetSet } | { ok: false; error: string };
export type TargetListResult = { ok: true; targets: TargetSet[] } | { ok: false; errors: string[] };

/** Above this many addresses a sweep needs --allow-large-sweep (an IPv4 /16 is exactly this). */
export const SWEEP_LIMIT = 65_536;
/** No sweep goes above this, flag or not (an IPv4 /8); an IPv6 /64 is refused, never enumerated. */
export const SWEEP_HARD_LIMIT = 16_777_216;
/** The kubelet (secure, read-only, healthz) and etcd (client, peer) ports. */
export const DEFAULT_PORTS: readonly number[] = [10250, 10255, 10248, 2379, 2380];

const MAX_SPEC_LENGTH = 300;
const MAX_LINE_LENGTH = 4096;
const MAX_LIST_ERRORS = 20;
const IPV6_MAX = (1n << 128n) - 1n;

// ---------------------------------------------------------------------------------------------
// Addresses

/** An IPv4 address as an unsigned 32-bit number, or why it is not one. Strict dotted quad:
 *  four decimal octets, no leading zeros (inet_aton would read `010` as octal 8). */
export function parseIPv4(s: string): number | string {
  const parts = s.split('.');
  if (parts.length !== 4) return 'an IPv4 address has four octets';
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return p === '' ? 'empty octet' : `octet '${p}' is not a number from 0 to 255`;
    if (p.length > 1 && p.startsWith('0')) return `octet '${p}' has a leading zero (octal or decimal?)`;
    const v = Number(p);
    if (v > 255) return `octet '${p}' is not a number from 0 to 255`;
    n = n * 256 + v;
  }
  return n;
}


/** An IPv6 address (no brackets, no zone) as a 128-bit bigint, or why it is not one. Accepts
 *  `::` compression and a trailing dotted IPv4 part (`::ffff:10.0.0.1`). */
export function parseIPv6(s: string): bigint | string {
  if (s.length > 45) return 'too long for an IPv6 address';
  let tail: number[] = [];
  let text = s;
  if (text.includes('.')) {
    // a trailing dotted IPv4 part stands for the last two groups
    const lastColon = text.lastIndexOf(':');
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (typeof v4 === 'string') return `embedded IPv4 part: ${v4}`;
    tail = [v4 >>> 16, v4 & 0xffff];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1); // the ':' before the IPv4 part
  }
  const halves = text.split('::');
  if (halves.length > 2) return "'::' may appear only once";
  const groupsOf = (h: string): string[] | string => {
    if (h === '') return [];
    const gs = h.split(':');
    for (const g of gs) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return g === '' ? 'empty group' : `group '${g}' is not 1–4 hex digits`;
    return gs;
  };
  const head = groupsOf(halves[0] ?? '');
  if (typeof head === 'string') return head;
  const rest = groupsOf(halves[1] ?? '');
  if (typeof rest === 'string') return rest;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return 'an IPv6 address has eight 16-bit groups';
  const groups = [...head.map((g) => parseInt(g, 16)), ...new Array<number>(8 - explicit).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}


// ---------------------------------------------------------------------------------------------
// Target specs

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A host name per RFC 1123 (ASCII letters, digits, hyphens; a trailing dot allowed), or why not. */
function checkHostName(s: string): string | undefined {
  if (/[^\x20-\x7e]/.test(s)) return 'host names must be ASCII (use the xn-- form of an international name)';
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return 'not an address, CIDR, range or host name';
  const labels = name.split('.');
  if (labels.every((l) => LABEL.test(l))) return undefined;
  return 'not an address, CIDR, range or host name';
}

/** Does the text look like an attempt at an IPv4 address (so a typo is reported as one and not
 *  taken for a host name)? A top-level domain is never all digits (RFC 1123 §2.1, RFC 3696). */
function looksLikeIPv4(s: string): boolean {
  const last = s.split('.').at(-1) ?? '';
  return /^\d+$/.test(last) || /^[\d.]+$/.test(s);
}

function parseAddress(s: string): { v: 4; n: number } | { v: 6; n: bigint } | { error: string } | undefined {
  if (s.includes(':')) {
    const n = parseIPv6(s);
    return typeof n === 'string' ? { error: `not an IPv6 address: ${n}` } : { v: 6, n };
  }
  if (looksLikeIPv4(s)) {
    const n = parseIPv4(s);
    return typeof n === 'string' ? { error: `not an IPv4 address: ${n}` } : { v: 4, n };
  }
  return undefined; // not an address at all: maybe a host name
}

/**
 * Parses one target: `10.0.0.1`, `2001:db8::1`, `[2001:db8::1]`, `fe80::1%eth0`, `10.0.0.0/24`,
 * `2001:db8::/120`, `10.0.0.1-10.0.0.20`, `10.0.0.1-20` (last octet), `2001:db8::1-2001:db8::ff`,
 * `2001:db8::1-ff` (last group), or a host name. Never throws.
 *
 * IPv4 CIDRs include their network and broadcast addresses: a kubelet can sit on either (on /31
 * and /32 there is nothing else), and a scanner that skips them misses it. A CIDR whose address
 * has host bits set (`10.0.0.5/24`) means its whole network, as nmap reads it.
 */
export function parseTargetSpec(spec: string): ParseResult {
  try {
    return parseSpec(spec);
  } catch (e) {
    // no known input gets here; a parser bug must not crash a sweep
    return { ok: false, error: `${String(spec).slice(0, 80)}: cannot parse (${(e as Error).message})` };
  }
}

function parseSpec(raw: string): ParseResult {
  const spec = String(raw).trim();
  const fail = (why: string): ParseResult => ({ ok: false, error: `${shown(spec)}: ${why}` });
  if (spec === '') return { ok: false, error: 'empty target' };
  if (spec.length > MAX_SPEC_LENGTH) return fail(`too long (${spec.length} characters; a target is at most ${MAX_SPEC_LENGTH})`);
  if (spec === '-' || spec.startsWith('@')) return fail("a list of targets ('-' is standard input, '@FILE' a file), not a target: expandTargetArgs reads it");
  if (/\s/.test(spec)) return fail('contains white space: one target at a time');

  let body = spec;
  const bracketed = /^\[([^\]]*)\](.*)$/.exec(spec);
  if (bracketed) {
    if (!(bracketed[1] ?? '').includes(':')) return fail('brackets are for IPv6 addresses');
    body = (bracketed[1] ?? '') + (bracketed[2] ?? '');
  }

  // CIDR
  const slash = body.indexOf('/');
  if (slash >= 0) {
    const addrText = body.slice(0, slash);
    const lenText = body.slice(slash + 1);
    if (body.includes('%')) return fail('a zone (%…) is allowed on a single IPv6 address only');
    const a = parseAddress(addrText);
    if (!a) return fail(`a CIDR needs an IP address before the '/', not '${shown(addrText)}'`);
    if ('error' in a) return fail(a.error);
    const max = a.v === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) return fail(`prefix length must be 0–${max}`);
    const len = Number(lenText);
    if (a.v === 4) {
      const size = 2 ** (32 - len);
      const first = Math.floor(a.n / size) * size;
      return { ok: true, target: { kind: 'ipv4', spec, first, last: first + size - 1 } };
    }
    const hostBits = BigInt(128 - len);
    const first = (a.n >> hostBits) << hostBits;
    return { ok: true, target: { kind: 'ipv6', spec, first, last: first | ((1n << hostBits) - 1n) } };
  }

  // range: the left side must be an address, or the whole is a host name (`node-1`)
  const dash = body.indexOf('-');
  if (dash >= 0) {
    const left = parseAddress(body.slice(0, dash));
    if (left && !('error' in left)) {
      const rightText = body.slice(dash + 1);
      if (rightText === '') return fail('the range has no end');
      if (left.v === 4) {
        let last: number;
        if (/^\d{1,3}$/.test(rightText)) {
          const v = Number(rightText);
          if (v > 255 || (rightText.length > 1 && rightText.startsWith('0'))) return fail(`range end '${rightText}' is not an octet from 0 to 255`);
          last = left.n - (left.n % 256) + v;
        } else {
          const r = parseIPv4(rightText);
          if (typeof r === 'string') return fail(`range end is not an IPv4 address or a last octet: ${r}`);
          last = r;
        }
        if (last < left.n) return fail('the range ends before it starts');
        return { ok: true, target: { kind: 'ipv4', spec, first: left.n, last } };
      }
      let last: bigint;
      if (/^[0-9a-fA-F]{1,4}$/.test(rightText)) last = (left.n & ~0xffffn & IPV6_MAX) | BigInt(parseInt(rightText, 16));
      else {
        if (rightText.includes('%')) return fail('a zone (%…) is allowed on a single IPv6 address only');
        const r = parseIPv6(rightText);
        if (typeof r === 'string') return fail(`range end is not an IPv6 address or a last group: ${r}`);
        last = r;
      }
      if (last < left.n) return fail('the range ends before it starts');
      return { ok: true, target: { kind: 'ipv6', spec, first: left.n, last } };
    }
    // `10-web` is a host name; `10.0.0.300-5` a bad address
    const leftText = body.slice(0, dash);
    if (left && 'error' in left && (/^\d*\.[\d.]*$/.test(leftText) || body.includes(':') || checkHostName(body))) return fail(left.error);
  }

  // a single address (IPv6 maybe with a zone)
  const pct = body.indexOf('%');
  if (pct >= 0) {
    const zone = body.slice(pct + 1);
    const a = parseAddress(body.slice(0, pct));
    if (!a || 'error' in a || a.v !== 6) return fail('a zone (%…) follows an IPv6 address only');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(zone)) return fail(`zone '${shown(zone)}' is not an interface name or number`);
    return { ok: true, target: { kind: 'ipv6', spec, first: a.n, last: a.n, zone } };
  }
  const a = parseAddress(body);
  if (a && 'error' in a) return fail(a.error);
  if (a?.v === 4) return { ok: true, target: { kind: 'ipv4', spec, first: a.n, last: a.n } };
  if (a?.v === 6) return { ok: true, target: { kind: 'ipv6', spec, first: a.n, last: a.n } };
  if (bracketed) return fail('brackets are for IPv6 addresses');

  const bad = checkHostName(body);
  if (bad) return fail(bad);
  return { ok: true, target: { kind: 'name', spec, name: body } };
}

/** The spec as shown in a message: control characters escaped, long input cut. */
function shown(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 77)}…` : s;
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Lists of targets: files and standard input

/**
 * Parses a list of targets, as in a `--targets-file` or `@FILE`: one target a line (several
 * separated by white space or commas are accepted, as nmap's -iL does), `#` starts a comment,
 * blank lines are skipped. Every bad line is reported (the first 20), with its line number.
 */
export function parseTargetList(text: string, origin = 'targets'): TargetListResult {
  const acc = newListAccumulator(origin);
  let lineNo = 0;
  for (const line of text.split(/\r?\n/)) acc.line(line, ++lineNo);
  return acc.result();
}

/** Reads a list of targets from a text stream (standard input, a file) line by line, the same
 *  format as parseTargetList. A line longer than 4096 characters is an error, not a buffer. */
export async function readTargetStream(stream: AsyncIterable<string | Buffer>, origin = 'stdin'): Promise<TargetListResult> {
  const acc = newListAccumulator(origin);
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let lineNo = 0;
  let overlong = false;
  try {
    for await (const chunk of stream) {
      carry += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = carry.indexOf('\n')) >= 0) {
        const line = carry.slice(0, nl);
        carry = carry.slice(nl + 1);
        lineNo++;
        if (overlong) {
          overlong = false; // the end of a line already reported
          continue;
        }
        acc.line(line, lineNo);
      }
      if (carry.length > MAX_LINE_LENGTH && !overlong) {
        acc.error(`${origin}:${lineNo + 1}: line longer than ${MAX_LINE_LENGTH} characters`);
        overlong = true;
        carry = '';
      } else if (overlong) carry = '';
    }
    carry += decoder.decode();
  } catch (e) {
    acc.error(`${origin}: cannot read: ${(e as Error).message}`);
  }
  if (carry !== '' && !overlong) acc.line(carry, lineNo + 1);
  return acc.result();
}

function newListAccumulator(origin: string) {
  const targets: TargetSet[] = [];
  const errors: string[] = [];
  let errorCount = 0;
  const error = (msg: string) => {
    errorCount++;
    if (errors.length < MAX_LIST_ERRORS) errors.push(msg);
  };
  return {
    error,
    line(rawLine: string, lineNo: number) {
      let line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
      const hash = line.indexOf('#');
      if (hash >= 0) line = line.slice(0, hash);
      if (line.length > MAX_LINE_LENGTH) return error(`${origin}:${lineNo}: line longer than ${MAX_LINE_LENGTH} characters`);
      for (const word of line.split(/[\s,]+/)) {
        if (word === '') continue;
        if (word === '-' || word.startsWith('@')) {
          error(`${origin}:${lineNo}: ${shown(word)}: a list of targets cannot include another list`);
          continue;
        }
        const r = parseTargetSpec(word);
        if (r.ok) targets.push(r.target);
        else error(`${origin}:${lineNo}: ${r.error}`);
      }
    },
    result(): TargetListResult {
      if (errorCount === 0) return { ok: true, targets };
      if (errorCount > errors.length) errors.push(`${origin}: … and ${errorCount - errors.length} more errors`);
      return { ok: false, errors };
    },
  };
}

export interface TargetIo {
  /** opens a file of targets as a stream (default: fs.createReadStream) */
  openFile?: (path: string) => AsyncIterable<string | Buffer>;
  /** standard input (default: process.stdin) */
  stdin?: AsyncIterable<string | Buffer>;
}

/**
 * The command line's targets: each argument is a target spec, `@FILE` a file of targets, or `-`
 * standard input (read once). `--targets-file FILE` is the same as `@FILE`.
 */
export async function expandTargetArgs(args: readonly string[], io: TargetIo = {}): Promise<TargetListResult> {
  const targets: TargetSet[] = [];
  const errors: string[] = [];
  let stdinRead = false;
  for (const arg of args) {
    let r: TargetListResult;
    if (arg === '-') {
      if (stdinRead) {
        errors.push("'-' (standard input) given twice");
        continue;
      }
      stdinRead = true;
      r = await readTargetStream(io.stdin ?? process.stdin, 'stdin');
    } else if (arg.startsWith('@')) {
      const path = arg.slice(1);
      if (path === '') {
        errors.push("'@' needs a file name: @FILE");
        continue;
      }
      let stream: AsyncIterable<string | Buffer>;
      try {
        stream = (io.openFile ?? ((p: string) => createReadStream(p)))(path);
      } catch (e) {
        errors.push(`${path}: cannot read: ${(e as Error).message}`);
        continue;
      }
      r = await readTargetStream(stream, path);
    } else {
      const one = parseTargetSpec(arg);
      r = one.ok ? { ok: true, targets: [one.target] } : { ok: false, errors: [one.error] };
    }
    if (r.ok) for (const t of r.targets) targets.push(t);
    else errors.push(...r.errors);
  }
  if (errors.length) return { ok: false, errors };
  if (targets.length === 0) return { ok: false, errors: ['no targets'] };
  return { ok: true, targets };
}

// ---------------------------------------------------------------------------------------------
// Counting and walking, without materialising

interface Merged {
  v4: Array<[number, number]>;
  v6: Array<{ zone: string | undefined; first: bigint; last: bigint }>;
  names: string[];
}

/** Overlapping and adjacent intervals merged, names deduplicated (case-insensitively, trailing
 *  dot ignored): every address is counted and visited once, however many specs cover it. */
function merge(sets: Iterable<TargetSet>): Merged {
  const v4: Array<[number, number]> = [];
  const v6: Array<{ zone: string | undefined; first: bigint; last: bigint }> = [];
  const names = new Map<string, string>();
  for (const s of sets) {
    if (s.kind === 'ipv4') v4.push([s.first, s.last]);
    else if (s.kind === 'ipv6') v6.push({ zone: s.zone, first: s.first, last: s.last });
    else {
      const key = s.name.toLowerCase().replace(/\.$/, '');
      if (!names.has(key)) names.set(key, s.name);
    }
  }
  v4.sort((a, b) => a[0] - b[0]);
  const m4: Array<[number, number]> = [];
  for (const [f, l] of v4) {
    const top = m4.at(-1);
    if (top && f <= top[1] + 1) top[1] = Math.max(top[1], l);
    else m4.push([f, l]);
  }
  v6.sort((a, b) => ((a.zone ?? '') < (b.zone ?? '') ? -1 : (a.zone ?? '') > (b.zone ?? '') ? 1 : a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const m6: Merged['v6'] = [];
  for (const x of v6) {
    const top = m6.at(-1);
    if (top && top.zone === x.zone && x.first <= top.last + 1n) top.last = x.last > top.last ? x.last : top.last;
    else m6.push({ ...x });
  }
  return { v4: m4, v6: m6, names: [...names.values()] };
}

/** How many distinct targets the sets hold: addresses, plus one for each distinct host name. */
export function countAddresses(sets: Iterable<TargetSet>): bigint {
  const m = merge(sets);
  let n = BigInt(m.names.length);
  for (const [f, l] of m.v4) n += BigInt(l - f + 1);
  for (const x of m.v6) n += x.last - x.first + 1n;
  return n;
}

/**
 * Every distinct target, lazily: IPv4 addresses in ascending order, then IPv6 (with its zone),
 * then host names as given. Nothing is materialised, but the walk is as long as the count: check
 * it with checkSweepSize first (an IPv6 /64 would never end).
 */
export function* iterateAddresses(sets: Iterable<TargetSet>): Generator<string> {
  const m = merge(sets);
  for (const [f, l] of m.v4) for (let n = f; n <= l; n++) yield formatIPv4(n);
  for (const x of m.v6) {
    const suffix = x.zone === undefined ? '' : `%${x.zone}`;
    for (let n = x.first; n <= x.last; n++) yield formatIPv6(n) + suffix;
  }
  yield* m.names;
}

/**
 * The guard: a sweep of more than 65,536 addresses (an IPv4 /16) needs --allow-large-sweep, and
 * none may cover more than 16,777,216 (an IPv4 /8), so an IPv6 /64 is refused, never walked.
 */
export function checkSweepSize(count: bigint | number, allowLarge: boolean): { ok: true } | { ok: false; error: string } {
  const n = typeof count === 'bigint' ? count : BigInt(Math.max(0, Math.ceil(Number.isFinite(count) ? count : Number.MAX_SAFE_INTEGER)));
  const fmt = (x: bigint | number) => x.toLocaleString('en-US');
  if (n > BigInt(SWEEP_HARD_LIMIT)) {
    return {
      ok: false,
      error: `the targets cover ${fmt(n)} addresses; no sweep may cover more than ${fmt(SWEEP_HARD_LIMIT)} (an IPv4 /8), even with --allow-large-sweep. Split the sweep, or for IPv6 list the addresses you know (a /64 cannot be swept)`,
    };
  }
  if (n > BigInt(SWEEP_LIMIT) && !allowLarge) {
    return { ok: false, error: `the targets cover ${fmt(n)} addresses, more than ${fmt(SWEEP_LIMIT)} (an IPv4 /16): pass --allow-large-sweep to sweep them` };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Parses a port list: `10250,10255,10248,2379-2380` (ranges inclusive, duplicates dropped,
 *  order kept). Never throws. */
export function parsePorts(spec: string): { ok: true; ports: number[] } | { ok: false; error: string } {
  const text = String(spec).trim();
  if (text === '') return { ok: false, error: 'empty port list' };
  if (text.length > 2000) return { ok: false, error: 'port list too long' };
  const seen = new Set<number>();
  const ports: number[] = [];
  const port = (p: string): number | string => {
    if (!/^\d{1,5}$/.test(p)) return `'${shown(p)}' is not a port number`;
    const n = Number(p);
    return n >= 1 && n <= 65535 ? n : `port ${p} is not from 1 to 65535`;
  };
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    if (item === '') return { ok: false, error: `${shown(text)}: empty item in the port list` };
    const m = /^([^-]*)-([^-]*)$/.exec(item);
    const lo = port(m ? (m[1] ?? '').trim() : item);
    if (typeof lo === 'string') return { ok: false, error: `${shown(text)}: ${lo}` };
    let hi = lo;
    if (m) {
      const h = port((m[2] ?? '').trim());
      if (typeof h === 'string') return { ok: false, error: `${shown(text)}: ${h}` };
      if (h < lo) return { ok: false, error: `${shown(text)}: range ${item} ends before it starts` };
      hi = h;
    }
    for (let p = lo; p <= hi; p++) {
      if (!seen.has(p)) {
        seen.add(p);
        ports.push(p);
      }
    }
  }
  return { ok: true, ports };
}

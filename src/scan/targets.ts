// What `kubelet-guard scan` sweeps: target specs (addresses, CIDRs, ranges, host names, files of
// targets, standard input), port lists, and the guard against sweeps larger than the user meant.
//
// Nothing here materialises addresses: a target is an interval (IPv4 as numbers, IPv6 as bigints)
// or a host name, counted with arithmetic and walked by a lazy generator. Host names stay names;
// the caller resolves them when it probes them.
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { formatIPv4, formatIPv6 } from '../net/ip-text.ts';
import { errorWords } from '../sources/errno.ts';

export { formatIPv4, formatIPv6 };

export type TargetSet =
  /** an IPv4 interval, first and last included (a single address has first === last) */
  | { kind: 'ipv4'; spec: string; first: number; last: number }
  /** an IPv6 interval, first and last included; a zone (`%eth0`) only on a single address */
  | { kind: 'ipv6'; spec: string; first: bigint; last: bigint; zone?: string }
  /** a host name, resolved by the caller when it is probed */
  | { kind: 'name'; spec: string; name: string };

export type ParseResult = { ok: true; target: TargetSet } | { ok: false; error: string };

/** Above this many addresses a sweep needs --allow-large-sweep (an IPv4 /16 is exactly this). */
export const SWEEP_LIMIT = 65_536;
/** No sweep goes above this, flag or not (an IPv4 /8); an IPv6 /64 is refused, never enumerated. */
export const SWEEP_HARD_LIMIT = 16_777_216;
/** The kubelet (secure, read-only, healthz) and etcd (client, peer) ports. */
export const DEFAULT_PORTS: readonly number[] = [10250, 10255, 10248, 2379, 2380];

const MAX_SPEC_LENGTH = 300;
const IPV6_MAX = (1n << 128n) - 1n;

// ---------------------------------------------------------------------------------------------
// Addresses

/** An IPv4 address as an unsigned 32-bit number, or why it is not one. Strict dotted quad:
 *  four decimal octets, no leading zeros (inet_aton would read `010` as octal 8). */
export function parseIPv4(s: string): number | string {
  const fast = quickIPv4(s);
  if (fast >= 0) return fast;
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


/** A well-formed dotted quad as a number, or -1 (then parseIPv4 says why): the common case of a
 *  targets file of millions of lines, without splitting strings or running regular expressions. */
function quickIPv4(s: string): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? n * 256 + octet : -1;
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
  const last = s.slice(s.lastIndexOf('.') + 1);
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
// The plan: every distinct target, held compactly, counted as it grows

/** At most this many distinct host names, or separate IPv6 ranges, in one sweep: each is an
 *  object in memory (an IPv4 range is 8 bytes in a typed array), and no real inventory has more. */
export const MAX_NAMES = 100_000;
export const MAX_IPV6_RANGES = 100_000;
/** raw IPv4 intervals waiting to be merged: 8 MiB at most */
const MAX_PENDING = 1 << 20;

interface V6Range {
  zone: string;
  first: bigint;
  last: bigint;
}

const cmp6 = (a: V6Range, b: V6Range): number => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : a.first < b.first ? -1 : a.first > b.first ? 1 : 0);

/**
 * The distinct targets of a sweep, as they are read: IPv4 intervals merged into a sorted typed array
 * (8 bytes each, however many lines named them), IPv6 intervals merged, host names deduplicated
 * (case-insensitively, trailing dot ignored). A target already covered costs nothing; others wait
 * in a small buffer that is merged whenever it could push the count past `budget`, so `add`
 * reports the very line that passes it and a file of 5 million lines is never held.
 */
export class TargetPlan {
  readonly budget: number;
  #v4 = new Uint32Array(128); // merged pairs first,last: sorted, disjoint, not adjacent
  #v4Len = 0; // pairs
  #v4Count = 0;
  #pending = new BigUint64Array(1024); // raw intervals, first << 32 | last
  #pendingLen = 0;
  #pendingSum = 0; // addresses the pending intervals hold at most
  #v6: V6Range[] = [];
  #v6Pending: V6Range[] = [];
  #v6Count = 0n;
  #names = new Map<string, string>();

  readonly #allowLarge: boolean;

  /** guard: stop at the sweep guard (checkSweepSize) as the targets come in; without it, only count */
  constructor(guard?: { allowLargeSweep: boolean }) {
    this.#allowLarge = guard?.allowLargeSweep === true;
    this.budget = guard === undefined ? Infinity : this.#allowLarge ? SWEEP_HARD_LIMIT : SWEEP_LIMIT;
  }

  /** Adds a target; returns why the plan cannot take it (a limit passed), or undefined. */
  add(t: TargetSet): string | undefined {
    if (t.kind === 'name') {
      const key = t.name.toLowerCase().replace(/\.$/, '');
      if (this.#names.has(key)) return undefined;
      if (this.#names.size >= MAX_NAMES) return `more than ${MAX_NAMES.toLocaleString('en-US')} distinct host names: split the sweep`;
      this.#names.set(key, t.name);
      return this.#pendingSum + this.#exactCount() > this.budget ? this.#check() : undefined;
    }
    if (t.kind === 'ipv4') {
      if (this.#covered4(t.first, t.last)) return undefined;
      if (this.#pendingLen === this.#pending.length) {
        if (this.#pendingLen >= MAX_PENDING) this.#compact();
        else {
          const grown = new BigUint64Array(this.#pending.length * 2);
          grown.set(this.#pending);
          this.#pending = grown;
        }
      }
      this.#pending[this.#pendingLen++] = (BigInt(t.first) << 32n) | BigInt(t.last);
      this.#pendingSum += t.last - t.first + 1;
    } else {
      const r: V6Range = { zone: t.zone ?? '', first: t.first, last: t.last };
      if (this.#covered6(r)) return undefined;
      this.#v6Pending.push(r);
      this.#pendingSum += Number(t.last - t.first + 1n);
      if (this.#v6Pending.length >= 4096) this.#compact();
      if (this.#v6.length > MAX_IPV6_RANGES) return `more than ${MAX_IPV6_RANGES.toLocaleString('en-US')} separate IPv6 ranges: split the sweep`;
    }
    return this.#pendingSum + this.#exactCount() > this.budget ? this.#check() : undefined;
  }

  /** How many distinct targets: addresses, plus one for each distinct host name. */
  count(): bigint {
    this.#compact();
    return this.#countBig();
  }

  /** Every distinct target, lazily: IPv4 ascending, then IPv6 (with its zone), then host names as given. */
  *addresses(): Generator<string> {
    this.#compact();
    const v4 = this.#v4;
    for (let i = 0; i < this.#v4Len; i++) {
      const l = v4[2 * i + 1]!;
      for (let n = v4[2 * i]!; n <= l; n++) yield formatIPv4(n);
    }
    for (const x of this.#v6) {
      const suffix = x.zone === '' ? '' : `%${x.zone}`;
      for (let n = x.first; n <= x.last; n++) yield formatIPv6(n) + suffix;
    }
    yield* this.#names.values();
  }

  #countBig(): bigint {
    return BigInt(this.#v4Count) + this.#v6Count + BigInt(this.#names.size);
  }

  #exactCount(): number {
    return this.#v4Count + Number(this.#v6Count) + this.#names.size;
  }

  #check(): string | undefined {
    this.#compact();
    if (this.#v6.length > MAX_IPV6_RANGES) return `more than ${MAX_IPV6_RANGES.toLocaleString('en-US')} separate IPv6 ranges: split the sweep`;
    if (!Number.isFinite(this.budget)) return undefined;
    const guard = checkSweepSize(this.#countBig(), this.#allowLarge, true);
    return guard.ok ? undefined : guard.error;
  }

  #covered4(first: number, last: number): boolean {
    // the last merged interval that starts at or before `first`
    let lo = 0;
    let hi = this.#v4Len - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#v4[2 * mid]! <= first) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && this.#v4[2 * hi + 1]! >= last;
  }

  #covered6(r: V6Range): boolean {
    let lo = 0;
    let hi = this.#v6.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.#v6[mid]!;
      if (m.zone < r.zone || (m.zone === r.zone && m.first <= r.first)) lo = mid + 1;
      else hi = mid - 1;
    }
    const m = hi >= 0 ? this.#v6[hi] : undefined;
    return m !== undefined && m.zone === r.zone && m.last >= r.last;
  }

  /** Merges the pending intervals into the sorted ones (overlapping and adjacent ones join). */
  #compact(): void {
    if (this.#pendingLen > 0) {
      const pend = this.#pending.subarray(0, this.#pendingLen).sort();
      const old = this.#v4;
      const oldLen = this.#v4Len;
      const out = new Uint32Array(Math.max(128, 2 * (oldLen + this.#pendingLen)));
      let len = 0;
      let count = 0;
      let i = 0;
      let j = 0;
      const emit = (f: number, l: number): void => {
        if (len > 0 && f <= out[2 * len - 1]! + 1) {
          const top = out[2 * len - 1]!;
          if (l > top) {
            count += l - top;
            out[2 * len - 1] = l;
          }
          return;
        }
        out[2 * len] = f;
        out[2 * len + 1] = l;
        len++;
        count += l - f + 1;
      };
      while (i < oldLen || j < pend.length) {
        const pf = j < pend.length ? Number(pend[j]! >> 32n) : Infinity;
        if (i < oldLen && old[2 * i]! <= pf) {
          emit(old[2 * i]!, old[2 * i + 1]!);
          i++;
        } else {
          emit(pf, Number(pend[j]! & 0xffffffffn));
          j++;
        }
      }
      this.#v4 = out;
      this.#v4Len = len;
      this.#v4Count = count;
      this.#pendingLen = 0;
      if (this.#pending.length > 1024) this.#pending = new BigUint64Array(1024);
    }
    if (this.#v6Pending.length > 0) {
      const all = [...this.#v6, ...this.#v6Pending].sort(cmp6);
      const m6: V6Range[] = [];
      for (const x of all) {
        const top = m6.at(-1);
        if (top && top.zone === x.zone && x.first <= top.last + 1n) top.last = x.last > top.last ? x.last : top.last;
        else m6.push({ ...x });
      }
      this.#v6 = m6;
      this.#v6Pending = [];
      this.#v6Count = m6.reduce((n, x) => n + (x.last - x.first + 1n), 0n);
    }
    this.#pendingSum = 0;
  }
}

/** The targets as a plan: an existing one as it is, an iterable of specs merged (no budget). */
function planOf(sets: Iterable<TargetSet> | TargetPlan): TargetPlan {
  if (sets instanceof TargetPlan) return sets;
  const plan = new TargetPlan();
  for (const s of sets) plan.add(s);
  return plan;
}

/** How many distinct targets the sets hold: addresses, plus one for each distinct host name. */
export function countAddresses(sets: Iterable<TargetSet> | TargetPlan): bigint {
  return planOf(sets).count();
}

/**
 * Every distinct target, lazily: IPv4 addresses in ascending order, then IPv6 (with its zone),
 * then host names as given. Nothing is materialised, but the walk is as long as the count: check
 * it with checkSweepSize first (an IPv6 /64 would never end).
 */
export function iterateAddresses(sets: Iterable<TargetSet> | TargetPlan): Generator<string> {
  return planOf(sets).addresses();
}

// ---------------------------------------------------------------------------------------------
// Lists of targets: files and standard input, streamed

/** A line of a targets file is at most this many bytes: a few targets (300 characters each at most) and a comment. */
export const MAX_LINE_BYTES = 4096;
/** After this many bad lines a list is not read further. */
const MAX_LIST_ERRORS = 20;
const LINE_FORMAT = 'one target a line (an address, CIDR, range or host name; several may be separated by commas or spaces; # starts a comment)';

export type TargetListResult = { ok: true; targets: TargetPlan } | { ok: false; errors: string[] };
/** bytes or text in chunks: a stream, or any (async) iterable of chunks */
export type Chunks = AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

/** Where lines go: parsed into the plan; errors kept (the first 20). `stopped`: this list is read no
 *  further; `halted`: no input is (the plan is full, or too many errors). */
class ListReader {
  readonly plan: TargetPlan;
  readonly errors: string[];
  stopped = false;
  halted = false;

  constructor(plan: TargetPlan, errors: string[]) {
    this.plan = plan;
    this.errors = errors;
  }

  error(msg: string): void {
    if (this.errors.length < MAX_LIST_ERRORS) this.errors.push(msg);
    if (this.errors.length >= MAX_LIST_ERRORS && !this.stopped) {
      this.errors.push(`stopped reading after ${MAX_LIST_ERRORS} errors`);
      this.stopped = this.halted = true;
    }
  }

  fatal(msg: string, halt = false): void {
    if (this.errors.length <= MAX_LIST_ERRORS) this.errors.push(msg);
    this.stopped = true;
    if (halt) this.halted = true;
  }

  line(rawLine: string, lineNo: number, origin: string): void {
    let line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    for (const word of line.split(/[\s,]+/)) {
      if (word === '' || this.stopped) continue;
      if (word === '-' || word.startsWith('@')) {
        this.error(`${origin}:${lineNo}: ${shown(word)}: a list of targets cannot include another list`);
        continue;
      }
      const r = parseTargetSpec(word);
      if (!r.ok) {
        this.error(`${origin}:${lineNo}: ${r.error}`);
        continue;
      }
      const full = this.plan.add(r.target);
      if (full) this.fatal(`${origin}:${lineNo}: ${full}; reading stopped`, true);
    }
  }

  result(): TargetListResult {
    return this.errors.length === 0 ? { ok: true, targets: this.plan } : { ok: false, errors: this.errors };
  }
}

/**
 * Parses a list of targets, as in a `--targets-file` or `@FILE`: one target a line (several
 * separated by white space or commas are accepted, as nmap's -iL does), `#` starts a comment,
 * blank lines are skipped. Bad lines are reported with their line numbers (the first 20).
 */
export function parseTargetList(text: string, origin = 'targets', plan = new TargetPlan()): TargetListResult {
  const r = new ListReader(plan, []);
  let lineNo = 0;
  for (const line of text.split(/\r?\n/)) {
    if (r.stopped) break;
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) r.fatal(overlong(origin, lineNo + 1));
    else r.line(line, ++lineNo, origin);
  }
  return r.result();
}

const overlong = (origin: string, lineNo: number): string =>
  `${origin}:${lineNo}: line longer than ${MAX_LINE_BYTES} bytes; expected ${LINE_FORMAT}; reading stopped`;
const binary = (origin: string, lineNo: number, what: string): string =>
  `${origin}:${lineNo}: ${what}: binary data, not a list of targets (expected UTF-8 text, ${LINE_FORMAT}); reading stopped`;

/**
 * Reads a list of targets from a byte stream (standard input, a file), line by line, into the
 * plan: only the current line is held, never the file. Stops at once on a line longer than
 * MAX_LINE_BYTES, a NUL byte or bytes that are not UTF-8 (`/dev/zero`, a binary), on the 20th bad
 * line, and on the line that takes the plan past its budget.
 */
export async function readTargetStream(stream: Chunks, origin = 'stdin', plan = new TargetPlan(), errors: string[] = []): Promise<TargetListResult> {
  const r = new ListReader(plan, errors);
  await readLines(stream, origin, r);
  return r.result();
}

async function readLines(stream: Chunks, origin: string, r: ListReader): Promise<void> {
  let carry: Buffer | undefined; // an unfinished line, at most MAX_LINE_BYTES
  let lineNo = 0;
  /** one complete line, bytes [s, e) of buf; false when reading must stop */
  const take = (buf: Buffer, s: number, e: number, checkUtf8: boolean): boolean => {
    lineNo++;
    if (e - s > MAX_LINE_BYTES) r.fatal(overlong(origin, lineNo));
    else if (checkUtf8 && !isUtf8(buf.subarray(s, e))) r.fatal(binary(origin, lineNo, 'bytes that are not UTF-8'));
    else r.line(buf.toString('utf8', s, e), lineNo, origin);
    return !r.stopped;
  };
  try {
    for await (const raw of stream) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = undefined;
      const lastNl = buf.lastIndexOf(10);
      const nul = buf.indexOf(0);
      // one check for the whole chunk; line by line only to find a bad line
      const utf8 = lastNl < 0 || isUtf8(buf.subarray(0, lastNl));
      let start = 0;
      while (start <= lastNl) {
        const nl = buf.indexOf(10, start);
        if (nul >= start && nul < nl) {
          r.fatal(binary(origin, lineNo + 1, 'a NUL byte'));
          return;
        }
        if (!take(buf, start, nl, !utf8)) return;
        start = nl + 1;
      }
      const rest = buf.length - start;
      if (nul >= start) {
        r.fatal(binary(origin, lineNo + 1, 'a NUL byte'));
        return;
      }
      if (rest > MAX_LINE_BYTES) {
        r.fatal(overlong(origin, lineNo + 1));
        return;
      }
      if (rest > 0) carry = Buffer.from(buf.subarray(start)); // a copy: the chunk itself is let go
    }
  } catch (e) {
    r.fatal(`${origin}: cannot read: ${errorWords(e)}`);
    return;
  }
  if (carry) take(carry, 0, carry.length, true);
}

export interface TargetIo {
  /** opens a file of targets as a stream (default: stat, refuse what is not a file or FIFO, open) */
  openFile?: (path: string) => Chunks | Promise<Chunks>;
  /** standard input (default: process.stdin) */
  stdin?: Chunks;
}

/**
 * A file of targets, opened only when it is one: a regular file or a FIFO (`<(cmd)`). A device is
 * never opened (a tty or watchdog node has effects when opened; /dev/zero never ends): its type is
 * read with stat first, and the opened file must be the one that was stat'ed.
 */
export async function openTargetsFile(path: string): Promise<AsyncIterable<Buffer>> {
  const st = await fs.stat(path);
  const kind = st.isFile() || st.isFIFO() ? undefined : st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file';
  if (kind) throw new Error(`is ${kind}, not a file of targets${kind.endsWith('device') ? " (devices are never opened; give '-' to read standard input)" : ''}`);
  const handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NOCTTY);
  const again = await handle.stat().catch(() => undefined);
  if (!again || again.ino !== st.ino || again.dev !== st.dev) {
    await handle.close();
    throw new Error('changed while it was opened');
  }
  return handle.createReadStream({ highWaterMark: 64 * 1024 });
}

/**
 * The command line's targets: each argument is a target spec, `@FILE` a file of targets, or `-`
 * standard input (read once). `--targets-file FILE` is the same as `@FILE`. Files and standard
 * input are streamed into one plan; with `guard`, reading stops at the line that takes it past
 * the sweep guard (checkSweepSize), so a file never has to be read whole to be refused.
 */
export async function expandTargetArgs(args: readonly string[], io: TargetIo = {}, guard?: { allowLargeSweep: boolean }): Promise<TargetListResult> {
  const plan = new TargetPlan(guard);
  const errors: string[] = [];
  let stdinRead = false;
  for (const arg of args) {
    const r = new ListReader(plan, errors);
    if (arg === '-') {
      if (stdinRead) {
        r.error("'-' (standard input) given twice");
        continue;
      }
      stdinRead = true;
      await readLines(io.stdin ?? process.stdin, 'stdin', r);
    } else if (arg.startsWith('@')) {
      const path = arg.slice(1);
      if (path === '') {
        r.error("'@' needs a file name: @FILE");
        continue;
      }
      let stream: Chunks;
      try {
        stream = await (io.openFile ?? openTargetsFile)(path);
      } catch (e) {
        r.error(`${shown(path)}: cannot read: ${errorWords(e)}`);
        continue;
      }
      await readLines(stream, shown(path), r);
    } else {
      const one = parseTargetSpec(arg);
      if (!one.ok) r.error(one.error);
      else {
        const full = plan.add(one.target);
        if (full) r.fatal(`${shown(arg)}: ${full}`, true);
      }
    }
    if (r.halted) break;
  }
  if (errors.length) return { ok: false, errors };
  if (plan.count() === 0n) return { ok: false, errors: ['no targets'] };
  return { ok: true, targets: plan };
}

/**
 * The guard: a sweep of more than 65,536 addresses (an IPv4 /16) needs --allow-large-sweep, and
 * none may cover more than 16,777,216 (an IPv4 /8), so an IPv6 /64 is refused, never walked.
 */
export function checkSweepSize(count: bigint | number, allowLarge: boolean, atLeast = false): { ok: true } | { ok: false; error: string } {
  const n = typeof count === 'bigint' ? count : BigInt(Math.max(0, Math.ceil(Number.isFinite(count) ? count : Number.MAX_SAFE_INTEGER)));
  const fmt = (x: bigint | number) => x.toLocaleString('en-US');
  if (n > BigInt(SWEEP_HARD_LIMIT)) {
    return {
      ok: false,
      error: `the targets cover ${atLeast ? 'at least ' : ''}${fmt(n)} addresses; no sweep may cover more than ${fmt(SWEEP_HARD_LIMIT)} (an IPv4 /8), even with --allow-large-sweep. Split the sweep, or for IPv6 list the addresses you know (a /64 cannot be swept)`,
    };
  }
  if (n > BigInt(SWEEP_LIMIT) && !allowLarge) {
    return { ok: false, error: `the targets cover ${atLeast ? 'at least ' : ''}${fmt(n)} addresses, more than ${fmt(SWEEP_LIMIT)} (an IPv4 /16): pass --allow-large-sweep to sweep them` };
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

// How long a TCP connect may wait before its port is called "filtered": learnt from the answers,
// as nmap does (timing.cc adjust_timeouts2, after RFC 6298): a smoothed round-trip time and its
// variation, timeout = srtt + 4·rttvar, kept within [floor, initial]. It starts at the initial
// (1000 ms: a dropped SYN on a real network is normally answered, if at all, within it) and tightens
// as answers come, so a network where most addresses drop every packet costs a fraction of a second
// a dropped probe instead of a second.
//
// Per network: one estimator per /24 (IPv4) or /64 (IPv6), falling back to one for the whole sweep
// while a network has no answer yet (nmap: per host, falling back to the group's). Not per host: a
// sweep asks each host a handful of ports, mostly unanswered, so a host seldom has a sample of its
// own; the hosts of one /24 sit behind the same router and firewall, and their round trips are
// alike. Not one for the whole sweep alone: a slow, distant network would then inherit a LAN's
// timeout.
//
// The floor, 100 ms (nmap's default --min-rtt-timeout): loopback and LAN answers come in well under
// a millisecond, and a timeout built from them alone would call "filtered" a host that answers a few
// ms late (a loaded host's SYN queue, a busy event loop here, a jittery Wi-Fi or VPN hop). 100 ms
// covers that jitter many times over and still costs a dropped probe a tenth of the initial.
//
// A connect that timed out is tried once more before its port is called filtered (a lost SYN or
// SYN-ACK is not a firewall), with twice the first attempt's timeout (RFC 6298 §5.5's back-off),
// never above the initial: a host slower than its neighbours gets its answer counted.
import { isIPv4, isIPv6 } from 'node:net';
import type { TcpConnectResult } from './tcp-connect.ts';

export const INITIAL_CONNECT_TIMEOUT_MS = 1000;
export const CONNECT_TIMEOUT_FLOOR_MS = 100;
/** nmap's floor on the variation (5 ms): one fast answer must not make the timeout its own RTT */
const MIN_FIRST_RTTVAR_MS = 5;
/** networks remembered at most (a sweep goes network by network: the oldest are done) */
const MAX_NETWORKS = 4096;

export class RttEstimator {
  private srtt = 0;
  private rttvar = 0;
  private count = 0;
  private readonly initialMs: number;
  private readonly floorMs: number;

  constructor(initialMs: number, floorMs: number) {
    if (!(floorMs > 0 && initialMs >= floorMs)) throw new RangeError(`need 0 < floor (${floorMs}) ≤ initial (${initialMs})`);
    this.initialMs = initialMs;
    this.floorMs = floorMs;
  }

  /** answers observed */
  get samples(): number {
    return this.count;
  }

  /** one answer (open or refused), `rttMs` after its connect began */
  observe(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    const r = Math.min(rttMs, this.initialMs);
    if (this.count++ === 0) {
      this.srtt = r;
      this.rttvar = Math.max(MIN_FIRST_RTTVAR_MS, r);
      return;
    }
    const delta = r - this.srtt;
    this.srtt += delta / 8;
    this.rttvar += (Math.abs(delta) - this.rttvar) / 4;
  }

  /** the connect timeout now: the initial until an answer came, then srtt + 4·rttvar within [floor, initial] */
  timeoutMs(): number {
    if (this.count === 0) return this.initialMs;
    return Math.min(this.initialMs, Math.max(this.floorMs, Math.ceil(this.srtt + 4 * this.rttvar)));
  }
}

/** The network a host belongs to for timing: its /24 (IPv4), its /64 (IPv6), else the name itself. */
export function networkKey(host: string): string {
  if (isIPv4(host)) return host.slice(0, host.lastIndexOf('.'));
  if (isIPv6(host)) {
    const [head = '', tail = ''] = host.toLowerCase().split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = host.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
    return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':');
  }
  return `name:${host.toLowerCase()}`;
}

export interface ConnectTimingStats {
  /** connects that timed out and were tried again */
  retried: number;
  /** of those, answered on the second try (they would have been false "filtered") */
  recovered: number;
  /** ports called filtered (both tries timed out, or no route) */
  filtered: number;
}

/** The connect timeouts of one sweep: adaptive (per network), or fixed (--connect-timeout). */
export class ConnectTiming {
  readonly fixedMs: number | undefined;
  readonly initialMs: number;
  readonly floorMs: number;
  readonly stats: ConnectTimingStats = { retried: 0, recovered: 0, filtered: 0 };
  private readonly global: RttEstimator;
  private readonly networks = new Map<string, RttEstimator>();

  constructor(opts: { fixedMs?: number; initialMs?: number; floorMs?: number } = {}) {
    this.fixedMs = opts.fixedMs;
    this.initialMs = opts.initialMs ?? INITIAL_CONNECT_TIMEOUT_MS;
    this.floorMs = Math.min(opts.floorMs ?? CONNECT_TIMEOUT_FLOOR_MS, this.initialMs);
    this.global = new RttEstimator(this.initialMs, this.floorMs);
  }

  /** the timeout for a first connect to `host` now */
  timeoutFor(host: string): number {
    if (this.fixedMs !== undefined) return this.fixedMs;
    const own = this.networks.get(networkKey(host));
    return own && own.samples > 0 ? own.timeoutMs() : this.global.timeoutMs();
  }

  /** the timeout for the second try, after a first that waited `firstMs` in vain */
  retryTimeoutFor(host: string, firstMs: number): number {
    if (this.fixedMs !== undefined) return this.fixedMs;
    return Math.min(this.initialMs, Math.max(this.timeoutFor(host), 2 * firstMs));
  }

  /** an answer from `host` after `rttMs` */
  observe(host: string, rttMs: number): void {
    if (this.fixedMs !== undefined) return;
    this.global.observe(rttMs);
    const key = networkKey(host);
    let own = this.networks.get(key);
    if (!own) {
      if (this.networks.size >= MAX_NETWORKS) this.networks.delete(this.networks.keys().next().value!);
      own = new RttEstimator(this.initialMs, this.floorMs);
      this.networks.set(key, own);
    }
    own.observe(rttMs);
  }

  /** the networks remembered now (bounded) */
  get networkCount(): number {
    return this.networks.size;
  }
}

export type Connect = (host: string, port: number, timeoutMs: number) => Promise<TcpConnectResult>;

/** One port's state: a connect with the timeout of the moment, and once more if it timed out. */
export async function connectWithRetry(host: string, port: number, timing: ConnectTiming, connect: Connect): Promise<TcpConnectResult & { attempts: 1 | 2 }> {
  const firstMs = timing.timeoutFor(host);
  const first = await connect(host, port, firstMs);
  if (first.state !== 'filtered') timing.observe(host, first.ms);
  if (!first.timedOut) {
    if (first.state === 'filtered') timing.stats.filtered++;
    return { ...first, attempts: 1 };
  }
  timing.stats.retried++;
  const second = await connect(host, port, timing.retryTimeoutFor(host, firstMs));
  if (second.state !== 'filtered') {
    timing.observe(host, second.ms);
    timing.stats.recovered++;
  } else timing.stats.filtered++;
  return { ...second, attempts: 2 };
}

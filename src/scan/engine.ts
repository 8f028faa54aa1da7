// The sweep engine: a pool of workers pulling (host, port) pairs from one lazy iterator,
// an optional token bucket, results streamed out as they come, progress at most every 100 ms.
// Two pools when a probe has a second stage (`classify`): the first (a TCP connect, a socket
// each, mostly waiting on the network) runs `concurrency` at a time; what it finds (an open port)
// goes to the much smaller pool of classifications (HTTP/TLS exchanges), and the connects go on
// meanwhile. A connect worker waits for a classification slot before taking its next pair, so at
// most `concurrency` finds wait at once (backpressure, bounded memory).
// Memory stays flat however large the sweep: nothing is accumulated but counters, and the only
// buffer is one window of hosts for interleaving the ports.
//
// The sweep always finishes: a probe that throws counts as done, and a probe that hangs is cut
// by a hard ceiling (its AbortSignal fires and the worker moves on, whatever the probe does).
import { setMaxListeners } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export interface SweepProgress {
  /** probes finished (answered, thrown, or cut by the ceiling) */
  done: number;
  /** probes in the sweep: addresses × ports; 0 while unknown (a lazy iterable without a count) */
  total: bigint | number;
  /** probes that returned a result (an open port) */
  open: number;
  /** results that `isFound` accepted (kubelets found) */
  found: number;
  /** probes finished per second, over the last ~2 s */
  rate: number;
  /** null while the total or the rate is unknown */
  etaSeconds: number | null;
}

export interface SweepOptions<T, C = T> {
  addresses: Iterable<string>;
  ports: number[];
  /** probes (first stages) in flight at most (a pool of this many workers, fewer while `adaptive` holds them back) */
  concurrency: number;
  /** the second stage of a probe that found something (an open port: what is it?), in its own
   *  pool; without it, the probe's own result is the result */
  classify?: (host: string, port: number, found: C, signal: AbortSignal) => Promise<T | undefined>;
  /** probes in flight follow the load instead of staying at `concurrency`: from `from` (also the
   *  least), raised while the event loop keeps up, halved when it runs late (see LoopGovernor) */
  adaptive?: { from: number };
  /** classifications in flight at most (default: min(concurrency, 256)) */
  classifyConcurrency?: number;
  /** probes started per second at most (a token bucket; bursts of at most ~50 ms worth) */
  ratePerSecond?: number;
  /** one probe; undefined means nothing there. It must honour the signal; the engine does not wait
   *  for one that does not, past the ceiling */
  probe: (host: string, port: number, signal: AbortSignal) => Promise<C | undefined>;
  /** every result as it comes, never accumulated; a throw here stops the sweep and rejects it */
  onResult: (r: T) => void;
  /** progress at most every 100 ms while the sweep runs, and once at its end */
  onProgress?: (p: SweepProgress) => void;
  signal?: AbortSignal;
  /** how many addresses `addresses` yields, for the progress total and ETA (arrays count themselves) */
  addressCount?: bigint | number;
  /** which results count as `found` in progress (default: none) */
  isFound?: (r: T) => boolean;
  /** a probe that throws: told here (default: ignored), and counted as done */
  onProbeError?: (host: string, port: number, error: unknown) => void;
  /** the hard ceiling on one probe, in ms (default 30 000); a classification has its own */
  probeCeilingMs?: number;
  /** hosts taken at a time for spreading the ports across them (default: concurrency, ≤ 4096) */
  spread?: number;
}

export interface SweepSummary {
  /** most first stages and classifications in flight at once */
  peakInFlight: { probes: number; classifications: number };
  /** probes finished (answered, thrown, or cut by the ceiling); in-flight probes cut by an abort are not counted */
  done: number;
  elapsedMs: number;
  aborted: boolean;
  /** results passed to onResult */
  results: number;
  /** probes that threw */
  errors: number;
  /** probes cut by the hard ceiling */
  ceilingHits: number;
}

export class ProbeCeilingError extends Error {
  constructor(ms: number) {
    super(`probe exceeded the ${ms} ms ceiling`);
    this.name = 'ProbeCeilingError';
  }
}

const PROGRESS_INTERVAL_MS = 100;
const RATE_WINDOW_TICKS = 20; // ~2 s of 100 ms ticks
/** Probes that settle at once (a cache, a refused connect seen synchronously, a test) would chain
 *  microtasks forever and starve timers and I/O: every this many probes, the pool yields once. */
const YIELD_EVERY = 512;
export const DEFAULT_PROBE_CEILING_MS = 30_000;

/**
 * The (host, port) pairs, lazily: hosts in order (host-major), but a window of hosts at a time
 * with the ports interleaved across them, so consecutive probes hit different hosts and no host
 * gets all its ports at once: h1:p1 h2:p1 … hW:p1 h1:p2 h2:p2 … then the next window.
 */
export function* spreadPairs(addresses: Iterable<string>, ports: readonly number[], window: number): Generator<{ host: string; port: number }> {
  const w = Math.max(1, Math.floor(window));
  let block: string[] = [];
  for (const host of addresses) {
    block.push(host);
    if (block.length >= w) {
      for (const port of ports) for (const h of block) yield { host: h, port };
      block = [];
    }
  }
  for (const port of ports) for (const h of block) yield { host: h, port };
}

/** A token bucket shared by the workers: `take` resolves when a probe may start. Tokens are
 *  reserved in order (the count goes negative), so waiters are served first come, first served. */
class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor(rate: number, burst: number) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.last = performance.now();
  }

  /** false when the signal aborted the wait */
  take(signal: AbortSignal): Promise<boolean> | true {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return true;
    const waitMs = (-this.tokens * 1000) / this.rate;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, waitMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

interface Pending {
  ctl: AbortController;
  deadline: number;
  /** a first stage (a connect), not a classification */
  probe: boolean;
  /** settles the stage from outside: the watchdog (ceiling) or a stop */
  finish: (o: { kind: 'ceiling' } | { kind: 'aborted' }) => void;
}

/** A counting semaphore; `cancelAll` (a stop) gives every waiter false. No abort listener a waiter:
 *  thousands of them, removed one by one, would cost O(n) each. */
class Slots {
  private free: number;
  private readonly waiters: Array<(granted: boolean) => void> = [];
  private cancelled = false;

  constructor(n: number) {
    this.free = n;
  }

  acquire(): boolean | Promise<boolean> {
    if (this.cancelled) return false;
    if (this.free > 0) {
      this.free--;
      return true;
    }
    return new Promise<boolean>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next(true); // the slot passes straight to the waiter
    else this.free++;
  }

  cancelAll(): void {
    this.cancelled = true;
    for (const w of this.waiters.splice(0)) w(false);
  }
}

/**
 * How many probes may be in flight. A pending connect that waits on the network costs a socket and
 * no CPU, so where most probes wait (dropped packets) thousands in flight are cheap and make the
 * sweep fast; where every connect is answered at once (loopback, a LAN of closed ports) the sweep is
 * CPU-bound, and more in flight only adds memory (measured on a loopback /16: 4,096 in flight,
 * ~310 MiB and no faster than 256, ~180 MiB). Every 100 ms: with the pool full, the loop on time
 * (under 50 ms late) and at least half the probes in flight waiting longer than a tick (on the
 * network, not on this process), one `from` more; the loop over 100 ms late: halve.
 */
class LoopGovernor {
  cap: number;
  private readonly min: number;
  private readonly max: number;
  private last = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(min: number, max: number, full: () => boolean, waitingOnNetwork: (olderThan: number) => boolean, onChange: () => void) {
    this.min = min;
    this.max = max;
    this.cap = min;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.last - GOVERNOR_TICK_MS;
      this.last = now;
      const before = this.cap;
      if (late > GOVERNOR_LATE_MS) this.cap = Math.max(this.min, Math.floor(this.cap / 2));
      else if (late < GOVERNOR_ON_TIME_MS && full() && waitingOnNetwork(now - GOVERNOR_TICK_MS)) this.cap = Math.min(this.max, this.cap + this.min);
      if (this.cap > before) onChange();
    }, GOVERNOR_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
const GOVERNOR_TICK_MS = 100;
const GOVERNOR_LATE_MS = 100;
const GOVERNOR_ON_TIME_MS = 50;

type Outcome<T> = { kind: 'ok'; value: T | undefined } | { kind: 'error'; error: unknown } | { kind: 'ceiling' } | { kind: 'aborted' };

function toTotal(n: bigint): bigint | number {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export function sweep<T>(opts: SweepOptions<T, T> & { classify?: undefined }): Promise<SweepSummary>;
export function sweep<T, C>(opts: SweepOptions<T, C> & { classify: NonNullable<SweepOptions<T, C>['classify']> }): Promise<SweepSummary>;
export async function sweep<T, C>(opts: SweepOptions<T, C>): Promise<SweepSummary> {
  const concurrency = Math.floor(opts.concurrency);
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, not ${opts.concurrency}`);
  const classifyConcurrency = Math.floor(opts.classifyConcurrency ?? Math.min(concurrency, 256));
  if (!(classifyConcurrency >= 1)) throw new RangeError(`classifyConcurrency must be at least 1, not ${opts.classifyConcurrency}`);
  if (opts.ratePerSecond !== undefined && !(opts.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be above 0, not ${opts.ratePerSecond}`);
  const ceilingMs = opts.probeCeilingMs ?? DEFAULT_PROBE_CEILING_MS;
  if (!(ceilingMs > 0)) throw new RangeError(`probeCeilingMs must be above 0, not ${ceilingMs}`);
  const ports = [...opts.ports];

  const started = performance.now();
  const summary: SweepSummary = { done: 0, elapsedMs: 0, aborted: false, results: 0, errors: 0, ceilingHits: 0, peakInFlight: { probes: 0, classifications: 0 } };
  let found = 0;

  // total probes, when known
  let total = 0n;
  if (opts.addressCount !== undefined) total = BigInt(opts.addressCount) * BigInt(ports.length);
  else if (Array.isArray(opts.addresses)) total = BigInt(opts.addresses.length) * BigInt(ports.length);
  let generated = 0;

  // stopping: an abort from outside, or a failure (the iterator or onResult threw)
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every worker waiting on the rate limit listens to it
  let failure: { error: unknown } | undefined;
  // probes in flight and their deadlines: one watchdog timer for all of them, not one per probe
  const inflight = new Set<Pending>();
  // workers waiting for a classification slot: a stop releases them
  const slots = new Slots(classifyConcurrency);
  const halt = (reason: unknown) => {
    if (stop.signal.aborted) return;
    stop.abort(reason);
    slots.cancelAll();
    for (const p of inflight) {
      p.finish({ kind: 'aborted' });
      p.ctl.abort(reason);
    }
  };
  const onOuterAbort = () => {
    summary.aborted = true;
    halt(opts.signal?.reason);
  };
  if (opts.signal?.aborted) {
    summary.aborted = true;
    return summary;
  }
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const pairs = spreadPairs(opts.addresses, ports, Math.min(4096, opts.spread ?? concurrency));
  const bucket = opts.ratePerSecond === undefined ? undefined : new TokenBucket(opts.ratePerSecond, Math.max(1, Math.min(concurrency, Math.ceil(opts.ratePerSecond / 20))));

  // progress: a 100 ms tick, a short window of (time, done) samples for the rate
  const samples: Array<{ t: number; done: number }> = [];
  const snapshot = (): SweepProgress => {
    const now = performance.now();
    samples.push({ t: now, done: summary.done });
    if (samples.length > RATE_WINDOW_TICKS) samples.shift();
    const first = samples[0]!;
    const span = now - first.t;
    const rate = span >= 50 ? ((summary.done - first.done) * 1000) / span : summary.done / Math.max(0.001, (now - started) / 1000);
    const remaining = total > 0n ? Number(total) - summary.done : NaN;
    return {
      done: summary.done,
      total: toTotal(total),
      open: summary.results,
      found,
      rate,
      etaSeconds: Number.isFinite(remaining) && rate > 0 ? Math.max(0, remaining) / rate : null,
    };
  };
  const emitProgress = () => {
    try {
      opts.onProgress?.(snapshot());
    } catch {
      // a progress display must never stop a sweep
    }
  };
  const ticker = opts.onProgress ? setInterval(emitProgress, PROGRESS_INTERVAL_MS) : undefined;
  ticker?.unref();

  // the ceiling fires between ceilingMs and ceilingMs + a tenth of it (at most 1 s) late
  const watchdog = setInterval(
    () => {
      const now = performance.now();
      for (const p of inflight) {
        if (now < p.deadline) continue;
        p.finish({ kind: 'ceiling' });
        p.ctl.abort(new ProbeCeilingError(ceilingMs));
      }
    },
    Math.min(1000, Math.max(5, ceilingMs / 10)),
  );

  // one stage of a probe: settled by its own answer, the watchdog (ceiling) or a stop, whichever comes first
  const runOne = <V>(start: (signal: AbortSignal) => Promise<V | undefined>, probe: boolean): Promise<Outcome<V>> => {
    const ctl = new AbortController();
    return new Promise<Outcome<V>>((resolve) => {
      const finish = (o: Outcome<V>) => {
        if (!inflight.delete(pending)) return; // settled already
        resolve(o);
      };
      const pending: Pending = { ctl, deadline: performance.now() + ceilingMs, probe, finish };
      inflight.add(pending);
      let p: Promise<V | undefined>;
      try {
        p = start(ctl.signal);
      } catch (error) {
        finish({ kind: 'error', error });
        return;
      }
      Promise.resolve(p).then(
        (value) => finish({ kind: 'ok', value }),
        (error: unknown) => finish({ kind: 'error', error }),
      );
    });
  };

  // a finished probe (or classification): counted, its result handed over; false once the sweep stops
  const record = (host: string, port: number, o: Outcome<T>): boolean => {
    if (o.kind === 'aborted') return false;
    summary.done++;
    if (o.kind === 'ceiling') summary.ceilingHits++;
    else if (o.kind === 'error') {
      summary.errors++;
      try {
        opts.onProbeError?.(host, port, o.error);
      } catch {
        // diagnostics only
      }
    } else if (o.value !== undefined) {
      summary.results++;
      try {
        if (opts.isFound?.(o.value)) found++;
        opts.onResult(o.value);
      } catch (error) {
        failure ??= { error };
        halt(error);
        return false;
      }
    }
    return true;
  };

  const classifying = new Set<Promise<void>>();
  let probesInFlight = 0;
  let classificationsInFlight = 0;
  // The workers: as many as may be in flight now (the governor's cap, else `concurrency`), each with
  // at most one probe at a time. Not `concurrency` workers of which most wait for room: 4,096 of
  // them, one woken through a promise a probe, made a loopback /16 slower than a fixed 256 did
  // (11.2 s against 8.2 s, docs/benchmarks.md).
  // A rise in the cap starts more (spawn); above a lowered cap, a worker stops after its probe.
  let workers = 0;
  let exhausted = false;
  let allStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (allStopped = resolve));
  const room = (): number => governor?.cap ?? concurrency;
  const spawn = (): void => {
    while (workers < room() && !exhausted && !stop.signal.aborted) {
      workers++;
      const exit = () => {
        if (--workers === 0) allStopped();
      };
      worker().then(exit, exit);
    }
  };
  const governor: LoopGovernor | undefined = opts.adaptive ? new LoopGovernor(Math.min(concurrency, Math.max(1, Math.floor(opts.adaptive.from))), concurrency, () => probesInFlight >= (governor?.cap ?? 0), (before) => {
    // started before `before`: its deadline is earlier than before + ceilingMs
    let old = 0;
    for (const p of inflight) if (p.probe && p.deadline < before + ceilingMs) old++;
    return old * 2 >= probesInFlight;
  }, spawn) : undefined;
  const classifyLater = (host: string, port: number, value: C, classify: NonNullable<SweepOptions<T, C>['classify']>) => {
    const job = (async () => {
      summary.peakInFlight.classifications = Math.max(summary.peakInFlight.classifications, ++classificationsInFlight);
      try {
        record(host, port, await runOne((signal) => classify(host, port, value, signal), false));
      } finally {
        classificationsInFlight--;
        slots.release();
      }
    })();
    classifying.add(job);
    void job.finally(() => classifying.delete(job));
  };

  let sinceYield = 0;
  const worker = async () => {
    while (!stop.signal.aborted && workers <= room()) {
      let next: IteratorResult<{ host: string; port: number }>;
      try {
        next = pairs.next();
      } catch (error) {
        failure ??= { error };
        halt(error);
        return;
      }
      if (next.done) {
        exhausted = true;
        total = BigInt(generated);
        return;
      }
      generated++;
      if (bucket) {
        const t = bucket.take(stop.signal);
        if (t !== true && !(await t)) return;
      }
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEventLoop();
        if (stop.signal.aborted) return;
      }
      const { host, port } = next.value;
      summary.peakInFlight.probes = Math.max(summary.peakInFlight.probes, ++probesInFlight);
      const o = await runOne((signal) => opts.probe(host, port, signal), true);
      probesInFlight--;
      if (o.kind === 'ok' && o.value !== undefined && opts.classify) {
        // found: to the classification pool, once a slot is free (this worker waits for it: backpressure)
        const got = slots.acquire();
        if (got !== true && !(await got)) return;
        if (stop.signal.aborted) {
          slots.release();
          return;
        }
        classifyLater(host, port, o.value, opts.classify);
        continue;
      }
      if (!record(host, port, o as Outcome<T>)) return;
    }
  };

  try {
    spawn();
    await stopped;
    while (classifying.size > 0) await Promise.all([...classifying]);
  } finally {
    governor?.stop();
    clearInterval(watchdog);
    if (ticker) clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    try {
      pairs.return(undefined); // closes the address iterator (a file, a generator) early on a stop
    } catch {
      // the iterator's own cleanup failed: nothing to add
    }
  }
  summary.elapsedMs = performance.now() - started;
  if (opts.onProgress) emitProgress();
  if (failure) throw failure.error;
  return summary;
}

// The sweep's TCP connects on other CPUs. Where every connect is answered at once (loopback, a LAN
// of closed ports) a sweep is CPU-bound, and most of its CPU is the kernel's work for each socket
// (socket, connect, the RST, close) done in the thread that calls connect(); one thread of Node
// reached about nmap's rate and no more (docs/benchmarks.md). Worker threads share that work: the
// main thread keeps the sweep (engine.ts: the pairs, the pools, the timing, the classification,
// the output) and sends the connects to the threads in batches, one message a turn per thread, and
// gets their verdicts back the same way. They start when they pay (connectsOnDemand): not where
// connects wait on dropped packets.
//
// Each thread runs tcp-connect.ts's handle connect from its source (`verdictTimer` and
// `handleConnector` are self-contained for this), so a verdict is reached the same way in a thread
// as in the main thread, and a thread's event loop, which does nothing else, is never late to one.
// A thread that fails or exits hands its pending connects back to the main thread: none is lost or
// left waiting. Names (which need a DNS lookup) and bound local ends stay in the main thread.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { REFUSED_STATUSES, familyOf, fromRaw, handleConnector, loadTcpWrap, tcpConnect, verdictTimer, type RawConnect, type TcpConnect, type TcpConnectResult, type TcpWrap } from './tcp-connect.ts';

/** threads at most, whatever the CPUs: past this the kernel's loopback locks, not CPUs, limit */
export const MAX_CONNECT_THREADS = 4;
/** a sweep smaller than this connects in the main thread: starting a thread costs more than it saves */
export const THREADED_SWEEP_MIN_PROBES = 4096;
/** a thread's young generation (V8's default would grow it to 64 MiB a thread) */
const THREAD_YOUNG_GENERATION_MB = 16;

/** The connect threads a sweep of `probes` may use by default: one per CPU, at most 4; none on one CPU or for a small sweep. */
export function defaultConnectThreads(probes: number, cpus: number): number {
  return cpus >= 2 && probes >= THREADED_SWEEP_MIN_PROBES ? Math.min(MAX_CONNECT_THREADS, cpus) : 0;
}

/**
 * Why no thread can connect in this process, or undefined when they can. In the single executable
 * (built with a start-up snapshot, scripts/build-sea.js) Node 24 aborts a worker thread that loads a
 * socket binding ("Assertion failed: tcp_constructor_template_.IsEmpty()", and the same for net's
 * stream bindings; measured with 24.21): a worker there never touches the network.
 */
export function connectThreadsUnavailable(): string | undefined {
  if (process.getBuiltinModule('node:sea')?.isSea()) return 'the single executable connects in its main thread (Node aborts a worker thread that opens a socket in an executable built from a start-up snapshot)';
  if (!loadTcpWrap()) return "Node's TCP handle cannot be used in this process (--permission or --pending-deprecation)";
  return undefined;
}

/**
 * The whole program of a connect thread, run from its source with `verdictTimer` and
 * `handleConnector` beside it: nothing from outside but globals. In: batches of connects, their
 * numbers [id, family, port, timeoutMs] in a Float64Array and their hosts in one string, one a line
 * (one buffer and one string to copy, not an object a connect); out: a Float64Array of
 * [id, state (0 open, 1 closed, 2 filtered), ms, status, flags (1 timed out, 2 self-connect)].
 */
function connectThreadMain(): void {
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
  const wrap = (process as unknown as { binding: (name: string) => unknown }).binding('tcp_wrap') as TcpWrap;
  const connect = handleConnector(wrap, (workerData as { refused: number[] }).refused);
  let out: number[] = [];
  let queued = false;
  const flush = (): void => {
    queued = false;
    const batch = Float64Array.from(out);
    out = [];
    parentPort!.postMessage(batch, [batch.buffer]);
  };
  parentPort!.on('message', (batch: { nums: Float64Array; hosts: string }) => {
    const hosts = batch.hosts.split('\n');
    const nums = batch.nums;
    for (let i = 0, k = 0; i + 3 < nums.length; i += 4, k++) {
      const id = nums[i]!;
      void connect(hosts[k]!, nums[i + 1] as 4 | 6, nums[i + 2]!, nums[i + 3]!).then((r: RawConnect) => {
        out.push(id, r.state === 'open' ? 0 : r.state === 'closed' ? 1 : 2, r.ms, r.status ?? 0, (r.timedOut ? 1 : 0) | (r.selfConnect ? 2 : 0));
        if (!queued) {
          queued = true;
          setImmediate(flush);
        }
      });
    }
  });
}

const STATES = ['open', 'closed', 'filtered'] as const;

interface Pending {
  host: string;
  port: number;
  timeoutMs: number;
  resolve: (r: TcpConnectResult) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** the next batch: [id, family, port, timeoutMs] a connect, and its hosts */
  nums: number[];
  hosts: string[];
  alive: boolean;
}

export interface ConnectThreads {
  /** tcpConnect through the threads (names, bound local ends and a thread that failed: the main thread) */
  connect: TcpConnect;
  /** threads started */
  readonly threads: number;
  /** threads that failed, their connects made in the main thread instead */
  readonly failed: number;
  /** ends the threads; a connect still pending (a stopped sweep) is answered "filtered" */
  close(): Promise<void>;
}

/**
 * `n` connect threads, or undefined where they cannot be (connectThreadsUnavailable).
 * `source` replaces the threads' program (tests: a thread that fails).
 */
export function startConnectThreads(n: number, source = `${verdictTimer.toString()}\n${handleConnector.toString()}\n(${connectThreadMain.toString()})();`): ConnectThreads | undefined {
  if (!(n >= 1) || connectThreadsUnavailable() !== undefined) return undefined;
  let nextId = 0;
  let next = 0;
  let flushQueued = false;
  let failed = 0;
  let closed = false;

  // a thread keeps the process alive only while it has connects pending (a sweep that forgets to
  // close them never hangs the exit)
  const settle = (t: Thread, id: number): Pending | undefined => {
    const p = t.pending.get(id);
    if (!p) return undefined;
    t.pending.delete(id);
    if (t.pending.size === 0) t.worker.unref();
    return p;
  };
  // a thread that fails or exits: its pending connects are made again in the main thread
  const lose = (t: Thread): void => {
    if (!t.alive) return;
    t.alive = false;
    if (!closed) failed++;
    const left = [...t.pending.values()];
    t.pending.clear();
    t.nums = [];
    t.hosts = [];
    t.worker.unref();
    for (const p of left) {
      if (closed) p.resolve({ state: 'filtered', ms: 0, detail: 'the scan stopped' });
      else void tcpConnect(p.host, p.port, p.timeoutMs).then(p.resolve);
    }
  };
  const threads: Thread[] = Array.from({ length: n }, () => {
    const worker = new Worker(source, { eval: true, workerData: { refused: [...REFUSED_STATUSES] }, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB }, stdout: false, stderr: false });
    const t: Thread = { worker, pending: new Map(), nums: [], hosts: [], alive: true };
    worker.unref();
    worker.on('message', (m: Float64Array) => {
      for (let i = 0; i + 4 < m.length; i += 5) {
        const p = settle(t, m[i]!);
        if (!p) continue;
        const flags = m[i + 4]!;
        const raw: RawConnect = { state: STATES[m[i + 1]!] ?? 'filtered', ms: m[i + 2]!, ...(m[i + 3] ? { status: m[i + 3]! } : {}), ...(flags & 1 ? { timedOut: true as const } : {}), ...(flags & 2 ? { selfConnect: true as const } : {}) };
        p.resolve(fromRaw(raw, p.timeoutMs));
      }
    });
    worker.on('error', () => lose(t));
    worker.on('exit', () => lose(t));
    return t;
  });

  const flush = (): void => {
    flushQueued = false;
    for (const t of threads) {
      if (!t.alive || t.hosts.length === 0) continue;
      const nums = Float64Array.from(t.nums);
      const hosts = t.hosts.join('\n');
      t.nums = [];
      t.hosts = [];
      t.worker.postMessage({ nums, hosts }, [nums.buffer]);
    }
  };
  const pick = (): Thread | undefined => {
    for (let k = 0; k < threads.length; k++) {
      const t = threads[next]!;
      next = (next + 1) % threads.length;
      if (t.alive) return t;
    }
    return undefined;
  };

  const connect: TcpConnect = (host, port, timeoutMs, opts = {}) => {
    const family = familyOf(host);
    const t = closed || family === 0 || opts.localAddress !== undefined || opts.localPort !== undefined || !Number.isInteger(port) || port < 1 || port > 65535 ? undefined : pick();
    if (!t) return tcpConnect(host, port, timeoutMs, opts);
    return new Promise<TcpConnectResult>((resolve) => {
      const id = nextId++;
      if (t.pending.size === 0) t.worker.ref();
      t.pending.set(id, { host, port, timeoutMs, resolve });
      t.nums.push(id, family, port, timeoutMs);
      t.hosts.push(host);
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    });
  };

  return {
    connect,
    threads: n,
    get failed() {
      return failed;
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
      for (const t of threads) lose(t);
    },
  };
}

/** how often the starter looks at the sweep, and how much of it it needs to see */
const STARTER_TICK_MS = 250;
const STARTER_MIN_CONNECTS = 1000;
/** the main thread busy at least this share of a tick (performance.eventLoopUtilization) */
const STARTER_BUSY = 0.9;

export interface ConnectsOnDemand {
  /** tcpConnect: through the threads once they started, here until then */
  connect: TcpConnect;
  /** one connect's outcome: answered (open or closed) or not (filtered) */
  observe(answered: boolean): void;
  /** threads working now (0: none started, or all failed) */
  threads(): number;
  close(): Promise<void>;
}

/**
 * The connect threads of a sweep of `probes`, started when they pay. `immediate` (--threads given): at once.
 * Otherwise once the sweep is CPU-bound on answers: in a quarter second in which the main thread was
 * busy 90% of the time and 9 of 10 of at least 1,000 connects were answered (a LAN, loopback: the
 * kernel's work a socket is the sweep's cost, and threads share it), with 4,096 probes or more
 * still to make. Not where most connects wait on dropped packets (a firewalled network): there the
 * time is the network's, and threads would add only their memory (measured: 45-60 MiB more on a
 * firewalled /19 for no gain; docs/benchmarks.md).
 */
export function connectsOnDemand(n: number, opts: { immediate: boolean; probes: number }): ConnectsOnDemand {
  let threads: ConnectThreads | undefined;
  let seen = 0;
  let answered = 0;
  let unanswered = 0;
  let last = performance.eventLoopUtilization();
  const start = (): void => {
    clearInterval(timer);
    threads ??= startConnectThreads(n);
  };
  const timer = setInterval(() => {
    const busy = performance.eventLoopUtilization(last).utilization;
    last = performance.eventLoopUtilization();
    const [a, u] = [answered, unanswered];
    answered = unanswered = 0;
    if (opts.probes - seen < THREADED_SWEEP_MIN_PROBES) clearInterval(timer);
    else if (busy >= STARTER_BUSY && a + u >= STARTER_MIN_CONNECTS && a >= 9 * u) start();
  }, STARTER_TICK_MS);
  timer.unref();
  if (!(n >= 1)) clearInterval(timer);
  else if (opts.immediate) start();
  return {
    connect: (host, port, timeoutMs, o) => (threads ? threads.connect(host, port, timeoutMs, o) : tcpConnect(host, port, timeoutMs, o)),
    observe(ok) {
      seen++;
      if (ok) answered++;
      else unanswered++;
    },
    threads: () => (threads ? threads.threads - threads.failed : 0),
    async close() {
      clearInterval(timer);
      await threads?.close();
    },
  };
}

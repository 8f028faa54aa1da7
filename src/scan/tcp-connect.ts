// One TCP connect: is the port open, closed or filtered? The sweep's first stage, made hundreds of
// thousands of times, so its cost per connect is the sweep's speed.
//
// Two ways, one verdict. `net.connect` builds a whole net.Socket (a stream, an event emitter, an
// Error with a message for every refusal) to learn one status; on a loopback /16 that machinery and
// its garbage were over half the sweep's CPU. libuv's TCP handle, which net.Socket wraps, answers
// the same question with one callback and a number: `process.binding('tcp_wrap')`. It is not a
// public API, so it is used only where it exists with the shape relied on here (checked once, at
// first use), the process allows it (not under --permission) and it would not print a deprecation
// warning (--pending-deprecation); elsewhere, and for names rather than addresses, net.connect. The
// tests run every case through both (tcp-connect.test.ts), so a Node that changes the handle fails
// them instead of the scan silently going wrong.
import net from 'node:net';
import os from 'node:os';
import { getSystemErrorName } from 'node:util';
import { errnoWords, errorWords } from '../sources/errno.ts';

export interface TcpConnectResult {
  state: 'open' | 'closed' | 'filtered';
  ms: number;
  detail?: string;
  /** filtered because no answer came in time (not a no-route or other error): worth a retry */
  timedOut?: true;
}

export interface TcpConnectOptions {
  /** bind the local end first (tests use it to provoke a self-connect) */
  localAddress?: string;
  localPort?: number;
}

export type TcpConnect = (host: string, port: number, timeoutMs: number, opts?: TcpConnectOptions) => Promise<TcpConnectResult>;

const SELF_CONNECT = 'TCP self-connect: nothing listens on the port';

/** A connection to itself (TCP simultaneous open on loopback) proves nothing listens. */
export function isSelfConnect(s: net.Socket): boolean {
  return s.localPort !== undefined && s.localPort === s.remotePort && s.localAddress === s.remoteAddress;
}

/** A refusal (RST) is "closed"; anything else that is not an answer (no route, no address) "filtered". */
function refused(code: string): boolean {
  return code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

/**
 * The verdict's timer. Its firing proves only that the time passed, not that no answer came: when
 * the event loop was busy past the deadline, the SYN-ACK (or RST) may be waiting in the kernel,
 * undispatched, and timers run before I/O in a loop turn. So the verdict waits for the check phase
 * (setImmediate), after the poll phase that follows the timers: an answer that arrived before that
 * poll, which is later than the deadline, is seen first. `connected` then tells a connect whose
 * callback has not run yet (not a timeout).
 * Self-contained (globals only): the connect threads run its source (connect-threads.ts).
 */
export function verdictTimer(timeoutMs: number, isDone: () => boolean, connected: () => boolean, onConnected: () => void, onTimeout: () => void): ReturnType<typeof setTimeout> {
  const ms = Number.isFinite(timeoutMs) && timeoutMs >= 0 ? Math.min(Math.round(timeoutMs), 2 ** 31 - 1) : 1000;
  return setTimeout(() => {
    if (isDone()) return;
    setImmediate(() => {
      if (isDone()) return;
      if (connected()) onConnected();
      else onTimeout();
    });
  }, ms);
}

/** The connect through net.Socket: any host (a name is resolved first), any Node. */
export const tcpConnectSocket: TcpConnect = (host, port, timeoutMs, opts = {}) =>
  new Promise<TcpConnectResult>((resolve) => {
    const t0 = performance.now();
    const elapsed = (): number => Math.round(performance.now() - t0);
    let sock: net.Socket;
    try {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${String(port)}`);
      sock = net.connect({ host, port, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}), ...(opts.localPort ? { localPort: opts.localPort } : {}) });
    } catch (err) {
      resolve({ state: 'filtered', ms: elapsed(), detail: errorWords(err) });
      return;
    }
    let done = false;
    let timedOut = false;
    const finish = (state: TcpConnectResult['state'], detail?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.on('error', () => {});
      sock.destroy();
      resolve({ state, ms: elapsed(), ...(detail !== undefined ? { detail } : {}), ...(timedOut ? { timedOut: true as const } : {}) });
    };
    const connected = (): void => {
      if (isSelfConnect(sock)) finish('closed', SELF_CONNECT);
      else finish('open');
    };
    sock.on('error', (err: NodeJS.ErrnoException) => {
      const code = typeof err.code === 'string' ? err.code : '';
      if (refused(code)) finish('closed', errnoWords(code));
      else finish('filtered', errorWords(err));
    });
    sock.once('connect', connected);
    const timer = verdictTimer(timeoutMs, () => done, () => !sock.connecting && !sock.destroyed && sock.remoteAddress !== undefined, connected, () => {
      timedOut = true;
      finish('filtered', `no answer within ${timeoutMs} ms`);
    });
  });

// ---- libuv's TCP handle ------------------------------------------------------------------------

interface SockName {
  address?: string;
  port?: number;
}
interface ConnectRequest {
  oncomplete: (status: number) => void;
}
/** the part of node's tcp_wrap relied on here (src/tcp_wrap.cc: TCPWrap, TCPConnectWrap) */
interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  connect(req: ConnectRequest, address: string, port: number): number;
  connect6(req: ConnectRequest, address: string, port: number): number;
  getsockname(out: SockName): number;
  getpeername(out: SockName): number;
  close(): void;
}
export interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectRequest;
  constants: { SOCKET: number };
}

function pendingDeprecation(): boolean {
  return process.execArgv.includes('--pending-deprecation') || /(^|\s)--pending-deprecation(\s|$)/.test(process.env.NODE_OPTIONS ?? '') || process.env.NODE_PENDING_DEPRECATION === '1';
}

let tcpWrap: TcpWrap | null | undefined;
/** node's tcp_wrap binding where it can be used as relied on here; null where not */
export function loadTcpWrap(): TcpWrap | null {
  if (tcpWrap !== undefined) return tcpWrap;
  tcpWrap = null;
  if (pendingDeprecation()) return tcpWrap;
  try {
    const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
    const b = binding?.call(process, 'tcp_wrap') as Partial<TcpWrap> | undefined;
    if (typeof b?.TCP !== 'function' || typeof b.TCPConnectWrap !== 'function' || typeof b.constants?.SOCKET !== 'number') return tcpWrap;
    const h = new b.TCP(b.constants.SOCKET);
    const shaped = (['bind', 'bind6', 'connect', 'connect6', 'getsockname', 'getpeername', 'close'] as const).every((m) => typeof h[m] === 'function');
    h.close();
    if (shaped) tcpWrap = b as TcpWrap;
  } catch {
    // --permission forbids it (ERR_ACCESS_DENIED), or a Node without it: net.connect
  }
  return tcpWrap;
}

/** What a connect through the handle saw, before it is put in words (codes cross threads as numbers). */
export interface RawConnect {
  state: TcpConnectResult['state'];
  ms: number;
  /** libuv's status (a negative errno) when the connect failed */
  status?: number;
  timedOut?: true;
  selfConnect?: true;
}

/** libuv's statuses for a refusal (RST), this platform's -ECONNREFUSED and -ECONNRESET */
export const REFUSED_STATUSES: readonly number[] = [-os.constants.errno.ECONNREFUSED, -os.constants.errno.ECONNRESET];

/**
 * Connects through libuv's TCP handle: `family` 4 or 6, the address already checked. Self-contained
 * (its parameters and globals only, `verdictTimer` by name): the connect threads run its source.
 */
export function handleConnector(wrap: TcpWrap, refusedStatuses: readonly number[]) {
  return (host: string, family: 4 | 6, port: number, timeoutMs: number, localAddress?: string, localPort?: number): Promise<RawConnect> =>
    new Promise<RawConnect>((resolve) => {
      const t0 = performance.now();
      const handle = new wrap.TCP(wrap.constants.SOCKET);
      let done = false;
      const finish = (r: Omit<RawConnect, 'ms'>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        handle.close(); // a connect still pending is cancelled: its callback comes with done set
        resolve({ ...r, ms: Math.round(performance.now() - t0) });
      };
      // a refusal (RST) is "closed"; no route, no address and the like "filtered"
      const fail = (status: number): void => finish({ state: refusedStatuses.includes(status) ? 'closed' : 'filtered', status });
      const connected = (): void => {
        const local: SockName = {};
        const peer: SockName = {};
        if (handle.getsockname(local) === 0 && handle.getpeername(peer) === 0 && local.port === peer.port && local.address === peer.address) finish({ state: 'closed', selfConnect: true });
        else finish({ state: 'open' });
      };
      const timer = verdictTimer(timeoutMs, () => done, () => handle.getpeername({}) === 0, connected, () => finish({ state: 'filtered', timedOut: true }));
      const req = new wrap.TCPConnectWrap();
      req.oncomplete = (status) => {
        if (done) return;
        if (status === 0) connected();
        else fail(status);
      };
      if (localAddress !== undefined || localPort !== undefined) {
        const local = localAddress ?? (family === 4 ? '0.0.0.0' : '::');
        const bound = family === 4 ? handle.bind(local, localPort ?? 0) : handle.bind6(local, localPort ?? 0, 0);
        if (bound !== 0) return fail(bound); // the handle is closed: no connect
      }
      const status = family === 4 ? handle.connect(req, host, port) : handle.connect6(req, host, port);
      if (status !== 0) fail(status);
    });
}

/** A raw connect in the words of the other way: ECONNREFUSED is "connection refused". */
export function fromRaw(raw: RawConnect, timeoutMs: number): TcpConnectResult {
  let detail: string | undefined;
  if (raw.selfConnect) detail = SELF_CONNECT;
  else if (raw.timedOut) detail = `no answer within ${timeoutMs} ms`;
  else if (raw.status !== undefined) {
    let code: string;
    try {
      code = getSystemErrorName(raw.status);
    } catch {
      code = `E${-raw.status}`;
    }
    detail = errnoWords(code);
  }
  return { state: raw.state, ms: raw.ms, ...(detail !== undefined ? { detail } : {}), ...(raw.timedOut ? { timedOut: true as const } : {}) };
}

/** the address family the handle takes: 4, 6, or 0 for a name (net.connect resolves it) */
export function familyOf(host: string): 0 | 4 | 6 {
  return net.isIPv4(host) ? 4 : net.isIPv6(host) ? 6 : 0;
}

let viaHandle: ReturnType<typeof handleConnector> | undefined;
/** The connect through libuv's TCP handle: addresses only (`undefined` for a name, or where the handle cannot be used). */
export function tcpConnectHandle(host: string, port: number, timeoutMs: number, opts: TcpConnectOptions = {}): Promise<TcpConnectResult> | undefined {
  const wrap = loadTcpWrap();
  const family = familyOf(host);
  if (!wrap || family === 0) return undefined;
  if (opts.localAddress !== undefined && net.isIP(opts.localAddress) !== family) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return Promise.resolve({ state: 'filtered', ms: 0, detail: `invalid port ${String(port)}` });
  viaHandle ??= handleConnector(wrap, REFUSED_STATUSES);
  return viaHandle(host, family, port, timeoutMs, opts.localAddress, opts.localPort).then((raw) => fromRaw(raw, timeoutMs));
}

/**
 * One TCP connect: open, closed (refused, or a self-connect: nothing listens) or filtered (no answer
 * in time, or no route). Through libuv's handle where it can be, else net.connect.
 */
export const tcpConnect: TcpConnect = (host, port, timeoutMs, opts = {}) => tcpConnectHandle(host, port, timeoutMs, opts) ?? tcpConnectSocket(host, port, timeoutMs, opts);

// The scanner's HTTP(S) client (contract: http-contract.ts). One request per connection, built on
// node:net, node:tls and node:http, because they hit per-phase deadlines exactly. Every phase
// (connect, TLS handshake, response headers, body) has its own timer that destroys the socket when it
// fires. Redirects are never followed, bodies are never decompressed (no Accept-Encoding is sent), at
// most maxBodyBytes are kept, and certificates are inspected, not trusted. It never throws and leaves
// no socket open: every path ends in finish(), which destroys everything.
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { X509Certificate, createDecipheriv, createHmac, type DecipherGCM } from 'node:crypto';
import { ByteSink } from '../net/byte-sink.ts';
import { DEFAULT_TIMEOUTS } from './http-contract.ts';
import type { HttpErrorKind, HttpRequest, HttpResponse, HttpResult, PeerCertificateInfo, Timeouts } from './http-contract.ts';
import { errorWords } from '../sources/errno.ts';
import { isSelfConnect } from './tcp-connect.ts';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
/** the server's handshake bytes kept to tell whether it asked for a client certificate */
const MAX_CAPTURE_BYTES = 256 * 1024;
const MAX_CHAIN = 16;
const MAX_TIMER_MS = 2 ** 31 - 1;

type Phase = 'connect' | 'tls' | 'headers' | 'body' | 'done';
type TlsFacts = NonNullable<HttpResponse['tls']>;

function errCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** An error in words: a system error's code as its meaning ("connection reset by peer: …"), never ECONNRESET. */
function errText(err: unknown): string {
  return errorWords(err);
}

/** Printable ASCII of the first bytes of what a non-HTTP server said, for the detail. */
function printable(buf: Buffer | undefined, max = 64): string {
  if (!buf || buf.length === 0) return '';
  return buf
    .subarray(0, max)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : '.'));
}

function clampMs(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), MAX_TIMER_MS) : fallback;
}

// Node's own checks, done before any connection so that an invalid request touches no network.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_PATH = /[^\u0021-\u00ff]/;

function invalidRequest(req: HttpRequest): string | undefined {
  if (typeof req.host !== 'string' || req.host === '' || req.host.startsWith('[')) return 'host must be an address or a name, IPv6 without brackets';
  if (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535) return `invalid port ${String(req.port)}`;
  if (typeof req.method !== 'string' || !TOKEN.test(req.method)) return 'invalid method';
  if (typeof req.path !== 'string' || !req.path.startsWith('/') || INVALID_PATH.test(req.path)) return 'invalid path';
  try {
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    }
    if (req.auth?.token !== undefined) http.validateHeaderValue('authorization', `Bearer ${req.auth.token}`);
  } catch (err) {
    // the message may quote the value (a token): keep only the code
    return `invalid header (${errCode(err) || 'rejected'})`;
  }
  return undefined;
}

/** TLS contexts without a client certificate, by their options: the classifications take a handful
 *  of option sets (the protocol and weak-suite probes), the same on every host, and an OpenSSL
 *  context a connection was 3% of the main thread's time sweeping a /16 with 55 kubelets. */
const sharedContexts = new Map<string, tls.SecureContext>();
const MAX_SHARED_CONTEXTS = 64;

function sharedContext(o: tls.SecureContextOptions): tls.SecureContext {
  const key = `${o.minVersion ?? ''}|${o.maxVersion ?? ''}|${o.ciphers ?? ''}`;
  let c = sharedContexts.get(key);
  if (!c) {
    if (sharedContexts.size >= MAX_SHARED_CONTEXTS) sharedContexts.clear();
    c = tls.createSecureContext(o);
    sharedContexts.set(key, c);
  }
  return c;
}

/**
 * Sits between the TCP socket and TLS: passes bytes both ways and keeps a copy of the first server
 * bytes (the handshake), so that a CertificateRequest can be seen.
 */
class Tap extends Duplex {
  readonly #raw: net.Socket;
  /** one buffer, not a Buffer per chunk: a server that sends its handshake a byte at a time holds no more */
  readonly captured = new ByteSink(MAX_CAPTURE_BYTES);
  capturing = true;
  overflow = false;

  constructor(raw: net.Socket) {
    super();
    this.#raw = raw;
    raw.on('data', (chunk: Buffer) => {
      if (this.capturing && !this.captured.append(chunk)) {
        this.capturing = false;
        this.overflow = true;
        this.captured.clear();
      }
      if (!this.push(chunk)) raw.pause();
    });
    raw.pause();
    // EOF is passed on, never a destroy: data still buffered here must reach TLS first
    let eof = false;
    const end = (): void => {
      if (eof) return;
      eof = true;
      this.push(null);
    };
    raw.on('end', end);
    raw.on('close', end);
    raw.on('error', (err) => this.destroy(err));
  }

  override _read(): void {
    this.#raw.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.#raw.destroyed) cb(Object.assign(new Error('socket closed'), { code: 'ECONNRESET' }));
    else this.#raw.write(chunk, (err) => cb(err ?? null));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#raw.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#raw.destroy();
    cb(err);
  }

  stopCapture(): Buffer | undefined {
    this.capturing = false;
    if (this.overflow) return undefined;
    return this.captured.take();
  }
}

// ---- Did the server send a CertificateRequest? -------------------------------------------------
// TLS 1.2: the server's flight is plaintext until ServerHelloDone. TLS 1.3: everything after the
// ServerHello is encrypted with the server handshake traffic secret, which Node hands us through the
// 'keylog' event; with it, the flight (EncryptedExtensions, CertificateRequest?, Certificate, …) can
// be read. Anything unexpected → undefined ("could not tell").

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const TLS13_SUITES: Record<number, { alg: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; hash: string; keyLen: number }> = {
  0x1301: { alg: 'aes-128-gcm', hash: 'sha256', keyLen: 16 },
  0x1302: { alg: 'aes-256-gcm', hash: 'sha384', keyLen: 32 },
  0x1303: { alg: 'chacha20-poly1305', hash: 'sha256', keyLen: 32 },
};

function hkdfExpandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    prev = createHmac(hash, secret).update(prev).update(info).update(Buffer.from([i])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

interface ServerHello {
  hrr: boolean;
  tls13: boolean;
  suite: number;
}

function parseServerHello(msg: Buffer): ServerHello | undefined {
  if (msg.length < 38) return undefined;
  const hrr = msg.subarray(2, 34).equals(HRR_RANDOM);
  let off = 34;
  const sidLen = msg[off]!;
  off += 1 + sidLen;
  if (off + 3 > msg.length) return undefined;
  const suite = msg.readUInt16BE(off);
  off += 3; // suite, compression
  let tls13 = false;
  if (off + 2 <= msg.length) {
    const end = Math.min(msg.length, off + 2 + msg.readUInt16BE(off));
    off += 2;
    while (off + 4 <= end) {
      const type = msg.readUInt16BE(off);
      const len = msg.readUInt16BE(off + 2);
      if (type === 43 && len === 2 && off + 6 <= end) tls13 = msg.readUInt16BE(off + 4) === 0x0304;
      off += 4 + len;
    }
  }
  return { hrr, tls13, suite };
}

/** true / false when the server's handshake flight shows it, undefined when it cannot be told. */
export function sawCertificateRequest(data: Buffer, keylog: readonly string[]): boolean | undefined {
  let off = 0;
  // handshake messages may span records, and records may be one byte each: gather them in one
  // growing buffer (appending by concatenation would be quadratic)
  const gathered = new ByteSink(data.length);
  let tls13 = false;
  let keys: { alg: string; key: Buffer; iv: Buffer; seq: bigint } | undefined;
  while (off + 5 <= data.length) {
    const type = data[off]!;
    const len = data.readUInt16BE(off + 3);
    if (off + 5 + len > data.length) return undefined;
    const header = data.subarray(off, off + 5);
    const payload = data.subarray(off + 5, off + 5 + len);
    off += 5 + len;
    let content: Buffer;
    if (type === 22) {
      if (keys) return undefined; // plaintext handshake after the keys changed
      content = payload;
    } else if (type === 23 && tls13 && keys) {
      if (payload.length < 17) return undefined;
      const nonce = Buffer.from(keys.iv);
      const seq = Buffer.alloc(8);
      seq.writeBigUInt64BE(keys.seq);
      keys.seq += 1n;
      for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seq[i]!;
      let plain: Buffer;
      try {
        const d = createDecipheriv(keys.alg as 'aes-128-gcm', keys.key, nonce, { authTagLength: 16 }) as DecipherGCM;
        d.setAAD(header);
        d.setAuthTag(payload.subarray(payload.length - 16));
        plain = Buffer.concat([d.update(payload.subarray(0, payload.length - 16)), d.final()]);
      } catch {
        return undefined;
      }
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      if (end === 0) return undefined;
      const inner = plain[end - 1];
      if (inner === 21) return undefined; // an alert instead of the flight
      if (inner !== 22) continue;
      content = plain.subarray(0, end - 1);
    } else if (type === 20) {
      // ChangeCipherSpec: TLS 1.3 middlebox compatibility; in TLS 1.2 a resumed session (no CertificateRequest)
      if (!tls13) return false;
      continue;
    } else {
      return undefined; // an alert, or something that is not TLS
    }
    gathered.append(content);
    let hs = gathered.view();
    while (hs.length >= 4) {
      const mtype = hs[0]!;
      const mlen = hs.readUIntBE(1, 3);
      if (hs.length < 4 + mlen) break;
      const msg = hs.subarray(4, 4 + mlen);
      hs = hs.subarray(4 + mlen);
      if (mtype === 2) {
        const sh = parseServerHello(msg);
        if (!sh) return undefined;
        tls13 = sh.tls13;
        if (sh.hrr) continue; // HelloRetryRequest: another (plaintext) ServerHello follows
        if (tls13) {
          const suite = TLS13_SUITES[sh.suite];
          const line = keylog.find((l) => l.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET '));
          const secretHex = line?.trim().split(' ')[2];
          if (!suite || !secretHex) return undefined;
          const secret = Buffer.from(secretHex, 'hex');
          keys = { alg: suite.alg, key: hkdfExpandLabel(suite.hash, secret, 'key', suite.keyLen), iv: hkdfExpandLabel(suite.hash, secret, 'iv', 12), seq: 0n };
          if (hs.length) return undefined;
        }
      } else if (mtype === 13) {
        return true;
      } else if (tls13 && (mtype === 11 || mtype === 20)) {
        return false; // in TLS 1.3 a CertificateRequest comes before the Certificate and Finished
      } else if (!tls13 && mtype === 14) {
        return false; // TLS 1.2 ServerHelloDone ends the server's flight
      }
    }
    if (hs.length < gathered.length) {
      // keep only the unfinished message (copied only after a message was taken: not per record)
      const rest = Buffer.from(hs);
      gathered.reset();
      gathered.append(rest);
    }
  }
  return undefined;
}

// ---- Certificates -------------------------------------------------------------------------------

/** "DNS:a, IP Address:1.2.3.4" → entries, respecting the quotes Node puts around odd values. */
function splitSans(s: string | undefined): string[] | undefined {
  if (!s) return undefined;
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && c === ',' && s[i + 1] === ' ') {
      out.push(cur);
      cur = '';
      i++;
      continue;
    }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function isoDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

function peerInfo(cert: tls.DetailedPeerCertificate | undefined): PeerCertificateInfo | undefined {
  if (!cert || !Buffer.isBuffer(cert.raw) || cert.raw.length === 0) return undefined;
  const info: PeerCertificateInfo = { raw: Buffer.from(cert.raw) };
  try {
    const x = new X509Certificate(cert.raw);
    info.subject = x.subject.split('\n').join(', ');
    info.issuer = x.issuer.split('\n').join(', ');
    info.sans = splitSans(x.subjectAltName);
    info.notBefore = isoDate(x.validFrom);
    info.notAfter = isoDate(x.validTo);
    info.fingerprint256 = x.fingerprint256;
  } catch {
    info.fingerprint256 = cert.fingerprint256;
    info.notBefore = isoDate(cert.valid_from);
    info.notAfter = isoDate(cert.valid_to);
    info.sans = splitSans(cert.subjectaltname);
  }
  const chain: Buffer[] = [];
  const seen = new Set<string>([cert.fingerprint256 ?? '']);
  let next = cert.issuerCertificate as tls.DetailedPeerCertificate | undefined;
  while (next && Buffer.isBuffer(next.raw) && next.raw.length > 0 && chain.length < MAX_CHAIN) {
    const fp = next.fingerprint256 ?? next.raw.toString('base64');
    if (seen.has(fp)) break; // a self-signed root points to itself
    seen.add(fp);
    chain.push(Buffer.from(next.raw));
    next = next.issuerCertificate as tls.DetailedPeerCertificate | undefined;
  }
  info.chain = chain;
  return info;
}

// ---- The request ---------------------------------------------------------------------------------

// ---- The body budget -------------------------------------------------------------------------------

/**
 * Bodies in flight share one budget. Each request reserves its maxBodyBytes before it connects and
 * gives it back when it ends, so hundreds of probes at once (each may fetch a 4 MiB /metrics, a
 * collect a 16 MiB /pods) never hold more than this together: the others wait their turn in order,
 * their deadlines not yet running. No request may keep more than the whole budget.
 */
export const BODY_BUDGET_BYTES = 128 * 1024 * 1024;
let reserved = 0;
const queue: Array<{ bytes: number; go: () => void } | undefined> = [];
let queueHead = 0;

/** What the budget holds now (for tests): bytes reserved and requests waiting. */
export function bodyBudget(): { reserved: number; waiting: number } {
  return { reserved, waiting: queue.slice(queueHead).filter((e) => e !== undefined).length };
}

function grantWaiting(): void {
  while (queueHead < queue.length) {
    const next = queue[queueHead];
    if (next !== undefined && reserved + next.bytes > BODY_BUDGET_BYTES) return;
    queueHead++;
    next?.go();
  }
  queue.length = 0;
  queueHead = 0;
}

/** Resolves true once `bytes` are reserved, false when the signal aborts first. */
function reserve(bytes: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (queueHead === queue.length && reserved + bytes <= BODY_BUDGET_BYTES) {
    reserved += bytes;
    return Promise.resolve(true);
  }
  return new Promise<boolean>((resolve) => {
    const at = queue.length;
    const onAbort = (): void => {
      queue[at] = undefined; // skipped when its turn comes
      resolve(false);
      grantWaiting();
    };
    queue.push({
      bytes,
      go: () => {
        signal?.removeEventListener('abort', onAbort);
        reserved += bytes;
        resolve(true);
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function release(bytes: number): void {
  reserved -= bytes;
  grantWaiting();
}

/** Headers that carry a credential: never sent in clear text. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The one rule for credentials, for every probe: they travel only inside TLS. A plain-HTTP request
 * (the read-only port, the healthz port, plain etcd — none of them authenticates anyone) loses its
 * bearer token, its client certificate and key, and any Authorization, Proxy-Authorization or
 * Cookie header, whatever the caller asked: anyone on the path, or whatever listens on that port,
 * would read them. A TLS request is left as it is (a client certificate is only ever shown in the
 * handshake, a token only inside the encrypted stream).
 */
export function credentialsAllowed(req: HttpRequest): HttpRequest {
  if (req.tls) return req;
  const { auth: _dropped, headers, ...rest } = req;
  if (!headers) return rest;
  return { ...rest, headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase()))) };
}

export async function httpRequest(req: HttpRequest): Promise<HttpResult> {
  const bytes = Math.min(clampMs(req.maxBodyBytes, DEFAULT_MAX_BODY_BYTES), BODY_BUDGET_BYTES);
  if (req.signal?.aborted) return { ok: false, error: 'aborted', detail: 'aborted before the connection', ms: 0 };
  if (!(await reserve(bytes, req.signal))) return { ok: false, error: 'aborted', detail: 'aborted while waiting for the body budget', ms: 0 };
  return new Promise<HttpResult>((resolve) => {
    let released = false;
    const done = (r: HttpResult): void => {
      if (!released) {
        released = true;
        release(bytes);
      }
      resolve(r);
    };
    try {
      run(req, done, bytes);
    } catch (err) {
      // run() cleans up after itself; this only guards against a bug turning into a rejection
      done({ ok: false, error: 'aborted', detail: `internal error: ${errText(err)}`, ms: 0 });
    }
  });
}

function run(given: HttpRequest, resolve: (r: HttpResult) => void, maxBody: number): void {
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  const invalid = invalidRequest(given); // a malformed token is refused even where it would be dropped
  if (invalid) {
    resolve({ ok: false, error: 'aborted', detail: `invalid request: ${invalid}`, ms: 0 });
    return;
  }
  const req = credentialsAllowed(given);
  if (req.signal?.aborted) {
    resolve({ ok: false, error: 'aborted', detail: 'aborted before the connection', ms: 0 });
    return;
  }
  const t: Timeouts = {
    connect: clampMs(req.timeouts?.connect, DEFAULT_TIMEOUTS.connect),
    tls: clampMs(req.timeouts?.tls, DEFAULT_TIMEOUTS.tls),
    headers: clampMs(req.timeouts?.headers, DEFAULT_TIMEOUTS.headers),
    body: clampMs(req.timeouts?.body, DEFAULT_TIMEOUTS.body),
  };
  const maxHeader = Math.max(1, clampMs(req.maxHeaderBytes, DEFAULT_MAX_HEADER_BYTES));

  let phase: Phase = 'connect';
  let timer: NodeJS.Timeout | undefined;
  let tap: Tap | undefined;
  let secure: tls.TLSSocket | undefined;
  let creq: http.ClientRequest | undefined;
  let res: http.IncomingMessage | undefined;
  let tlsFacts: TlsFacts | undefined;
  let handshake: Buffer | undefined;
  let handshakeDone = false;
  const keylog: string[] = [];
  let sink: ByteSink | undefined; // the body: one growing buffer, capped by the bytes it holds
  let bodyBytes = 0;
  let pendingReset: NodeJS.Immediate | undefined;

  const onAbort = (): void => fail('aborted', `aborted by the signal during ${phase}`);
  const noop = (): void => {};

  const cleanup = (): void => {
    clearTimeout(timer);
    if (pendingReset) clearImmediate(pendingReset);
    req.signal?.removeEventListener('abort', onAbort);
    // late errors from the destroyed objects must find a listener
    for (const e of [res, creq, secure, tap, raw]) {
      if (!e) continue;
      e.on('error', noop);
      e.destroy();
    }
    sink?.clear();
  };

  const finish = (r: HttpResult): void => {
    if (phase === 'done') return;
    phase = 'done';
    cleanup();
    resolve(r);
  };

  /** What the handshake showed, computed once the server's flight is in (or the handshake failed). */
  const snapshotTls = (): TlsFacts | undefined => {
    if (!secure) return tlsFacts;
    if (!tlsFacts) {
      const facts: TlsFacts = {};
      try {
        // before the handshake completes these are the client's own settings, not facts
        if (handshakeDone) {
          facts.protocol = secure.getProtocol() ?? undefined;
          facts.cipher = secure.getCipher()?.name;
          facts.authorized = secure.authorized;
        }
        facts.peer = peerInfo(secure.getPeerCertificate(true));
      } catch {
        // a socket destroyed mid-handshake may have nothing to give
      }
      for (const k of Object.keys(facts) as Array<keyof TlsFacts>) if (facts[k] === undefined) delete facts[k];
      tlsFacts = facts;
    }
    if (tlsFacts.clientCertRequested === undefined) {
      if (!handshake && tap) handshake = tap.stopCapture();
      try {
        const seen = handshake ? sawCertificateRequest(handshake, keylog) : undefined;
        if (seen !== undefined) tlsFacts.clientCertRequested = seen;
      } catch {
        // undefined: could not tell
      }
    }
    return tlsFacts;
  };

  const fail = (error: HttpErrorKind, detail: string): void => {
    if (phase === 'done') return;
    const facts = phase === 'connect' ? undefined : snapshotTls();
    const any = facts && Object.values(facts).some((v) => v !== undefined);
    finish({ ok: false, error, detail, ms: ms(), ...(facts && any ? { tls: facts } : {}) });
  };

  const onError = (err: unknown): void => {
    if (phase === 'done') return;
    const code = errCode(err);
    const text = errText(err);
    if (phase === 'connect') {
      if (code === 'ECONNREFUSED') fail('refused', text);
      else if (code === 'ECONNRESET') fail('reset', `during connect: ${text}`);
      else fail('unreachable', text);
      return;
    }
    if (phase === 'tls') {
      if (/CERTIFICATE_REQUIRED/.test(code) && secure) {
        const facts = snapshotTls();
        if (facts) facts.clientCertRequested = true;
      }
      fail('tls-error', text);
      return;
    }
    // headers or body
    if (code === 'HPE_HEADER_OVERFLOW') {
      fail('headers-too-large', `response headers larger than ${maxHeader} bytes`);
    } else if (code.startsWith('HPE_')) {
      const said = printable((err as { rawPacket?: Buffer }).rawPacket);
      const where = phase === 'body' ? 'invalid body framing' : 'not an HTTP response';
      fail('not-http', `${where} (${code})${said ? `: "${said}"` : ''}`);
    } else if (code.startsWith('ERR_SSL_') || /\bSSL\b|alert/i.test(text)) {
      if (/CERTIFICATE_REQUIRED/.test(code)) {
        const facts = snapshotTls();
        if (facts) facts.clientCertRequested = true;
      }
      fail('tls-error', `after the handshake: ${text}`);
    } else if (phase === 'headers') {
      fail('reset', `connection closed before the response headers (${text})`);
    } else {
      fail('reset', `connection closed mid-body after ${bodyBytes} bytes (${text})`);
    }
  };

  const armTimer = (delay: number, onExpire: () => void): void => {
    clearTimeout(timer);
    timer = setTimeout(onExpire, delay);
  };

  const startHttp = (sock: Duplex): void => {
    phase = 'headers';
    const headers: Record<string, string> = { ...req.headers };
    if (req.auth?.token !== undefined) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
      headers['Authorization'] = `Bearer ${req.auth.token}`;
    }
    armTimer(t.headers, () => fail('headers-timeout', `no complete response headers within ${t.headers} ms`));
    creq = http.request({
      createConnection: () => sock,
      host: req.host,
      port: req.port,
      defaultPort: req.tls ? 443 : 80,
      method: req.method,
      path: req.path,
      headers,
      maxHeaderSize: maxHeader,
      insecureHTTPParser: false,
    });
    creq.on('error', onError);
    creq.on('upgrade', (r: http.IncomingMessage) => {
      // a 101 answer: report it, never switch protocols
      finish({ ok: true, ms: ms(), res: { status: r.statusCode ?? 101, headers: { ...r.headers }, body: Buffer.alloc(0), truncated: false, ...(tlsFacts ? { tls: tlsFacts } : {}) } });
    });
    creq.on('response', (r: http.IncomingMessage) => {
      if (phase !== 'headers') return;
      res = r;
      phase = 'body';
      armTimer(t.body, () => fail('body-timeout', `body not complete within ${t.body} ms (${bodyBytes} bytes received)`));
      // Counted and capped by the bytes held, never by chunks: a body may come a byte at a time
      // (one-byte chunks of chunked encoding), and a Buffer per chunk would cost a hundred times its bytes.
      const body = new ByteSink(maxBody, Number(r.headers['content-length']));
      sink = body;
      const respond = (truncated: boolean): void => {
        const bytes = body.take();
        finish({ ok: true, ms: ms(), res: { status: r.statusCode ?? 0, headers: { ...r.headers }, body: bytes, truncated, ...(tlsFacts ? { tls: tlsFacts } : {}) } });
      };
      r.on('data', (chunk: Buffer) => {
        if (phase !== 'body') return;
        const whole = body.append(chunk);
        bodyBytes = body.length;
        if (!whole) respond(true);
      });
      r.on('end', () => {
        if (r.complete) respond(false);
        else fail('reset', `connection closed mid-body after ${bodyBytes} bytes`);
      });
      r.on('error', onError);
      // 'aborted' and 'close' without 'end': a reset; let a more specific error arrive first
      const lateReset = (): void => {
        if (phase !== 'body' || pendingReset) return;
        pendingReset = setImmediate(() => {
          pendingReset = undefined;
          if (!r.complete) fail('reset', `connection closed mid-body after ${bodyBytes} bytes`);
        });
      };
      r.on('aborted', lateReset);
      r.on('close', lateReset);
    });
    if (req.body !== undefined) creq.end(req.body);
    else creq.end();
  };

  const startTls = (sock: net.Socket): void => {
    phase = 'tls';
    tap = new Tap(sock);
    const o = req.tlsOptions ?? {};
    const old = o.minVersion === 'TLSv1' || o.minVersion === 'TLSv1.1' || o.maxVersion === 'TLSv1' || o.maxVersion === 'TLSv1.1';
    // We probe, we do not trust: let OpenSSL speak whatever the caller asked for (old protocols and
    // weak suites need security level 0).
    let ciphers = o.ciphers;
    if (ciphers !== undefined && !ciphers.includes('@SECLEVEL')) ciphers += ':@SECLEVEL=0';
    if (ciphers === undefined && old) ciphers = 'DEFAULT:@SECLEVEL=0';
    const name = req.servername ?? req.host;
    const context: tls.SecureContextOptions = {
      ...(req.auth?.cert !== undefined ? { cert: req.auth.cert } : {}),
      ...(req.auth?.key !== undefined ? { key: req.auth.key } : {}),
      ...(o.minVersion ? { minVersion: o.minVersion } : {}),
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
      ...(ciphers !== undefined ? { ciphers } : {}),
    };
    armTimer(t.tls, () => fail('tls-timeout', `TLS handshake not complete within ${t.tls} ms`));
    let s: tls.TLSSocket;
    try {
      const shared = req.auth?.cert === undefined && req.auth?.key === undefined ? sharedContext(context) : undefined;
      const options: tls.ConnectionOptions = { socket: tap, rejectUnauthorized: false, ...(net.isIP(name) === 0 ? { servername: name } : {}), ...(shared ? { secureContext: shared } : context) };
      s = tls.connect(options);
    } catch (err) {
      // bad client key, bad cipher string…
      fail('tls-error', `TLS options rejected: ${errText(err)}`);
      return;
    }
    secure = s;
    s.on('keylog', (line: Buffer) => {
      if (keylog.length < 16) keylog.push(line.toString('latin1'));
    });
    s.on('error', onError);
    s.once('secureConnect', () => {
      if (phase !== 'tls') return;
      handshakeDone = true;
      handshake = tap?.stopCapture();
      snapshotTls();
      startHttp(s);
    });
  };

  // cleanup() uses `raw`: nothing can call it before this line (timer and signal come after)
  const raw = net.connect({ host: req.host, port: req.port, noDelay: true });
  raw.on('error', onError);
  raw.once('connect', () => {
    if (phase !== 'connect') return;
    if (isSelfConnect(raw)) {
      fail('refused', 'TCP self-connect: nothing listens on the port');
      return;
    }
    if (req.tls) startTls(raw);
    else startHttp(raw);
  });
  armTimer(t.connect, () => fail('connect-timeout', `no TCP connection within ${t.connect} ms`));
  req.signal?.addEventListener('abort', onAbort, { once: true });
}

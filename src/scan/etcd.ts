// The etcd probe: what a client that reaches an etcd client port (2379) or peer port (2380) learns.
// Read-only and bounded: at most a handful of requests, each bounded by the HTTP client's per-phase
// timeouts; the only requests are GET /version, GET /health, GET /members (peer port) and ONE
// keys-only range read of limit 1 through the gRPC gateway. Never a put, delete, lease, watch, txn,
// compaction or any other request; never a value read. Never throws: failures become notes.
//
// Order of attempts: TLS first, then plain HTTP. etcd multiplexes its listeners (cmux) and closes a
// connection of the wrong kind at once in both directions (measured on 3.4.23: a ClientHello to a
// plain port is reset in ~10 ms, an HTTP request to a TLS port in ~3 ms), so a wrong guess costs one
// loopback round trip either way; real clusters (kubeadm and most installers) serve etcd over TLS,
// so TLS first answers the common case with one connection and also yields the serving certificate.
//
// Client certificate required: etcd 3.4 with --client-cert-auth (Go crypto/tls,
// RequireAndVerifyClientCert) completes a TLS 1.3 handshake without a client certificate, then sends
// the alert "bad certificate" (42) instead of an answer; over TLS 1.2 the handshake itself fails with
// the same alert. Etcd built with Go 1.21+ sends "certificate required" (116) on TLS 1.3. Either alert
// means: a certificate is required. The peer port behaves the same with --peer-client-cert-auth.
import { X509Certificate } from 'node:crypto';
import { DEFAULT_TIMEOUTS, type HttpRequest, type HttpResponse, type HttpResult, type Timeouts } from './http-contract.ts';
import { httpRequest } from './http-client.ts';
import type { Endpoint, ProbeRecord, TlsInfo } from './types.ts';
import { errorWords } from '../sources/errno.ts';

export interface EtcdProbeOptions {
  /** a client certificate and key (PEM), used only when the endpoint refuses clients without one */
  identity?: { cert?: string; key?: string };
  timeouts?: Partial<Timeouts>;
  /** probe as a peer port (2380); default: port === 2380 */
  peer?: boolean;
}

/** the range read: key \0 with range_end \0 = every key; one key, no values (base64 JSON, gateway) */
export const RANGE_BODY = '{"key":"AA==","range_end":"AA==","limit":1,"keys_only":true}';
const SAMPLE_KEY_MAX = 100;
const PREVIEW_MAX = 200;
const MEMBER_NAME_MAX = 64;
const MAX_BODY = 64 * 1024;

/** alerts that mean "no (acceptable) client certificate": bad_certificate 42, certificate_required 116 */
const CERT_ALERT = /bad[ _]certificate|certificate[ _]required|alert number (42|116)\b/i;
/** further alerts that refuse a certificate that was sent (unknown CA, expired, …) */
const CERT_ALERT_SENT = /unknown[ _]ca|certificate[ _]unknown|unsupported[ _]certificate|certificate[ _](expired|revoked)|access[ _]denied|alert number (43|44|45|46|48|49)\b/i;

type Send = (req: Omit<HttpRequest, 'host' | 'port' | 'timeouts' | 'maxBodyBytes'>, preview?: boolean) => Promise<HttpResult>;

export async function probeEtcd(host: string, port: number, opts: EtcdProbeOptions = {}): Promise<Endpoint> {
  const peerGiven = opts.peer !== undefined;
  const peer = opts.peer ?? port === 2380;
  const ep: Endpoint = {
    host,
    port,
    service: peer ? 'etcd-peer' : 'etcd',
    state: 'open',
    reachable: [],
    identity: 'anonymous',
    probes: [],
    notes: [],
  };
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
  const send: Send = async (req, preview = true) => {
    const record: ProbeRecord = { method: req.method, path: req.path };
    ep.probes.push(record);
    let r: HttpResult;
    try {
      r = await httpRequest({ ...req, host, port, timeouts, maxBodyBytes: MAX_BODY });
    } catch (e) {
      r = { ok: false, error: 'aborted', detail: `client threw: ${message(e)}`, ms: 0 };
    }
    record.ms = Math.round(r.ms);
    if (r.ok) {
      record.status = r.res.status;
      if (preview) record.bodyPreview = printable(r.res.body.toString('utf8', 0, Math.min(r.res.body.length, PREVIEW_MAX)));
    } else {
      record.error = `${r.error}: ${oneLine(r.detail)}`;
    }
    return r;
  };
  try {
    await run(ep, send, opts, peer, peerGiven);
  } catch (e) {
    ep.notes.push(`probe stopped: ${message(e)}`);
  }
  return ep;
}

async function run(ep: Endpoint, send: Send, opts: EtcdProbeOptions, peer: boolean, peerGiven: boolean): Promise<void> {
  const get = (path: string, tls: boolean, auth?: HttpRequest['auth']) =>
    send({ method: 'GET', path, tls, headers: { accept: 'application/json' }, ...(auth ? { auth } : {}) });

  // 1. Transport: TLS first (see the top of the file), anonymous.
  let tls: boolean;
  let certRequired: boolean | null;
  let versionRes: HttpResponse | undefined;
  const first = await get('/version', true);
  if (first.ok) {
    tls = true;
    certRequired = false;
    versionRes = first.res;
    ep.tls = tlsInfo(first.res.tls);
  } else if (connectFailed(ep, first)) {
    return;
  } else if (certRefusal(first, false)) {
    tls = true;
    certRequired = true;
    ep.tls = tlsInfo(first.tls);
  } else if (handshook(first.tls)) {
    // The handshake completed, then no answer (and no certificate alert): TLS for sure, nothing more
    // to learn over plain HTTP, and no second timeout to spend on it.
    ep.tls = tlsInfo(first.tls);
    ep.etcd = { tls: true, clientCertRequired: null, keysReadable: null };
    const asked = first.tls.clientCertRequested ? ' (the server asked for a client certificate)' : '';
    ep.notes.push(`TLS handshake completed, then no answer to GET /version${asked}: ${first.error}: ${oneLine(first.detail)}`);
    return;
  } else {
    const plain = await get('/version', false);
    if (plain.ok) {
      tls = false;
      certRequired = false;
      versionRes = plain.res;
    } else if (connectFailed(ep, plain)) {
      return;
    } else {
      ep.notes.push(`no answer over TLS (${first.error}: ${oneLine(first.detail)}) nor plain HTTP (${plain.error}: ${oneLine(plain.detail)})`);
      return;
    }
  }
  // what the handshake showed (a CertificateRequest) wins; else what the refusal or answer showed
  if (ep.tls && ep.tls.clientCertRequested === undefined && certRequired !== null) ep.tls.clientCertRequested = certRequired;
  const etcd: NonNullable<Endpoint['etcd']> = { tls, clientCertRequired: certRequired };
  ep.etcd = etcd;

  // TLS answering does not mean plain HTTP does not: etcd serves both on one port when
  // --listen-client-urls names it with http:// and https:// (cmux; etcd commit 900a61b "http and
  // https on the same port"; measured on 3.4.23). One plain GET /version tells, never with a credential.
  let plainRes: HttpResponse | undefined;
  if (tls && !peer) {
    const plain = await get('/version', false);
    if (plain.ok) {
      const v = parseJson(plain.res.body);
      // an answer is proof either way only when it is etcd's version or Go's refusal of plain HTTP on
      // a TLS port; a proxy's 401, a redirect or a cut body tells nothing (never a pass on it)
      etcd.plainHttp = plain.res.status === 200 && typeof v?.etcdserver === 'string' ? true : plain.res.status === 400 && /HTTP request to an HTTPS server/.test(plain.res.body.toString('latin1', 0, 200)) ? false : null;
      if (etcd.plainHttp === null) ep.notes.push(`whether the port also serves plain HTTP could not be told: a plain GET /version answered ${plain.res.status}, not etcd`);
      if (etcd.plainHttp) {
        plainRes = plain.res;
        ep.notes.push('the same port also serves plain HTTP (listen-client-urls names it with http:// too): no certificate is asked there, and what an anonymous client reads was read over plain HTTP');
      }
    } else {
      // etcd closes a plain request on a TLS-only port at once (reset, or a TLS alert as the answer)
      etcd.plainHttp = plain.error === 'reset' || plain.error === 'not-http' ? false : null;
      if (etcd.plainHttp === null) ep.notes.push(`whether the port also serves plain HTTP could not be told: ${plain.error}`);
    }
  }

  // 2. A required client certificate: use the identity if one was given. When plain HTTP is
  // served too, an attacker needs none: the reads below go over plain HTTP, anonymously.
  let auth: HttpRequest['auth'] | undefined;
  if (plainRes) {
    tls = false;
    versionRes = plainRes;
  } else if (certRequired) {
    const id = opts.identity;
    if (!id?.cert || !id.key) {
      etcd.keysReadable = false;
      ep.notes.push(`a client certificate is required (${peer ? 'peer' : 'client'} TLS refused an anonymous client): nothing is readable without one, and that this is etcd is not confirmed`);
      return;
    }
    auth = { cert: id.cert, key: id.key };
    const withId = await get('/version', true, auth);
    if (!withId.ok) {
      etcd.keysReadable = false;
      ep.notes.push(certRefusal(withId, true) ? 'the given client certificate was refused' : `with the given client certificate: ${withId.error}: ${oneLine(withId.detail)}`);
      return;
    }
    ep.identity = describeIdentity(id.cert);
    versionRes = withId.res;
  } else if (opts.identity?.cert) {
    ep.notes.push('no client certificate is required: the probes ran anonymously (the identity was not used)');
  }

  // 3. Is it etcd? Only then anything beyond GET /version.
  const version = parseJson(versionRes?.body);
  const server = typeof version?.etcdserver === 'string' ? version.etcdserver : undefined;
  if (!versionRes || versionRes.status !== 200 || !server) {
    ep.service = 'other';
    delete ep.etcd;
    ep.notes.push(`GET /version over ${tls ? 'TLS' : 'plain HTTP'} did not answer like etcd (status ${versionRes?.status ?? 'none'}): no further requests`);
    return;
  }
  ep.version = server;
  etcd.version = server;
  if (typeof version?.etcdcluster === 'string') ep.notes.push(`etcdserver ${server}, etcdcluster ${version.etcdcluster}`);

  if (peer) {
    await peerFacts(ep, get, tls, auth, certRequired);
    return;
  }

  // 4. Health.
  const health = await get('/health', tls, auth);
  if (health.ok) {
    const h = parseJson(health.res.body);
    if (health.res.status === 200 && typeof h?.health === 'string') etcd.health = h.health;
    else etcd.health = `HTTP ${health.res.status}`;
  }

  // 5. ONE keys-only range read, limit 1, through the gateway.
  let rangeStatus: number | undefined;
  for (const prefix of gatewayPrefixes(server)) {
    const r = await send(
      { method: 'POST', path: `${prefix}/kv/range`, tls, headers: { accept: 'application/json', 'content-type': 'application/json' }, body: RANGE_BODY, ...(auth ? { auth } : {}) },
      false, // never keep the body: it holds a key name
    );
    if (!r.ok) {
      etcd.keysReadable = null;
      ep.notes.push(`range read ${prefix}/kv/range: ${r.error}`);
      break;
    }
    rangeStatus = r.res.status;
    if (r.res.status === 404) continue; // not this gateway version
    readRange(ep, etcd, r.res, prefix);
    break;
  }
  if (rangeStatus === 404) {
    etcd.keysReadable = null;
    if (!peerGiven && health.ok && health.res.status === 404) {
      ep.service = 'etcd-peer';
      ep.notes.push('GET /health and the gateway answer 404 while /version answers: this looks like an etcd peer port');
    } else {
      ep.notes.push('no gRPC gateway answered (404): keys not checked');
    }
  }
}

async function peerFacts(
  ep: Endpoint,
  get: (path: string, tls: boolean, auth?: HttpRequest['auth']) => Promise<HttpResult>,
  tls: boolean,
  auth: HttpRequest['auth'] | undefined,
  certRequired: boolean | null,
): Promise<void> {
  const members = await get('/members', tls, auth);
  if (members.ok && members.res.status === 200) {
    const list = parseJsonValue(members.res.body);
    if (Array.isArray(list)) {
      // ten names at most, each printable and short: the answer is the server's to write
      const names = list.slice(0, 10).map((m) => (isRecord(m) && typeof m.name === 'string' ? [...printable(m.name.slice(0, 4 * MEMBER_NAME_MAX))].slice(0, MEMBER_NAME_MAX).join('') : '?'));
      ep.notes.push(`peer GET /members lists ${list.length} member(s): ${names.join(', ')} (with their client URLs)`);
    }
  }
  if (!tls) ep.notes.push('the peer port speaks plain HTTP: raft traffic and snapshots cross the network unencrypted');
  else if (certRequired === false) ep.notes.push('the peer port accepts TLS clients without a certificate (--peer-client-cert-auth is off)');
}

function readRange(ep: Endpoint, etcd: NonNullable<Endpoint['etcd']>, res: HttpResponse, prefix: string): void {
  const body = parseJson(res.body);
  if (res.status === 200 && body) {
    etcd.keysReadable = true;
    const kvs = Array.isArray(body.kvs) ? body.kvs : [];
    const first: unknown = kvs[0];
    if (isRecord(first) && typeof first.key === 'string') etcd.sampleKey = sampleKey(first.key);
    const count = typeof body.count === 'string' || typeof body.count === 'number' ? Number(body.count) : kvs.length;
    const who = ep.identity === 'anonymous' ? 'anonymous range read' : `range read as ${ep.identity}`;
    ep.notes.push(`${who} through ${prefix}/kv/range: ${count} key(s) in the keyspace`);
    return;
  }
  // etcd's own auth (RBAC) refuses with 400 "etcdserver: user name is empty" (3.4, no token) or 401/403;
  // any other answer says nothing either way
  const refused = res.status === 400 || res.status === 401 || res.status === 403;
  etcd.keysReadable = refused ? false : null;
  const why = body && (typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : undefined);
  ep.notes.push(`range read ${refused ? 'refused' : 'not answered'}: HTTP ${res.status}${why ? ` (${oneLine(why).slice(0, PREVIEW_MAX)})` : ''}`);
}

/** gateway prefixes by version: 3.2 /v3alpha, 3.3 /v3beta, 3.4 /v3 (and /v3beta), 3.5+ /v3 */
export function gatewayPrefixes(version: string | undefined): string[] {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return ['/v3', '/v3beta', '/v3alpha'];
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 3 && minor <= 2) return ['/v3alpha'];
  if (major === 3 && minor === 3) return ['/v3beta', '/v3alpha'];
  return ['/v3', '/v3beta'];
}

/** the first key name: base64-decoded, control characters replaced, at most 100 characters */
export function sampleKey(b64: string): string {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return [...printable(text)].slice(0, SAMPLE_KEY_MAX).join('');
}

function connectFailed(ep: Endpoint, r: Extract<HttpResult, { ok: false }>): boolean {
  if (r.error === 'refused') ep.state = 'closed';
  else if (r.error === 'connect-timeout' || r.error === 'unreachable') ep.state = 'filtered';
  else return false;
  ep.notes.push(`${r.error}: ${oneLine(r.detail)}`);
  return true;
}

/**
 * The TLS handshake got as far as the server's certificate. Not `protocol`: on a failed handshake
 * Node still reports one (measured: 'TLSv1.3' when a plain-HTTP etcd port reset the ClientHello).
 */
function handshook(t: HttpResponse['tls'] | undefined): t is NonNullable<HttpResponse['tls']> {
  return t?.peer !== undefined;
}

function certRefusal(r: Extract<HttpResult, { ok: false }>, sentCert: boolean): boolean {
  if (r.error.endsWith('-timeout')) return false;
  if (CERT_ALERT.test(r.detail)) return true;
  if (sentCert && CERT_ALERT_SENT.test(r.detail)) return true;
  // the client saw a CertificateRequest and the server then broke off
  return r.tls?.clientCertRequested === true && (r.error === 'tls-error' || r.error === 'reset');
}

function tlsInfo(t: HttpResponse['tls'] | undefined): TlsInfo {
  const info: TlsInfo = {};
  if (!t) return info;
  if (t.protocol && t.peer) info.protocols = [t.protocol]; // without a peer certificate the handshake did not finish
  if (t.clientCertRequested !== undefined) info.clientCertRequested = t.clientCertRequested;
  const p = t.peer;
  if (!p) return info;
  if (p.subject !== undefined) info.subject = p.subject;
  if (p.issuer !== undefined) info.issuer = p.issuer;
  if (p.sans) info.sans = p.sans;
  if (p.notBefore) info.notBefore = p.notBefore;
  if (p.notAfter) info.notAfter = p.notAfter;
  if (p.fingerprint256) info.fingerprint256 = p.fingerprint256;
  if (p.raw) {
    try {
      const x = new X509Certificate(p.raw);
      info.subject ??= x.subject.replace(/\n/g, ', ');
      info.issuer ??= x.issuer.replace(/\n/g, ', ');
      info.selfSigned = x.checkIssued(x) && x.verify(x.publicKey);
      info.notBefore ??= x.validFrom;
      info.notAfter ??= x.validTo;
      info.fingerprint256 ??= x.fingerprint256;
      const key = x.publicKey;
      if (key.asymmetricKeyType) info.keyType = key.asymmetricKeyType;
      const d = key.asymmetricKeyDetails;
      if (d?.modulusLength) info.keyBits = d.modulusLength;
      else if (d?.namedCurve) info.keyBits = CURVE_BITS[d.namedCurve];
    } catch (e) {
      info.error = `certificate not parsed: ${message(e)}`;
    }
  } else if (info.subject !== undefined && info.issuer !== undefined) {
    info.selfSigned = info.subject === info.issuer;
  }
  return info;
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };

function describeIdentity(certPem: string): string {
  try {
    const x = new X509Certificate(certPem);
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1];
    return `client certificate${cn ? ` (CN=${cn})` : ''}`;
  } catch {
    return 'client certificate';
  }
}

function parseJsonValue(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(body: Buffer | undefined): Record<string, unknown> | undefined {
  const v = parseJsonValue(body);
  return isRecord(v) ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function oneLine(s: string): string {
  return printable(s.replace(/\s+/g, ' ').trim());
}

/** An error in words (a system error's code as its meaning: "connection refused", not ECONNREFUSED). */
function message(e: unknown): string {
  return errorWords(e);
}

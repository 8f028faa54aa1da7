// The kubelet probes: the secure API (10250), the read-only API (10255) and the healthz port (10248).
// They classify what a caller gets WITHOUT any effect on the node: peers prove access by running a
// command in every container (kubeletctl `scan rce`); these probes never touch a workload.
//
// Why the answers prove what they prove (docs/kubelet-facts.md, cited as §n):
// - §3: on the secure port the auth filter runs for EVERY path, before routing. 401 = not
//   authenticated; 403 = authenticated, denied (the body names the user, verb and subresource(s));
//   anything else (200, 400, 404, 405, …) = authentication and authorization passed.
// - §3: with no credentials, 401 ⇒ anonymous off; 403 ⇒ anonymous on + Webhook; 200/404/405 ⇒
//   anonymous on + AlwaysAllow (critical) — unless a later probe is denied: AlwaysAllow never
//   answers 403, so then it is a Webhook that lets the anonymous user read /pods.
// - §3: the 403 body's format tells the version: `subresource(s)=[pods proxy]` + newline is 1.32+
//   with KubeletFineGrainedAuthz on; `subresource(s)=[proxy]` for /pods is 1.32+ with the gate off;
//   `subresource=proxy` without the newline is older.
// - §2: with debugging handlers off, /run /exec /attach /portForward /containerLogs /runningpods
//   /debug/pprof /logs answer 405 `Debug endpoints are disabled.` (authorized, but not served);
//   /configz answers 404.
// - §3 "non-destructive probes": POST /run/<ns>/<pod>/<ctr> for a pod that does not exist answers
//   404 only after authn+authz passed, and nothing runs; GET /exec/... without an Upgrade header
//   answers 400 after authz passed (remotecommand options are checked before the pod lookup).
//
// What is sent, all of it: GET /pods, /runningpods/, /stats/summary, /metrics, /healthz, /logs/,
// /configz, /debug/pprof/; GET /containerLogs, /exec, /attach, /portForward and POST /run,
// /checkpoint, each for the pod kube-system/kubelet-guard-probe-nonexistent only. Never PUT, PATCH or
// DELETE, never an Upgrade header, never an existing pod's name, never a `cmd` for /run. /debug/flags/v
// is never requested (a PUT changes the log verbosity): its reachability is inferred (see below).
// Never throws: failures become notes.
import { X509Certificate } from 'node:crypto';
import { getCiphers } from 'node:tls';
import { DEFAULT_TIMEOUTS, type HttpErrorKind, type HttpRequest, type HttpResponse, type HttpResult, type PeerCertificateInfo, type Timeouts } from './http-contract.ts';
import { httpRequest } from './http-client.ts';
import { offerSuite } from './tls-hello.ts';
import { WEAK_CIPHERS } from './weak-ciphers.ts';

export { WEAK_CIPHERS } from './weak-ciphers.ts';
import { analyseMetrics } from './collect.ts';
import type { Endpoint, EndpointGroup, PortState, ProbeRecord, TlsInfo } from './types.ts';
import { errorWords } from '../sources/errno.ts';

export interface KubeletIdentity {
  token?: string;
  cert?: string;
  key?: string;
  label: string;
}

export interface KubeletProbeOptions {
  /** probe as this identity (the classification itself is always made without credentials) */
  identity?: KubeletIdentity;
  timeouts?: Partial<Timeouts>;
  /** the serving certificate, the protocol versions and the weak cipher suites accepted (extra bounded handshakes) */
  tlsDetail?: boolean;
}

export interface PlainProbeOptions {
  timeouts?: Partial<Timeouts>;
}

/** The only pod the probes ever name: one that does not exist (§3 non-destructive probes). */
export const PROBE_NAMESPACE = 'kube-system';
export const PROBE_POD = 'kubelet-guard-probe-nonexistent';
export const PROBE_CONTAINER = 'c';
const PROBE_TARGET = `${PROBE_NAMESPACE}/${PROBE_POD}`;

const PREVIEW_MAX = 200;
const SMALL_BODY = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const METRICS_BODY = 4 * 1024 * 1024;
const CONCURRENCY = 4;

// ---- reading the answers -------------------------------------------------------------------------

export interface Denial {
  user: string;
  verb: string;
  resource: string;
  subresources: string[];
  /** 'list': `subresource(s)=[…]` + newline (1.32+); 'single': `subresource=…` (older) */
  format: 'list' | 'single';
}

/**
 * The kubelet's auth messages (§3) are one short line; the patterns below backtrack on `(.*)`, so a
 * hostile 64 KiB body costs a quarter of a second per pattern (quadratic). Longer bodies are not
 * these messages and are not matched.
 */
const MAX_MESSAGE = 4096;
const FORBIDDEN_LIST = /^Forbidden \(user=(.*), verb=([^,]*), resource=([^,]*), subresource\(s\)=\[([^\]]*)\]\)\n?$/s;
const FORBIDDEN_SINGLE = /^Forbidden \(user=(.*), verb=([^,]*), resource=([^,]*), subresource=([^)]*)\)\n?$/s;
const AUTHZ_ERROR = /^Authorization error \(user=(.*), verb=([^,]*), resource=([^,]*), subresource(?:\(s\))?=\[?([^\])]*)\]?\)\n?$/s;

/** A 403 body of the kubelet's auth filter (§3), both formats; undefined for anything else. */
export function parseForbidden(body: string): Denial | undefined {
  if (body.length > MAX_MESSAGE) return undefined;
  const l = FORBIDDEN_LIST.exec(body);
  if (l) return { user: l[1]!, verb: l[2]!, resource: l[3]!, subresources: l[4]!.split(' ').filter(Boolean), format: 'list' };
  const s = FORBIDDEN_SINGLE.exec(body);
  if (s) return { user: s[1]!, verb: s[2]!, resource: s[3]!, subresources: [s[4]!], format: 'single' };
  return undefined;
}

/** Where the request stopped: at authentication, at authorization, at a disabled handler, at routing, or past all of them. */
export type Gate = 'unauthenticated' | 'forbidden' | 'authz-error' | 'disabled' | 'no-route' | 'passed';

const DISABLED = /^(Debug endpoints are|logs endpoint is|profiling endpoint is|flags endpoint is) disabled\.\n?$/;
const DEBUG_DISABLED = /^Debug endpoints are disabled\.\n?$/;
const NO_ROUTE = /^404:? page not found\n?$/i;

export function gateOf(status: number, body: string): Gate {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 500 && body.length <= MAX_MESSAGE && AUTHZ_ERROR.test(body)) return 'authz-error';
  if (status === 405 && DISABLED.test(body)) return 'disabled'; // §2: authorized, handler off
  if (status === 404 && NO_ROUTE.test(body)) return 'no-route'; // the mux: no such route (e.g. /configz with debugging handlers off)
  return 'passed';
}

/** Paths that KubeletFineGrainedAuthz gives a specific subresource before proxy (§3). */
function hasFineGrainedMapping(path: string): boolean {
  const p = path.split('?')[0]!;
  const sub = (base: string) => p === base || p.startsWith(base + '/');
  return sub('/pods') || sub('/healthz') || sub('/configz') || sub('/statusz') || sub('/runningpods');
}

/**
 * fineGrained from 403 bodies (§3): true when a list starts with a specific subresource before proxy
 * ([pods proxy]); false for the old single format, and for a list of only [proxy] on a path the gate
 * would have mapped (1.32+ format, gate off); null when no body tells (only [proxy] on exec-like paths,
 * or no 403 at all).
 */
export function fineGrainedFrom(denials: ReadonlyArray<{ path: string; denial: Denial }>): boolean | null {
  let verdict: boolean | null = null;
  for (const { path, denial } of denials) {
    const subs = denial.subresources;
    if (denial.format === 'list' && subs.length > 1 && subs[subs.length - 1] === 'proxy' && subs[0] !== 'proxy') return true;
    if (denial.format === 'single') verdict = false;
    else if (subs.length === 1 && subs[0] === 'proxy' && hasFineGrainedMapping(path)) verdict = false;
  }
  return verdict;
}

// ---- the group probes ----------------------------------------------------------------------------

interface GroupProbe {
  group: EndpointGroup;
  method: 'GET' | 'POST';
  path: string;
  /** reachable when the request got past authorization and routing with this status */
  reached: (status: number) => boolean;
  /** a 2xx body is never previewed, only its size (pods, configs) */
  sizeOnly?: boolean;
  /** a route of the debugging handlers (§2) */
  debug?: boolean;
  /** always authorized as nodes/proxy, fine-grained or not (§3) */
  proxy?: boolean;
  maxBody?: number;
}

const is200 = (s: number) => s === 200;
const afterAuthz = () => true;

/** In the order of the EndpointGroup type; each proved without effects (header comment). */
const GROUP_PROBES: readonly GroupProbe[] = [
  { group: 'pods', method: 'GET', path: '/pods', reached: is200, sizeOnly: true },
  { group: 'runningpods', method: 'GET', path: '/runningpods/', reached: is200, sizeOnly: true, debug: true },
  { group: 'stats', method: 'GET', path: '/stats/summary', reached: is200 },
  { group: 'metrics', method: 'GET', path: '/metrics', reached: is200, maxBody: METRICS_BODY },
  { group: 'logs', method: 'GET', path: '/logs/', reached: is200, debug: true },
  // a pod that does not exist: 404 `pod "…" does not exist` comes only after authz (§3)
  { group: 'containerLogs', method: 'GET', path: `/containerLogs/${PROBE_TARGET}/${PROBE_CONTAINER}`, reached: afterAuthz, sizeOnly: true, debug: true, proxy: true },
  { group: 'configz', method: 'GET', path: '/configz', reached: is200, sizeOnly: true, debug: true },
  // POST for a pod that does not exist: 404/500 after authz, nothing is checkpointed
  { group: 'checkpoint', method: 'POST', path: `/checkpoint/${PROBE_TARGET}/${PROBE_CONTAINER}`, reached: afterAuthz, debug: true },
  { group: 'debug/pprof', method: 'GET', path: '/debug/pprof/', reached: is200, debug: true, proxy: true },
  // no Upgrade header and no stdin/stdout/stderr: 400 after authz, before the pod lookup
  { group: 'exec', method: 'GET', path: `/exec/${PROBE_TARGET}/${PROBE_CONTAINER}?command=true`, reached: afterAuthz, debug: true, proxy: true },
  { group: 'attach', method: 'GET', path: `/attach/${PROBE_TARGET}/${PROBE_CONTAINER}`, reached: afterAuthz, debug: true, proxy: true },
  // the pod is looked up first: 404, nothing runs (and no `cmd` is given anyway)
  { group: 'run', method: 'POST', path: `/run/${PROBE_TARGET}/${PROBE_CONTAINER}`, reached: afterAuthz, debug: true, proxy: true },
  { group: 'portForward', method: 'GET', path: `/portForward/${PROBE_TARGET}`, reached: afterAuthz, debug: true, proxy: true },
  { group: 'healthz', method: 'GET', path: '/healthz', reached: is200 },
];

const GROUP_ORDER: readonly EndpointGroup[] = ['pods', 'runningpods', 'stats', 'metrics', 'logs', 'containerLogs', 'configz', 'checkpoint', 'debug/pprof', 'debug/flags', 'exec', 'attach', 'run', 'portForward', 'healthz'];

/** The requests the kubelet probes may send (method + path), for tests and reviewers. */
export const KUBELET_PROBE_REQUESTS: ReadonlyArray<{ method: string; path: string }> = GROUP_PROBES.map(({ method, path }) => ({ method, path }));

// ---- sending -------------------------------------------------------------------------------------

interface Sent {
  record: ProbeRecord;
  /** the answer; its body is dropped once read (a probe of 15 requests holds none of them) */
  result: HttpResult;
  /** the body as text, at most its first 64 KiB (empty on failure): what the gates and messages need */
  text: string;
  /** a /metrics answer: the kubelet version in it */
  version?: string;
}

interface SendOptions {
  auth?: HttpRequest['auth'];
  sizeOnly?: boolean;
  maxBody?: number;
  tlsOptions?: HttpRequest['tlsOptions'];
  /** replaces the body preview (TLS probes) */
  label?: string;
  body?: string;
}

type Send = (method: 'GET' | 'POST', path: string, o?: SendOptions) => Promise<Sent>;

function makeSender(ep: Endpoint, tls: boolean, timeouts: Timeouts, secrets: string[]): Send {
  return async (method, path, o = {}) => {
    const record: ProbeRecord = { method, path, ...(o.auth ? { withIdentity: true as const } : {}) };
    ep.probes.push(record);
    const req: HttpRequest = {
      host: ep.host,
      port: ep.port,
      tls,
      method,
      path,
      timeouts,
      maxBodyBytes: o.maxBody ?? SMALL_BODY,
      ...(o.auth ? { auth: o.auth } : {}),
      ...(o.tlsOptions ? { tlsOptions: o.tlsOptions } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
    };
    let result: HttpResult;
    try {
      result = await httpRequest(req);
    } catch (e) {
      result = { ok: false, error: 'aborted', detail: `client threw: ${message(e)}`, ms: 0 };
    }
    record.ms = Math.round(result.ms);
    if (!result.ok) {
      record.error = `${result.error}: ${scrub(oneLine(result.detail), secrets).slice(0, PREVIEW_MAX)}`;
      if (o.label) record.bodyPreview = o.label;
      return { record, result, text: '' };
    }
    const { status, body, truncated } = result.res;
    record.status = status;
    const whole = body.toString('utf8');
    record.bodyPreview = o.label ?? preview(path, status, whole, body.length, truncated, o.sizeOnly === true, secrets);
    const version = path.startsWith('/metrics') && status === 200 ? buildInfoVersion(whole) : undefined;
    // Nothing larger than a kubelet message is kept: hundreds of probes run at once, each holding
    // up to 15 answers (a 4 MiB /metrics among them) until it is judged.
    const text = body.length > SMALL_BODY ? body.toString('utf8', 0, SMALL_BODY) : whole; // a copy, not a slice that keeps the whole alive
    result.res.body = EMPTY;
    return { record, result, text, ...(version ? { version } : {}) };
  };
}

/** A short, printable, secret-free view of a body: for pods and configs (2xx) only the size. */
function preview(path: string, status: number, text: string, bytes: number, truncated: boolean, sizeOnly: boolean, secrets: string[]): string {
  if (sizeOnly && status >= 200 && status < 300) return `(${bytes}${truncated ? '+' : ''} bytes, not kept)`;
  if (path.startsWith('/metrics') && status === 200) {
    const line = /^kubernetes_build_info\{[^}\n]*\}[^\n]*$/m.exec(text);
    if (line) return printable(line[0]).slice(0, PREVIEW_MAX);
  }
  return printable(scrub(text.slice(0, PREVIEW_MAX * 2), secrets)).slice(0, PREVIEW_MAX);
}

/** Credentials never reach a record: the identity's own token, bearer values, JWTs, long key-like strings. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('<redacted>');
  return out
    .replace(/Bearer\s+\S+/gi, 'Bearer <redacted>')
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '<redacted-jwt>')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '<redacted-key>')
    .replace(/[A-Za-z0-9+/=_-]{48,}/g, '<redacted>');
}

function printable(s: string): string {
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/[\x00-\x1f\x7f]/g, '.');
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** An error in words (a system error's code as its meaning: "connection refused", not ECONNREFUSED). */
function message(e: unknown): string {
  return errorWords(e);
}

function stateOf(kind: HttpErrorKind): PortState {
  if (kind === 'refused') return 'closed';
  if (kind === 'connect-timeout' || kind === 'unreachable' || kind === 'aborted') return 'filtered';
  return 'open'; // something accepted the connection
}

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * The version in `kubernetes_build_info{…git_version="…"…}`, read line by line (analyseMetrics): a
 * regular expression over the whole body was cubic on a line of repeated `kubernetes_build_info{`
 * (880 KB took 83 s), and only a well-formed Kubernetes version is taken.
 */
function buildInfoVersion(text: string): string | undefined {
  return analyseMetrics(text).kubeletVersion;
}

// ---- the secure port -----------------------------------------------------------------------------

/**
 * The credential to present to a kubelet's secure port (TLS, authenticated, §3): the bearer token,
 * else the client certificate with its key. Only the secure-port probes and --collect on a secure
 * port ask for it; the read-only and healthz ports never authenticate (§1, §2), and the HTTP client
 * drops any credential from a plain-HTTP request in any case (credentialsAllowed).
 */
export function kubeletCredentials(identity: KubeletIdentity | undefined): HttpRequest['auth'] | undefined {
  if (identity?.token) return { token: identity.token };
  if (identity?.cert && identity.key) return { cert: identity.cert, key: identity.key };
  return undefined;
}

export async function probeKubelet(host: string, port: number, opts: KubeletProbeOptions = {}): Promise<Endpoint> {
  const ep: Endpoint = {
    host,
    port,
    service: 'kubelet',
    state: 'open',
    anonymous: null,
    authorization: null,
    fineGrained: null,
    reachable: [],
    identity: opts.identity?.label ?? 'anonymous',
    probes: [],
    notes: [],
  };
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
  const secrets = [opts.identity?.token].filter((s): s is string => typeof s === 'string' && s !== '');
  const send = makeSender(ep, true, timeouts, secrets);
  try {
    await classifyAndProbe(ep, send, opts, timeouts);
  } catch (e) {
    ep.notes.push(`probe stopped: ${message(e)}`);
  }
  // Only an answer of the kubelet's auth filter (401 Unauthorized, 403 Forbidden (user=…), or a
  // route answering) makes it a kubelet; a TLS error, a timeout or another protocol does not.
  if (ep.anonymous === null && ep.authorization === null && ep.reachable.length === 0 && ep.state === 'open') {
    ep.service = 'other';
    ep.notes.push('did not answer like a kubelet (no 401, 403 or kubelet route answer): not classified');
  }
  return ep;
}

interface Outcome {
  probe: GroupProbe;
  sent: Sent;
}

/** What one caller's answers prove: the groups reached, denials, the user named, the debugging handlers. */
interface Analysis {
  reached: Set<EndpointGroup>;
  forbidden: boolean;
  user?: string;
  proxyVerbs: Set<string>;
  debugOn: boolean;
  debugOff: boolean;
  failures: string[];
  denials: Array<{ path: string; denial: Denial }>;
}

function analyse(outcomes: readonly Outcome[]): Analysis {
  const a: Analysis = { reached: new Set(), forbidden: false, proxyVerbs: new Set(), debugOn: false, debugOff: false, failures: [], denials: [] };
  for (const o of outcomes) {
    if (!o.sent.result.ok) {
      a.failures.push(`${o.probe.group}: ${o.sent.result.error}`);
      continue;
    }
    const st = o.sent.result.res.status;
    const gate = gateOf(st, o.sent.text);
    if (gate === 'forbidden') {
      a.forbidden = true;
      const d = parseForbidden(o.sent.text);
      if (d) {
        a.denials.push({ path: o.probe.path, denial: d });
        a.user ??= d.user;
      }
    }
    if (gate === 'authz-error') a.failures.push(`${o.probe.group}: 500 Authorization error`);
    if (o.probe.proxy && (gate === 'passed' || gate === 'disabled')) a.proxyVerbs.add(o.probe.method === 'GET' ? 'get' : 'create');
    if (o.probe.debug && gate === 'disabled' && DEBUG_DISABLED.test(o.sent.text)) a.debugOff = true;
    if (o.probe.debug && gate === 'passed') a.debugOn = true;
    if (gate === 'passed' && o.probe.reached(st)) a.reached.add(o.probe.group);
  }
  return a;
}

async function classifyAndProbe(ep: Endpoint, send: Send, opts: KubeletProbeOptions, timeouts: Timeouts): Promise<void> {
  const podsProbe = GROUP_PROBES[0]!;
  // 1. Without credentials: what anyone who reaches the port gets (§3).
  const anon = await send('GET', '/pods', { sizeOnly: true });
  const firstTls: HttpResponse['tls'] | undefined = anon.result.ok ? anon.result.res.tls : anon.result.tls;
  if (!anon.result.ok) {
    ep.state = stateOf(anon.result.error);
    ep.notes.push(`GET /pods without credentials: ${anon.result.error} (${oneLine(anon.result.detail).slice(0, PREVIEW_MAX)})`);
    if (ep.state === 'open' && opts.tlsDetail) ep.tls = await tlsDetails(ep, send, firstTls, timeouts);
    return;
  }
  const denials: Array<{ path: string; denial: Denial }> = [];
  const status = anon.result.res.status;
  const anonGate = gateOf(status, anon.text);
  let anonUser: string | undefined;
  if (status === 401) {
    ep.anonymous = false;
    if (anon.text !== 'Unauthorized') ep.notes.push(`401 with the body ${JSON.stringify(anon.text.slice(0, 60))}, not the kubelet's exact "Unauthorized": maybe not a kubelet`);
  } else if (status === 403) {
    ep.anonymous = true;
    ep.authorization = 'Webhook';
    const d = parseForbidden(anon.text);
    if (d) {
      denials.push({ path: '/pods', denial: d });
      anonUser = d.user;
    } else {
      ep.notes.push(`403 without the kubelet's "Forbidden (user=…)" body: maybe not a kubelet`);
    }
  } else if (status === 200 || status === 404 || status === 405) {
    ep.anonymous = true;
    ep.authorization = 'AlwaysAllow';
  } else if (anonGate === 'authz-error') {
    // only a Webhook authorizer can fail; AlwaysAllow never errs
    ep.anonymous = true;
    ep.authorization = 'Webhook';
    anonUser = anon.text.length <= MAX_MESSAGE ? AUTHZ_ERROR.exec(anon.text)?.[1] : undefined;
    ep.notes.push('the authorizer failed (500 Authorization error): the Webhook could not reach the API server');
  } else {
    ep.notes.push(`GET /pods without credentials answered ${status}, which no kubelet auth filter gives: not classified`);
  }

  // 2. The caller: the identity when given, otherwise anonymous. The credential goes only to a port
  // whose anonymous answer came from a kubelet's auth filter (401, 403, or served): a TLS listener
  // that answered otherwise is not known to authenticate anyone, and never gets it.
  const identity = opts.identity;
  let auth = kubeletCredentials(identity);
  if (identity && !auth) ep.notes.push(`the identity ${identity.label} has neither a token nor a certificate with its key: probed without credentials`);
  if (auth && ep.anonymous === null) {
    ep.notes.push(`the identity ${identity!.label} was not sent: the port did not answer like a kubelet's auth filter`);
    ep.identity = 'anonymous';
    auth = undefined;
  }
  const sendGroup = (probe: GroupProbe, a: HttpRequest['auth'] | undefined) =>
    send(probe.method, probe.path, { ...(a ? { auth: a } : {}), ...(probe.sizeOnly ? { sizeOnly: true } : {}), ...(probe.maxBody ? { maxBody: probe.maxBody } : {}), ...(probe.method === 'POST' ? { body: '' } : {}) });
  const outcomes: Outcome[] = [];
  // With an identity, what anyone gets is a separate fact from what the identity gets (issue 10):
  // when anonymous requests are accepted, every group is probed without credentials as well, so
  // "accepts anonymous requests" and what they reach rest on requests that carried none.
  let anonOutcomes: Outcome[] | undefined;
  let rest: readonly GroupProbe[] = GROUP_PROBES.slice(1);
  if (auth) {
    const first = await send('GET', podsProbe.path, { auth, sizeOnly: true });
    if (!first.result.ok) {
      ep.notes.push(`GET /pods as ${identity!.label}: ${first.result.error}`);
      rest = [];
    } else if (first.result.res.status === 401) {
      // §3: a presented but invalid token or certificate is a 401, never anonymous
      ep.notes.push(`the identity ${identity!.label} was refused (401 Unauthorized): the kubelet does not accept this token or certificate; nothing further probed with it`);
      rest = [];
    } else {
      outcomes.push({ probe: podsProbe, sent: first });
    }
    if (anonUser) ep.notes.push(`without credentials the kubelet answered as ${anonUser}: 403`);
    if (ep.anonymous === true) {
      anonOutcomes = [{ probe: podsProbe, sent: anon }, ...(await pool(GROUP_PROBES.slice(1), CONCURRENCY, async (probe) => ({ probe, sent: await sendGroup(probe, undefined) })))];
    }
  } else {
    if (ep.anonymous === false) {
      ep.notes.push('no credentials and anonymous authentication is off: every path answers 401 before routing, so no further probe was sent');
      rest = [];
    } else if (ep.anonymous === null) {
      rest = [];
    } else {
      outcomes.push({ probe: podsProbe, sent: anon });
      if (anonUser) ep.user = anonUser;
    }
  }
  outcomes.push(...(await pool(rest, CONCURRENCY, async (probe) => ({ probe, sent: await sendGroup(probe, auth) }))));

  // 3. What each answer proves: for the caller, and (with an identity) for a request without credentials.
  const caller = analyse(outcomes);
  const anonymous = anonOutcomes ? analyse(anonOutcomes) : undefined;
  denials.push(...caller.denials, ...(anonymous?.denials ?? []));
  if (caller.failures.length > 0) ep.notes.push(`no answer or an authorizer error for: ${caller.failures.join(', ')}`);
  if (anonymous && anonymous.failures.length > 0) ep.notes.push(`without credentials, no answer or an authorizer error for: ${anonymous.failures.join(', ')}`);
  if (caller.user && (auth || ep.user === undefined)) ep.user = caller.user;
  if ((caller.forbidden || anonymous?.forbidden) && ep.authorization !== 'Webhook') {
    // AlwaysAllow never denies (§3): a 403 anywhere means Webhook, whatever GET /pods suggested
    if (ep.authorization === 'AlwaysAllow') {
      ep.notes.push('GET /pods without credentials was served (200), but later probes were denied (403): Webhook authorization that allows the anonymous user /pods, not AlwaysAllow');
    }
    ep.authorization = 'Webhook';
  }
  if (auth && !caller.forbidden && ep.authorization === null && outcomes.length > 1) {
    ep.notes.push(`every probe passed authorization for ${identity!.label}: AlwaysAllow, or a Webhook that allows this identity everything`);
  }
  if (caller.debugOff || anonymous?.debugOff) {
    ep.notes.push('debugging handlers are off (405 "Debug endpoints are disabled."): exec, attach, run, portForward, containerLogs, runningpods, logs and debug/pprof are not served, although authorization passed');
  }

  // debug/flags: never requested (a PUT changes the verbosity). Inferred: nodes/proxy authorized for
  // the caller and the debugging handlers on (§2, §3); enableDebugFlagsHandler may still be off.
  const alwaysAllow = ep.authorization === 'AlwaysAllow'; // every verb of every authenticated caller
  const flagsNote = (a: Analysis, who: string) => {
    if (a.proxyVerbs.size === 0 || !a.debugOn || a.debugOff) return;
    a.reached.add('debug/flags');
    ep.notes.push(
      `debug/flags was inferred${who}, never requested (PUT /debug/flags/v changes the log verbosity): nodes/proxy is authorized (${[...a.proxyVerbs].join(', ')}) and the debugging handlers are on` +
        (alwaysAllow ? '' : '; the PUT needs verb update on nodes/proxy, which was not proved'),
    );
  };
  flagsNote(caller, '');
  if (anonymous) flagsNote(anonymous, ' for requests without credentials');

  ep.reachable = GROUP_ORDER.filter((g) => caller.reached.has(g));
  // what a request without credentials reached: the caller's own reach when the caller is anonymous
  if (ep.anonymous === false) ep.anonymousReachable = [];
  else if (ep.anonymous === true) ep.anonymousReachable = anonymous ? GROUP_ORDER.filter((g) => anonymous.reached.has(g)) : auth ? [] : [...ep.reachable];
  const anonymousUser = anonUser ?? (auth ? anonymous?.user : caller.user);
  if (anonymousUser) ep.anonymousUser = anonymousUser;
  ep.fineGrained = fineGrainedFrom(denials);
  if (ep.fineGrained === null) {
    // Without the gate, GET /pods and GET /exec are the same attribute (get nodes/proxy): one allowed
    // and the other denied, for one user, proves a more specific attribute allowed the first (§3).
    const getPassed = (o: Outcome) => o.probe.method === 'GET' && o.sent.result.ok && gateOf(o.sent.result.res.status, o.sent.text) !== 'forbidden' && o.sent.result.res.status !== 401;
    const getDenied = (o: Outcome) => o.probe.method === 'GET' && o.sent.result.ok && o.sent.result.res.status === 403;
    const split = (outs: readonly Outcome[]) => outs.some((o) => hasFineGrainedMapping(o.probe.path) && getPassed(o)) && outs.some((o) => o.probe.proxy && getDenied(o));
    if (split(outcomes) || (anonOutcomes !== undefined && split(anonOutcomes))) {
      ep.fineGrained = true;
      ep.notes.push('fine-grained authorization inferred: a GET the gate maps to a specific subresource passed while GET on nodes/proxy was denied');
    }
  }
  if (ep.fineGrained === null && denials.some((d) => d.denial.format === 'list')) ep.notes.push('the 403 bodies have the 1.32+ format, but none showed whether KubeletFineGrainedAuthz is on');

  const metrics = [...outcomes, ...(anonOutcomes ?? [])].find((o) => o.probe.group === 'metrics' && o.sent.result.ok && o.sent.result.res.status === 200 && o.sent.version);
  const version = metrics?.sent.version;
  if (version) ep.version = version;

  if (opts.tlsDetail) ep.tls = await tlsDetails(ep, send, firstTls, timeouts);
}

// ---- TLS -----------------------------------------------------------------------------------------

const PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

const CURVE_BITS: Record<string, number> = { prime256v1: 256, 'P-256': 256, secp384r1: 384, 'P-384': 384, secp521r1: 521, 'P-521': 521, secp256k1: 256 };

/** The serving certificate: names, validity, key, and whether it is self-signed (§1). */
export function describeCertificate(peer: PeerCertificateInfo, now = new Date()): { info: TlsInfo; notes: string[] } {
  const info: TlsInfo = {};
  const notes: string[] = [];
  if (peer.subject) info.subject = peer.subject;
  if (peer.issuer) info.issuer = peer.issuer;
  if (peer.sans) info.sans = peer.sans;
  if (peer.notBefore) info.notBefore = peer.notBefore;
  if (peer.notAfter) info.notAfter = peer.notAfter;
  if (peer.fingerprint256) info.fingerprint256 = peer.fingerprint256;
  if (!peer.raw) {
    // by names: itself, or the kubelet's throwaway `<host>-ca@<ts>` issuer (§1), is self-signed
    if (info.subject && info.issuer) info.selfSigned = info.subject === info.issuer || /CN=[^,\n]*-ca@\d+(,|$)/.test(info.issuer);
    notes.push('the certificate was judged by its names only (no DER)');
    return { info, notes };
  }
  let x: X509Certificate;
  try {
    x = new X509Certificate(peer.raw);
  } catch (e) {
    info.error = `the serving certificate could not be parsed: ${message(e)}`;
    return { info, notes };
  }
  info.subject ??= x.subject.split('\n').join(', ');
  info.issuer ??= x.issuer.split('\n').join(', ');
  info.notBefore ??= new Date(x.validFrom).toISOString();
  info.notAfter ??= new Date(x.validTo).toISOString();
  info.fingerprint256 ??= x.fingerprint256;
  const key = x.publicKey;
  if (key.asymmetricKeyType) info.keyType = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails;
  const bits = d?.modulusLength ?? (d?.namedCurve ? CURVE_BITS[d.namedCurve] : undefined) ?? (key.asymmetricKeyType === 'ed25519' ? 256 : undefined);
  if (bits !== undefined) info.keyBits = bits;
  const verifiesWith = (issuer: X509Certificate) => {
    try {
      return x.checkIssued(issuer) && x.verify(issuer.publicKey);
    } catch {
      return false;
    }
  };
  const issuerCn = /(?:^|\n)CN=([^\n]*)/.exec(x.issuer)?.[1] ?? '';
  if (verifiesWith(x)) {
    info.selfSigned = true; // issuer == subject and it verifies itself
  } else if (/-ca@\d+$/.test(issuerCn)) {
    // client-go GenerateSelfSignedCertKey: the kubelet's leaf `<host>@<ts>` signed by a throwaway `<host>-ca@<ts>` CA made with it
    const chain = (peer.chain ?? []).flatMap((der) => {
      try {
        return [new X509Certificate(der)];
      } catch {
        return [];
      }
    });
    const ca = chain.find((c) => verifiesWith(c));
    info.selfSigned = true;
    notes.push(`the kubelet's self-generated pair: a leaf signed by the throwaway CA "${issuerCn}"${ca ? ' sent with it' : ''} (no tlsCertFile and no serverTLSBootstrap)`);
  } else if (x.subject === x.issuer) {
    // names itself as issuer but its own key does not verify it: neither self-signed nor shown CA-signed
    notes.push('the serving certificate names itself as its issuer, but its signature does not verify with its own key: whether a CA signed it cannot be told');
  } else {
    info.selfSigned = false;
  }
  const notAfter = Date.parse(info.notAfter);
  if (Number.isFinite(notAfter) && notAfter < now.getTime()) notes.push(`the serving certificate expired on ${info.notAfter}`);
  return { info, notes };
}

async function tlsDetails(ep: Endpoint, send: Send, first: HttpResponse['tls'] | undefined, timeouts: Timeouts): Promise<TlsInfo> {
  let info: TlsInfo = {};
  if (first?.peer) {
    const d = describeCertificate(first.peer);
    info = d.info;
    ep.notes.push(...d.notes);
  } else {
    info.error = 'no serving certificate was seen';
  }
  if (first?.clientCertRequested !== undefined) info.clientCertRequested = first.clientCertRequested;

  // one bounded handshake per protocol version, then per weak suite; no credentials; GET /healthz
  const protoResults = await pool(PROTOCOLS, CONCURRENCY, async (v) => {
    const s = await send('GET', '/healthz', { tlsOptions: { minVersion: v, maxVersion: v }, label: `(TLS probe: ${v} only)` });
    const r = s.result;
    if (r.ok) return { v, accepted: true as boolean | undefined };
    if (r.error === 'tls-error' && r.tls?.protocol === v) return { v, accepted: true };
    return { v, accepted: r.error === 'tls-error' || r.error === 'reset' ? false : undefined };
  });
  info.protocols = protoResults.filter((p) => p.accepted === true).map((p) => p.v);
  const unknownProto = protoResults.filter((p) => p.accepted === undefined).map((p) => p.v);
  if (unknownProto.length > 0) {
    info.protocolsUntold = unknownProto;
    ep.notes.push(`TLS versions not told (no answer): ${unknownProto.join(', ')}`);
  }

  // Each weak suite through OpenSSL where it still has it; the others (3DES, RC4 in OpenSSL 3) by a
  // hand-made ClientHello offering that suite alone (tls-hello.ts): every suite gets an answer.
  const available = new Set(getCiphers().map((c) => c.toUpperCase()));
  const cipherResults = await pool(WEAK_CIPHERS, CONCURRENCY, async (c) => {
    if (!available.has(c.name)) {
      const record: ProbeRecord = { method: 'TLS', path: `ClientHello offering ${c.name} only`, bodyPreview: '(hand-made ClientHello: the runtime\'s OpenSSL lacks this suite)' };
      ep.probes.push(record);
      const a = await offerSuite(ep.host, ep.port, c.id, timeouts);
      record.ms = a.ms;
      if (a.accepted === undefined) record.error = a.why;
      else record.bodyPreview = a.accepted ? '(ServerHello chose it: accepted)' : '(refused)';
      return { c, accepted: a.accepted };
    }
    const s = await send('GET', '/healthz', { tlsOptions: { minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: c.name }, label: `(TLS probe: ${c.name} only)` });
    const r = s.result;
    if (r.ok) return { c, accepted: true as boolean | undefined };
    if (r.error === 'tls-error' && /no cipher match|options rejected/i.test(r.detail)) return { c, accepted: undefined };
    return { c, accepted: r.error === 'tls-error' || r.error === 'reset' ? false : undefined };
  });
  const told = cipherResults.filter((r) => r.accepted !== undefined);
  if (told.length > 0) info.weakCiphers = told.filter((r) => r.accepted).map((r) => r.c.name);
  const notTold = cipherResults.filter((r) => r.accepted === undefined).map((r) => r.c.name);
  if (notTold.length > 0) {
    info.weakCiphersUntold = notTold;
    ep.notes.push(`weak suites not told (no answer): ${notTold.join(', ')}`);
  }
  return info;
}

// ---- the read-only port (10255) and the healthz port (10248) --------------------------------------

function plainEndpoint(host: string, port: number, service: 'kubelet-read-only' | 'kubelet-healthz'): Endpoint {
  return { host, port, service, state: 'open', reachable: [], identity: 'anonymous', probes: [], notes: [] };
}

/** §1, §2: plain HTTP, no authentication at all; what it serves: pods, stats, metrics, healthz (and /checkpoint on CVE-2025-0426 kubelets). */
export async function probeReadOnly(host: string, port: number, opts: PlainProbeOptions = {}): Promise<Endpoint> {
  const ep = plainEndpoint(host, port, 'kubelet-read-only');
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
  const send = makeSender(ep, false, timeouts, []);
  try {
    const pods = await send('GET', '/pods', { sizeOnly: true });
    if (!pods.result.ok) {
      ep.state = stateOf(pods.result.error);
      ep.notes.push(`GET /pods: ${pods.result.error} (${oneLine(pods.result.detail).slice(0, PREVIEW_MAX)})`);
      return ep;
    }
    const status = pods.result.res.status;
    if (status === 200) ep.reachable.push('pods');
    else if (status === 401 || status === 403) ep.notes.push(`GET /pods answered ${status}: this port authenticates, unlike the kubelet's read-only port`);
    else ep.notes.push(`GET /pods answered ${status}, not the kubelet's pod list`);
    const more: Array<{ group: EndpointGroup; method: 'GET' | 'POST'; path: string; o?: SendOptions }> = [
      { group: 'stats', method: 'GET', path: '/stats/summary' },
      { group: 'metrics', method: 'GET', path: '/metrics', o: { maxBody: METRICS_BODY } },
      { group: 'healthz', method: 'GET', path: '/healthz' },
      // CVE-2025-0426: /checkpoint on the read-only port; a pod that does not exist, nothing is checkpointed
      { group: 'checkpoint', method: 'POST', path: `/checkpoint/${PROBE_TARGET}/${PROBE_CONTAINER}`, o: { body: '' } },
    ];
    const results = await pool(more, CONCURRENCY, async (m) => ({ m, sent: await send(m.method, m.path, m.o) }));
    for (const { m, sent } of results) {
      if (!sent.result.ok) continue;
      const st = sent.result.res.status;
      if (m.group === 'checkpoint') {
        if (gateOf(st, sent.text) === 'passed' && st !== 401 && st !== 403) {
          ep.reachable.push('checkpoint');
          ep.notes.push(`POST /checkpoint answered ${st} on the read-only port: the checkpoint API is served without authentication (CVE-2025-0426; fixed in 1.29.14, 1.30.10, 1.31.6, 1.32.2)`);
        }
        continue;
      }
      if (st === 200) ep.reachable.push(m.group);
      if (m.group === 'metrics' && st === 200) {
        const v = sent.version;
        if (v) ep.version = v;
      }
    }
    ep.reachable = GROUP_ORDER.filter((g) => ep.reachable.includes(g));
  } catch (e) {
    ep.notes.push(`probe stopped: ${message(e)}`);
  }
  return ep;
}

/** §1: the healthz listener serves only /healthz, no authentication; meant for 127.0.0.1. */
export async function probeHealthz(host: string, port: number, opts: PlainProbeOptions = {}): Promise<Endpoint> {
  const ep = plainEndpoint(host, port, 'kubelet-healthz');
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
  const send = makeSender(ep, false, timeouts, []);
  try {
    const r = await send('GET', '/healthz');
    if (!r.result.ok) {
      ep.state = stateOf(r.result.error);
      ep.notes.push(`GET /healthz: ${r.result.error} (${oneLine(r.result.detail).slice(0, PREVIEW_MAX)})`);
      return ep;
    }
    if (r.result.res.status === 200) ep.reachable.push('healthz');
    else ep.notes.push(`GET /healthz answered ${r.result.res.status}, not the kubelet's "ok"`);
  } catch (e) {
    ep.notes.push(`probe stopped: ${message(e)}`);
  }
  return ep;
}

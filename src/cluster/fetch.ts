// The API-server client of `kubelet-guard cluster`. @kubernetes/client-node is loaded lazily (it
// costs ~400 ms to import) and used only to hold the kubeconfig (read and decoded by kubeconfig.ts,
// as kubectl reads it) and work out auth (CA, client
// certificate, bearer token, exec/auth-provider plugins) via applyToHTTPSOptions. Requests go
// through node:https with ONE keep-alive Agent (bounded sockets), a per-request deadline (list pages
// too) and the run's abort signal, a body cap by the bytes held, no redirect following, and every
// non-2xx answer returned as data (a 403 is a finding about our permissions, not a crash). Lists are
// parsed item by item as they arrive (list-stream.ts) within LIST_BOUNDS; exec credential plugins
// run with a deadline (exec-credential.ts).
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { authCredentials, userCredentials } from './credentials.ts';
import { createHash } from 'node:crypto';
import { ByteSink } from '../net/byte-sink.ts';
import { ListPageParser, ListStreamError } from './list-stream.ts';
import { checkLibraryFiles, readKubeconfig } from './kubeconfig.ts';
import { runExecPlugin, type ExecConfig, type ExecCredentialStatus } from './exec-credential.ts';
import { errorWords } from '../sources/errno.ts';

export type GetResult =
  | { ok: true; status: number; body: Buffer }
  | { ok: false; status?: number; error: string; body?: Buffer };

export interface GetOptions {
  /** whole-request deadline, connect to last byte (default: the client's, 10,000 ms) */
  timeoutMs?: number;
  /** body cap in bytes (default 16 MiB) */
  maxBytes?: number;
}

/**
 * The bounds on one list, each far above what a real cluster needs (Kubernetes' scalability limits
 * are 5,000 nodes and 150,000 pods; an object is at most ~1.5 MiB, etcd's request limit), so only
 * a hostile or broken API server reaches them. A list that does is stopped with an error saying
 * which bound, never cut silently.
 */
export interface RequestOptions extends GetOptions {
  /** sent as JSON */
  body?: unknown;
  /** sent even once the run is stopped (deleting what the run created, after Ctrl-C or the deadline) */
  ignoreRunSignal?: boolean;
  /** the body's Content-Type (default application/json; a PATCH names its kind: application/merge-patch+json) */
  contentType?: string;
}

export const LIST_BOUNDS = {
  pageSize: 500,
  /** items in one list, all pages together */
  maxItems: 1_000_000,
  /** pages in one list: 5 million items at 500 a page, so only an endless `continue` reaches it */
  maxPages: 10_000,
  /** one item's JSON */
  maxItemBytes: 8 * 1024 * 1024,
  /** a page without its items (kind, metadata) */
  maxSkeletonBytes: 1024 * 1024,
  /** one continue token (a real one is a few hundred bytes of base64) */
  maxContinueBytes: 16 * 1024,
};

export type ListOptions = Partial<typeof LIST_BOUNDS> & {
  /** one answer, no limit/continue: a list that is not the API server's own (the kubelet's /pods through the node proxy) */
  single?: boolean;
};

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  /** the API server URL from the kubeconfig */
  readonly server: string;
  /** one GET; never throws: every failure (status, timeout, the run's deadline, credentials) is data */
  get(path: string, opts?: GetOptions): Promise<GetResult>;
  /**
   * Every item of a list, each parsed as it arrives (a page is never held whole), following
   * `metadata.continue` within LIST_BOUNDS; throws ApiError on a failed page or a bound reached.
   */
  list<T>(path: string, opts?: number | ListOptions): AsyncGenerator<T>;
  /**
   * One write (creating or deleting what `cluster --node-audit` runs; what `fix --cluster --write`
   * creates, replaces or patches), never retried but after a 401 with new credentials; never throws, like get.
   */
  request(method: WriteMethod, path: string, opts?: RequestOptions): Promise<GetResult>;
  close(): void;
}

export class ApiError extends Error {
  readonly status: number | undefined;
  readonly path: string;
  /** true when the audit stopped reading (a bound, or the run's deadline), not the server refusing */
  readonly cut: boolean;
  constructor(path: string, status: number | undefined, message: string, cut = false) {
    super(message);
    this.name = 'ApiError';
    this.path = path;
    this.status = status;
    this.cut = cut;
  }
}

export interface ConnectOptions {
  /** a kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account) */
  kubeconfig?: string;
  /** a context name (default: the kubeconfig's current-context) */
  context?: string;
  /** sockets in the keep-alive pool (default 32) */
  maxSockets?: number;
  /** where the in-cluster service account folder (/var/run/secrets/kubernetes.io/serviceaccount) is mounted, as a path prefix (default: the real one) */
  inClusterPrefix?: string;
  /** each credential the kubeconfig holds or its auth produces (an exec plugin's token), for the output layer to mask */
  onSecret?: (secret: string) => void;
  /** the deadline of each request (each list page too) and of each exec plugin run (default 10,000 ms) */
  timeoutMs?: number;
  /** the whole run: once aborted, nothing more is sent and what is in flight ends with its reason */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
/** what is read of a non-2xx answer: enough for any Status */
const ERROR_BODY_MAX = 64 * 1024;
/** a Status message quoted in an error */
const MESSAGE_MAX = 1000;
/** items parsed ahead of the consumer before the socket is paused */
const QUEUE_HIGH = 256;
/** re-run the kubeconfig's auth (exec plugins, token files) this often, and after a 401 */
const AUTH_REFRESH_MS = 60_000;

type KubeConfigT = import('@kubernetes/client-node').KubeConfig;

/** A kubeconfig file into `kc`, read and decoded by readKubeconfig (the library opens nothing). */
function loadFile(kc: KubeConfigT, file: string): void {
  const doc = readKubeconfig(file);
  // the library's loadFromString (js-yaml) reads JSON as it is: the plain object, decoded already
  try {
    kc.loadFromString(JSON.stringify(doc));
  } catch (e) {
    throw new Error(`kubeconfig ${file}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

async function loadKubeConfig(opts: ConnectOptions): Promise<KubeConfigT> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const envFiles = (process.env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f);
  const home = process.env.HOME ? path.join(process.env.HOME, '.kube', 'config') : undefined;
  if (opts.kubeconfig) {
    loadFile(kc, opts.kubeconfig);
  } else if (envFiles.length > 0) {
    // as the library's loadFromDefault merges $KUBECONFIG: the first file, then each later one
    // added (a name defined twice is an error; a later current-context wins)
    loadFile(kc, envFiles[0]!);
    for (const f of envFiles.slice(1)) {
      const more = new KubeConfig();
      loadFile(more, f);
      kc.mergeConfig(more);
    }
  } else if (home && fs.existsSync(home)) {
    loadFile(kc, home);
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    const sa = `${opts.inClusterPrefix ?? ''}/var/run/secrets/kubernetes.io/serviceaccount`;
    // the library reads these itself (the token again every minute): checked first
    checkLibraryFiles(['ca.crt', 'namespace', 'token'].map((f) => `${sa}/${f}`));
    kc.loadFromCluster(opts.inClusterPrefix);
  } else {
    throw new Error('no kubeconfig found ($KUBECONFIG, ~/.kube/config, in-cluster): pass --kubeconfig');
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new Error(`context "${opts.context}" not found in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no cluster in the kubeconfig: pass --kubeconfig or set KUBECONFIG');
  return kc;
}

/** The files the library will read for the current cluster and user (only the in-cluster ones are left). */
function libraryFiles(kc: KubeConfigT): Array<string | undefined> {
  const user = kc.getCurrentUser();
  const tokenFile = (user?.authProvider as { config?: { tokenFile?: unknown } } | undefined)?.config?.tokenFile;
  return [kc.getCurrentCluster()?.caFile, user?.certFile, user?.keyFile, typeof tokenFile === 'string' ? tokenFile : undefined];
}

/**
 * Takes the current user's credential plugins away from the library: its exec runner has no
 * deadline and keeps all output (exec_auth.js), and its gcp/azure auth-providers run a command
 * with execSync, which blocks the event loop. The exec plugin is run by exec-credential.ts; the
 * two auth-providers are refused as client-go refuses them since Kubernetes 1.26
 * (plugin/pkg/client/auth/gcp/gcp_stub.go: "The gcp auth plugin has been removed").
 */
function takeExec(kc: KubeConfigT): ExecConfig | undefined {
  const user = kc.getCurrentUser();
  if (!user) return undefined;
  const provider = (user.authProvider as { name?: unknown; config?: { exec?: unknown } } | null | undefined);
  if (provider && (provider.name === 'gcp' || provider.name === 'azure')) {
    throw new Error(`the user "${user.name}" uses the "${provider.name}" auth-provider, which client-go removed in Kubernetes 1.26: use the provider's exec credential plugin (gke-gcloud-auth-plugin, kubelogin)`);
  }
  if (provider?.config?.exec) throw new Error(`the user "${user.name}" has an auth-provider with an exec config, which kubectl does not support: use users[].user.exec`);
  if (!user.exec) return undefined;
  kc.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users.map((u) => (u === user ? { ...u, exec: undefined } : u)),
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return user.exec as ExecConfig;
}

function statusMessage(body: Buffer): string | undefined {
  try {
    const o = JSON.parse(body.toString('utf8')) as { kind?: unknown; message?: unknown };
    if (o.kind !== 'Status' || typeof o.message !== 'string') return undefined;
    return o.message.length > MESSAGE_MAX ? `${o.message.slice(0, MESSAGE_MAX)}… (${o.message.length - MESSAGE_MAX} more characters)` : o.message;
  } catch {
    return undefined;
  }
}

function reasonOf(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'aborted';
}

export async function connect(opts: ConnectOptions = {}): Promise<ApiClient> {
  const kc = await loadKubeConfig(opts);
  const onSecret = opts.onSecret ?? (() => {});
  for (const s of userCredentials(kc.getCurrentUser())) onSecret(s);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster');
  const base = new URL(cluster.server);
  if (base.protocol !== 'https:') throw new Error(`refusing a non-TLS API server URL: ${cluster.server}`);
  if (cluster.proxyUrl) throw new Error(`proxy-url in the kubeconfig is not supported yet (${cluster.proxyUrl})`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runSignal = opts.signal;
  const exec = takeExec(kc);
  const execCluster = {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
  };
  let execCred: ExecCredentialStatus | undefined;

  // Let the library work out TLS material and headers, then drop its agent for ours.
  async function applyAuth(force = false): Promise<https.RequestOptions> {
    const o: https.RequestOptions = { headers: {} };
    checkLibraryFiles(libraryFiles(kc)); // it reads them synchronously: never a device or a FIFO
    await kc.applyToHTTPSOptions(o);
    if (exec) {
      if (force || !execCred || (execCred.expiresAt !== undefined && execCred.expiresAt <= Date.now())) {
        execCred = await runExecPlugin(exec, { timeoutMs: defaultTimeout, ...(runSignal ? { signal: runSignal } : {}), cluster: execCluster });
      }
      const h = o.headers as OutgoingHttpHeaders;
      // a token in the kubeconfig wins over the plugin's, as in client-go's exec round tripper
      if (execCred.token && !h.Authorization && !h.authorization) h.Authorization = `Bearer ${execCred.token}`;
      if (execCred.clientCertificateData) {
        o.cert = execCred.clientCertificateData;
        o.key = execCred.clientKeyData;
      }
    }
    // every credential the auth produced (the exec plugin's token included), for the output layer
    for (const s of authCredentials(o)) onSecret(s);
    return o;
  }
  const first = await applyAuth();
  let headers: OutgoingHttpHeaders = { ...(first.headers as OutgoingHttpHeaders) };
  let authAt = Date.now();
  let refreshing: Promise<boolean> | undefined;
  /** re-applies the credentials; true when they changed; throws when they cannot be had */
  async function refreshAuth(force: boolean): Promise<boolean> {
    refreshing ??= (async () => {
      try {
        const o = await applyAuth(force);
        const next = { ...(o.headers as OutgoingHttpHeaders) };
        const changed = next.Authorization !== headers.Authorization || next.authorization !== headers.authorization;
        headers = next;
        return changed;
      } finally {
        authAt = Date.now(); // a failing plugin is not re-run for every request
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: opts.maxSockets ?? 32,
    maxFreeSockets: opts.maxSockets ?? 32,
    scheduling: 'lifo',
    ca: first.ca,
    cert: first.cert,
    key: first.key,
    pfx: first.pfx,
    passphrase: first.passphrase,
    servername: first.servername,
    ...(first.rejectUnauthorized !== undefined ? { rejectUnauthorized: first.rejectUnauthorized } : {}),
  });
  const basicAuth = first.auth ?? undefined;

  /**
   * One request with its deadline (connect to last byte) and the run's signal. A 2xx answer goes to
   * `onOk`, which reads the body and settles; anything else is settled here, its body read up to
   * ERROR_BODY_MAX for the Status message.
   */
  function send(path: string, timeoutMs: number, signal: AbortSignal | undefined,
    onOk: (res: IncomingMessage, settle: (r: GetResult) => void) => void, method = 'GET', payload?: Buffer, contentType = 'application/json'): Promise<GetResult> {
    if (signal?.aborted) return Promise.resolve({ ok: false, error: `not sent: ${reasonOf(signal)}` });
    return new Promise<GetResult>((resolve) => {
      let settled = false;
      const settle = (r: GetResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!r.ok) req.destroy();
        resolve(r);
      };
      const onAbort = (): void => settle({ ok: false, error: `stopped: ${reasonOf(signal!)}` });
      const req = https.request({
        agent,
        protocol: 'https:',
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || 443,
        method,
        path: prefix + path,
        headers: { ...headers, Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}) },
        ...(basicAuth ? { auth: basicAuth } : {}),
      }, (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', (e) => settle({ ok: false, status, error: `reading the response: ${e.message}` }));
        res.on('aborted', () => settle({ ok: false, status, error: 'response aborted' }));
        if (status >= 300 && status < 400) {
          settle({ ok: false, status, error: `HTTP ${status}: redirect not followed${res.headers.location ? ` (to ${String(res.headers.location).slice(0, 200)})` : ''}` });
          return;
        }
        if (status >= 200 && status < 300) {
          onOk(res, settle);
          return;
        }
        const body = new ByteSink(ERROR_BODY_MAX, 4096);
        let whole = true;
        const done = (): void => {
          const msg = whole ? statusMessage(body.view()) : undefined;
          settle({ ok: false, status, error: `HTTP ${status}${msg ? `: ${msg}` : whole ? '' : ` (an answer over ${ERROR_BODY_MAX} bytes, not read)`}`, body: Buffer.from(body.view()) });
        };
        res.on('data', (c: Buffer) => {
          if (!body.append(c)) { // what fits is kept
            whole = false;
            done(); // no need for more (settling destroys the request)
          }
        });
        res.on('end', done);
        res.on('close', done);
      });
      const timer = setTimeout(() => settle({ ok: false, error: `timeout after ${timeoutMs} ms` }), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => settle({ ok: false, error: errorWords(e) }));
      req.end(payload);
    });
  }

  /** Credentials first (an exec plugin may have to run again): their failure is a result too. */
  async function authed(): Promise<GetResult | undefined> {
    if (Date.now() - authAt <= AUTH_REFRESH_MS) return undefined;
    try {
      await refreshAuth(false);
      return undefined;
    } catch (e) {
      return { ok: false, error: `credentials: ${(e as Error).message}` };
    }
  }

  /** After a 401: new credentials and true when they changed (worth a retry), or why there are none. */
  async function after401(): Promise<boolean | GetResult> {
    try {
      return await refreshAuth(true);
    } catch (e) {
      return { ok: false, status: 401, error: `HTTP 401, and new credentials could not be had: ${(e as Error).message}` };
    }
  }

  function readBody(maxBytes: number) {
    return (res: IncomingMessage, settle: (r: GetResult) => void): void => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        settle({ ok: false, status, error: `response too large: ${declared} bytes > ${maxBytes}` });
        return;
      }
      const body = new ByteSink(maxBytes, Number.isFinite(declared) && declared > 0 ? declared : 16 * 1024);
      res.on('data', (c: Buffer) => {
        if (!body.append(c)) settle({ ok: false, status, error: `response too large: over ${maxBytes} bytes` });
      });
      res.on('end', () => settle({ ok: true, status, body: body.view() }));
      res.on('close', () => settle({ ok: false, status, error: 'the connection closed before the answer ended' }));
    };
  }

  async function get(path: string, o: GetOptions = {}): Promise<GetResult> {
    if (!path.startsWith('/')) throw new Error(`path must start with "/": ${path}`);
    const failed = await authed();
    if (failed) return failed;
    const timeoutMs = o.timeoutMs ?? defaultTimeout;
    const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
    const r = await send(path, timeoutMs, runSignal, readBody(maxBytes));
    // an expired exec/file token: refresh once and retry if the credentials changed
    if (!r.ok && r.status === 401) {
      const changed = await after401();
      if (changed === true) return send(path, timeoutMs, runSignal, readBody(maxBytes));
      if (changed !== false) return changed;
    }
    return r;
  }

  async function request(method: WriteMethod, path: string, o: RequestOptions = {}): Promise<GetResult> {
    if (!path.startsWith('/')) throw new Error(`path must start with "/": ${path}`);
    const failed = await authed();
    if (failed) return failed;
    const timeoutMs = o.timeoutMs ?? defaultTimeout;
    const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
    const signal = o.ignoreRunSignal ? undefined : runSignal;
    const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const r = await send(path, timeoutMs, signal, readBody(maxBytes), method, payload, o.contentType);
    if (!r.ok && r.status === 401) {
      const changed = await after401();
      if (changed === true) return send(path, timeoutMs, signal, readBody(maxBytes), method, payload, o.contentType);
      if (changed !== false) return changed;
    }
    return r;
  }

  async function* list<T>(path: string, o: number | ListOptions = {}): AsyncGenerator<T> {
    const b = { ...LIST_BOUNDS, ...(typeof o === 'number' ? { pageSize: o } : o) };
    const stop = new AbortController();
    const signal = runSignal ? AbortSignal.any([runSignal, stop.signal]) : stop.signal;
    const queue: T[] = [];
    let head = 0;
    let paused: IncomingMessage | undefined;
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: ApiError | undefined;
    const fail = (msg: string, status?: number, cut = false) => new ApiError(path, status, `GET ${path}: ${msg}`, cut);

    async function pump(): Promise<void> {
      const seen = new Set<string>();
      let cont: string | undefined;
      let pages = 0;
      let items = 0;
      do {
        if (pages === b.maxPages) {
          throw fail(`stopped after ${b.maxPages} pages (${items} items), the bound on one list: the API server keeps answering with a new continue token`, undefined, true);
        }
        pages++;
        const u = new URL(path, 'https://x');
        if (!b.single) u.searchParams.set('limit', String(b.pageSize));
        if (cont) u.searchParams.set('continue', cont);
        const page = u.pathname + u.search;
        let pageError: ApiError | undefined;
        const parser = new ListPageParser(b, (item) => {
          if (++items > b.maxItems) throw fail(`stopped at ${b.maxItems} items, the bound on one list`, 200, true);
          queue.push(item as T);
        });
        const onOk = (res: IncomingMessage, settle: (r: GetResult) => void): void => {
          res.on('data', (c: Buffer) => {
            if (pageError) return;
            try {
              parser.write(c);
            } catch (e) {
              pageError = e instanceof ApiError ? e : fail(`page ${pages}: ${(e as Error).message}`, res.statusCode, e instanceof ListStreamError && /over \d+ bytes/.test(e.message));
              settle({ ok: false, error: pageError.message });
              return;
            }
            if (queue.length - head >= QUEUE_HIGH && !paused) {
              paused = res;
              res.pause();
            }
            wake?.();
          });
          res.on('end', () => settle({ ok: true, status: res.statusCode ?? 200, body: Buffer.alloc(0) }));
          res.on('close', () => settle({ ok: false, error: 'the connection closed before the answer ended' }));
        };
        const failedAuth = await authed();
        if (failedAuth && !failedAuth.ok) throw fail(failedAuth.error);
        let r = await send(page, defaultTimeout, signal, onOk);
        if (!r.ok && r.status === 401) {
          const changed = await after401();
          if (changed === true) r = await send(page, defaultTimeout, signal, onOk);
          else if (changed !== false) r = changed;
        }
        paused = undefined;
        if (pageError) throw pageError;
        if (!r.ok) {
          if (runSignal?.aborted) throw fail(`not read to the end (${items} items, ${pages} pages): ${reasonOf(runSignal)}`, r.status, true);
          throw fail(r.error, r.status);
        }
        let skeleton: ReturnType<ListPageParser['end']>;
        try {
          skeleton = parser.end();
        } catch (e) {
          throw fail(`page ${pages}: ${(e as Error).message}`, r.status);
        }
        if (!parser.hasItems || !Array.isArray(skeleton.items) || skeleton.items.length !== 0) throw fail('the answer has no items list', r.status);
        const next = skeleton.metadata?.continue;
        cont = typeof next === 'string' && next !== '' && !b.single ? next : undefined;
        if (cont !== undefined) {
          if (cont.length > b.maxContinueBytes) throw fail(`page ${pages} has a continue token of ${cont.length} bytes, over the bound of ${b.maxContinueBytes}`, r.status, true);
          const h = createHash('sha256').update(cont).digest('base64');
          if (seen.has(h)) throw fail(`page ${pages} repeats a continue token the API server gave before: the list loops (${items} items read)`, r.status, true);
          seen.add(h);
        }
      } while (cont);
    }

    const done = pump().then(
      () => { finished = true; wake?.(); },
      (e: unknown) => { failure = e instanceof ApiError ? e : fail((e as Error).message); finished = true; wake?.(); },
    );
    try {
      for (;;) {
        while (head < queue.length) {
          const item = queue[head]!;
          queue[head++] = undefined as T; // let the consumer's reduction free it
          if (head === queue.length) {
            queue.length = 0;
            head = 0;
          }
          if (paused && queue.length - head < QUEUE_HIGH / 4) {
            const p = paused;
            paused = undefined;
            p.resume();
          }
          yield item;
        }
        if (finished) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      if (!finished) {
        stop.abort(new Error('the list was left early'));
        paused?.resume();
        await done;
      }
    }
  }

  return {
    server: cluster.server,
    get,
    list,
    request,
    close() {
      agent.destroy();
    },
  };
}

/**
 * Runs fn over items with at most `limit` calls in flight, yielding results in COMPLETION order
 * (fn gets the index, so callers can restore input order). A rejection from fn stops new work and
 * is thrown from the generator; breaking out of the loop stops launching new calls too.
 */
export async function* mapLimit<T, R>(items: Iterable<T>, limit: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const it = items[Symbol.iterator]();
  const running = new Map<number, Promise<{ id: number; value: R }>>();
  let next = 0;
  let exhausted = false;
  const launch = (): void => {
    while (!exhausted && running.size < limit) {
      const n = it.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      const id = next++;
      const p = Promise.resolve().then(() => fn(n.value, id)).then((value) => ({ id, value }));
      p.catch(() => {}); // handled by the race below, or abandoned after an early exit
      running.set(id, p);
    }
  };
  try {
    launch();
    while (running.size > 0) {
      const { id, value } = await Promise.race(running.values());
      running.delete(id);
      launch();
      yield value;
    }
  } finally {
    if (!exhausted) {
      exhausted = true;
      it.return?.();
    }
  }
}

// The API-server client of `kubelet-guard cluster`. @kubernetes/client-node is loaded lazily (it
// costs ~400 ms to import) and used only to read the kubeconfig and work out auth (CA, client
// certificate, bearer token, exec/auth-provider plugins) via applyToHTTPSOptions. Requests go
// through node:https with ONE keep-alive Agent (bounded sockets), a per-request deadline, a body
// cap, no redirect following, and every non-2xx answer returned as data (a 403 is a finding about
// our permissions, not a crash).
import https from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';
import { authCredentials, userCredentials } from './credentials.ts';

export type GetResult =
  | { ok: true; status: number; body: Buffer }
  | { ok: false; status?: number; error: string; body?: Buffer };

export interface GetOptions {
  /** whole-request deadline, connect to last byte (default 15,000 ms) */
  timeoutMs?: number;
  /** body cap in bytes (default 16 MiB) */
  maxBytes?: number;
}

export interface ApiClient {
  /** the API server URL from the kubeconfig */
  readonly server: string;
  get(path: string, opts?: GetOptions): Promise<GetResult>;
  /** every item of a list, following `metadata.continue`; throws ApiError on a failed page */
  list<T>(path: string, pageSize?: number): AsyncGenerator<T>;
  close(): void;
}

export class ApiError extends Error {
  readonly status: number | undefined;
  readonly path: string;
  constructor(path: string, status: number | undefined, message: string) {
    super(message);
    this.name = 'ApiError';
    this.path = path;
    this.status = status;
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
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const LIST_MAX_BYTES = 256 * 1024 * 1024;
/** re-run the kubeconfig's auth (exec plugins, token files) this often, and after a 401 */
const AUTH_REFRESH_MS = 60_000;

type KubeConfigT = import('@kubernetes/client-node').KubeConfig;

async function loadKubeConfig(opts: ConnectOptions): Promise<KubeConfigT> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    kc.loadFromFile(opts.kubeconfig);
  } else if (!process.env.KUBECONFIG && process.env.KUBERNETES_SERVICE_HOST && !(await homeKubeconfigExists())) {
    kc.loadFromCluster(opts.inClusterPrefix);
  } else {
    kc.loadFromDefault();
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new Error(`context "${opts.context}" not found in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no cluster in the kubeconfig: pass --kubeconfig or set KUBECONFIG');
  // loadFromDefault falls back to http://localhost:8080 when it finds nothing at all
  if (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080') {
    throw new Error('no kubeconfig found ($KUBECONFIG, ~/.kube/config, in-cluster): pass --kubeconfig');
  }
  return kc;
}

async function homeKubeconfigExists(): Promise<boolean> {
  const { homedir } = await import('node:os');
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  return existsSync(join(homedir(), '.kube', 'config'));
}

function statusMessage(body: Buffer): string | undefined {
  try {
    const o = JSON.parse(body.toString('utf8')) as { kind?: unknown; message?: unknown };
    return o.kind === 'Status' && typeof o.message === 'string' ? o.message : undefined;
  } catch {
    return undefined;
  }
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

  // Let the library work out TLS material and headers, then drop its agent for ours.
  async function applyAuth(): Promise<https.RequestOptions> {
    const o: https.RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(o);
    for (const s of authCredentials(o)) onSecret(s);
    return o;
  }
  const first = await applyAuth();
  let headers: OutgoingHttpHeaders = { ...(first.headers as OutgoingHttpHeaders) };
  let authAt = Date.now();
  let refreshing: Promise<boolean> | undefined;
  async function refreshAuth(): Promise<boolean> {
    refreshing ??= (async () => {
      try {
        const o = await applyAuth();
        const next = { ...(o.headers as OutgoingHttpHeaders) };
        const changed = next.Authorization !== headers.Authorization || next.authorization !== headers.authorization;
        headers = next;
        authAt = Date.now();
        return changed;
      } finally {
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

  function once(path: string, timeoutMs: number, maxBytes: number): Promise<GetResult> {
    return new Promise<GetResult>((resolve) => {
      let settled = false;
      const finish = (r: GetResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = https.request({
        agent,
        protocol: 'https:',
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || 443,
        method: 'GET',
        path: prefix + path,
        headers: { ...headers, Accept: 'application/json' },
        ...(basicAuth ? { auth: basicAuth } : {}),
      }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          finish({ ok: false, status, error: `HTTP ${status}: redirect not followed${res.headers.location ? ` (to ${res.headers.location})` : ''}` });
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          req.destroy();
          finish({ ok: false, status, error: `response too large: ${declared} bytes > ${maxBytes}` });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            finish({ ok: false, status, error: `response too large: over ${maxBytes} bytes` });
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => finish({ ok: false, status, error: `reading the response: ${e.message}` }));
        res.on('aborted', () => finish({ ok: false, status, error: 'response aborted' }));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (status >= 200 && status < 300) {
            finish({ ok: true, status, body });
          } else {
            const msg = statusMessage(body);
            finish({ ok: false, status, error: `HTTP ${status}${msg ? `: ${msg}` : ''}`, body });
          }
        });
      });
      const timer = setTimeout(() => {
        finish({ ok: false, error: `timeout after ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (e) => finish({ ok: false, error: e.message }));
      req.end();
    });
  }

  async function get(path: string, o: GetOptions = {}): Promise<GetResult> {
    if (!path.startsWith('/')) throw new Error(`path must start with "/": ${path}`);
    if (Date.now() - authAt > AUTH_REFRESH_MS) await refreshAuth();
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
    const r = await once(path, timeoutMs, maxBytes);
    // an expired exec/file token: refresh once and retry if the credentials changed
    if (!r.ok && r.status === 401 && (await refreshAuth())) return once(path, timeoutMs, maxBytes);
    return r;
  }

  async function* list<T>(path: string, pageSize = 500): AsyncGenerator<T> {
    let cont: string | undefined;
    do {
      const u = new URL(path, 'https://x');
      u.searchParams.set('limit', String(pageSize));
      if (cont) u.searchParams.set('continue', cont);
      const page = u.pathname + u.search;
      const r = await get(page, { timeoutMs: 60_000, maxBytes: LIST_MAX_BYTES });
      if (!r.ok) throw new ApiError(path, r.status, `GET ${path}: ${r.error}`);
      let parsed: { items?: unknown; metadata?: { continue?: unknown } };
      try {
        parsed = JSON.parse(r.body.toString('utf8')) as typeof parsed;
      } catch (e) {
        throw new ApiError(path, r.status, `GET ${path}: the answer is not JSON (${(e as Error).message})`);
      }
      if (!Array.isArray(parsed.items)) throw new ApiError(path, r.status, `GET ${path}: the answer has no items list`);
      for (const item of parsed.items as T[]) yield item;
      const next = parsed.metadata?.continue;
      cont = typeof next === 'string' && next !== '' ? next : undefined;
    } while (cont);
  }

  return {
    server: cluster.server,
    get,
    list,
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

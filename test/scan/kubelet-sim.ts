// A kubelet simulator for the scan tests: the secure port (TLS), the read-only port and the healthz
// port, with the routes of kubelet-facts §2 and the auth filter of §3 in front of every path on the
// secure port, answering with the exact statuses and bodies. It never runs anything: a request that
// a real kubelet would turn into an effect (exec, run, checkpoint of an existing pod, PUT
// /debug/flags/v, an Upgrade) is answered with a harmless stand-in and RECORDED, so tests can assert
// that the probes never sent one. Loopback only; every server and socket has an 'error' handler.
import https from 'node:https';
import http from 'node:http';
import type { TLSSocket, SecureVersion } from 'node:tls';
import type { Socket, AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SimCertKind = 'self-signed' | 'ca-signed' | 'kubelet-self-signed';

export interface KubeletSimOptions {
  /** a loopback address, 127.x.y.z */
  host: string;
  /** authentication.anonymous.enabled */
  anonymous: boolean;
  authorization: 'AlwaysAllow' | 'Webhook';
  /** the Webhook authorizer's answer per attribute (default: deny everything) */
  policy?: (user: string, verb: string, subresource: string) => boolean;
  /** KubeletFineGrainedAuthz on: [pods proxy]-style attribute lists and the 1.32+ 403 format; off: the old single-subresource format */
  fineGrained: boolean;
  /** the 1.32+ list format with the gate off (e.g. 1.32 defaults): 403 bodies list [proxy] only. Default: fineGrained */
  listFormat?: boolean;
  /** enableDebuggingHandlers */
  debuggingHandlers: boolean;
  /** enableSystemLogHandler / enableProfilingHandler (only when debuggingHandlers is on; default true) */
  systemLogHandler?: boolean;
  profilingHandler?: boolean;
  /** serve 10255 (no auth) */
  readOnlyPort: boolean;
  /** CVE-2025-0426: /checkpoint served on the read-only port without auth */
  readOnlyCheckpoint?: boolean;
  /** serve 10248 */
  healthz: boolean;
  /** the serving certificate: a plain self-signed cert, a leaf signed by a cluster CA, or the kubelet's own leaf + `<node>-ca@<ts>` pair */
  cert: SimCertKind;
  /** authentication.x509.clientCAFile: a presented client cert signed by it authenticates as its CN; any other presented cert is a 401 */
  clientCA?: string;
  /** authentication.webhook (TokenReview) stand-in: token → user. Without it a bearer token is ignored (no token authenticator). */
  tokens?: Record<string, string>;
  /** serving TLS settings (default Go-like: TLS 1.2+, ECDHE AEAD suites only) */
  tls?: { minVersion?: SecureVersion; ciphers?: string };
  /** the kubelet version shown in /metrics (default v1.31.4) */
  version?: string;
  nodeName?: string;
  /** preferred ports (default 10250 / 10255 / 10248; a busy port falls back to a random one) */
  ports?: { secure?: number; readOnly?: number; healthz?: number };
  /** a hostile kubelet: these bodies (200) in place of the simulated /pods, /metrics and /configz */
  bodies?: { pods?: string | Buffer; metrics?: string | Buffer; configz?: string | Buffer };
}

/** A hardened kubelet (webhook authn/authz, fine-grained, no read-only port, no healthz) on `host`, with `over` changed. */
export const simOptions = (host: string, over: Partial<KubeletSimOptions> = {}): KubeletSimOptions => ({
  host,
  anonymous: false,
  authorization: 'Webhook',
  fineGrained: true,
  debuggingHandlers: true,
  readOnlyPort: false,
  healthz: false,
  cert: 'self-signed',
  ...over,
});

export interface SimRequest {
  server: 'secure' | 'readOnly' | 'healthz';
  method: string;
  /** path with the query */
  url: string;
  path: string;
  upgrade: boolean;
  /** the user the auth filter settled on, when it got that far */
  user?: string;
  status: number;
  /** a request a real kubelet would have turned into an effect (exec, run, checkpoint, flag change, stream) */
  effect?: string;
}

export interface KubeletSim {
  host: string;
  ports: { secure: number; readOnly?: number; healthz?: number };
  /** every request seen, in order */
  requests: SimRequest[];
  /** the serving chain (PEM) and, for ca-signed, the CA that signed it */
  servingCert: { chain: string; ca?: string };
  close(): Promise<void>;
}

// ---- the node's pods: names tests can check no probe ever touched, and values no report may show ----

export const SIM_POD_NAMES = ['kube-proxy-sim7x', 'web-sim-5d9c8'];
export const SIM_SECRET_VALUES = ['S3cr3t-sim-db-password-value', 'sim-api-token-9f8e7d6c5b4a'];

function podList(nodeName: string): unknown {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: {},
    items: [
      {
        metadata: { name: 'kube-proxy-sim7x', namespace: 'kube-system', uid: '11111111-2222-3333-4444-555555555555' },
        spec: {
          nodeName,
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          volumes: [
            { name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } },
          ],
          containers: [
            {
              name: 'kube-proxy',
              image: 'registry.k8s.io/kube-proxy:v1.31.4',
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
                { name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
              ],
            },
          ],
        },
        status: { phase: 'Running' },
      },
      {
        metadata: { name: 'web-sim-5d9c8', namespace: 'default', uid: '66666666-7777-8888-9999-000000000000' },
        spec: {
          nodeName,
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              env: [
                { name: 'DB_PASSWORD', value: SIM_SECRET_VALUES[0] },
                { name: 'API_TOKEN', value: SIM_SECRET_VALUES[1] },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
            },
          ],
        },
        status: { phase: 'Running' },
      },
    ],
  };
}

const POD_NS: Record<string, string> = { 'kube-proxy-sim7x': 'kube-system', 'web-sim-5d9c8': 'default' };
const POD_CONTAINERS: Record<string, string[]> = { 'kube-proxy-sim7x': ['kube-proxy'], 'web-sim-5d9c8': ['web'] };
const podExists = (ns: string, pod: string) => POD_NS[pod] === ns;

function statsSummary(nodeName: string): unknown {
  return {
    node: { nodeName, startTime: '2026-01-01T00:00:00Z', cpu: { time: '2026-01-01T00:00:10Z', usageNanoCores: 123456 }, memory: { workingSetBytes: 1048576 } },
    pods: [
      { podRef: { name: 'kube-proxy-sim7x', namespace: 'kube-system', uid: '11111111-2222-3333-4444-555555555555' }, containers: [{ name: 'kube-proxy' }] },
      { podRef: { name: 'web-sim-5d9c8', namespace: 'default', uid: '66666666-7777-8888-9999-000000000000' }, containers: [{ name: 'web' }] },
    ],
  };
}

function metricsText(version: string): string {
  const minor = /^v1\.(\d+)/.exec(version)?.[1] ?? '0';
  return [
    '# HELP kubernetes_build_info [ALPHA] A metric with a constant \'1\' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.',
    '# TYPE kubernetes_build_info gauge',
    `kubernetes_build_info{build_date="2024-12-10T11:36:10Z",compiler="gc",git_commit="0123456789abcdef0123456789abcdef01234567",git_tree_state="clean",git_version="${version}",go_version="go1.22.10",major="1",minor="${minor}",platform="linux/amd64"} 1`,
    '# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox',
    '# TYPE kubelet_running_pods gauge',
    'kubelet_running_pods 2',
    '',
  ].join('\n');
}

function configz(o: KubeletSimOptions, readOnlyPort: number): unknown {
  return {
    kubeletconfig: {
      enableServer: true,
      staticPodPath: '/etc/kubernetes/manifests',
      address: '0.0.0.0',
      port: 10250,
      readOnlyPort: o.readOnlyPort ? readOnlyPort : 0,
      authentication: {
        x509: { clientCAFile: o.clientCA ? '/etc/kubernetes/pki/ca.crt' : '' },
        webhook: { enabled: o.tokens !== undefined, cacheTTL: '2m0s' },
        anonymous: { enabled: o.anonymous },
      },
      authorization: { mode: o.authorization, webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
      healthzPort: 10248,
      healthzBindAddress: '127.0.0.1',
      enableDebuggingHandlers: o.debuggingHandlers,
      streamingConnectionIdleTimeout: '4h0m0s',
      featureGates: { KubeletFineGrainedAuthz: o.fineGrained },
    },
  };
}

const LOGS_INDEX = '<pre>\n<a href="alternatives.log">alternatives.log</a>\n<a href="containers/">containers/</a>\n<a href="pods/">pods/</a>\n<a href="syslog">syslog</a>\n</pre>\n';
const PPROF_INDEX = '<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n/debug/pprof/<br>\n<br>\nTypes of profiles available:\n</body>\n</html>\n';

// ---- answers ----

interface Answer { status: number; body: string | Buffer; type?: string; effect?: string }

/** Go's http.Error: text/plain, the message and a newline (§2 "Debug endpoints are disabled." + newline). */
const httpError = (status: number, msg: string): Answer => ({ status, body: msg + '\n', type: 'text/plain; charset=utf-8' });
/** go-restful's WriteErrorString / WriteError(err): the message exactly, no newline (§3 "Unauthorized"). */
const restfulError = (status: number, msg: string): Answer => ({ status, body: msg });
const json = (v: unknown): Answer => ({ status: 200, body: JSON.stringify(v), type: 'application/json' });
const NOT_FOUND = restfulError(404, '404: Page Not Found');
const METHOD_NOT_ALLOWED = restfulError(405, '405: Method Not Allowed');
const DEBUG_DISABLED = httpError(405, 'Debug endpoints are disabled.');

/** `isSubpath` of pkg/kubelet/server/auth.go: exact, or the prefix followed by '/'. */
function isSubpath(path: string, base: string): boolean {
  const b = base.replace(/\/$/, '');
  return path === b || path.startsWith(b + '/');
}

/** §3 request → attributes: the verb from the method, the subresource(s) from the path. */
export function simAttributes(method: string, path: string, fineGrained: boolean): { verb: string; subresources: string[] } {
  const verb = ({ POST: 'create', GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? '';
  const subs: string[] = [];
  if (fineGrained) {
    if (isSubpath(path, '/pods')) subs.push('pods');
    else if (isSubpath(path, '/healthz')) subs.push('healthz');
    else if (isSubpath(path, '/configz')) subs.push('configz');
    else if (isSubpath(path, '/statusz')) subs.push('statusz');
    else if (isSubpath(path, '/runningpods/')) subs.push('pods');
  }
  if (isSubpath(path, '/stats/')) subs.push('stats');
  else if (isSubpath(path, '/metrics')) subs.push('metrics');
  else if (isSubpath(path, '/logs/')) subs.push('log');
  else if (isSubpath(path, '/checkpoint/')) subs.push('checkpoint');
  else subs.push('proxy');
  return { verb, subresources: subs };
}

interface RouteContext {
  o: KubeletSimOptions;
  secure: boolean; // false: the read-only port (no debugging handlers, §2)
  nodeName: string;
  readOnlyPort: number;
}

/** The routes of §2 behind the filter. */
function route(ctx: RouteContext, method: string, path: string, query: URLSearchParams, upgrade: boolean): Answer {
  const { o } = ctx;
  const debugOn = ctx.secure && o.debuggingHandlers;
  const seg = path.split('/').slice(1).map((s) => decodeURIComponentSafe(s));

  if (isSubpath(path, '/healthz')) {
    if (['/healthz', '/healthz/ping', '/healthz/log', '/healthz/syncloop'].includes(path)) return { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' };
    return NOT_FOUND;
  }
  const hostile = path === '/pods' || path === '/pods/' ? o.bodies?.pods : path === '/metrics' ? o.bodies?.metrics : path === '/configz' && debugOn ? o.bodies?.configz : undefined;
  if (hostile !== undefined && method === 'GET') return { status: 200, body: hostile, type: path === '/metrics' ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json' };
  if (path === '/pods' || path === '/pods/') return method === 'GET' ? json(podList(ctx.nodeName)) : METHOD_NOT_ALLOWED;
  if (path === '/stats/summary') return method === 'GET' ? json(statsSummary(ctx.nodeName)) : METHOD_NOT_ALLOWED;
  if (['/metrics', '/metrics/cadvisor', '/metrics/resource', '/metrics/probes', '/metrics/slis'].includes(path)) {
    if (method === 'GET') return { status: 200, body: metricsText(o.version ?? 'v1.31.4'), type: 'text/plain; version=0.0.4; charset=utf-8' };
    return METHOD_NOT_ALLOWED;
  }

  // checkpoint: POST /checkpoint/{ns}/{pod}/{container}; with debugging handlers on the secure port, and on
  // the read-only port only on the CVE-2025-0426 kubelets
  if (isSubpath(path, '/checkpoint/') && (debugOn || (!ctx.secure && o.readOnlyCheckpoint))) {
    if (seg.length !== 4) return NOT_FOUND;
    if (method !== 'POST') return METHOD_NOT_ALLOWED;
    const [, ns, pod, ctr] = seg as [string, string, string, string];
    if (!podExists(ns, pod)) return restfulError(404, 'pod does not exist');
    if (!POD_CONTAINERS[pod]?.includes(ctr)) return restfulError(404, `container ${ctr} does not exist`);
    return { ...json({ items: [`/var/lib/kubelet/checkpoints/checkpoint-${pod}_${ns}-${ctr}.tar`] }), effect: 'checkpoint' };
  }

  const debugPrefixes = ['/run/', '/exec/', '/attach/', '/portForward/', '/containerLogs/', '/runningpods/', '/debug/pprof/', '/logs/'];
  if (!debugOn) {
    // §2: with debugging handlers off (and always on 10255) these answer 405; /configz answers 404
    if (debugPrefixes.some((p) => path.startsWith(p))) return DEBUG_DISABLED;
    return NOT_FOUND;
  }

  if (path === '/configz') return json(configz(o, ctx.readOnlyPort));
  if (path === '/runningpods/') return method === 'GET' ? json(podList(ctx.nodeName)) : METHOD_NOT_ALLOWED;
  if (isSubpath(path, '/logs/')) {
    if (o.systemLogHandler === false) return httpError(405, 'logs endpoint is disabled.');
    if (method !== 'GET') return METHOD_NOT_ALLOWED;
    if (path === '/logs' || path === '/logs/') return { status: 200, body: LOGS_INDEX, type: 'text/html; charset=utf-8' };
    return { status: 200, body: 'Jan 01 00:00:00 sim-node kubelet[1]: started\n', type: 'text/plain; charset=utf-8' };
  }
  if (isSubpath(path, '/debug/pprof/')) {
    if (o.profilingHandler === false) return httpError(405, 'profiling endpoint is disabled.');
    if (method !== 'GET') return METHOD_NOT_ALLOWED;
    return { status: 200, body: PPROF_INDEX, type: 'text/html; charset=utf-8' };
  }
  if (path === '/debug/flags/v') {
    // routes.StringFlagPutHandler: PUT changes the verbosity
    if (method === 'PUT') return { status: 200, body: 'successfully set klog.logging.verbosity to 9', effect: 'debug-flags' };
    return httpError(405, 'unsupported http method');
  }
  if (isSubpath(path, '/run/')) {
    if (seg.length !== 4 && seg.length !== 5) return NOT_FOUND;
    if (method !== 'POST') return METHOD_NOT_ALLOWED;
    const ns = seg[1]!, pod = seg[2]!;
    if (!podExists(ns, pod)) return restfulError(404, 'pod does not exist'); // getRun looks the pod up first
    return { status: 200, body: 'sim: a real kubelet would have run the command here\n', effect: 'run' };
  }
  if (isSubpath(path, '/exec/') || isSubpath(path, '/attach/')) {
    if (seg.length !== 4 && seg.length !== 5) return NOT_FOUND;
    if (method !== 'GET' && method !== 'POST') return METHOD_NOT_ALLOWED;
    // remotecommandserver.NewOptions: at least one of stdin, stdout, stderr, before the pod lookup
    const on = (k: string) => ['1', 'true'].includes(query.get(k) ?? '');
    if (!on('stdin') && !on('stdout') && !on('stderr')) return restfulError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    if (!podExists(seg[1]!, seg[2]!)) return restfulError(404, 'pod does not exist');
    if (!upgrade) return httpError(400, 'Upgrade request required');
    return { status: 101, body: '', effect: seg[0]! };
  }
  if (isSubpath(path, '/portForward/')) {
    if (seg.length !== 3 && seg.length !== 4) return NOT_FOUND;
    if (method !== 'GET' && method !== 'POST') return METHOD_NOT_ALLOWED;
    if (!podExists(seg[1]!, seg[2]!)) return restfulError(404, 'pod does not exist');
    if (!upgrade) return httpError(400, 'Upgrade request required');
    return { status: 101, body: '', effect: 'portForward' };
  }
  if (isSubpath(path, '/containerLogs/')) {
    if (seg.length !== 4) return NOT_FOUND;
    if (method !== 'GET') return METHOD_NOT_ALLOWED;
    const [, ns, pod, ctr] = seg as [string, string, string, string];
    if (!podExists(ns, pod)) return restfulError(404, `pod "${pod}" does not exist`);
    if (!POD_CONTAINERS[pod]?.includes(ctr)) return restfulError(404, `container "${ctr}" not found in pod "${pod}"`);
    return { status: 200, body: '2026-01-01T00:00:00Z started\n', type: 'text/plain', effect: 'container-logs' };
  }
  return NOT_FOUND;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type AuthOutcome = { ok: true; user: string } | { ok: false };

/** §3 authentication: x509 (clientCAFile) first, then the token webhook, then anonymous. A presented but invalid credential is a 401. */
function authenticate(o: KubeletSimOptions, req: http.IncomingMessage): AuthOutcome {
  const sock = req.socket as TLSSocket;
  const peer = typeof sock.getPeerCertificate === 'function' ? sock.getPeerCertificate() : undefined;
  const presented = !!peer && Object.keys(peer).length > 0;
  if (presented && o.clientCA) {
    if (!sock.authorized) return { ok: false };
    const cn = peer.subject?.CN;
    return { ok: true, user: Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? '') };
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m && o.tokens) {
    const user = o.tokens[m[1]!];
    return user === undefined ? { ok: false } : { ok: true, user };
  }
  if (o.anonymous) return { ok: true, user: 'system:anonymous' };
  return { ok: false };
}

function send(res: http.ServerResponse, a: Answer): void {
  const headers: Record<string, string> = { 'Content-Length': String(Buffer.byteLength(a.body)) };
  if (a.type) headers['Content-Type'] = a.type;
  if (a.type?.startsWith('text/plain')) headers['X-Content-Type-Options'] = 'nosniff';
  res.writeHead(a.status === 101 ? 400 : a.status, headers);
  res.end(a.body);
}

// ---- certificates, minted with openssl ----

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function withTmp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kubelet-sim-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const serial = () => '0x' + Math.floor(Math.random() * 2 ** 48).toString(16);

/** A CA (self-signed, CA:TRUE). */
export function mintCa(cn: string, keyAlg: 'rsa' | 'ec' = 'rsa'): { cert: string; key: string } {
  return withTmp((d) => {
    const keyArgs = keyAlg === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    openssl(d, ['req', '-x509', ...keyArgs, '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
    return { cert: readFileSync(join(d, 'ca.crt'), 'utf8'), key: readFileSync(join(d, 'ca.key'), 'utf8') };
  });
}

function signLeaf(ca: { cert: string; key: string }, subj: string, ext: string[], keyAlg: 'rsa' | 'ec'): { cert: string; key: string } {
  return withTmp((d) => {
    writeFileSync(join(d, 'ca.crt'), ca.cert);
    writeFileSync(join(d, 'ca.key'), ca.key, { mode: 0o600 });
    writeFileSync(join(d, 'ext.cnf'), ext.join('\n') + '\n');
    const keyArgs = keyAlg === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    openssl(d, ['req', '-new', ...keyArgs, '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', subj]);
    openssl(d, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial(), '-days', '30', '-extfile', 'ext.cnf', '-out', 'leaf.crt']);
    return { cert: readFileSync(join(d, 'leaf.crt'), 'utf8'), key: readFileSync(join(d, 'leaf.key'), 'utf8') };
  });
}

/** A client certificate signed by `ca`, CN = the user the kubelet will see (§3 x509). */
export function mintClientCert(ca: { cert: string; key: string }, cn: string, org?: string): { cert: string; key: string } {
  const subj = `/CN=${cn}` + (org ? `/O=${org}` : '');
  return signLeaf(ca, subj, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'], 'ec');
}

interface ServingCert { key: string; chain: string; ca?: string }
const servingCache = new Map<string, ServingCert>();

/** The serving certificate for `host` (IP SAN), minted once per kind and host. */
export function mintServingCert(kind: SimCertKind, host: string, nodeName: string): ServingCert {
  const cacheKey = `${kind}|${host}|${nodeName}`;
  const cached = servingCache.get(cacheKey);
  if (cached) return cached;
  const san = `subjectAltName=IP:${host},DNS:${nodeName}`;
  let out: ServingCert;
  if (kind === 'self-signed') {
    out = withTmp((d) => {
      openssl(d, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '30', '-subj', `/CN=${nodeName}`, '-addext', san]);
      return { key: readFileSync(join(d, 'k.pem'), 'utf8'), chain: readFileSync(join(d, 'c.pem'), 'utf8') };
    });
  } else if (kind === 'kubelet-self-signed') {
    // client-go cert.GenerateSelfSignedCertKeyWithFixtures: a throwaway CA `<host>-ca@<unix>` and a leaf `<host>@<unix>`, served as leaf + CA
    const ts = Math.floor(Date.now() / 1000);
    const ca = mintCa(`${nodeName}-ca@${ts}`);
    const leaf = signLeaf(ca, `/CN=${nodeName}@${ts}`, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', san], 'rsa');
    out = { key: leaf.key, chain: leaf.cert + ca.cert };
  } else {
    // serverTLSBootstrap: an ECDSA P-256 leaf `system:node:<node>` signed by the cluster CA
    const ca = mintCa('kubernetes');
    const leaf = signLeaf(ca, `/O=system:nodes/CN=system:node:${nodeName}`, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', san], 'ec');
    out = { key: leaf.key, chain: leaf.cert, ca: ca.cert };
  }
  servingCache.set(cacheKey, out);
  return out;
}

// ---- servers ----

const GO_LIKE_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1';
}

function guardSockets(server: http.Server): void {
  server.on('error', () => {});
  server.on('connection', (s: Socket) => s.on('error', () => {}));
  server.on('secureConnection', (s: TLSSocket) => s.on('error', () => {}));
  server.on('tlsClientError', () => {});
  server.on('clientError', (_err: Error, s: Socket) => s.destroy());
}

/** Listen on `preferred`, or on a random port when it is busy (or not allowed). */
function listen(server: http.Server, host: string, preferred: number): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
  return attempt(preferred).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES') return attempt(0);
    throw err;
  });
}

export async function startKubeletSim(opts: KubeletSimOptions): Promise<KubeletSim> {
  if (!isLoopback(opts.host)) throw new Error(`kubelet-sim: loopback only, not ${opts.host}`);
  const nodeName = opts.nodeName ?? 'sim-node';
  const serving = mintServingCert(opts.cert, opts.host, nodeName);
  const requests: SimRequest[] = [];
  const listFormat = opts.listFormat ?? opts.fineGrained;
  const servers: http.Server[] = [];
  const ports: KubeletSim['ports'] = { secure: 0 };
  const ctxBase = { o: opts, nodeName, readOnlyPort: 10255 };

  const record = (r: SimRequest) => requests.push(r);
  const urlOf = (req: http.IncomingMessage) => new URL(req.url ?? '/', 'http://sim');

  // the secure port: the auth filter (§3) in front of every path, including unknown ones
  const secure = https.createServer({
    key: serving.key,
    cert: serving.chain,
    requestCert: true,
    rejectUnauthorized: false,
    ...(opts.clientCA ? { ca: opts.clientCA } : {}),
    minVersion: opts.tls?.minVersion ?? 'TLSv1.2',
    ciphers: opts.tls?.ciphers ?? GO_LIKE_CIPHERS,
  });
  const handleSecure = (req: http.IncomingMessage, res: http.ServerResponse | undefined, upgradeSocket?: Socket) => {
    const u = urlOf(req);
    const method = req.method ?? 'GET';
    const path = decodeURIComponentSafe(u.pathname);
    const upgrade = upgradeSocket !== undefined || req.headers.upgrade !== undefined;
    const rec: SimRequest = { server: 'secure', method, url: req.url ?? '/', path, upgrade, status: 0 };
    const auth = authenticate(opts, req);
    let answer: Answer;
    if (!auth.ok) {
      answer = restfulError(401, 'Unauthorized');
    } else {
      rec.user = auth.user;
      const { verb, subresources } = simAttributes(method, path, opts.fineGrained);
      const allowed = opts.authorization === 'AlwaysAllow' || subresources.some((s) => opts.policy?.(auth.user, verb, s) === true);
      if (!allowed) {
        answer = listFormat
          ? restfulError(403, `Forbidden (user=${auth.user}, verb=${verb}, resource=nodes, subresource(s)=[${subresources.join(' ')}])\n`)
          : restfulError(403, `Forbidden (user=${auth.user}, verb=${verb}, resource=nodes, subresource=${subresources[0]})`);
      } else {
        answer = route({ ...ctxBase, secure: true, readOnlyPort: ports.readOnly ?? 10255 }, method, path, u.searchParams, upgrade);
      }
    }
    rec.status = answer.status;
    if (answer.effect) rec.effect = answer.effect;
    record(rec);
    if (upgradeSocket) {
      // never upgrade: answer and close
      upgradeSocket.end(`HTTP/1.1 ${answer.status === 101 ? 400 : answer.status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    } else if (res) {
      send(res, answer);
    }
  };
  secure.on('request', (req, res) => handleSecure(req, res));
  secure.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    socket.on('error', () => {});
    handleSecure(req, undefined, socket);
  });
  guardSockets(secure);
  servers.push(secure);
  ports.secure = await listen(secure, opts.host, opts.ports?.secure ?? 10250);

  const plain = (name: 'readOnly' | 'healthz') => {
    const srv = http.createServer((req, res) => {
      const u = urlOf(req);
      const method = req.method ?? 'GET';
      const path = decodeURIComponentSafe(u.pathname);
      let answer: Answer;
      if (name === 'healthz') {
        // §1: the healthz listener serves only /healthz; anything else is the plain mux's 404
        answer = path === '/healthz' ? { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' } : httpError(404, '404 page not found');
      } else {
        answer = route({ ...ctxBase, secure: false, readOnlyPort: ports.readOnly ?? 10255 }, method, path, u.searchParams, req.headers.upgrade !== undefined);
      }
      const rec: SimRequest = { server: name, method, url: req.url ?? '/', path, upgrade: req.headers.upgrade !== undefined, status: answer.status };
      if (answer.effect) rec.effect = answer.effect;
      record(rec);
      send(res, answer);
    });
    srv.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
      socket.on('error', () => {});
      record({ server: name, method: req.method ?? 'GET', url: req.url ?? '/', path: urlOf(req).pathname, upgrade: true, status: 400 });
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    guardSockets(srv);
    servers.push(srv);
    return srv;
  };
  try {
    if (opts.readOnlyPort) ports.readOnly = await listen(plain('readOnly'), opts.host, opts.ports?.readOnly ?? 10255);
    if (opts.healthz) ports.healthz = await listen(plain('healthz'), opts.host, opts.ports?.healthz ?? 10248);
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }

  return {
    host: opts.host,
    ports,
    requests,
    servingCert: { chain: serving.chain, ...(serving.ca ? { ca: serving.ca } : {}) },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

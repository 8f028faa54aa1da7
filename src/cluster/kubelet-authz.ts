// Kubelet request → authorization attributes, and the least-privilege RBAC for a set of kubelet endpoints.
//
// Mirrors kubernetes/kubernetes pkg/kubelet/server/auth.go, nodeAuthorizerAttributesGetter.GetRequestAttributes
// (read at commit 7caff55fd9c4689bb393da2654ec1cbe06cf4f44) and the path constants of pkg/kubelet/server/server.go
// (metricsPath "/metrics", statsPath "/stats/", logsPath "/logs/", checkpointPath "/checkpoint/", podsPath "/pods",
// runningPodsPath "/runningpods/"; healthz "/healthz", configz "/configz", statusz "/statusz" from component-base/apiserver).
import { stringify } from 'yaml';

export type FineGrained = 'on' | 'off';

export interface AuthzOptions {
  kubeletVersion?: string;
  fineGrained?: FineGrained;
}

export interface Explanation {
  verb: string;
  resource: 'nodes';
  subresources: string[];
  notes: string[];
}

/** auth.go: isSubpath — the request path equals the prefix (trailing `/` trimmed) or continues with `/`. */
export function isSubpath(subpath: string, path: string): boolean {
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  return subpath === p || (subpath.startsWith(p) && subpath[p.length] === '/');
}

const VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The specific subresource tried first when KubeletFineGrainedAuthz is on (first match wins, as in auth.go). */
const FINE_GRAINED: ReadonlyArray<readonly [string, string]> = [
  ['/pods', 'pods'],
  ['/healthz', 'healthz'],
  ['/configz', 'configz'],
  ['/statusz', 'statusz'],
  ['/runningpods/', 'pods'],
];

/** Always-on subresource mapping; everything else is `proxy`. */
const BASE: ReadonlyArray<readonly [string, string]> = [
  ['/stats/', 'stats'],
  ['/metrics', 'metrics'],
  ['/logs/', 'log'],
  ['/checkpoint/', 'checkpoint'],
];

/** Parses `1.33`, `v1.33.2`, `1.33.0-eks-1`; undefined when it is not a version. */
export function parseMinor(version: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

type Mode = { fineGrained: FineGrained | 'unknown'; why: string };

/** The flag wins; else the version's default (alpha 1.32 off, beta 1.33 on, GA 1.36); else unknown. */
export function fineGrainedMode(opts: AuthzOptions): Mode {
  const v = opts.kubeletVersion !== undefined ? parseMinor(opts.kubeletVersion) : undefined;
  if (opts.kubeletVersion !== undefined && v === undefined) throw new Error(`kubelet version ${JSON.stringify(opts.kubeletVersion)}: expected a version such as 1.33.2`);
  if (opts.fineGrained !== undefined) return { fineGrained: opts.fineGrained, why: `KubeletFineGrainedAuthz set ${opts.fineGrained} explicitly` };
  if (v === undefined) return { fineGrained: 'unknown', why: 'kubelet version unknown' };
  if (v.major > 1 || v.minor >= 33) return { fineGrained: 'on', why: `kubelet ${v.major}.${v.minor}: KubeletFineGrainedAuthz on by default (beta 1.33, GA 1.36)` };
  if (v.minor === 32) return { fineGrained: 'off', why: 'kubelet 1.32: KubeletFineGrainedAuthz alpha, off by default' };
  return { fineGrained: 'off', why: `kubelet ${v.major}.${v.minor}: no KubeletFineGrainedAuthz (added in 1.32)` };
}

/** Path as the kubelet sees r.URL.Path: no query or fragment, percent-decoded. Throws on bad input. */
export function requestPath(path: string): string {
  const raw = path.replace(/[?#].*$/s, '');
  if (!raw.startsWith('/')) throw new Error(`path ${JSON.stringify(path)}: expected an absolute path such as /stats/summary`);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new Error(`path ${JSON.stringify(path)}: invalid percent-encoding`);
  }
}

function subresourcesFor(path: string, fineGrained: boolean): string[] {
  const subs: string[] = [];
  if (fineGrained) {
    const hit = FINE_GRAINED.find(([prefix]) => isSubpath(path, prefix));
    if (hit) subs.push(hit[1]);
  }
  const base = BASE.find(([prefix]) => isSubpath(path, prefix));
  subs.push(base ? base[1] : 'proxy');
  return subs;
}

const PROXY_EXEC_PREFIXES = ['/exec/', '/attach/', '/portForward/', '/run/'];

/**
 * The paths the kubelet's secure port serves (pkg/kubelet/server/server.go: InstallAuthNotRequiredHandlers,
 * InstallAuthRequiredHandlers, InstallSystemLogHandler, InstallProfilingHandler, InstallDebugFlagsHandler,
 * InstallZPages; healthz.InstallHandler adds /healthz/<check>, slis /metrics/slis). The auth filter runs
 * before routing, so any other path is authorized too, as nodes/proxy, and then answered 404.
 */
const SERVED: readonly string[] = [
  '/pods', '/runningpods/', '/healthz', '/configz', '/statusz', '/flagz', '/stats/', '/metrics', '/logs/', '/checkpoint/',
  '/run/', '/exec/', '/attach/', '/portForward/', '/containerLogs/', '/debug/pprof/', '/debug/flags/v',
];

/** Whether the kubelet serves this request path (query and fragment ignored, percent-decoded). Throws on bad input. */
export function servedByKubelet(path: string): boolean {
  const p = requestPath(path);
  return SERVED.some((pre) => isSubpath(p, pre));
}

/** What the kubelet's auth filter asks the authorizer for this request, in the order it asks. */
export function explain(method: string, path: string, opts: AuthzOptions = {}): Explanation {
  const p = requestPath(path);
  const mode = fineGrainedMode(opts);
  const verb = VERBS[method] ?? '';
  const subresources = subresourcesFor(p, mode.fineGrained !== 'off');
  const notes: string[] = [];

  if (verb === '') {
    notes.push(VERBS[method.toUpperCase()] !== undefined
      ? `HTTP methods are case-sensitive: ${method} is not ${method.toUpperCase()}, so the kubelet sends an empty verb`
      : `${method} maps to an empty verb (only GET, POST, PUT, PATCH, DELETE have one); an RBAC rule matches it only with verb "*"`);
  }
  if (mode.fineGrained === 'unknown' && subresources.length > 1) {
    notes.push(`${mode.why}: with KubeletFineGrainedAuthz on (default from 1.33) the kubelet tries [${subresources.join(', ')}]; with it off (1.32 default, or older kubelets) only [proxy]`);
  } else if (mode.fineGrained === 'off') {
    const would = subresourcesFor(p, true);
    if (would.length > 1) notes.push(`${mode.why}: only nodes/proxy is checked; with fine-grained authz on, nodes/${would[0]} would be enough`);
  }
  const v = opts.kubeletVersion !== undefined ? parseMinor(opts.kubeletVersion) : undefined;
  if (opts.fineGrained === 'off' && v !== undefined && (v.major > 1 || v.minor >= 36)) {
    notes.push(`KubeletFineGrainedAuthz is GA in 1.36; GA gates are normally locked on, so a ${v.major}.${v.minor} kubelet may refuse to turn it off`);
  }
  if (subresources.length > 1) notes.push(`the first allowed subresource wins: nodes/${subresources[0]} suffices, nodes/proxy also grants it`);

  if (!servedByKubelet(p)) notes.push(`the kubelet serves no ${p}: the request is authorized (as nodes/${subresources[0]}) and then answered 404`);
  if (subresources[0] === 'proxy') {
    const execLike = PROXY_EXEC_PREFIXES.some((pre) => isSubpath(p, pre));
    if (verb === 'get') {
      notes.push(execLike
        ? 'get on nodes/proxy runs commands over WebSocket: not read-only (a WebSocket upgrade is a GET)'
        : 'get on nodes/proxy also allows exec/attach/portForward over WebSocket in every pod on the node: not read-only');
    } else if (verb === 'create') {
      notes.push('create on nodes/proxy runs commands in every pod on the node (/run, /exec, /attach, /portForward), unseen by the API server audit log');
    } else if (verb !== '') {
      notes.push(`${verb} on nodes/proxy reaches every proxied kubelet endpoint with that method`);
    }
    if (isSubpath(p, '/containerLogs')) notes.push('/containerLogs has no subresource of its own: reading container logs needs nodes/proxy, which is exec too; prefer pods/log through the API server');
    if (isSubpath(p, '/debug/flags/v') && method === 'PUT') notes.push('PUT /debug/flags/v changes the kubelet log verbosity');
  }
  if (subresources[0] === 'checkpoint' && verb === 'create') notes.push('create on nodes/checkpoint writes a full memory dump of a container (secrets included) to the node');
  if (subresources[0] === 'log') notes.push('nodes/log reads the node\'s system logs (/var/log, journal)');
  return { verb, resource: 'nodes', subresources, notes };
}

export interface RbacOptions extends AuthzOptions {
  name?: string;
}

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface ClusterRole {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRole';
  metadata: { name: string };
  rules: RbacRule[];
}

const VERB_ORDER = ['get', 'create', 'update', 'patch', 'delete'];

/** Splits `METHOD PATH` or `PATH` (GET assumed). */
export function parseEndpoint(spec: string): { method: string; path: string } {
  const parts = spec.trim().split(/\s+/);
  if (parts.length === 1 && parts[0] !== '') return { method: 'GET', path: parts[0] as string };
  if (parts.length === 2) return { method: parts[0] as string, path: parts[1] as string };
  throw new Error(`endpoint ${JSON.stringify(spec)}: expected "METHOD PATH" or "PATH"`);
}

/** The least-privilege ClusterRole for calling the given kubelet endpoints. Throws on bad input. */
export function rbacFor(paths: string[], opts: RbacOptions = {}): { role: ClusterRole; yaml: string; notes: string[] } {
  if (paths.length === 0) throw new Error('no endpoints given');
  const mode = fineGrainedMode(opts);
  const verbsBySub = new Map<string, Set<string>>();
  const notes: string[] = [];
  const addNote = (n: string): void => { if (!notes.includes(n)) notes.push(n); };

  for (const spec of paths) {
    const { method, path } = parseEndpoint(spec);
    const ex = explain(method, path, opts);
    if (ex.verb === '') {
      addNote(`${method} ${path}: empty verb; only a "*" verb would match, not granted — use GET instead`);
      continue;
    }
    const sub = ex.subresources[0] as string;
    let set = verbsBySub.get(sub);
    if (!set) verbsBySub.set(sub, (set = new Set()));
    set.add(ex.verb);
    if (ex.subresources.length > 1 && mode.fineGrained === 'unknown') {
      addNote(`${path}: nodes/${sub} works only on kubelets with KubeletFineGrainedAuthz on (default from 1.33); older kubelets (or the gate off) need ${ex.verb} on nodes/proxy instead, which is not read-only — pass --kubelet-version or --fine-grained`);
    }
    if (mode.fineGrained === 'off' && subresourcesFor(requestPath(path), true).length > 1) {
      addNote(`${path}: ${mode.why}, so the specific subresource is not enough and ${ex.verb} on nodes/proxy is needed`);
    }
    if (!servedByKubelet(path)) addNote(`${path}: the kubelet serves no such path (it answers 404 once authorized)`);
    if (sub === 'proxy') {
      if (isSubpath(requestPath(path), '/containerLogs')) addNote(`${path}: container logs need nodes/proxy — that is exec too; prefer pods/log through the API server`);
      else if (ex.verb === 'get') addNote(`${path}: get on nodes/proxy runs commands over WebSocket: not read-only`);
      else addNote(`${path}: ${ex.verb} on nodes/proxy reaches every kubelet endpoint without a subresource of its own, exec included`);
    }
  }

  const rules: RbacRule[] = [...verbsBySub.keys()].sort().map((sub) => ({
    apiGroups: [''],
    resources: [`nodes/${sub}`],
    verbs: [...(verbsBySub.get(sub) as Set<string>)].sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b)),
  }));
  const role: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: opts.name ?? 'kubelet-guard-least-privilege' },
    rules,
  };
  return { role, yaml: stringify(role), notes };
}

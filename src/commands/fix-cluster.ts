// `kubelet-guard fix --cluster` (issue 12, item 6): the cluster-side fixes. It reads, through the API
// server, what `kubelet-guard cluster` reads for its RBAC and Pod Security findings (the RBAC
// objects, the namespaces, the pods, the nodes' kubelet versions) and prints the plan
// (src/cluster/fix-plan.ts): YAML to review and `kubectl apply -f`, or JSON. Nothing is written
// without --write; with it, every change is first sent with dryRun=All (the API server runs
// validation, admission and the RBAC escalation check without storing), and only when all pass
// are they sent for real, in the plan's order (new roles and bindings before the old rules go),
// stopping at the first failure.
//
// Writes are updates with the resourceVersion read (PUT for a role, a merge patch carrying the
// resourceVersion for a namespace's labels), not server-side apply: the plan was made from what was
// read, so an object changed since then must fail (409 Conflict) rather than lose the change; and
// a role's rules are one atomic list in server-side apply, which would either take the field from
// its manager by force or conflict anyway.
//
// A list that could not be read whole (403, timeout, a bound) plans nothing for what depends on it:
// a plan built on a partial RBAC view could remove the rules of the wrong role. Exit 3 then.
import { ApiError, connect, type ApiClient, type GetResult } from '../cluster/fetch.ts';
import { KeptBudget, sizeOf } from '../cluster/kept.ts';
import { baselineRefusal, planClusterFix, type ClusterFixPlan, type FixInput, type PlanChange } from '../cluster/fix-plan.ts';
import { planJson, planYaml } from '../cluster/fix-render.ts';
import { parseMinor } from '../cluster/kubelet-authz.ts';
import type { Io } from '../report/output.ts';
import { inert, inertMessage } from '../report/terminal.ts';
import type { FixCommandOptions } from './fix.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const FIELD_MANAGER = 'kubelet-guard';
const CHECKS = new Set(['rbac-kubelet-access', 'namespace-pod-security', 'namespace-pod-security-label']);
/** pods named per namespace in a note */
const PODS_NAMED = 5;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** metadata as the plan needs it: no managedFields, uid or timestamps; labels and annotations kept (a replacement keeps them) */
function meta(v: unknown): Obj {
  const m = obj(obj(v)?.metadata) ?? {};
  const out: Obj = {};
  for (const f of ['name', 'namespace', 'labels', 'annotations', 'resourceVersion']) if (m[f] !== undefined) out[f] = m[f];
  return out;
}

const pick = (v: unknown, fields: string[]): Obj => {
  const o = obj(v) ?? {};
  const out: Obj = {};
  for (const f of fields) if (o[f] !== undefined) out[f] = o[f];
  return out;
};

/** Every item of a list reduced and kept within the budget, or why it was not read whole. */
async function readList(api: ApiClient, path: string, reduce: (v: unknown) => Obj, budget: KeptBudget): Promise<Obj[] | string> {
  const items: Obj[] = [];
  try {
    for await (const it of api.list<unknown>(path, 500)) {
      const r = reduce(it);
      if (!budget.take(sizeOf(r))) return `${path}: stopped after ${items.length} items: over ${budget.max} bytes kept, the bound`;
      items.push(r);
    }
    return items;
  } catch (e) {
    const why = e instanceof ApiError && e.status === 403 ? `forbidden (${e.message})` : (e as Error).message;
    return `${path}: ${why}`;
  }
}

/** The pods baseline refuses, by namespace (a few named each), or why the pods could not be read. */
async function refusedPods(api: ApiClient): Promise<Map<string, string[]> | string> {
  const out = new Map<string, string[]>();
  try {
    for await (const p of api.list<unknown>('/api/v1/pods', 500)) {
      const why = baselineRefusal(p);
      if (!why) continue;
      const m = obj(obj(p)?.metadata);
      const ns = typeof m?.namespace === 'string' ? m.namespace : '';
      const l = out.get(ns) ?? [];
      if (l.length < PODS_NAMED) l.push(`${typeof m?.name === 'string' ? m.name : '?'} (${why})`);
      else if (l.length === PODS_NAMED) l.push('…');
      out.set(ns, l);
    }
    return out;
  } catch (e) {
    return `/api/v1/pods: ${(e as Error).message}`;
  }
}

function usage(io: Io, msg: string): number {
  io.err.write(`kubelet-guard: ${inertMessage(msg)}`);
  return 2;
}

/** The request that makes one change: method, path, body, content type. */
export function requestFor(c: PlanChange): { method: 'POST' | 'PUT' | 'PATCH'; path: string; body: unknown; contentType?: string } {
  const name = encodeURIComponent(c.name);
  switch (c.kind) {
    case 'ClusterRole':
      return c.action === 'create' ? { method: 'POST', path: `${RBAC}/clusterroles`, body: c.object } : { method: 'PUT', path: `${RBAC}/clusterroles/${name}`, body: c.object };
    case 'ClusterRoleBinding':
      return { method: 'POST', path: `${RBAC}/clusterrolebindings`, body: c.object };
    case 'Namespace':
      // only metadata.labels (added) and metadata.resourceVersion (a precondition): a merge patch leaves the rest
      return { method: 'PATCH', path: `/api/v1/namespaces/${name}`, body: { metadata: c.object.metadata }, contentType: 'application/merge-patch+json' };
  }
}

const what = (c: PlanChange) => `${c.action} ${c.kind} ${c.name}`;

async function send(api: ApiClient, c: PlanChange, dryRun: boolean, timeoutMs: number): Promise<GetResult> {
  const r = requestFor(c);
  const q = `?fieldManager=${FIELD_MANAGER}${dryRun ? '&dryRun=All' : ''}`;
  return api.request(r.method, r.path + q, { body: r.body, timeoutMs, maxBytes: 4 * 1024 * 1024, ...(r.contentType ? { contentType: r.contentType } : {}) });
}

interface WriteResult { dryRun: string[]; applied: string[]; failed?: { change: string; dryRun: boolean; error: string }; notApplied: string[] }

/** Every change dry-run first; all passed: each for real, stopping at the first failure. */
async function write(api: ApiClient, plan: ClusterFixPlan, timeoutMs: number, say: (line: string) => void): Promise<WriteResult> {
  const res: WriteResult = { dryRun: [], applied: [], notApplied: plan.changes.map(what) };
  for (const c of plan.changes) {
    const r = await send(api, c, true, timeoutMs);
    if (!r.ok) {
      res.failed = { change: what(c), dryRun: true, error: r.error };
      say(`dry-run FAILED: ${what(c)}: ${r.error}; nothing was written`);
      return res;
    }
    res.dryRun.push(what(c));
    say(`dry-run ok: ${what(c)}`);
  }
  for (const c of plan.changes) {
    const r = await send(api, c, false, timeoutMs);
    if (!r.ok) {
      res.failed = { change: what(c), dryRun: false, error: r.error };
      say(`FAILED: ${what(c)}: ${r.error}`);
      say(`applied ${res.applied.length} of ${plan.changes.length}: ${res.applied.join(', ') || 'none'}; not applied: ${res.notApplied.join(', ')}`);
      return res;
    }
    res.applied.push(what(c));
    res.notApplied.shift();
    say(`applied: ${what(c)}`);
  }
  return res;
}

export async function runFixCluster(opts: FixCommandOptions, io: Io): Promise<number> {
  const format = opts.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') return usage(io, `fix --cluster --format ${JSON.stringify(format)}: expected yaml or json`);
  for (const [k, flag] of [['root', '--root'], ['backupDir', '--backup-dir'], ['severity', '--severity'], ['allow', '--allow'], ['etcdAllow', '--etcd-allow']] as const) {
    if (opts[k] !== undefined) return usage(io, `fix --cluster: ${flag} is not an option of --cluster`);
  }
  const timeoutMs = Number(opts.timeout ?? '10000');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 600_000) return usage(io, `--timeout ${opts.timeout}: expected a whole number from 10 to 600000`);
  if (opts.kubeletVersion !== undefined && !parseMinor(opts.kubeletVersion)) return usage(io, `--kubelet-version ${opts.kubeletVersion}: expected a version such as 1.33.2`);
  let checks: Set<string> | undefined;
  if (opts.check) {
    checks = new Set(opts.check.flatMap((c) => c.split(',')).map((c) => c.trim()).filter((c) => c !== ''));
    const bad = [...checks].filter((c) => !CHECKS.has(c));
    if (bad.length > 0) return usage(io, `fix --cluster --check ${bad.join(',')}: the cluster fixes are for ${[...CHECKS].join(', ')}`);
  }
  let api: ApiClient;
  try {
    api = await connect({ ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}),
      timeoutMs, onSecret: (s) => io.secrets?.add(s) });
  } catch (e) {
    // the first line only: a YAML error goes on to quote the kubeconfig's lines, secrets included
    const msg = (e as Error).message.split('\n')[0]!;
    return usage(io, `cannot use the ${msg.startsWith('kubeconfig ') ? msg : `kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${msg}`}`);
  }
  const say = (line: string): void => void io.err.write(`kubelet-guard fix --cluster: ${inertMessage(line)}`);
  try {
    const budget = new KeptBudget();
    const unread: string[] = [];
    const input: FixInput = { ...(checks ? { checks } : {}) };
    // the kubelet versions decide whether nodes/pods exists (KubeletFineGrainedAuthz); --kubelet-version stands for them
    if (opts.kubeletVersion !== undefined) input.kubeletVersions = [opts.kubeletVersion];
    else {
      const nodes = await readList(api, '/api/v1/nodes', (n) => ({ v: obj(obj(obj(n)?.status)?.nodeInfo)?.kubeletVersion }), budget);
      if (typeof nodes === 'string') unread.push(nodes);
      else input.kubeletVersions = nodes.map((n) => (typeof n.v === 'string' ? n.v : 'unknown'));
    }
    if (!checks || checks.has('rbac-kubelet-access')) {
      const [crs, crbs] = await Promise.all([
        readList(api, `${RBAC}/clusterroles`, (v) => ({ metadata: meta(v), ...pick(v, ['rules', 'aggregationRule']) }), budget),
        readList(api, `${RBAC}/clusterrolebindings`, (v) => ({ metadata: meta(v), ...pick(v, ['roleRef', 'subjects']) }), budget),
      ]);
      for (const r of [crs, crbs]) if (typeof r === 'string') unread.push(r);
      // no RBAC plan from a partial view: a missing binding could be the one that matters
      if (typeof crs !== 'string' && typeof crbs !== 'string') input.rbac = { clusterRoles: crs as never, clusterRoleBindings: crbs as never };
    }
    if (!checks || checks.has('namespace-pod-security') || checks.has('namespace-pod-security-label')) {
      const [nss, pods] = await Promise.all([readList(api, '/api/v1/namespaces', (v) => ({ metadata: meta(v) }), budget), refusedPods(api)]);
      for (const r of [nss, pods]) if (typeof r === 'string') unread.push(r);
      // no label without knowing which pods enforce would refuse
      if (typeof nss !== 'string' && typeof pods !== 'string') {
        input.namespaces = nss as never;
        input.podsRefusedByBaseline = pods;
      }
    }
    const plan = planClusterFix(input);
    for (const u of unread) say(`incomplete: could not read ${u}; nothing is planned from it`);

    if (!opts.write) {
      const head = [`kubelet-guard fix --cluster plan for ${api.server}`, ...unread.map((u) => `INCOMPLETE: could not read ${u}; nothing planned from it`)];
      io.out.write(format === 'json' ? planJson(plan, { server: api.server, write: false, incomplete: unread }) : planYaml(plan, head));
      return unread.length > 0 ? 3 : 0;
    }
    if (unread.length > 0) {
      say('nothing written: the cluster could not be read fully');
      if (format === 'json') io.out.write(planJson(plan, { server: api.server, write: true, incomplete: unread, applied: [] }));
      return 3;
    }
    if (plan.changes.length === 0) {
      say('nothing to change');
      if (format === 'json') io.out.write(planJson(plan, { server: api.server, write: true, incomplete: [], applied: [] }));
      return 0;
    }
    say(`${plan.changes.length} change(s): each sent with dryRun=All first, then for real`);
    const res = await write(api, plan, timeoutMs, (line) => io.out.write(format === 'json' ? '' : `${inert(line)}\n`));
    if (format === 'json') io.out.write(planJson(plan, { server: api.server, write: true, incomplete: [], ...res }));
    return res.failed ? 1 : 0;
  } finally {
    api.close();
  }
}

// The Jobs of `cluster --node-audit` in the API-server simulator (plugged in as its `override`):
// GET of one namespace, POST and DELETE of batch/v1 Jobs, the pods of a Job by `job-name` label
// (their status moving on with each look, per node: success, image pull error, never scheduled,
// hanging, a failed container) and a pod's log, the node audit's output given per node. It records
// every Job created (with the spec sent) and every delete (with its propagationPolicy), so a test
// can check that nothing is left behind.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type JobMode = 'ok' | 'pull-error' | 'unschedulable' | 'hang' | 'exit-2';

export interface SimJob {
  deleteAttempts?: number;
  name: string;
  namespace: string;
  node: string;
  spec: Record<string, unknown>;
  looks: number;
  uid: string;
}

export interface JobSim {
  override: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** the Jobs that exist now, namespace/name */
  live(): string[];
  created(): SimJob[];
  deletes(): Array<{ name: string; propagationPolicy: string | undefined }>;
  /** the most Jobs that existed at once */
  maxLive(): number;
  /** resolves when the n-th Job has been created */
  createdCount(n: number): Promise<void>;
}

export interface JobSimSpec {
  /** the namespaces that exist, with their labels */
  namespaces: Record<string, Record<string, string>>;
  mode: (node: string) => JobMode;
  /** what a node's audit pod writes (its log) */
  log: (node: string) => string | Buffer;
  /** how many DELETEs of a node's Job answer 500 before one succeeds (default 0) */
  deleteFailures?: (node: string) => number;
}

function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): true {
  const b = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(b) });
  res.end(b);
  return true;
}

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

function nodeOf(job: Record<string, unknown>): string {
  const spec = (job.spec as { template?: { spec?: { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Array<{ matchFields?: Array<{ key: string; values: string[] }> }> } } } } } }).template?.spec;
  if (spec?.nodeName) return spec.nodeName;
  const f = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find((m) => m.key === 'metadata.name');
  return f?.values[0] ?? '';
}

function pod(j: SimJob, mode: JobMode): object {
  // as the Job controller makes it: the Job as controller owner; the scheduler then sets nodeName
  const meta = { name: `${j.name}-x7k2q`, namespace: j.namespace, labels: { 'job-name': j.name }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: j.name, uid: j.uid, controller: true }] };
  const cs = (state: object) => [{ name: 'audit', image: 'img', ready: false, restartCount: 0, state }];
  const n = j.looks;
  if (mode === 'unschedulable') {
    return { metadata: meta, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable',
      message: '0/6 nodes are available: 1 Insufficient memory, 5 node(s) didn\'t match Pod\'s node affinity/selector.' }] } };
  }
  if (n <= 1) return { metadata: meta, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: cs({ waiting: { reason: 'ContainerCreating' } }) } };
  if (mode === 'pull-error') {
    return { metadata: meta, status: { phase: 'Pending', containerStatuses: cs({ waiting: { reason: n === 2 ? 'ErrImagePull' : 'ImagePullBackOff',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/kubelet-guard/kubelet-guard:nope": not found' } }) } };
  }
  if (mode === 'hang' || n === 2) return { metadata: meta, status: { phase: 'Running', containerStatuses: cs({ running: { startedAt: '2026-01-01T00:00:00Z' } }) } };
  if (mode === 'exit-2') return { metadata: meta, status: { phase: 'Failed', containerStatuses: cs({ terminated: { exitCode: 2, reason: 'Error' } }) } };
  return { metadata: meta, status: { phase: 'Succeeded', containerStatuses: cs({ terminated: { exitCode: 0, reason: 'Completed' } }) } };
}

export function jobSim(spec: JobSimSpec): JobSim {
  const jobs = new Map<string, SimJob>();
  const created: SimJob[] = [];
  const deletes: Array<{ name: string; propagationPolicy: string | undefined }> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let maxLive = 0;

  function create(req: IncomingMessage, res: ServerResponse, ns: string): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      let job: Record<string, unknown>;
      try {
        job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        send(res, 400, status(400, 'BadRequest', 'the body is not JSON'));
        return;
      }
      const name = String((job.metadata as { name?: unknown } | undefined)?.name ?? '');
      if (!(ns in spec.namespaces)) return void send(res, 404, status(404, 'NotFound', `namespaces "${ns}" not found`));
      if (jobs.has(`${ns}/${name}`)) return void send(res, 409, status(409, 'AlreadyExists', `jobs.batch "${name}" already exists`));
      const j: SimJob = { name, namespace: ns, node: nodeOf(job), spec: job, looks: 0, uid: `job-uid-${created.length + 1}` };
      jobs.set(`${ns}/${name}`, j);
      maxLive = Math.max(maxLive, jobs.size);
      created.push(j);
      for (const w of waiters.filter((w) => created.length >= w.n)) w.resolve();
      send(res, 201, { ...job, metadata: { ...(job.metadata as object), uid: j.uid }, status: {} });
    });
  }

  function override(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname;
    let m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (m && req.method === 'GET') {
      const ns = decodeURIComponent(m[1]!);
      const labels = spec.namespaces[ns];
      return labels ? send(res, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: ns, labels } }) : send(res, 404, status(404, 'NotFound', `namespaces "${ns}" not found`));
    }
    m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(path);
    if (m && req.method === 'POST') {
      create(req, res, decodeURIComponent(m[1]!));
      return true;
    }
    m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(path);
    if (m && req.method === 'DELETE') {
      const key = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
      req.resume();
      const j = jobs.get(key);
      if (j && (j.deleteAttempts = (j.deleteAttempts ?? 0) + 1) <= (spec.deleteFailures?.(j.node) ?? 0)) {
        return send(res, 500, status(500, 'InternalError', 'etcdserver: request timed out'));
      }
      if (!jobs.delete(key)) return send(res, 404, status(404, 'NotFound', `jobs.batch "${m[2]}" not found`));
      deletes.push({ name: decodeURIComponent(m[2]!), propagationPolicy: url.searchParams.get('propagationPolicy') ?? undefined });
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
    if (m && req.method === 'GET') {
      const sel = /^job-name=(.+)$/.exec(url.searchParams.get('labelSelector') ?? '');
      const j = sel ? jobs.get(`${decodeURIComponent(m[1]!)}/${sel[1]}`) : undefined;
      if (j) j.looks++;
      // first, a pod anyone allowed to create pods here could make: the Job's label, no owner, another
      // node, finished and failed; it is never the Job's pod
      const forged = j && { metadata: { name: `${j.name}-forged`, namespace: j.namespace, labels: { 'job-name': j.name } }, spec: { nodeName: 'elsewhere' },
        status: { phase: 'Failed', containerStatuses: [{ name: 'audit', state: { terminated: { exitCode: 2, reason: 'Error' } } }] } };
      return send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: j ? [forged, pod(j, spec.mode(j.node))] : [] });
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)-x7k2q\/log$/.exec(path);
    if (m && req.method === 'GET') {
      const j = jobs.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
      if (!j) return send(res, 404, status(404, 'NotFound', 'pod not found'));
      const mode = spec.mode(j.node);
      return send(res, 200, mode === 'exit-2' ? 'kubelet-guard node: cannot read /host: EACCES\n' : spec.log(j.node), 'text/plain');
    }
    return false;
  }

  return {
    override,
    live: () => [...jobs.keys()],
    created: () => created,
    deletes: () => deletes,
    maxLive: () => maxLive,
    createdCount: (n) => (created.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

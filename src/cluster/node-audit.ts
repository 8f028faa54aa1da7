// `cluster --node-audit`: the offline node audit (`kubelet-guard node --root /host`) run on each
// node as a Job (node-audit-job.ts), its pod's log read (bounded) and checked (node-audit-log.ts).
// At most `concurrency` Jobs exist at once; each node has its own deadline (the pod's
// activeDeadlineSeconds too, so the cluster stops it if we cannot). Every Job this run created is
// deleted (propagationPolicy Background: its pod too) when its node is done, whatever happened; the
// Jobs still there when the run ends (an error, the run's deadline, Ctrl-C) are deleted by
// cleanup(), and ttlSecondsAfterFinished is the backstop if the process dies. A node whose Job
// gives no usable report (the image cannot be pulled, the pod is never scheduled, the deadline,
// a log that is not a report) gets the reason, for an `unknown` finding.
import type { ApiClient, GetResult } from './fetch.ts';
import { CONTAINER, nodeAuditJob, RUN_LABEL } from './node-audit-job.ts';
import { NODE_AUDIT_LOG_MAX_BYTES, NODE_AUDIT_PROVENANCE, parseNodeAuditLog, type NodeAuditLog } from './node-audit-log.ts';

export interface NodeAuditOptions {
  namespace: string;
  image: string;
  /** a short random id: the Jobs' names and their run label */
  runId: string;
  /** Jobs at once */
  concurrency: number;
  /** one node: from creating its Job to reading its log */
  nodeTimeoutMs: number;
  /** how often a Job's pod is looked at */
  pollMs: number;
  /** the run's: once aborted no Job is created and the waiting ones stop (and are deleted) */
  signal: AbortSignal;
  /** each request's deadline */
  requestTimeoutMs: number;
  /** a line on standard error (the caller makes it inert) */
  say: (line: string) => void;
}

export type NodeAuditResult = { ok: true; job: string; log: NodeAuditLog } | { ok: false; job?: string; reason: string };

export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';
/** container waiting reasons after which the pod will not start by itself */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const POD_LIST_MAX_BYTES = 4 * 1024 * 1024;
const MAX_REASON = 300;

type Json = Record<string, unknown>;
const o = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_REASON) : '');

function parse(r: GetResult & { ok: true }): Json | undefined {
  try {
    return o(JSON.parse(r.body.toString('utf8')));
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What a pod's status says: done (read the log), stuck for good, or still on its way (with what it waits for). */
function podState(pod: Json): { done: true; failed: string | undefined } | { stuck: string } | { waiting: string } {
  const st = o(pod.status);
  const phase = str(st.phase);
  const cs = a(st.containerStatuses).map(o).find((c) => c.name === CONTAINER) ?? o(a(st.containerStatuses)[0]);
  if (phase === 'Succeeded') return { done: true, failed: undefined };
  if (phase === 'Failed') {
    const term = o(o(cs.state).terminated);
    const code = typeof term.exitCode === 'number' ? `exit code ${term.exitCode}` : '';
    const why = [code, str(term.reason) || str(st.reason), str(st.message)].filter((x) => x !== '').join(', ');
    return { done: true, failed: `the audit pod failed${why ? ` (${why})` : ''}` };
  }
  const waiting = o(o(cs.state).waiting);
  const reason = str(waiting.reason);
  if (STUCK.has(reason)) return { stuck: `the audit container cannot start: ${reason}${waiting.message ? `: ${str(waiting.message)}` : ''}` };
  const sched = a(st.conditions).map(o).find((c) => c.type === 'PodScheduled');
  if (sched && sched.status === 'False') return { waiting: `the audit pod was never scheduled: ${str(sched.reason) || 'not scheduled'}${sched.message ? `: ${str(sched.message)}` : ''}` };
  return { waiting: `the audit pod is ${phase || 'not started'}${reason ? ` (${reason})` : ''}` };
}

export class NodeAuditRunner {
  private readonly api: ApiClient;
  private readonly opts: NodeAuditOptions;
  /** Jobs created (or maybe created: a POST that timed out) and not yet deleted */
  private readonly live = new Set<string>();
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];
  created = 0;

  constructor(api: ApiClient, opts: NodeAuditOptions) {
    this.api = api;
    this.opts = opts;
  }

  private get jobs(): string {
    return `/apis/batch/v1/namespaces/${encodeURIComponent(this.opts.namespace)}/jobs`;
  }

  /** The selector that finds every Job of this run, for the user. */
  get leftovers(): string {
    return `kubectl -n ${this.opts.namespace} delete jobs -l ${RUN_LABEL}=${this.opts.runId}`;
  }

  /**
   * Whether the Jobs can be created in the namespace: undefined to go on, or why not (every node's
   * audit is then unknown with that reason). Warnings go to standard error.
   */
  async preflight(): Promise<string | undefined> {
    const ns = this.opts.namespace;
    const r = await this.api.get(`/api/v1/namespaces/${encodeURIComponent(ns)}`, { timeoutMs: this.opts.requestTimeoutMs, maxBytes: 1024 * 1024 });
    const fix = `kubectl label --overwrite namespace ${ns} ${POD_SECURITY_ENFORCE}=privileged`;
    if (!r.ok) {
      if (r.status === 404) return `the namespace ${ns} does not exist: create it for the audit pods alone (kubectl create namespace ${ns}; ${fix}) or name another with --namespace`;
      this.opts.say(`--node-audit: could not check the namespace ${ns} (${r.status === 403 ? 'forbidden: the identity lacks `get namespaces`' : r.error}); going on`);
      return undefined;
    }
    const level = o(o(parse(r)?.metadata).labels)[POD_SECURITY_ENFORCE];
    if (level === 'privileged') return undefined;
    if (level === undefined) {
      this.opts.say(`--node-audit: the namespace ${ns} has no ${POD_SECURITY_ENFORCE} label, so the cluster's default level applies; the audit pods mount the node's / and run as uid 0, which only "privileged" admits: if they are refused, ${fix}`);
      return undefined;
    }
    return `the namespace ${ns} enforces Pod Security ${JSON.stringify(str(level))}, which refuses the audit pods (a hostPath volume of the node's /, uid 0): keep that namespace to this tool alone and ${fix}`;
  }

  private async slot(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next(); // the slot passes on
    else this.inFlight--;
  }

  /** Runs the node audit on `node` as a Job and reads its report; the Job is gone when this returns (or left to cleanup()). */
  async audit(node: string, index: number): Promise<NodeAuditResult> {
    const { signal } = this.opts;
    await this.slot();
    const job = `kubelet-guard-${this.opts.runId}-${index}`;
    try {
      if (signal.aborted) return { ok: false, reason: `not run: ${(signal.reason as Error).message}` };
      return await this.run(node, job);
    } finally {
      await this.remove(job);
      this.release();
    }
  }

  private async run(node: string, job: string): Promise<NodeAuditResult> {
    const { namespace: ns, signal } = this.opts;
    const nodeDeadline = AbortSignal.timeout(this.opts.nodeTimeoutMs);
    const stop = AbortSignal.any([signal, nodeDeadline]);
    const spec = nodeAuditJob({ name: job, namespace: ns, node, image: this.opts.image, runId: this.opts.runId,
      deadlineSeconds: Math.max(1, Math.ceil(this.opts.nodeTimeoutMs / 1000)) });
    this.live.add(job); // before the POST: one that times out may still have created it
    this.created++;
    const c = await this.api.request('POST', this.jobs, { body: spec, timeoutMs: this.opts.requestTimeoutMs, maxBytes: 1024 * 1024 });
    if (!c.ok) {
      // an HTTP answer (409 AlreadyExists, 403, 422) means this run made no Job of that name: never delete another's
      if (c.status !== undefined) this.live.delete(job);
      const why = c.status === 403 ? `forbidden: the identity lacks \`create jobs.batch\` in the namespace ${ns} (${c.error})` : c.error;
      return { ok: false, job, reason: `could not create the Job ${ns}/${job}: ${why}` };
    }
    // the Job's own pod only: a label anyone who may create pods here can copy, so the pod must name
    // this Job (its uid) as its controller and run on this node
    const jobUid = str(o(parse(c)?.metadata).uid);
    const ours = (p: Json): boolean => {
      const owners = a(o(p.metadata).ownerReferences).map(o);
      const nodeName = str(o(p.spec).nodeName);
      return owners.some((r) => r.controller === true && jobUid !== '' && r.uid === jobUid) && (nodeName === '' || nodeName === node);
    };
    const pods = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods?labelSelector=${encodeURIComponent(`job-name=${job}`)}`;
    let last = 'no pod was created for the Job (a quota or an admission policy may refuse it: kubectl describe job)';
    for (;;) {
      if (stop.aborted) {
        const why = signal.aborted ? (signal.reason as Error).message : `its deadline (--node-audit-timeout, ${this.opts.nodeTimeoutMs} ms) passed`;
        return { ok: false, job, reason: `stopped: ${why}; ${last}` };
      }
      const r = await this.api.get(pods, { timeoutMs: this.opts.requestTimeoutMs, maxBytes: POD_LIST_MAX_BYTES });
      if (r.ok) {
        const pod = a(parse(r)?.items).map(o).find(ours) ?? {};
        const name = str(o(pod.metadata).name);
        if (name !== '') {
          const s = podState(pod);
          if ('stuck' in s) return { ok: false, job, reason: `${s.stuck} (image ${this.opts.image})` };
          if ('done' in s) return this.readLog(node, job, name, s.failed);
          last = s.waiting;
        }
      } else if (r.status === 403) {
        return { ok: false, job, reason: `forbidden: the identity lacks \`list pods\` in the namespace ${ns} (${r.error})` };
      } else last = `the Job's pod could not be listed: ${r.error}`;
      await sleep(this.opts.pollMs, stop);
    }
  }

  private async readLog(node: string, job: string, pod: string, failed: string | undefined): Promise<NodeAuditResult> {
    const ns = this.opts.namespace;
    const r = await this.api.get(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log?container=${CONTAINER}`,
      { timeoutMs: this.opts.requestTimeoutMs, maxBytes: NODE_AUDIT_LOG_MAX_BYTES });
    const pre = failed ? `${failed}; ` : '';
    if (!r.ok) {
      const why = r.status === 403 ? 'forbidden: the identity lacks `get pods/log`' : r.error;
      return { ok: false, job, reason: `${pre}its log could not be read: ${why}` };
    }
    const log = parseNodeAuditLog(r.body, node, `${NODE_AUDIT_PROVENANCE}${ns}/${job} (image ${this.opts.image}): the node's own report of its files`);
    if ('error' in log) return { ok: false, job, reason: `${pre}${log.error}` };
    // a pod that failed (killed, out of memory, its deadline) may have printed only part of a report
    if (failed) log.incomplete = log.incomplete !== undefined ? `${failed}; ${log.incomplete}` : failed;
    return { ok: true, job, log };
  }

  /** Deletes a Job and its pod; true when it is gone. Sent even after the run is stopped. */
  private async remove(job: string): Promise<boolean> {
    if (!this.live.has(job)) return true;
    const r = await this.api.request('DELETE', `${this.jobs}/${encodeURIComponent(job)}?propagationPolicy=Background`,
      { timeoutMs: this.opts.requestTimeoutMs, maxBytes: 1024 * 1024, ignoreRunSignal: true, body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    if (r.ok || r.status === 404) {
      this.live.delete(job);
      return true;
    }
    this.opts.say(`--node-audit: could not delete the Job ${this.opts.namespace}/${job}: ${r.error}`);
    return false;
  }

  /** Deletes what is left (a run stopped, a delete that failed); says how to find what could not be deleted. */
  async cleanup(): Promise<void> {
    for (const job of [...this.live]) await this.remove(job);
    if (this.live.size > 0) {
      this.opts.say(`--node-audit: ${this.live.size} Job(s) could not be deleted (their ttlSecondsAfterFinished deletes them once finished); delete them with: ${this.leftovers}`);
    }
  }
}

// `kubelet-guard cluster`: audit a whole cluster through its API server. Each node's live kubelet
// configuration is read via the node proxy (/configz) with bounded concurrency and run through the
// kubelet checks; RBAC is analysed for who can reach the kubelet API or escalate; pods are checked
// for host access that bypasses the API server; namespaces for missing Pod Security enforcement;
// kubeadm's control-plane pods in kube-system through the API-server and etcd flag checks.
// Anything we could not read (403, 503, timeout, garbage) is an `unknown` finding, never a pass.
//
// Time is bounded twice: each request (list pages too) and each exec plugin run by --timeout, the
// whole run by --deadline. When the deadline passes, nothing more is sent, what was not examined is
// `unknown` with that reason, the report is still written whole, and the exit code is 3 (unless
// something failed: 1). A list stopped at one of its bounds (fetch.ts LIST_BOUNDS, kept.ts) is
// `unknown` the same way and also exits 3: the tool, not the cluster, decided not to read further.
//
// Memory stays flat with the cluster's size: lists are read page by page and each object is reduced
// to what later steps need (a node to its name and version, a pod to its bypass findings and its
// node's mirror-pod index); each node's findings are reported as soon as its turn comes, so the JSON
// report is streamed and the table keeps only what it prints (failed and unknown findings).
import type { Io } from '../cli.ts';
import type { FailOn } from '../checks/run.ts';
import { auditExitCode, failedAtOrAbove, judges, nothingJudged, runChecks, summarize, type Summary } from '../checks/run.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import type { Finding, Section } from '../checks/types.ts';
import { ApiError, connect, mapLimit, type ApiClient, type GetResult } from '../cluster/fetch.ts';
import { KeptBudget, REDUCERS, sizeOf } from '../cluster/kept.ts';
import { parseGoDuration } from '../kubelet/go-duration.ts';
import { configzToEffective, nodeFactsFromConfigz } from '../scan/collect.ts';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../cluster/rbac.ts';
import { clusterFinding as finding, type ClusterFindingId } from '../cluster/findings.ts';
import { rbacFindingsOf } from '../cluster/rbac-findings.ts';
import { controlPlaneFindings, isControlPlaneCandidate } from '../cluster/control-plane.ts';
import { bypassCandidate, bypassPods, hiddenStaticPods, indexMirrorPod, isStaticPod, MIRROR_ANNOTATION, mirrorIndexFor, nodeOf, nodePathsFrom, podSecurityGaps, podSecurityLabelErrors, type BypassFinding, type BypassOptions, type MirrorIndex } from '../cluster/workloads.ts';
import { reportWidth } from '../report/wrap.ts';
import { startJsonStream } from '../report/cluster-json.ts';
import { formatSpec, selectOutputs, type ClusterJsonHead } from '../report/formats.ts';
import { loadTriage, triageInputs, type Triage, type TriageReport } from '../report/triage.ts';
import { utcDay } from '../report/suppressions.ts';
import { openOutputs, type OpenOutputs } from '../report/output-files.ts';
import { reportHeader } from '../report/contract.ts';
import { chooseProfile, withBenchmark, type BenchmarkChoice } from '../profiles/index.ts';
import { createProgressWriter, formatDuration, type ProgressStream } from '../scan/progress.ts';
import { useColor } from './node.ts';
import { inertMessage } from '../report/terminal.ts';
import pkg from '../../package.json' with { type: 'json' };
import { NodeAuditRunner, type NodeAuditResult } from '../cluster/node-audit.ts';
import { randomBytes } from 'node:crypto';
import { nodePlatform, type NodePlatform } from '../cluster/platform.ts';

export const DEFAULT_NODE_AUDIT_NAMESPACE = 'kubelet-guard';
export const DEFAULT_NODE_AUDIT_TIMEOUT = '5m';
export const DEFAULT_NODE_AUDIT_IMAGE = `ghcr.io/kubelet-guard/kubelet-guard:${pkg.version}`;
/** a namespace or image name as Kubernetes takes them (DNS-1123 label; an image reference without spaces) */
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IMAGE_RE = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,511}$/;

export interface ClusterCommandOptions {
  /** --benchmark NAME (src/profiles): the findings' numbering (default cis-kubernetes) */
  benchmark?: string;
  kubeconfig?: string;
  context?: string;
  concurrency: string;
  timeout: string;
  /** the whole run: ms, or a Go duration such as 10m */
  deadline?: string;
  format: string;
  /** -o/--output: FORMAT=FILE, FORMAT=-, FILE (report/formats.ts) */
  output?: string[];
  failOn: FailOn;
  color?: boolean;
  /** false with --no-progress */
  progress?: boolean;
  /** run the offline node audit on each node as a Job (it creates objects) */
  nodeAudit?: boolean;
  /** the nodes to run it on, comma-separated (default: every node) */
  nodes?: string;
  image?: string;
  namespace?: string;
  nodeAuditTimeout?: string;
  nodeAuditConcurrency?: string;
  /** ms between looks at a Job's pod (hidden: for tests) */
  nodeAuditPoll?: string;
  ignoreFile?: string;
  skip?: string[];
  check?: string[];
  baseline?: string;
  failOnNew?: boolean;
}

type Counts = Omit<Summary, 'failBySeverity'>;

export interface ClusterNode {
  name: string;
  version?: string;
  /** 'ok', or why the configuration could not be read */
  configz: string;
  /** the verdicts about this node: its kubelet checks and its hidden static pods */
  summary: Counts;
  /** its static pods as the API server shows them (mirror pods, namespace/name); absent when the pods could not be listed */
  staticPods?: string[];
  /** with --node-audit: 'ok' (its findings are merged), or why its Job gave no report */
  nodeAudit?: string;
  /** the platform its Node object shows (src/cluster/platform.ts); absent when none matched */
  platform?: NodePlatform;
}

/** What the table is made from: the failed and unknown findings only (passes are counted, not kept). */
export interface ClusterReport {
  tool: { name: string; version: string };
  cluster: { server: string; nodes: number };
  /** the benchmark profile whose ids the findings carry */
  benchmark?: BenchmarkChoice;
  nodes: ClusterNode[];
  findings: Finding[];
  summary: Summary;
  /** every RBAC check's failed findings, by check id, when the table got only its first TABLE_MAX_RBAC_FAILS */
  rbacFails?: Record<string, number>;
  /** with an ignore file or --baseline (report/triage.ts) */
  suppressions?: TriageReport['suppressions'];
  baseline?: TriageReport['baseline'];
}

/**
 * The table shows at most this many failed findings of each RBAC check (the rest are counted, and
 * all are in --format json): hostile RBAC can make a finding of every binding.
 */
export const TABLE_MAX_RBAC_FAILS = 200;

const NODE_SECTIONS: ReadonlySet<Section> = new Set<Section>(['cis-4.2', 'kubelet-api', 'versions']);
const NODE_CHECKS_VIA_CONFIGZ = NODE_CHECKS.filter((c) => NODE_SECTIONS.has(c.meta.section));
const CONFIGZ_MAX_BYTES = 1024 * 1024;
/**
 * The kubelet's /pods is read item by item (up to --concurrency nodes at once), keeping its static
 * pods only: one pod's JSON at most (an API object is at most ~1.5 MiB), and a node's static pods
 * together at most (a control-plane node has a handful of ~10 KiB each).
 */
const KUBELET_POD_MAX_BYTES = 4 * 1024 * 1024;
const KUBELET_STATIC_PODS_MAX_BYTES = 16 * 1024 * 1024;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

interface NodeObj {
  metadata?: { name?: unknown; labels?: unknown };
  spec?: { providerID?: unknown };
  status?: { nodeInfo?: { kubeletVersion?: unknown; operatingSystem?: unknown; osImage?: unknown } };
}

function int(name: string, v: string, min: number, max: number): number | string {
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} ${v}: expected a whole number from ${min} to ${max}`;
}

export const DEFAULT_DEADLINE = '10m';
const MAX_DEADLINE_MS = 7 * 24 * 3600_000;

/** --deadline: whole milliseconds, or a Go duration (10m, 90s, 1h30m). */
function deadlineMs(v: string): number | string {
  const ns = /^\d+$/.test(v) ? BigInt(v) * 1_000_000n : parseGoDuration(v);
  const ms = ns === undefined ? NaN : Number(ns / 1_000_000n);
  return ms >= 100 && ms <= MAX_DEADLINE_MS ? ms : `--deadline ${v}: expected milliseconds or a duration such as 10m or 90s, from 100ms to 168h`;
}


/** The permission a list path needs, for the message when it is forbidden. */
function listPermission(path: string): string {
  const resource = path.split('/').pop() ?? path;
  return `list ${resource}${path.startsWith(RBAC) ? '.rbac.authorization.k8s.io' : ''}`;
}

/** why a list could not be read; `cut` when the audit stopped reading it (a bound, the deadline) */
type ListError = { error: string; status?: number; cut?: boolean };

class BoundReached extends Error {}

/**
 * Every item of a list, each handed to `each` as it arrives (nothing is kept here), or why the list
 * failed. `each` may throw BoundReached to stop the list (what it keeps went over its bound).
 */
async function eachItem<T>(api: ApiClient, path: string, each: (item: T) => void): Promise<ListError | undefined> {
  try {
    for await (const it of api.list<T>(path, 500)) each(it);
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return { error: e.message, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.cut ? { cut: true } : {}) };
    if (e instanceof BoundReached) return { error: `GET ${path}: ${e.message}`, cut: true };
    return { error: (e as Error).message };
  }
}

/** A list kept whole, each object cut down to what the analysis reads and counted against the kept bound. */
async function listKept<T>(api: ApiClient, path: string, reduce: (v: unknown) => object, budget: KeptBudget): Promise<{ items: T[] } | ListError> {
  const items: T[] = [];
  const failed = await eachItem<unknown>(api, path, (it) => {
    const r = reduce(it);
    if (!budget.take(sizeOf(r))) {
      throw new BoundReached(`stopped after ${items.length} items: the objects the audit keeps in memory went over ${budget.max} bytes, the bound on them`);
    }
    items.push(r as T);
  });
  return failed ?? { items };
}

function listUnknown(id: ClusterFindingId, path: string, r: ListError): Finding {
  const why = r.status === 403 ? `forbidden: the identity lacks \`${listPermission(path)}\` (${r.error})` : r.error;
  return finding(id, { subject: path, status: 'unknown', severity: 'high', message: `could not read ${path}: ${why}` });
}

function proxyError(r: GetResult & { ok: false }, what = 'configz'): string {
  if (r.status === 403) return `forbidden (403): the identity lacks \`get nodes/proxy\``;
  if (r.status === 503) return `kubelet unreachable through the API server (503): ${r.error}`;
  if (r.status !== undefined) return `GET ${what} answered ${r.error}`;
  return r.error; // timeout, connection error
}

/** The static pods in the kubelet's own pod list (/proxy/pods), read as they arrive, or why it could not be read. */
async function kubeletStaticPods(api: ApiClient, path: string): Promise<{ items: unknown[] } | { error: string }> {
  const items: unknown[] = [];
  let bytes = 0;
  try {
    for await (const p of api.list<unknown>(path, { single: true, maxItemBytes: KUBELET_POD_MAX_BYTES })) {
      if (!isStaticPod(p)) continue;
      bytes += sizeOf(p);
      if (bytes > KUBELET_STATIC_PODS_MAX_BYTES) return { error: `its static pods take over ${KUBELET_STATIC_PODS_MAX_BYTES} bytes, the bound on them` };
      items.push(p);
    }
    return { items };
  } catch (e) {
    if (e instanceof ApiError) return { error: proxyError({ ok: false, error: e.message, ...(e.status !== undefined && e.status >= 300 ? { status: e.status } : {}) }, '/pods') };
    return { error: (e as Error).message };
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the pods, namespaces and RBAC phases leave for the per-node phase. */
interface ClusterContext {
  /** the API server's mirror pods by node; undefined when the pods could not be listed */
  mirrors?: Map<string, MirrorIndex>;
  podsError?: string;
  namespaces?: string[];
  /** the same, for lookups from every node */
  namespaceSet?: ReadonlySet<string>;
  /**
   * Pods with a hostPath volume or a privileged container (bypassCandidate), by spec.nodeName ("" when
   * unscheduled): each is judged once its node's paths are known (that node's configz), then dropped.
   */
  candidates: Map<string, object[]>;
  bypass: BypassGroups;
}

/** Judges the pods scheduled on a node against that node's paths (or the defaults, saying why), and forgets them. */
function judgeNodePods(ctx: ClusterContext, node: string, opts: BypassOptions): void {
  const pods = ctx.candidates.get(node);
  if (!pods) return;
  ctx.candidates.delete(node);
  for (const b of bypassPods(pods, opts)) ctx.bypass.add(b);
}

/**
 * One node: its live findings, then (with --node-audit) its Job's. What the Job's report says about
 * the live configuration (configz's sections) is left out when configz was read: the live
 * configuration decides, and two findings about one setting must not disagree.
 */
async function auditNode(api: ApiClient, ctx: ClusterContext, name: string, version: string | undefined, os: string | undefined, timeoutMs: number, signal: AbortSignal,
  audit: ((name: string) => Promise<NodeAuditResult | undefined>) | undefined): Promise<{ node: ClusterNode; findings: Finding[] }> {
  const live = await auditNodeLive(api, ctx, name, version, os, timeoutMs, signal);
  const r = await audit?.(name);
  if (!r) return live;
  const findings = [...live.findings];
  if (r.ok) {
    findings.push(...r.log.findings.filter((f) => live.node.configz !== 'ok' || !NODE_SECTIONS.has(f.section)));
    if (r.log.incomplete !== undefined) {
      findings.push(finding('node-audit-job', { subject: name, status: 'unknown', severity: 'high',
        message: `${name}: the node audit in the Job ${r.job} was incomplete: ${r.log.incomplete}` }));
    }
  } else {
    findings.push(finding('node-audit-job', { subject: name, status: 'unknown', severity: 'high',
      message: `${name}: the node audit Job${r.job ? ` ${r.job}` : ''} gave no report: ${r.reason}` }));
  }
  const nodeAudit = r.ok ? (r.log.incomplete !== undefined ? `incomplete: ${r.log.incomplete}` : 'ok') : r.reason;
  return { node: { ...live.node, summary: counts(findings), nodeAudit }, findings };
}

/** One node: its live configuration through the kubelet checks, and its kubelet's pods against the API server's mirrors. */
async function auditNodeLive(api: ApiClient, ctx: ClusterContext, name: string, version: string | undefined, os: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<{ node: ClusterNode; findings: Finding[] }> {
  const base = `/api/v1/nodes/${encodeURIComponent(name)}/proxy`;
  const mirrors = ctx.mirrors ? mirrorIndexFor(ctx.mirrors, name) : undefined;
  const nodeEntry = (configz: string, findings: Finding[]): ClusterNode => ({
    name, ...(version ? { version } : {}), configz, summary: counts(findings),
    ...(mirrors ? { staticPods: mirrors.pods.map((p) => `${p.namespace}/${p.pod}`) } : {}),
  });
  if (signal.aborted) {
    const why = `not examined: ${(signal.reason as Error).message}`;
    judgeNodePods(ctx, name, { defaultsBecause: `the configuration of ${name} was not read (${why})` });
    const findings = [finding('node-configz', { subject: name, status: 'unknown', severity: 'high', message: `${name}: its kubelet checks were not run: ${why}` })];
    return { node: nodeEntry(why, findings), findings };
  }
  const r = await api.get(`${base}/configz`, { timeoutMs, maxBytes: CONFIGZ_MAX_BYTES });
  const parsed = r.ok ? configzToEffective(r.body, name) : { error: proxyError(r) };
  const configz = parsed.effective ? 'ok' : (parsed.error ?? 'no configuration in the answer');
  if (!parsed.effective) {
    judgeNodePods(ctx, name, { defaultsBecause: `the configuration of ${name} could not be read (${configz})` });
    const findings = [finding('node-configz', { subject: name, status: 'unknown', severity: 'high',
      message: `${name}: its kubelet checks were not run: ${configz}` })];
    return { node: nodeEntry(configz, findings), findings };
  }
  // the node's own runtime socket and static pod folder decide which host paths lead around the API server
  const effective = parsed.effective;
  const paths: BypassOptions = { node: nodePathsFrom(name, (k) => effective[k]?.value) };
  judgeNodePods(ctx, name, paths);
  const facts = nodeFactsFromConfigz(parsed.effective, name, version);
  if (os === 'linux' || os === 'windows') facts.os = { value: os, source: `status.nodeInfo.operatingSystem of the Node ${name}` };
  const findings: Finding[] = runChecks(NODE_CHECKS_VIA_CONFIGZ, facts)
    .map((f) => ({ ...f, subject: f.subject ? `${name} ${f.subject}` : name }));

  // hidden static pods: the kubelet's own pod list against the API server's mirror pods of the node
  const kp = await kubeletStaticPods(api, `${base}/pods`);
  if ('error' in kp || !mirrors) {
    const why = 'error' in kp ? `could not read the kubelet's pod list (${base}/pods): ${kp.error}` : `could not read the API server's pods (/api/v1/pods): ${ctx.podsError ?? ''}`;
    findings.push(finding('hidden-static-pods', { subject: name, status: 'unknown', severity: 'high',
      message: `${name}: hidden static pods were not looked for: ${why}` }));
  } else {
    const hidden = hiddenStaticPods(kp.items, mirrors, name, { ...paths, ...(ctx.namespaceSet ? { namespaces: ctx.namespaceSet } : {}) });
    if (hidden.length === 0)
      findings.push(finding('hidden-static-pods', { subject: name, status: 'pass', severity: 'critical',
        message: `${name}: each of the ${kp.items.length} static pods its kubelet runs has its mirror pod in the API server` }));
    for (const h of hidden) {
      findings.push(finding('hidden-static-pods', {
        subject: `${name}/${h.namespace}/${h.pod}`, status: 'fail', severity: h.severity,
        message: h.detail, // ends with the reasons
        evidence: h.bypass.map((b) => ({ note: `${b.kind}: ${b.detail}` })),
        remediation: `remove the manifest of ${h.namespace}/${h.pod} from ${name}'s static pod folder (staticPodPath/staticPodURL) or fix its namespace/references so a mirror pod can be created; audit the node with \`kubelet-guard node\``,
      }));
    }
  }
  return { node: nodeEntry(configz, findings), findings };
}

const MAX_PODS_NAMED = 20;

/**
 * Bypass findings, one per controller: the pods of a DaemonSet (or ReplicaSet, Job…) share its
 * template, so a CSI driver's DaemonSet mounting /var/lib/kubelet on 5,000 nodes is one finding
 * naming its pods, not 5,000. Pods without a controller stay one finding each.
 */
class BypassGroups {
  private readonly groups = new Map<string, { first: BypassFinding; pods: string[] }>();

  add(b: BypassFinding): void {
    const key = JSON.stringify([b.namespace, b.owner ?? `Pod/${b.pod}`, b.kind, b.severity]);
    const at = `${b.namespace}/${b.pod}${b.node ? ` on ${b.node}` : ''}`;
    const g = this.groups.get(key);
    if (!g) this.groups.set(key, { first: b, pods: [at] });
    else g.pods.push(at);
  }

  findings(): Finding[] {
    return [...this.groups.values()].map(({ first: b, pods }) => {
      const many = pods.length > 1 && b.owner !== undefined;
      const named = pods.slice(0, MAX_PODS_NAMED).join(', ') + (pods.length > MAX_PODS_NAMED ? `, … +${pods.length - MAX_PODS_NAMED}` : '');
      return finding('workload-bypass', {
        subject: many ? `${b.namespace}/${b.owner}` : `${b.namespace}/${b.pod}`, status: 'fail', severity: b.severity,
        message: (many ? `${b.owner} in ${b.namespace}: ${pods.length} pods (${named})` : `${pods[0]}${b.owner ? ` (${b.owner})` : ''}`) +
          `: ${b.kind}: ${b.detail}${b.mirror ? ' (a static pod, admitted by no one)' : ''}`,
        remediation: `${many ? `change the pod template of ${b.owner}: ` : ''}remove the host mount / host namespaces, or confine the pod${many ? 's' : ''} to a namespace enforcing Pod Security baseline`,
      });
    });
  }
}

function counts(findings: readonly Finding[]): Counts {
  const { failBySeverity: _, ...c } = summarize(findings);
  return c;
}

interface NodeProgress {
  done: number;
  total: number;
  unreadable: number;
  startedMs: number;
  nowMs: number;
}

function formatNodeProgress(p: NodeProgress, columns: number): string {
  const secs = (p.nowMs - p.startedMs) / 1000;
  const rate = secs > 0 ? p.done / secs : 0;
  const eta = rate > 0 ? formatDuration((p.total - p.done) / rate) : '?';
  const line = `cluster: nodes ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}  unreadable ${p.unreadable}  ${Math.round(rate)}/s  ETA ${eta}`;
  return line.slice(0, Math.max(20, columns) - 1);
}

export async function runClusterCommand(opts: ClusterCommandOptions, io: Io): Promise<number> {
  const triage = loadTriage('cluster', opts, process.cwd(), utcDay(new Date()));
  if ('error' in triage) {
    io.err.write(`kubelet-guard cluster: ${inertMessage(triage.error)}`);
    return 2;
  }
  const targets = selectOutputs('cluster', opts.format, opts.output);
  if ('error' in targets) {
    io.err.write(`kubelet-guard cluster: ${inertMessage(targets.error)}`);
    return 2;
  }
  let outs: OpenOutputs;
  try {
    outs = openOutputs(targets, io);
  } catch (e) {
    io.err.write(`kubelet-guard cluster: ${inertMessage((e as Error).message)}`);
    return 2;
  }
  try {
    return await auditCluster(opts, io, outs, triage);
  } finally {
    outs.abort(); // what was not committed: a usage error, an exception
  }
}

/** The options that shaped a cluster audit, for its report (the kubeconfig's path, never its credentials). */
function clusterInputs(opts: ClusterCommandOptions): Record<string, unknown> {
  return {
    kubeconfig: opts.kubeconfig, context: opts.context, concurrency: Number(opts.concurrency), timeoutMs: Number(opts.timeout),
    deadline: opts.deadline ?? DEFAULT_DEADLINE, failOn: opts.failOn, nodeAudit: opts.nodeAudit === true, benchmark: opts.benchmark,
    ...(opts.nodeAudit ? { nodes: opts.nodes, image: opts.image ?? DEFAULT_NODE_AUDIT_IMAGE, namespace: opts.namespace ?? DEFAULT_NODE_AUDIT_NAMESPACE, nodeAuditTimeout: opts.nodeAuditTimeout ?? DEFAULT_NODE_AUDIT_TIMEOUT } : {}),
    ...triageInputs(opts),
  };
}

async function auditCluster(opts: ClusterCommandOptions, io: Io, outs: OpenOutputs, triage: Triage): Promise<number> {
  const usage = (msg: string) => {
    io.err.write(`kubelet-guard cluster: ${inertMessage(msg)}`);
    return 2;
  };
  const concurrency = int('concurrency', opts.concurrency, 1, 1024);
  if (typeof concurrency === 'string') return usage(concurrency);
  const timeoutMs = int('timeout', opts.timeout, 10, 600_000);
  if (typeof timeoutMs === 'string') return usage(timeoutMs);
  const deadline = deadlineMs(opts.deadline ?? DEFAULT_DEADLINE);
  if (typeof deadline === 'string') return usage(deadline);
  const na = nodeAuditOptions(opts);
  if (typeof na === 'string') return usage(na);

  // the whole run: when it fires, nothing more is sent and what is in flight ends with this reason
  const startedAt = performance.now();
  const run = new AbortController();
  const deadlineTimer = setTimeout(() => run.abort(new Error(`the run deadline (--deadline ${opts.deadline ?? DEFAULT_DEADLINE}) passed`)), deadline);
  // with --node-audit, Ctrl-C stops the run like the deadline, so that its Jobs are deleted; a second one quits at once
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    io.err.write(`kubelet-guard cluster: ${inertMessage('interrupted: stopping and deleting the node audit Jobs (Ctrl-C again quits at once, leaving them)')}`);
    run.abort(new Error('interrupted (SIGINT)'));
  };
  if (na) process.once('SIGINT', onSigint);
  let api: ApiClient;
  try {
    api = await connect({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}),
      maxSockets: concurrency, timeoutMs, signal: run.signal, onSecret: (s) => io.secrets?.add(s),
    });
  } catch (e) {
    clearTimeout(deadlineTimer);
    process.off('SIGINT', onSigint);
    // the first line only: a YAML error goes on to quote the kubeconfig's lines, secrets included
    const msg = (e as Error).message.split('\n')[0]!;
    // kubeconfig.ts names the file (one of $KUBECONFIG's too)
    return usage(`cannot use the ${msg.startsWith('kubeconfig ') ? msg : `kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${msg}`}`);
  }
  let runner: NodeAuditRunner | undefined;
  try {
    const early: Finding[] = [];
    const ctx: ClusterContext = { candidates: new Map(), bypass: new BypassGroups() };
    const budget = new KeptBudget();
    /** lists the audit stopped reading (a bound, the deadline) */
    const cutLists: string[] = [];
    /** lists it could not read at all (403, timeout, garbage): their findings are unknown, the audit incomplete */
    const unreadLists: string[] = [];
    const noteCut = (path: string, r: ListError | undefined): void => {
      if (r?.cut) cutLists.push(path);
      else if (r) unreadLists.push(`${path} (${r.status === 403 ? 'forbidden' : r.error})`);
    };

    // ---- nodes: names and versions only (a Node object carries its image list: kilobytes each) ----
    const nodeRefs: Array<{ name: string; version?: string; os?: string; platform?: NodePlatform }> = [];
    const nodesFailed = await eachItem<NodeObj>(api, '/api/v1/nodes', (n) => {
      const name = n?.metadata?.name;
      const version = n?.status?.nodeInfo?.kubeletVersion;
      const os = n?.status?.nodeInfo?.operatingSystem;
      if (typeof name === 'string' && name !== '') {
        // the platform is named now, so the node's labels and provider ID are not kept
        const platform = nodePlatform(n);
        const ref = { name, ...(typeof version === 'string' && version !== '' ? { version } : {}), ...(os === 'linux' || os === 'windows' ? { os } : {}), ...(platform ? { platform } : {}) };
        if (!budget.take(name.length + (ref.version?.length ?? 0) + 32 + (platform ? sizeOf(platform) : 0))) {
          throw new BoundReached(`stopped after ${nodeRefs.length} nodes: the objects the audit keeps in memory went over ${budget.max} bytes, the bound on them`);
        }
        nodeRefs.push(ref);
      }
    });
    noteCut('/api/v1/nodes', nodesFailed);
    if (nodesFailed) early.push(listUnknown('cluster-nodes', '/api/v1/nodes', nodesFailed));

    // ---- namespaces: Pod Security enforcement ----
    let weakNamespaces: string[] | undefined;
    const nss = await listKept<unknown>(api, '/api/v1/namespaces', REDUCERS.namespaces, budget);
    if ('error' in nss) noteCut('/api/v1/namespaces', nss);
    if ('error' in nss) {
      early.push(listUnknown('namespace-pod-security', '/api/v1/namespaces', nss));
      early.push(listUnknown('namespace-pod-security-label', '/api/v1/namespaces', nss));
    } else {
      ctx.namespaces = nss.items.map((n) => (n as { metadata?: { name?: unknown } } | null)?.metadata?.name).filter((n): n is string => typeof n === 'string');
      ctx.namespaceSet = new Set(ctx.namespaces);
      const gaps = podSecurityGaps(nss.items);
      weakNamespaces = gaps.filter((g) => g.level === 'privileged').map((g) => g.namespace);
      for (const g of gaps) {
        early.push(finding('namespace-pod-security', {
          subject: g.namespace, status: 'fail', severity: g.severity,
          message: `${g.namespace}: ${g.detail}`,
          remediation: `kubectl label namespace ${g.namespace} pod-security.kubernetes.io/enforce=baseline`,
        }));
      }
      if (gaps.length === 0)
        early.push(finding('namespace-pod-security', { subject: '/api/v1/namespaces', status: 'pass', severity: 'high',
          message: `every one of the ${nss.items.length} namespaces enforces baseline or restricted (an enforce label that is no level counts as restricted, as Pod Security evaluates it)` }));
      const labelErrors = podSecurityLabelErrors(nss.items);
      for (const e of labelErrors) {
        early.push(finding('namespace-pod-security-label', {
          subject: `${e.namespace} ${e.label}`, status: 'fail', severity: e.severity,
          message: `${e.namespace}: ${e.detail}`,
          remediation: `kubectl label --overwrite namespace ${e.namespace} ${e.label}=<${e.label.endsWith('-version') ? 'latest or v1.N' : 'privileged|baseline|restricted'}, the one meant>`,
        }));
      }
      if (labelErrors.length === 0)
        early.push(finding('namespace-pod-security-label', { subject: '/api/v1/namespaces', status: 'pass', severity: 'low',
          message: `every Pod Security label of the ${nss.items.length} namespaces names a valid level or version` }));
    }

    // ---- pods, one at a time: host access that bypasses the API server, and each node's mirror pods ----
    const mirrors = new Map<string, MirrorIndex>();
    const controlPlanePods: unknown[] = [];
    // what is kept of a pod (its mirror-index entry, its bypass findings, a control-plane pod whole) counts against the bound
    const keep = (bytes: number): void => {
      if (!budget.take(bytes)) throw new BoundReached(`stopped: the objects the audit keeps in memory went over ${budget.max} bytes, the bound on them`);
    };
    const podsFailed = await eachItem<unknown>(api, '/api/v1/pods', (p) => {
      if (indexMirrorPod(mirrors, p)) {
        const m = (p as { metadata?: { name?: unknown; namespace?: unknown; uid?: unknown; annotations?: Record<string, unknown> } }).metadata;
        keep(64 + sizeOf([m?.name, m?.namespace, m?.uid, m?.annotations?.[MIRROR_ANNOTATION]])); // what the index keeps of it
      }
      if (isControlPlaneCandidate(p)) {
        keep(sizeOf(p));
        controlPlanePods.push(p);
      }
      const c = bypassCandidate(p);
      if (c) {
        keep(sizeOf(c));
        const node = nodeOf(c) ?? '';
        const l = ctx.candidates.get(node);
        if (l) l.push(c);
        else ctx.candidates.set(node, [c]);
      }
    });
    noteCut('/api/v1/pods', podsFailed);
    if (podsFailed) {
      early.push(listUnknown('workload-bypass', '/api/v1/pods', podsFailed));
      ctx.podsError = podsFailed.error;
    } else ctx.mirrors = mirrors;
    // ---- the control plane, where it runs as pods (kubeadm's static pods in kube-system) ----
    early.push(...controlPlaneFindings(podsFailed ? { error: podsFailed.error } : controlPlanePods));

    // ---- RBAC ----
    let rbac: Iterable<Finding> = [];
    const [crs, rs, crbs, rbs] = await Promise.all([
      listKept<ClusterRole>(api, `${RBAC}/clusterroles`, REDUCERS.clusterroles, budget),
      listKept<Role>(api, `${RBAC}/roles`, REDUCERS.roles, budget),
      listKept<ClusterRoleBinding>(api, `${RBAC}/clusterrolebindings`, REDUCERS.clusterrolebindings, budget),
      listKept<RoleBinding>(api, `${RBAC}/rolebindings`, REDUCERS.rolebindings, budget),
    ]);
    for (const [r, res] of [[crs, 'clusterroles'], [rs, 'roles'], [crbs, 'clusterrolebindings'], [rbs, 'rolebindings']] as const) {
      if ('error' in r) {
        noteCut(`${RBAC}/${res}`, r);
        early.push(listUnknown('rbac-kubelet-access', `${RBAC}/${res}`, r));
      }
    }
    // no RBAC verdict from a partial picture: a missing list could hold the binding that matters
    if (!('error' in crs) && !('error' in rs) && !('error' in crbs) && !('error' in rbs)) {
      // made one at a time and reported as made (below): never all held
      rbac = rbacFindingsOf({ clusterRoles: crs.items, roles: rs.items, clusterRoleBindings: crbs.items, roleBindings: rbs.items }, weakNamespaces, ctx.namespaces);
    }

    // ---- the report: cluster-wide findings now, each node's as its turn comes ----
    // one profile for the whole report: a cluster's nodes may run different distributions
    const { profile, choice } = chooseProfile(opts.benchmark, undefined, 'the default (a cluster report numbers every node alike; --benchmark chooses another)');
    const head: ClusterJsonHead = { ...reportHeader('cluster', clusterInputs(opts)), cluster: { server: api.server, nodes: nodeRefs.length }, benchmark: choice };
    const jsonOut = outs.outputs.find((o) => o.format === 'json');
    const json = jsonOut ? await startJsonStream(jsonOut.stream, head) : undefined;
    // what the other formats need held (formats.ts): the table's capped list, every failed and unknown one, or all
    const wants = new Set(outs.outputs.map((o) => formatSpec('cluster', o.format).findings));
    const kept: Finding[] = []; // the table's: failed and unknown only
    const open: Finding[] = [];
    const all: Finding[] = [];
    const rbacFails: Record<string, number> = {}; // every RBAC fail, counted; the table shows the first TABLE_MAX_RBAC_FAILS of each check
    const inTable = (f: Finding): boolean => {
      if (f.status === 'unknown') return true;
      if (f.status !== 'fail') return false;
      if (!f.check.startsWith('rbac-')) return true;
      rbacFails[f.check] = (rbacFails[f.check] ?? 0) + 1;
      return rbacFails[f.check]! <= TABLE_MAX_RBAC_FAILS;
    };
    const summary = summarize([]);
    let failing = false;
    let judged = 0;
    // each finding marked (suppressed, baseline) or left out (--skip/--check) before it is counted or
    // written; `node` is the node it is about (a node's own findings), for an ignore file's node: pattern
    const report = async (raw: Finding, node?: string): Promise<void> => {
      const f = triage.mark(withBenchmark(raw, profile), node);
      if (!f) return;
      summary[f.status]++;
      if (judges(f)) judged++;
      if (f.status === 'fail') summary.failBySeverity[f.severity]++;
      failing ||= triage.counts(f) && failedAtOrAbove([f], opts.failOn);
      if (json) await json.finding(f);
      if (wants.has('table') && inTable(f)) kept.push(f);
      if (wants.has('open') && (f.status === 'fail' || f.status === 'unknown')) open.push(f);
      if (wants.has('all')) all.push(f);
    };
    for (const f of early) await report(f);
    early.length = 0;
    for (const f of rbac) await report(f);

    const nodes: ClusterNode[] = [];
    const progress = opts.progress === false ? undefined : createProgressWriter<NodeProgress>(io.err as unknown as ProgressStream, undefined, formatNodeProgress);
    const state: NodeProgress = { done: 0, total: nodeRefs.length, unreadable: 0, startedMs: performance.now(), nowMs: 0 };
    // results come in completion order; they are reported in the API server's order (the JSON diffs
    // cleanly from one run to the next), holding only those that finished before their turn
    const waiting = new Map<number, { node: ClusterNode; findings: Finding[] }>();
    let turn = 0;
    let notExamined = 0;
    let nodeAuditMissing: string[] = [];
    // ---- --node-audit: a Job on each (selected) node, said before anything is created ----
    let jobAudit: ((name: string) => Promise<NodeAuditResult | undefined>) | undefined;
    if (na) {
      const say = (line: string): void => void io.err.write(`kubelet-guard cluster: ${inertMessage(line)}`);
      const named = na.nodes ? nodeRefs.filter((n) => na.nodes!.has(n.name)) : nodeRefs;
      // the image and the node audit are Linux's: a Windows node is said, not tried
      const selected = named.filter((n) => n.os !== 'windows');
      const windows = new Set(named.filter((n) => n.os === 'windows').map((n) => n.name));
      const known = new Set(nodeRefs.map((n) => n.name));
      for (const n of na.nodes ?? []) if (!known.has(n)) say(`--nodes: the API server lists no node ${n}: it is not audited`);
      const runId = randomBytes(4).toString('hex');
      runner = new NodeAuditRunner(api, { namespace: na.namespace, image: na.image, runId, concurrency: na.concurrency, nodeTimeoutMs: na.timeoutMs,
        pollMs: na.pollMs, signal: run.signal, requestTimeoutMs: timeoutMs, say });
      const refused = selected.length > 0 ? await runner.preflight() : undefined;
      if (refused !== undefined) say(`--node-audit: no Job created: ${refused}`);
      else if (selected.length > 0) {
        say(`--node-audit: creating ${selected.length} Job(s) in the namespace ${na.namespace} (image ${na.image}, ${na.concurrency} at a time, ` +
          `each deleted when its node is done; label ${'kubelet-guard.io/run'}=${runId}: ${runner.leftovers})`);
      }
      const index = new Map(selected.map((n, i) => [n.name, i]));
      const r = runner;
      jobAudit = async (name) => {
        if (windows.has(name)) return { ok: false, reason: 'not run: a Windows node (the node audit and its image are for Linux nodes)' };
        const i = index.get(name);
        if (i === undefined) return undefined;
        if (refused !== undefined) return { ok: false, reason: `not run: ${refused}` };
        return r.audit(name, i);
      };
      nodeAuditMissing = na.nodes ? [...na.nodes].filter((n) => !known.has(n)) : [];
    }
    const results = mapLimit(nodeRefs, concurrency, async (n, i) => {
      if (run.signal.aborted) notExamined++;
      return { i, ...(await auditNode(api, ctx, n.name, n.version, n.os, timeoutMs, run.signal, jobAudit)) };
    });
    try {
      for await (const { i, node, findings } of results) {
        state.done++;
        if (node.configz !== 'ok') state.unreadable++;
        state.nowMs = performance.now();
        progress?.update(state);
        waiting.set(i, { node, findings });
        for (let next = waiting.get(turn); next; next = waiting.get(turn)) {
          const platform = nodeRefs[turn]?.platform;
          waiting.delete(turn++);
          // a node's counts are of the checks run and reported (--skip/--check), like the findings
          nodes.push({ ...next.node, summary: counts(next.findings.filter((f) => triage.runs(f.check))), ...(platform ? { platform } : {}) });
          for (const f of next.findings) await report(f, next.node.name);
        }
      }
    } finally {
      progress?.finish();
    }
    nodes.sort((a, b) => byName(a.name, b.name));
    // pods no audited node took: unscheduled, or on a node the node list did not show
    for (const node of [...ctx.candidates.keys()])
      judgeNodePods(ctx, node, { defaultsBecause: node === '' ? 'the pod is not scheduled to a node yet' : `its node ${node} is not in the node list, so its configuration is unknown` });
    const bypassFindings = ctx.bypass.findings();
    for (const f of bypassFindings) await report(f);
    if (bypassFindings.length === 0 && !podsFailed)
      await report(finding('workload-bypass', { subject: '/api/v1/pods', status: 'pass', severity: 'critical',
        message: "no pod mounts its node's runtime socket (or a folder above it), static pod folder, /var/lib/kubelet, /var/lib/etcd, /etc/kubernetes or the kubelet's serving-key folder, and none runs privileged with host namespaces" }));
    clearTimeout(deadlineTimer); // everything was examined or stopped: writing the report is not cut
    await runner?.cleanup(); // what a stopped run left

    // the deadline, said once where the table and the JSON both show it
    if (run.signal.aborted) {
      const secs = ((performance.now() - startedAt) / 1000).toFixed(1);
      const lists = cutLists.length > 0 ? `; lists not read to the end: ${cutLists.join(', ')}` : '';
      await report(finding('cluster-run-deadline', { subject: api.server, status: 'unknown', severity: 'high',
        message: `${(run.signal.reason as Error).message} after ${secs} s: ${notExamined} of ${nodeRefs.length} nodes were not examined, and the requests in flight were stopped${lists}; each of their findings is unknown` }));
    }

    // audited nothing, or not all of it: one line first, saying what was not found and what to try
    const none = nothingJudged(judged, summary.pass + summary.fail + summary.unknown + summary['not-applicable']);
    const noReport = nodes.filter((n) => n.nodeAudit !== undefined && n.nodeAudit !== 'ok').length;
    const nodeAuditGap = noReport > 0 || nodeAuditMissing.length > 0
      ? `the node audit gave no (complete) report for ${noReport} node(s)${nodeAuditMissing.length > 0 ? ` and ${nodeAuditMissing.length} node(s) named with --nodes are not in the node list` : ''}; see the node-audit-job findings`
      : undefined;
    const incomplete = interrupted
      ? 'interrupted (SIGINT): what was not examined is unknown'
      : run.signal.aborted
      ? `the run deadline (--deadline ${opts.deadline ?? DEFAULT_DEADLINE}) passed: what was not examined is unknown; give a longer --deadline`
      : cutLists.length > 0
        ? `lists not read to the end (a bound was reached): ${cutLists.join(', ')}; what they hold is unknown`
        : nodesFailed
          ? `the API server ${api.server} could not list the nodes: ${nodesFailed.error}; check that it is reachable and that the identity may list nodes (try kubectl get nodes with the same kubeconfig and context)`
          : nodeRefs.length === 0
            ? `the API server ${api.server} lists no nodes: no kubelet was audited; is this the right cluster and context? (try kubectl get nodes with the same kubeconfig)`
            : unreadLists.length > 0
            ? `lists that could not be read: ${unreadLists.join(', ')}; what they hold is unknown`
            : none !== undefined ? `nothing judged on ${api.server}: ${none}; see the unknown findings for what could not be read` : nodeAuditGap;
    if (incomplete !== undefined) io.err.write(`kubelet-guard cluster: ${inertMessage(`incomplete: ${incomplete}`)}`);
    const triaged = triage.report();
    for (const w of triage.warnings(triaged)) io.err.write(`kubelet-guard cluster: warning: ${inertMessage(w)}`);
    if (json) await json.end({ nodes, summary, ...(incomplete !== undefined ? { incomplete } : {}), ...triaged });
    for (const o of outs.outputs) {
      const spec = formatSpec('cluster', o.format);
      if (!spec.write) continue;
      const findings = spec.findings === 'all' ? all : spec.findings === 'open' ? open : kept;
      o.stream.write(spec.write({ ...head, nodes, findings, summary, rbacFails, ...(incomplete !== undefined ? { incomplete } : {}), ...triaged }, { color: useColor(opts.color, o.stream), width: reportWidth(o.stream), ...(io.secrets ? { redact: (t: string) => io.secrets!.redact(t) } : {}) }));
    }
    const unwritten = outs.commit();
    if (unwritten !== undefined) {
      io.err.write(`kubelet-guard cluster: cannot write the report: ${inertMessage(unwritten)}`);
      return 2;
    }
    return auditExitCode(failing, incomplete);
  } finally {
    clearTimeout(deadlineTimer);
    await runner?.cleanup(); // on an error too
    process.off('SIGINT', onSigint);
    api.close();
  }
}

/** --node-audit and its options, checked; undefined without it (and then none of its options may be given). */
function nodeAuditOptions(opts: ClusterCommandOptions): { namespace: string; image: string; timeoutMs: number; concurrency: number; pollMs: number; nodes?: Set<string> } | string | undefined {
  if (!opts.nodeAudit) {
    const given = (['nodes', 'image', 'namespace', 'nodeAuditTimeout', 'nodeAuditConcurrency', 'nodeAuditPoll'] as const).filter((k) => opts[k] !== undefined);
    return given.length > 0 ? `--${given[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is an option of --node-audit` : undefined;
  }
  const namespace = opts.namespace ?? DEFAULT_NODE_AUDIT_NAMESPACE;
  if (!NAMESPACE_RE.test(namespace)) return `--namespace ${namespace}: not a namespace name`;
  const image = opts.image ?? DEFAULT_NODE_AUDIT_IMAGE;
  if (!IMAGE_RE.test(image)) return `--image ${image}: not an image reference`;
  const t = opts.nodeAuditTimeout ?? DEFAULT_NODE_AUDIT_TIMEOUT;
  const ns = /^\d+$/.test(t) ? BigInt(t) * 1_000_000n : parseGoDuration(t);
  const timeoutMs = ns === undefined ? NaN : Number(ns / 1_000_000n);
  if (!(timeoutMs >= 1000 && timeoutMs <= 24 * 3600_000)) return `--node-audit-timeout ${t}: expected milliseconds or a duration such as 5m, from 1s to 24h`;
  const concurrency = int('node-audit-concurrency', opts.nodeAuditConcurrency ?? '5', 1, 256);
  if (typeof concurrency === 'string') return concurrency;
  const pollMs = int('node-audit-poll', opts.nodeAuditPoll ?? '2000', 10, 60_000);
  if (typeof pollMs === 'string') return pollMs;
  let nodes: Set<string> | undefined;
  if (opts.nodes !== undefined) {
    nodes = new Set(opts.nodes.split(',').map((n) => n.trim()).filter((n) => n !== ''));
    if (nodes.size === 0) return '--nodes: expected node names, comma-separated';
  }
  return { namespace, image, timeoutMs, concurrency, pollMs, ...(nodes ? { nodes } : {}) };
}

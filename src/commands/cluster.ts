// `kubelet-guard cluster`: audit a whole cluster through its API server. Each node's live kubelet
// configuration is read via the node proxy (/configz) with bounded concurrency and run through the
// kubelet checks; RBAC is analysed for who can reach the kubelet API or escalate; pods are checked
// for host access that bypasses the API server; namespaces for missing Pod Security enforcement.
// Anything we could not read (403, 503, timeout, garbage) is an `unknown` finding, never a pass.
import type { Io } from '../cli.ts';
import type { FailOn } from '../checks/run.ts';
import { failedAtOrAbove, runChecks, summarize } from '../checks/run.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import type { Evidence, Finding, Section } from '../checks/types.ts';
import { ApiError, connect, mapLimit, type ApiClient, type GetResult } from '../cluster/fetch.ts';
import { configzToEffective, nodeFactsFromConfigz } from '../scan/collect.ts';
import { analyzeRbac, type ClusterRole, type ClusterRoleBinding, type GrantChain, type Role, type RoleBinding, type SubjectRef } from '../cluster/rbac.ts';
import { bypassPods, hiddenStaticPods, podSecurityGaps } from '../cluster/workloads.ts';
import { formatClusterTable } from '../report/cluster-table.ts';
import { useColor } from './node.ts';
import pkg from '../../package.json' with { type: 'json' };

export interface ClusterCommandOptions {
  kubeconfig?: string;
  context?: string;
  concurrency: string;
  timeout: string;
  format: 'table' | 'json';
  failOn: FailOn;
  color?: boolean;
}

export interface ClusterNode {
  name: string;
  version?: string;
  /** 'ok', or why the configuration could not be read */
  configz: string;
}

export interface ClusterReport {
  tool: { name: string; version: string };
  cluster: { server: string; nodes: number };
  nodes: ClusterNode[];
  findings: Finding[];
  summary: ReturnType<typeof summarize>;
}

const NODE_SECTIONS: ReadonlySet<Section> = new Set<Section>(['cis-4.2', 'kubelet-api', 'versions']);
const CONFIGZ_MAX_BYTES = 1024 * 1024;
const KUBELET_PODS_MAX_BYTES = 16 * 1024 * 1024;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

interface NodeObj {
  metadata?: { name?: string };
  status?: { nodeInfo?: { kubeletVersion?: string } };
}

function int(name: string, v: string, min: number, max: number): number | string {
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} ${v}: expected a whole number from ${min} to ${max}`;
}

function finding(f: Omit<Finding, 'cis' | 'evidence'> & { evidence?: Evidence[]; cis?: string[] }): Finding {
  return { cis: [], evidence: [], ...f } as Finding;
}

/** The permission a list path needs, for the message when it is forbidden. */
function listPermission(path: string): string {
  const resource = path.split('/').pop() ?? path;
  return `list ${resource}${path.startsWith(RBAC) ? '.rbac.authorization.k8s.io' : ''}`;
}

async function listAll<T>(api: ApiClient, path: string): Promise<{ items: T[] } | { error: string; status?: number }> {
  try {
    const items: T[] = [];
    for await (const it of api.list<T>(path, 500)) items.push(it);
    return { items };
  } catch (e) {
    if (e instanceof ApiError) return { error: e.message, ...(e.status !== undefined ? { status: e.status } : {}) };
    return { error: (e as Error).message };
  }
}

function listUnknown(check: string, title: string, path: string, r: { error: string; status?: number }): Finding {
  const why = r.status === 403 ? `forbidden: the identity lacks \`${listPermission(path)}\` (${r.error})` : r.error;
  return finding({ check, title, section: 'control-plane', subject: path, status: 'unknown', severity: 'high', message: `could not read ${path}: ${why}` });
}

function configzError(r: GetResult & { ok: false }, what = 'configz'): string {
  if (r.status === 403) return `forbidden (403): the identity lacks \`get nodes/proxy\``;
  if (r.status === 503) return `kubelet unreachable through the API server (503): ${r.error}`;
  if (r.status !== undefined) return `GET ${what} answered ${r.error}`;
  return r.error; // timeout, connection error
}

/** The kubelet's own pod list (/proxy/pods): its items, or why it could not be read. */
function kubeletPodItems(r: GetResult): { items: unknown[] } | { error: string } {
  if (!r.ok) return { error: configzError(r, '/pods') };
  let v: unknown;
  try {
    v = JSON.parse(r.body.toString('utf8'));
  } catch (e) {
    return { error: `the /pods answer is not JSON: ${(e as Error).message}` };
  }
  const items = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) return { error: 'the /pods answer has no "items" array: not a kubelet PodList' };
  return { items };
}

const HIDDEN_TITLE = 'The kubelet runs a static pod the API server does not show';
const HIDDEN_UNKNOWN_TITLE = "The kubelet's own pod list could not be compared with the API server's";

const subjectName = (s: SubjectRef) => `${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
const chainText = (c: GrantChain) =>
  `${c.binding.kind}/${c.binding.namespace ? `${c.binding.namespace}/` : ''}${c.binding.name} → ${c.role.kind}/${c.role.namespace ? `${c.role.namespace}/` : ''}${c.role.name}` +
  ` → rule ${JSON.stringify(c.rule)}${c.aggregatedFrom ? ` (aggregated from ${c.aggregatedFrom})` : ''}`;

export async function runClusterCommand(opts: ClusterCommandOptions, io: Io): Promise<number> {
  const usage = (msg: string) => {
    io.err.write(`kubelet-guard cluster: ${msg}\n`);
    return 2;
  };
  const concurrency = int('concurrency', opts.concurrency, 1, 1024);
  if (typeof concurrency === 'string') return usage(concurrency);
  const timeoutMs = int('timeout', opts.timeout, 10, 600_000);
  if (typeof timeoutMs === 'string') return usage(timeoutMs);

  let api: ApiClient;
  try {
    api = await connect({ ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}), maxSockets: concurrency });
  } catch (e) {
    return usage(`cannot use the kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  try {
    const findings: Finding[] = [];
    const nodes: ClusterNode[] = [];
    /** the kubelet's own pod list of every node whose configz was read */
    const kubeletPodsByNode = new Map<string, { items: unknown[] } | { error: string }>();

    // ---- nodes ----
    const nodeList = await listAll<NodeObj>(api, '/api/v1/nodes');
    if ('error' in nodeList) {
      findings.push(listUnknown('cluster-nodes', 'Nodes could not be listed', '/api/v1/nodes', nodeList));
    } else {
      const checks = NODE_CHECKS.filter((c) => NODE_SECTIONS.has(c.meta.section));
      const named = nodeList.items.filter((n): n is NodeObj & { metadata: { name: string } } => typeof n.metadata?.name === 'string');
      const results = mapLimit(named, concurrency, async (n) => {
        const name = n.metadata.name;
        const version = n.status?.nodeInfo?.kubeletVersion;
        const r = await api.get(`/api/v1/nodes/${encodeURIComponent(name)}/proxy/configz`, { timeoutMs, maxBytes: CONFIGZ_MAX_BYTES });
        const parsed = r.ok ? configzToEffective(r.body, name) : { error: configzError(r) };
        const node: ClusterNode = { name, ...(version ? { version } : {}), configz: parsed.effective ? 'ok' : (parsed.error ?? 'no configuration in the answer') };
        let own: Finding[];
        let kubeletPods: { items: unknown[] } | { error: string } | undefined;
        if (parsed.effective) {
          kubeletPods = kubeletPodItems(await api.get(`/api/v1/nodes/${encodeURIComponent(name)}/proxy/pods`, { timeoutMs, maxBytes: KUBELET_PODS_MAX_BYTES }));
          own = runChecks(checks, nodeFactsFromConfigz(parsed.effective, name, version)).map((f) => ({ ...f, subject: f.subject ? `${name} ${f.subject}` : name }));
        } else {
          own = [finding({ check: 'node-configz', title: "The kubelet's live configuration could not be read", section: 'cis-4.2', subject: name, status: 'unknown', severity: 'high',
            message: `${name}: its kubelet checks were not run: ${node.configz}` })];
        }
        return { node, own, kubeletPods };
      });
      for await (const { node, own, kubeletPods } of results) {
        nodes.push(node);
        findings.push(...own);
        if (kubeletPods) kubeletPodsByNode.set(node.name, kubeletPods);
      }
      nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }

    // ---- RBAC ----
    const [crs, rs, crbs, rbs] = await Promise.all([
      listAll<ClusterRole>(api, `${RBAC}/clusterroles`),
      listAll<Role>(api, `${RBAC}/roles`),
      listAll<ClusterRoleBinding>(api, `${RBAC}/clusterrolebindings`),
      listAll<RoleBinding>(api, `${RBAC}/rolebindings`),
    ]);
    const rbacFailed = ([[crs, 'clusterroles'], [rs, 'roles'], [crbs, 'clusterrolebindings'], [rbs, 'rolebindings']] as const).filter(([r]) => 'error' in r);
    for (const [r, res] of rbacFailed) {
      if ('error' in r) findings.push(listUnknown('rbac-kubelet-access', 'Who can reach the kubelet API (RBAC) could not be analysed', `${RBAC}/${res}`, r));
    }
    if (!('error' in crs) && !('error' in rs) && !('error' in crbs) && !('error' in rbs)) {
      const a = analyzeRbac({ clusterRoles: crs.items, roles: rs.items, clusterRoleBindings: crbs.items, roleBindings: rbs.items });
      for (const g of a.kubelet) {
        findings.push(finding({
          check: 'rbac-kubelet-access', title: 'RBAC grants access to the kubelet API', section: 'control-plane', subject: subjectName(g.subject), status: 'fail', severity: g.severity,
          message: `${subjectName(g.subject)} may ${g.verbs.join(',')} nodes/${g.subresource}${g.resourceNames ? ` (only ${g.resourceNames.join(', ')})` : ''}${g.reach ? ` [${g.reach}]` : ''}: ${g.why}`,
          evidence: [{ note: chainText(g.chain) }],
          remediation: `remove the binding ${g.chain.binding.name} or narrow ${g.chain.role.kind} ${g.chain.role.name} (see \`kubelet-guard rbac-for\` for a least-privilege role)`,
        }));
      }
      for (const g of a.escalation) {
        findings.push(finding({
          check: 'rbac-escalation', title: 'RBAC allows privilege escalation', section: 'control-plane', subject: subjectName(g.subject), status: 'fail', severity: g.severity,
          message: `${subjectName(g.subject)} may ${g.action} (${g.verbs.join(',')} ${g.resource}): ${g.why}`,
          evidence: [{ note: chainText(g.chain) }],
          remediation: `remove ${g.action} from ${g.chain.role.kind} ${g.chain.role.name} or the binding ${g.chain.binding.name}`,
        }));
      }
    }

    // ---- workloads ----
    const pods = await listAll<unknown>(api, '/api/v1/pods');
    if ('error' in pods) findings.push(listUnknown('workload-bypass', 'Workloads could not be checked for host access', '/api/v1/pods', pods));
    else {
      for (const b of bypassPods(pods.items)) {
        findings.push(finding({
          check: 'workload-bypass', title: 'A pod has host access that bypasses the API server', section: 'static-pods', subject: `${b.namespace}/${b.pod}`, status: 'fail', severity: b.severity,
          message: `${b.namespace}/${b.pod}${b.node ? ` on ${b.node}` : ''}${b.owner ? ` (${b.owner})` : ''}: ${b.kind}: ${b.detail}${b.mirror ? ' (a static pod, admitted by no one)' : ''}`,
          remediation: 'remove the host mount / host namespaces, or confine the pod to a namespace enforcing Pod Security baseline',
        }));
      }
    }
    const nss = await listAll<unknown>(api, '/api/v1/namespaces');
    if ('error' in nss) findings.push(listUnknown('namespace-pod-security', 'Namespaces could not be checked for Pod Security', '/api/v1/namespaces', nss));
    else {
      for (const g of podSecurityGaps(nss.items)) {
        findings.push(finding({
          check: 'namespace-pod-security', title: 'A namespace does not enforce Pod Security baseline', section: 'static-pods', subject: g.namespace, status: 'fail', severity: g.severity,
          message: `${g.namespace}: ${g.detail}`,
          remediation: `kubectl label namespace ${g.namespace} pod-security.kubernetes.io/enforce=baseline`,
        }));
      }
    }

    // ---- hidden static pods: the kubelet's own pod list against the API server's pods of the node ----
    const apiPodsByNode = new Map<string, unknown[]>();
    if (!('error' in pods)) {
      for (const p of pods.items) {
        const nodeName = (p as { spec?: { nodeName?: unknown } } | null)?.spec?.nodeName;
        if (typeof nodeName !== 'string') continue;
        const group = apiPodsByNode.get(nodeName);
        if (group) group.push(p);
        else apiPodsByNode.set(nodeName, [p]);
      }
    }
    const nsNames = 'error' in nss ? undefined : nss.items
      .map((n) => (n as { metadata?: { name?: unknown } } | null)?.metadata?.name)
      .filter((n): n is string => typeof n === 'string');
    for (const [nodeName, kp] of [...kubeletPodsByNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if ('error' in kp || 'error' in pods) {
        const why = 'error' in kp ? `could not read the kubelet's pod list (/api/v1/nodes/${nodeName}/proxy/pods): ${kp.error}`
          : `could not read the API server's pods (/api/v1/pods): ${'error' in pods ? pods.error : ''}`;
        findings.push(finding({ check: 'hidden-static-pods', title: HIDDEN_UNKNOWN_TITLE, section: 'static-pods', subject: nodeName, status: 'unknown', severity: 'high',
          message: `${nodeName}: hidden static pods were not looked for: ${why}` }));
        continue;
      }
      for (const h of hiddenStaticPods(kp.items, apiPodsByNode.get(nodeName) ?? [], nodeName, nsNames ? { namespaces: nsNames } : {})) {
        findings.push(finding({
          check: 'hidden-static-pod', title: HIDDEN_TITLE, section: 'static-pods', subject: `${nodeName}/${h.namespace}/${h.pod}`, status: 'fail', severity: h.severity,
          // h.detail already ends with the reasons (joined with '; ')
          message: h.detail,
          evidence: h.bypass.map((b) => ({ note: `${b.kind}: ${b.detail}` })),
          remediation: `remove the manifest of ${h.namespace}/${h.pod} from ${nodeName}'s static pod folder (staticPodPath/staticPodURL) or fix its namespace/references so a mirror pod can be created; audit the node with \`kubelet-guard node\``,
        }));
      }
    }

    const report: ClusterReport = { tool: { name: 'kubelet-guard', version: pkg.version }, cluster: { server: api.server, nodes: nodes.length }, nodes, findings, summary: summarize(findings) };
    if (opts.format === 'json') io.out.write(JSON.stringify(report, null, 2) + '\n');
    else io.out.write(formatClusterTable(report, { color: useColor(opts.color, io.out) }));
    return failedAtOrAbove(findings, opts.failOn) ? 1 : 0;
  } finally {
    api.close();
  }
}

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
import { bypassPods, podSecurityGaps } from '../cluster/workloads.ts';
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

function configzError(r: GetResult & { ok: false }): string {
  if (r.status === 403) return `forbidden (403): the identity lacks \`get nodes/proxy\``;
  if (r.status === 503) return `kubelet unreachable through the API server (503): ${r.error}`;
  if (r.status !== undefined) return `GET configz answered ${r.error}`;
  return r.error; // timeout, connection error
}

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
        if (parsed.effective) {
          own = runChecks(checks, nodeFactsFromConfigz(parsed.effective, name, version)).map((f) => ({ ...f, subject: f.subject ? `${name} ${f.subject}` : name }));
        } else {
          own = [finding({ check: 'node-configz', title: "The kubelet's live configuration could not be read", section: 'cis-4.2', subject: name, status: 'unknown', severity: 'high',
            message: `${name}: its kubelet checks were not run: ${node.configz}` })];
        }
        return { node, own };
      });
      for await (const { node, own } of results) {
        nodes.push(node);
        findings.push(...own);
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

    const report: ClusterReport = { tool: { name: 'kubelet-guard', version: pkg.version }, cluster: { server: api.server, nodes: nodes.length }, nodes, findings, summary: summarize(findings) };
    if (opts.format === 'json') io.out.write(JSON.stringify(report, null, 2) + '\n');
    else io.out.write(formatClusterTable(report, { color: useColor(opts.color, io.out) }));
    return failedAtOrAbove(findings, opts.failOn) ? 1 : 0;
  } finally {
    api.close();
  }
}

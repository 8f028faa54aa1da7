// The terminal report of `kubelet-guard cluster`: one line per node, the cluster-wide counts of the
// settings that matter most, then the failed and unknown findings with their fixes, then a summary.
import pc from 'picocolors';
import type { Finding, Status } from '../checks/types.ts';
import type { ClusterReport } from '../commands/cluster.ts';

const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** Nodes (by subject prefix) where a check failed. */
function nodesFailing(findings: readonly Finding[], check: string, nodes: ReadonlySet<string>): number {
  const hit = new Set<string>();
  for (const f of findings) {
    if (f.check !== check || f.status !== 'fail' || !f.subject) continue;
    const name = f.subject.split(' ')[0] ?? '';
    if (nodes.has(name)) hit.add(name);
  }
  return hit.size;
}

export function formatClusterTable(r: ClusterReport, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [c.bold(`kubelet-guard cluster: ${r.cluster.server}, ${r.cluster.nodes} node(s)`)];
  const names = new Set(r.nodes.map((n) => n.name));
  if (r.nodes.length > 0) {
    out.push('', c.bold('Nodes'));
    for (const n of r.nodes) {
      const failed = r.findings.filter((f) => f.status === 'fail' && f.subject !== undefined && f.subject.split(' ')[0] === n.name).length;
      const state = n.configz === 'ok' ? (failed > 0 ? c.red(`${failed} failed`) : c.green('ok')) : c.yellow(`unknown: ${oneLine(n.configz)}`);
      out.push(`  ${n.name.padEnd(28)} ${(n.version ?? '?').padEnd(12)} ${state}`);
    }
    const read = r.nodes.filter((n) => n.configz === 'ok').length;
    const line = (label: string, check: string) => {
      const k = nodesFailing(r.findings, check, names);
      return `  ${label}: ${k > 0 ? c.red(String(k)) : '0'} of ${r.nodes.length} nodes`;
    };
    out.push('', c.bold('Cluster'),
      `  configuration read: ${read} of ${r.nodes.length} nodes${read < r.nodes.length ? c.yellow(` (${r.nodes.length - read} unknown)`) : ''}`,
      line('anonymous auth on', 'kubelet-anonymous-auth'),
      line('AlwaysAllow authorization', 'kubelet-authorization-mode'),
      line('read-only port open', 'kubelet-read-only-port'));
  }
  const count = (check: string) => r.findings.filter((f) => f.check === check && f.status === 'fail').length;
  out.push(`  RBAC subjects reaching the kubelet API: ${count('rbac-kubelet-access')}, escalation paths: ${count('rbac-escalation')}`,
    `  pods bypassing the API server: ${count('workload-bypass')}, namespaces without Pod Security baseline: ${count('namespace-pod-security')}`);

  const shown = r.findings.filter((f) => f.status === 'fail' || f.status === 'unknown');
  if (shown.length > 0) {
    out.push('', c.bold('Findings'));
    const mark: Record<Status, string> = { fail: c.red(c.bold('FAIL')), unknown: c.yellow('UNKN'), pass: c.green('PASS'), 'not-applicable': 'N/A ' };
    for (const f of shown) {
      out.push(`  ${mark[f.status]}  ${f.severity.padEnd(8)} ${f.title}${f.subject ? ` [${oneLine(f.subject)}]` : ''} ${c.dim(`(${f.check})`)}`);
      out.push(`    ${c.dim(oneLine(f.message))}`);
      for (const e of f.evidence) if (e.note && f.check.startsWith('rbac-')) out.push(`    ${c.dim(`via ${oneLine(e.note)}`)}`);
      if (f.status === 'fail' && f.remediation) out.push(`    ${c.cyan('fix:')} ${oneLine(f.remediation)}`);
    }
  }
  const s = r.summary;
  out.push('', `${c.bold('Summary:')} ${r.cluster.nodes} nodes, ${c.red(`${s.fail} failed`)} (critical ${s.failBySeverity.critical}, high ${s.failBySeverity.high}), ${s.unknown} unknown, ${s.pass} passed`);
  return out.join('\n') + '\n';
}

// The terminal report of `kubelet-guard cluster`: one line per node, the cluster-wide counts of the
// settings that matter most, then the failed findings (most severe first) with their fixes and the
// unknown ones, then a summary naming the worst failures; wrapped to the width given (wrap.ts).
// It is given the failed and unknown findings only; passes are in the summary's counts.
import { NODE_AUDIT_PROVENANCE } from '../cluster/node-audit-log.ts';
import pc from 'picocolors';
import type { Finding } from '../checks/types.ts';
import type { ClusterReport } from '../commands/cluster.ts';
import { triageSection, triageSummary } from './table.ts';
import { failuresFirst, sevColor, statusMarks, unknownColor, worstFailures } from './marks.ts';
import { inert, inertLine as oneLine } from './terminal.ts';
import { DEFAULT_WIDTH, wrapText } from './wrap.ts';
import { choiceText } from '../profiles/index.ts';

/** The id column, as the node table's: the profile's ids, "beyond" for a check it has no control for (nothing without a profile). */
const idsOf = (f: Finding): string => (!f.benchmark ? '' : `${inert(f.benchmark.ids.length > 0 ? f.benchmark.ids.join(',') : 'beyond').padEnd(7)} `);

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

const MAX_NAMES = 5;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The node a finding is about (its subject is `<node>`, `<node> <setting>` or `<node>/<ns>/<pod>`). */
function nodeOf(f: Finding, nodes: ReadonlySet<string>): string | undefined {
  if (!f.subject) return undefined;
  const bySpace = f.subject.split(' ')[0] ?? '';
  if (nodes.has(bySpace)) return bySpace;
  const bySlash = f.subject.split('/')[0] ?? '';
  return nodes.has(bySlash) ? bySlash : undefined;
}

/** `text` with every whole-word occurrence of the node name replaced by `<node>`. */
function withoutNode(text: string, node: string): string {
  return text.replace(new RegExp(`(?<![A-Za-z0-9.-])${escapeRe(node)}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'g'), '<node>');
}

interface Group {
  first: Finding;
  /** the nodes of the group, in order of appearance; empty for a finding about no node */
  nodes: string[];
  node?: string;
}

/** Findings identical but for their node (same check, status, severity, title, subject and message once the node name is removed), in order of first appearance. */
function groupByNode(findings: readonly Finding[], nodes: ReadonlySet<string>): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const f of findings) {
    const node = nodeOf(f, nodes);
    if (node === undefined) {
      groups.push({ first: f, nodes: [] });
      continue;
    }
    const key = JSON.stringify([f.check, f.status, f.severity, f.title, withoutNode(f.subject ?? '', node), withoutNode(f.message, node)]);
    const g = byKey.get(key);
    if (g) g.nodes.push(node);
    else {
      const ng: Group = { first: f, nodes: [node], node };
      byKey.set(key, ng);
      groups.push(ng);
    }
  }
  return groups;
}

export function formatClusterTable(r: ClusterReport, opts: { color: boolean; width?: number }): string {
  const c = pc.createColors(opts.color);
  // every string from the kubeconfig or the API server goes through inert()/oneLine() (terminal.ts)
  const out: string[] = [c.bold(`kubelet-guard cluster: ${inert(r.cluster.server)}, ${r.cluster.nodes} node(s)`)];
  if (r.benchmark) out.push(`  benchmark: ${oneLine(choiceText(r.benchmark))}; "beyond" marks a check it has no control for`);
  const names = new Set(r.nodes.map((n) => n.name));
  if (r.nodes.length > 0) {
    out.push('', c.bold('Nodes'));
    for (const n of r.nodes) {
      const failed = n.summary.fail;
      const state = n.configz === 'ok' ? (failed > 0 ? c.red(`${failed} failed`) : c.green('ok')) : unknownColor(c)(`unknown: ${oneLine(n.configz)}`);
      // the platform's title is the distribution data's own text, never the node's
      out.push(`  ${inert(n.name).padEnd(28)} ${inert(n.version ?? '?').padEnd(12)} ${state}${n.platform ? `  (${inert(n.platform.title)})` : ''}`);
      if (n.nodeAudit !== undefined) out.push(`    node audit Job: ${n.nodeAudit === 'ok' ? c.green('report merged') : unknownColor(c)(`unknown: ${oneLine(n.nodeAudit)}`)}`);
    }
    const read = r.nodes.filter((n) => n.configz === 'ok').length;
    const line = (label: string, check: string) => {
      const k = nodesFailing(r.findings, check, names);
      return `  ${label}: ${k > 0 ? c.red(String(k)) : '0'} of ${r.nodes.length} nodes`;
    };
    out.push('', c.bold('Cluster'),
      `  configuration read: ${read} of ${r.nodes.length} nodes${read < r.nodes.length ? unknownColor(c)(` (${r.nodes.length - read} unknown)`) : ''}`,
      line('anonymous auth on', 'kubelet-anonymous-auth'),
      line('AlwaysAllow authorization', 'kubelet-authorization-mode'),
      line('read-only port open', 'kubelet-read-only-port'));
  }
  const count = (check: string) => r.rbacFails?.[check] ?? r.findings.filter((f) => f.check === check && f.status === 'fail').length;
  // findings, not subjects: a role bound the same way to many subjects is one finding (rbac-findings.ts)
  out.push(`  RBAC findings: kubelet API access ${count('rbac-kubelet-access')}, escalation ${count('rbac-escalation')}`,
    `  pods bypassing the API server: ${count('workload-bypass')}, namespaces without Pod Security baseline: ${count('namespace-pod-security')}`,
    `  static pods hidden from the API server: ${count('hidden-static-pods')}`);

  const shown = r.findings.filter((f) => (f.status === 'fail' || f.status === 'unknown') && !f.suppressed);
  if (shown.length > 0) {
    out.push('', c.bold('Findings'));
    const mark = statusMarks(c);
    // the failures first, most severe first; then the unknown findings in the order found
    const groups = groupByNode(shown, names);
    const ordered = [...failuresFirst(groups, (g) => g.first), ...groups.filter((g) => g.first.status === 'unknown')];
    for (const { first: f, nodes: on, node } of ordered) {
      // one node: the finding as it is; several: the node name taken out of the text, the nodes listed
      const many = node !== undefined && on.length > 1;
      const text = (s: string) => oneLine(many ? withoutNode(s, node) : s);
      const listed = inert(on.slice(0, MAX_NAMES).join(', ')) + (on.length > MAX_NAMES ? `, … +${on.length - MAX_NAMES}` : '');
      const rest = many ? text(f.subject ?? '').replace(/^<node>[ /]?/, '') : '';
      const subject = many ? `${rest ? ` [${rest}]` : ''} [${on.length} nodes: ${listed}]` : f.subject ? ` [${oneLine(f.subject)}]` : '';
      out.push(`  ${mark[f.status]}  ${idsOf(f)}${sevColor(f.severity, c)(f.severity.padEnd(8))} ${oneLine(f.title)}${subject} ${c.dim(`(${inert(f.check)})`)}${f.baseline === 'new' ? ` ${c.bold('NEW')}` : ''}`);
      out.push(`    ${c.dim(text(f.message))}`);
      for (const e of f.evidence) if (e.note && !e.setting && f.check.startsWith('rbac-')) out.push(`    ${c.dim(`via ${text(e.note)}`)}`);
      if (f.evidence[0]?.note?.startsWith(NODE_AUDIT_PROVENANCE)) out.push(`    ${c.dim("from the node audit Job: the node's own report")}`);
      if (f.status === 'fail' && f.remediation) out.push(`    ${c.cyan('fix:')} ${text(f.remediation)}`);
    }
  }
  for (const [check, n] of Object.entries(r.rbacFails ?? {})) {
    const shown = r.findings.filter((f) => f.check === check && f.status === 'fail').length;
    if (n > shown) out.push(`  … and ${n - shown} more failed ${inert(check)} findings, not shown here (all are in --format json)`);
  }
  const s = r.summary;
  // the worst failures are named from the findings the table holds (all but the RBAC ones past its bound)
  // suppressed findings: one line per check and suppression (a suppression may cover every node), with the reason
  const sup = new Map<string, { f: Finding; n: number }>();
  for (const f of r.findings) {
    if (!f.suppressed) continue;
    const key = JSON.stringify([f.check, f.status, f.suppressed.source]);
    const g = sup.get(key);
    if (g) g.n++;
    else sup.set(key, { f, n: 1 });
  }
  if (sup.size > 0) {
    out.push('', c.bold('Suppressed (reported, not counted for --fail-on)'));
    const mark = statusMarks(c);
    for (const { f, n } of sup.values()) {
      out.push(`  ${mark[f.status]}  ${sevColor(f.severity, c)(f.severity.padEnd(8))} ${oneLine(f.title)} ${c.dim(`(${inert(f.check)})`)}${n > 1 ? ` ×${n}` : f.subject ? ` [${oneLine(f.subject)}]` : ''}`);
      out.push(`    ${c.yellow('suppressed:')} ${oneLine(f.suppressed!.reason)} ${c.dim(`(${inert(f.suppressed!.source)}${f.suppressed!.expires ? `, until ${inert(f.suppressed!.expires)}` : ''})`)}`);
    }
  }
  out.push(...triageSection({ findings: [], ...(r.suppressions ? { suppressions: r.suppressions } : {}), ...(r.baseline ? { baseline: r.baseline } : {}) }, statusMarks(c), c, opts.width ?? DEFAULT_WIDTH));
  const worst = worstFailures(r.findings.filter((f) => !f.suppressed));
  out.push('', `${c.bold('Summary:')} ${r.cluster.nodes} nodes, ${c.red(`${s.fail} failed`)}${worst ? ` — ${worst}` : ''} (critical ${s.failBySeverity.critical}, high ${s.failBySeverity.high}), ${unknownColor(c)(`${s.unknown} unknown`)}, ${s.pass} passed`);
  const tail = triageSummary(r);
  if (tail) out.push(tail);
  return wrapText(out.join('\n') + '\n', opts.width ?? DEFAULT_WIDTH);
}

// How `fix --cluster` shows its plan: a multi-document YAML for `kubectl apply -f` (each document
// after comments saying what it closes and why), or the same as JSON. Object names and messages
// come from the cluster and are hostile: the YAML is made by the `yaml` library (never by
// concatenation) and every comment line is inert (no newline, escape or bidi character can end the
// comment or reach a terminal).
import { Document } from 'yaml';
import { inert } from '../report/terminal.ts';
import type { ClusterFixPlan, PlanChange } from './fix-plan.ts';

const HOW: Record<PlanChange['action'], string> = {
  create: 'new object (--write: POST, refused if it exists)',
  replace: 'replaces the object whole; resourceVersion is the one read, so applying it after the object changed fails instead of dropping the change (--write: PUT)',
  label: 'adds these labels, keeps the others (--write: merge patch with the resourceVersion read)',
};

/** one comment line per entry, each inert; the yaml library prefixes each with "#" */
function comment(lines: string[]): string {
  return lines.map((l) => ` ${inert(l)}`).join('\n');
}

export function planYaml(plan: ClusterFixPlan, head: string[]): string {
  const docs: string[] = [];
  const top = [...head, plan.changes.length === 0 ? 'nothing to change' : `${plan.changes.length} change(s); review, then: kubectl apply -f FILE (or: kubelet-guard fix --cluster --write)`];
  for (const n of plan.notes) top.push(`NOTE [${n.finding}]: ${n.note}${n.command ? ` — ${n.command}` : ''}`);
  if (plan.changes.length === 0) return `${comment(top).split('\n').map((l) => `#${l}`).join('\n')}\n`;
  plan.changes.forEach((c, i) => {
    const d = new Document(c.object);
    const lines = [
      ...(i === 0 ? top : []),
      `${c.action} ${c.kind} ${c.name}: ${HOW[c.action]}`,
      ...(c.closes.length ? [`closes: ${c.closes.join('; ')}`] : []),
      ...c.why.map((w) => `why: ${w}`),
    ];
    d.commentBefore = comment(lines);
    docs.push(d.toString({ lineWidth: 0 }));
  });
  return docs.join('---\n');
}

export function planJson(plan: ClusterFixPlan, extra: Record<string, unknown>): string {
  return JSON.stringify({ ...extra, changes: plan.changes, notes: plan.notes }, null, 2) + '\n';
}

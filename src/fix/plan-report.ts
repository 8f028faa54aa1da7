// The fix plan for people (text: a unified diff per file, grouped by file, with the findings each
// change closes, then the proof) and for programs (JSON). File text is node input: every line is
// made inert, and context lines that may hold a secret (env values, tokens, keys) are not shown.
import { createTwoFilesPatch } from 'diff';
import type { Severity } from '../checks/types.ts';
import { inert } from '../report/terminal.ts';
import { describeRestart, octal, shellWord } from './describe.ts';
import type { FileChange, FindingRef, Plan } from './plan.ts';
import { choiceText, type BenchmarkChoice } from '../profiles/index.ts';

/** The plan's benchmark profile (src/profiles): its ids for each finding listed. */
export interface PlanBenchmark {
  choice: BenchmarkChoice;
  ids: (check: string) => string[];
}

/** A line that may carry a secret: an env value, a token, a password, key or certificate data. */
const SECRET_LINE = /(^|[\s"'{,-])(value|token|password|passwd|secret|bearer|[a-z_-]*key-data|[a-z_-]*cert(?:ificate)?-data|[a-z_]*_(?:token|password|secret|key))["']?\s*[:=]/i;

/** The unified diff of one change, secret-looking lines it did not write masked. */
export function diffOf(c: FileChange): string | undefined {
  if (c.after === undefined) return undefined;
  const name = c.path.replace(/^\//, '');
  const patch = createTwoFilesPatch(c.create ? '/dev/null' : `a/${name}`, `b/${name}`, c.before ?? '', c.after, '', '', { context: 3 });
  return patch
    .split('\n')
    .filter((l) => !/^(Index: |={10,}$)/.test(l)) // jsdiff's own header lines
    .map((l) => (/^[ -]/.test(l) && !/^--- /.test(l) && SECRET_LINE.test(l) ? `${l[0]}  … (a line that may hold a secret, not shown)` : l))
    .join('\n');
}

const ref = (f: FindingRef) => `${f.check}${f.subject ? ` (${f.subject})` : ''}`;
/** " [3.2.1]", " [beyond benchmark]", or nothing without a profile. */
const idsText = (f: FindingRef, b: PlanBenchmark | undefined): string => {
  if (!b) return '';
  const ids = b.ids(f.check);
  return ` [${ids.length > 0 ? `${b.choice.profile} ${ids.join(', ')}` : 'beyond benchmark'}]`;
};
const sev = (s: Severity) => s.padEnd(8);

export function formatPlanText(plan: Plan, opts: { write?: boolean; benchmark?: PlanBenchmark } = {}): string {
  const b = opts.benchmark;
  const out: string[] = [];
  const n = plan.changes.length;
  out.push(`Fix ${opts.write ? '' : 'plan '}for ${inert(plan.target)}: ${n === 0 ? 'nothing to change' : `${n} file${n > 1 ? 's' : ''} to change`}${opts.write || n === 0 ? '' : ' (nothing is written; --write applies it)'}`);
  if (b) out.push(`Benchmark: ${inert(choiceText(b.choice))}`);
  for (const c of plan.changes) {
    out.push('', `${inert(c.path)}${c.create ? ' (new file)' : ''}`);
    out.push(`  closes: ${c.closes.map((f) => inert(ref(f))).join(', ')}`);
    if (c.mode) out.push(`  mode ${c.mode.from !== undefined ? `${octal(c.mode.from)} → ` : ''}${octal(c.mode.to)}    (chmod ${octal(c.mode.to).replace(/^0/, '')} ${inert(shellWord(c.path))})`);
    if (c.owner) out.push(`  owner ${c.owner.from ? `${c.owner.from.uid}:${c.owner.from.gid} → ` : ''}${c.owner.to.uid}:${c.owner.to.gid}    (chown ${c.owner.to.user}:${c.owner.to.group} ${inert(shellWord(c.path))})`);
    const d = diffOf(c);
    if (d) for (const l of d.trimEnd().split("\n")) out.push(`  ${inert(l)}`);
  }
  if (plan.fixed.length > 0) {
    out.push('', 'Proof: the audit re-run on the planned files (in memory):');
    for (const f of plan.fixed) out.push(`  ${f.before.toUpperCase()} → ${f.after.toUpperCase()}  ${sev(f.severity)} ${inert(ref(f))}${idsText(f, b)}`);
  }
  if (plan.regressions.length > 0) {
    out.push('', 'Worse after the plan (it will not be written):');
    for (const f of plan.regressions) out.push(`  ${f.before.toUpperCase()} → ${f.after.toUpperCase()}  ${sev(f.severity)} ${inert(ref(f))}${idsText(f, b)}: ${inert(f.message)}`);
  }
  if (plan.refused.length > 0) {
    out.push('', 'Not fixed: the proposed change cannot be made or proven:');
    for (const f of plan.refused) out.push(`  ${sev(f.severity)} ${inert(ref(f))}${idsText(f, b)}: ${inert(f.why)}`);
  }
  if (plan.manual.length > 0) {
    out.push('', 'Not fixed: no change is proposed (see the remediation in `kubelet-guard node`):');
    for (const f of plan.manual) out.push(`  ${sev(f.severity)} ${inert(ref(f))}${idsText(f, b)}: ${inert(f.why)}`);
  }
  const restart = describeRestart(plan.restart, plan.restartKubelet);
  if (restart || plan.notes.length > 0) out.push('');
  if (restart) out.push(`After ${opts.write ? 'writing' : '--write'}: ${restart}`);
  for (const note of plan.notes) out.push(`Note: ${inert(note)}`);
  return `${out.join('\n')}\n`;
}

/** The plan as data: each change with its diff (masked as in the text), never whole file contents. */
export function planJson(plan: Plan, b?: PlanBenchmark): object {
  // each finding listed with the profile's ids (none and beyond: a check the profile leaves out)
  const withIds = <T extends FindingRef>(fs: readonly T[]) => (b ? fs.map((f) => { const ids = b.ids(f.check); return { ...f, benchmark: { profile: b.choice.profile, ids, ...(ids.length === 0 ? { beyond: true } : {}) } }; }) : fs);
  return {
    target: plan.target,
    ...(b ? { benchmark: b.choice } : {}),
    changes: plan.changes.map((c) => ({
      path: c.path,
      ...(c.create ? { create: true } : {}),
      ...(c.mode ? { mode: { ...(c.mode.from !== undefined ? { from: octal(c.mode.from) } : {}), to: octal(c.mode.to) } } : {}),
      ...(c.owner ? { owner: c.owner } : {}),
      ...(c.after !== undefined ? { diff: diffOf(c) } : {}),
      closes: c.closes,
      fixes: c.fixes,
    })),
    fixed: withIds(plan.fixed),
    regressions: withIds(plan.regressions),
    refused: withIds(plan.refused),
    manual: withIds(plan.manual),
    restart: plan.restart,
    notes: plan.notes,
  };
}

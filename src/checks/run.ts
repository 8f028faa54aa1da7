// Runs checks over facts and turns their results into findings. A check that throws is a bug in
// kubelet-guard, reported as an `unknown` finding: it never hides the others or crashes the run.
import type { NodeFacts } from '../facts/types.ts';
import { distributionNote } from './distribution-note.ts';
import { refusalNote, withRefusalNote } from './refusal-note.ts';
import { SECTIONS, SEVERITIES, type Check, type CheckMeta, type CheckResult, type Finding, type Severity } from './types.ts';

export function runChecks(checks: readonly Check[], facts: NodeFacts): Finding[] {
  const out: Finding[] = [];
  const note = refusalNote(facts);
  const distro = distributionNote(facts) ?? ((r: CheckResult) => r);
  for (const c of checks) for (const r of evaluateSafely(c.meta, () => c.evaluate(facts))) out.push(findingOf(c.meta, distro(withRefusalNote(c.meta, r, note)), r.subject));
  const order = Object.keys(SECTIONS);
  return out.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section)); // stable
}

/** A check's results; a check that throws gives one `unknown` result naming the bug. */
export function evaluateSafely(meta: CheckMeta, evaluate: () => CheckResult | CheckResult[]): CheckResult[] {
  try {
    const r = evaluate();
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    return [{ status: 'unknown', message: `internal error in check ${meta.id}: ${(e as Error).message}` }];
  }
}

/** A result as a finding: the check's metadata, its own severity and subject, and a fix on failure. */
export function findingOf(meta: CheckMeta, r: CheckResult, subject: string | undefined): Finding {
  return {
    check: meta.id,
    title: meta.title,
    section: meta.section,
    cis: meta.cis,
    ...(meta.setting ? { setting: meta.setting } : {}),
    ...(subject ? { subject } : {}),
    status: r.status,
    severity: r.severity ?? meta.severity,
    message: r.message,
    evidence: r.evidence ?? [],
    ...(r.status === 'fail' ? { remediation: r.remediation ?? meta.remediation, ...fixOf(meta, r) } : {}),
  };
}

/** A failure's proposals for `kubelet-guard fix`, or why there are none (never silence). */
function fixOf(meta: CheckMeta, r: CheckResult): Pick<Finding, 'fixes' | 'noFix'> {
  if (meta.noFix) return { noFix: meta.noFix };
  if (r.fixes && r.fixes.length > 0) return { fixes: r.fixes };
  return { noFix: r.noFix ?? NO_FIX_YET };
}

/** The reason a failure has no proposal when its check gives none: the remediation is for a person. */
export const NO_FIX_YET = 'kubelet-guard fix proposes no change for this check: apply the remediation by hand';

export type FailOn = Severity | 'none';

/** Exit code 1 when something failed at or above the threshold. */
export function failedAtOrAbove(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const limit = SEVERITIES.indexOf(failOn);
  return findings.some((f) => f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= limit);
}

export interface Summary {
  pass: number;
  fail: number;
  unknown: number;
  'not-applicable': number;
  failBySeverity: Record<Severity, number>;
}

export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
  for (const f of findings) {
    s[f.status]++;
    if (f.status === 'fail') s.failBySeverity[f.severity]++;
  }
  return s;
}

/**
 * The exit codes every audit command (node, scan, cluster) shares: 0 nothing failed at or above
 * --fail-on, 1 something did, 3 nothing failed but the audit is incomplete or audited nothing (no
 * kubelet, not a node, an API server unreachable or with no nodes, every finding unknown). A run
 * that judged nothing never exits 0; a failure at or above --fail-on still wins.
 */
export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_INCOMPLETE = 3;

/**
 * Whether a finding judges the target: it passed or failed. The kubelet-evidence section speaks of
 * the evidence (found, read fully), not of the node, so it judges nothing: "the empty folder was
 * read fully" is no audit.
 */
export function judges(f: Pick<Finding, 'status' | 'section'>): boolean {
  return (f.status === 'pass' || f.status === 'fail') && f.section !== 'kubelet-evidence';
}

/** Why a run audited nothing, when none of its findings judged anything (`judged` counts `judges`). */
export function nothingJudged(judged: number, total: number): string | undefined {
  if (judged > 0) return undefined;
  return total === 0 ? 'no finding at all: nothing was audited' : `none of the ${total} findings could be judged: every one is unknown or not applicable`;
}

/**
 * The one decision of every audit command's exit code: 1 when something failed at or above
 * --fail-on, else 3 when the audit is incomplete (`incomplete` says why), else 0.
 */
export function auditExitCode(failing: boolean, incomplete: string | undefined): number {
  if (failing) return EXIT_FAILED;
  return incomplete !== undefined ? EXIT_INCOMPLETE : EXIT_PASSED;
}

// Runs checks over facts and turns their results into findings. A check that throws is a bug in
// kubelet-guard, reported as an `unknown` finding: it never hides the others or crashes the run.
import type { NodeFacts } from '../facts/types.ts';
import { SECTIONS, SEVERITIES, type Check, type CheckMeta, type CheckResult, type Finding, type Severity } from './types.ts';

export function runChecks(checks: readonly Check[], facts: NodeFacts): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) for (const r of evaluateSafely(c.meta, () => c.evaluate(facts))) out.push(findingOf(c.meta, r, r.subject));
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
    ...(r.status === 'fail' ? { remediation: r.remediation ?? meta.remediation } : {}),
  };
}

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

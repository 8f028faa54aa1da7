// Runs checks over facts and turns their results into findings. A check that throws is a bug in
// kubelet-guard, reported as an `unknown` finding: it never hides the others or crashes the run.
import type { NodeFacts } from '../facts/types.ts';
import { SECTIONS, SEVERITIES, type Check, type Finding, type Severity } from './types.ts';

export function runChecks(checks: readonly Check[], facts: NodeFacts): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) {
    let results;
    try {
      const r = c.evaluate(facts);
      results = Array.isArray(r) ? r : [r];
    } catch (e) {
      results = [{ status: 'unknown' as const, message: `internal error in check ${c.meta.id}: ${(e as Error).message}` }];
    }
    for (const r of results) {
      out.push({
        check: c.meta.id,
        title: c.meta.title,
        section: c.meta.section,
        cis: c.meta.cis,
        ...(c.meta.setting ? { setting: c.meta.setting } : {}),
        ...(r.subject ? { subject: r.subject } : {}),
        status: r.status,
        severity: r.severity ?? c.meta.severity,
        message: r.message,
        evidence: r.evidence ?? [],
        ...(r.status === 'fail' ? { remediation: r.remediation ?? c.meta.remediation } : {}),
      });
    }
  }
  const order = Object.keys(SECTIONS);
  return out.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section)); // stable
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

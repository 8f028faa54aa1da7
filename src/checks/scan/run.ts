// Runs the scan checks over every endpoint and turns their results into findings, as runChecks
// does for a node: the subject is `host:port` (with the result's own subject after it, e.g. a CVE),
// and a check that throws is a bug in kubelet-guard, reported as an `unknown` finding that never
// hides the others.
import type { Endpoint } from '../../scan/types.ts';
import type { CheckResult, Finding } from '../types.ts';
import { hostPort } from './common.ts';
import type { EndpointCheck } from './types.ts';

export function runEndpointChecks(checks: readonly EndpointCheck[], endpoints: readonly Endpoint[]): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) {
    for (const ep of endpoints) {
      let results: CheckResult[];
      try {
        const r = c.evaluate(ep);
        results = Array.isArray(r) ? r : [r];
      } catch (e) {
        results = [{ status: 'unknown', message: `internal error in check ${c.meta.id}: ${(e as Error).message}` }];
      }
      const at = hostPort(ep);
      for (const r of results) {
        out.push({
          check: c.meta.id,
          title: c.meta.title,
          section: c.meta.section,
          cis: c.meta.cis,
          ...(c.meta.setting ? { setting: c.meta.setting } : {}),
          subject: r.subject ? `${at} ${r.subject}` : at,
          status: r.status,
          severity: r.severity ?? c.meta.severity,
          message: r.message,
          evidence: r.evidence ?? [],
          ...(r.status === 'fail' ? { remediation: r.remediation ?? c.meta.remediation } : {}),
        });
      }
    }
  }
  return out;
}

// Runs the scan checks over every endpoint and turns their results into findings, as runChecks
// does for a node: the subject is `host:port` (with the result's own subject after it, e.g. a CVE),
// and a check that throws is a bug in kubelet-guard, reported as an `unknown` finding that never
// hides the others.
import type { Endpoint } from '../../scan/types.ts';
import type { Finding } from '../types.ts';
import { evaluateSafely, findingOf } from '../run.ts';
import { hostPort } from './common.ts';
import type { EndpointCheck } from './types.ts';

export function runEndpointChecks(checks: readonly EndpointCheck[], endpoints: readonly Endpoint[]): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) {
    for (const ep of endpoints) {
      const at = hostPort(ep);
      for (const r of evaluateSafely(c.meta, () => c.evaluate(ep))) out.push(findingOf(c.meta, r, r.subject ? `${at} ${r.subject}` : at));
    }
  }
  return out;
}

// Runs the scan checks and turns their results into findings, as runChecks does for a node. An
// endpoint check's subject is `host:port`, a host check's the host (a kubelet: one verdict for all
// its ports), each with the result's own subject after it (e.g. a CVE). A check that throws is a
// bug in kubelet-guard, reported as an `unknown` finding that never hides the others.
import type { Endpoint } from '../../scan/types.ts';
import type { Finding } from '../types.ts';
import { evaluateSafely, findingOf } from '../run.ts';
import { hostPort } from './common.ts';
import { isHostCheck, type ScanCheck } from './types.ts';

export function runEndpointChecks(checks: readonly ScanCheck[], endpoints: readonly Endpoint[]): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) {
    if (isHostCheck(c)) continue;
    for (const ep of endpoints) {
      const at = hostPort(ep);
      for (const r of evaluateSafely(c.meta, () => c.evaluate(ep))) out.push(findingOf(c.meta, r, r.subject ? `${at} ${r.subject}` : at));
    }
  }
  return out;
}

/** The host checks over one host's endpoints (every open port of it the scan found). */
export function runHostChecks(checks: readonly ScanCheck[], host: string, endpoints: readonly Endpoint[]): Finding[] {
  const out: Finding[] = [];
  const at = host.includes(':') ? `[${host}]` : host;
  for (const c of checks) {
    if (!isHostCheck(c)) continue;
    for (const r of evaluateSafely(c.meta, () => c.evaluateHost(host, endpoints))) out.push(findingOf(c.meta, r, r.subject ? `${at} ${r.subject}` : at));
  }
  return out;
}

/** Endpoints grouped by host, in the order they come. */
export function byHost(endpoints: readonly Endpoint[]): Map<string, Endpoint[]> {
  const m = new Map<string, Endpoint[]>();
  for (const ep of endpoints) {
    const list = m.get(ep.host);
    if (list) list.push(ep);
    else m.set(ep.host, [ep]);
  }
  return m;
}

/** Every scan check over a set of endpoints: the endpoint checks, then the host checks per host. */
export function runScanChecks(checks: readonly ScanCheck[], endpoints: readonly Endpoint[]): Finding[] {
  const out = runEndpointChecks(checks, endpoints);
  for (const [host, eps] of byHost(endpoints)) out.push(...runHostChecks(checks, host, eps));
  return out;
}

// Test support: Endpoints as the probes would fill them. Only tests import this module.
import type { Endpoint, ProbeRecord } from '../../scan/types.ts';
import type { CheckResult } from '../types.ts';
import type { EndpointCheck, HostCheck } from './types.ts';

export function endpoint(over: Partial<Endpoint> = {}): Endpoint {
  return {
    host: '10.0.0.5',
    port: 10250,
    service: 'kubelet',
    state: 'open',
    reachable: [],
    identity: 'anonymous',
    probes: [],
    notes: [],
    ...over,
  };
}

export function probe(method: string, path: string, status?: number, error?: string): ProbeRecord {
  return { method, path, ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}), ms: 12 };
}

/** The only result of a check for one endpoint. */
export function one(check: EndpointCheck, ep: Endpoint): CheckResult {
  const r = check.evaluate(ep);
  const list = Array.isArray(r) ? r : [r];
  if (list.length !== 1) throw new Error(`expected one result, got ${list.length}`);
  return list[0]!;
}

export function all(check: EndpointCheck, ep: Endpoint): CheckResult[] {
  const r = check.evaluate(ep);
  return Array.isArray(r) ? r : [r];
}

/** A host check's results over endpoints of one host (the host of the first). */
export function hostAll(check: HostCheck, ...eps: Endpoint[]): CheckResult[] {
  const r = check.evaluateHost(eps[0]?.host ?? '10.0.0.5', eps);
  return Array.isArray(r) ? r : [r];
}

// Checks over what a scan saw, like the node checks over NodeFacts: metadata beside a pure evaluate
// function, tested with pass, fail and unknown cases. They never do I/O, read the clock or keep
// state. Most judge one endpoint (src/scan/types.ts Endpoint); a check about the kubelet as a whole
// (its version: the known CVEs) judges one host, from every port of it the scan reached, so one
// kubelet gets one verdict however many of its ports answered. A check returns [] for what it has
// nothing to say about (an etcd check on a kubelet port), so a scan of many hosts lists only what
// concerns each one.
import type { Endpoint } from '../../scan/types.ts';
import type { CheckMeta, CheckResult, Section } from '../types.ts';

export interface EndpointCheck {
  meta: CheckMeta;
  scope?: 'endpoint';
  evaluate(ep: Endpoint): CheckResult | CheckResult[];
}

/** A check of one host: `endpoints` are all the open ports the scan found on it (10250, 10255, 10248, …). */
export interface HostCheck {
  meta: CheckMeta;
  scope: 'host';
  evaluateHost(host: string, endpoints: readonly Endpoint[]): CheckResult | CheckResult[];
}

export type ScanCheck = EndpointCheck | HostCheck;

export const isHostCheck = (c: ScanCheck): c is HostCheck => c.scope === 'host';

/**
 * The section of every scan check. It should be its own, `exposure` ("Network exposure (scan)"),
 * printed after `kubelet-api`; until src/checks/types.ts SECTIONS has that key, the scan checks
 * sit in `kubelet-api`, the nearest one. Changing this constant moves them all.
 */
export const EXPOSURE_SECTION: Section = 'exposure';

// Checks over one scanned endpoint (src/scan/types.ts Endpoint), like the node checks over NodeFacts:
// metadata beside a pure evaluate function, tested with pass, fail and unknown cases. They never do
// I/O, read the clock or keep state. A check returns [] for an endpoint it has nothing to say about
// (an etcd check on a kubelet port), so a scan of many hosts lists only what concerns each one.
import type { Endpoint } from '../../scan/types.ts';
import type { CheckMeta, CheckResult, Section } from '../types.ts';

export interface EndpointCheck {
  meta: CheckMeta;
  evaluate(ep: Endpoint): CheckResult | CheckResult[];
}

/**
 * The section of every scan check. It should be its own, `exposure` ("Network exposure (scan)"),
 * printed after `kubelet-api`; until src/checks/types.ts SECTIONS has that key, the scan checks
 * sit in `kubelet-api`, the nearest one. Changing this constant moves them all.
 */
export const EXPOSURE_SECTION: Section = 'exposure';

// CIS 4.2.4. readOnlyPort > 0 starts a plain-HTTP listener with no authentication at all
// (kubelet-facts §1, §2). The config-file default is 0 but the flag default without --config is
// 10255 (§4): "not set" only passes when a --config file is in use.
import type { Check } from '../types.ts';
import { judgeSetting, lookup } from '../setting.ts';

const SETTING = 'readOnlyPort';

export const readOnlyPort: Check = {
  meta: {
    id: 'kubelet-read-only-port',
    title: 'The kubelet read-only port (unauthenticated HTTP) is disabled',
    section: 'cis-4.2',
    severity: 'high',
    cis: ['4.2.4'],
    setting: SETTING,
    rationale:
      'The read-only port serves /pods (every pod spec on the node, with environment variables and image names), /stats and /metrics over plain HTTP with no authentication: anyone who can reach it maps the workloads and may read secrets passed as environment variables.',
    remediation: 'Set readOnlyPort: 0 in the kubelet config file (or --read-only-port=0) and restart the kubelet.',
  },
  evaluate: (facts) => {
    const addr = lookup(facts, 'address');
    const on = addr.ok && typeof addr.s.value === 'string' && addr.s.value !== '' ? ` on ${addr.s.value}` : '';
    return judgeSetting(
      facts,
      SETTING,
      (v) =>
        typeof v === 'number' && v <= 0
          ? { pass: true, message: `the read-only port is disabled (${v})` }
          : { pass: false, message: `the read-only port ${String(v)} is open${on} without authentication` },
      { want: 0 },
    );
  },
};

// CIS 4.2.1. Anonymous requests reach the authorizer as system:anonymous (kubelet-facts §3); with
// the flag default (no --config) anonymous is ON, with a config file it is off (§4).
import type { Check } from '../types.ts';
import { expectBool } from '../setting.ts';

const SETTING = 'authentication.anonymous.enabled';

export const anonymousAuth: Check = {
  meta: {
    id: 'kubelet-anonymous-auth',
    title: "The kubelet's secure API rejects anonymous requests", // the read-only port has no authentication at all: kubelet-read-only-port
    section: 'cis-4.2',
    severity: 'critical',
    cis: ['4.2.1'],
    setting: SETTING,
    rationale:
      'With anonymous authentication on, any client that can reach port 10250 is served as system:anonymous; with AlwaysAllow authorization that is command execution in every pod on the node.',
    remediation: 'Set authentication.anonymous.enabled: false in the kubelet config file (or --anonymous-auth=false) and restart the kubelet.',
  },
  evaluate: expectBool(SETTING, false, 'anonymous authentication is off', 'anonymous authentication is ON'),
};

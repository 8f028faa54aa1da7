// CIS 4.2.2. The kubelet knows two modes: AlwaysAllow lets every authenticated request (and
// system:anonymous when anonymous auth is on) do everything; Webhook asks the API server with a
// SubjectAccessReview (kubelet-facts §3). Without --config the flag default is AlwaysAllow (§4).
import type { Check } from '../types.ts';
import { judgeSetting } from '../setting.ts';

const SETTING = 'authorization.mode';

export const authorizationMode: Check = {
  meta: {
    id: 'kubelet-authorization-mode',
    title: 'The kubelet authorizes requests with the API server (Webhook), not AlwaysAllow',
    section: 'cis-4.2',
    severity: 'critical',
    cis: ['4.2.2'],
    setting: SETTING,
    rationale:
      'With AlwaysAllow, any identity the kubelet authenticates (any valid service-account token, any client certificate of the cluster CA, and system:anonymous when anonymous auth is on) may call /exec, /run, /attach and /portForward on port 10250: command execution in every pod on the node, without RBAC and without API-server audit.',
    remediation: 'Set authorization.mode: Webhook in the kubelet config file (or --authorization-mode=Webhook) and restart the kubelet.',
  },
  evaluate: (facts) =>
    judgeSetting(
      facts,
      SETTING,
      (v) => {
        if (v === 'Webhook') return { pass: true, message: 'authorization mode is Webhook (SubjectAccessReview)' };
        if (v === 'AlwaysAllow') return { pass: false, message: 'authorization mode is AlwaysAllow: every authenticated request is allowed' };
        return { pass: false, message: `authorization mode ${JSON.stringify(v)} is not one the kubelet accepts (AlwaysAllow or Webhook); it refuses to start` };
      },
      { want: 'Webhook' },
    ),
};

// PUT /debug/flags/v changes the kubelet's log verbosity at runtime: enableDebugFlagsHandler
// (default true, config field only), served only while enableDebuggingHandlers is on
// (kubelet-facts §2).
import { subHandlerCheck } from './sub-handler.ts';

export const debugFlagsHandler = subHandlerCheck(
  {
    id: 'kubelet-debug-flags-handler',
    title: 'The kubelet log verbosity can be changed over its API, if at all, only behind authentication and Webhook authorization',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: 'enableDebugFlagsHandler',
    rationale:
      'PUT /debug/flags/v lets any identity authorized for nodes/proxy raise the kubelet\'s log verbosity at runtime: at high levels client-go logs API request and response bodies (which for the kubelet can include Secret data it fetches for pods) into the node\'s journal, and the log volume itself can fill the disk. kubectl does not need it. On by default, it is a finding only where anonymous authentication is on or authorization is AlwaysAllow; behind Webhook authorization it is reported as information.',
    remediation: 'Set enableDebugFlagsHandler: false in the kubelet config file and restart the kubelet.',
  },
  'PUT /debug/flags/v (enableDebugFlagsHandler)',
);

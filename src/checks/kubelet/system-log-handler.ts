// /logs/ on the secure port: enableSystemLogHandler (default true) serves the node's /var/log;
// query parameters (journal queries) need enableSystemLogQuery (default false) and the NodeLogQuery
// gate, which validation requires whenever enableSystemLogQuery is true (kubelet-facts §2;
// pkg/kubelet/apis/config/validation). Authorized as subresource `log` (§3). CVE-2024-9042 was a
// path traversal in the Windows log query.
import { evidenceOf, lookup } from '../setting.ts';
import { subHandlerCheck } from './sub-handler.ts';

export const systemLogHandler = subHandlerCheck(
  {
    id: 'kubelet-system-log-handler',
    title: 'The kubelet serves the node\'s system logs, if at all, only behind authentication and Webhook authorization',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: 'enableSystemLogHandler',
    rationale:
      '/logs/ serves every file under the node\'s /var/log (and, with enableSystemLogQuery, journal queries) to any identity allowed nodes/log or nodes/proxy: system and audit logs often hold tokens, passwords on command lines and other tenants\' data. kubectl logs uses /containerLogs, not /logs. On by default, it is a finding only where anonymous authentication is on or authorization is AlwaysAllow; behind Webhook authorization it is reported as information.',
    remediation: 'Set enableSystemLogHandler: false (and enableSystemLogQuery: false) in the kubelet config file and restart the kubelet.',
  },
  '/logs (enableSystemLogHandler)',
  (facts, evidence) => {
    const q = lookup(facts, 'enableSystemLogQuery');
    if (!q.ok) return '';
    evidence.push(evidenceOf('enableSystemLogQuery', q.s));
    return q.s.value === true ? ', with log queries (enableSystemLogQuery, NodeLogQuery gate)' : ', without log queries';
  },
);

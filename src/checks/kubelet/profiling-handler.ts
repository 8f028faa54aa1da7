// /debug/pprof on the secure port: enableProfilingHandler (default true), only while
// enableDebuggingHandlers is on; enableContentionProfiling adds block profiling (kubelet-facts §2).
// No flag sets enableProfilingHandler (§4 table): it is a config-file field only.
import { lookup, evidenceOf } from '../setting.ts';
import { subHandlerCheck } from './sub-handler.ts';

export const profilingHandler = subHandlerCheck(
  {
    id: 'kubelet-profiling-handler',
    title: 'The kubelet serves /debug/pprof, if at all, only behind authentication and Webhook authorization',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: 'enableProfilingHandler',
    rationale:
      'pprof exposes the kubelet\'s goroutine stacks and heap and CPU profiles to any identity authorized for nodes/proxy, and profiling requests add load to the kubelet. kubectl does not need it. On by default, it is a finding only where anonymous authentication is on or authorization is AlwaysAllow; behind Webhook authorization it is reported as information.',
    remediation: 'Set enableProfilingHandler: false (and enableContentionProfiling: false) in the kubelet config file and restart the kubelet.',
  },
  '/debug/pprof (enableProfilingHandler)',
  (facts, evidence) => {
    const c = lookup(facts, 'enableContentionProfiling');
    if (!c.ok) return '';
    evidence.push(evidenceOf('enableContentionProfiling', c.s));
    return c.s.value === true ? ', with contention (block) profiling running all the time (enableContentionProfiling)' : '';
  },
);

// kubelet-facts §2: with enableDebuggingHandlers (default true) the secure port serves /run,
// /exec, /attach, /portForward, /containerLogs, /configz, /runningpods (and /checkpoint with the
// ContainerCheckpoint gate), plus the optional /logs, /debug/pprof and /debug/flags/v handlers,
// which exist only while the debugging handlers are on (pkg/kubelet/server/server.go NewServer).
// kubectl exec/attach/port-forward/logs reach pods through exactly these routes, so being on is no
// finding by itself: it fails only where anonymous or AlwaysAllow lets the wrong callers in (§3).
import type { NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, fixSetting, lookup } from '../setting.ts';
import { handlerExposure } from './handler-exposure.ts';

const SETTING = 'enableDebuggingHandlers';
export const SUB_HANDLERS = ['enableProfilingHandler', 'enableContentionProfiling', 'enableDebugFlagsHandler', 'enableSystemLogHandler', 'enableSystemLogQuery'] as const;

export const debuggingHandlers: Check = {
  meta: {
    id: 'kubelet-debugging-handlers',
    title: 'The kubelet debugging handlers (exec, run, attach, port-forward, logs) are off or only behind authentication and Webhook authorization',
    section: 'kubelet-api',
    severity: 'medium',
    emits: [
      { severity: 'info', when: 'a pass: the handlers are on but behind authentication and Webhook authorization, as kubectl exec, attach, port-forward and logs need them: said as information' },
    ],
    cis: [],
    setting: SETTING,
    rationale:
      'The debugging handlers are how commands run in containers through the kubelet: any identity the kubelet authorizes for nodes/proxy (a GET is enough for a WebSocket exec) can run commands in every pod on the node, outside the API server audit log. They are also what kubectl exec, attach, port-forward and logs use, so most nodes need them on: they are a risk only where anonymous authentication is on or authorization is AlwaysAllow, which lets callers with no credentials, or every authenticated identity, run commands in every pod.',
    remediation:
      'Set authentication.anonymous.enabled: false and authorization.mode: Webhook (or --anonymous-auth=false --authorization-mode=Webhook); on nodes that need not serve kubectl exec/attach/port-forward/logs you can also set enableDebuggingHandlers: false. Restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const evidence: Evidence[] = [evidenceOf(SETTING, l.s)];
    if (l.s.value !== true) return { status: 'pass', message: `debugging handlers are off: exec, run, attach, portForward, containerLogs, configz, logs and pprof answer 405/404; ${describeSource(l.s)}`, evidence };
    const subs = subHandlers(facts, evidence);
    const exposure = handlerExposure(facts, evidence);
    const on = `debugging handlers are on: /exec, /run, /attach, /portForward, /containerLogs, /configz and /runningpods on the secure port; ${subs}; ${describeSource(l.s)}`;
    if (exposure.kind === 'unknown') return { status: 'unknown', message: `${on}; ${exposure.why}`, evidence };
    if (exposure.kind === 'guarded') {
      return { status: 'pass', severity: 'info', message: `${on}. kubectl exec, attach, port-forward and logs need them, and they are behind authentication and authorization: ${exposure.why}`, evidence };
    }
    const fix = fixSetting(facts, SETTING, false).replace(/; then restart.*$/, '');
    return {
      status: 'fail',
      message: `${on}. They are reachable by callers who should not reach them: ${exposure.why}. kubectl exec, attach, port-forward and logs need them, so turning them off breaks those for this node`,
      evidence,
      noFix: 'turning the handlers off breaks kubectl exec, attach, port-forward and logs for this node, a choice only its operator can make; the fixes of kubelet-anonymous-auth and kubelet-authorization-mode put them behind authentication and authorization',
      remediation: `Turn off anonymous authentication and use Webhook authorization (authentication.anonymous.enabled: false, authorization.mode: Webhook; see kubelet-anonymous-auth and kubelet-authorization-mode); ${fix.charAt(0).toLowerCase()}${fix.slice(1)} if this node need not serve kubectl exec/attach/port-forward/logs; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).`,
    };
  },
};

/** "pprof on (enableProfilingHandler), …" for the optional handlers, adding their evidence. */
function subHandlers(facts: NodeFacts, evidence: Evidence[]): string {
  const state = (k: string): boolean | undefined => {
    const l = lookup(facts, k);
    if (!l.ok) return undefined;
    evidence.push(evidenceOf(k, l.s));
    return l.s.value === true;
  };
  const word = (b: boolean | undefined) => (b === undefined ? 'unknown' : b ? 'on' : 'off');
  const pprof = state('enableProfilingHandler');
  const contention = state('enableContentionProfiling');
  const flags = state('enableDebugFlagsHandler');
  const logs = state('enableSystemLogHandler');
  const query = state('enableSystemLogQuery');
  return [
    `/debug/pprof ${word(pprof)} (enableProfilingHandler${pprof && contention ? ', with contention profiling' : ''})`,
    `PUT /debug/flags/v ${word(flags)} (enableDebugFlagsHandler)`,
    `/logs ${word(logs)} (enableSystemLogHandler; log queries ${word(logs === false ? false : query)}, enableSystemLogQuery)`,
  ].join(', ');
}

// One optional debugging sub-handler (kubelet-facts §2): served only while enableDebuggingHandlers
// is true and its own switch is true. Shared logic of the profiling, debug-flags and system-log
// checks; pure. On (the default) is a finding only where anonymous authentication or AlwaysAllow
// lets callers who should not reach it in (handler-exposure.ts); behind authentication and Webhook
// authorization it is information.
import type { Check, CheckMeta, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';
import { handlerExposure } from './handler-exposure.ts';

export function subHandlerCheck(meta: CheckMeta & { setting: string }, what: string, extra?: (facts: Parameters<Check['evaluate']>[0], evidence: Evidence[]) => string): Check {
  const SETTING = meta.setting;
  return {
    meta: {
      ...meta,
      emits: [...(meta.emits ?? []), { severity: 'info', when: 'a pass: the handler is on but behind authentication and Webhook authorization, where it serves only callers who may use it: said as information' }],
    },
    evaluate: (facts): CheckResult => {
      const dbg = lookup(facts, 'enableDebuggingHandlers');
      const sub = lookup(facts, SETTING);
      const evidence: Evidence[] = [];
      if (dbg.ok) evidence.push(evidenceOf('enableDebuggingHandlers', dbg.s));
      if (sub.ok) evidence.push(evidenceOf(SETTING, sub.s));
      if (dbg.ok && dbg.s.value !== true) return { status: 'pass', message: `${what} is not served: the debugging handlers are off; ${describeSource(dbg.s)}`, evidence };
      if (sub.ok && sub.s.value !== true) return { status: 'pass', message: `${what} is off; ${describeSource(sub.s)}`, evidence };
      if (!dbg.ok) return { status: 'unknown', message: `enableDebuggingHandlers cannot be known: ${dbg.why}`, evidence };
      if (!sub.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${sub.why}`, evidence };
      const more = extra ? extra(facts, evidence) : '';
      const on = `${what} is on${more}; ${describeSource(sub.s)}`;
      const exposure = handlerExposure(facts, evidence);
      if (exposure.kind === 'unknown') return { status: 'unknown', message: `${on}; ${exposure.why}`, evidence };
      if (exposure.kind === 'guarded') return { status: 'pass', severity: 'info', message: `${on}, behind authentication and authorization: ${exposure.why}`, evidence };
      return {
        status: 'fail',
        message: `${on}; reachable by callers who should not reach it: ${exposure.why}`,
        evidence,
        ...settingFix(facts, SETTING, false),
      };
    },
  };
}

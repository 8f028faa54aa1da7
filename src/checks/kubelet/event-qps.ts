// CIS 4.2.8. What eventRecordQPS really does (read in the Kubernetes sources, not in kubelet-facts):
// - the field's doc comment (staging/src/k8s.io/kubelet/config/v1beta1/types.go) says "If 0, there
//   is no limit enforced"; negative values fail validation (pkg/kubelet/apis/config/validation);
// - but the kubelet passed 0 straight to client-go (cmd/kubelet/app/server.go), whose rest.Config
//   treats QPS 0 as DefaultQPS = 5: 0 meant 5 events/s until kubernetes PR #117119 made 0 mean
//   "no limit" in v1.37 (CHANGELOG-1.37, urgent upgrade notes; issue #117101);
// - the default rose from 5 to 50 in v1.27 (PR #116121);
// - events over the limit wait in the recorder's queue and are dropped once it is full
//   (client-go tools/record: ActionOrDrop, "too many queued events, dropped event").
import type { Check, CheckResult } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';
import { atLeast } from './helpers.ts';

const SETTING = 'eventRecordQPS';
/**
 * kubelet-guard's policy, not the benchmark's: CIS 4.2.8 asks only for "a level which ensures
 * appropriate event capture". We take the kubelet's own default since v1.27: a lower limit is a
 * choice to drop events sooner.
 */
const MIN_QPS = 50;
const POLICY = `kubelet-guard's policy is at least ${MIN_QPS}/s or no limit; CIS 4.2.8 asks only for a level that ensures appropriate event capture`;

export const eventQps: Check = {
  meta: {
    id: 'kubelet-event-qps',
    title: 'The kubelet does not throttle event creation below its default',
    section: 'cis-4.2',
    severity: 'low',
    cis: ['4.2.8'],
    setting: SETTING,
    rationale:
      `Events are the cluster's record of what happened on the node (pulls, starts, kills, probe failures, evictions). Events over the eventRecordQPS limit queue up and are dropped once the queue is full, so a low limit lets an attacker bury their activity under a burst of noise. 0 is documented as "no limit" but only means that from v1.37: before, the kubelet handed 0 to client-go, which uses 5 events/s. The threshold is kubelet-guard's policy, not the benchmark's: CIS 4.2.8 asks only for a level that ensures appropriate event capture; this check passes an unlimited rate or at least ${MIN_QPS}/s (the kubelet's own default since v1.27).`,
    remediation: `Set eventRecordQPS to ${MIN_QPS} or more in the kubelet config file (or --event-qps), or 0 on v1.37 and later for no limit, and restart the kubelet.`,
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const v = l.s.value;
    const src = describeSource(l.s);
    const evidence = [evidenceOf(SETTING, l.s)];
    const fail = (message: string): CheckResult => ({ status: 'fail', message: `${message}; ${src}; ${POLICY}`, evidence, ...settingFix(facts, SETTING, MIN_QPS) });
    if (typeof v !== 'number') return { status: 'unknown', message: `${SETTING} has an unexpected value ${JSON.stringify(v)}`, evidence };
    if (v < 0) {
      // validation.go refuses it (kubelet-config-accepted reports it): no kubelet runs with this value
      return { status: 'fail', message: `eventRecordQPS ${v} is negative: the kubelet refuses to start with it ("invalid configuration: eventRecordQPS (--event-qps) ${v} must not be a negative number", as kubelet-config-accepted reports); ${src}`, evidence, ...settingFix(facts, SETTING, MIN_QPS) };
    }
    if (v === 0) {
      const fixed = atLeast(facts, 1, 37);
      if (fixed === undefined) {
        return { status: 'unknown', message: `eventRecordQPS is 0, which means no limit from v1.37 but 5 events/s before, and the kubelet version is unknown; ${src}`, evidence };
      }
      if (fixed) return { status: 'pass', message: `eventRecordQPS 0: no limit on event creation (v1.37+); ${src}; ${POLICY}`, evidence };
      return fail('eventRecordQPS 0 is not "no limit" before v1.37: client-go applies its default of 5 events/s');
    }
    // The schema's default is today's (50); kubelets before v1.27 defaulted to 5.
    const defaulted = l.s.source.kind === 'config-default' || l.s.source.kind === 'flag-default';
    if (defaulted && atLeast(facts, 1, 27) === false) return fail('the default before v1.27 is 5 events/s');
    if (v >= MIN_QPS) return { status: 'pass', message: `events are created at up to ${v}/s; ${src}; ${POLICY}`, evidence };
    return fail(`events are throttled to ${v}/s (below the kubelet's default ${MIN_QPS}); events over the limit are dropped once the queue is full`);
  },
};

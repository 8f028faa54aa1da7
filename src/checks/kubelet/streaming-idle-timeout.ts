// CIS 4.2.5. kubelet-facts §4: `0s` written in the --config file is replaced by the defaulter
// (4h), while `0s` in a drop-in or --streaming-connection-idle-timeout=0 stays 0 (§5).
// Not in kubelet-facts, read in the sources: the kubelet only used this value for its in-process
// streaming server, i.e. dockershim; since dockershim's removal in v1.24 the container runtime's
// own stream idle timeout applies (containerd/CRI-O `stream_idle_timeout`), and types.go now says
// "Deprecated: no longer has any effect" (kubernetes PR #131992; PR #122104; PR #75190 comments).
import type { Check, CheckResult } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';
import { parseGoDuration } from '../../kubelet/go-duration.ts';
import { atLeast } from './helpers.ts';

const SETTING = 'streamingConnectionIdleTimeout';

export const streamingIdleTimeout: Check = {
  meta: {
    id: 'kubelet-streaming-idle-timeout',
    // The title claims the setting, not the connections: with an unknown version a non-zero value
    // passes, and from v1.24 the runtime's stream_idle_timeout (not read here) decides.
    title: 'The kubelet sets an idle timeout for streaming connections (exec, attach, port-forward; used before v1.24)',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.5'],
    setting: SETTING,
    rationale:
      'With no idle timeout, a forgotten or hijacked exec/attach/port-forward session into a container stays open indefinitely, and idle connections pile up (a denial-of-service lever). The kubelet setting only ever governed dockershim\'s streaming server: from v1.24 the container runtime\'s stream_idle_timeout (containerd, CRI-O) decides, so this check is not applicable there.',
    remediation:
      'Before v1.24: remove streamingConnectionIdleTimeout: 0s from drop-ins and --streaming-connection-idle-timeout=0 from the command line, or set a non-zero value (default 4h0m0s; CIS suggests e.g. 5m0s), then restart the kubelet. From v1.24: set stream_idle_timeout in the container runtime\'s configuration instead.',
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const v = l.s.value;
    const src = describeSource(l.s);
    const evidence = [evidenceOf(SETTING, l.s)];
    const modern = atLeast(facts, 1, 24);
    if (modern) {
      return { status: 'not-applicable', message: `the kubelet ${facts.kubelet.version?.value ?? ''} no longer uses ${SETTING} (${String(v)}): since v1.24 the container runtime's stream_idle_timeout decides; ${src}`.replace('  ', ' '), evidence };
    }
    const ns = typeof v === 'string' ? parseGoDuration(v) : undefined;
    if (ns === undefined) return { status: 'unknown', message: `${SETTING} has an unexpected value ${JSON.stringify(v)}`, evidence };
    if (ns < 0n) return { status: 'unknown', message: `${SETTING} is negative (${String(v)}); what the streaming server makes of it was not established`, evidence };
    if (ns === 0n) {
      if (modern === undefined) {
        return { status: 'unknown', message: `${SETTING} is 0 (no idle timeout), which matters only before v1.24 (dockershim) and the kubelet version is unknown; ${src}`, evidence };
      }
      return { status: 'fail', message: `streaming connections never time out (0); ${src}`, evidence, ...settingFix(facts, SETTING, '4h0m0s') };
    }
    const note = modern === undefined ? ' (this matters only before v1.24; newer kubelets leave it to the container runtime)' : '';
    return { status: 'pass', message: `idle streaming connections are closed after ${String(v)}${note}; ${src}`, evidence };
  },
};

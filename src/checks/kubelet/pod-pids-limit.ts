// CIS 4.2.13. podPidsLimit default -1 (kubelet-facts §4); the pod cgroup gets pids.max only when
// the value is > 0 (pkg/kubelet/cm/pod_container_manager_linux.go: `if m.podPidsLimit > 0`), so
// 0 and -1 both mean unlimited. The limit lives on the pod cgroup, which exists only with
// cgroupsPerQOS (default true): without it NewPodContainerManager returns the no-op manager and no
// limit is applied (pkg/kubelet/cm/container_manager_linux.go).
import type { Check } from '../types.ts';
import { describeSource, evidenceOf, settingFix, judgeSetting, lookup } from '../setting.ts';

const SETTING = 'podPidsLimit';
const SUGGESTED = 4096;

export const podPidsLimit: Check = {
  meta: {
    id: 'kubelet-pod-pids-limit',
    title: 'Each pod has a process (PID) limit',
    section: 'cis-4.2',
    severity: 'low',
    cis: ['4.2.13'],
    setting: SETTING,
    rationale:
      'Without a per-pod PID limit one pod (a fork bomb, or a compromised container) can exhaust the node\'s process IDs, so the kubelet, the container runtime and every other pod on the node can no longer start processes.',
    remediation: `Set podPidsLimit to a positive limit sized for your workloads (e.g. ${SUGGESTED}) in the kubelet config file (or --pod-max-pids) and restart the kubelet.`,
  },
  evaluate: (facts) => {
    const r = judgeSetting(
      facts,
      SETTING,
      (v) =>
        typeof v === 'number' && v > 0
          ? { pass: true, message: `each pod is limited to ${v} processes` }
          : { pass: false, message: `no per-pod PID limit (${String(v)} means unlimited)` },
      { want: SUGGESTED },
    );
    if (r.status !== 'pass') return r;
    const qos = lookup(facts, 'cgroupsPerQOS');
    if (!qos.ok) return { status: 'unknown', message: `${r.message}, but cgroupsPerQOS cannot be known (${qos.why}): without pod cgroups the limit is not applied`, evidence: r.evidence };
    const evidence = [...(r.evidence ?? []), evidenceOf('cgroupsPerQOS', qos.s)];
    if (qos.s.value === true) return { ...r, evidence };
    return {
      status: 'fail',
      message: `${r.message}, but cgroupsPerQOS is false (${describeSource(qos.s)}): the kubelet makes no pod cgroups, so the limit is never applied`,
      evidence,
      ...settingFix(facts, 'cgroupsPerQOS', true),
    };
  },
};

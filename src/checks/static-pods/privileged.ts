// Privileged containers in static pods (kubelet-facts §7: no admission stops them). A privileged
// container sees every host device and has every capability: it is root on the node.
import type { ContainerFact } from '../../facts/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { APPLIES, at, ev, podName, podScope } from './common.ts';

export const staticPodPrivileged: Check = {
  meta: {
    id: 'static-pod-privileged',
    title: 'Static pods run no privileged containers',
    section: 'static-pods',
    severity: 'critical',
    cis: [],
    rationale:
      'A privileged container has every capability and every host device, with no seccomp or AppArmor confinement: it can mount the host\'s disk and take the node. In a static pod nothing stops it: the kubelet runs static pods without API-server admission, so Pod Security does not apply.',
    remediation: 'Remove `privileged: true` from the container\'s securityContext (grant only the capabilities it needs); the kubelet applies the edited manifest by itself.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const priv = (ref.pod.containers as ContainerFact[]).filter((c) => c.privileged);
      if (priv.length === 0) {
        out.push({ status: 'pass', subject: ref.subject, message: `${podName(ref)}: ${ref.pod.containers.length > 1 ? `none of its ${ref.pod.containers.length} containers is` : 'its container is not'} privileged`, evidence: [ev(ref.manifest.path, ref.pod.line, `pod ${ref.pod.name}`)] });
        continue;
      }
      for (const c of priv) {
        const line = c.lines?.privileged ?? c.line;
        out.push({
          status: 'fail',
          subject: `${ref.subject} (container ${c.name})`,
          message: `${podName(ref)}: ${c.init ? 'init ' : ''}container ${c.name} is privileged (securityContext.privileged: true): it is root on the node, and no admission checked it`,
          evidence: [ev(ref.manifest.path, line, `container ${c.name}: privileged: true`)],
          remediation: `${at(ref.manifest.path, line)}: remove \`privileged: true\` from the securityContext of container ${c.name} (add only the capabilities it needs); ${APPLIES}.`,
        });
      }
    }
    return [...out, ...scope.gaps];
  },
};

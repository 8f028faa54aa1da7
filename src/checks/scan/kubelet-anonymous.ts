// Anonymous requests accepted, then denied by Webhook authorization: not open to everyone, but the
// kubelet asks the API server about system:anonymous (group system:unauthenticated), so every RBAC
// rule given to those subjects on the nodes/ subresources is open to anyone who reaches the port, and the 403 body
// names the user, verb and subresources (kubelet-facts §3).
import type { CheckResult } from '../types.ts';
import { anonymousReach, anonymousUser, EXEC_GROUPS, firewall, FIX_ANONYMOUS, hostPort, isService, KUBELET_CLIENTS, notesText, notOpen, probeEvidence, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const kubeletAnonymous: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-anonymous',
    title: 'The kubelet API refuses anonymous requests',
    section: EXPOSURE_SECTION,
    severity: 'high',
    emits: [
      { severity: 'critical', when: 'anonymous requests are served with AlwaysAllow, or RBAC grants system:anonymous a subresource that runs commands in pods' },
    ],
    cis: ['4.2.1'],
    setting: 'authentication.anonymous.enabled',
    rationale:
      "With anonymous authentication on, a request without credentials reaches the authorizer as system:anonymous (group system:unauthenticated). With Webhook authorization the API server decides, so whatever RBAC grants those subjects on nodes/proxy, nodes/pods, nodes/metrics or nodes/log is open to anyone who reaches port 10250, and the 403 answers tell an attacker which user and subresources the kubelet checked; one careless ClusterRoleBinding away from command execution.",
    remediation: `${FIX_ANONYMOUS}; ${RESTART}. Also look for RBAC bindings to system:anonymous or system:unauthenticated (\`kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E 'system:(anonymous|unauthenticated)'\`) and remove them. And ${firewall(10250, KUBELET_CLIENTS)}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const evidence = probeEvidence(ep);
    if (ep.anonymous === false) return { status: 'pass', message: `${hostPort(ep)} refuses requests without credentials (401 Unauthorized)`, evidence };
    if (ep.anonymous !== true) return { status: 'unknown', message: `whether ${hostPort(ep)} accepts anonymous requests could not be told${notesText(ep)}`, evidence };

    // what requests WITHOUT credentials got, never the scan identity's reach (issue 10)
    const user = anonymousUser(ep) ?? 'system:anonymous';
    const reached = anonymousReach(ep);
    if (ep.authorization === 'AlwaysAllow') {
      return { status: 'fail', severity: 'critical', message: `${hostPort(ep)} serves anonymous requests, and with AlwaysAllow it serves them everything (see exposure-kubelet-anonymous-alwaysallow)`, evidence };
    }
    if (reached === undefined) {
      return { status: 'fail', message: `${hostPort(ep)} accepts anonymous requests as ${user}; what they reach was not probed without credentials`, evidence };
    }
    if (reached.length > 0) {
      const exec = reached.some((g) => EXEC_GROUPS.includes(g));
      return {
        status: 'fail',
        severity: exec ? 'critical' : 'high',
        message: `${hostPort(ep)} accepts anonymous requests as ${user}, and RBAC grants that user ${reached.join(', ')}: anyone who reaches the port gets ${exec ? 'command execution in the node\'s pods' : 'that access'}`,
        evidence,
      };
    }
    const how = ep.authorization === 'Webhook' ? 'the API server (Webhook) denied every probe' : 'no probe was served';
    return {
      status: 'fail',
      message: `${hostPort(ep)} accepts anonymous requests as ${user}; ${how}, but any RBAC given to system:anonymous or system:unauthenticated on the nodes/ subresources is open to anyone who reaches the port${ep.fineGrained ? ' (the kubelet checks fine-grained subresources, 1.32+)' : ''}`,
      evidence,
    };
  },
};

// Anonymous requests accepted AND authorized by AlwaysAllow: anyone who reaches 10250 runs commands
// in every pod on the node (kubelet-facts §3: no credentials + 200/404/405 ⇒ anonymous and
// AlwaysAllow). The probes decide `anonymous` and `authorization`; null means they could not tell.
import type { CheckResult } from '../types.ts';
import { anonymousReach, firewall, FIX_ANONYMOUS, hostPort, isService, KUBELET_CLIENTS, notesText, notOpen, probeEvidence, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const kubeletAnonymousAlwaysAllow: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-anonymous-alwaysallow',
    title: 'The kubelet API does not serve anonymous requests with AlwaysAllow',
    section: EXPOSURE_SECTION,
    severity: 'critical',
    cis: ['4.2.1', '4.2.2'],
    setting: 'authorization.mode',
    rationale:
      'With anonymous authentication on and AlwaysAllow authorization, the kubelet serves every request that carries no credentials: anyone who reaches port 10250 can list the pods, read their logs and run commands in any container (/run, /exec), bypassing the API server, its RBAC and its audit log.',
    remediation: `${FIX_ANONYMOUS}; ${RESTART}. Until then, ${firewall(10250, KUBELET_CLIENTS)}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const evidence = probeEvidence(ep);
    if (ep.anonymous === true && ep.authorization === 'AlwaysAllow') {
      const anon = anonymousReach(ep) ?? [];
      const reached = anon.length > 0 ? `; reached without credentials: ${anon.join(', ')}` : '';
      return {
        status: 'fail',
        message: `${hostPort(ep)} serves requests without credentials (anonymous on, AlwaysAllow): anyone who reaches it can run commands in every pod on the node${reached}`,
        evidence,
      };
    }
    if (ep.anonymous === false) return { status: 'pass', message: `${hostPort(ep)} refuses requests without credentials (401 Unauthorized): anonymous authentication is off`, evidence };
    if (ep.anonymous === true && ep.authorization === 'Webhook') {
      return { status: 'pass', message: `${hostPort(ep)} accepts anonymous requests but asks the API server (Webhook) before serving them, which denied them (see exposure-kubelet-anonymous)`, evidence };
    }
    if (ep.anonymous === true) {
      return { status: 'unknown', message: `${hostPort(ep)} accepts anonymous requests, but whether it authorizes them with AlwaysAllow or Webhook could not be told${notesText(ep)}`, evidence };
    }
    return { status: 'unknown', message: `whether ${hostPort(ep)} accepts anonymous requests could not be told${notesText(ep)}`, evidence };
  },
};

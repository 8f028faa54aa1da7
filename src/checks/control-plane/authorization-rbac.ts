// CIS 1.2.8: --authorization-mode includes RBAC (kubelet-facts §7).
import type { Check } from '../types.ts';
import { authorizationModes, recommendedModes } from './authz.ts';
import { flagFix, perComponent } from './common.ts';

export const apiserverAuthorizationRbac: Check = {
  meta: {
    id: 'apiserver-authorization-rbac',
    title: 'The API server authorizes requests with RBAC',
    section: 'control-plane',
    severity: 'high',
    cis: ['1.2.8'],
    setting: '--authorization-mode',
    rationale:
      'Without RBAC, Roles and RoleBindings (including the ones that limit who may use nodes/proxy, the kubelet API through the API server) have no effect: access is decided by the other authorizers alone.',
    remediation: 'Set --authorization-mode=Node,RBAC in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c) => {
      const m = authorizationModes(c);
      if (m.kind === 'unknown') return { status: 'unknown', message: m.why, evidence: m.evidence };
      if (m.modes.includes('RBAC')) return { status: 'pass', message: `RBAC is in the chain: ${m.words}`, evidence: m.evidence };
      const want = recommendedModes(m.flags.length > 0 ? m.modes : []);
      return { status: 'fail', message: `RBAC is not in the chain: ${m.words}`, evidence: m.evidence, ...flagFix(facts, c, 'authorization-mode', `--authorization-mode=${want.join(',')}`) };
    }),
};

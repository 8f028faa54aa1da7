// CIS 1.2.6: --authorization-mode is not AlwaysAllow (kubelet-facts §7). Authorizers form a
// chain in which the first one with an opinion decides: AlwaysAllow allows whatever the ones before
// it have no opinion on, so anywhere in the list it allows every authenticated request.
import type { Check } from '../types.ts';
import { authorizationModes, recommendedModes } from './authz.ts';
import { flagFix, perComponent } from './common.ts';

export const apiserverAuthorizationNotAlwaysAllow: Check = {
  meta: {
    id: 'apiserver-authorization-not-always-allow',
    title: 'The API server does not authorize every request (no AlwaysAllow)',
    section: 'control-plane',
    severity: 'critical',
    cis: ['1.2.6'],
    setting: '--authorization-mode',
    rationale:
      'With AlwaysAllow in the authorizer chain every authenticated request is allowed (no authorizer before it ever denies: Node and RBAC only allow or have no opinion): every service account token and every node credential is cluster-admin.',
    remediation: 'Set --authorization-mode=Node,RBAC in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c) => {
      const m = authorizationModes(c);
      if (m.kind === 'unknown') return { status: 'unknown', message: m.why, evidence: m.evidence };
      if (!m.modes.includes('AlwaysAllow')) return { status: 'pass', message: `AlwaysAllow is not in the authorizer chain: ${m.words}`, evidence: m.evidence };
      const want = recommendedModes(m.flags.length > 0 ? m.modes : []);
      return {
        status: 'fail',
        message: `every authenticated request is allowed: ${m.words}`,
        evidence: m.evidence,
        ...flagFix(facts, c, 'authorization-mode', `--authorization-mode=${want.join(',')}`),
      };
    }),
};

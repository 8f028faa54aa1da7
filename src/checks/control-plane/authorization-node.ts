// CIS 1.2.7: --authorization-mode includes Node (kubelet-facts §7). The Node authorizer limits
// a kubelet's credential to the objects of the pods bound to its node; without it (RBAC alone)
// the system:node role lets every kubelet read every Secret it can name.
import type { Check } from '../types.ts';
import { authorizationModes, recommendedModes } from './authz.ts';
import { flagFix, perComponent } from './common.ts';

export const apiserverAuthorizationNode: Check = {
  meta: {
    id: 'apiserver-authorization-node',
    title: 'The API server authorizes kubelets with the Node authorizer',
    section: 'control-plane',
    severity: 'high',
    cis: ['1.2.7'],
    setting: '--authorization-mode',
    rationale:
      "Without the Node authorizer, a node's credential is not limited to the pods bound to that node: one compromised node reads Secrets, ConfigMaps and volumes of pods anywhere in the cluster.",
    remediation: 'Set --authorization-mode=Node,RBAC in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c) => {
      const m = authorizationModes(c);
      if (m.kind === 'unknown') return { status: 'unknown', message: m.why, evidence: m.evidence };
      if (m.modes.includes('Node')) return { status: 'pass', message: `the Node authorizer is in the chain: ${m.words}`, evidence: m.evidence };
      const want = recommendedModes(m.flags.length > 0 ? m.modes : []);
      return { status: 'fail', message: `the Node authorizer is not in the chain: ${m.words}`, evidence: m.evidence, ...flagFix(facts, c, 'authorization-mode', `--authorization-mode=${want.join(',')}`) };
    }),
};

// CIS 2.5: --peer-client-cert-auth=true (kubelet-facts §7).
import type { Check } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool } from './common.ts';

export const etcdPeerClientCertAuth: Check = {
  meta: {
    id: 'etcd-peer-client-cert-auth',
    title: 'etcd requires certificates from its peers',
    section: 'etcd',
    severity: 'high',
    cis: ['2.5'],
    setting: '--peer-client-cert-auth',
    rationale: 'Without peer certificate authentication anyone who reaches port 2380 talks to etcd as a cluster member: the peer API serves the replicated data and membership changes.',
    remediation: 'Set --peer-client-cert-auth=true in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'peer-client-cert-auth');
      const evidence = settingEvidence(c, 'peer-client-cert-auth', s, 'not set: etcd defaults to false');
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (on) return { status: 'pass', message: `etcd requires peer certificates: ${describe('peer-client-cert-auth', s)}`, evidence };
      return {
        status: 'fail',
        message: `etcd does not ask its peers for a certificate: ${describe('peer-client-cert-auth', s)}`,
        evidence,
        remediation: fixFlag(c, 'peer-client-cert-auth', '--peer-client-cert-auth=true'),
      };
    }),
};

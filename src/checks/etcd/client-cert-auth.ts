// CIS 2.2: --client-cert-auth=true (kubelet-facts §7). Without it etcd asks clients for no
// certificate: whoever reaches the client port reads and writes every key (every Secret, every
// RBAC object), bypassing the API server entirely. A bool in Go's flag package: `--client-cert-auth`
// alone or `=true`; `--client-cert-auth true` stops etcd. On plain-http listeners it has no effect
// (embed: "The scheme of client url ... is HTTP while client cert auth (--client-cert-auth) is enabled").
import type { Check } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool, etcdSetting, urls } from './common.ts';

export const etcdClientCertAuth: Check = {
  meta: {
    id: 'etcd-client-cert-auth',
    title: 'etcd requires client certificates',
    section: 'etcd',
    severity: 'critical',
    cis: ['2.2'],
    setting: '--client-cert-auth',
    rationale: 'Without client certificate authentication anyone who reaches port 2379 reads and writes every key in etcd: every Secret and token, and every RoleBinding, without the API server seeing it.',
    remediation: 'Set --client-cert-auth=true in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'client-cert-auth');
      const evidence = settingEvidence(c, 'client-cert-auth', s, 'not set: etcd defaults to false');
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (on) {
        const plain = urls(etcdSetting(c, 'listen-client-urls')).filter((u) => u.startsWith('http://'));
        const note = plain.length > 0 ? `; it does not apply to the plain-http listener${plain.length > 1 ? 's' : ''} ${plain.join(', ')} (see etcd-client-plain-http)` : '';
        return { status: 'pass', message: `etcd requires client certificates: ${describe('client-cert-auth', s)}${note}`, evidence };
      }
      return {
        status: 'fail',
        message: `etcd does not ask clients for a certificate: ${describe('client-cert-auth', s)}; anyone who reaches its client port reads and writes every key`,
        evidence,
        remediation: fixFlag(c, 'client-cert-auth', '--client-cert-auth=true'),
      };
    }),
};

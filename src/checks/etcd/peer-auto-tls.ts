// CIS 2.6: --peer-auto-tls is not true (kubelet-facts §7); ignored while --peer-cert-file or
// --peer-key-file is given (embed PeerSelfCert: "ignoring peer auto TLS since certs given").
import type { Check } from '../types.ts';
import { fixFlag, flagFix, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool, etcdSetting, isSet } from './common.ts';

export const etcdPeerAutoTls: Check = {
  meta: {
    id: 'etcd-peer-auto-tls',
    title: 'etcd is not told to make a self-signed peer certificate (--peer-auto-tls is not true)',
    section: 'etcd',
    severity: 'high',
    emits: [{ severity: 'low', when: '--peer-auto-tls is true but --peer-cert-file or --peer-key-file is given: etcd ignores it, and would use it only if the certificate flags were removed' }],
    cis: ['2.6'],
    setting: '--peer-auto-tls',
    rationale: 'With --peer-auto-tls etcd members use self-signed certificates they made themselves: a member cannot tell a peer from an impostor.',
    remediation: 'Remove --peer-auto-tls (or set --peer-auto-tls=false) in /etc/kubernetes/manifests/etcd.yaml and give etcd --peer-cert-file and --peer-key-file.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'peer-auto-tls');
      const evidence = settingEvidence(c, 'peer-auto-tls', s, 'not set: etcd defaults to false');
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (!on) return { status: 'pass', message: `etcd does not make a self-signed peer certificate: ${describe('peer-auto-tls', s)}`, evidence };
      const certs = isSet(etcdSetting(c, 'peer-cert-file')) || isSet(etcdSetting(c, 'peer-key-file'));
      return {
        status: 'fail',
        ...(certs ? { severity: 'low' as const } : {}),
        message: certs
          ? `${describe('peer-auto-tls', s)}; etcd ignores it while --peer-cert-file/--peer-key-file are given, but would use a self-signed certificate if they were removed`
          : `etcd members use self-signed peer certificates: ${describe('peer-auto-tls', s)}`,
        evidence,
        // without certificates of its own, turning it off would leave etcd without TLS: only then a person decides
        ...(certs ? flagFix(facts, c, 'peer-auto-tls', '--peer-auto-tls=false') : { remediation: fixFlag(c, 'peer-auto-tls', '--peer-auto-tls=false'), noFix: 'etcd has no --peer-cert-file and --peer-key-file: certificates must be issued first (kubeadm init phase certs etcd-*)' }),
      };
    }),
};

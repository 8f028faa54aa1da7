// CIS 2.4: --peer-cert-file and --peer-key-file (kubelet-facts §7): TLS between etcd members.
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, isSet } from './common.ts';

export const etcdPeerCertFile: Check = {
  meta: {
    id: 'etcd-peer-cert-file',
    title: 'etcd members talk to each other over TLS with their own certificate',
    section: 'etcd',
    severity: 'high',
    cis: ['2.4'],
    setting: '--peer-cert-file',
    rationale: 'Without a peer certificate and key, replication traffic between etcd members (a full copy of every Secret) crosses the network without TLS.',
    remediation: 'Set --peer-cert-file and --peer-key-file (kubeadm: /etc/kubernetes/pki/etcd/peer.crt and peer.key) in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const cert = etcdSetting(c, 'peer-cert-file');
      const key = etcdSetting(c, 'peer-key-file');
      const evidence = [...settingEvidence(c, 'peer-cert-file', cert, 'not set'), ...settingEvidence(c, 'peer-key-file', key, 'not set')];
      const why = [cert, key].find((s) => s.kind === 'unknown');
      if (why?.kind === 'unknown') return { status: 'unknown', message: why.why, evidence };
      if (isSet(cert) && isSet(key)) return { status: 'pass', message: `etcd has a peer certificate: ${describe('peer-cert-file', cert)}, ${describe('peer-key-file', key)}`, evidence };
      const fixes = [
        ...(isSet(cert) ? [] : [fixFlag(c, 'peer-cert-file', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt')]),
        ...(isSet(key) ? [] : [fixFlag(c, 'peer-key-file', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key')]),
      ];
      return {
        status: 'fail',
        message: `etcd has no peer certificate: ${[isSet(cert) ? '' : describe('peer-cert-file', cert), isSet(key) ? '' : describe('peer-key-file', key)].filter(Boolean).join('; ')}`,
        evidence,
        remediation: fixes.join(' '),
      };
    }),
};

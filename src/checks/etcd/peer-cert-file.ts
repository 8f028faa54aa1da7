// CIS 2.4: --peer-cert-file and --peer-key-file (kubelet-facts §7): TLS between etcd members. CIS
// as written asks only that both flags are set; on an http:// peer URL etcd ignores them and
// serves plain text (server/embed/etcd.go configurePeerListeners). So this check passes only when
// both are set AND every --listen-peer-urls URL is https; a plain peer listener fails it, critical
// from the network (as listener-etcd and the scan's etcd-peer-exposed judge a plain peer port),
// medium on loopback (etcd's default, http://localhost:2380: a single member that replicates to
// no one, but any local process can talk to it as a peer).
import type { Check, CheckResult } from '../types.ts';
import type { ComponentFacts } from '../../facts/types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, httpsOf, isSet, plainListeners, PLAIN_LOCAL, PLAIN_ON_NETWORK } from './common.ts';

export const etcdPeerCertFile: Check = {
  meta: {
    id: 'etcd-peer-cert-file',
    title: 'etcd members talk to each other over TLS only, with the certificate and key --peer-cert-file and --peer-key-file name',
    section: 'etcd',
    severity: 'high',
    emits: [
      { severity: PLAIN_ON_NETWORK, when: 'a --listen-peer-urls URL on the network is plain http: no member authentication at all (as listener-etcd and etcd-peer-exposed)' },
      { severity: PLAIN_LOCAL, when: 'the plain peer URLs are all on loopback or a unix socket (etcd\'s default http://localhost:2380): only processes on this node reach them' },
    ],
    cis: ['2.4'],
    setting: '--peer-cert-file',
    rationale:
      'Without a peer certificate and key, or on an http:// peer URL (where etcd ignores them), replication traffic between etcd members (a full copy of every Secret) crosses the network without TLS. CIS 2.4 as written checks only that --peer-cert-file and --peer-key-file are set.',
    remediation: 'Set --peer-cert-file and --peer-key-file (kubeadm: /etc/kubernetes/pki/etcd/peer.crt and peer.key) and list only https:// URLs in --listen-peer-urls and --initial-advertise-peer-urls, in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const cert = etcdSetting(c, 'peer-cert-file');
      const key = etcdSetting(c, 'peer-key-file');
      const p = plainListeners(c, 'peer');
      const evidence = [...settingEvidence(c, 'peer-cert-file', cert, 'not set'), ...settingEvidence(c, 'peer-key-file', key, 'not set'), ...p.evidence];
      const why = [cert, key].find((s) => s.kind === 'unknown');
      if (why?.kind === 'unknown') return { status: 'unknown', message: why.why, evidence };
      if (p.kind === 'unknown') return { status: 'unknown', message: p.why, evidence };
      const flagsSet = isSet(cert) && isSet(key);
      const missing = [isSet(cert) ? '' : describe('peer-cert-file', cert), isSet(key) ? '' : describe('peer-key-file', key)].filter(Boolean).join('; ');
      const flagFixes = [
        ...(isSet(cert) ? [] : [fixFlag(c, 'peer-cert-file', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt')]),
        ...(isSet(key) ? [] : [fixFlag(c, 'peer-key-file', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key')]),
      ];
      if (p.plain.length > 0) {
        const list = p.plain.map((x) => x.u).join(', ');
        return {
          status: 'fail',
          ...(p.severity !== 'high' ? { severity: p.severity } : {}),
          message: flagsSet
            ? `etcd talks to peers in plain text on ${list} (${p.where}): on an http:// URL it ignores ${describe('peer-cert-file', cert)} and ${describe('peer-key-file', key)} (CIS 2.4 as written, both flags set, is met)`
            : `etcd has no peer certificate (${missing}) and talks to peers in plain text on ${list} (${p.where})`,
          evidence,
          remediation: [...flagFixes, plainPeerFix(c)].join(' '),
        };
      }
      if (flagsSet) return { status: 'pass', message: `every peer listener uses TLS (${p.where}) with ${describe('peer-cert-file', cert)}, ${describe('peer-key-file', key)}`, evidence };
      return {
        status: 'fail',
        message: `etcd has no peer certificate: ${missing}; its TLS peer listeners (${p.where}) use a certificate it makes itself (--peer-auto-tls) or etcd does not start`,
        evidence,
        remediation: flagFixes.join(' '),
      };
    }),
};

/** The fix for plain peer listeners. */
export function plainPeerFix(c: ComponentFacts): string {
  const s = etcdSetting(c, 'listen-peer-urls');
  const v = s.kind === 'unknown' ? '' : s.value;
  return `${fixFlag(c, 'listen-peer-urls', `--listen-peer-urls=${httpsOf(v)}`)} Change --initial-advertise-peer-urls and this member's URL in every member's --initial-cluster (and, on a running cluster, etcdctl member update) to https too; etcd then needs --peer-cert-file, --peer-key-file and --peer-client-cert-auth=true.`;
}

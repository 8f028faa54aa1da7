// CIS 2.5: --peer-client-cert-auth=true (kubelet-facts §7). As for clients (client-cert-auth.ts):
// on a TLS peer listener etcd requires a peer certificate when --peer-client-cert-auth is true OR
// --peer-trusted-ca-file is set (client/pkg/transport/listener.go TLSInfo.ServerConfig); on an
// http:// peer URL it asks none (server/embed/etcd.go configurePeerListeners). Critical: a peer
// port on the network that asks no certificate is no member authentication at all (as
// listener-etcd and the scan's etcd-peer-exposed judge it); medium when every such listener is local.
import type { Check } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool, etcdSetting, isSet, plainListeners, PLAIN_LOCAL, reachSeverity } from './common.ts';
import { plainPeerFix } from './peer-cert-file.ts';

export const etcdPeerClientCertAuth: Check = {
  meta: {
    id: 'etcd-peer-client-cert-auth',
    title: 'etcd requires a certificate from every peer on every peer listener, with --peer-client-cert-auth=true',
    section: 'etcd',
    severity: 'critical',
    emits: [
      { severity: PLAIN_LOCAL, when: 'every peer listener without peer certificates is on loopback or a unix socket' },
      { severity: 'low', when: '--peer-client-cert-auth is off but --peer-trusted-ca-file is set: etcd still requires a peer certificate that CA signed; only the letter of CIS 2.5 is missed' },
    ],
    cis: ['2.5'],
    setting: '--peer-client-cert-auth',
    rationale: 'Without peer certificate authentication anyone who reaches port 2380 talks to etcd as a cluster member: the peer API serves the replicated data and membership changes. An http:// peer URL asks for no certificate whatever the flag says.',
    remediation: 'Set --peer-client-cert-auth=true in /etc/kubernetes/manifests/etcd.yaml and list only https:// URLs in --listen-peer-urls.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'peer-client-cert-auth');
      const p = plainListeners(c, 'peer');
      const ca = etcdSetting(c, 'peer-trusted-ca-file');
      const evidence = [...settingEvidence(c, 'peer-client-cert-auth', s, 'not set: etcd defaults to false'), ...p.evidence];
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (p.kind === 'unknown') return { status: 'unknown', message: p.why, evidence };
      if (p.plain.length > 0) {
        return {
          status: 'fail',
          ...(p.severity !== 'critical' ? { severity: p.severity } : {}),
          message: `etcd asks peers no certificate on its plain listener${p.plain.length > 1 ? 's' : ''} ${p.plain.map((x) => x.u).join(', ')} (${p.where}), whatever ${describe('peer-client-cert-auth', s)} says${on ? ' (CIS 2.5 as written, the flag set to true, is met)' : ''}`,
          evidence,
          remediation: [...(on ? [] : [fixFlag(c, 'peer-client-cert-auth', '--peer-client-cert-auth=true')]), plainPeerFix(c)].join(' '),
        };
      }
      if (on) return { status: 'pass', message: `etcd requires peer certificates on every peer listener (${p.where}): ${describe('peer-client-cert-auth', s)}`, evidence };
      if (ca.kind === 'unknown') return { status: 'unknown', message: ca.why, evidence };
      if (isSet(ca)) {
        evidence.push(...settingEvidence(c, 'peer-trusted-ca-file', ca, ''));
        return {
          status: 'fail',
          severity: 'low',
          message: `${describe('peer-client-cert-auth', s)}, which CIS 2.5 wants true; etcd still requires a peer certificate signed by ${describe('peer-trusted-ca-file', ca)} on every TLS peer listener (a trusted CA alone turns that on)`,
          evidence,
          remediation: fixFlag(c, 'peer-client-cert-auth', '--peer-client-cert-auth=true'),
        };
      }
      const sev = reachSeverity(p.all);
      return {
        status: 'fail',
        ...(sev !== 'critical' ? { severity: sev } : {}),
        message: `etcd does not ask its peers for a certificate: ${describe('peer-client-cert-auth', s)} and no --peer-trusted-ca-file; ${sev === PLAIN_LOCAL ? `its peer listeners (${p.where}) are local, but any process on this node can talk to it as a member` : 'anyone who reaches its peer port talks to it as a member'}`,
        evidence,
        remediation: fixFlag(c, 'peer-client-cert-auth', '--peer-client-cert-auth=true'),
      };
    }),
};

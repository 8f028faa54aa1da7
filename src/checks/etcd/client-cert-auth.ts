// CIS 2.2: --client-cert-auth=true (kubelet-facts §7). Without client certificates whoever reaches
// the client port reads and writes every key (every Secret, every RBAC object), bypassing the API
// server entirely. A bool in Go's flag package: `--client-cert-auth` alone or `=true`;
// `--client-cert-auth true` stops etcd. What etcd really does (client/pkg/transport/listener.go
// TLSInfo.ServerConfig): on a TLS listener it requires and verifies a client certificate when
// --client-cert-auth is true OR --trusted-ca-file is set; on an http:// or unix:// listener it
// asks for none whatever the flags say (server/embed/etcd.go configureClientListeners). So:
// - a plain client listener fails this check with etcd-client-plain-http's severity (same fact);
// - --client-cert-auth off but --trusted-ca-file set fails CIS 2.2 with low severity: etcd still
//   demands a certificate that CA signed; the flag adds only that etcd's own auth (when enabled)
//   takes the user name from the certificate's CN;
// - neither: fail, critical when a listener is on the network, medium when all are local (the
//   severities of a plain listener: TLS without client certificates opens etcd just as wide;
//   listener-etcd reports the same fact, critical, when it sees the port open beyond loopback).
import type { Check } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool, etcdSetting, isSet, plainListeners, PLAIN_LOCAL, reachSeverity } from './common.ts';
import { plainClientFix } from './client-plain-http.ts';

export const etcdClientCertAuth: Check = {
  meta: {
    id: 'etcd-client-cert-auth',
    title: 'etcd requires a client certificate on every client listener, with --client-cert-auth=true',
    section: 'etcd',
    severity: 'critical',
    emits: [
      { severity: PLAIN_LOCAL, when: 'every client listener without client certificates is on loopback or a unix socket: only processes on this node and hostNetwork pods reach it (a plain-http one: as etcd-client-plain-http)' },
      { severity: 'low', when: '--client-cert-auth is off but --trusted-ca-file is set: etcd still requires a certificate that CA signed on every TLS listener; only the letter of CIS 2.2 is missed' },
    ],
    cis: ['2.2'],
    setting: '--client-cert-auth',
    rationale: 'Without client certificate authentication anyone who reaches port 2379 reads and writes every key in etcd: every Secret and token, and every RoleBinding, without the API server seeing it. An http:// client listener asks for no certificate whatever --client-cert-auth says.',
    remediation: 'Set --client-cert-auth=true in /etc/kubernetes/manifests/etcd.yaml and list only https:// URLs in --listen-client-urls.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'client-cert-auth');
      const p = plainListeners(c, 'client');
      const ca = etcdSetting(c, 'trusted-ca-file');
      const evidence = [...settingEvidence(c, 'client-cert-auth', s, 'not set: etcd defaults to false'), ...p.evidence];
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (p.kind === 'unknown') return { status: 'unknown', message: p.why, evidence };
      if (p.plain.length > 0) {
        return {
          status: 'fail',
          ...(p.severity !== 'critical' ? { severity: p.severity } : {}),
          message: `etcd asks no client certificate on its plain listener${p.plain.length > 1 ? 's' : ''} ${p.plain.map((x) => x.u).join(', ')} (${p.where}), whatever ${describe('client-cert-auth', s)} says${on ? ' (CIS 2.2 as written, the flag set to true, is met)' : ''}; see etcd-client-plain-http`,
          evidence,
          remediation: [...(on ? [] : [fixFlag(c, 'client-cert-auth', '--client-cert-auth=true')]), plainClientFix(c)].join(' '),
        };
      }
      if (on) return { status: 'pass', message: `etcd requires client certificates on every client listener (${p.where}): ${describe('client-cert-auth', s)}`, evidence };
      if (ca.kind === 'unknown') return { status: 'unknown', message: ca.why, evidence };
      if (isSet(ca)) {
        evidence.push(...settingEvidence(c, 'trusted-ca-file', ca, ''));
        return {
          status: 'fail',
          severity: 'low',
          message: `${describe('client-cert-auth', s)}, which CIS 2.2 wants true; etcd still requires a client certificate signed by ${describe('trusted-ca-file', ca)} on every TLS listener (a trusted CA alone turns that on), but its own authentication does not take the user from the certificate`,
          evidence,
          remediation: fixFlag(c, 'client-cert-auth', '--client-cert-auth=true'),
        };
      }
      const sev = reachSeverity(p.all);
      const local = sev !== 'critical';
      return {
        status: 'fail',
        ...(local ? { severity: sev } : {}),
        message: `etcd does not ask clients for a certificate: ${describe('client-cert-auth', s)} and no --trusted-ca-file; ${local ? `its client listeners (${p.where}) are local, but any process on this node and any hostNetwork pod reads and writes every key` : 'anyone who reaches its client port reads and writes every key'}`,
        evidence,
        remediation: fixFlag(c, 'client-cert-auth', '--client-cert-auth=true'),
      };
    }),
};

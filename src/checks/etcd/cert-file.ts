// CIS 2.1: --cert-file and --key-file (kubelet-facts §7). CIS as written asks only that both flags
// are set (kube-bench: both present). That does not make etcd serve TLS: the scheme of each client
// URL decides, and on an http:// or unix:// URL etcd ignores the certificate and serves plain text
// (server/embed/etcd.go configureClientListeners). So this check passes only when both flags are
// set AND every client listener is https/unixs; a plain listener fails it with the severity
// etcd-client-plain-http gives the same listener (plainListeners), so the two never disagree.
// --advertise-client-urls is not a listener: it is what etcd tells clients, and it changes
// nothing etcd serves, so it is shown but does not decide.
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, isSet, plainListeners, PLAIN_LOCAL, PLAIN_ON_NETWORK, urls } from './common.ts';
import { plainClientFix } from './client-plain-http.ts';

export const etcdCertFile: Check = {
  meta: {
    id: 'etcd-cert-file',
    title: 'etcd serves every client listener over TLS, with the certificate and key --cert-file and --key-file name',
    section: 'etcd',
    severity: 'high',
    emits: [
      { severity: PLAIN_ON_NETWORK, when: 'a client listener on the network is plain http: as etcd-client-plain-http, the authority on that listener' },
      { severity: PLAIN_LOCAL, when: 'the plain client listeners are all on loopback or a unix socket: as etcd-client-plain-http' },
    ],
    cis: ['2.1'],
    setting: '--cert-file',
    rationale:
      'Without a serving certificate and key, or on an http:// client URL (where etcd ignores them), traffic between the API server and etcd (every Secret, every token) is not protected by TLS that the API server can verify. CIS 2.1 as written checks only that --cert-file and --key-file are set.',
    remediation: 'Set --cert-file and --key-file (kubeadm: /etc/kubernetes/pki/etcd/server.crt and server.key) and list only https:// URLs in --listen-client-urls, in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const cert = etcdSetting(c, 'cert-file');
      const key = etcdSetting(c, 'key-file');
      const adv = etcdSetting(c, 'advertise-client-urls');
      const p = plainListeners(c, 'client');
      const evidence = [...settingEvidence(c, 'cert-file', cert, 'not set'), ...settingEvidence(c, 'key-file', key, 'not set'), ...p.evidence];
      const advPlain = adv.kind === 'set' ? urls(adv).filter((u) => /^(http|unix):/i.test(u)) : [];
      if (advPlain.length > 0) evidence.push(...settingEvidence(c, 'advertise-client-urls', adv, ''));
      const why = [cert, key].find((s) => s.kind === 'unknown');
      if (why?.kind === 'unknown') return { status: 'unknown', message: why.why, evidence };
      if (p.kind === 'unknown') return { status: 'unknown', message: p.why, evidence };
      const flagsSet = isSet(cert) && isSet(key);
      const missing = [isSet(cert) ? '' : describe('cert-file', cert), isSet(key) ? '' : describe('key-file', key)].filter(Boolean).join('; ');
      const flagFixes = [
        ...(isSet(cert) ? [] : [fixFlag(c, 'cert-file', '--cert-file=/etc/kubernetes/pki/etcd/server.crt')]),
        ...(isSet(key) ? [] : [fixFlag(c, 'key-file', '--key-file=/etc/kubernetes/pki/etcd/server.key')]),
      ];
      if (p.plain.length > 0) {
        const list = p.plain.map((x) => x.u).join(', ');
        return {
          status: 'fail',
          ...(p.severity !== 'high' ? { severity: p.severity } : {}),
          message: flagsSet
            ? `etcd serves clients in plain text on ${list} (${p.where}): on an http:// or unix:// URL it ignores ${describe('cert-file', cert)} and ${describe('key-file', key)} (CIS 2.1 as written, both flags set, is met; see etcd-client-plain-http)`
            : `etcd has no serving certificate for clients (${missing}) and serves them in plain text on ${list} (${p.where}; see etcd-client-plain-http)`,
          evidence,
          remediation: [...flagFixes, plainClientFix(c)].join(' '),
        };
      }
      const advNote = advPlain.length > 0 ? `; it advertises ${advPlain.join(', ')} (${describe('advertise-client-urls', adv)}), which no listener serves in plain text, so a client that uses that URL fails to connect rather than talk in the clear` : '';
      if (flagsSet) return { status: 'pass', message: `every client listener uses TLS (${p.where}) with ${describe('cert-file', cert)}, ${describe('key-file', key)}${advNote}`, evidence };
      return {
        status: 'fail',
        message: `etcd has no serving certificate for clients: ${missing}; its TLS listeners (${p.where}) use a certificate it makes itself (--auto-tls) or etcd does not start`,
        evidence,
        remediation: flagFixes.join(' '),
      };
    }),
};

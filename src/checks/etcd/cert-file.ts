// CIS 2.1: --cert-file and --key-file (kubelet-facts §7). Without them etcd serves clients over
// plain http, or with --auto-tls a throwaway self-signed certificate nobody can verify.
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, isSet } from './common.ts';

export const etcdCertFile: Check = {
  meta: {
    id: 'etcd-cert-file',
    title: 'etcd serves clients with its own TLS certificate',
    section: 'etcd',
    severity: 'high',
    cis: ['2.1'],
    setting: '--cert-file',
    rationale: 'Without a serving certificate and key, traffic between the API server and etcd (every Secret, every token) is not protected by TLS that the API server can verify.',
    remediation: 'Set --cert-file and --key-file (kubeadm: /etc/kubernetes/pki/etcd/server.crt and server.key) in /etc/kubernetes/manifests/etcd.yaml.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const cert = etcdSetting(c, 'cert-file');
      const key = etcdSetting(c, 'key-file');
      const evidence = [...settingEvidence(c, 'cert-file', cert, 'not set'), ...settingEvidence(c, 'key-file', key, 'not set')];
      const why = [cert, key].find((s) => s.kind === 'unknown');
      if (why?.kind === 'unknown') return { status: 'unknown', message: why.why, evidence };
      if (isSet(cert) && isSet(key)) return { status: 'pass', message: `etcd has a serving certificate: ${describe('cert-file', cert)}, ${describe('key-file', key)}`, evidence };
      const fixes = [
        ...(isSet(cert) ? [] : [fixFlag(c, 'cert-file', '--cert-file=/etc/kubernetes/pki/etcd/server.crt')]),
        ...(isSet(key) ? [] : [fixFlag(c, 'key-file', '--key-file=/etc/kubernetes/pki/etcd/server.key')]),
      ];
      return {
        status: 'fail',
        message: `etcd has no serving certificate for clients: ${[isSet(cert) ? '' : describe('cert-file', cert), isSet(key) ? '' : describe('key-file', key)].filter(Boolean).join('; ')}`,
        evidence,
        remediation: fixes.join(' '),
      };
    }),
};

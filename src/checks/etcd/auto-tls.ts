// CIS 2.3: --auto-tls is not true (kubelet-facts §7). With it etcd makes itself a self-signed
// certificate that clients cannot verify. etcd ignores it while --cert-file or --key-file is given
// (embed ClientSelfCert: "ignoring client auto TLS since certs given"): still a CIS failure, of
// low weight, since removing the certificate flags would switch it on. The title says what CIS
// checks (the flag), not that etcd's certificate is not self-signed: a --cert-file may be one.
import type { Check } from '../types.ts';
import { fixFlag, flagFix, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdBool, etcdSetting, isSet } from './common.ts';

export const etcdAutoTls: Check = {
  meta: {
    id: 'etcd-auto-tls',
    title: 'etcd is not told to make a self-signed client certificate (--auto-tls is not true)',
    section: 'etcd',
    severity: 'high',
    emits: [{ severity: 'low', when: '--auto-tls is true but --cert-file or --key-file is given: etcd ignores it, and would use it only if the certificate flags were removed' }],
    cis: ['2.3'],
    setting: '--auto-tls',
    rationale: 'With --auto-tls etcd serves clients a self-signed certificate it made itself: clients cannot tell it from an impostor, so the TLS only hides traffic from passive eavesdroppers.',
    remediation: 'Remove --auto-tls (or set --auto-tls=false) in /etc/kubernetes/manifests/etcd.yaml and give etcd --cert-file and --key-file.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c) => {
      const { s, on } = etcdBool(c, 'auto-tls');
      const evidence = settingEvidence(c, 'auto-tls', s, 'not set: etcd defaults to false');
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      if (!on) return { status: 'pass', message: `etcd does not make a self-signed client certificate: ${describe('auto-tls', s)}`, evidence };
      const certs = isSet(etcdSetting(c, 'cert-file')) || isSet(etcdSetting(c, 'key-file'));
      return {
        status: 'fail',
        ...(certs ? { severity: 'low' as const } : {}),
        message: certs
          ? `${describe('auto-tls', s)}; etcd ignores it while --cert-file/--key-file are given, but would serve a self-signed certificate if they were removed`
          : `etcd serves clients a self-signed certificate it made itself: ${describe('auto-tls', s)}`,
        evidence,
        // without certificates of its own, turning it off would leave etcd without TLS: only then a person decides
        ...(certs ? flagFix(facts, c, 'auto-tls', '--auto-tls=false') : { remediation: fixFlag(c, 'auto-tls', '--auto-tls=false'), noFix: 'etcd has no --cert-file and --key-file: certificates must be issued first (kubeadm init phase certs etcd-*)' }),
      };
    }),
};

// CIS 4.2.9 asks exactly this: that tlsCertFile and tlsPrivateKeyFile (--tls-cert-file,
// --tls-private-key-file) are set "as appropriate" (a Manual recommendation: its audit only looks
// that both are there). It says nothing of the certificate itself, so neither does this check: a
// pass names the files, and what they hold (CA-signed, not expired, strong key) is judged by the
// certificates section (cert-serving-ca-signed is the authority for "CA-signed, not self-signed"),
// which reads the file. The title therefore claims only the configuration, so the two never
// contradict each other: tlsCertFile naming a self-signed, expired, 1024-bit certificate passes
// here ("set") and fails there ("self-signed"), each title true.
//
// With tlsCertFile and tlsPrivateKeyFile both empty and serverTLSBootstrap false, the kubelet
// serves <cert-dir>/kubelet.crt, which it generates self-signed at start when it cannot read it
// (kubelet-facts §1; cmd/kubelet/app/server.go InitializeTLS). With serverTLSBootstrap true it
// requests a serving certificate from the API server by CSR instead, which CIS accepts too (its
// rationale is a serving certificate the API server can verify).
import path from 'node:path';
import type { NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, fixSetting, lookup } from '../setting.ts';

const CERT = 'tlsCertFile';
const KEY = 'tlsPrivateKeyFile';
const BOOTSTRAP = 'serverTLSBootstrap';
const JUDGED = 'CIS 4.2.9 asks no more; whether the certificate is CA-signed, unexpired and strong is judged from the file by cert-serving-ca-signed, cert-not-expired and cert-strong-key';

export const tlsCertFiles: Check = {
  meta: {
    id: 'kubelet-tls-cert-files',
    title: 'A serving certificate is configured (tlsCertFile and tlsPrivateKeyFile) or requested from the cluster CA (serverTLSBootstrap)',
    section: 'cis-4.2',
    severity: 'high', // as cert-serving-ca-signed: both fail on one fact, the kubelet's self-generated pair
    cis: ['4.2.9'],
    setting: CERT,
    rationale:
      'CIS 4.2.9 asks only that the kubelet be given its serving certificate and key (or, here also accepted, request one by CSR with serverTLSBootstrap); whether the certificate it serves is CA-signed, unexpired and strong is judged from the file by cert-serving-ca-signed, cert-not-expired and cert-strong-key. Without either, the kubelet generates a self-signed certificate, and with a self-signed serving certificate nothing can verify the kubelet: the API server checks kubelet certificates only with --kubelet-certificate-authority, which a self-signed certificate cannot pass, so clients connect unverified and anyone able to intercept traffic to port 10250 can impersonate the kubelet and read the exec sessions, logs and credentials sent to it.',
    remediation:
      'Set serverTLSBootstrap: true in the kubelet config file (and approve the kubelet-serving CSRs), or set tlsCertFile and tlsPrivateKeyFile to a certificate signed by the cluster CA, then restart the kubelet.',
    noFix: 'a serving certificate comes from the cluster CA (serverTLSBootstrap and an approved kubelet-serving CSR, or files it signed): the files alone cannot be edited into one',
  },
  evaluate: (facts): CheckResult => {
    const cert = lookup(facts, CERT);
    const key = lookup(facts, KEY);
    const boot = lookup(facts, BOOTSTRAP);
    const evidence: Evidence[] = [];
    for (const [k, l] of [[CERT, cert], [KEY, key], [BOOTSTRAP, boot]] as const) if (l.ok) evidence.push(evidenceOf(k, l.s));

    if (boot.ok && boot.s.value === true) {
      return {
        status: 'pass',
        message: `serverTLSBootstrap is on: the kubelet requests its serving certificate by CSR (signer kubernetes.io/kubelet-serving; such CSRs are not auto-approved by kube-controller-manager, so they need an approver); ${describeSource(boot.s)}. ${JUDGED}`,
        evidence,
      };
    }
    const set = (l: typeof cert) => l.ok && typeof l.s.value === 'string' && l.s.value !== '';
    if (set(cert) && set(key) && cert.ok && key.ok && cert.s.source.kind === 'configz' && ownPair(String(cert.s.value), String(key.s.value))) {
      // The live /configz is published after InitializeTLS, which writes <cert-dir>/kubelet.crt and
      // .key into tlsCertFile/tlsPrivateKeyFile when neither was set (cmd/kubelet/app/server.go:
      // UnsecuredDependencies runs before run() calls initConfigz): configz cannot tell that
      // self-generated pair from files the kubelet was given.
      return {
        status: 'unknown',
        message: `the live configuration names ${String(cert.s.value)}, the kubelet's own pair: the kubelet fills these paths in when neither tlsCertFile nor tlsPrivateKeyFile is set (and then generates a self-signed certificate), so /configz cannot tell whether they were set; audit the node itself (kubelet-guard node)`,
        evidence,
      };
    }
    if (set(cert) && set(key) && cert.ok) {
      return { status: 'pass', message: `tlsCertFile and tlsPrivateKeyFile are set: the kubelet serves ${String(cert.s.value)}; ${describeSource(cert.s)}. ${JUDGED}`, evidence };
    }
    for (const [k, l] of [[BOOTSTRAP, boot], [CERT, cert], [KEY, key]] as const) {
      if (!l.ok) return { status: 'unknown', message: `${k} cannot be known: ${l.why}`, evidence };
    }
    if (set(cert) !== set(key)) {
      const only = set(cert) ? CERT : KEY;
      return { status: 'fail', message: `only ${only} is set: the kubelet needs both files of the pair`, evidence, remediation: remedy(facts, set(cert) ? KEY : CERT) };
    }
    const certDir = facts.kubelet.effective['--cert-dir'];
    const dir = certDir && !certDir.unknown && typeof certDir.value === 'string' && certDir.value !== '' ? certDir.value : '/var/lib/kubelet/pki';
    return {
      status: 'fail',
      message: `neither tlsCertFile/tlsPrivateKeyFile nor serverTLSBootstrap is set: the kubelet serves ${path.posix.join(dir, 'kubelet.crt')}, which it generates self-signed when it cannot read it (cert-serving-ca-signed judges the file)`,
      evidence,
      remediation: remedy(facts, CERT),
    };
  },
};

/** <dir>/kubelet.crt with <dir>/kubelet.key: the pair InitializeTLS fills in and generates. */
function ownPair(cert: string, key: string): boolean {
  const dir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  return cert.endsWith('/kubelet.crt') && key.endsWith('/kubelet.key') && dir(cert) === dir(key);
}

function remedy(facts: NodeFacts, missing: string): string {
  const boot = fixSetting(facts, BOOTSTRAP, true);
  return `${boot.replace(/; then restart.*$/, '')} and approve the node's kubelet-serving CSR (kubectl certificate approve), or set ${missing === CERT ? 'tlsCertFile and tlsPrivateKeyFile' : missing} to a certificate and key signed by the cluster CA; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).`;
}

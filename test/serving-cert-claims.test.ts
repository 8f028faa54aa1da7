// Issue 10 §1: a check's title is a claim, and two findings about one certificate never contradict
// each other. Real certificates minted here with openssl, read by the real node source from a
// kubeadm-like tree, judged by every node check: CIS 4.2.9 (kubelet-tls-cert-files) claims only
// that a serving certificate is configured; cert-serving-ca-signed, cert-not-expired and
// cert-strong-key are the authorities for what the file holds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { runChecks } from '../src/checks/run.ts';
import type { Finding } from '../src/checks/types.ts';
import { CONFIG, GOOD_CONFIG, kubeadmTree } from './node-tree.ts';
import { tempDir } from './support/tmp.ts';

let work = '';
const pem: Record<string, string> = {};

function ossl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}
const read = (f: string) => fs.readFileSync(path.join(work, f), 'utf8');

before(() => {
  work = tempDir('kg-claims-');
  fs.writeFileSync(path.join(work, 'leaf.ext'), 'basicConstraints = CA:false\nsubjectAltName = DNS:node1\n');
  // A self-signed, expired (2020), RSA-1024 serving certificate: openssl ca -selfsign, which (unlike
  // req -x509 in openssl 3.0) takes explicit dates.
  fs.mkdirSync(path.join(work, 'db/new'), { recursive: true });
  fs.writeFileSync(path.join(work, 'db/index.txt'), '');
  fs.writeFileSync(path.join(work, 'db/serial'), '1000\n');
  fs.writeFileSync(
    path.join(work, 'ca.cnf'),
    '[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = db/index.txt\nnew_certs_dir = db/new\nserial = db/serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[ p ]\ncommonName = supplied\n[ leaf ]\nbasicConstraints = CA:false\n',
  );
  ossl('req', '-new', '-newkey', 'rsa:1024', '-nodes', '-keyout', 'old.key', '-out', 'old.csr', '-subj', '/CN=node1');
  ossl('ca', '-batch', '-config', 'ca.cnf', '-notext', '-selfsign', '-keyfile', 'old.key', '-in', 'old.csr', '-out', 'old.crt', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'leaf');
  // A cluster CA and a CA-signed, current EC P-256 serving certificate.
  ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=kubernetes', '-days', '3650');
  ossl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'good.key', '-out', 'good.csr', '-subj', '/CN=system:node:node1');
  ossl('x509', '-req', '-in', 'good.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'good.crt', '-days', '365', '-extfile', 'leaf.ext');
  // Self-signed under a borrowed name: signed by its own key, yet naming CN=kubernetes as issuer.
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'forged.key', '-out', 'forged-ca.crt', '-subj', '/CN=kubernetes', '-days', '3650');
  ossl('req', '-new', '-key', 'forged.key', '-out', 'forged.csr', '-subj', '/CN=system:node:node1');
  ossl('x509', '-req', '-in', 'forged.csr', '-CA', 'forged-ca.crt', '-CAkey', 'forged.key', '-CAcreateserial', '-out', 'forged.crt', '-days', '365', '-extfile', 'leaf.ext');
  for (const n of ['old', 'good', 'forged']) {
    pem[`${n}.crt`] = read(`${n}.crt`);
    pem[`${n}.key`] = read(`${n}.key`);
  }
  pem['ca.crt'] = read('ca.crt');
});

/** Every node finding on a kubeadm tree whose config file gets `extra` and whose files are `files`. */
function audit(extra: string, files: Record<string, string>): Finding[] {
  const root = kubeadmTree({ [CONFIG]: GOOD_CONFIG + extra, '/etc/kubernetes/pki/ca.crt': pem['ca.crt']!, ...files });
  for (const p of Object.keys(files)) if (p.endsWith('.key')) fs.chmodSync(path.join(root, p), 0o600);
  return runChecks(NODE_CHECKS, gatherNodeFacts({ root, now: new Date() }));
}

const TLS = 'tlsCertFile: /etc/kubernetes/pki/kubelet-serving.crt\ntlsPrivateKeyFile: /etc/kubernetes/pki/kubelet-serving.key\n';
const files = (n: string) => ({ '/etc/kubernetes/pki/kubelet-serving.crt': pem[`${n}.crt`]!, '/etc/kubernetes/pki/kubelet-serving.key': pem[`${n}.key`]! });

function only(fs: Finding[], check: string, subject?: string): Finding {
  const xs = fs.filter((f) => f.check === check && (subject === undefined || f.subject === subject));
  assert.equal(xs.length, 1, `${check}: ${xs.length} findings`);
  return xs[0]!;
}

/** Claims about the serving certificate a title may make; a pass must not make one that is false. */
const CLAIMS: Array<{ claim: RegExp; about: 'ca-signed' | 'valid' | 'strong' }> = [
  { claim: /CA-signed|signed by a CA|not self-signed/i, about: 'ca-signed' },
  { claim: /\bvalid\b|not (about to )?expire/i, about: 'valid' },
  { claim: /strong key/i, about: 'strong' },
];

function assertNoPassClaims(findings: Finding[], falseAbout: Array<'ca-signed' | 'valid' | 'strong'>): void {
  for (const f of findings.filter((x) => x.status === 'pass')) {
    for (const c of CLAIMS) {
      if (falseAbout.includes(c.about) && f.subject === undefined) assert.doesNotMatch(f.title, c.claim, `${f.check} passes under a title that claims the certificate is ${c.about}`);
    }
  }
}

test('a self-signed, expired, 1024-bit tlsCertFile: CIS 4.2.9 passes only what it claims (configured); the certificate checks fail it', () => {
  const fs = audit(TLS, files('old'));
  const cis = only(fs, 'kubelet-tls-cert-files');
  assert.equal(cis.status, 'pass');
  assert.doesNotMatch(cis.title, /CA-signed|self-signed|valid|strong/i);
  assert.match(cis.message, /cert-serving-ca-signed/);
  const signed = only(fs, 'cert-serving-ca-signed');
  assert.equal(signed.status, 'fail');
  assert.match(signed.message, /self-signed/);
  assert.equal(only(fs, 'cert-not-expired', '/etc/kubernetes/pki/kubelet-serving.crt').status, 'fail');
  assert.equal(only(fs, 'cert-strong-key', '/etc/kubernetes/pki/kubelet-serving.crt').status, 'fail');
  assertNoPassClaims(fs, ['ca-signed', 'valid', 'strong']);
});

test('the kubelet generates its own pair (no tlsCertFile, no serverTLSBootstrap): both findings fail, with one severity', () => {
  const fs = audit('', { '/var/lib/kubelet/pki/kubelet.crt': pem['old.crt']!, '/var/lib/kubelet/pki/kubelet.key': pem['old.key']! });
  const cis = only(fs, 'kubelet-tls-cert-files');
  const signed = only(fs, 'cert-serving-ca-signed');
  assert.equal(cis.status, 'fail');
  assert.equal(signed.status, 'fail');
  assert.equal(cis.severity, signed.severity);
  assertNoPassClaims(fs, ['ca-signed', 'valid', 'strong']);
});

test('the kubelet pair is not written yet: both fail, with one severity', () => {
  const fs = audit('', {});
  const cis = only(fs, 'kubelet-tls-cert-files');
  const signed = only(fs, 'cert-serving-ca-signed');
  assert.deepEqual([cis.status, signed.status], ['fail', 'fail']);
  assert.equal(cis.severity, signed.severity);
});

test('a certificate signed by its own key is self-signed even when it names another issuer', () => {
  const fs = audit(TLS, files('forged'));
  const signed = only(fs, 'cert-serving-ca-signed');
  assert.equal(signed.status, 'fail');
  assert.match(signed.message, /its own key signs it .*naming CN=kubernetes as issuer/);
  assertNoPassClaims(fs, ['ca-signed']);
});

test('a CA-signed, current EC P-256 tlsCertFile: every title about it is true and passes', () => {
  const fs = audit(TLS, files('good'));
  assert.equal(only(fs, 'kubelet-tls-cert-files').status, 'pass');
  const signed = only(fs, 'cert-serving-ca-signed');
  assert.equal(signed.status, 'pass');
  assert.match(signed.message, /signed by CN=kubernetes/);
  assert.equal(only(fs, 'cert-not-expired', '/etc/kubernetes/pki/kubelet-serving.crt').status, 'pass');
  assert.equal(only(fs, 'cert-strong-key', '/etc/kubernetes/pki/kubelet-serving.crt').status, 'pass');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG, one } from '../fixtures.ts';
import { servingCaSigned } from './serving-ca-signed.ts';
import { certs, clientCA, PKI, serving, stat } from './test-support.ts';
import { ORIGIN } from './common.ts';

const selfSignedPath = `${PKI}/kubelet.crt`;

test('pass: tlsCertFile signed by the cluster CA', () => {
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(serving(), clientCA()) }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /signed by CN=kubernetes/);
  assert.match(r.message, /--kubelet-certificate-authority/);
});

test('fail: a plain self-signed certificate', () => {
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(serving({ path: selfSignedPath, origin: ORIGIN.selfSigned, issuer: 'CN=node1', subject: 'CN=node1', selfSigned: true })) }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /self-signed/);
  assert.match(r.remediation ?? '', /serverTLSBootstrap: true/);
});

test("fail: the kubelet's own pair, a leaf signed by its throwaway CA shipped in the same file", () => {
  const fact = serving({
    path: selfSignedPath,
    origin: ORIGIN.selfSigned,
    subject: 'CN=node1@1700000000',
    issuer: 'CN=node1-ca@1700000000',
    selfSigned: false,
    keyType: 'rsa',
    keyBits: 2048,
    chain: [{ subject: 'CN=node1-ca@1700000000', issuer: 'CN=node1-ca@1700000000', selfSigned: true, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', keyType: 'rsa', keyBits: 2048 }],
  });
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(fact) }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /throwaway CA CN=node1-ca@1700000000/);
});

test('pass: a full chain up to a root that is not the kubelet throwaway CA', () => {
  const fact = serving({ issuer: 'CN=intermediate', chain: [{ subject: 'CN=intermediate', issuer: 'CN=corp-root', selfSigned: false }, { subject: 'CN=corp-root', issuer: 'CN=corp-root', selfSigned: true }] });
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(fact) }));
  assert.equal(r.status, 'pass');
});

test('fail: kubelet.crt not generated yet, but the configuration decides the kubelet self-signs', () => {
  const fact = serving({ path: selfSignedPath, origin: ORIGIN.selfSigned, stat: stat(selfSignedPath, { exists: false }), error: 'missing', subject: undefined, issuer: undefined, selfSigned: undefined });
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(fact) }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /does not exist yet.*writes a self-signed certificate/);
});

test('unknown: serverTLSBootstrap on, no certificate issued yet', () => {
  const p = `${PKI}/kubelet-server-current.pem`;
  const fact = serving({ path: p, origin: ORIGIN.rotatedServer, stat: stat(p, { exists: false }), error: 'missing' });
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG + 'serverTLSBootstrap: true\n', patch: certs(fact) }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /not issued yet.*kubectl get csr/);
});

test('unknown: the certificate file cannot be read', () => {
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(serving({ error: 'EACCES: permission denied', subject: undefined })) }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /EACCES/);
});

test('unknown: no kubelet found', () => {
  const r = one(servingCaSigned, factsFrom({ missing: 'no kubelet process and no kubelet.service unit' }));
  assert.equal(r.status, 'unknown');
});

test('unknown: no serving certificate in the evidence', () => {
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(clientCA()) }));
  assert.equal(r.status, 'unknown');
});

test('not-applicable: enableServer false', () => {
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG + 'enableServer: false\n', patch: certs(serving({ selfSigned: true })) }));
  assert.equal(r.status, 'not-applicable');
});

test('pass: a k3s/RKE2 serving certificate, named after the node and signed by k3s-server-ca@<unix> shipped after it (not the kubelet throwaway pair)', () => {
  const fact = serving({
    path: '/var/lib/rancher/k3s/agent/serving-kubelet.crt',
    subject: 'CN=k3s-server-1',
    issuer: 'CN=k3s-server-ca@1793696400',
    chain: [{ subject: 'CN=k3s-server-ca@1793696400', issuer: 'CN=k3s-server-ca@1793696400', selfSigned: true }],
  });
  const r = one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(fact) }));
  assert.equal(r.status, 'pass');
  // a host named "k3s-server" whose kubelet self-signs: the leaf "<host>@<unix>" still shows the pair
  const pair = serving({ path: selfSignedPath, origin: ORIGIN.selfSigned, subject: 'CN=k3s-server@1793696400', issuer: 'CN=k3s-server-ca@1793696400', chain: [{ subject: 'CN=k3s-server-ca@1793696400', issuer: 'CN=k3s-server-ca@1793696400', selfSigned: true }] });
  assert.equal(one(servingCaSigned, factsFrom({ config: KUBEADM_CONFIG, patch: certs(pair) })).status, 'fail');
});

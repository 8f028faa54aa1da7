import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { notExpired } from './not-expired.ts';
import { about, arr, certs, client, clientCA, serving } from './test-support.ts';
import { ORIGIN } from './common.ts';

// facts.now is 2026-11-23T00:00:00Z
const run = (...list: Parameters<typeof certs>) => notExpired.evaluate(factsFrom({ config: KUBEADM_CONFIG, patch: certs(...list) }));

test('pass: every certificate valid for more than 30 days, one result each', () => {
  const r = arr(run(serving(), client(), clientCA()));
  assert.equal(r.length, 3);
  assert.ok(r.every((x) => x.status === 'pass'), JSON.stringify(r));
  assert.match(about(r, '/etc/kubernetes/pki/kubelet-serving.crt').message, /valid until 2027-12-31/);
});

test('fail high: an expired serving certificate', () => {
  const r = about(run(serving({ notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2021-01-01T00:00:00.000Z' })), '/etc/kubernetes/pki/kubelet-serving.crt');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.match(r.message, /expired on 2021-01-01/);
});

test('fail medium: a hand-managed certificate expiring in 10 days', () => {
  const r = about(run(serving({ notAfter: '2026-12-03T00:00:00.000Z' })), '/etc/kubernetes/pki/kubelet-serving.crt');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /in 10 days/);
});

test('fail medium: not valid yet (clock)', () => {
  const r = about(run(serving({ notBefore: '2027-01-01T00:00:00.000Z' })), '/etc/kubernetes/pki/kubelet-serving.crt');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /not valid before/);
});

test('a chain member is judged on its own: an expired intermediate behind a valid leaf', () => {
  const p = '/var/lib/kubelet/pki/kubelet-server-current.pem';
  const fact = serving({ path: p, origin: ORIGIN.rotatedServer, chain: [{ subject: 'CN=expired-intermediate', issuer: 'CN=kubernetes', notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2021-01-01T00:00:00.000Z' }] });
  const r = run(fact);
  assert.equal(about(r, `${p}#1`).status, 'pass');
  const inter = about(r, `${p}#2`);
  assert.equal(inter.status, 'fail');
  assert.equal(inter.severity, 'high');
  assert.match(inter.message, /CN=expired-intermediate \(certificate 2 of the file\)/);
});

test('every CA of a client CA bundle', () => {
  const ca = clientCA({ chain: [{ subject: 'CN=old-ca', issuer: 'CN=old-ca', selfSigned: true, notBefore: '2015-01-01T00:00:00.000Z', notAfter: '2025-01-01T00:00:00.000Z' }] });
  const r = run(ca);
  assert.equal(about(r, '/etc/kubernetes/pki/ca.crt#1').status, 'pass');
  assert.equal(about(r, '/etc/kubernetes/pki/ca.crt#2').status, 'fail');
});

test('pass: a short-lived rotated client certificate early in its life (rotation renews it at 70–90%)', () => {
  // 7-day certificate, 2 days used, 5 days left
  const r = about(run(client({ notBefore: '2026-11-21T00:00:00.000Z', notAfter: '2026-11-28T00:00:00.000Z' })), '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.equal(r.status, 'pass');
  assert.match(r.message, /renews it at 70–90%/);
});

test('fail medium: a rotated client certificate past 90% of its lifetime (rotation failing)', () => {
  // 100-day certificate, 95 days used
  const r = about(run(client({ notBefore: '2026-08-20T00:00:00.000Z', notAfter: '2026-11-28T00:00:00.000Z' })), '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /rotation is failing/);
});

test('the rotation allowance needs rotation on: rotateCertificates false gets the 30-day rule', () => {
  const f = factsFrom({ config: KUBEADM_CONFIG.replace('rotateCertificates: true', 'rotateCertificates: false'), patch: certs(client({ notBefore: '2026-11-21T00:00:00.000Z', notAfter: '2026-11-28T00:00:00.000Z' })) });
  const r = about(notExpired.evaluate(f), '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.equal(r.status, 'fail');
});

test('unknown: an unreadable certificate, next to the others', () => {
  const r = run(serving(), client({ error: 'EACCES: permission denied', subject: undefined, notAfter: undefined, notBefore: undefined }));
  assert.equal(about(r, '/etc/kubernetes/pki/kubelet-serving.crt').status, 'pass');
  const c = about(r, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.equal(c.status, 'unknown');
  assert.match(c.message, /EACCES/);
});

test('unknown: no kubelet found', () => {
  const r = arr(notExpired.evaluate(factsFrom({ missing: 'no kubelet' })));
  assert.equal(r.length, 1);
  assert.equal(r[0]!.status, 'unknown');
});

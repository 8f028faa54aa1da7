import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one } from './test-support.ts';
import { kubeletSelfSignedCert as check } from './kubelet-self-signed-cert.ts';

test('fail: self-signed serving certificate', () => {
  const r = one(check, endpoint({ tls: { subject: 'CN=node-1@1700000000', issuer: 'CN=node-1-ca@1700000000', selfSigned: true, fingerprint256: 'AB:CD' } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /self-signed certificate \(CN=node-1@1700000000\)/);
  assert.match(r.evidence?.[0]?.note ?? '', /SHA-256 AB:CD/);
  assert.match(check.meta.remediation, /serverTLSBootstrap: true/);
  assert.match(check.meta.remediation, /kubectl certificate approve/);
});

test('pass: issued by the cluster CA', () => {
  const r = one(check, endpoint({ tls: { subject: 'CN=system:node:node-1', issuer: 'CN=kubernetes', selfSigned: false } }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /issued by CN=kubernetes/);
});

test('unknown: no certificate read, or not decided', () => {
  assert.equal(one(check, endpoint({})).status, 'unknown');
  assert.match(one(check, endpoint({ tls: { error: 'certificate not parsed: bad DER' } })).message, /bad DER/);
  assert.equal(one(check, endpoint({ tls: { subject: 'CN=x' } })).status, 'unknown');
});

test('not-applicable when closed; nothing for plain-HTTP ports', () => {
  assert.equal(one(check, endpoint({ state: 'closed' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ service: 'kubelet-read-only', port: 10255 })), []);
});

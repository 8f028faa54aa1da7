import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one } from './test-support.ts';
import { kubeletWeakTls as check } from './kubelet-weak-tls.ts';

test('fail: TLS 1.0 and a weak suite accepted', () => {
  const r = one(check, endpoint({ tls: { protocols: ['TLSv1', 'TLSv1.2', 'TLSv1.3'], weakCiphers: ['ECDHE-RSA-DES-CBC3-SHA'] } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /accepts the old protocol TLSv1 and the weak cipher suite ECDHE-RSA-DES-CBC3-SHA/);
  assert.match(check.meta.remediation, /tlsMinVersion: VersionTLS12/);
  assert.match(check.meta.remediation, /tlsCipherSuites: \[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256/);
});

test('fail: old protocol even when the ciphers were not probed', () => {
  assert.equal(one(check, endpoint({ tls: { protocols: ['TLSv1.1', 'TLSv1.2'] } })).status, 'fail');
});

test('pass: TLS 1.2+ and no weak suite', () => {
  const r = one(check, endpoint({ tls: { protocols: ['TLSv1.2', 'TLSv1.3'], weakCiphers: [] } }));
  assert.equal(r.status, 'pass');
});

test('unknown, not pass: a weak suite not told (issue 10: the title claims every suite)', () => {
  const r = one(check, endpoint({ tls: { protocols: ['TLSv1.2', 'TLSv1.3'], weakCiphers: [], weakCiphersUntold: ['DES-CBC3-SHA'] } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /whether it accepts DES-CBC3-SHA was not told/);
});

test('unknown: TLS 1.0/1.1 not told (no answer)', () => {
  const r = one(check, endpoint({ tls: { protocols: ['TLSv1.2', 'TLSv1.3'], weakCiphers: [], protocolsUntold: ['TLSv1', 'TLSv1.1'] } }));
  assert.equal(r.status, 'unknown');
  // only TLS 1.3 not told: the old versions were refused, so the verdict stands
  assert.equal(one(check, endpoint({ tls: { protocols: ['TLSv1.2'], weakCiphers: [], protocolsUntold: ['TLSv1.3'] } })).status, 'pass');
});

test('unknown: versions or ciphers not probed', () => {
  assert.equal(one(check, endpoint({ tls: { subject: 'CN=x' } })).status, 'unknown');
  assert.equal(one(check, endpoint({})).status, 'unknown');
  const r = one(check, endpoint({ tls: { protocols: ['TLSv1.3'] } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /weak cipher suites were not probed/);
});

test('not-applicable when closed; nothing for etcd', () => {
  assert.equal(one(check, endpoint({ state: 'closed' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ service: 'etcd' })), []);
});

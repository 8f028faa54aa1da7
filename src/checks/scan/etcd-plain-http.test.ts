import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one } from './test-support.ts';
import { etcdPlainHttp as check } from './etcd-plain-http.ts';

const etcd = { service: 'etcd' as const, port: 2379 };

test('fail: plain HTTP', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: false, clientCertRequired: false, version: '3.5.16' } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /plain HTTP \(etcd 3\.5\.16\)/);
  assert.match(check.meta.remediation, /https:\/\/127\.0\.0\.1:2379/);
});

test('pass: TLS, and a plain-HTTP request to the same port refused', () => {
  assert.equal(one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true, plainHttp: false } })).status, 'pass');
});

test('fail: TLS and plain HTTP on the same port (etcd serves both when told); unknown when plain HTTP was not told', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true, plainHttp: true } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /ALSO over plain HTTP/);
  assert.equal(one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true } })).status, 'unknown');
  assert.equal(one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true, plainHttp: null } })).status, 'unknown');
});

test('unknown: transport not decided', () => {
  const r = one(check, endpoint({ ...etcd, notes: ['no answer over TLS nor plain HTTP'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /no answer over TLS/);
});

test('not-applicable when filtered; nothing for kubelets', () => {
  assert.equal(one(check, endpoint({ ...etcd, state: 'filtered' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint()), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one } from './test-support.ts';
import { etcdPeerExposed as check } from './etcd-peer-exposed.ts';

const peer = { service: 'etcd-peer' as const, port: 2380 };

test('fail: peer port reachable, no peer certificate asked', () => {
  const r = one(check, endpoint({ ...peer, etcd: { tls: true, clientCertRequired: false } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, undefined); // high
  assert.match(r.message, /accepts peers without a client certificate/);
  assert.match(check.meta.remediation, /--peer-client-cert-auth=true/);
  assert.match(check.meta.remediation, /--dport 2380/);
});

test('fail, critical: plain HTTP peer port', () => {
  assert.equal(one(check, endpoint({ ...peer, etcd: { tls: false, clientCertRequired: false } })).severity, 'critical');
});

test('fail, medium: reachable but mutual TLS', () => {
  const r = one(check, endpoint({ ...peer, etcd: { tls: true, clientCertRequired: true } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
});

test('fail (the check\'s severity): reachable etcd, peer authentication not decided', () => {
  const r = one(check, endpoint({ ...peer, etcd: { tls: true, clientCertRequired: null } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /could not be told/);
});

test('unknown: open, but not seen to be etcd', () => {
  const r = one(check, endpoint({ ...peer, notes: ['no answer over TLS (headers-timeout) nor plain HTTP (reset)'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /did not answer like etcd: no answer over TLS/);
});

test('pass: closed or filtered', () => {
  assert.equal(one(check, endpoint({ ...peer, state: 'closed' })).status, 'pass');
  assert.equal(one(check, endpoint({ ...peer, state: 'filtered' })).status, 'pass');
});

test('nothing for the client port or something that is not etcd', () => {
  assert.deepEqual(all(check, endpoint({ service: 'etcd', port: 2379 })), []);
  assert.deepEqual(all(check, endpoint({ service: 'other', port: 2380 })), []);
});

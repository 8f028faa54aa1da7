import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { kubeletAnonymous as check } from './kubelet-anonymous.ts';

test('fail: anonymous accepted, Webhook denies: the user is named, RBAC to system:anonymous is the risk', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'Webhook', user: 'system:anonymous', fineGrained: true, probes: [probe('GET', '/pods', 403)] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, undefined); // the check's own: high
  assert.equal(check.meta.severity, 'high');
  assert.match(r.message, /accepts anonymous requests as system:anonymous; the API server \(Webhook\) denied every probe/);
  assert.match(r.message, /system:unauthenticated/);
  assert.match(r.message, /fine-grained/);
  assert.match(check.meta.remediation, /authentication\.anonymous\.enabled: false/);
  assert.match(check.meta.remediation, /system:\(anonymous\|unauthenticated\)/);
});

test('fail, critical: RBAC gives system:anonymous nodes/proxy (exec reached)', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'Webhook', reachable: ['pods', 'exec'] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'critical');
  assert.match(r.message, /RBAC grants that user pods, exec: .*command execution/);
});

test('fail, high: RBAC gives system:anonymous read access', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'Webhook', reachable: ['metrics'] }));
  assert.equal(r.severity, 'high');
});

test('fail: anonymous with AlwaysAllow points at the critical check', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'AlwaysAllow' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'critical');
  assert.match(r.message, /exposure-kubelet-anonymous-alwaysallow/);
});

test('pass: 401 for requests without credentials', () => {
  assert.equal(one(check, endpoint({ anonymous: false })).status, 'pass');
});

test('unknown: anonymous could not be told', () => {
  const r = one(check, endpoint({ anonymous: null, notes: ['connection reset during TLS'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /connection reset/);
});

test('not-applicable when closed; nothing for the read-only port', () => {
  assert.equal(one(check, endpoint({ state: 'closed' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ service: 'kubelet-read-only', port: 10255 })), []);
});

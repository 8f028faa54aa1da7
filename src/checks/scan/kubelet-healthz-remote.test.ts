import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { kubeletHealthzRemote as check } from './kubelet-healthz-remote.ts';

const hz = { service: 'kubelet-healthz' as const, port: 10248 };

test('fail: 10248 answers from the scanner', () => {
  const r = one(check, endpoint({ ...hz, reachable: ['healthz'], probes: [probe('GET', '/healthz', 200)] }));
  assert.equal(r.status, 'fail');
  assert.equal(check.meta.severity, 'low');
  assert.match(r.message, /answers GET \/healthz with 200: healthzBindAddress is not loopback/);
  assert.match(check.meta.remediation, /healthzBindAddress: 127\.0\.0\.1/);
});

test('pass: closed or filtered', () => {
  assert.equal(one(check, endpoint({ ...hz, state: 'closed' })).status, 'pass');
  assert.equal(one(check, endpoint({ ...hz, state: 'filtered' })).status, 'pass');
});

test('fail when only the connection was tried: the port accepts connections', () => {
  assert.equal(one(check, endpoint({ ...hz })).status, 'fail');
});

test('unknown: open, but /healthz did not answer like the kubelet', () => {
  const r = one(check, endpoint({ ...hz, probes: [probe('GET', '/healthz', undefined, 'not-http: garbage')] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /not-http: garbage/);
  assert.equal(one(check, endpoint({ ...hz, probes: [probe('GET', '/healthz', 404)] })).status, 'unknown');
});

test('nothing for the other kubelet ports', () => {
  assert.deepEqual(all(check, endpoint()), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { kubeletReadOnlyPort as check } from './kubelet-read-only-port.ts';

const ro = { service: 'kubelet-read-only' as const, port: 10255 };

test('fail: /pods served without authentication, with what --collect found', () => {
  const r = one(check, endpoint({ ...ro, reachable: ['pods', 'metrics'], probes: [probe('GET', '/pods', 200)], collected: { pods: { count: 7, privileged: [], hostPaths: [], serviceAccountTokens: 0, secretEnv: [{ namespace: 'a', pod: 'b', container: 'c', name: 'DB_PASSWORD', fingerprint: '1a2b3c4d', why: 'the name looks like a secret (PASSWORD)' }] } } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /10\.0\.0\.5:10255 serves \/pods over plain HTTP without authentication: 7 pods, 1 secret-looking env value/);
  assert.match(check.meta.remediation, /readOnlyPort: 0/);
  assert.match(check.meta.remediation, /--dport 10255/);
});

test('fail: a probe of /pods answered 200 even without a reachable list', () => {
  assert.equal(one(check, endpoint({ ...ro, probes: [probe('GET', '/pods', 200)] })).status, 'fail');
});

test('pass: closed or filtered from the scanner', () => {
  assert.equal(one(check, endpoint({ ...ro, state: 'closed' })).status, 'pass');
  assert.match(one(check, endpoint({ ...ro, state: 'filtered' })).message, /not reachable from here/);
});

test('unknown: open, but /pods did not answer like a kubelet, or was not probed', () => {
  const r = one(check, endpoint({ ...ro, probes: [probe('GET', '/pods', 404)] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /answered GET \/pods with 404/);
  assert.equal(one(check, endpoint({ ...ro, probes: [probe('GET', '/pods', undefined, 'body-timeout')] })).status, 'unknown');
});

test('nothing for the secure port', () => {
  assert.deepEqual(all(check, endpoint()), []);
});

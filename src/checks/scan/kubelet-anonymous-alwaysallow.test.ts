import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { kubeletAnonymousAlwaysAllow as check } from './kubelet-anonymous-alwaysallow.ts';

test('fail: anonymous requests served (200 on /pods, 404 on /run for a missing pod)', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'AlwaysAllow', reachable: ['pods', 'run', 'exec'], probes: [probe('GET', '/pods', 200), probe('POST', '/run/x/y/z', 404)] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /10\.0\.0\.5:10250 serves requests without credentials.*run commands in every pod.*pods, run, exec/);
  assert.deepEqual(r.evidence?.map((e) => e.note), ['GET /pods → 200 (12 ms)', 'POST /run/x/y/z → 404 (12 ms)']);
  assert.match(check.meta.remediation, /authentication\.anonymous\.enabled: false/);
  assert.match(check.meta.remediation, /authorization\.mode: Webhook/);
  assert.match(check.meta.remediation, /iptables -I INPUT -p tcp --dport 10250/);
});

test('pass: anonymous refused (401)', () => {
  const r = one(check, endpoint({ anonymous: false, probes: [probe('GET', '/pods', 401)] }));
  assert.equal(r.status, 'pass');
});

test('pass: anonymous accepted but Webhook denies', () => {
  assert.equal(one(check, endpoint({ anonymous: true, authorization: 'Webhook' })).status, 'pass');
});

test('unknown: anonymous null, or authorization unknown', () => {
  const r = one(check, endpoint({ anonymous: null, notes: ['TLS handshake timed out'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /TLS handshake timed out/);
  assert.equal(one(check, endpoint({})).status, 'unknown');
  assert.equal(one(check, endpoint({ anonymous: true, authorization: null })).status, 'unknown');
});

test('not-applicable when closed; nothing for other services', () => {
  assert.equal(one(check, endpoint({ state: 'closed' })).status, 'not-applicable');
  assert.match(one(check, endpoint({ state: 'filtered' })).message, /filtered \(no answer\)/);
  assert.deepEqual(all(check, endpoint({ service: 'etcd', port: 2379 })), []);
});

test('IPv6 hosts are bracketed', () => {
  assert.match(one(check, endpoint({ host: 'fd00::5', anonymous: false })).message, /^\[fd00::5\]:10250 /);
});

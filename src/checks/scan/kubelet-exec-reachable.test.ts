import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { kubeletExecReachable as check } from './kubelet-exec-reachable.ts';

test("fail: a token reached exec: what the monitoring agent's token really reaches", () => {
  const r = one(check, endpoint({
    identity: 'bearer token (service account monitoring/agent)',
    anonymous: false,
    authorization: 'Webhook',
    reachable: ['pods', 'metrics', 'exec', 'portForward'],
    probes: [probe('GET', '/pods', 200), probe('GET', '/exec/kube-system/x/y?command=true', 400), probe('GET', '/portForward/kube-system/x', 400)],
    collected: {
      pods: {
        count: 12,
        privileged: [{ namespace: 'kube-system', pod: 'kube-proxy-a', container: 'kube-proxy' }],
        hostPaths: [],
        serviceAccountTokens: 2,
        serviceAccounts: [{ namespace: 'kube-system', pod: 'kube-proxy-a', serviceAccount: 'kube-proxy' }, { namespace: 'shop', pod: 'api', serviceAccount: 'api' }],
        secretEnv: [],
      },
    },
  }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /the identity bearer token \(service account monitoring\/agent\) reached exec, portForward on 10\.0\.0\.5:10250/);
  assert.match(r.message, /1 privileged container \(root on the node\) and the service-account tokens of 2 pods \(kube-system\/kube-proxy, shop\/api\)/);
  assert.match(r.remediation ?? '', /Remove `nodes\/proxy`/);
  assert.match(r.remediation ?? '', /nodes\/metrics/);
  assert.deepEqual(r.evidence?.map((e) => e.note), ['GET /exec/kube-system/x/y?command=true → 400 (12 ms)', 'GET /portForward/kube-system/x → 400 (12 ms)']);
});

test('fail: anonymous reached run: the fix is the kubelet configuration', () => {
  const r = one(check, endpoint({ anonymous: true, authorization: 'AlwaysAllow', reachable: ['run'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /^a request without credentials reached run/);
  assert.match(r.remediation ?? '', /authentication\.anonymous\.enabled: false/);
});

test('pass: the exec routes were probed and refused', () => {
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: false, reachable: ['metrics'], probes: [probe('GET', '/metrics', 200), probe('POST', '/run/a/b/c', 403), probe('GET', '/exec/a/b/c', 403)] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /refused on 10\.0\.0\.5:10250's exec routes \(403\)/);
});

test('pass: anonymous refused with 401 before any route', () => {
  assert.equal(one(check, endpoint({ anonymous: false, probes: [probe('GET', '/pods', 401)] })).status, 'pass');
});

test('unknown: no exec route answered', () => {
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: false, probes: [probe('GET', '/pods', 403), probe('POST', '/run/a/b/c', undefined, 'headers-timeout')] }));
  assert.equal(r.status, 'unknown');
  assert.equal(one(check, endpoint({ anonymous: null })).status, 'unknown');
});

test('not-applicable when filtered; nothing for etcd', () => {
  assert.equal(one(check, endpoint({ state: 'filtered' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ service: 'etcd' })), []);
});

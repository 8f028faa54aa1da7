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

const asIdentity = (p: ReturnType<typeof probe>) => ({ ...p, withIdentity: true as const });
const EXEC_PROBES = (status: number) => [probe('GET', '/exec/a/b/c?command=true', status), probe('GET', '/attach/a/b/c', status), probe('POST', '/run/a/b/c', status), probe('GET', '/portForward/a/b', status)];

test('pass: every exec route probed as the identity and refused', () => {
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: false, reachable: ['metrics'], probes: [probe('GET', '/pods', 401), ...[probe('GET', '/metrics', 200), ...EXEC_PROBES(403)].map(asIdentity)] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /refused on every exec route of 10\.0\.0\.5:10250 \(exec, attach, run, portForward: 403\)/);
});

test('unknown, not pass: some exec routes gave no answer (issue 10: a pass must make the title true)', () => {
  const probes = [probe('POST', '/run/a/b/c', 403), probe('GET', '/exec/a/b/c', 403), probe('GET', '/attach/a/b/c', undefined, 'headers-timeout')].map(asIdentity);
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: false, reachable: ['metrics'], probes }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /attach, portForward gave no answer/);
});

test("unknown, not pass: the refusals were of requests WITHOUT credentials, not the identity's", () => {
  const probes = [...EXEC_PROBES(403), ...EXEC_PROBES(0).map((p) => ({ method: p.method, path: p.path, error: 'headers-timeout', withIdentity: true as const }))];
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: true, authorization: 'Webhook', anonymousReachable: [], probes }));
  assert.equal(r.status, 'unknown');
});

test('pass: the identity itself refused with 401 reaches nothing', () => {
  const r = one(check, endpoint({ identity: 'bearer token', anonymous: true, probes: [probe('GET', '/pods', 403), asIdentity(probe('GET', '/pods', 401))] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /refused the identity bearer token \(401 Unauthorized\)/);
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

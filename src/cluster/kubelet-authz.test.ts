import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { explain, fineGrainedMode, isSubpath, rbacFor, type AuthzOptions } from './kubelet-authz.ts';
import { runExplain, runRbacFor } from '../commands/explain.ts';

const ON: AuthzOptions = { fineGrained: 'on' };
const OFF: AuthzOptions = { fineGrained: 'off' };
const V136: AuthzOptions = { kubeletVersion: '1.36.0' };
const V133: AuthzOptions = { kubeletVersion: 'v1.33.2' };
const V132: AuthzOptions = { kubeletVersion: '1.32.4' };
const V130: AuthzOptions = { kubeletVersion: '1.30.10' };
const NONE: AuthzOptions = {};

// [method, path, options, verb, subresources] — every route of kubelet-facts §2.
const TABLE: Array<[string, string, AuthzOptions, string, string[]]> = [
  ['GET', '/stats/summary', V133, 'get', ['stats']],
  ['GET', '/stats/', NONE, 'get', ['stats']],
  ['GET', '/stats', OFF, 'get', ['stats']],
  ['GET', '/statsfoo', ON, 'get', ['proxy']],
  ['GET', '/metrics', V130, 'get', ['metrics']],
  ['GET', '/metrics/cadvisor', V133, 'get', ['metrics']],
  ['GET', '/metrics/resource', NONE, 'get', ['metrics']],
  ['GET', '/metrics/probes', ON, 'get', ['metrics']],
  ['DELETE', '/metrics/slis', ON, 'delete', ['metrics']],
  ['GET', '/metricsfoo', ON, 'get', ['proxy']],
  ['GET', '/logs/', V133, 'get', ['log']],
  ['GET', '/logs/syslog?tailLines=5', V133, 'get', ['log']],
  ['GET', '/logs', V133, 'get', ['log']],
  ['POST', '/exec/ns/pod/ctr?command=id', V136, 'create', ['proxy']],
  ['GET', '/exec/ns/pod/ctr?command=id', V136, 'get', ['proxy']], // WebSocket exec
  ['GET', '/attach/ns/pod/ctr', ON, 'get', ['proxy']],
  ['POST', '/run/ns/pod/ctr', ON, 'create', ['proxy']],
  ['POST', '/run/ns/pod/uid/ctr', OFF, 'create', ['proxy']],
  ['GET', '/portForward/ns/pod', ON, 'get', ['proxy']],
  ['GET', '/containerLogs/ns/pod/ctr', ON, 'get', ['proxy']],
  ['POST', '/checkpoint/ns/pod/ctr', V133, 'create', ['checkpoint']],
  ['POST', '/checkpoint/ns/pod/ctr', OFF, 'create', ['checkpoint']],
  ['GET', '/pods', V133, 'get', ['pods', 'proxy']],
  ['GET', '/pods/', ON, 'get', ['pods', 'proxy']],
  ['GET', '/pods', V132, 'get', ['proxy']],
  ['GET', '/pods', V130, 'get', ['proxy']],
  ['GET', '/pods', NONE, 'get', ['pods', 'proxy']],
  ['GET', '/podsx', ON, 'get', ['proxy']],
  ['GET', '/runningpods/', V136, 'get', ['pods', 'proxy']],
  ['GET', '/runningpods', ON, 'get', ['pods', 'proxy']],
  ['GET', '/runningpods/', OFF, 'get', ['proxy']],
  ['GET', '/healthz', ON, 'get', ['healthz', 'proxy']],
  ['GET', '/healthz/ping', V133, 'get', ['healthz', 'proxy']],
  ['GET', '/healthz/syncloop', ON, 'get', ['healthz', 'proxy']],
  ['GET', '/healthz/ping', V132, 'get', ['proxy']],
  ['GET', '/configz', V133, 'get', ['configz', 'proxy']],
  ['GET', '/configz', OFF, 'get', ['proxy']],
  ['GET', '/statusz', ON, 'get', ['statusz', 'proxy']],
  ['GET', '/flagz', ON, 'get', ['proxy']],
  ['GET', '/debug/pprof/', ON, 'get', ['proxy']],
  ['GET', '/debug/pprof/profile', OFF, 'get', ['proxy']],
  ['PUT', '/debug/flags/v', ON, 'update', ['proxy']],
  ['PATCH', '/configz', ON, 'patch', ['configz', 'proxy']],
  ['HEAD', '/pods', ON, '', ['pods', 'proxy']],
  ['OPTIONS', '/stats/summary', ON, '', ['stats']],
  ['get', '/metrics', ON, '', ['metrics']], // methods are case-sensitive
  ['GET', '/%73tats/summary', ON, 'get', ['stats']], // the kubelet sees the decoded path
  ['GET', '/nonexistent', ON, 'get', ['proxy']],
  ['GET', '/', ON, 'get', ['proxy']],
];

for (const [method, path, opts, verb, subs] of TABLE) {
  test(`${method} ${path} ${JSON.stringify(opts)} → ${verb || '""'} nodes/[${subs.join(',')}]`, () => {
    const ex = explain(method, path, opts);
    assert.equal(ex.verb, verb);
    assert.equal(ex.resource, 'nodes');
    assert.deepEqual(ex.subresources, subs);
  });
}

test('isSubpath: exact or followed by /, trailing slash of the prefix trimmed', () => {
  assert.equal(isSubpath('/stats', '/stats/'), true);
  assert.equal(isSubpath('/stats/summary', '/stats/'), true);
  assert.equal(isSubpath('/statsfoo', '/stats/'), false);
  assert.equal(isSubpath('/metrics/cadvisor', '/metrics'), true);
});

test('fine-grained mode: flag wins, else version, else unknown', () => {
  assert.equal(fineGrainedMode({ kubeletVersion: '1.32.0', fineGrained: 'on' }).fineGrained, 'on');
  assert.equal(fineGrainedMode({ kubeletVersion: '1.36.1', fineGrained: 'off' }).fineGrained, 'off');
  assert.equal(fineGrainedMode({ kubeletVersion: '1.33.0-eks-1' }).fineGrained, 'on');
  assert.equal(fineGrainedMode({ kubeletVersion: '1.32.9' }).fineGrained, 'off');
  assert.equal(fineGrainedMode({ kubeletVersion: '1.28' }).fineGrained, 'off');
  assert.equal(fineGrainedMode({}).fineGrained, 'unknown');
  assert.throws(() => fineGrainedMode({ kubeletVersion: 'latest' }), /expected a version/);
});

test('notes: WebSocket exec is not read-only; unknown version says both; HEAD empty verb', () => {
  assert.ok(explain('GET', '/exec/ns/pod/ctr', ON).notes.some((n) => /get on nodes\/proxy runs commands over WebSocket: not read-only/.test(n)));
  const unknown = explain('GET', '/pods', NONE);
  assert.ok(unknown.notes.some((n) => /version unknown/.test(n) && /only \[proxy\]/.test(n)));
  assert.ok(explain('HEAD', '/pods', ON).notes.some((n) => /empty verb/.test(n)));
  assert.ok(explain('GET', '/configz', V132).notes.some((n) => /nodes\/configz would be enough/.test(n)));
  assert.ok(explain('GET', '/containerLogs/ns/p/c', ON).notes.some((n) => /exec too/.test(n)));
});

test('explain rejects bad paths', () => {
  assert.throws(() => explain('GET', 'stats/summary', ON), /absolute path/);
  assert.throws(() => explain('GET', '/stats/%zz', ON), /percent-encoding/);
});

test('rbacFor: metrics-server needs get nodes/metrics (and nodes/stats for /stats/summary)', () => {
  const r = rbacFor(['/metrics/resource'], V133);
  assert.deepEqual(r.role, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'kubelet-guard-least-privilege' },
    rules: [{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }],
  });
  assert.deepEqual(parse(r.yaml), r.role);
  assert.deepEqual(r.notes, []);
  const old = rbacFor(['GET /metrics/resource', '/stats/summary'], V130);
  assert.deepEqual(old.role.rules.map((x) => x.resources[0]), ['nodes/metrics', 'nodes/stats']);
});

test('rbacFor: a log shipper reading /containerLogs needs get nodes/proxy, with a warning', () => {
  const r = rbacFor(['/containerLogs/kube-system/fluentd/fluentd'], V136);
  assert.deepEqual(r.role.rules, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]);
  assert.ok(r.notes.some((n) => /exec too/.test(n)));
});

test('rbacFor: /pods with fine-grained on needs only get nodes/pods', () => {
  const r = rbacFor(['/pods'], { ...ON, name: 'pod-lister' });
  assert.equal(r.role.metadata.name, 'pod-lister');
  assert.deepEqual(r.role.rules, [{ apiGroups: [''], resources: ['nodes/pods'], verbs: ['get'] }]);
  assert.deepEqual(r.notes, []);
});

test('rbacFor: /pods with fine-grained off or < 1.33 needs nodes/proxy; unknown gives nodes/pods and a note', () => {
  for (const opts of [OFF, V132]) {
    const r = rbacFor(['/pods'], opts);
    assert.deepEqual(r.role.rules, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]);
    assert.ok(r.notes.some((n) => /not enough/.test(n)));
  }
  const u = rbacFor(['/pods', '/healthz'], NONE);
  assert.deepEqual(u.role.rules.map((x) => x.resources[0]), ['nodes/healthz', 'nodes/pods']);
  assert.ok(u.notes.some((n) => /older kubelets .* need get on nodes\/proxy/.test(n)));
});

test('rbacFor: verbs merge per subresource; HEAD is not granted', () => {
  const r = rbacFor(['POST /checkpoint/ns/p/c', 'GET /metrics', 'DELETE /metrics/slis', 'HEAD /stats/summary'], ON);
  assert.deepEqual(r.role.rules, [
    { apiGroups: [''], resources: ['nodes/checkpoint'], verbs: ['create'] },
    { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get', 'delete'] },
  ]);
  assert.ok(r.notes.some((n) => /empty verb/.test(n)));
  assert.throws(() => rbacFor([], ON), /no endpoints/);
  assert.throws(() => rbacFor(['GET /a extra'], ON), /METHOD PATH/);
});

function io(): { out: PassThrough; err: PassThrough; text: () => string; errText: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString()));
  err.on('data', (c: Buffer) => (e += c.toString()));
  return { out, err, text: () => o, errText: () => e };
}

test('runExplain --format json', () => {
  const t = io();
  assert.equal(runExplain('GET', '/pods', { kubeletVersion: '1.33.0', format: 'json' }, t), 0);
  const j = JSON.parse(t.text()) as { verb: string; resource: string; subresources: string[] };
  assert.deepEqual({ verb: j.verb, resource: j.resource, subresources: j.subresources }, { verb: 'get', resource: 'nodes', subresources: ['pods', 'proxy'] });
});

test('runExplain and runRbacFor: bad input exits 2 with a message', () => {
  const cases: Array<[() => number, RegExp]> = [];
  const t1 = io();
  cases.push([() => runExplain('GET', '/pods', { fineGrained: 'maybe' }, t1), /--fine-grained maybe/]);
  const t2 = io();
  cases.push([() => runExplain('GET', '/pods', { kubeletVersion: 'x' }, t2), /expected a version/]);
  const t3 = io();
  cases.push([() => runRbacFor([], {}, t3), /at least one endpoint/]);
  const t4 = io();
  cases.push([() => runRbacFor(['/pods'], { name: 'Bad_Name' }, t4), /--name/]);
  const ios = [t1, t2, t3, t4];
  cases.forEach(([run, re], i) => {
    assert.equal(run(), 2);
    assert.match((ios[i] as ReturnType<typeof io>).errText(), re);
  });
});

test('runRbacFor prints notes as YAML comments then the role', () => {
  const t = io();
  assert.equal(runRbacFor(['/pods'], { name: 'x' }, t), 0);
  const doc = parse(t.text()) as { metadata: { name: string } };
  assert.equal(doc.metadata.name, 'x');
  assert.match(t.text(), /^# /);
});

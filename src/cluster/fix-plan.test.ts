import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineRefusal, needOf, planClusterFix, REPLACEMENT_ROLE, type FixInput } from './fix-plan.ts';

const RBAC = 'rbac.authorization.k8s.io';
const role = (name: string, rules: object[], more: object = {}) => ({ metadata: { name, resourceVersion: '7' }, rules, ...more }) as never;
const bind = (name: string, roleName: string, subjects: object[]) => ({ metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects }) as never;
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });
const proxy = [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }];

function plan(clusterRoles: never[], clusterRoleBindings: never[], more: Partial<FixInput> = {}) {
  return planClusterFix({ rbac: { clusterRoles, clusterRoleBindings }, kubeletVersions: ['v1.34.0'], ...more });
}

test('needOf: the subject name first, then its namespace, then role and binding; groups and names that say both are not told', () => {
  assert.deepEqual(needOf({ kind: 'ServiceAccount', name: 'prometheus-k8s', namespace: 'x' }, 'r', 'b'), { need: 'metrics' });
  assert.deepEqual(needOf({ kind: 'ServiceAccount', name: 'default', namespace: 'monitoring' }, 'r', 'b'), { need: 'metrics' });
  assert.deepEqual(needOf({ kind: 'ServiceAccount', name: 'fluent-bit', namespace: 'monitoring' }, 'r', 'b'), { need: 'logs' });
  assert.deepEqual(needOf({ kind: 'ServiceAccount', name: 'agent', namespace: 'ops' }, 'datadog-agent', 'b'), { need: 'metrics' });
  assert.ok('why' in needOf({ kind: 'Group', name: 'system:serviceaccounts:monitoring' }, 'prometheus', 'b'));
  assert.ok('why' in needOf({ kind: 'ServiceAccount', name: 'prometheus-fluentd', namespace: 'x' }, 'r', 'b'));
  assert.ok('why' in needOf({ kind: 'User', name: 'alice' }, 'node-proxy', 'alice-binding'));
  // a word inside another is no word: "supermetricsx" says nothing
  assert.ok('why' in needOf({ kind: 'User', name: 'supermetricsx' }, 'r', 'b'));
});

test('a log agent gets nodes/pods when every kubelet has fine-grained authz; with an older or unknown kubelet, only a note', () => {
  const objs = [[role('fluent-bit-read', proxy)], [bind('fluent-bit-read', 'fluent-bit-read', [sa('logging', 'fluent-bit')])]] as const;
  const now = plan([...objs[0]], [...objs[1]]);
  const created = now.changes.find((c) => c.name === REPLACEMENT_ROLE.logs);
  assert.deepEqual(created?.object.rules, [{ apiGroups: [''], resources: ['nodes/pods'], verbs: ['get'] }]);
  assert.ok(now.changes.some((c) => c.action === 'replace' && c.name === 'fluent-bit-read'));
  for (const kubeletVersions of [['v1.34.0', 'v1.31.2'], undefined]) {
    const old = plan([...objs[0]], [...objs[1]], kubeletVersions ? { kubeletVersions } : { kubeletVersions: undefined as never });
    assert.deepEqual(old.changes, []);
    assert.match(old.notes[0]?.note ?? '', /log agent.*(1\.31|unknown)/);
  }
});

test('a role also bound to a subject whose need cannot be told is left whole; a wildcard cannot be cut; already least privilege is nothing', () => {
  const shared = plan([role('scrape', proxy)], [bind('scrape', 'scrape', [sa('monitoring', 'prometheus'), { kind: 'User', apiGroup: RBAC, name: 'carol' }])]);
  assert.deepEqual(shared.changes, []);
  assert.ok(shared.notes.some((n) => /User\/carol/.test(n.finding) && n.command?.startsWith('kubelet-guard rbac-for')));
  assert.ok(shared.notes.some((n) => /prometheus/.test(n.finding) && /not changed/.test(n.note)));

  const wild = plan([role('prom-all', [{ apiGroups: [''], resources: ['*'], verbs: ['get', 'list'] }])], [bind('prom-all', 'prom-all', [sa('monitoring', 'prometheus')])]);
  assert.deepEqual(wild.changes, []);
  assert.match(wild.notes[0]?.note ?? '', /wildcard/);

  const some = plan([role('prom-a', [{ apiGroups: [''], resources: ['nodes/proxy'], resourceNames: ['node-a'], verbs: ['get'] }])], [bind('prom-a', 'prom-a', [sa('monitoring', 'prometheus')])]);
  assert.deepEqual(some.changes, []);
  assert.match(some.notes[0]?.note ?? '', /limited to the nodes node-a/);

  const fine = plan([role('prom', [{ apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats', 'nodes'], verbs: ['get'] }])], [bind('prom', 'prom', [sa('monitoring', 'prometheus')])]);
  assert.deepEqual(fine, { changes: [], notes: [] });
});

test('control-plane roles, bootstrap roles and cluster-admin are never changed; a group gets a note', () => {
  const p = plan([
    role('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    role('edit-nodes', proxy, { metadata: { name: 'edit-nodes', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } } }),
    role('everyone-proxy', proxy),
  ], [
    bind('prom-admin', 'cluster-admin', [sa('monitoring', 'prometheus')]),
    bind('edit-nodes', 'edit-nodes', [sa('monitoring', 'prometheus')]),
    bind('everyone-proxy', 'everyone-proxy', [{ kind: 'Group', apiGroup: RBAC, name: 'system:authenticated' }]),
  ]);
  assert.deepEqual(p.changes, []);
  assert.ok(p.notes.some((n) => /cluster-admin .*not changed.*prom-admin/.test(n.note)));
  assert.ok(p.notes.some((n) => /edit-nodes .*not changed/.test(n.note)));
  assert.ok(p.notes.some((n) => n.finding === 'rbac-kubelet-access Group/system:authenticated'));
});

test('a replacement role of that name with other rules, or a binding of that name to something else: the role is not changed', () => {
  const p = plan([role('scrape', proxy), role(REPLACEMENT_ROLE.metrics, proxy)], [bind('scrape', 'scrape', [sa('monitoring', 'prometheus')])]);
  assert.equal(p.changes.some((c) => c.name === 'scrape'), false);
  assert.ok(p.notes.some((n) => /exists with other rules/.test(n.note)));
});

test('namespaces: explicit privileged and label typos are notes; system namespaces are never labelled; labels it has are not sent again', () => {
  const ns = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels, resourceVersion: '3' } });
  const p = planClusterFix({
    namespaces: [ns('csi', { 'pod-security.kubernetes.io/enforce': 'privileged' }), ns('typo', { 'pod-security.kubernetes.io/enforce': 'baselin' }),
      ns('kube-node-lease'), ns('apps', { 'pod-security.kubernetes.io/warn': 'baseline' }),
      ns('quiet', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted ', 'pod-security.kubernetes.io/warn-version': 'v1.x' })],
    podsRefusedByBaseline: new Map(),
  });
  assert.deepEqual(p.changes.map((c) => c.name), ['apps', 'quiet']);
  // an audit level that is no level fails open: set to restricted (it refuses nothing); a bad version is a note
  assert.deepEqual(p.changes[1]?.object.metadata.labels, { 'pod-security.kubernetes.io/audit': 'restricted' });
  assert.deepEqual(p.changes[1]?.closes, ['namespace-pod-security-label quiet pod-security.kubernetes.io/audit']);
  assert.ok(p.notes.some((n) => n.finding === 'namespace-pod-security-label quiet pod-security.kubernetes.io/warn-version'));
  assert.deepEqual(p.changes[0]?.object.metadata.labels, { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted' });
  assert.ok(p.notes.some((n) => n.finding === 'namespace-pod-security csi'));
  assert.ok(p.notes.some((n) => n.finding === 'namespace-pod-security-label typo pod-security.kubernetes.io/enforce'));
  assert.ok(p.notes.some((n) => n.finding === 'namespace-pod-security kube-node-lease'));
  // without the pods, no namespace is planned
  assert.deepEqual(planClusterFix({ namespaces: [ns('apps')] }).changes, []);
});

test('baselineRefusal: host namespaces, hostPath, privileged, host ports, capabilities, Unconfined seccomp; an ordinary pod passes', () => {
  const pod = (spec: object) => ({ spec: { containers: [{ name: 'c' }], ...spec } });
  assert.equal(baselineRefusal(pod({})), undefined);
  assert.equal(baselineRefusal(pod({ hostPID: true })), 'hostPID');
  assert.equal(baselineRefusal(pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] })), 'hostPath volume');
  assert.equal(baselineRefusal(pod({ containers: [{ securityContext: { privileged: true } }] })), 'privileged');
  assert.equal(baselineRefusal(pod({ initContainers: [{ ports: [{ hostPort: 80 }] }] })), 'hostPort');
  assert.equal(baselineRefusal(pod({ containers: [{ securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] })), 'added capabilities');
  assert.equal(baselineRefusal(pod({ containers: [{ securityContext: { capabilities: { add: ['CHOWN'] } } }] })), undefined);
  assert.equal(baselineRefusal(pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } })), 'seccomp Unconfined');
  assert.equal(baselineRefusal(null), undefined);
});

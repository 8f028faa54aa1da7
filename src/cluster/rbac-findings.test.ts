// RBAC findings volume: a role bound the same way to many subjects is one finding that names the
// first few and counts the rest (still a fail, with its chains); up to GROUP_ABOVE, one finding per
// subject as before. The findings are made one at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, RbacObjects } from './rbac.ts';
import { GROUP_ABOVE, NAMED_IN_GROUP, rbacFindings, rbacFindingsOf } from './rbac-findings.ts';
import { CLUSTER_FINDINGS } from './findings.ts';

const proxyReader: ClusterRole = { metadata: { name: 'proxy-reader' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] } as ClusterRole;
const impersonator: ClusterRole = { metadata: { name: 'impersonator' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }] } as ClusterRole;
const bindings = (role: string, n: number): ClusterRoleBinding[] => Array.from({ length: n }, (_, i) => ({
  metadata: { name: `${role}-b${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: `${role}-u${i}` }],
}) as ClusterRoleBinding);
const objs = (n: number): RbacObjects => ({ clusterRoles: [proxyReader, impersonator], roles: [], clusterRoleBindings: [...bindings('proxy-reader', n), ...bindings('impersonator', n)], roleBindings: [] });
const of = (fs: ReturnType<typeof rbacFindings>, check: string) => fs.filter((f) => f.check === check && f.status === 'fail' && !f.subject?.startsWith('Group/system:masters'));

test(`up to ${GROUP_ABOVE} subjects of a role: one finding each, as before`, () => {
  const fs = rbacFindings(objs(GROUP_ABOVE), [], []);
  assert.deepEqual(of(fs, 'rbac-kubelet-access').map((f) => f.subject), Array.from({ length: GROUP_ABOVE }, (_, i) => `User/proxy-reader-u${i}`));
  assert.equal(of(fs, 'rbac-escalation').length, GROUP_ABOVE);
});

test('more subjects bound to a role the same way: one failed finding naming the first and counting the rest, with their chains', () => {
  const n = 5000;
  const fs = rbacFindings(objs(n), [], []);
  const [access, ...others] = of(fs, 'rbac-kubelet-access');
  assert.equal(others.length, 0);
  assert.equal(access!.subject, 'ClusterRole/proxy-reader');
  assert.equal(access!.severity, 'critical');
  assert.match(access!.message, new RegExp(`^${n} subjects may get nodes/proxy through ClusterRole proxy-reader: User/proxy-reader-u0 \\(ClusterRoleBinding/proxy-reader-b0\\), User/proxy-reader-u1 .* and ${n - NAMED_IN_GROUP} more; the first: `));
  assert.ok(access!.message.includes(`User/proxy-reader-u${NAMED_IN_GROUP - 1} `));
  assert.ok(!access!.message.includes(`User/proxy-reader-u${NAMED_IN_GROUP} `));
  const chains = access!.evidence.filter((e) => e.note?.startsWith('ClusterRoleBinding/'));
  assert.equal(chains.length, NAMED_IN_GROUP);
  const [esc, ...moreEsc] = of(fs, 'rbac-escalation');
  assert.equal(moreEsc.length, 0);
  assert.equal(esc!.subject, 'ClusterRole/impersonator');
  assert.match(esc!.message, new RegExp(`^${n} subjects may impersonate users through ClusterRole impersonator: `));
});

test('findings are made one at a time', () => {
  const it = rbacFindingsOf(objs(3), [], []);
  const first = it.next();
  assert.equal(first.done, false);
  assert.equal(typeof (first.value as { check: string }).check, 'string');
});

test('a title is a claim: with nothing failing, each RBAC check reports one pass under its title; expected holders pass, never fail', () => {
  const none: RbacObjects = { clusterRoles: [], roles: [], clusterRoleBindings: [], roleBindings: [] };
  const fs = rbacFindings(none, [], []);
  for (const id of ['rbac-kubelet-access', 'rbac-escalation', 'rbac-pod-create-bypass', 'rbac-dangling-binding', 'rbac-ineffective-rule'] as const) {
    const own = fs.filter((f) => f.check === id);
    assert.ok(own.some((f) => f.status === 'pass' && f.title === CLUSTER_FINDINGS[id].title), id);
    assert.deepEqual(own.filter((f) => f.status !== 'pass'), [], id);
  }
  // system:masters is always allowed: a pass of "Only expected subjects reach the kubelet API"
  assert.equal(fs.find((f) => f.subject === 'Group/system:masters')?.status, 'pass');
  // the API server's own kubelet client and a built-in controller's escalation: passes, not failures
  const expected = rbacFindings({
    clusterRoles: [
      { metadata: { name: 'system:kubelet-api-admin' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['*'] }] },
      { metadata: { name: 'system:controller:clusterrole-aggregation-controller' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'update'] }] },
    ],
    roles: [],
    clusterRoleBindings: [
      { metadata: { name: 'kubeadm:apiserver-kubelet' }, roleRef: { kind: 'ClusterRole', name: 'system:kubelet-api-admin' }, subjects: [{ kind: 'User', name: 'kube-apiserver-kubelet-client' }] },
      { metadata: { name: 'agg' }, roleRef: { kind: 'ClusterRole', name: 'system:controller:clusterrole-aggregation-controller' }, subjects: [{ kind: 'ServiceAccount', name: 'clusterrole-aggregation-controller', namespace: 'kube-system' }] },
    ],
    roleBindings: [],
  } as RbacObjects, [], []);
  assert.deepEqual(expected.filter((f) => f.status === 'fail'), []);
  assert.equal(expected.find((f) => f.subject === 'User/kube-apiserver-kubelet-client')?.status, 'pass');
  assert.equal(expected.find((f) => f.check === 'rbac-escalation' && f.subject === 'ServiceAccount/kube-system/clusterrole-aggregation-controller')?.status, 'pass');
  // one failure of a check: no general pass for it
  const one = rbacFindings(objs(1), [], []);
  assert.ok(!one.some((f) => f.check === 'rbac-kubelet-access' && f.subject === '/apis/rbac.authorization.k8s.io/v1'));
});

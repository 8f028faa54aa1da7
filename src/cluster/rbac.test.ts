import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeRbac,
  whoCanEscalate,
  whoCanReachKubelet,
  type ClusterRole,
  type ClusterRoleBinding,
  type Grant,
  type PolicyRule,
  type RbacObjects,
  type RoleBinding,
  type Subject,
} from './rbac.ts';

const alice: Subject = { kind: 'User', name: 'alice' };

function cr(name: string, rules: PolicyRule[] | null, extra: Partial<ClusterRole> = {}): ClusterRole {
  return { metadata: { name }, rules, ...extra };
}

function crb(name: string, role: string, subjects: Subject[] | null = [alice]): ClusterRoleBinding {
  return { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects };
}

function objs(p: Partial<RbacObjects>): RbacObjects {
  return { clusterRoles: [], roles: [], clusterRoleBindings: [], roleBindings: [], ...p };
}

/** Grants for one rule bound to alice, without the system:masters note. */
function grantsFor(rule: PolicyRule, subjects: Subject[] = [alice]): Grant[] {
  return rbacGrants(objs({ clusterRoles: [cr('r', [rule])], clusterRoleBindings: [crb('b', 'r', subjects)] }));
}

function rbacGrants(o: RbacObjects): Grant[] {
  return whoCanReachKubelet(o).filter((g) => g.chain.binding.kind !== 'Builtin');
}

function subs(gs: Grant[]): string[] {
  return gs.map((g) => g.subresource).sort();
}

test('exact nodes/proxy get is critical, with the full chain', () => {
  const gs = grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] });
  assert.equal(gs.length, 1);
  const g = gs[0]!;
  assert.equal(g.subresource, 'proxy');
  assert.deepEqual(g.verbs, ['get']);
  assert.equal(g.severity, 'critical');
  assert.match(g.why, /exec on every node/);
  assert.deepEqual(g.subject, { kind: 'User', name: 'alice' });
  assert.deepEqual(g.chain.binding, { kind: 'ClusterRoleBinding', name: 'b' });
  assert.deepEqual(g.chain.role, { kind: 'ClusterRole', name: 'r' });
  assert.equal(g.chain.ruleIndex, 0);
  assert.equal(g.resourceNames, undefined);
});

test('create on nodes/proxy is critical; update only is high', () => {
  assert.equal(grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['create'] })[0]?.severity, 'critical');
  assert.equal(grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['update'] })[0]?.severity, 'high');
});

test('verbs "*" match and are reported as "*"', () => {
  const gs = grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['*'] });
  assert.deepEqual(gs[0]?.verbs, ['*']);
  assert.equal(gs[0]?.severity, 'critical');
});

test('verbs the kubelet never derives (list, watch) are not a grant', () => {
  assert.deepEqual(grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['list', 'watch'] }), []);
});

test('resources "*" cover every kubelet subresource', () => {
  const gs = grantsFor({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
  assert.deepEqual(subs(gs), ['checkpoint', 'configz', 'healthz', 'log', 'metrics', 'pods', 'proxy', 'stats']);
});

test('"nodes/*" is not a wildcard in RBAC: no grant, and an inert-rule note', () => {
  const o = objs({ clusterRoles: [cr('r', [{ apiGroups: [''], resources: ['nodes/*'], verbs: ['*'] }])], clusterRoleBindings: [crb('b', 'r')] });
  assert.deepEqual(rbacGrants(o), []);
  const a = analyzeRbac(o);
  assert.ok(a.notes.some((n) => n.kind === 'inert-rule' && /nodes\/\*/.test(n.message)));
});

test('"*/proxy" matches nodes/proxy only', () => {
  assert.deepEqual(subs(grantsFor({ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] })), ['proxy']);
  assert.deepEqual(subs(grantsFor({ apiGroups: [''], resources: ['*/log'], verbs: ['get'] })), ['log']);
});

test('"nodes" alone does not cover subresources', () => {
  assert.deepEqual(grantsFor({ apiGroups: [''], resources: ['nodes'], verbs: ['*'] }), []);
});

test('apiGroups must include "" or "*"; "apps" and missing apiGroups do not match', () => {
  assert.deepEqual(grantsFor({ apiGroups: ['apps'], resources: ['nodes/proxy'], verbs: ['get'] }), []);
  assert.deepEqual(grantsFor({ resources: ['nodes/proxy'], verbs: ['get'] }), []);
  assert.equal(grantsFor({ apiGroups: ['*'], resources: ['nodes/proxy'], verbs: ['get'] }).length, 1);
});

test('missing verbs or resources grant nothing; nonResourceURLs are ignored', () => {
  assert.deepEqual(grantsFor({ apiGroups: [''], resources: ['nodes/proxy'] }), []);
  assert.deepEqual(grantsFor({ apiGroups: [''], verbs: ['*'], nonResourceURLs: ['*'] }), []);
});

test('severities per subresource', () => {
  const sev = (resource: string, verb: string) =>
    grantsFor({ apiGroups: [''], resources: [`nodes/${resource}`], verbs: [verb] })[0]?.severity;
  assert.equal(sev('log', 'get'), 'high');
  assert.equal(sev('checkpoint', 'create'), 'high');
  assert.equal(sev('checkpoint', 'get'), 'low');
  assert.equal(sev('stats', 'get'), 'medium');
  assert.equal(sev('pods', 'get'), 'medium');
  assert.equal(sev('configz', 'get'), 'medium');
  assert.equal(sev('metrics', 'get'), 'low');
  assert.equal(sev('healthz', 'get'), 'low');
  const log = grantsFor({ apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] })[0];
  assert.match(log?.why ?? '', /node logs/);
  const stats = grantsFor({ apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] })[0];
  assert.match(stats?.why ?? '', /resource usage/);
});

test('RoleBinding to a ClusterRole with nodes/proxy is not a grant (nodes are cluster-scoped)', () => {
  const rb: RoleBinding = {
    metadata: { name: 'rb', namespace: 'team' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
    subjects: [alice],
  };
  const o = objs({ clusterRoles: [cr('r', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }])], roleBindings: [rb] });
  assert.deepEqual(rbacGrants(o), []);
  const a = analyzeRbac(o);
  assert.ok(a.notes.some((n) => n.kind === 'namespaced-binding' && /not a grant/.test(n.message)));
  // and a namespaced Role naming nodes/* is no grant either
  const o2 = objs({
    roles: [{ metadata: { name: 'x', namespace: 'team' }, rules: [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }] }],
    roleBindings: [{ metadata: { name: 'rb2', namespace: 'team' }, roleRef: { kind: 'Role', name: 'x' }, subjects: [alice] }],
  });
  assert.deepEqual(rbacGrants(o2), []);
});

test('resourceNames limit the grant to those nodes and are reported', () => {
  const gs = grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'], resourceNames: ['node-a', 'node-b'] });
  assert.deepEqual(gs[0]?.resourceNames, ['node-a', 'node-b']);
  assert.match(gs[0]?.why ?? '', /nodes node-a, node-b only/);
});

test('aggregated ClusterRole with empty rules is computed from matching roles, with a note', () => {
  const agg = cr('agg', [], {
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-agg': 'true' } }] },
  });
  const part = cr('part', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }], {});
  part.metadata.labels = { 'example.com/aggregate-to-agg': 'true' };
  const other = cr('other', [{ apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] }]);
  const o = objs({ clusterRoles: [agg, part, other], clusterRoleBindings: [crb('b', 'agg')] });
  const gs = rbacGrants(o);
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.subresource, 'proxy');
  assert.equal(gs[0]?.chain.role.name, 'agg');
  assert.equal(gs[0]?.chain.aggregatedFrom, 'part');
  assert.match(gs[0]?.why ?? '', /aggregationRule/);
  const a = analyzeRbac(o);
  assert.ok(a.notes.some((n) => n.kind === 'aggregated-role' && n.object.name === 'agg' && /part/.test(n.message)));
});

test('aggregated ClusterRole: stored rules win; matchExpressions are honoured', () => {
  const stored = cr('agg', [{ apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] }], {
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
  });
  const part = cr('part', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]);
  part.metadata.labels = { a: 'b' };
  assert.deepEqual(subs(rbacGrants(objs({ clusterRoles: [stored, part], clusterRoleBindings: [crb('b', 'agg')] }))), ['stats']);

  const byExpr = cr('agg2', null, {
    aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] },
  });
  const notIn = cr('agg3', null, {
    aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'a', operator: 'NotIn', values: ['b'] }] }] },
  });
  const o = objs({ clusterRoles: [byExpr, notIn, part], clusterRoleBindings: [crb('b2', 'agg2'), crb('b3', 'agg3')] });
  const gs = rbacGrants(o);
  assert.deepEqual(gs.map((g) => g.chain.role.name), ['agg2']);
  // NotIn alone also matches roles without the label (here agg2, whose computed rules include nodes/proxy)
  const loose = cr('agg4', null, {
    aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] }] },
  });
  const o2 = objs({ clusterRoles: [byExpr, loose, part], clusterRoleBindings: [crb('b4', 'agg4')] });
  assert.deepEqual(rbacGrants(o2).map((g) => g.chain.aggregatedFrom), ['part']);
});

test('well-known groups are marked with their reach; everyone/anonymous are bumped', () => {
  const rule: PolicyRule = { apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] };
  const auth = grantsFor(rule, [{ kind: 'Group', name: 'system:authenticated' }])[0];
  assert.equal(auth?.reach, 'every-authenticated-user');
  assert.equal(auth?.severity, 'high');
  assert.match(auth?.why ?? '', /every authenticated user/);
  const anon = grantsFor(rule, [{ kind: 'Group', name: 'system:unauthenticated' }])[0];
  assert.equal(anon?.reach, 'anonymous');
  assert.match(anon?.why ?? '', /anonymous/);
  const sas = grantsFor(rule, [{ kind: 'Group', name: 'system:serviceaccounts' }])[0];
  assert.equal(sas?.reach, 'every-service-account');
  assert.match(sas?.why ?? '', /every service account/);
  const nsSas = grantsFor(rule, [{ kind: 'Group', name: 'system:serviceaccounts:monitoring' }])[0];
  assert.equal(nsSas?.reach, 'namespace-service-accounts');
  assert.match(nsSas?.why ?? '', /namespace monitoring/);
});

test('system:masters always gets a note grant, even with no RBAC objects', () => {
  const gs = whoCanReachKubelet(objs({}));
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.subject.name, 'system:masters');
  assert.equal(gs[0]?.chain.binding.kind, 'Builtin');
  assert.match(gs[0]?.why ?? '', /always allowed/);
  // an RBAC grant to system:masters is redundant
  const g = grantsFor({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, [{ kind: 'Group', name: 'system:masters' }]);
  assert.ok(g.every((x) => x.severity === 'low' && /redundant/.test(x.why)));
});

test("kube-apiserver-kubelet-client via system:kubelet-api-admin is the API server's own client", () => {
  const role = cr('system:kubelet-api-admin', [
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'proxy'] },
    { apiGroups: [''], resources: ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], verbs: ['*'] },
  ]);
  const b = crb('kubeadm:apiserver-kubelet-client', 'system:kubelet-api-admin', [{ kind: 'User', name: 'kube-apiserver-kubelet-client' }]);
  const gs = rbacGrants(objs({ clusterRoles: [role], clusterRoleBindings: [b] }));
  assert.deepEqual(subs(gs), ['log', 'metrics', 'proxy', 'stats']);
  assert.ok(gs.every((g) => g.severity === 'low' && /the API server's own kubelet client/.test(g.why)));
  // the same role bound to someone else is critical
  const other = rbacGrants(objs({ clusterRoles: [role], clusterRoleBindings: [crb('x', 'system:kubelet-api-admin')] }));
  assert.equal(other.find((g) => g.subresource === 'proxy')?.severity, 'critical');
  // the same user through another role is not exempt
  const viaOther = grantsFor({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }, [{ kind: 'User', name: 'kube-apiserver-kubelet-client' }]);
  assert.equal(viaOther[0]?.severity, 'critical');
});

test('escalate, bind and impersonate (cluster-wide only)', () => {
  const o = objs({
    clusterRoles: [
      cr('esc', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]),
      cr('bind', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }]),
      cr('imp', [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]),
      cr('impsa', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }]),
      cr('wrong-group', [{ apiGroups: [''], resources: ['clusterroles'], verbs: ['*'] }]),
      cr('ctrl', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'get'] }]),
    ],
    clusterRoleBindings: [
      crb('b1', 'esc', [{ kind: 'User', name: 'e' }]),
      crb('b2', 'bind', [{ kind: 'User', name: 'b' }]),
      crb('b3', 'imp', [{ kind: 'User', name: 'i' }]),
      crb('b4', 'impsa', [{ kind: 'User', name: 's' }]),
      crb('b5', 'wrong-group', [{ kind: 'User', name: 'w' }]),
    ],
    roleBindings: [
      {
        metadata: { name: 'rb', namespace: 'ns' },
        roleRef: { kind: 'ClusterRole', name: 'esc' },
        subjects: [{ kind: 'User', name: 'namespaced' }],
      },
    ],
  });
  const es = whoCanEscalate(o);
  const byUser = (n: string) => es.filter((e) => e.subject.name === n);
  assert.equal(byUser('e')[0]?.action, 'escalate');
  assert.equal(byUser('e')[0]?.severity, 'critical');
  assert.equal(byUser('b')[0]?.action, 'bind');
  assert.deepEqual(byUser('b')[0]?.resourceNames, ['view']);
  assert.deepEqual(byUser('i').map((e) => e.resource).sort(), ['groups', 'users']);
  assert.ok(byUser('i').every((e) => e.severity === 'critical'));
  assert.equal(byUser('s')[0]?.severity, 'high');
  assert.deepEqual(byUser('w'), []);
  assert.deepEqual(byUser('namespaced'), []);

  // "*" verbs on "*" resources in "*" groups: everything
  const all = whoCanEscalate(objs({ clusterRoles: [cr('admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])], clusterRoleBindings: [crb('a', 'admin')] }));
  assert.equal(all.length, 7);

  // built-in controller service account is expected
  const ctrl = whoCanEscalate(
    objs({
      clusterRoles: [cr('system:controller:clusterrole-aggregation-controller', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }])],
      clusterRoleBindings: [
        crb('system:controller:clusterrole-aggregation-controller', 'system:controller:clusterrole-aggregation-controller', [
          { kind: 'ServiceAccount', name: 'clusterrole-aggregation-controller', namespace: 'kube-system' },
        ]),
      ],
    }),
  );
  assert.equal(ctrl[0]?.severity, 'low');
});

test('unusual shapes: empty/null subjects, duplicates, dangling roleRef, SA without namespace', () => {
  const rule: PolicyRule = { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] };
  assert.deepEqual(rbacGrants(objs({ clusterRoles: [cr('r', [rule])], clusterRoleBindings: [crb('b', 'r', [])] })), []);
  assert.deepEqual(rbacGrants(objs({ clusterRoles: [cr('r', [rule])], clusterRoleBindings: [crb('b', 'r', null)] })), []);

  // the same subject twice in one binding → one grant; two bindings → two grants (two chains)
  const dup = rbacGrants(objs({ clusterRoles: [cr('r', [rule])], clusterRoleBindings: [crb('b', 'r', [alice, alice]), crb('b2', 'r')] }));
  assert.deepEqual(dup.map((g) => g.chain.binding.name).sort(), ['b', 'b2']);

  // dangling: no grant, reported
  const o = objs({
    clusterRoleBindings: [crb('ghost', 'does-not-exist')],
    roleBindings: [{ metadata: { name: 'rb', namespace: 'ns' }, roleRef: { kind: 'Role', name: 'missing' }, subjects: [alice] }],
  });
  const a = analyzeRbac(o);
  assert.deepEqual(a.kubelet.filter((g) => g.chain.binding.kind !== 'Builtin'), []);
  assert.deepEqual(
    a.dangling.map((d) => `${d.binding.kind}/${d.binding.name}->${d.roleRef.kind}/${d.roleRef.name}`),
    ['ClusterRoleBinding/ghost->ClusterRole/does-not-exist', 'RoleBinding/rb->Role/missing'],
  );

  // a ServiceAccount without namespace in a ClusterRoleBinding never matches (rule.go appliesToUser)
  const sa = analyzeRbac(objs({ clusterRoles: [cr('r', [rule])], clusterRoleBindings: [crb('b', 'r', [{ kind: 'ServiceAccount', name: 'x' }])] }));
  assert.deepEqual(sa.kubelet.filter((g) => g.chain.binding.kind !== 'Builtin'), []);
  assert.ok(sa.notes.some((n) => n.kind === 'ineffective-subject'));

  // a ServiceAccount with namespace does
  const ok = grantsFor(rule, [{ kind: 'ServiceAccount', name: 'x', namespace: 'monitoring' }]);
  assert.deepEqual(ok[0]?.subject, { kind: 'ServiceAccount', name: 'x', namespace: 'monitoring' });
  assert.match(ok[0]?.why ?? '', /ServiceAccount monitoring\/x/);
});

test('20,000 bindings evaluate quickly (sanity bound < 2 s)', () => {
  const clusterRoles: ClusterRole[] = [];
  for (let i = 0; i < 500; i++)
    clusterRoles.push(cr(`role-${i}`, [{ apiGroups: [''], resources: i % 50 === 0 ? ['nodes/proxy'] : ['pods'], verbs: ['get', 'list'] }]));
  const clusterRoleBindings: ClusterRoleBinding[] = [];
  const roleBindings: RoleBinding[] = [];
  for (let i = 0; i < 10_000; i++) {
    clusterRoleBindings.push(crb(`crb-${i}`, `role-${i % 500}`, [{ kind: 'User', name: `u${i}` }, { kind: 'Group', name: `g${i % 7}` }]));
    roleBindings.push({ metadata: { name: `rb-${i}`, namespace: `ns-${i % 100}` }, roleRef: { kind: 'ClusterRole', name: `role-${i % 500}` }, subjects: [{ kind: 'User', name: `u${i}` }] });
  }
  const o = objs({ clusterRoles, clusterRoleBindings, roleBindings });
  const t0 = performance.now();
  const a = analyzeRbac(o);
  const ms = performance.now() - t0;
  // 10 of 500 roles grant nodes/proxy → 200 bindings × 2 subjects
  assert.equal(a.kubelet.filter((g) => g.chain.binding.kind !== 'Builtin').length, 400);
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeRbac,
  whoCanCreateBypassPods,
  whoCanEscalate,
  whoCanReachKubelet,
  type ClusterRole,
  type ClusterRoleBinding,
  type EscalationGrant,
  type Grant,
  type PodCreateGrant,
  type PolicyRule,
  type RbacObjects,
  type Role,
  type RoleBinding,
  type Subject,
} from './rbac.ts';
import { rbacFindings } from './rbac-findings.ts';

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

test('escalate, bind and impersonate: each alone is no path, only its combination is (see rbac/combos.test.ts)', () => {
  const o = objs({
    clusterRoles: [
      cr('esc', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]),
      cr('bind', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }]),
      cr('imp', [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]),
      cr('impsa', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }]),
      cr('wrong-group', [{ apiGroups: [''], resources: ['clusterroles'], verbs: ['*'] }]),
    ],
    clusterRoleBindings: [
      crb('b1', 'esc', [{ kind: 'User', name: 'e' }]),
      crb('b2', 'bind', [{ kind: 'User', name: 'b' }]),
      crb('b3', 'imp', [{ kind: 'User', name: 'i' }]),
      crb('b4', 'impsa', [{ kind: 'User', name: 's' }]),
      crb('b5', 'wrong-group', [{ kind: 'User', name: 'w' }]),
    ],
  });
  const a = analyzeRbac(o);
  const byUser = (n: string) => a.escalation.filter((e) => e.subject.name === n);
  // escalate alone, bind alone: nothing, and a note each
  assert.deepEqual(byUser('e'), []);
  assert.deepEqual(byUser('b'), []);
  assert.deepEqual(a.notes.filter((n) => n.kind === 'incomplete-combination').map((n) => n.object.name).sort(), ['b1', 'b2']);
  // users + groups in one rule: system:masters, critical
  assert.deepEqual(byUser('i').map((e) => `${e.action} ${e.resource} ${e.severity}`), ['impersonate groups critical']);
  // impersonate serviceaccounts with no service account that reaches anything: no path
  assert.deepEqual(byUser('s'), []);
  assert.deepEqual(byUser('w'), []);

  // "*" verbs on "*" resources in "*" groups: binding or escalating adds nothing to it; system:masters does
  const all = whoCanEscalate(objs({ clusterRoles: [cr('admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])], clusterRoleBindings: [crb('a', 'admin')] }));
  assert.deepEqual(all.map((g) => `${g.action} ${g.resource}`).sort(), ['impersonate groups']);

  // built-in controller service account is expected
  const ctrl = whoCanEscalate(
    objs({
      clusterRoles: [cr('system:controller:clusterrole-aggregation-controller', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'get', 'update'] }])],
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

// ---- pod creation around the API server (whoCanCreateBypassPods) ----

const CREATE_PODS: PolicyRule = { apiGroups: [''], resources: ['pods'], verbs: ['create'] };
const NODES_PROXY: PolicyRule = { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] };

function role(ns: string, name: string, rules: PolicyRule[] | null): Role {
  return { metadata: { name, namespace: ns }, rules };
}

function rb(ns: string, name: string, roleRef: { kind: string; name: string }, subjects: Subject[] | null = [alice]): RoleBinding {
  return { metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects };
}

/** alice bound in namespace ns (RoleBinding → Role) to the given rules. */
function nsGrants(rules: PolicyRule[], weak: string[], ns = 'dev', subjects: Subject[] = [alice]): PodCreateGrant[] {
  return whoCanCreateBypassPods(objs({ roles: [role(ns, 'r', rules)], roleBindings: [rb(ns, 'b', { kind: 'Role', name: 'r' }, subjects)] }), {
    weakNamespaces: weak,
  });
}

test('pods: Role with create pods in a namespace without baseline is a high grant, with the chain', () => {
  const gs = nsGrants([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, CREATE_PODS], ['dev']);
  assert.equal(gs.length, 1);
  const g = gs[0]!;
  assert.deepEqual(g.subject, { kind: 'User', name: 'alice' });
  assert.equal(g.clusterWide, false);
  assert.deepEqual(g.namespaces, ['dev']);
  assert.deepEqual(g.reasons, { dev: ['no-baseline'] });
  assert.deepEqual(g.resources, ['pods']);
  assert.deepEqual(g.access, [{ resource: 'pods', verb: 'create' }]);
  assert.deepEqual(g.chain.binding, { kind: 'RoleBinding', name: 'b', namespace: 'dev' });
  assert.deepEqual(g.chain.role, { kind: 'Role', name: 'r', namespace: 'dev' });
  assert.equal(g.chain.ruleIndex, 1);
  assert.equal(g.severity, 'high');
  assert.equal(g.reach, undefined);
  assert.equal(g.kubeletServiceAccounts, undefined);
  assert.equal(g.moreNamespaces, undefined);
  assert.match(g.why, /^User alice: can create pods in namespace dev: Pod Security does not enforce baseline there: a pod there can mount/);
  assert.match(g.why, /hostPath \/\) and the container runtime socket, and act as the kubelet/);
});

test('pods: the same Role in a namespace that enforces baseline is no grant', () => {
  assert.deepEqual(nsGrants([CREATE_PODS], ['other']), []);
  assert.deepEqual(nsGrants([CREATE_PODS], []), []);
});

test('pods: a ClusterRoleBinding grants it in every weak namespace; none when no namespace matters', () => {
  const o = objs({ clusterRoles: [cr('r', [CREATE_PODS])], clusterRoleBindings: [crb('b', 'r')] });
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: ['zeta', 'alpha'] });
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.clusterWide, true);
  assert.deepEqual(gs[0]?.namespaces, ['alpha', 'zeta']);
  assert.deepEqual(gs[0]?.reasons, { alpha: ['no-baseline'], zeta: ['no-baseline'] });
  assert.deepEqual(gs[0]?.chain.binding, { kind: 'ClusterRoleBinding', name: 'b' });
  assert.match(gs[0]?.why ?? '', /in every namespace \(ClusterRoleBinding\): in namespaces alpha, zeta Pod Security/);
  assert.deepEqual(whoCanCreateBypassPods(o, { weakNamespaces: [] }), []);
});

test('pods: "*" verbs, resources and apiGroups match; wrong group or verb does not', () => {
  const all = nsGrants([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], ['dev']);
  assert.deepEqual(all[0]?.resources, [
    'cronjobs.batch',
    'daemonsets.apps',
    'deployments.apps',
    'jobs.batch',
    'pods',
    'replicasets.apps',
    'replicationcontrollers',
    'statefulsets.apps',
  ]);
  // jobs: create only (a Job's pod template is immutable)
  assert.deepEqual(all[0]?.access.filter((a) => a.resource === 'jobs.batch').map((a) => a.verb), ['create']);
  assert.deepEqual(all[0]?.access.filter((a) => a.resource === 'daemonsets.apps').map((a) => a.verb), ['create', 'update', 'patch']);
  assert.deepEqual(nsGrants([{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], ['dev'])[0]?.access, [{ resource: 'pods', verb: 'create' }]);
  assert.equal(nsGrants([{ apiGroups: ['*'], resources: ['pods'], verbs: ['create'] }], ['dev']).length, 1);
  assert.deepEqual(nsGrants([{ apiGroups: ['apps'], resources: ['pods'], verbs: ['create'] }], ['dev']), []);
  assert.deepEqual(nsGrants([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'update', 'patch'] }], ['dev']), []);
  assert.deepEqual(nsGrants([{ apiGroups: [''], resources: ['pods/exec', 'pods/status'], verbs: ['create'] }], ['dev']), []);
  assert.deepEqual(nsGrants([{ resources: ['pods'], verbs: ['create'] }], ['dev']), []);
});

test('pods: create deployments.apps counts; "deployments" in the core group does not', () => {
  const gs = nsGrants([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }], ['dev']);
  assert.deepEqual(gs[0]?.resources, ['deployments.apps']);
  assert.match(gs[0]?.why ?? '', /can create deployments\.apps in namespace dev \(a workload controller creates the pods/);
  assert.deepEqual(nsGrants([{ apiGroups: [''], resources: ['deployments'], verbs: ['create'] }], ['dev']), []);
  const both = nsGrants([CREATE_PODS, { apiGroups: ['apps', 'batch'], resources: ['deployments', 'cronjobs'], verbs: ['create'] }], ['dev']);
  assert.deepEqual(both[0]?.resources, ['cronjobs.batch', 'deployments.apps', 'pods']);
  assert.equal(both[0]?.chain.ruleIndex, 0);
});

test('pods: update/patch on daemonsets count, with the verb; update on jobs does not', () => {
  const gs = nsGrants([{ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'update', 'patch'] }], ['dev']);
  assert.deepEqual(gs[0]?.access, [
    { resource: 'daemonsets.apps', verb: 'update' },
    { resource: 'daemonsets.apps', verb: 'patch' },
  ]);
  assert.match(gs[0]?.why ?? '', /can update\/patch daemonsets\.apps/);
  assert.deepEqual(nsGrants([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['update', 'patch'] }], ['dev']), []);
  assert.equal(nsGrants([{ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['patch'] }], ['dev']).length, 1);
  assert.equal(nsGrants([{ apiGroups: [''], resources: ['replicationcontrollers'], verbs: ['update'] }], ['dev']).length, 1);
});

test('pods: resourceNames never match create; they restrict update/patch and are reported', () => {
  assert.deepEqual(nsGrants([{ ...CREATE_PODS, resourceNames: ['my-pod'] }], ['dev']), []);
  assert.deepEqual(nsGrants([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'], resourceNames: ['web'] }], ['dev']), []);
  const gs = nsGrants([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'], resourceNames: ['web', 'api'] }], ['dev']);
  assert.deepEqual(gs[0]?.access, [
    { resource: 'deployments.apps', verb: 'update', resourceNames: ['web', 'api'] },
    { resource: 'deployments.apps', verb: 'patch', resourceNames: ['web', 'api'] },
  ]);
  assert.match(gs[0]?.why ?? '', /update\/patch deployments\.apps \(only web, api\)/);
  // an unrestricted rule for the same verb wins over a restricted one
  const merged = nsGrants(
    [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['update'], resourceNames: ['web'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['update'] },
    ],
    ['dev'],
  );
  assert.deepEqual(merged[0]?.access, [{ resource: 'deployments.apps', verb: 'update' }]);
});

test('pods: a RoleBinding referencing a ClusterRole grants in its own namespace only', () => {
  const o = objs({
    clusterRoles: [cr('edit-ish', [CREATE_PODS])],
    roleBindings: [rb('dev', 'b1', { kind: 'ClusterRole', name: 'edit-ish' }), rb('prod', 'b2', { kind: 'ClusterRole', name: 'edit-ish' })],
  });
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: ['dev'] });
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.namespaces, ['dev']);
  assert.deepEqual(gs[0]?.chain.role, { kind: 'ClusterRole', name: 'edit-ish' });
  assert.deepEqual(gs[0]?.chain.binding, { kind: 'RoleBinding', name: 'b1', namespace: 'dev' });
  // a Role of another namespace is not resolved (a RoleBinding's Role is in its own namespace)
  const cross = objs({ roles: [role('prod', 'r', [CREATE_PODS])], roleBindings: [rb('dev', 'b', { kind: 'Role', name: 'r' })] });
  assert.deepEqual(whoCanCreateBypassPods(cross, { weakNamespaces: ['dev'] }), []);
});

test('pods: a ServiceAccount subject without namespace in a RoleBinding is that SA of the binding namespace (rule.go)', () => {
  const gs = nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'ServiceAccount', name: 'ci' }]);
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.subject, { kind: 'ServiceAccount', name: 'ci', namespace: 'dev' });
  assert.match(gs[0]?.why ?? '', /^ServiceAccount dev\/ci: /);
  assert.match(gs[0]?.why ?? '', /defaults it to the RoleBinding's namespace/);
  // an SA of another namespace, named explicitly, is that SA
  const other = nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }]);
  assert.deepEqual(other[0]?.subject, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' });
  assert.doesNotMatch(other[0]?.why ?? '', /defaults it/);
  // in a ClusterRoleBinding it never matches
  const o = objs({ clusterRoles: [cr('r', [CREATE_PODS])], clusterRoleBindings: [crb('b', 'r', [{ kind: 'ServiceAccount', name: 'ci' }])] });
  assert.deepEqual(whoCanCreateBypassPods(o, { weakNamespaces: ['dev'] }), []);
  // unknown subject kinds never match
  assert.deepEqual(nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'Robot', name: 'x' }]), []);
});

test('pods: group system:authenticated or system:unauthenticated is critical', () => {
  const auth = nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'Group', name: 'system:authenticated' }]);
  assert.equal(auth[0]?.reach, 'every-authenticated-user');
  assert.equal(auth[0]?.severity, 'critical');
  assert.match(auth[0]?.why ?? '', /^reaches every authenticated user/);
  const anon = nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'Group', name: 'system:unauthenticated' }]);
  assert.equal(anon[0]?.severity, 'critical');
  const sas = nsGrants([CREATE_PODS], ['dev'], 'dev', [{ kind: 'Group', name: 'system:serviceaccounts:dev' }]);
  assert.equal(sas[0]?.reach, 'namespace-service-accounts');
  assert.equal(sas[0]?.severity, 'high');
});

test('pods: a namespace matters when one of its ServiceAccounts can reach the kubelet, even with baseline', () => {
  const o = objs({
    clusterRoles: [cr('proxy', [NODES_PROXY]), cr('logs', [{ apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] }]), cr('stats', [{ apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] }])],
    clusterRoleBindings: [
      crb('mon-proxy', 'proxy', [{ kind: 'ServiceAccount', name: 'agent', namespace: 'mon' }]),
      crb('logging', 'logs', [{ kind: 'ServiceAccount', name: 'shipper', namespace: 'logging' }]),
      crb('metrics', 'stats', [{ kind: 'ServiceAccount', name: 'scraper', namespace: 'metrics' }]),
    ],
    roles: [role('mon', 'r', [CREATE_PODS]), role('logging', 'r', [CREATE_PODS]), role('metrics', 'r', [CREATE_PODS])],
    roleBindings: [
      rb('mon', 'b', { kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'bob' }]),
      rb('logging', 'b', { kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'carol' }]),
      rb('metrics', 'b', { kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'dave' }]),
    ],
  });
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: [] });
  const bob = gs.find((g) => g.subject.name === 'bob');
  assert.ok(bob);
  assert.deepEqual(bob.reasons, { mon: ['kubelet-service-account'] });
  assert.equal(bob.severity, 'critical');
  assert.deepEqual(bob.kubeletServiceAccounts?.['mon']?.subject, { kind: 'ServiceAccount', name: 'agent', namespace: 'mon' });
  assert.equal(bob.kubeletServiceAccounts?.['mon']?.subresource, 'proxy');
  assert.match(bob.why, /^User bob: can create pods in namespace mon: there it can run a pod as ServiceAccount mon\/agent, which can get nodes\/proxy$/);
  // a high kubelet SA (nodes/log) makes it high; a medium one (nodes/stats) does not count
  assert.equal(gs.find((g) => g.subject.name === 'carol')?.severity, 'high');
  assert.equal(gs.find((g) => g.subject.name === 'dave'), undefined);
  // a ClusterRoleBinding to create pods then matters through mon and logging, critical first
  const o2 = objs({ ...o, clusterRoles: [...o.clusterRoles, cr('creator', [CREATE_PODS])], clusterRoleBindings: [...o.clusterRoleBindings, crb('c', 'creator', [{ kind: 'User', name: 'eve' }])] });
  const eve = whoCanCreateBypassPods(o2, { weakNamespaces: ['aaa'] }).find((g) => g.subject.name === 'eve');
  assert.deepEqual(eve?.namespaces, ['mon', 'logging', 'aaa']);
  assert.match(eve?.why ?? '', /in namespace aaa Pod Security does not enforce baseline: .*; in namespace mon it can run a pod as ServiceAccount mon\/agent, which can get nodes\/proxy; in namespace logging it can run a pod as ServiceAccount logging\/shipper, which can get nodes\/log$/);
  assert.equal(eve?.severity, 'critical');
  // and both reasons at once
  const both = whoCanCreateBypassPods(o, { weakNamespaces: ['mon'] }).find((g) => g.subject.name === 'bob');
  assert.deepEqual(both?.reasons, { mon: ['no-baseline', 'kubelet-service-account'] });
});

test('pods: kubelet access of system:serviceaccounts:<ns> and system:serviceaccounts counts for every SA there', () => {
  const base = {
    clusterRoles: [cr('proxy', [NODES_PROXY]), cr('creator', [CREATE_PODS])],
    roles: [role('team', 'r', [CREATE_PODS])],
    roleBindings: [rb('team', 'b', { kind: 'Role', name: 'r' })],
  };
  const nsGroup = objs({ ...base, clusterRoleBindings: [crb('p', 'proxy', [{ kind: 'Group', name: 'system:serviceaccounts:team' }])] });
  const g1 = whoCanCreateBypassPods(nsGroup, { weakNamespaces: [] });
  assert.equal(g1.length, 1);
  assert.equal(g1[0]?.severity, 'critical');
  assert.match(g1[0]?.why ?? '', /there it can run a pod as any of its service accounts, and group system:serviceaccounts:team can get nodes\/proxy/);

  const every = objs({
    ...base,
    clusterRoleBindings: [crb('p', 'proxy', [{ kind: 'Group', name: 'system:serviceaccounts' }]), crb('c', 'creator')],
  });
  const g2 = whoCanCreateBypassPods(every, { weakNamespaces: [] });
  const cluster = g2.find((g) => g.clusterWide);
  assert.deepEqual(cluster?.namespaces, ['*']);
  assert.match(cluster?.why ?? '', /in every namespace it can run a pod as a service account/);
  assert.equal(g2.find((g) => !g.clusterWide)?.severity, 'critical');
  // with allNamespaces, "*" expands
  const g3 = whoCanCreateBypassPods(every, { weakNamespaces: [], allNamespaces: ['b', 'a'] });
  assert.deepEqual(g3.find((g) => g.clusterWide)?.namespaces, ['a', 'b']);
  // system:authenticated kubelet access adds no namespace (the creator has it already)
  const auth = objs({ ...base, clusterRoleBindings: [crb('p', 'proxy', [{ kind: 'Group', name: 'system:authenticated' }])] });
  assert.deepEqual(whoCanCreateBypassPods(auth, { weakNamespaces: [] }), []);
});

test('pods: built-in controllers and system:masters are low and expected/redundant', () => {
  const o = objs({
    clusterRoles: [
      cr('system:controller:daemon-set-controller', [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'create', 'delete', 'patch'] }]),
      cr('system:controller:deployment-controller', [{ apiGroups: ['apps'], resources: ['replicasets'], verbs: ['create', 'update', 'patch'] }]),
      cr('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    ],
    clusterRoleBindings: [
      crb('system:controller:daemon-set-controller', 'system:controller:daemon-set-controller', [
        { kind: 'ServiceAccount', name: 'daemon-set-controller', namespace: 'kube-system' },
      ]),
      crb('system:controller:deployment-controller', 'system:controller:deployment-controller', [
        { kind: 'ServiceAccount', name: 'deployment-controller', namespace: 'kube-system' },
      ]),
      crb('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
      // the same controller role bound to someone else is not expected
      crb('copy', 'system:controller:daemon-set-controller', [{ kind: 'ServiceAccount', name: 'ds', namespace: 'default' }]),
    ],
  });
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: ['dev'] });
  const by = (n: string) => gs.find((g) => g.subject.name === n);
  assert.equal(by('daemon-set-controller')?.severity, 'low');
  assert.match(by('daemon-set-controller')?.why ?? '', /^built-in controller daemon-set-controller \(system:controller:daemon-set-controller\); expected/);
  assert.equal(by('deployment-controller')?.severity, 'low');
  assert.equal(by('system:masters')?.severity, 'low');
  assert.match(by('system:masters')?.why ?? '', /^redundant/);
  assert.equal(by('ds')?.severity, 'high');
});

test('pods: aggregated ClusterRole rules count', () => {
  const agg = cr('agg', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } });
  const part = cr('part', [CREATE_PODS]);
  part.metadata.labels = { x: 'y' };
  const gs = whoCanCreateBypassPods(objs({ clusterRoles: [agg, part], roleBindings: [rb('dev', 'b', { kind: 'ClusterRole', name: 'agg' })] }), {
    weakNamespaces: ['dev'],
  });
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.chain.aggregatedFrom, 'part');
  assert.match(gs[0]?.why ?? '', /aggregationRule/);
});

test('pods: one grant per subject and binding; many namespaces are capped at 20 with a count', () => {
  const weak = Array.from({ length: 50 }, (_, i) => `ns-${String(i).padStart(2, '0')}`);
  const o = objs({ clusterRoles: [cr('r', [CREATE_PODS, { apiGroups: ['apps'], resources: ['*'], verbs: ['create'] }])], clusterRoleBindings: [crb('b', 'r', [alice, alice]), crb('b2', 'r')] });
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: weak });
  assert.deepEqual(gs.map((g) => g.chain.binding.name), ['b', 'b2']);
  assert.equal(gs[0]?.namespaces.length, 20);
  assert.equal(gs[0]?.namespaces[0], 'ns-00');
  assert.equal(gs[0]?.moreNamespaces, 30);
  assert.equal(Object.keys(gs[0]?.reasons ?? {}).length, 20);
  assert.match(gs[0]?.why ?? '', /and 30 more namespaces$/);
});

test('pods: dangling roleRefs and bad shapes do not crash', () => {
  const o = {
    clusterRoles: [cr('r', null), cr('bad', [null as unknown as PolicyRule, CREATE_PODS]), null as unknown as ClusterRole],
    roles: [role('dev', 'nr', null), { metadata: null } as unknown as Role],
    clusterRoleBindings: [
      crb('ghost', 'missing'),
      crb('nul', 'r', null),
      { metadata: { name: 'role-kind' }, roleRef: { kind: 'Role', name: 'nr' }, subjects: [alice] },
      { metadata: { name: 'no-ref' } } as unknown as ClusterRoleBinding,
      crb('bad-subjects', 'bad', [null as unknown as Subject, { kind: 'User' } as unknown as Subject, alice]),
    ],
    roleBindings: [
      rb('dev', 'ghost', { kind: 'Role', name: 'missing' }),
      rb('dev', 'nr', { kind: 'Role', name: 'nr' }),
      rb('dev', 'nul', { kind: 'ClusterRole', name: 'bad' }, null),
      { metadata: { name: 'no-ns' }, roleRef: { kind: 'ClusterRole', name: 'bad' }, subjects: [alice] },
      null as unknown as RoleBinding,
    ],
  } as RbacObjects;
  const gs = whoCanCreateBypassPods(o, { weakNamespaces: ['dev'] });
  assert.deepEqual(gs.map((g) => `${g.chain.binding.name}:${g.subject.name}:${g.chain.ruleIndex}`), ['bad-subjects:alice:1']);
  // missing lists altogether
  assert.deepEqual(whoCanCreateBypassPods({} as RbacObjects, { weakNamespaces: ['dev'] }), []);
});

test('pods: 20,000 bindings and 50 namespaces run', () => {
  const clusterRoles: ClusterRole[] = [];
  for (let i = 0; i < 500; i++)
    clusterRoles.push(
      cr(`role-${i}`, [
        { apiGroups: [''], resources: i % 10 === 0 ? ['pods'] : ['configmaps'], verbs: ['create', 'get'] },
        { apiGroups: [''], resources: i % 250 === 0 ? ['nodes/proxy'] : ['services'], verbs: ['get'] },
      ]),
    );
  const namespaces = Array.from({ length: 50 }, (_, i) => `ns-${i}`);
  const clusterRoleBindings: ClusterRoleBinding[] = [];
  const roleBindings: RoleBinding[] = [];
  for (let i = 0; i < 10_000; i++) {
    clusterRoleBindings.push(
      crb(`crb-${i}`, `role-${i % 500}`, [
        { kind: 'User', name: `u${i}` },
        { kind: 'ServiceAccount', name: `sa${i}`, namespace: `ns-${i % 50}` },
      ]),
    );
    roleBindings.push(rb(`ns-${i % 50}`, `rb-${i}`, { kind: 'ClusterRole', name: `role-${i % 500}` }, [{ kind: 'User', name: `v${i}` }]));
  }
  const gs = whoCanCreateBypassPods(objs({ clusterRoles, clusterRoleBindings, roleBindings }), {
    weakNamespaces: namespaces.filter((_, i) => i % 2 === 0),
    allNamespaces: namespaces,
  });
  assert.ok(gs.length > 0);
  assert.ok(gs.every((g) => g.namespaces.length <= 20));
});

// ---- becoming a service account that reaches the kubelet (impersonation, TokenRequest) ----

const IMPERSONATE_SAS: PolicyRule = { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] };
const CREATE_TOKEN: PolicyRule = { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] };
const DEPLOYER: Subject = { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' };

interface SaCase {
  /** the namespace of the RoleBinding (default ci) */
  ns?: string;
  /** the kubelet rule bound by ClusterRoleBinding "kubelet" (default get nodes/proxy) */
  kubeletRule?: PolicyRule;
  /** who holds it (default ServiceAccount ci/deployer) */
  kubeletSubjects?: Subject[];
  /** who is bound to the rules in the namespace (default alice) */
  subjects?: Subject[];
}

function saObjs(rules: PolicyRule[], c: SaCase = {}): RbacObjects {
  const ns = c.ns ?? 'ci';
  return objs({
    clusterRoles: [cr('kubelet-role', [c.kubeletRule ?? NODES_PROXY])],
    clusterRoleBindings: [crb('kubelet', 'kubelet-role', c.kubeletSubjects ?? [DEPLOYER])],
    roles: [role(ns, 'r', rules)],
    roleBindings: [rb(ns, 'b', { kind: 'Role', name: 'r' }, c.subjects ?? [alice])],
  });
}

/** Escalation grants through the RoleBinding b (or any binding but "kubelet"). */
function saEscalation(rules: PolicyRule[], c: SaCase = {}): EscalationGrant[] {
  return whoCanEscalate(saObjs(rules, c)).filter((g) => g.chain.binding.name !== 'kubelet');
}

test('sa: a RoleBinding to impersonate serviceaccounts in N where N/sa can get nodes/proxy is a critical escalation naming N/sa', () => {
  const gs = saEscalation([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, IMPERSONATE_SAS]);
  assert.equal(gs.length, 1);
  const g = gs[0]!;
  assert.deepEqual(g.subject, { kind: 'User', name: 'alice' });
  assert.equal(g.action, 'impersonate');
  assert.equal(g.resource, 'serviceaccounts');
  assert.deepEqual(g.verbs, ['impersonate']);
  assert.equal(g.namespace, 'ci');
  assert.equal(g.resourceNames, undefined);
  assert.equal(g.severity, 'critical');
  assert.equal(g.reach, undefined);
  assert.deepEqual(g.chain.binding, { kind: 'RoleBinding', name: 'b', namespace: 'ci' });
  assert.deepEqual(g.chain.role, { kind: 'Role', name: 'r', namespace: 'ci' });
  assert.equal(g.chain.ruleIndex, 1);
  assert.deepEqual(g.targets, [
    {
      namespace: 'ci',
      name: 'deployer',
      kubelet: { subject: DEPLOYER, subresource: 'proxy', verbs: ['get'], severity: 'critical', binding: { kind: 'ClusterRoleBinding', name: 'kubelet' } },
    },
  ]);
  assert.equal(g.moreTargets, undefined);
  assert.equal(g.why, 'User alice: can impersonate any service account in namespace ci: ServiceAccount ci/deployer can get nodes/proxy (exec on every node)');
  // analyzeRbac reports it in escalation too, and the finding reads well
  const o = saObjs([IMPERSONATE_SAS]);
  assert.deepEqual(analyzeRbac(o).escalation.filter((e) => e.chain.binding.name === 'b').map((e) => e.action), ['impersonate']);
  const f = rbacFindings(o, [], undefined).find((x) => x.check === 'rbac-escalation' && x.subject === 'User/alice');
  assert.equal(f?.severity, 'critical');
  assert.match(f?.message ?? '', /^User\/alice may impersonate serviceaccounts in namespace ci: User alice: can impersonate any service account in namespace ci: ServiceAccount ci\/deployer can get nodes\/proxy \(exec on every node\)$/);
  assert.match(f?.remediation ?? '', /^remove impersonate serviceaccounts from Role r or the binding b$/);
});

test('sa: nothing when no service account of N reaches the kubelet (other namespace, medium grant only, nothing at all)', () => {
  assert.deepEqual(saEscalation([IMPERSONATE_SAS, CREATE_TOKEN], { kubeletSubjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'mon' }] }), []);
  assert.deepEqual(saEscalation([IMPERSONATE_SAS, CREATE_TOKEN], { kubeletSubjects: [{ kind: 'Group', name: 'system:serviceaccounts:mon' }] }), []);
  assert.deepEqual(saEscalation([IMPERSONATE_SAS, CREATE_TOKEN], { kubeletRule: { apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] } }), []);
  assert.deepEqual(saEscalation([IMPERSONATE_SAS, CREATE_TOKEN], { kubeletSubjects: [] }), []);
  // a User or a group other than the service account groups is no service account to become
  assert.deepEqual(saEscalation([IMPERSONATE_SAS, CREATE_TOKEN], { kubeletSubjects: [{ kind: 'User', name: 'deployer' }, { kind: 'Group', name: 'ops' }] }), []);
  // a high kubelet grant (nodes/log) counts, as high
  const log = saEscalation([IMPERSONATE_SAS], { kubeletRule: { apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] } });
  assert.equal(log[0]?.severity, 'high');
  assert.match(log[0]?.why ?? '', /ServiceAccount ci\/deployer can get nodes\/log \(reads node logs on every node\)$/);
});

test('sa: resourceNames name the service account: [other] → nothing, [deployer] → a grant', () => {
  assert.deepEqual(saEscalation([{ ...IMPERSONATE_SAS, resourceNames: ['other'] }]), []);
  assert.deepEqual(saEscalation([{ ...CREATE_TOKEN, resourceNames: ['other'] }]), []);
  const gs = saEscalation([{ ...IMPERSONATE_SAS, resourceNames: ['other', 'deployer'] }]);
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.resourceNames, ['other', 'deployer']);
  assert.deepEqual(gs[0]?.targets?.map((t) => `${t.namespace}/${t.name}`), ['ci/deployer']);
  assert.match(gs[0]?.why ?? '', /^User alice: can impersonate service accounts other, deployer in namespace ci: ServiceAccount ci\/deployer can get/);
  // rules are merged per binding: one restricted, one not → any name, one grant
  const merged = saEscalation([{ ...IMPERSONATE_SAS, resourceNames: ['other'] }, IMPERSONATE_SAS]);
  assert.equal(merged.length, 1);
  assert.equal(merged[0]?.resourceNames, undefined);
  assert.equal(merged[0]?.chain.ruleIndex, 0);
});

test('sa: create serviceaccounts/token (TokenRequest) in N is a grant; other verbs, resources and groups are not', () => {
  const gs = saEscalation([CREATE_TOKEN]);
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.action, 'serviceaccount-token');
  assert.equal(gs[0]?.resource, 'serviceaccounts/token');
  assert.deepEqual(gs[0]?.verbs, ['create']);
  assert.equal(gs[0]?.namespace, 'ci');
  assert.equal(gs[0]?.severity, 'critical');
  assert.equal(gs[0]?.why, 'User alice: can create tokens (TokenRequest) for any service account in namespace ci: ServiceAccount ci/deployer can get nodes/proxy (exec on every node)');
  const named = saEscalation([{ ...CREATE_TOKEN, resourceNames: ['deployer'] }]);
  assert.deepEqual(named[0]?.resourceNames, ['deployer']);
  assert.deepEqual(saEscalation([{ ...CREATE_TOKEN, verbs: ['get', 'list', 'update'] }]), []);
  assert.deepEqual(saEscalation([{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create', 'get'] }]), []);
  assert.deepEqual(saEscalation([{ ...CREATE_TOKEN, apiGroups: ['authentication.k8s.io'] }]), []);
  assert.deepEqual(saEscalation([{ ...CREATE_TOKEN, apiGroups: undefined }]), []);
  assert.deepEqual(saEscalation([{ ...CREATE_TOKEN, resources: ['serviceaccounts/*'] }]), []);
  assert.deepEqual(saEscalation([{ ...IMPERSONATE_SAS, verbs: ['get', 'create'] }]), []);
  assert.deepEqual(saEscalation([{ ...IMPERSONATE_SAS, apiGroups: ['authentication.k8s.io'] }]), []);
  // and the finding says create, not the action's name
  const f = rbacFindings(saObjs([CREATE_TOKEN]), [], undefined).find((x) => x.check === 'rbac-escalation' && x.subject === 'User/alice');
  assert.match(f?.message ?? '', /^User\/alice may create serviceaccounts\/token in namespace ci: /);
  assert.equal(f?.evidence?.[1]?.setting, 'create serviceaccounts/token');
  assert.match(f?.remediation ?? '', /^remove create serviceaccounts\/token from Role r/);
});

test('sa: "*/token", "*" resources, verbs and apiGroups match', () => {
  const slash = saEscalation([{ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }]);
  assert.deepEqual(slash.map((g) => g.action), ['serviceaccount-token']);
  // (a Role with "*" in ci also binds and escalates Roles there: namespaced paths, see rbac/combos.test.ts)
  const all = saEscalation([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]).filter((g) => g.resource.startsWith('serviceaccounts'));
  assert.deepEqual(all.map((g) => `${g.action} ${g.resource} ${g.verbs.join(',')}`), ['impersonate serviceaccounts *', 'serviceaccount-token serviceaccounts/token *']);
  assert.ok(all.every((g) => g.severity === 'critical' && g.namespace === 'ci'));
  const starVerbs = saEscalation([{ apiGroups: [''], resources: ['serviceaccounts', 'serviceaccounts/token'], verbs: ['*'] }]);
  assert.equal(starVerbs.length, 2);
  // a RoleBinding to a ClusterRole (edit/admin carry both) grants them in the binding's namespace
  const o = objs({
    clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('edit-ish', [IMPERSONATE_SAS, CREATE_TOKEN])],
    clusterRoleBindings: [crb('kubelet', 'kubelet-role', [DEPLOYER])],
    roleBindings: [rb('ci', 'edit', { kind: 'ClusterRole', name: 'edit-ish' }), rb('other', 'edit', { kind: 'ClusterRole', name: 'edit-ish' })],
  });
  const gs = whoCanEscalate(o);
  assert.deepEqual(gs.map((g) => `${g.chain.binding.namespace ?? ''}:${g.action}`), ['ci:impersonate', 'ci:serviceaccount-token']);
  assert.deepEqual(gs[0]?.chain.role, { kind: 'ClusterRole', name: 'edit-ish' });
});

test('sa: group system:serviceaccounts:N (or system:serviceaccounts) with nodes/proxy makes any service account of N a target', () => {
  const nsGroup: Subject = { kind: 'Group', name: 'system:serviceaccounts:ci' };
  const gs = saEscalation([IMPERSONATE_SAS], { kubeletSubjects: [nsGroup] });
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.targets?.map((t) => [t.namespace, t.name, t.kubelet.subject.name]), [['ci', '*', 'system:serviceaccounts:ci']]);
  assert.equal(gs[0]?.severity, 'critical');
  assert.match(gs[0]?.why ?? '', /: any service account of namespace ci \(group system:serviceaccounts:ci\) can get nodes\/proxy \(exec on every node\)$/);
  // impersonating any name of ci brings the group (impersonation.go: MakeGroupNames(namespace), no lookup)
  const named = saEscalation([{ ...IMPERSONATE_SAS, resourceNames: ['whoever'] }], { kubeletSubjects: [nsGroup] });
  assert.deepEqual(named[0]?.targets?.map((t) => `${t.namespace}/${t.name}`), ['ci/whoever']);
  assert.match(named[0]?.why ?? '', /ServiceAccount ci\/whoever \(group system:serviceaccounts:ci\) can get nodes\/proxy/);
  // every service account: ci/* through group system:serviceaccounts
  const every = saEscalation([CREATE_TOKEN], { kubeletSubjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] });
  assert.deepEqual(every[0]?.targets?.map((t) => [t.namespace, t.name, t.kubelet.subject.name]), [['ci', '*', 'system:serviceaccounts']]);
  // a named ServiceAccount no stronger than the group is covered by it and not listed
  const both = saEscalation([IMPERSONATE_SAS], { kubeletSubjects: [nsGroup, DEPLOYER] });
  assert.deepEqual(both[0]?.targets?.map((t) => `${t.namespace}/${t.name}`), ['ci/*']);
  // a stronger named one is listed first
  const o = saObjs([IMPERSONATE_SAS], { kubeletRule: { apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] }, kubeletSubjects: [nsGroup] });
  o.clusterRoles.push(cr('proxy', [NODES_PROXY]));
  o.clusterRoleBindings.push(crb('kubelet-proxy', 'proxy', [DEPLOYER]));
  const mixed = whoCanEscalate(o).filter((g) => g.chain.binding.name === 'b');
  assert.deepEqual(mixed[0]?.targets?.map((t) => `${t.namespace}/${t.name}:${t.kubelet.subresource}`), ['ci/deployer:proxy', 'ci/*:log']);
});

test('sa: a ClusterRoleBinding to create serviceaccounts/token is reported when a service account reaches the kubelet', () => {
  const o = objs({
    clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('minter', [CREATE_TOKEN])],
    clusterRoleBindings: [crb('kubelet', 'kubelet-role', [DEPLOYER]), crb('mint', 'minter')],
  });
  const gs = whoCanEscalate(o);
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.action, 'serviceaccount-token');
  assert.equal(gs[0]?.namespace, undefined);
  assert.equal(gs[0]?.severity, 'critical');
  assert.deepEqual(gs[0]?.chain.binding, { kind: 'ClusterRoleBinding', name: 'mint' });
  assert.match(gs[0]?.why ?? '', /^User alice: can create tokens \(TokenRequest\) for any service account in every namespace: ServiceAccount ci\/deployer can get nodes\/proxy/);
  // none without a kubelet-reaching service account
  assert.deepEqual(whoCanEscalate(objs({ clusterRoles: [cr('minter', [CREATE_TOKEN])], clusterRoleBindings: [crb('mint', 'minter')] })), []);
  // resourceNames pick service accounts of that name in any namespace
  const named = objs({ ...o, clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('minter', [{ ...CREATE_TOKEN, resourceNames: ['deployer'] }])] });
  assert.deepEqual(whoCanEscalate(named)[0]?.targets?.map((t) => `${t.namespace}/${t.name}`), ['ci/deployer']);
  const other = objs({ ...o, clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('minter', [{ ...CREATE_TOKEN, resourceNames: ['x'] }])] });
  assert.deepEqual(whoCanEscalate(other), []);
});

test('sa: cluster-wide impersonate serviceaccounts is reported when a service account it can become reaches the kubelet, naming it', () => {
  const imp = cr('imp', [IMPERSONATE_SAS]);
  // no service account reaches anything: no path
  assert.deepEqual(whoCanEscalate(objs({ clusterRoles: [imp], clusterRoleBindings: [crb('i', 'imp')] })), []);
  const o = objs({ clusterRoles: [imp, cr('kubelet-role', [NODES_PROXY])], clusterRoleBindings: [crb('i', 'imp'), crb('kubelet', 'kubelet-role', [DEPLOYER])] });
  const gs = whoCanEscalate(o);
  assert.equal(gs.length, 1);
  assert.equal(gs[0]?.severity, 'critical');
  assert.deepEqual(gs[0]?.targets?.map((t) => `${t.namespace}/${t.name}`), ['ci/deployer']);
  assert.equal(gs[0]?.why, 'User alice: can impersonate any service account in every namespace: ServiceAccount ci/deployer can get nodes/proxy (exec on every node)');
  // resourceNames that miss: nothing
  assert.deepEqual(whoCanEscalate(objs({ ...o, clusterRoles: [cr('imp', [{ ...IMPERSONATE_SAS, resourceNames: ['x'] }]), cr('kubelet-role', [NODES_PROXY])] })), []);
  // every service account: "any service account"
  const every = objs({ ...o, clusterRoleBindings: [crb('i', 'imp'), crb('kubelet', 'kubelet-role', [{ kind: 'Group', name: 'system:serviceaccounts' }])] });
  assert.match(whoCanEscalate(every)[0]?.why ?? '', /: any service account \(group system:serviceaccounts\) can get nodes\/proxy/);
});

test('sa: a subject that already is the target gains nothing; RoleBinding SA subjects default to its namespace', () => {
  assert.deepEqual(saEscalation([IMPERSONATE_SAS], { subjects: [DEPLOYER] }), []);
  assert.deepEqual(saEscalation([IMPERSONATE_SAS], { subjects: [{ kind: 'ServiceAccount', name: 'deployer' }] }), []);
  // members of the group already hold the group's access
  const nsGroup: Subject = { kind: 'Group', name: 'system:serviceaccounts:ci' };
  assert.deepEqual(saEscalation([IMPERSONATE_SAS], { kubeletSubjects: [nsGroup], subjects: [nsGroup, { kind: 'ServiceAccount', name: 'x', namespace: 'ci' }] }), []);
  assert.deepEqual(saEscalation([IMPERSONATE_SAS], { kubeletSubjects: [{ kind: 'Group', name: 'system:serviceaccounts' }], subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 'other' }] }), []);
  // but another service account of ci can become ci/deployer
  const gs = saEscalation([IMPERSONATE_SAS], { subjects: [{ kind: 'ServiceAccount', name: 'builder' }] });
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.subject, { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' });
  assert.match(gs[0]?.why ?? '', /^ServiceAccount ci\/builder: can impersonate/);
  assert.match(gs[0]?.why ?? '', /defaults it to the RoleBinding's namespace\)$/);
  // and so can group system:serviceaccounts:ci when deployer's grant is its own
  assert.equal(saEscalation([IMPERSONATE_SAS], { subjects: [nsGroup] })[0]?.reach, 'namespace-service-accounts');
  // unknown subject kinds never match
  assert.deepEqual(saEscalation([IMPERSONATE_SAS], { subjects: [{ kind: 'Robot', name: 'r' }] }), []);
});

test('sa: system:masters is redundant, built-in controllers and the controller manager expected; everyone is critical', () => {
  const masters = saEscalation([IMPERSONATE_SAS], { subjects: [{ kind: 'Group', name: 'system:masters' }] });
  assert.equal(masters[0]?.severity, 'low');
  assert.match(masters[0]?.why ?? '', /^redundant/);
  const kcm = objs({
    clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('system:kube-controller-manager', [{ apiGroups: ['*'], resources: ['*'], verbs: ['list', 'watch'] }, CREATE_TOKEN])],
    clusterRoleBindings: [
      crb('kubelet', 'kubelet-role', [DEPLOYER]),
      crb('system:kube-controller-manager', 'system:kube-controller-manager', [{ kind: 'User', name: 'system:kube-controller-manager' }]),
      crb('copy', 'system:kube-controller-manager', [{ kind: 'User', name: 'mallory' }]),
    ],
  });
  const gs = whoCanEscalate(kcm);
  assert.equal(gs.find((g) => g.subject.name === 'system:kube-controller-manager')?.severity, 'low');
  assert.match(gs.find((g) => g.subject.name === 'system:kube-controller-manager')?.why ?? '', /expected/);
  assert.equal(gs.find((g) => g.subject.name === 'mallory')?.severity, 'critical');
  const ctrl = objs({
    clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('system:controller:x', [CREATE_TOKEN])],
    clusterRoleBindings: [crb('kubelet', 'kubelet-role', [DEPLOYER]), crb('system:controller:x', 'system:controller:x', [{ kind: 'ServiceAccount', name: 'x', namespace: 'kube-system' }])],
  });
  assert.equal(whoCanEscalate(ctrl)[0]?.severity, 'low');
  const auth = saEscalation([IMPERSONATE_SAS], { kubeletRule: { apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
  assert.equal(auth[0]?.severity, 'critical');
  assert.equal(auth[0]?.reach, 'every-authenticated-user');
});

test('sa: at most 5 targets named, the rest counted; node resourceNames are shown', () => {
  const many: Subject[] = Array.from({ length: 8 }, (_, i) => ({ kind: 'ServiceAccount', name: `sa-${i}`, namespace: 'ci' }));
  const gs = saEscalation([IMPERSONATE_SAS], { kubeletSubjects: many });
  assert.equal(gs.length, 1);
  assert.deepEqual(gs[0]?.targets?.map((t) => t.name), ['sa-0', 'sa-1', 'sa-2', 'sa-3', 'sa-4']);
  assert.equal(gs[0]?.moreTargets, 3);
  assert.match(gs[0]?.why ?? '', /ServiceAccount ci\/sa-4 can get nodes\/proxy \(exec on every node\); and 3 more$/);
  const one = saEscalation([IMPERSONATE_SAS], { kubeletRule: { ...NODES_PROXY, resourceNames: ['node-a'] } });
  assert.deepEqual(one[0]?.targets?.[0]?.kubelet.resourceNames, ['node-a']);
  assert.match(one[0]?.why ?? '', /\(exec on nodes node-a only\)$/);
});

test('sa: malformed objects do not throw', () => {
  const o = {
    clusterRoles: [cr('kubelet-role', [NODES_PROXY]), cr('nul', null), cr('bad', [null as unknown as PolicyRule, { ...IMPERSONATE_SAS, resourceNames: [null as unknown as string] }, CREATE_TOKEN]), null as unknown as ClusterRole],
    roles: [role('ci', 'nr', null), { metadata: null } as unknown as Role, role('ci', 'r', [{ resources: null, verbs: null }])],
    clusterRoleBindings: [
      crb('kubelet', 'kubelet-role', [DEPLOYER, null as unknown as Subject, { kind: 'ServiceAccount', name: 'nons' }, { kind: 'Group', name: 'system:serviceaccounts:' }]),
      crb('ghost', 'missing'),
      { metadata: { name: 'no-ref' } } as unknown as ClusterRoleBinding,
      crb('bad', 'bad', null),
    ],
    roleBindings: [
      rb('ci', 'ghost', { kind: 'Role', name: 'missing' }),
      rb('ci', 'nr', { kind: 'Role', name: 'nr' }),
      rb('ci', 'r', { kind: 'Role', name: 'r' }),
      rb('ci', 'nul', { kind: 'ClusterRole', name: 'bad' }, null),
      rb('ci', 'bad-subjects', { kind: 'ClusterRole', name: 'bad' }, [null as unknown as Subject, { kind: 'User' } as unknown as Subject, alice]),
      { metadata: { name: 'no-ns' }, roleRef: { kind: 'ClusterRole', name: 'bad' }, subjects: [alice] },
      { metadata: { name: 'no-ref', namespace: 'ci' } } as unknown as RoleBinding,
      null as unknown as RoleBinding,
    ],
  } as RbacObjects;
  const gs = whoCanEscalate(o);
  assert.deepEqual(gs.map((g) => `${g.chain.binding.name}:${g.subject.name}:${g.action}:${g.chain.ruleIndex}`), ['bad-subjects:alice:serviceaccount-token:2']);
  assert.doesNotThrow(() => analyzeRbac(o));
  assert.deepEqual(whoCanEscalate({} as RbacObjects), []);
});

test('sa: 10,000 RoleBindings with impersonate and token in 100 namespaces evaluate quickly (< 2 s)', () => {
  const clusterRoles = [cr('kubelet-role', [NODES_PROXY]), cr('edit-ish', [IMPERSONATE_SAS, CREATE_TOKEN]), cr('view-ish', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])];
  const kubeletSas: Subject[] = Array.from({ length: 50 }, (_, i) => ({ kind: 'ServiceAccount', name: `agent-${i}`, namespace: `ns-${i * 2}` }));
  const roleBindings: RoleBinding[] = [];
  for (let i = 0; i < 10_000; i++)
    roleBindings.push(rb(`ns-${i % 100}`, `rb-${i}`, { kind: 'ClusterRole', name: i % 2 === 0 ? 'edit-ish' : 'view-ish' }, [{ kind: 'User', name: `u${i}` }]));
  const o = objs({ clusterRoles, clusterRoleBindings: [crb('kubelet', 'kubelet-role', kubeletSas)], roleBindings });
  const t0 = performance.now();
  const a = analyzeRbac(o);
  const ms = performance.now() - t0;
  // edit-ish is bound in even namespaces (i even → ns even), where agent-k lives: 5,000 bindings × 2 actions
  assert.equal(a.escalation.length, 10_000);
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
});

// Escalation paths only as whole combinations, as the API server decides them (combos.ts): each
// combination positive and negative — bind without create on bindings, bind limited by
// resourceNames, a RoleBinding to a ClusterRole with nodes, impersonate groups only, users only, both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac, type ClusterRole, type ClusterRoleBinding, type EscalationGrant, type PolicyRule, type RbacObjects, type RoleBinding, type Subject } from '../rbac.ts';
import { rbacFindings } from '../rbac-findings.ts';

const RBAC = 'rbac.authorization.k8s.io';
const alice: Subject = { kind: 'User', name: 'alice' };
const cr = (name: string, rules: PolicyRule[]): ClusterRole => ({ metadata: { name }, rules });
const crb = (name: string, role: string, subjects: Subject[] = [alice]): ClusterRoleBinding => ({ metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects });
const rb = (ns: string, name: string, role: { kind: string; name: string }, subjects: Subject[] = [alice]): RoleBinding => ({ metadata: { name, namespace: ns }, roleRef: { apiGroup: RBAC, ...role }, subjects });

const NODES_PROXY: PolicyRule = { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] };
const BIND_CR = (names?: string[]): PolicyRule => ({ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'], ...(names ? { resourceNames: names } : {}) });
const CREATE_CRB: PolicyRule = { apiGroups: [RBAC], resources: ['clusterrolebindings'], verbs: ['create'] };
const CREATE_RB: PolicyRule = { apiGroups: [RBAC], resources: ['rolebindings'], verbs: ['create'] };
const IMP = (resource: string, names?: string[]): PolicyRule => ({ apiGroups: [''], resources: [resource], verbs: ['impersonate'], ...(names ? { resourceNames: names } : {}) });

/** alice bound (one ClusterRoleBinding each) to roles holding these rules; ClusterRole "proxy" (get nodes/proxy) exists, bound to nobody */
function world(rules: PolicyRule[][], more: Partial<RbacObjects> = {}): RbacObjects {
  return {
    clusterRoles: [cr('proxy', [NODES_PROXY]), cr('view', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), ...rules.map((r, i) => cr(`r${i}`, r)), ...(more.clusterRoles ?? [])],
    roles: more.roles ?? [],
    clusterRoleBindings: [...rules.map((_, i) => crb(`b${i}`, `r${i}`)), ...(more.clusterRoleBindings ?? [])],
    roleBindings: more.roleBindings ?? [],
  };
}
const esc = (o: RbacObjects, who = 'alice'): EscalationGrant[] => analyzeRbac(o).escalation.filter((g) => g.subject.name === who);
const notes = (o: RbacObjects) => analyzeRbac(o).notes.filter((n) => n.kind === 'incomplete-combination');
const paths = (gs: EscalationGrant[]) => gs.map((g) => `${g.action} ${g.resource} ${g.severity}`).sort();

test('bind a ClusterRole: only with create clusterrolebindings, and for the roles resourceNames name', () => {
  // bind alone (no binding it may write): no path, a note
  assert.deepEqual(esc(world([[BIND_CR()]])), []);
  assert.match(notes(world([[BIND_CR()]]))[0]?.message ?? '', /may create or update no binding: the API server asks for bind only when a binding is written/);
  // create clusterrolebindings alone: no path (ConfirmNoEscalation), no note
  assert.deepEqual(esc(world([[CREATE_CRB]])), []);
  // bind + create, in two roles: critical, both parts as evidence, the role named
  const both = esc(world([[BIND_CR()], [CREATE_CRB]]));
  assert.deepEqual(paths(both), ['bind clusterroles critical']);
  assert.match(both[0]!.why, /^User alice: can bind any ClusterRole in a ClusterRoleBinding it may create \(create clusterrolebindings\), so the API server's escalation check lets it grant itself the kubelet access of ClusterRole proxy grants get nodes\/proxy cluster-wide$/);
  assert.deepEqual(both[0]!.also?.map((c) => c.binding.name), ['b1']);
  // resourceNames: [proxy] → the path; [view] → view's permissions only (medium, no kubelet); [missing] → nothing
  assert.deepEqual(paths(esc(world([[BIND_CR(['proxy']), CREATE_CRB]]))), ['bind clusterroles critical']);
  const view = esc(world([[BIND_CR(['view']), CREATE_CRB]]));
  assert.deepEqual(paths(view), ['bind clusterroles medium']);
  assert.doesNotMatch(view[0]!.why, /kubelet access/);
  assert.deepEqual(esc(world([[BIND_CR(['missing']), CREATE_CRB]])), []);
  // a create rule with resourceNames never allows a create (the request has no name)
  assert.deepEqual(esc(world([[BIND_CR(['proxy']), { ...CREATE_CRB, resourceNames: ['x'] }]])), []);
  // update an existing ClusterRoleBinding of that role (roleRef is immutable: add itself as a subject)
  const upd = world([[BIND_CR(['proxy']), { apiGroups: [RBAC], resources: ['clusterrolebindings'], verbs: ['patch'], resourceNames: ['proxy-users'] }]], { clusterRoleBindings: [crb('proxy-users', 'proxy', [{ kind: 'User', name: 'bob' }])] });
  assert.match(esc(upd)[0]?.why ?? '', /in ClusterRoleBinding proxy-users, which it may update to add itself/);
  const updOther = world([[BIND_CR(['proxy']), { apiGroups: [RBAC], resources: ['clusterrolebindings'], verbs: ['update'], resourceNames: ['other'] }]], { clusterRoleBindings: [crb('proxy-users', 'proxy', [{ kind: 'User', name: 'bob' }])] });
  assert.deepEqual(esc(updOther), []);
  // a role it holds already is no gain
  assert.deepEqual(esc(world([[BIND_CR(['proxy']), CREATE_CRB]], { clusterRoleBindings: [crb('has', 'proxy')] })), []);
});

test('bind through a RoleBinding: namespaced only, never nodes (a RoleBinding to a ClusterRole with nodes/proxy grants no kubelet access)', () => {
  // bind + create rolebindings in namespace dev, by RoleBinding: medium, in dev, not the kubelet
  const o = world([], {
    clusterRoles: [cr('binder', [BIND_CR(['proxy']), CREATE_RB])],
    roleBindings: [rb('dev', 'binder', { kind: 'ClusterRole', name: 'binder' })],
  });
  const gs = esc(o);
  assert.deepEqual(paths(gs), ['bind clusterroles medium']);
  assert.equal(gs[0]!.namespace, 'dev');
  assert.match(gs[0]!.why, /a RoleBinding never grants the cluster-scoped nodes\/\* of the kubelet API/);
  // and what it would create (a RoleBinding to ClusterRole proxy in dev) is no kubelet grant
  const after = analyzeRbac({ ...o, roleBindings: [...o.roleBindings, rb('dev', 'mine', { kind: 'ClusterRole', name: 'proxy' })] });
  assert.deepEqual(after.kubelet.filter((g) => g.subject.name === 'alice'), []);
  assert.ok(after.notes.some((n) => n.kind === 'namespaced-binding' && n.object.name === 'mine'));
  // create rolebindings in another namespace than bind: nothing
  const split = world([], {
    clusterRoles: [cr('binder', [BIND_CR(['proxy'])]), cr('writer', [CREATE_RB])],
    roleBindings: [rb('dev', 'binder', { kind: 'ClusterRole', name: 'binder' }), rb('prod', 'writer', { kind: 'ClusterRole', name: 'writer' })],
  });
  assert.deepEqual(esc(split), []);
  // a RoleBinding's bind does not count for a ClusterRoleBinding, even with create clusterrolebindings
  const crbViaRb = world([[CREATE_CRB]], { clusterRoles: [cr('binder', [BIND_CR(['proxy'])])], roleBindings: [rb('dev', 'binder', { kind: 'ClusterRole', name: 'binder' })] });
  assert.deepEqual(esc(crbViaRb).filter((g) => g.severity === 'critical'), []);
});

test('escalate: only with update of a role it holds or may bind (or create + bind a new one)', () => {
  const ESC: PolicyRule = { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate'] };
  const UPD = (names?: string[]): PolicyRule => ({ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['update'], ...(names ? { resourceNames: names } : {}) });
  assert.deepEqual(esc(world([[ESC]])), []);
  assert.match(notes(world([[ESC]]))[0]?.message ?? '', /escalate only lifts the no-escalation check on a role write/);
  // escalate + update of r0, the role that carries them and that alice holds: critical
  const held = esc(world([[ESC, UPD()]]));
  assert.deepEqual(paths(held), ['escalate clusterroles critical']);
  assert.match(held[0]!.why, /ClusterRole r0, which it holds/);
  // update names only another role, not held, not bindable: nothing
  assert.deepEqual(esc(world([[ESC, UPD(['view'])]])), []);
  // escalate limited to other names: nothing
  assert.deepEqual(esc(world([[{ ...ESC, resourceNames: ['view'] }, UPD()]])), []);
});

test('impersonation: groups need a user; system:masters needs users (or a service account) AND that group', () => {
  const kube = { clusterRoleBindings: [crb('ops-proxy', 'proxy', [{ kind: 'User', name: 'ops' }, { kind: 'Group', name: 'net' }])] };
  // groups only: no path, a note
  assert.deepEqual(esc(world([[IMP('groups')]], kube)), []);
  assert.match(notes(world([[IMP('groups')]], kube))[0]?.message ?? '', /refuses Impersonate-Group without Impersonate-User/);
  // users only: the users with kubelet access (ops), not system:masters
  const users = esc(world([[IMP('users')]], kube));
  assert.deepEqual(paths(users), ['impersonate users critical']);
  assert.match(users[0]!.why, /can impersonate any user .*: acts with the kubelet access of User ops can get nodes\/proxy$/);
  assert.doesNotMatch(users[0]!.why, /system:masters/);
  // users only, no user reaches anything: no path
  assert.deepEqual(esc(world([[IMP('users')]])), []);
  // users named [bob] who has no binding: nothing
  assert.deepEqual(esc(world([[IMP('users', ['bob'])]], kube)), []);
  // both, in two bindings: system:masters, critical, both chains
  const both = esc(world([[IMP('groups')], [IMP('users', ['bob'])]], kube));
  assert.deepEqual(paths(both), ['impersonate groups critical']);
  assert.match(both[0]!.why, /impersonate group system:masters \(impersonate groups\) together with a user \(impersonate users \(only bob\)\)/);
  assert.equal(both[0]!.also?.length, 1);
  // groups limited to [net] + users: net's kubelet access, not system:masters
  const net = esc(world([[IMP('groups', ['net']), IMP('users', ['bob'])]], kube));
  assert.deepEqual(paths(net), ['impersonate groups critical']);
  assert.match(net[0]!.why, /the kubelet access of group net can get nodes\/proxy/);
  assert.doesNotMatch(net[0]!.why, /system:masters/);
  // groups limited to [system:masters] + a service account to impersonate (in a namespace, by RoleBinding): critical
  const sa = world([[IMP('groups', ['system:masters'])]], { clusterRoles: [cr('sa-imp', [IMP('serviceaccounts')])], roleBindings: [rb('dev', 'sa', { kind: 'ClusterRole', name: 'sa-imp' })] });
  assert.match(esc(sa).find((g) => g.resource === 'groups')?.why ?? '', /system:masters .* together with a service account \(impersonate serviceaccounts in namespace dev\)/);
});

test('parts held by a group every subject is in combine with the subject\'s own; a whole path of the group is reported on the group', () => {
  const o = world([[BIND_CR(['proxy'])]], { clusterRoles: [cr('crb-writer', [CREATE_CRB])], clusterRoleBindings: [crb('all', 'crb-writer', [{ kind: 'Group', name: 'system:authenticated' }])] });
  const gs = esc(o);
  assert.deepEqual(paths(gs), ['bind clusterroles critical']);
  assert.deepEqual(gs[0]!.also?.map((c) => c.binding.name), ['all']);
  // the group holding both: one finding, on the group, critical; none repeated for alice
  const g = world([], { clusterRoles: [cr('both', [BIND_CR(['proxy']), CREATE_CRB])], clusterRoleBindings: [crb('all', 'both', [{ kind: 'Group', name: 'system:authenticated' }, alice])] });
  const a = analyzeRbac(g).escalation;
  assert.deepEqual(a.map((x) => `${x.subject.name} ${x.severity}`), ['system:authenticated critical']);
});

test('the finding names every part of the combination as evidence; an incomplete one is an info note', () => {
  const fs = rbacFindings(world([[BIND_CR()], [CREATE_CRB]]), [], []);
  const f = fs.find((x) => x.check === 'rbac-escalation' && x.subject === 'User/alice')!;
  assert.equal(f.status, 'fail');
  assert.equal(f.severity, 'critical');
  assert.ok(f.evidence.some((e) => e.note?.startsWith('ClusterRoleBinding/b0 → ClusterRole/r0')));
  assert.ok(f.evidence.some((e) => e.note?.startsWith('ClusterRoleBinding/b1 → ClusterRole/r1')));
  const n = rbacFindings(world([[IMP('groups')]]), [], []).find((x) => x.check === 'rbac-ineffective-rule');
  assert.equal(n?.severity, 'info');
  assert.match(n?.message ?? '', /^ClusterRoleBinding\/b0: ClusterRole r0 \(rule 0\) lets User alice impersonate groups, but it may impersonate no user/);
});

test('escalate a role it may bind: escalate + update + bind + create clusterrolebindings, all four parts named', () => {
  const rules: PolicyRule[] = [
    { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate', 'update'], resourceNames: ['view'] },
    BIND_CR(['view']),
    CREATE_CRB,
  ];
  const gs = esc(world([rules]));
  const e = gs.find((g) => g.action === 'escalate');
  assert.equal(e?.severity, 'critical');
  assert.match(e?.why ?? '', /ClusterRole view, which it may also bind .* into a role it then binds to itself$/);
  // without bind on view it cannot use what it writes there
  assert.deepEqual(esc(world([[rules[0]!, CREATE_CRB]])).filter((g) => g.action === 'escalate'), []);
});

// Escalation by combination: bind, escalate and impersonate users/groups work only together with
// other permissions, and only for the names their rules allow. A path is reported when the whole
// combination is present for one subject (its own bindings plus those of the groups every such
// subject is in); a part without its complement is a note ("grants less than it seems"), never a path.
//
// As the API server decides it (kubernetes/kubernetes):
// - pkg/registry/rbac/escalation_check.go:
//   EscalationAllowed: "system:masters is special because the API server uses it for privileged
//   loopback connections therefore we know that a member of system:masters can always do anything".
//   BindingAuthorized asks {Verb: "bind", Resource: "clusterroles"|"roles", Name: roleRef.Name,
//   Namespace: bindingNamespace} — "check against the namespace where the binding is being created
//   (or the empty namespace for clusterrolebindings)": so bind for a ClusterRoleBinding comes from
//   ClusterRoleBindings only (rule.go visits RoleBindings for namespaced requests only), bind for a
//   RoleBinding in N from a ClusterRoleBinding or a RoleBinding of N, and resourceNames name the roles.
//   RoleEscalationAuthorized asks {Verb: "escalate", Resource: requestInfo.Resource, Name:
//   requestInfo.Name}: on create the request has no name, so an escalate rule with resourceNames
//   helps only update/patch of those roles.
// - pkg/registry/rbac/{clusterrolebinding,rolebinding}/policybased/storage.go: Create and Update
//   (patch is an Update) of a binding go through "if rbacregistry.EscalationAllowed(ctx) ... if
//   rbacregistry.BindingAuthorized(ctx, roleRef, namespace, s.authorizer) ... ConfirmNoEscalation":
//   bind is asked only once the request to create/update the binding itself was authorized, so bind
//   without create (or update/patch of an existing binding: roleRef is immutable, so update adds
//   subjects to a binding of that same role) grants nothing.
//   ConfirmNoEscalation (pkg/registry/rbac/validation/rule.go) lets the write through without bind
//   or escalate only when the writer already holds every rule of the role ("ownerRules, err :=
//   ruleResolver.RulesFor(ctx, user, namespace)" must cover them): no gain, so no path.
// - pkg/registry/rbac/{clusterrole,role}/policybased/storage.go: "if rbacregistry.EscalationAllowed(ctx)
//   || rbacregistry.RoleEscalationAuthorized(ctx, s.authorizer)" skips ConfirmNoEscalation: escalate
//   plus create/update/patch on the role writes any rule into it; that helps its holder only for a
//   role it is bound to, or may bind.
// - A RoleBinding may reference a ClusterRole but grants only within its namespace (rule.go
//   VisitRulesFor), so a binding path through RoleBindings never reaches the cluster-scoped nodes/*.
// - staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go: each Impersonate-* header is
//   authorized as verb "impersonate" on users / groups / serviceaccounts (Namespace and Name of the
//   service account) / uids and userextras/<key> (authentication.k8s.io), by name;
//   "if (hasGroups || hasUserExtra || hasUID) && !hasUser { ... without impersonating a user }": a
//   group can be impersonated only together with a user or service account. The new identity's
//   groups are exactly those impersonated (a service account's own groups only when none are), plus
//   system:authenticated ("When impersonating a non-anonymous user, include the 'system:authenticated'
//   group"). So "every permission, system:masters included" takes impersonate on users (or service
//   accounts) AND on group system:masters. uids and userextras decide nothing in RBAC and are left out;
//   so is constrained impersonation (impersonate:user-info, impersonate-on:<verb>, alpha in 1.34).
// Not followed: chains of steps (impersonate X, then use X's bind), and second-order namespaced
// paths (binding a role that lets one impersonate a kubelet-reaching service account of N).

import { chainOf, kubeletHits, severityFor, SEVERITY_RANK } from './kubelet.ts';
import { apiGroupMatches, resourceMatches, verbMatches } from './match.ts';
import { resolveClusterRole, resolveRoleRef, type EffectiveRule, type Index, type ResolvedRole } from './roles.ts';
import { SYSTEM_MASTERS } from './subjects.ts';
import type { ClusterRoleBinding, GrantChain, Grant, ObjectRef, PolicyRule, RbacObjects, RoleBinding, Severity, Subject } from './types.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The parts escalation paths are made of. */
export type CapKind =
  | 'bindCR' | 'bindR' | 'escalateCR' | 'escalateR' | 'createCR' | 'updateCR' | 'createR'
  | 'createCRB' | 'updateCRB' | 'createRB' | 'impUsers' | 'impGroups' | 'impSAs';

export interface Cap {
  kind: CapKind;
  /** "*": granted by a ClusterRoleBinding (cluster scope and every namespace); else the RoleBinding's namespace */
  scope: string;
  /** the rule's resourceNames; null: any name */
  names: Set<string> | null;
  chain: GrantChain;
  /** the rule's verbs as they match ("*" kept) */
  verbs: string[];
  binding: ObjectRef;
  roleRef: ObjectRef;
}

interface RuleCap { kind: CapKind; er: EffectiveRule; names: Set<string> | null; verbs: string[] }

function ruleNames(rule: PolicyRule): Set<string> | null {
  const rn = rule.resourceNames ?? [];
  return rn.length === 0 ? null : new Set(rn.filter((n) => typeof n === 'string'));
}

const matchedVerbs = (rule: PolicyRule, vs: string[]): string[] => ((rule.verbs ?? []).includes('*') ? ['*'] : vs.filter((v) => (rule.verbs ?? []).includes(v)));

/** What one role's rules contribute to escalation combinations. */
function roleCaps(role: ResolvedRole): RuleCap[] {
  const out: RuleCap[] = [];
  for (const er of role.rules) {
    const r = er.rule;
    const names = ruleNames(r);
    const add = (kind: CapKind, verbs: string[], create = false): void => {
      // a create request has no name: a rule with resourceNames never allows it
      if (create && names) return;
      out.push({ kind, er, names, verbs: matchedVerbs(r, verbs) });
    };
    const verb = (v: string) => verbMatches(r, v);
    const res = (x: string) => resourceMatches(r, x, '');
    if (apiGroupMatches(r, RBAC_GROUP)) {
      if (res('clusterroles')) {
        if (verb('bind')) add('bindCR', ['bind']);
        if (verb('escalate')) add('escalateCR', ['escalate']);
        if (verb('create')) add('createCR', ['create'], true);
        if (verb('update') || verb('patch')) add('updateCR', ['update', 'patch']);
      }
      if (res('roles')) {
        if (verb('bind')) add('bindR', ['bind']);
        if (verb('escalate')) add('escalateR', ['escalate']);
        if (verb('create')) add('createR', ['create'], true);
      }
      if (res('clusterrolebindings')) {
        if (verb('create')) add('createCRB', ['create'], true);
        if (verb('update') || verb('patch')) add('updateCRB', ['update', 'patch']);
      }
      if (res('rolebindings') && verb('create')) add('createRB', ['create'], true);
    }
    if (apiGroupMatches(r, '') && verb('impersonate')) {
      if (res('users')) add('impUsers', ['impersonate']);
      if (res('groups')) add('impGroups', ['impersonate']);
      if (res('serviceaccounts')) add('impSAs', ['impersonate']);
    }
  }
  return out;
}

export const subjectKey = (s: { kind: string; name: string; namespace?: string }): string => `${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`;

/** The groups every member of this subject is in as well (so their grants are its too). */
export function impliedGroups(s: Subject): string[] {
  if (s.kind === 'ServiceAccount') return ['system:serviceaccounts', `system:serviceaccounts:${s.namespace ?? ''}`, 'system:authenticated'];
  if (s.kind === 'User') return ['system:authenticated'];
  if (s.kind !== 'Group' || s.name === 'system:authenticated' || s.name === 'system:unauthenticated') return [];
  if (s.name.startsWith('system:serviceaccounts:')) return ['system:serviceaccounts', 'system:authenticated'];
  return ['system:authenticated'];
}

export interface SubjectCaps {
  subject: Subject;
  caps: Cap[];
}

export interface CapIndex {
  bySubject: Map<string, SubjectCaps>;
  /** ClusterRoles held through ClusterRoleBindings, by subject key */
  heldClusterRoles: Map<string, Set<string>>;
  /** ClusterRoleBindings by name → the ClusterRole they reference (what updating one can add a subject to) */
  crbRole: Map<string, string>;
  /** names of User and Group subjects that are bound to anything */
  boundUsers: Set<string>;
  boundGroups: Set<string>;
}

/** Every subject's escalation parts, through ClusterRoleBindings and RoleBindings. */
export function capIndex(objs: RbacObjects, ix: Index, subjectsOf: {
  cluster: (b: ClusterRoleBinding, ref: ObjectRef) => Subject[];
  namespaced: (b: RoleBinding, ns: string) => Subject[];
  bindingRef: (kind: 'ClusterRoleBinding' | 'RoleBinding', b: ClusterRoleBinding | RoleBinding) => ObjectRef;
}): CapIndex {
  const out: CapIndex = { bySubject: new Map(), heldClusterRoles: new Map(), crbRole: new Map(), boundUsers: new Set(), boundGroups: new Set() };
  const cache = new Map<ResolvedRole, RuleCap[]>();
  const capsOf = (role: ResolvedRole): RuleCap[] => {
    let c = cache.get(role);
    if (!c) cache.set(role, (c = roleCaps(role)));
    return c;
  };
  const note = (s: Subject): void => {
    if (s.kind === 'User') out.boundUsers.add(s.name);
    else if (s.kind === 'Group') out.boundGroups.add(s.name);
  };
  const addCaps = (subjects: Subject[], role: ResolvedRole, scope: string, binding: ObjectRef): void => {
    const rc = capsOf(role);
    if (rc.length === 0) return;
    for (const s of subjects) {
      const k = subjectKey(s);
      let sc = out.bySubject.get(k);
      if (!sc) out.bySubject.set(k, (sc = { subject: s, caps: [] }));
      for (const c of rc) sc.caps.push({ kind: c.kind, scope, names: c.names, verbs: c.verbs, chain: chainOf(binding, role, c.er), binding, roleRef: role.ref });
    }
  };
  for (const b of objs.clusterRoleBindings ?? []) {
    if (!b?.metadata || !b.roleRef || b.roleRef.kind !== 'ClusterRole') continue;
    if (typeof b.metadata.name === 'string') out.crbRole.set(b.metadata.name, b.roleRef.name);
    const role = resolveClusterRole(ix, b.roleRef.name);
    if (!role) continue;
    const ref = subjectsOf.bindingRef('ClusterRoleBinding', b);
    const subjects = subjectsOf.cluster(b, ref);
    for (const s of subjects) {
      note(s);
      const k = subjectKey(s);
      let held = out.heldClusterRoles.get(k);
      if (!held) out.heldClusterRoles.set(k, (held = new Set()));
      held.add(b.roleRef.name);
    }
    addCaps(subjects, role, '*', ref);
  }
  for (const b of objs.roleBindings ?? []) {
    if (!b?.metadata || !b.roleRef) continue;
    const ns = b.metadata.namespace;
    if (!ns) continue;
    const role = resolveRoleRef(ix, b.roleRef, ns);
    const subjects = subjectsOf.namespaced(b, ns);
    for (const s of subjects) note(s);
    if (!role) continue;
    addCaps(subjects, role, ns, subjectsOf.bindingRef('RoleBinding', b));
  }
  return out;
}

// ---- paths ----

export interface ComboPath {
  /** what it is, for deduplication: one per key and subject */
  key: string;
  action: 'escalate' | 'bind' | 'impersonate';
  resource: string;
  severity: Severity;
  /** the exact combination, then what it leads to */
  why: string;
  /** the parts, the first the primary */
  caps: Cap[];
  namespace?: string;
  /** the roles, users or groups it reaches (listed) */
  targets?: string[];
  moreTargets?: number;
}

/** What a ClusterRole gives through the kubelet API: its strongest critical/high kubelet grant, or undefined. */
export type RoleKubelet = (name: string) => { severity: Severity; text: string } | undefined;

export function roleKubelet(ix: Index): RoleKubelet {
  const cache = new Map<string, { severity: Severity; text: string } | undefined>();
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    const role = resolveClusterRole(ix, name);
    let best: { severity: Severity; text: string } | undefined;
    for (const h of role ? kubeletHits(role) : []) {
      const rn = h.er.rule.resourceNames ?? [];
      const { severity } = severityFor(h.sub, h.verbs, '');
      if (severity !== 'critical' && severity !== 'high') continue;
      if (!best || SEVERITY_RANK[severity] < SEVERITY_RANK[best.severity])
        best = { severity, text: `${h.verbs.join('/')} nodes/${h.sub}${rn.length > 0 ? ` (only nodes ${rn.join(', ')})` : ''}` };
    }
    cache.set(name, best);
    return best;
  };
}

/** Users and groups (by name) with a critical or high kubelet grant, strongest first. */
export interface KubeletIdentities {
  users: Map<string, Grant>;
  groups: Map<string, Grant>;
}

export function kubeletIdentities(grants: Grant[]): KubeletIdentities {
  const users = new Map<string, Grant>();
  const groups = new Map<string, Grant>();
  for (const g of grants) {
    if (g.chain.binding.kind === 'Builtin' || (g.severity !== 'critical' && g.severity !== 'high')) continue;
    const m = g.subject.kind === 'User' ? users : g.subject.kind === 'Group' ? groups : undefined;
    if (!m) continue;
    const prev = m.get(g.subject.name);
    if (!prev || SEVERITY_RANK[g.severity] < SEVERITY_RANK[prev.severity]) m.set(g.subject.name, g);
  }
  return { users, groups };
}

const covers = (caps: Cap[], name: string): Cap | undefined => caps.find((c) => c.names === null || c.names.has(name));
const onlyText = (c: Cap): string => (c.names ? ` (only ${[...c.names].join(', ')})` : '');
const MAX_LISTED = 5;
const stronger = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b);

/** The first MAX_LISTED items as text (only those formatted: a list can hold every user of the cluster), and how many more. */
function listed(items: string[], fmt: (x: string) => string, count = items.length): { targets: string[]; more?: number } {
  const targets = items.slice(0, MAX_LISTED).map(fmt);
  return count > targets.length ? { targets, more: count - targets.length } : { targets };
}

/** The first MAX_LISTED items that pass, without copying the rest. */
function firstN(items: Iterable<string>, ok: (x: string) => boolean): string[] {
  const out: string[] = [];
  for (const x of items) {
    if (!ok(x)) continue;
    out.push(x);
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}

export interface ComboContext {
  objs: RbacObjects;
  /** whether a ClusterRole grants every verb on every resource of every group (cluster-admin's first rule) */
  fullAuthority: (clusterRole: string) => boolean;
  clusterRoleNames: ReadonlySet<string>;
  roleKubelet: RoleKubelet;
  ids: KubeletIdentities;
  cx: CapIndex;
  /** the users of ids, strongest first (computed once) */
  sortedKubeletUsers: () => string[];
  /** the ClusterRoles that reach the kubelet (critical/high), strongest first, then by name (computed once) */
  sortedKubeletRoles: () => string[];
  /** a ClusterRoleBinding of each ClusterRole (what update of any binding can add a subject to) */
  bindingOfRole: () => Map<string, string>;
}

/**
 * The paths a set of parts makes, for subject s (who it already is and holds is not counted as a
 * gain). `caps` are its own and those of its implied groups; `held` the ClusterRoles it holds.
 */
export function comboPaths(ctx: ComboContext, s: Subject, caps: Cap[], held: ReadonlySet<string>): { paths: ComboPath[]; partial: Cap[] } {
  const of = (kind: CapKind, clusterOnly = false) => caps.filter((c) => c.kind === kind && (!clusterOnly || c.scope === '*'));
  const paths: ComboPath[] = [];
  const partial: Cap[] = [];

  // ---- impersonation ----
  const users = of('impUsers', true);
  const groups = of('impGroups', true);
  const sas = of('impSAs');
  const userish = users[0] ?? sas[0];
  const userishText = (c: Cap) =>
    c.kind === 'impUsers'
      ? `a user (impersonate users${onlyText(c)})`
      : `a service account (impersonate serviceaccounts${onlyText(c)}${c.scope === '*' ? '' : ` in namespace ${c.scope}`})`;
  const masters = covers(groups, SYSTEM_MASTERS);
  if (masters && userish) {
    paths.push({
      key: 'impersonate|system:masters', action: 'impersonate', resource: 'groups', severity: 'critical', caps: [masters, userish],
      why: `can impersonate group ${SYSTEM_MASTERS} (impersonate groups${onlyText(masters)}) together with ${userishText(userish)}, which the API server requires for Impersonate-Group: the request then runs with exactly the groups impersonated plus system:authenticated, and system:masters is authorized before RBAC — every permission, the kubelet API on every node included`,
    });
  } else if (groups[0] && userish) {
    const named = groups.flatMap((c) => (c.names ? [...c.names] : [...ctx.ids.groups.keys()]));
    const hit = [...new Set(named)].filter((g) => ctx.ids.groups.has(g) && !(s.kind === 'Group' && s.name === g));
    const gainful = hit.length > 0 ? hit : [...new Set(named)].filter((g) => ctx.cx.boundGroups.has(g) && !(s.kind === 'Group' && s.name === g));
    if (gainful.length > 0) {
      const gcap = covers(groups, gainful[0]!)!;
      const sev = hit.reduce<Severity>((a, g) => stronger(a, ctx.ids.groups.get(g)!.severity), hit.length > 0 ? 'high' : 'medium');
      const l = listed(gainful, (g) => (ctx.ids.groups.has(g) ? `group ${g} can ${ctx.ids.groups.get(g)!.verbs.join('/')} nodes/${ctx.ids.groups.get(g)!.subresource}` : `group ${g}`));
      paths.push({
        key: 'impersonate|groups', action: 'impersonate', resource: 'groups', severity: sev, caps: [gcap, userish], targets: l.targets, ...(l.more ? { moreTargets: l.more } : {}),
        why: `can impersonate groups${onlyText(gcap)} together with ${userishText(userish)}, which the API server requires for Impersonate-Group: acts with ${hit.length > 0 ? 'the kubelet access of' : 'the permissions bound to'} ${l.targets.join('; ')}${l.more ? `; and ${l.more} more` : ''}`,
      });
    }
  } else if (groups[0] && !userish) partial.push(...groups);

  if (users[0] && !(masters && userish)) {
    const self = (u: string) => s.kind === 'User' && s.name === u;
    const anyUser = users.find((c) => c.names === null);
    // any user: the kubelet-reaching users strongest first (sorted once), else every bound user; counted, not copied
    let pick: { list: string[]; count: number; kube: boolean };
    if (anyUser) {
      const kube = ctx.sortedKubeletUsers();
      const kubeCount = kube.length - (s.kind === 'User' && ctx.ids.users.has(s.name) ? 1 : 0);
      if (kubeCount > 0) pick = { list: firstN(kube, (u) => !self(u)), count: kubeCount, kube: true };
      else pick = { list: firstN(ctx.cx.boundUsers, (u) => !self(u)), count: ctx.cx.boundUsers.size - (s.kind === 'User' && ctx.cx.boundUsers.has(s.name) ? 1 : 0), kube: false };
    } else {
      const named = [...new Set(users.flatMap((c) => [...c.names!]))].filter((u) => !self(u));
      const kube = named.filter((u) => ctx.ids.users.has(u)).sort((x, y) => SEVERITY_RANK[ctx.ids.users.get(x)!.severity] - SEVERITY_RANK[ctx.ids.users.get(y)!.severity]);
      const bound = named.filter((u) => ctx.cx.boundUsers.has(u));
      pick = kube.length > 0 ? { list: kube, count: kube.length, kube: true } : { list: bound, count: bound.length, kube: false };
    }
    if (pick.count > 0) {
      const ucap = anyUser ?? covers(users, pick.list[0]!)!;
      const sev: Severity = pick.kube ? ctx.ids.users.get(pick.list[0]!)!.severity : 'medium';
      const l = listed(pick.list, (u) => (ctx.ids.users.has(u) ? `User ${u} can ${ctx.ids.users.get(u)!.verbs.join('/')} nodes/${ctx.ids.users.get(u)!.subresource}` : `User ${u}`), pick.count);
      paths.push({
        key: 'impersonate|users', action: 'impersonate', resource: 'users', severity: sev, caps: [ucap],
        targets: l.targets, ...(l.more ? { moreTargets: l.more } : {}),
        why: `can impersonate ${ucap.names ? 'users' : 'any user'}${onlyText(ucap)} (without groups the identity gets only system:authenticated besides the user's own bindings): acts with ${pick.kube ? 'the kubelet access of' : 'the permissions bound to'} ${l.targets.join('; ')}${l.more ? `; and ${l.more} more` : ''}`,
      });
    }
  }

  // holding "*" on "*" cluster-wide already, binding or escalating adds nothing
  if ([...held].some((r) => ctx.fullAuthority(r))) return { paths, partial };

  // ---- bind a ClusterRole cluster-wide ----
  const bindCR = of('bindCR', true);
  const createCRB = of('createCRB', true)[0];
  const updateCRB = of('updateCRB', true);
  /** the ClusterRoleBinding it may update that references ClusterRole r (it can add itself there) */
  const updatable = (r: string): { cap: Cap; binding: string } | undefined => {
    if (updateCRB.length === 0) return undefined;
    const anyB = updateCRB.find((c) => c.names === null);
    if (anyB) {
      const b = ctx.bindingOfRole().get(r);
      return b !== undefined ? { cap: anyB, binding: b } : undefined;
    }
    for (const c of updateCRB) for (const b of c.names!) if (ctx.cx.crbRole.get(b) === r) return { cap: c, binding: b };
    return undefined;
  };
  const writeFor = (r: string): { cap: Cap; text: string } | undefined => {
    if (createCRB) return { cap: createCRB, text: 'a ClusterRoleBinding it may create (create clusterrolebindings)' };
    const u = updatable(r);
    return u ? { cap: u.cap, text: `ClusterRoleBinding ${u.binding}, which it may update to add itself (update/patch clusterrolebindings${onlyText(u.cap)})` } : undefined;
  };
  const bindable = (r: string): boolean => covers(bindCR, r) !== undefined && writeFor(r) !== undefined;
  if (bindCR.length > 0 && (createCRB || updateCRB.length > 0)) {
    const anyRole = bindCR.find((c) => c.names === null);
    const gainful = (r: string) => ctx.clusterRoleNames.has(r) && !held.has(r) && bindable(r);
    // any role: the kubelet-reaching ones (sorted once), else the count of those it does not hold
    let pick: { list: string[]; count: number; kube: boolean };
    if (anyRole) {
      const kubeAll = ctx.sortedKubeletRoles();
      const kube = kubeAll.length <= 4 * MAX_LISTED || createCRB ? firstN(kubeAll, gainful) : kubeAll.filter(gainful);
      const kubeCount = createCRB ? kubeAll.length - [...held].filter((r) => ctx.roleKubelet(r)).length : kube.length;
      if (kubeCount > 0) pick = { list: kube, count: kubeCount, kube: true };
      else {
        const rest = createCRB ? firstN(ctx.clusterRoleNames, gainful) : [...ctx.bindingOfRole().keys()].filter(gainful);
        pick = { list: rest, count: createCRB ? ctx.clusterRoleNames.size - [...held].filter((r) => ctx.clusterRoleNames.has(r)).length : rest.length, kube: false };
      }
    } else {
      const gains = [...new Set(bindCR.flatMap((c) => [...c.names!]))].filter(gainful).sort();
      const kube = gains.filter((r) => ctx.roleKubelet(r)).sort((x, y) => SEVERITY_RANK[ctx.roleKubelet(x)!.severity] - SEVERITY_RANK[ctx.roleKubelet(y)!.severity]);
      pick = kube.length > 0 ? { list: kube, count: kube.length, kube: true } : { list: gains, count: gains.length, kube: false };
    }
    if (pick.count > 0 && pick.list.length > 0) {
      const first = pick.list[0]!;
      const w = writeFor(first)!;
      const bcap = covers(bindCR, first)!;
      const sev: Severity = pick.kube ? ctx.roleKubelet(first)!.severity : anyRole && createCRB ? 'high' : 'medium';
      const l = listed(pick.list, (r) => (ctx.roleKubelet(r) ? `ClusterRole ${r} grants ${ctx.roleKubelet(r)!.text}` : `ClusterRole ${r}`), pick.count);
      paths.push({
        key: 'bind|clusterroles', action: 'bind', resource: 'clusterroles', severity: sev, caps: [bcap, w.cap], targets: l.targets, ...(l.more ? { moreTargets: l.more } : {}),
        why: `can bind ${bcap.names ? 'ClusterRoles' : 'any ClusterRole'}${onlyText(bcap)} in ${w.text}, so the API server's escalation check lets it grant itself ${pick.kube ? 'the kubelet access of' : 'the permissions of'} ${l.targets.join('; ')}${l.more ? `; and ${l.more} more` : ''} cluster-wide`,
      });
    }
  }

  // ---- escalate a ClusterRole it holds or may bind ----
  const escCR = of('escalateCR', true);
  const updateCR = of('updateCR', true);
  const createCR = of('createCR', true)[0];
  if (escCR.length > 0) {
    let found: { role: string; esc: Cap; write: Cap; how: string; parts: Cap[] } | undefined;
    const writable = (r: string) => (ctx.clusterRoleNames.has(r) ? { esc: covers(escCR, r), upd: covers(updateCR, r) } : { esc: undefined, upd: undefined });
    for (const r of [...held].sort()) {
      const { esc, upd } = writable(r);
      if (esc && upd) {
        found = { role: r, esc, write: upd, how: `ClusterRole ${r}, which it holds`, parts: [] };
        break;
      }
    }
    if (!found && updateCR.length > 0 && bindCR.length > 0 && (createCRB || updateCRB.length > 0)) {
      // roles it may bind: the names its rules give, else every role (stopping at the first)
      const named = [...new Set([...escCR, ...updateCR, ...bindCR].flatMap((c) => (c.names ? [...c.names] : [])))].sort();
      const all = escCR.some((c) => c.names === null) && updateCR.some((c) => c.names === null) && bindCR.some((c) => c.names === null);
      for (const r of all ? ctx.clusterRoleNames : named) {
        const { esc, upd } = writable(r);
        if (esc && upd && bindable(r)) {
          found = { role: r, esc, write: upd, how: `ClusterRole ${r}, which it may also bind (bind clusterroles, ${writeFor(r)!.text})`, parts: [covers(bindCR, r)!, writeFor(r)!.cap] };
          break;
        }
      }
    }
    const escAny = escCR.find((c) => c.names === null);
    const bindAny = bindCR.find((c) => c.names === null);
    if (found) {
      paths.push({
        key: 'escalate|clusterroles', action: 'escalate', resource: 'clusterroles', severity: 'critical', caps: [found.esc, found.write, ...found.parts],
        why: `can escalate and update ${found.how} (escalate${onlyText(found.esc)} + update/patch clusterroles${onlyText(found.write)}): escalate skips the API server's no-escalation check, so it writes nodes/proxy — or any permission — into a role it ${found.parts.length > 0 ? 'then binds to itself' : 'holds'}`,
      });
    } else if (escAny && createCR && createCRB && bindAny) {
      paths.push({
        key: 'escalate|clusterroles', action: 'escalate', resource: 'clusterroles', severity: 'critical', caps: [escAny, createCR, bindAny, createCRB],
        why: 'can create a ClusterRole with any rules (escalate + create clusterroles) and bind it to itself (bind + create clusterrolebindings): nodes/proxy, or any permission, cluster-wide',
      });
    }
  }

  // ---- bind in a RoleBinding: namespaced only ----
  const bindNs = [...of('bindR'), ...of('bindCR')];
  const createRB = of('createRB');
  if (bindNs.length > 0 && !paths.some((p) => p.key === 'bind|clusterroles')) {
    const scopesOf = (cs: Cap[]) => new Set(cs.map((c) => c.scope));
    const bs = scopesOf(bindNs);
    const ws = scopesOf(createRB);
    const where = bs.has('*') && ws.has('*') ? ['*'] : [...new Set([...bs].filter((n) => n !== '*' && (ws.has(n) || ws.has('*'))).concat(bs.has('*') ? [...ws].filter((n) => n !== '*') : []))].sort();
    // something to gain: a Role of those namespaces, or a ClusterRole it does not hold cluster-wide
    const inScope = (n: string) => where[0] === '*' || where.includes(n);
    const gain =
      bindNs.some((c) => c.kind === 'bindR' && ctx.objs.roles.some((r) => r?.metadata && inScope(r.metadata.namespace ?? '') && (c.names === null || c.names.has(r.metadata.name)))) ||
      bindNs.some((c) => c.kind === 'bindCR' && [...ctx.clusterRoleNames].some((r) => !held.has(r) && (c.names === null || c.names.has(r))));
    if (where.length > 0 && gain) {
      const ns = where[0]!;
      const b = bindNs.find((c) => c.scope === ns || c.scope === '*')!;
      const w = createRB.find((c) => c.scope === ns || c.scope === '*')!;
      const whereText = ns === '*' ? 'in every namespace' : `in namespace${where.length > 1 ? 's' : ''} ${where.slice(0, 20).join(', ')}${where.length > 20 ? ` and ${where.length - 20} more` : ''}`;
      paths.push({
        key: 'bind|namespaced', action: 'bind', resource: b.kind === 'bindR' ? 'roles' : 'clusterroles', severity: 'medium', caps: [b, w], ...(ns !== '*' && where.length === 1 ? { namespace: ns } : {}),
        why: `can bind ${b.kind === 'bindR' ? 'Roles' : 'ClusterRoles'}${onlyText(b)} in RoleBindings it may create (create rolebindings) ${whereText}: the namespaced permissions of those roles only — a RoleBinding never grants the cluster-scoped nodes/* of the kubelet API`,
      });
      // escalate on roles where it can bind them: write any namespaced rule into a new Role and bind it
      const escR = of('escalateR').find((c) => c.names === null && (c.scope === ns || c.scope === '*'));
      const createR = of('createR').find((c) => c.scope === ns || c.scope === '*');
      if (escR && createR && b.kind === 'bindR' && b.names === null)
        paths.push({
          key: 'escalate|roles', action: 'escalate', resource: 'roles', severity: 'medium', caps: [escR, createR, b, w], ...(ns !== '*' && where.length === 1 ? { namespace: ns } : {}),
          why: `can create Roles with any rules (escalate + create roles) and bind them (bind roles + create rolebindings) ${whereText}: any namespaced permission there, never the cluster-scoped nodes/*`,
        });
    }
  }
  // parts without their complement: bind with no binding it may write, escalate with no role it may
  // write, groups with no user to impersonate
  const has = (k: string) => paths.some((p) => p.key.startsWith(k));
  if (!has('bind|') && !createCRB && updateCRB.length === 0 && createRB.length === 0) partial.push(...bindNs);
  if (!has('escalate|') && updateCR.length === 0 && !createCR && of('createR').length === 0) partial.push(...escCR, ...of('escalateR'));
  return { paths, partial };
}

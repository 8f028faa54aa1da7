// Escalation: escalate/bind on (Cluster)Roles, impersonation (apiserver filters/impersonation.go) and
// TokenRequest (pkg/registry/core/serviceaccount/storage/token.go) to become a service account
// that reaches the kubelet.

import { bindingRefOf, chainOf, kubeletServiceAccounts, nodesText, SEVERITY_RANK, type KubeletSaIndex } from './kubelet.ts';
import { allowedVerbs, apiGroupMatches, resourceMatches, verbMatches } from './match.ts';
import { resolveClusterRole, resolveRoleRef, type EffectiveRule, type Index, type ResolvedRole } from './roles.ts';
import { bump, clusterSubjects, namespacedSubjects, reachOf, reachText, subjectRef } from './subjects.ts';
import { capIndex, comboPaths, impliedGroups, kubeletIdentities, roleKubelet, subjectKey, type Cap, type ComboContext } from './combos.ts';
import {
  MAX_ESCALATION_TARGETS,
  type ClusterRoleBinding,
  type EscalationAction,
  type EscalationGrant,
  type EscalationTarget,
  type Grant,
  type KubeletServiceAccount,
  type ObjectRef,
  type PolicyRule,
  type RbacNote,
  type RbacObjects,
  type Reach,
  type RoleBinding,
  type RoleRef,
  type Severity,
  type Subject,
  type SubjectRef,
} from './types.ts';


// ---- escalation ----
//
// Cluster-wide (ClusterRoleBindings): escalate/bind on (cluster)roles, impersonate on users,
// groups and serviceaccounts.
//
// Becoming a service account that reaches the kubelet, through a RoleBinding too:
// - impersonation (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go):
//   "Impersonate-User: system:serviceaccount:N:S" becomes the request {Kind: ServiceAccount,
//   Namespace: N, Name: S}, authorized as verb "impersonate", APIGroup "" (the core kind), Resource
//   "serviceaccounts", Namespace N, Name S. A namespaced request, so rule.go visits the
//   RoleBindings of N as well, and resourceNames restrict S. Without Impersonate-Group the
//   identity gets serviceaccount.MakeGroupNames(N) (system:serviceaccounts and
//   system:serviceaccounts:N) plus system:authenticated; the ServiceAccount is never looked up, so
//   any name in N carries the grants of those groups.
// - TokenRequest: POST /api/v1/namespaces/N/serviceaccounts/S/token is verb "create", resource
//   "serviceaccounts", subresource "token", name S (requestinfo.go: parts are
//   resource/resourceName/subresource), so "serviceaccounts/token", "*/token" and "*" match and
//   resourceNames restrict S; pkg/registry/core/serviceaccount/storage/token.go then mints a token
//   for ServiceAccount S of N (`r.svcaccts.Get(ctx, name, ...)`: it must exist).
// Both are reported when a service account they reach has a critical or high kubelet grant (by
// name, or through group system:serviceaccounts:N or system:serviceaccounts); cluster-wide
// impersonate serviceaccounts is reported in any case. Reading legacy token secrets is left out:
// whether such secrets exist is not in the RBAC objects.

/** kube-controller-manager's user and ClusterRole (bootstrap policy): it mints tokens for the controllers' service accounts. */
const KUBE_CONTROLLER_MANAGER = 'system:kube-controller-manager';

/** Who holds an escalation grant: redundant or expected holders are low, everyone/anonymous critical. */
function escalationHolder(
  s: Subject,
  roleRef: RoleRef,
  action: EscalationAction,
  severity: Severity,
  why: string,
): { severity: Severity; why: string; reach: Reach | undefined; expected?: true } {
  const reach = reachOf(s);
  if (reach === 'superusers') return { severity: 'low', why: `redundant: system:masters is always allowed. Otherwise: ${why}`, reach, expected: true };
  if (s.kind === 'ServiceAccount' && s.namespace === 'kube-system' && roleRef.name.startsWith('system:controller:'))
    return { severity: 'low', why: `built-in controller ${s.name} (${roleRef.name}); expected. Otherwise: ${why}`, reach, expected: true };
  if (action === 'serviceaccount-token' && s.kind === 'User' && s.name === KUBE_CONTROLLER_MANAGER && roleRef.kind === 'ClusterRole' && roleRef.name === KUBE_CONTROLLER_MANAGER)
    return {
      severity: 'low',
      why: `the controller manager's own role (it mints the tokens of the controllers' service accounts); expected. Otherwise: ${why}`,
      reach,
      expected: true,
    };
  return {
    severity: reach === 'every-authenticated-user' || reach === 'anonymous' ? bump(severity) : severity,
    why: `${reachText(s, reach)}: ${why}`,
    reach,
  };
}

// ---- service accounts that reach the kubelet, as escalation targets ----

/** What a role grants on service accounts of a namespace (merged over its rules). */
interface SaAccess {
  first: EffectiveRule;
  verbs: string[];
  /** null: any name. */
  names: Set<string> | null;
}

interface SaEscalationSummary {
  impersonate?: SaAccess;
  token?: SaAccess;
}

function ruleNames(rule: PolicyRule): Set<string> | null {
  const rn = rule.resourceNames ?? [];
  return rn.length === 0 ? null : new Set(rn.filter((n) => typeof n === 'string'));
}

function mergeAccess(prev: SaAccess | undefined, er: EffectiveRule, verbs: string[], names: Set<string> | null): SaAccess {
  if (!prev) return { first: er, verbs, names };
  return {
    first: prev.first,
    verbs: prev.verbs.includes('*') || verbs.includes('*') ? ['*'] : prev.verbs,
    names: prev.names === null || names === null ? null : new Set([...prev.names, ...names]),
  };
}

function saEscalationSummary(role: ResolvedRole): SaEscalationSummary {
  const out: SaEscalationSummary = {};
  for (const er of role.rules) {
    const rule = er.rule;
    if (!apiGroupMatches(rule, '')) continue;
    if (verbMatches(rule, 'impersonate') && resourceMatches(rule, 'serviceaccounts', ''))
      out.impersonate = mergeAccess(out.impersonate, er, allowedVerbs(rule, ['impersonate']), ruleNames(rule));
    if (verbMatches(rule, 'create') && resourceMatches(rule, 'serviceaccounts/token', 'token'))
      out.token = mergeAccess(out.token, er, allowedVerbs(rule, ['create']), ruleNames(rule));
  }
  return out;
}

interface TargetContext {
  kix: KubeletSaIndex;
  /** Namespaces with a kubelet-reaching ServiceAccount or namespace group, sorted. */
  namespaces: string[];
  /** Any kubelet-reaching service account at all. */
  any: boolean;
  cache: Map<string, EscalationTarget[]>;
}

function targetContext(kix: KubeletSaIndex): TargetContext {
  const namespaces = [...new Set([...kix.byName.keys(), ...kix.nsGroup.keys()])].sort();
  return { kix, namespaces, any: namespaces.length > 0 || kix.everySa !== undefined, cache: new Map() };
}

function reachableIn(tc: TargetContext, ns: string): boolean {
  return tc.kix.everySa !== undefined || tc.kix.byName.has(ns) || tc.kix.nsGroup.has(ns);
}

const targetRank = (t: EscalationTarget) => SEVERITY_RANK[t.kubelet.severity];

/**
 * Every kubelet-reaching service account one can become in namespace ns (undefined: any
 * namespace), restricted to names (null: any), before per-subject filtering. Cached.
 */
function saTargets(tc: TargetContext, ns: string | undefined, names: Set<string> | null): EscalationTarget[] {
  const key = `${ns ?? '\u0000'}\u0000${names ? [...names].sort().join('\u0000') : '\u0001'}`;
  const cached = tc.cache.get(key);
  if (cached) return cached;
  const found = new Map<string, EscalationTarget>();
  const add = (namespace: string, name: string, kubelet: KubeletServiceAccount) => {
    const k = `${namespace}\u0000${name}`;
    const prev = found.get(k);
    if (!prev || SEVERITY_RANK[kubelet.severity] < targetRank(prev)) found.set(k, { namespace, name, kubelet });
  };
  for (const n of ns !== undefined ? [ns] : tc.namespaces) {
    for (const [name, k] of tc.kix.byName.get(n) ?? []) if (!names || names.has(name)) add(n, name, k);
    const group = tc.kix.nsGroup.get(n);
    if (group) for (const name of names ?? ['*']) add(n, name, group);
  }
  if (tc.kix.everySa) for (const name of names ?? ['*']) add(ns ?? '*', name, tc.kix.everySa);
  const out = [...found.values()].sort(
    (a, b) => targetRank(a) - targetRank(b) || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  tc.cache.set(key, out);
  return out;
}

/** The subject already holds that kubelet grant: it is that ServiceAccount, or a member of that group. */
function alreadyHolds(s: Subject, k: SubjectRef): boolean {
  if (k.kind === 'ServiceAccount') return s.kind === 'ServiceAccount' && s.namespace === k.namespace && s.name === k.name;
  if (k.name === 'system:serviceaccounts')
    return s.kind === 'ServiceAccount' || (s.kind === 'Group' && (s.name === k.name || s.name.startsWith('system:serviceaccounts:')));
  const ns = k.name.slice('system:serviceaccounts:'.length);
  return (s.kind === 'ServiceAccount' && s.namespace === ns) || (s.kind === 'Group' && s.name === k.name);
}

const covers = (w: EscalationTarget, t: EscalationTarget) =>
  (w.namespace === '*' || w.namespace === t.namespace) && (w.name === '*' || w.name === t.name);

/**
 * What targetsFor needs of one target list, computed once for every subject given it: for each
 * target, the wider targets that cover it at least as strongly (its dominators), the reverse, and
 * the targets by whose kubelet grant they use.
 */
interface TargetIndex {
  dominators: number[][];
  dominates: Map<number, number[]>;
  /** targets with no dominator */
  free: number;
  byHolder: Map<string, number[]>;
}

const targetIndexes = new WeakMap<EscalationTarget[], TargetIndex>();
const holderKey = (k: SubjectRef): string => `${k.kind}\u0000${k.namespace ?? ''}\u0000${k.name}`;

function targetIndex(all: EscalationTarget[]): TargetIndex {
  let ti = targetIndexes.get(all);
  if (ti) return ti;
  const wide: number[] = [];
  all.forEach((t, i) => {
    if (t.name === '*' || t.namespace === '*') wide.push(i);
  });
  const dominators: number[][] = all.map(() => []);
  const dominates = new Map<number, number[]>();
  for (const w of wide) {
    all.forEach((t, i) => {
      if (w !== i && covers(all[w]!, t) && targetRank(all[w]!) <= targetRank(t)) {
        dominators[i]!.push(w);
        const l = dominates.get(w);
        if (l) l.push(i);
        else dominates.set(w, [i]);
      }
    });
  }
  const byHolder = new Map<string, number[]>();
  all.forEach((t, i) => {
    const k = holderKey(t.kubelet.subject);
    const l = byHolder.get(k);
    if (l) l.push(i);
    else byHolder.set(k, [i]);
  });
  ti = { dominators, dominates, free: dominators.filter((d) => d.length === 0).length, byHolder };
  targetIndexes.set(all, ti);
  return ti;
}

/** The kubelet grants (as holder keys) a subject may already hold: see alreadyHolds. */
function heldKeys(s: Subject): string[] {
  const sa = (ns: string | undefined, name: string) => holderKey({ kind: 'ServiceAccount', name, ...(ns !== undefined ? { namespace: ns } : {}) } as SubjectRef);
  const group = (name: string) => holderKey({ kind: 'Group', name } as SubjectRef);
  if (s.kind === 'ServiceAccount') return [sa(s.namespace, s.name), group('system:serviceaccounts'), group(`system:serviceaccounts:${s.namespace ?? ''}`)];
  if (s.kind === 'Group') return s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:') ? [group(s.name), group('system:serviceaccounts')] : [group(s.name)];
  return [];
}

/**
 * The targets that give the subject something new (those it does not hold already), without those a
 * wider target it does not hold covers at least as strongly: the first MAX_ESCALATION_TARGETS,
 * strongest first, and how many there are. Computed from the held targets only (a subject holds a
 * few), not by comparing every target with every wider one for every subject: 100,000 bindings
 * stay seconds, not minutes.
 */
export function targetsFor(s: Subject, all: EscalationTarget[]): { listed: EscalationTarget[]; count: number } {
  if (all.length === 0) return { listed: [], count: 0 };
  const ti = targetIndex(all);
  const held = new Set<number>();
  for (const k of heldKeys(s)) for (const i of ti.byHolder.get(k) ?? []) if (alreadyHolds(s, all[i]!.kubelet.subject)) held.add(i);
  const kept = (i: number): boolean => !held.has(i) && ti.dominators[i]!.every((w) => held.has(w));
  const listed: EscalationTarget[] = [];
  for (let i = 0; i < all.length && listed.length < MAX_ESCALATION_TARGETS; i++) if (kept(i)) listed.push(all[i]!);
  // free targets less the held ones, plus those whose every dominator is held
  let count = ti.free;
  for (const i of held) if (ti.dominators[i]!.length === 0) count--;
  const freed = new Set<number>();
  for (const w of held) for (const i of ti.dominates.get(w) ?? []) if (!freed.has(i) && kept(i)) freed.add(i);
  return { listed, count: count + freed.size };
}

function kubeletEffect(k: KubeletServiceAccount): string {
  const on = nodesText(k.resourceNames);
  switch (k.subresource) {
    case 'proxy':
      return k.severity === 'critical' ? `exec on ${on}` : `writes to the kubelet API on ${on}`;
    case 'log':
      return `reads node logs on ${on}`;
    case 'checkpoint':
      return `checkpoints containers on ${on}`;
    default:
      return `on ${on}`;
  }
}

function targetText(t: EscalationTarget): string {
  const k = t.kubelet;
  const group = k.subject.kind === 'ServiceAccount' ? '' : ` (group ${k.subject.name})`;
  const who =
    t.name === '*'
      ? t.namespace === '*'
        ? `any service account${group}`
        : `any service account of namespace ${t.namespace}${group}`
      : t.namespace === '*'
        ? `a ServiceAccount named ${t.name} in any namespace${group}`
        : `ServiceAccount ${t.namespace}/${t.name}${group}`;
  return `${who} can ${k.verbs.join('/')} nodes/${k.subresource} (${kubeletEffect(k)})`;
}

function targetsText(listed: EscalationTarget[], more: number): string {
  return listed.map(targetText).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A grant to become kubelet-reaching service accounts, or undefined when the subject gains none. */
function makeSaGrant(
  s: Subject,
  binding: ClusterRoleBinding | RoleBinding,
  bindingRef: ObjectRef,
  role: ResolvedRole,
  action: 'impersonate' | 'serviceaccount-token',
  acc: SaAccess,
  ns: string | undefined,
  all: EscalationTarget[],
  defaultedSa: boolean,
): EscalationGrant | undefined {
  const mine = targetsFor(s, all);
  const top = mine.listed[0];
  if (!top) return undefined;
  const listed = mine.listed;
  const more = mine.count - listed.length;
  const names = acc.names ? [...acc.names] : undefined;
  const whom = names ? `service accounts ${names.join(', ')}` : 'any service account';
  const where = ns !== undefined ? `in namespace ${ns}` : 'in every namespace';
  let why = `${action === 'impersonate' ? `can impersonate ${whom}` : `can create tokens (TokenRequest) for ${whom}`} ${where}: ${targetsText(listed, more)}`;
  if (defaultedSa) why += ` (ServiceAccount subject without namespace: rule.go defaults it to the RoleBinding's namespace)`;
  const h = escalationHolder(s, binding.roleRef, action, top.kubelet.severity, why);
  const g: EscalationGrant = {
    subject: subjectRef(s),
    action,
    resource: action === 'impersonate' ? 'serviceaccounts' : 'serviceaccounts/token',
    verbs: acc.verbs,
    chain: chainOf(bindingRef, role, acc.first),
    severity: h.severity,
    why: h.why,
  };
  if (names) g.resourceNames = names;
  if (ns !== undefined) g.namespace = ns;
  g.targets = listed;
  if (more > 0) g.moreTargets = more;
  if (h.reach) g.reach = h.reach;
  if (h.expected) g.expected = true;
  return g;
}

export function evaluateEscalation(objs: RbacObjects, ix: Index, kubelet: Grant[], notes: RbacNote[] = []): EscalationGrant[] {
  const out: EscalationGrant[] = [];
  const seen = new Set<string>();
  const noteSink: RbacNote[] = [];
  const tc = targetContext(kubeletServiceAccounts(kubelet));
  const summaries = new Map<ResolvedRole, SaEscalationSummary>();
  const summaryOf = (role: ResolvedRole): SaEscalationSummary => {
    let sum = summaries.get(role);
    if (!sum) summaries.set(role, (sum = saEscalationSummary(role)));
    return sum;
  };

  // ClusterRoleBindings: impersonate serviceaccounts and create serviceaccounts/token in every namespace
  if (tc.any)
    for (const b of objs.clusterRoleBindings ?? []) {
      if (!b?.metadata || !b.roleRef || b.roleRef.kind !== 'ClusterRole') continue;
      const role = resolveClusterRole(ix, b.roleRef.name);
      if (!role) continue;
      const sum = summaryOf(role);
      if (!sum.impersonate && !sum.token) continue;
      const bindingRef = bindingRefOf('ClusterRoleBinding', b.metadata);
      const subjects = clusterSubjects(b, bindingRef, noteSink);
      for (const [action, acc] of [
        ['impersonate', sum.impersonate],
        ['serviceaccount-token', sum.token],
      ] as const) {
        if (!acc) continue;
        const all = saTargets(tc, undefined, acc.names);
        if (all.length === 0) continue;
        for (const s of subjects) {
          const k = `${b.metadata.name}\u0000${subjectKey(s)}\u0000${action}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const g = makeSaGrant(s, b, bindingRef, role, action, acc, undefined, all, false);
          if (g) out.push(g);
        }
      }
    }

  // bind, escalate, impersonate users and groups: only as whole combinations (combos.ts)
  out.push(...comboGrants(objs, ix, kubelet, notes));

  // RoleBindings: impersonate serviceaccounts and create serviceaccounts/token in their namespace
  if (tc.any)
    for (const b of objs.roleBindings ?? []) {
      if (!b?.metadata || !b.roleRef) continue;
      const ns = b.metadata.namespace;
      if (!ns || !reachableIn(tc, ns)) continue;
      const role = resolveRoleRef(ix, b.roleRef, ns);
      if (!role) continue; // dangling: reported by evaluateKubelet
      const sum = summaryOf(role);
      if (!sum.impersonate && !sum.token) continue;
      const bindingRef = bindingRefOf('RoleBinding', b.metadata);
      const subjects = namespacedSubjects(b, ns);
      for (const [action, acc] of [
        ['impersonate', sum.impersonate],
        ['serviceaccount-token', sum.token],
      ] as const) {
        if (!acc) continue;
        const all = saTargets(tc, ns, acc.names);
        if (all.length === 0) continue;
        for (const { s, defaulted } of subjects) {
          const g = makeSaGrant(s, b, bindingRef, role, action, acc, ns, all, defaulted);
          if (g) out.push(g);
        }
      }
    }
  return out;
}

/** The escalation paths made of combinations (combos.ts), one grant per subject and path; parts without their complement become notes. */
function comboGrants(objs: RbacObjects, ix: Index, kubelet: Grant[], notes: RbacNote[]): EscalationGrant[] {
  const sink: RbacNote[] = [];
  const cx = capIndex(objs, ix, {
    cluster: (b, ref) => clusterSubjects(b, ref, sink),
    namespaced: (b, ns) => namespacedSubjects(b, ns).map((x) => x.s),
    bindingRef: (kind, b) => bindingRefOf(kind, b.metadata),
  });
  if (cx.bySubject.size === 0) return [];
  let sortedUsers: string[] | undefined;
  let sortedRoles: string[] | undefined;
  let roleBinding: Map<string, string> | undefined;
  const ctx: ComboContext = {
    objs,
    fullAuthority: (name) =>
      (resolveClusterRole(ix, name)?.rules ?? []).some((er) => ['apiGroups', 'resources', 'verbs'].every((f) => ((er.rule as Record<string, unknown>)[f] as unknown[] | undefined)?.includes('*'))),
    clusterRoleNames: new Set(ix.clusterRoles.keys()),
    roleKubelet: roleKubelet(ix),
    ids: kubeletIdentities(kubelet),
    cx,
    sortedKubeletUsers: () => (sortedUsers ??= [...ctx.ids.users.keys()].sort((a, b) => SEVERITY_RANK[ctx.ids.users.get(a)!.severity] - SEVERITY_RANK[ctx.ids.users.get(b)!.severity])),
    sortedKubeletRoles: () =>
      (sortedRoles ??= [...ix.clusterRoles.keys()]
        .filter((r) => ctx.roleKubelet(r))
        .sort((a, b) => SEVERITY_RANK[ctx.roleKubelet(a)!.severity] - SEVERITY_RANK[ctx.roleKubelet(b)!.severity] || (a < b ? -1 : a > b ? 1 : 0))),
    bindingOfRole: () => {
      if (!roleBinding) {
        roleBinding = new Map();
        for (const [b, r] of cx.crbRole) if (!roleBinding.has(r)) roleBinding.set(r, b);
      }
      return roleBinding;
    },
  };
  const out: EscalationGrant[] = [];
  const noted = new Set<string>();
  for (const [k, sc] of cx.bySubject) {
    const s = sc.subject;
    const groups = impliedGroups(s).map((g) => subjectKey({ kind: 'Group', name: g }));
    const implied: Cap[] = groups.flatMap((g) => cx.bySubject.get(g)?.caps ?? []);
    const heldImplied = new Set(groups.flatMap((g) => [...(cx.heldClusterRoles.get(g) ?? [])]));
    const held = new Set([...(cx.heldClusterRoles.get(k) ?? []), ...heldImplied]);
    const { paths, partial } = comboPaths(ctx, s, [...sc.caps, ...implied], held);
    // what its groups' members all hold is reported on the group, once
    const byGroups = implied.length > 0 && paths.length > 0 ? new Set(comboPaths(ctx, s, implied, heldImplied).paths.map((p) => p.key)) : new Set<string>();
    const own = new Set(sc.caps);
    for (const p of paths) {
      if (byGroups.has(p.key) || !p.caps.some((c) => own.has(c))) continue;
      const primary = p.caps.find((c) => own.has(c)) ?? p.caps[0]!;
      const h = escalationHolder(s, { kind: primary.roleRef.kind, name: primary.roleRef.name }, p.action, p.severity, p.why);
      const g: EscalationGrant = {
        subject: subjectRef(s),
        action: p.action,
        resource: p.resource,
        verbs: primary.verbs,
        chain: primary.chain,
        severity: h.severity,
        why: h.why,
      };
      const also = p.caps.filter((c) => c !== primary && c.chain !== primary.chain).map((c) => c.chain);
      if (also.length > 0) g.also = [...new Set(also)];
      if (primary.names) g.resourceNames = [...primary.names];
      if (p.namespace !== undefined) g.namespace = p.namespace;
      if (p.targets) g.reaches = p.targets;
      if (p.moreTargets) g.moreReaches = p.moreTargets;
      if (h.reach) g.reach = h.reach;
      if (h.expected) g.expected = true;
      out.push(g);
    }
    for (const c of partial) {
      if (!own.has(c)) continue;
      const nk = `${refKey(c.binding)}\u0000${c.kind}`;
      if (noted.has(nk)) continue;
      noted.add(nk);
      notes.push({ kind: 'incomplete-combination', object: c.binding, message: partialMessage(c, s) });
    }
  }
  return out;
}

const refKey = (r: ObjectRef): string => `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;

function partialMessage(c: Cap, s: Subject): string {
  const from = `${c.roleRef.kind} ${c.roleRef.name} (rule ${c.chain.ruleIndex}) lets ${reachText(s, reachOf(s))}`;
  switch (c.kind) {
    case 'impGroups':
      return `${from} impersonate groups, but it may impersonate no user or service account: the API server refuses Impersonate-Group without Impersonate-User (apiserver filters/impersonation.go), so on its own it grants nothing`;
    case 'bindCR':
    case 'bindR':
      return `${from} bind ${c.kind === 'bindCR' ? 'ClusterRoles' : 'Roles'}, but it may create or update no binding: the API server asks for bind only when a binding is written (rbac policybased storage), so on its own it grants nothing`;
    default:
      return `${from} escalate ${c.kind === 'escalateCR' ? 'ClusterRoles' : 'Roles'}, but it may create or update no role: escalate only lifts the no-escalation check on a role write, so on its own it grants nothing`;
  }
}

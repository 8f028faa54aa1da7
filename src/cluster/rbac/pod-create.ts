// Pod creation around the API server: who can create pods, or workloads that create them, where Pod
// Security does not enforce baseline or a service account reaches the kubelet (requestinfo.go).

import { bindingRefOf, chainOf, kubeletServiceAccounts, stronger } from './kubelet.ts';
import { apiGroupMatches, resourceMatches, resourceNameMatches, verbMatches } from './match.ts';
import { resolveClusterRole, resolveRoleRef, type EffectiveRule, type Index, type ResolvedRole } from './roles.ts';
import { clusterSubjects, namespacedSubjects, reachOf, reachText, subjectRef } from './subjects.ts';
import {
  MAX_LISTED_NAMESPACES,
  type ClusterRoleBinding,
  type Grant,
  type KubeletServiceAccount,
  type ObjectRef,
  type PodCreateAccess,
  type PodCreateGrant,
  type PodCreateOptions,
  type PodCreateReason,
  type RbacNote,
  type RbacObjects,
  type RoleBinding,
  type Severity,
  type Subject,
} from './types.ts';

// ---- pod creation around the API server ----
//
// A pod that Pod Security admission does not hold to at least "baseline" can mount the node's
// filesystem (hostPath /) and the container runtime socket: from there it acts as the kubelet and
// bypasses the API server. And any pod can run as any ServiceAccount of its namespace, so creating
// pods in a namespace is also using the kubelet access of that namespace's service accounts.
//
// Request facts (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): POST on a
// collection is verb "create" with no name (`case len(requestInfo.Parts) >= 2: requestInfo.Name =
// requestInfo.Parts[1]` does not apply to /namespaces/N/pods); rbac.go RuleAllows then calls
// ResourceNameMatches(rule, "") which, for a rule with resourceNames, is true only if one of them
// is "" — so resourceNames never let a real rule grant create. PUT/PATCH carry the object's name,
// so resourceNames do restrict update/patch.

const MAX_KUBELET_PHRASES = 5;

interface PodCreator {
  group: string;
  resource: string;
  label: string;
  verbs: readonly ('create' | 'update' | 'patch')[];
}

const WRITE_TEMPLATE = ['create', 'update', 'patch'] as const;

/**
 * Verb create on pods, or on a controller that creates pods from a template; update/patch on such a
 * controller changes the template and so makes new pods. Not jobs: a Job's pod template is
 * immutable (pkg/apis/batch/validation ValidateJobSpecUpdate → validatePodTemplateUpdate; only
 * scheduling directives of a suspended Job may change), so update/patch on jobs makes no new pod.
 */
const POD_CREATORS: readonly PodCreator[] = [
  { group: '', resource: 'pods', label: 'pods', verbs: ['create'] },
  { group: 'apps', resource: 'deployments', label: 'deployments.apps', verbs: WRITE_TEMPLATE },
  { group: 'apps', resource: 'replicasets', label: 'replicasets.apps', verbs: WRITE_TEMPLATE },
  { group: 'apps', resource: 'statefulsets', label: 'statefulsets.apps', verbs: WRITE_TEMPLATE },
  { group: 'apps', resource: 'daemonsets', label: 'daemonsets.apps', verbs: WRITE_TEMPLATE },
  { group: 'batch', resource: 'jobs', label: 'jobs.batch', verbs: ['create'] },
  { group: 'batch', resource: 'cronjobs', label: 'cronjobs.batch', verbs: WRITE_TEMPLATE },
  { group: '', resource: 'replicationcontrollers', label: 'replicationcontrollers', verbs: WRITE_TEMPLATE },
];

/** What a role lets its subjects create (per role, cached). */
interface PodCreateSummary {
  first: EffectiveRule;
  access: PodCreateAccess[];
  resources: string[];
}

function podCreateSummary(role: ResolvedRole): PodCreateSummary | undefined {
  let first: EffectiveRule | undefined;
  // label → verb → resourceNames (null = any name)
  const acc = new Map<string, Map<PodCreateAccess['verb'], Set<string> | null>>();
  for (const er of role.rules) {
    const rule = er.rule;
    for (const c of POD_CREATORS) {
      if (!apiGroupMatches(rule, c.group) || !resourceMatches(rule, c.resource, '')) continue;
      const names = (rule.resourceNames ?? []).filter((n) => typeof n === 'string');
      for (const verb of c.verbs) {
        if (!verbMatches(rule, verb)) continue;
        // create is never named (requestinfo.go): resourceNames are checked against "".
        const requested = verb === 'create' ? '' : undefined;
        if (requested !== undefined && !resourceNameMatches(rule, requested)) continue;
        first ??= er;
        let byVerb = acc.get(c.label);
        if (!byVerb) acc.set(c.label, (byVerb = new Map()));
        const restricted = verb !== 'create' && names.length > 0;
        const prev = byVerb.get(verb);
        if (!restricted) byVerb.set(verb, null);
        else if (prev === undefined) byVerb.set(verb, new Set(names));
        else if (prev !== null) for (const n of names) prev.add(n);
      }
    }
  }
  if (!first) return undefined;
  const access: PodCreateAccess[] = [];
  for (const c of POD_CREATORS) {
    const byVerb = acc.get(c.label);
    if (!byVerb) continue;
    for (const verb of WRITE_TEMPLATE) {
      if (!byVerb.has(verb)) continue;
      const names = byVerb.get(verb);
      const a: PodCreateAccess = { resource: c.label, verb };
      if (names) a.resourceNames = [...names];
      access.push(a);
    }
  }
  return { first, access, resources: [...acc.keys()].sort() };
}

function accessText(access: PodCreateAccess[]): string {
  const groups: { key: string; resource: string; verbs: string[]; names?: string[] }[] = [];
  for (const a of access) {
    const key = `${a.resource}\u0000${(a.resourceNames ?? []).join(',')}`;
    const g = groups.find((x) => x.key === key);
    if (g) g.verbs.push(a.verb);
    else groups.push(a.resourceNames ? { key, resource: a.resource, verbs: [a.verb], names: a.resourceNames } : { key, resource: a.resource, verbs: [a.verb] });
  }
  return groups.map((g) => `${g.verbs.join('/')} ${g.resource}${g.names ? ` (only ${g.names.join(', ')})` : ''}`).join(', ');
}

interface NsInfo {
  ns: string;
  reasons: PodCreateReason[];
  sa?: KubeletServiceAccount;
  rank: number;
}

interface NsView {
  /** every namespace that matters, most dangerous first */
  infos: NsInfo[];
  anyCritical: boolean;
}

interface PodContext {
  weak: Set<string>;
  saByNs: Map<string, KubeletServiceAccount>;
  everySa: KubeletServiceAccount | undefined;
  nsCache: Map<string, NsView | null>;
}

function nsInfo(ctx: PodContext, ns: string): NsInfo | undefined {
  const reasons: PodCreateReason[] = [];
  if (ns !== '*' && ctx.weak.has(ns)) reasons.push('no-baseline');
  const sa = ns === '*' ? ctx.everySa : stronger(ctx.saByNs.get(ns), ctx.everySa);
  if (sa) reasons.push('kubelet-service-account');
  if (reasons.length === 0) return undefined;
  const rank = ns === '*' ? 0 : sa?.severity === 'critical' ? 1 : sa ? 2 : 3;
  return sa ? { ns, reasons, sa, rank } : { ns, reasons, rank };
}

function viewOf(infos: NsInfo[]): NsView | null {
  if (infos.length === 0) return null;
  infos.sort((a, b) => a.rank - b.rank || (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  return { infos, anyCritical: infos.some((i) => i.sa?.severity === 'critical') };
}

function namespaceView(ctx: PodContext, ns: string): NsView | null {
  let v = ctx.nsCache.get(ns);
  if (v === undefined) {
    const info = nsInfo(ctx, ns);
    v = info ? viewOf([info]) : null;
    ctx.nsCache.set(ns, v);
  }
  return v;
}

function clusterView(ctx: PodContext, allNamespaces: readonly string[] | undefined): NsView | null {
  const universe = new Set<string>([...ctx.weak, ...ctx.saByNs.keys()]);
  if (ctx.everySa) for (const ns of allNamespaces ?? ['*']) universe.add(ns);
  const infos: NsInfo[] = [];
  for (const ns of universe) {
    const i = nsInfo(ctx, ns);
    if (i) infos.push(i);
  }
  return viewOf(infos);
}

/** "here": the grant is for this one namespace, already named. */
function kubeletPhrase(i: NsInfo, here: boolean): string {
  const sa = i.sa as KubeletServiceAccount;
  const what = `${sa.verbs.join('/')} nodes/${sa.subresource}`;
  const where = here ? 'there' : `in namespace ${i.ns}`;
  if (sa.subject.kind === 'ServiceAccount')
    return `${where} it can run a pod as ServiceAccount ${sa.subject.namespace ?? ''}/${sa.subject.name}, which can ${what}`;
  return i.ns === '*'
    ? `in every namespace it can run a pod as a service account, and group ${sa.subject.name} (every service account) can ${what}`
    : `${where} it can run a pod as any of its service accounts, and group ${sa.subject.name} can ${what}`;
}

function makePodGrant(
  s: Subject,
  binding: ClusterRoleBinding | RoleBinding,
  bindingRef: ObjectRef,
  role: ResolvedRole,
  sum: PodCreateSummary,
  view: NsView,
  clusterWide: boolean,
  defaultedSa: boolean,
): PodCreateGrant {
  const listed = view.infos.slice(0, MAX_LISTED_NAMESPACES);
  const more = view.infos.length - listed.length;
  const reasons: Record<string, PodCreateReason[]> = {};
  const kubeletSas: Record<string, KubeletServiceAccount> = {};
  let anySa = false;
  for (const i of listed) {
    reasons[i.ns] = [...i.reasons];
    if (i.sa) {
      kubeletSas[i.ns] = i.sa;
      anySa = true;
    }
  }
  const reach = reachOf(s);
  const who = reachText(s, reach);
  const scope = clusterWide ? 'in every namespace (ClusterRoleBinding)' : `in namespace ${bindingRef.namespace ?? ''}`;
  const parts: string[] = [];
  const weak = listed.filter((i) => i.reasons.includes('no-baseline')).map((i) => i.ns);
  const bypass = "a pod there can mount the node's filesystem (hostPath /) and the container runtime socket, and act as the kubelet";
  if (weak.length > 0)
    parts.push(
      clusterWide
        ? `in ${weak.length === 1 ? 'namespace' : 'namespaces'} ${weak.join(', ')} Pod Security does not enforce baseline: ${bypass}`
        : `Pod Security does not enforce baseline there: ${bypass}`,
    );
  const withSa = listed.filter((i) => i.sa);
  const phrases = withSa.slice(0, MAX_KUBELET_PHRASES).map((i) => kubeletPhrase(i, !clusterWide));
  if (withSa.length > phrases.length) phrases.push(`and ${withSa.length - phrases.length} more such namespaces`);
  parts.push(...phrases);
  if (more > 0) parts.push(`and ${more} more ${more === 1 ? 'namespace' : 'namespaces'}`);
  let why = `can ${accessText(sum.access)} ${scope}${
    sum.resources.some((r) => r !== 'pods') ? ' (a workload controller creates the pods from the template it is given)' : ''
  }: ${parts.join('; ')}`;
  if (defaultedSa) why += ` (ServiceAccount subject without namespace: rule.go defaults it to the RoleBinding's namespace)`;
  if (role.aggregated && sum.first.from) why += ` (rule computed from aggregationRule, from ClusterRole ${sum.first.from})`;

  let severity: Severity;
  let expected = false;
  if (reach === 'superusers') {
    severity = 'low';
    expected = true;
    why = `redundant: system:masters is always allowed. Otherwise: ${who} ${why}`;
  } else if (s.kind === 'ServiceAccount' && s.namespace === 'kube-system' && binding.roleRef.name.startsWith('system:controller:')) {
    severity = 'low';
    expected = true;
    why = `built-in controller ${s.name} (${binding.roleRef.name}); expected. Otherwise: ${who} ${why}`;
  } else {
    severity = reach === 'every-authenticated-user' || reach === 'anonymous' || view.anyCritical ? 'critical' : 'high';
    why = `${reach ? `reaches ${who}` : who}: ${why}`;
  }
  const g: PodCreateGrant = {
    subject: subjectRef(s),
    clusterWide,
    namespaces: listed.map((i) => i.ns),
    reasons,
    resources: [...sum.resources],
    access: sum.access.map((a) => (a.resourceNames ? { ...a, resourceNames: [...a.resourceNames] } : { ...a })),
    chain: chainOf(bindingRef, role, sum.first),
    severity,
    why,
  };
  if (more > 0) g.moreNamespaces = more;
  if (anySa) g.kubeletServiceAccounts = kubeletSas;
  if (reach) g.reach = reach;
  if (expected) g.expected = true;
  return g;
}

/** `kubelet`: the kubelet grants evaluateKubelet gave for the same objects (computed once by the caller). */
export function evaluatePodCreate(objs: RbacObjects, ix: Index, opts: PodCreateOptions, kubelet: Grant[]): PodCreateGrant[] {
  const { saByNs, everySa } = kubeletServiceAccounts(kubelet);
  const ctx: PodContext = {
    weak: new Set((opts.weakNamespaces ?? []).filter((n) => typeof n === 'string' && n.length > 0)),
    saByNs,
    everySa,
    nsCache: new Map(),
  };
  const cluster = clusterView(ctx, opts.allNamespaces);
  const out: PodCreateGrant[] = [];
  const summaries = new Map<ResolvedRole, PodCreateSummary | null>();
  const summaryOf = (role: ResolvedRole): PodCreateSummary | null => {
    let sum = summaries.get(role);
    if (sum === undefined) {
      sum = podCreateSummary(role) ?? null;
      summaries.set(role, sum);
    }
    return sum;
  };
  const noteSink: RbacNote[] = [];

  if (cluster) {
    for (const b of objs.clusterRoleBindings ?? []) {
      if (!b?.metadata || !b.roleRef || b.roleRef.kind !== 'ClusterRole') continue;
      const role = resolveClusterRole(ix, b.roleRef.name);
      if (!role) continue; // dangling: reported by analyzeRbac
      const sum = summaryOf(role);
      if (!sum) continue;
      const bindingRef = bindingRefOf('ClusterRoleBinding', b.metadata);
      for (const s of clusterSubjects(b, bindingRef, noteSink))
        out.push(makePodGrant(s, b, bindingRef, role, sum, cluster, true, false));
    }
  }

  for (const b of objs.roleBindings ?? []) {
    if (!b?.metadata || !b.roleRef) continue;
    const ns = b.metadata.namespace;
    if (!ns) continue;
    const view = namespaceView(ctx, ns);
    if (!view) continue;
    const role = resolveRoleRef(ix, b.roleRef, ns);
    if (!role) continue;
    const sum = summaryOf(role);
    if (!sum) continue;
    const bindingRef = bindingRefOf('RoleBinding', b.metadata);
    for (const { s, defaulted } of namespacedSubjects(b, ns)) out.push(makePodGrant(s, b, bindingRef, role, sum, view, false, defaulted));
  }
  return out;
}

// Who can reach the kubelet through RBAC: a pure evaluation of RBAC objects (plain JSON as the
// API server returns them). No I/O.
//
// Semantics follow kubernetes/kubernetes:
// - plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows: verb && apiGroup && resource && name,
//   the combined resource is "nodes/<subresource>");
// - pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches: "*" or exact; APIGroupMatches: "*" or
//   exact, an empty apiGroups list matches nothing; ResourceMatches: "*", exact "nodes/proxy", or
//   "*/proxy" — there is NO "nodes/*" wildcard, and "nodes" alone does not cover subresources;
//   ResourceNameMatches: empty list = every name);
// - pkg/registry/rbac/validation/rule.go (VisitRulesFor: RoleBindings are visited only for
//   namespaced requests, so a cluster-scoped resource such as nodes is granted only by
//   ClusterRoleBindings; a ServiceAccount subject with no namespace in a ClusterRoleBinding never
//   applies; a roleRef that does not resolve contributes no rules);
// - pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go (the aggregated
//   role's rules are the deduplicated rules of every other ClusterRole matching any selector,
//   sorted by name);
// - the authorizer union puts NewPrivilegedGroups(system:masters) before RBAC, so system:masters
//   is always allowed whatever RBAC says;
// - staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go and
//   pkg/registry/core/serviceaccount/storage/token.go (becoming a service account by impersonation
//   or TokenRequest, in a namespace: see "escalation").

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string> | null;
}

export interface PolicyRule {
  apiGroups?: string[] | null;
  resources?: string[] | null;
  verbs?: string[] | null;
  resourceNames?: string[] | null;
  nonResourceURLs?: string[] | null;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface ClusterRole {
  metadata: ObjectMeta;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] | null } | null;
}

export interface Role {
  metadata: ObjectMeta;
  rules?: PolicyRule[] | null;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface ClusterRoleBinding {
  metadata: ObjectMeta;
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}

export interface RoleBinding {
  metadata: ObjectMeta;
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}

export interface RbacObjects {
  clusterRoles: ClusterRole[];
  roles: Role[];
  clusterRoleBindings: ClusterRoleBinding[];
  roleBindings: RoleBinding[];
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface SubjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Who a subject stands for, when it is more than one identity. */
export type Reach =
  | 'every-authenticated-user'
  | 'anonymous'
  | 'every-service-account'
  | 'namespace-service-accounts'
  | 'superusers';

export interface GrantChain {
  binding: ObjectRef;
  role: ObjectRef;
  /** Index into the role's effective rules (the computed list for an aggregated role); -1 for built-ins. */
  ruleIndex: number;
  rule: PolicyRule;
  /** Set when the role's stored rules were empty and were computed from its aggregationRule. */
  aggregatedFrom?: string;
}

export interface Grant {
  subject: SubjectRef;
  /** A kubelet subresource of nodes ("proxy", "log", ...), or "*" for the system:masters note. */
  subresource: string;
  verbs: string[];
  chain: GrantChain;
  /** Only these node names (the rule's resourceNames). */
  resourceNames?: string[];
  reach?: Reach;
  severity: Severity;
  why: string;
}

/**
 * "serviceaccount-token": verb create on serviceaccounts/token (a TokenRequest), which mints a
 * token for the ServiceAccount named in the request.
 */
export type EscalationAction = 'escalate' | 'bind' | 'impersonate' | 'serviceaccount-token';

/** A service account an escalation grant lets its subject become, and the kubelet access that brings. */
export interface EscalationTarget {
  /** The service account's namespace; "*" for any namespace. */
  namespace: string;
  /** The service account's name; "*" for any service account of that namespace. */
  name: string;
  /** Whose kubelet grant that identity uses: that ServiceAccount, or group system:serviceaccounts:<ns> / system:serviceaccounts. */
  kubelet: KubeletServiceAccount;
}

export interface EscalationGrant {
  subject: SubjectRef;
  action: EscalationAction;
  /** "clusterroles", "roles", "users", "groups", "serviceaccounts" or "serviceaccounts/token". */
  resource: string;
  verbs: string[];
  chain: GrantChain;
  /** The rule's resourceNames (for service accounts: their names). */
  resourceNames?: string[];
  /** Granted by a RoleBinding: limited to service accounts of this namespace. Absent for a ClusterRoleBinding. */
  namespace?: string;
  /**
   * For impersonate serviceaccounts and serviceaccount-token: the service accounts it can become
   * that reach the kubelet (critical or high), strongest first, at most MAX_ESCALATION_TARGETS.
   */
  targets?: EscalationTarget[];
  /** How many more such targets beyond those listed. */
  moreTargets?: number;
  reach?: Reach;
  severity: Severity;
  why: string;
}

export interface DanglingBinding {
  binding: ObjectRef;
  roleRef: ObjectRef;
  why: string;
}

export type RbacNoteKind = 'aggregated-role' | 'inert-rule' | 'namespaced-binding' | 'ineffective-subject';

export interface RbacNote {
  kind: RbacNoteKind;
  object: ObjectRef;
  message: string;
}

export interface RbacAnalysis {
  kubelet: Grant[];
  escalation: EscalationGrant[];
  dangling: DanglingBinding[];
  notes: RbacNote[];
}

export const KUBELET_SUBRESOURCES = ['proxy', 'log', 'stats', 'metrics', 'pods', 'healthz', 'configz', 'checkpoint'] as const;
export type KubeletSubresource = (typeof KUBELET_SUBRESOURCES)[number];

/** The verbs the kubelet derives from HTTP methods (pkg/kubelet/server/auth.go): GET, POST, PUT, PATCH, DELETE. */
const KUBELET_VERBS = ['get', 'create', 'update', 'patch', 'delete'];

const SUBRESOURCE_INFO: Record<KubeletSubresource, { reveals: string }> = {
  proxy: { reveals: 'the whole kubelet API: exec, attach, run, port-forward, container logs' },
  log: { reveals: "the node's log files (/var/log: system and container logs, often with secrets)" },
  stats: { reveals: 'resource usage of every pod and container, pod names, namespaces and volumes' },
  metrics: { reveals: 'kubelet and cAdvisor metrics: pod, container and image names, labels' },
  pods: { reveals: "the full spec of every pod on the node, including plain env values" },
  healthz: { reveals: "the kubelet's health checks" },
  configz: { reveals: "the kubelet's effective configuration (authn/authz modes, paths, flags)" },
  checkpoint: { reveals: 'container checkpoints: a dump of a running container\'s memory, secrets included' },
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';
const KUBELET_API_ADMIN_ROLE = 'system:kubelet-api-admin';
const SYSTEM_MASTERS = 'system:masters';

// ---- matching (evaluation_helpers.go) ----

function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs ?? []) if (v === '*' || v === verb) return true;
  return false;
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === '*' || g === group) return true;
  return false;
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** The kubelet-relevant verbs a rule allows, "*" kept as is. */
function allowedVerbs(rule: PolicyRule, candidates: readonly string[]): string[] {
  const verbs = rule.verbs ?? [];
  if (verbs.includes('*')) return ['*'];
  return candidates.filter((v) => verbs.includes(v));
}

function hasVerb(verbs: string[], v: string): boolean {
  return verbs.includes('*') || verbs.includes(v);
}

// ---- label selectors (metav1.LabelSelectorAsSelector) ----

function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // invalid selector: the controller errors out and aggregates nothing
    }
  }
  return true;
}

// ---- role resolution ----

interface EffectiveRule {
  rule: PolicyRule;
  index: number;
  from?: string;
}

interface ResolvedRole {
  ref: ObjectRef;
  rules: EffectiveRule[];
  aggregated: boolean;
}

interface Index {
  clusterRoles: Map<string, ClusterRole>;
  roles: Map<string, Role>;
  resolved: Map<string, ResolvedRole>;
  notes: RbacNote[];
  sortedClusterRoles: ClusterRole[];
}

function buildIndex(objs: RbacObjects): Index {
  const clusterRoles = new Map<string, ClusterRole>();
  for (const cr of objs.clusterRoles ?? []) if (cr?.metadata) clusterRoles.set(cr.metadata.name, cr);
  const roles = new Map<string, Role>();
  for (const r of objs.roles ?? []) if (r?.metadata) roles.set(`${r.metadata.namespace ?? ''}/${r.metadata.name}`, r);
  const sortedClusterRoles = [...clusterRoles.values()].sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  );
  return { clusterRoles, roles, resolved: new Map(), notes: [], sortedClusterRoles };
}

/** Stored rules with their index; null entries (malformed input) are skipped, indices kept. */
function effectiveRules(stored: readonly (PolicyRule | null | undefined)[]): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  stored.forEach((rule, index) => {
    if (rule && typeof rule === 'object') out.push({ rule, index });
  });
  return out;
}

function resolveClusterRole(ix: Index, name: string, visiting: Set<string> = new Set()): ResolvedRole | undefined {
  const key = `ClusterRole/${name}`;
  const cached = ix.resolved.get(key);
  if (cached) return cached;
  const cr = ix.clusterRoles.get(name);
  if (!cr) return undefined;
  const ref: ObjectRef = { kind: 'ClusterRole', name };
  const stored = cr.rules ?? [];
  const selectors = cr.aggregationRule?.clusterRoleSelectors;
  if (stored.length > 0 || !cr.aggregationRule) {
    const res: ResolvedRole = { ref, rules: effectiveRules(stored), aggregated: false };
    ix.resolved.set(key, res);
    return res;
  }
  // Rules empty and aggregationRule set: compute what the aggregation controller would store.
  visiting.add(name);
  const rules: EffectiveRule[] = [];
  const seen = new Set<string>();
  const sources: string[] = [];
  for (const sel of selectors ?? []) {
    for (const other of ix.sortedClusterRoles) {
      const otherName = other.metadata.name;
      if (otherName === name || visiting.has(otherName)) continue;
      if (!selectorMatches(sel, other.metadata.labels ?? {})) continue;
      const sub = resolveClusterRole(ix, otherName, visiting);
      for (const r of sub?.rules ?? []) {
        const k = JSON.stringify(r.rule);
        if (seen.has(k)) continue;
        seen.add(k);
        rules.push({ rule: r.rule, index: rules.length, from: r.from ?? otherName });
        if (!sources.includes(otherName)) sources.push(otherName);
      }
    }
  }
  visiting.delete(name);
  ix.notes.push({
    kind: 'aggregated-role',
    object: ref,
    message: `ClusterRole ${name} has no stored rules but an aggregationRule: its rules were computed from ${
      sources.length > 0 ? sources.join(', ') : 'no matching ClusterRole'
    } (what the clusterrole-aggregation controller would store)`,
  });
  const res: ResolvedRole = { ref, rules, aggregated: true };
  ix.resolved.set(key, res);
  return res;
}

function resolveRoleRef(ix: Index, roleRef: RoleRef, bindingNamespace: string | undefined): ResolvedRole | undefined {
  if (roleRef.kind === 'ClusterRole') return resolveClusterRole(ix, roleRef.name);
  if (roleRef.kind === 'Role' && bindingNamespace) {
    const key = `Role/${bindingNamespace}/${roleRef.name}`;
    const cached = ix.resolved.get(key);
    if (cached) return cached;
    const role = ix.roles.get(`${bindingNamespace}/${roleRef.name}`);
    if (!role) return undefined;
    const res: ResolvedRole = {
      ref: { kind: 'Role', name: roleRef.name, namespace: bindingNamespace },
      rules: effectiveRules(role.rules ?? []),
      aggregated: false,
    };
    ix.resolved.set(key, res);
    return res;
  }
  return undefined;
}

// ---- subjects ----

function subjectRef(s: Subject): SubjectRef {
  return s.namespace ? { kind: s.kind, name: s.name, namespace: s.namespace } : { kind: s.kind, name: s.name };
}

function reachOf(s: Subject): Reach | undefined {
  if (s.kind !== 'Group') return undefined;
  if (s.name === 'system:authenticated') return 'every-authenticated-user';
  if (s.name === 'system:unauthenticated') return 'anonymous';
  if (s.name === 'system:serviceaccounts') return 'every-service-account';
  if (s.name.startsWith('system:serviceaccounts:')) return 'namespace-service-accounts';
  if (s.name === SYSTEM_MASTERS) return 'superusers';
  return undefined;
}

function reachText(s: Subject, reach: Reach | undefined): string {
  switch (reach) {
    case 'every-authenticated-user':
      return 'every authenticated user (group system:authenticated)';
    case 'anonymous':
      return 'anonymous requests (group system:unauthenticated)';
    case 'every-service-account':
      return 'every service account in every namespace (group system:serviceaccounts)';
    case 'namespace-service-accounts':
      return `every service account in namespace ${s.name.slice('system:serviceaccounts:'.length)}`;
    case 'superusers':
      return 'group system:masters';
    default:
      return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
  }
}

function bump(sev: Severity): Severity {
  return sev === 'low' ? 'medium' : sev === 'medium' ? 'high' : 'critical';
}

/** Valid subjects of a ClusterRoleBinding (rule.go appliesToUser with namespace ""), deduplicated. */
function clusterSubjects(b: ClusterRoleBinding, bindingRef: ObjectRef, notes: RbacNote[]): Subject[] {
  const out: Subject[] = [];
  const seen = new Set<string>();
  for (const s of b.subjects ?? []) {
    if (!s || typeof s.name !== 'string') continue;
    if (s.kind !== 'User' && s.kind !== 'Group' && s.kind !== 'ServiceAccount') {
      notes.push({ kind: 'ineffective-subject', object: bindingRef, message: `subject kind ${String(s.kind)} never matches a request` });
      continue;
    }
    if (s.kind === 'ServiceAccount' && !s.namespace) {
      notes.push({
        kind: 'ineffective-subject',
        object: bindingRef,
        message: `ServiceAccount ${s.name} has no namespace: in a ClusterRoleBinding it never matches`,
      });
      continue;
    }
    const k = `${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

// ---- kubelet grants ----

interface RuleHit {
  sub: KubeletSubresource;
  verbs: string[];
  er: EffectiveRule;
}

function kubeletHits(role: ResolvedRole): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const er of role.rules) {
    const rule = er.rule;
    if (!apiGroupMatches(rule, '')) continue;
    for (const sub of KUBELET_SUBRESOURCES) {
      if (!resourceMatches(rule, `nodes/${sub}`, sub)) continue;
      const verbs = allowedVerbs(rule, KUBELET_VERBS);
      if (verbs.length > 0) hits.push({ sub, verbs, er });
    }
  }
  return hits;
}

function inertNodeRules(role: ResolvedRole): EffectiveRule[] {
  return role.rules.filter((er) => apiGroupMatches(er.rule, '') && (er.rule.resources ?? []).includes('nodes/*'));
}

function severityFor(sub: KubeletSubresource, verbs: string[], onNodes: string): { severity: Severity; why: string } {
  const reveals = SUBRESOURCE_INFO[sub].reveals;
  switch (sub) {
    case 'proxy':
      if (hasVerb(verbs, 'get') || hasVerb(verbs, 'create'))
        return {
          severity: 'critical',
          why: `exec on ${onNodes}: get on nodes/proxy is a WebSocket exec/attach/port-forward into every pod, unaudited by the API server (${reveals})`,
        };
      return { severity: 'high', why: `writes to the kubelet API on ${onNodes} through nodes/proxy (${reveals})` };
    case 'log':
      return hasVerb(verbs, 'get')
        ? { severity: 'high', why: `reads node logs on ${onNodes}: ${reveals}` }
        : { severity: 'low', why: `nodes/log without get on ${onNodes}` };
    case 'checkpoint':
      return hasVerb(verbs, 'create')
        ? { severity: 'high', why: `checkpoints containers on ${onNodes}: ${reveals}` }
        : { severity: 'low', why: `nodes/checkpoint without create on ${onNodes}` };
    case 'stats':
    case 'pods':
    case 'configz':
      return hasVerb(verbs, 'get')
        ? { severity: 'medium', why: `nodes/${sub} on ${onNodes} reveals ${reveals}` }
        : { severity: 'low', why: `nodes/${sub} without get on ${onNodes}` };
    case 'metrics':
    case 'healthz':
      return { severity: 'low', why: `nodes/${sub} on ${onNodes} reveals ${reveals}` };
  }
}

function nodesText(resourceNames: string[] | undefined): string {
  return resourceNames && resourceNames.length > 0 ? `nodes ${resourceNames.join(', ')} only` : 'every node';
}

function bindingRefOf(kind: 'ClusterRoleBinding' | 'RoleBinding', m: ObjectMeta): ObjectRef {
  return kind === 'RoleBinding' ? { kind, name: m.name, namespace: m.namespace ?? '' } : { kind, name: m.name };
}

function roleRefOf(roleRef: RoleRef, ns: string | undefined): ObjectRef {
  return roleRef.kind === 'Role' ? { kind: roleRef.kind, name: roleRef.name, namespace: ns ?? '' } : { kind: roleRef.kind, name: roleRef.name };
}

function chainOf(binding: ObjectRef, role: ResolvedRole, er: EffectiveRule): GrantChain {
  const chain: GrantChain = { binding, role: role.ref, ruleIndex: er.index, rule: er.rule };
  if (er.from !== undefined) chain.aggregatedFrom = er.from;
  return chain;
}

const SYSTEM_MASTERS_NOTE: Grant = {
  subject: { kind: 'Group', name: SYSTEM_MASTERS },
  subresource: '*',
  verbs: ['*'],
  chain: {
    binding: { kind: 'Builtin', name: 'privileged-groups authorizer' },
    role: { kind: 'Builtin', name: SYSTEM_MASTERS },
    ruleIndex: -1,
    rule: {},
  },
  reach: 'superusers',
  severity: 'low',
  why:
    'note: members of system:masters are always allowed (the API server authorizes them before RBAC, whatever RBAC says); anyone holding a client certificate with O=system:masters can exec on every node',
};

function evaluateKubelet(objs: RbacObjects, ix: Index, dangling: DanglingBinding[]): Grant[] {
  const grants: Grant[] = [];
  const hitCache = new Map<ResolvedRole, RuleHit[]>();
  const seen = new Set<string>();

  for (const b of objs.clusterRoleBindings ?? []) {
    if (!b?.metadata || !b.roleRef) continue;
    const bindingRef = bindingRefOf('ClusterRoleBinding', b.metadata);
    const role = b.roleRef.kind === 'ClusterRole' ? resolveClusterRole(ix, b.roleRef.name) : undefined;
    if (!role) {
      dangling.push({
        binding: bindingRef,
        roleRef: roleRefOf(b.roleRef, undefined),
        why:
          b.roleRef.kind === 'ClusterRole'
            ? `ClusterRole ${b.roleRef.name} does not exist: the binding grants nothing (until someone creates that role)`
            : `a ClusterRoleBinding can only reference a ClusterRole, not ${b.roleRef.kind}`,
      });
      continue;
    }
    let hits = hitCache.get(role);
    if (!hits) {
      hits = kubeletHits(role);
      hitCache.set(role, hits);
      for (const er of inertNodeRules(role))
        ix.notes.push({
          kind: 'inert-rule',
          object: role.ref,
          message: `rule ${er.index} of ${role.ref.kind} ${role.ref.name} names "nodes/*": RBAC has no resource/* wildcard (only "*" and "*/sub"), so it grants no kubelet subresource`,
        });
    }
    if (hits.length === 0) continue;
    for (const s of clusterSubjects(b, bindingRef, ix.notes)) {
      for (const h of hits) {
        const k = `${b.metadata.name}\u0000${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}\u0000${h.sub}\u0000${h.er.index}`;
        if (seen.has(k)) continue;
        seen.add(k);
        grants.push(makeGrant(s, h, bindingRef, role));
      }
    }
  }

  for (const b of objs.roleBindings ?? []) {
    if (!b?.metadata || !b.roleRef) continue;
    const ns = b.metadata.namespace;
    const bindingRef = bindingRefOf('RoleBinding', b.metadata);
    const role = resolveRoleRef(ix, b.roleRef, ns);
    if (!role) {
      dangling.push({
        binding: bindingRef,
        roleRef: roleRefOf(b.roleRef, ns),
        why: `${b.roleRef.kind} ${b.roleRef.name} does not exist${b.roleRef.kind === 'Role' ? ` in namespace ${ns ?? ''}` : ''}: the binding grants nothing`,
      });
      continue;
    }
    let hits = hitCache.get(role);
    if (!hits) {
      hits = kubeletHits(role);
      hitCache.set(role, hits);
    }
    if (hits.length > 0 && (b.subjects ?? []).length > 0)
      ix.notes.push({
        kind: 'namespaced-binding',
        object: bindingRef,
        message: `RoleBinding ${ns ?? ''}/${b.metadata.name} references ${role.ref.kind} ${role.ref.name}, which covers ${[
          ...new Set(hits.map((h) => `nodes/${h.sub}`)),
        ].join(', ')}; nodes are cluster-scoped and a RoleBinding grants only namespaced resources: not a grant`,
      });
  }

  grants.push(SYSTEM_MASTERS_NOTE);
  return grants;
}

function makeGrant(s: Subject, h: RuleHit, bindingRef: ObjectRef, role: ResolvedRole): Grant {
  const rn = h.er.rule.resourceNames ?? [];
  const resourceNames = rn.length > 0 ? [...rn] : undefined;
  const onNodes = nodesText(resourceNames);
  let { severity, why } = severityFor(h.sub, h.verbs, onNodes);
  const reach = reachOf(s);
  const who = reachText(s, reach);
  if (s.kind === 'User' && s.name === APISERVER_KUBELET_CLIENT && role.ref.kind === 'ClusterRole' && role.ref.name === KUBELET_API_ADMIN_ROLE) {
    severity = 'low';
    why = `the API server's own kubelet client (kubeadm binds User ${APISERVER_KUBELET_CLIENT} to ${KUBELET_API_ADMIN_ROLE}); expected. Otherwise: ${why}`;
  } else if (reach === 'superusers') {
    severity = 'low';
    why = `redundant: system:masters is always allowed whatever RBAC says. Otherwise: ${why}`;
  } else if (reach === 'every-authenticated-user' || reach === 'anonymous') {
    severity = bump(severity);
    why = `reaches ${who}: ${why}`;
  } else if (reach === 'every-service-account' || reach === 'namespace-service-accounts') {
    why = `reaches ${who}: ${why}`;
  } else {
    why = `${who}: ${why}`;
  }
  if (role.aggregated && h.er.from) why += ` (rule computed from aggregationRule, from ClusterRole ${h.er.from})`;
  const g: Grant = {
    subject: subjectRef(s),
    subresource: h.sub,
    verbs: h.verbs,
    chain: chainOf(bindingRef, role, h.er),
    severity,
    why,
  };
  if (resourceNames) g.resourceNames = resourceNames;
  if (reach) g.reach = reach;
  return g;
}

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

interface EscalationCheck {
  action: EscalationAction;
  group: string;
  resource: string;
}

const ESCALATION_CHECKS: EscalationCheck[] = [
  { action: 'escalate', group: RBAC_GROUP, resource: 'clusterroles' },
  { action: 'bind', group: RBAC_GROUP, resource: 'clusterroles' },
  { action: 'escalate', group: RBAC_GROUP, resource: 'roles' },
  { action: 'bind', group: RBAC_GROUP, resource: 'roles' },
  { action: 'impersonate', group: '', resource: 'users' },
  { action: 'impersonate', group: '', resource: 'groups' },
  { action: 'impersonate', group: '', resource: 'serviceaccounts' },
];

/** Targets named in a grant's why (and listed in `targets`); the rest are counted. */
export const MAX_ESCALATION_TARGETS = 5;

/** kube-controller-manager's user and ClusterRole (bootstrap policy): it mints tokens for the controllers' service accounts. */
const KUBE_CONTROLLER_MANAGER = 'system:kube-controller-manager';

function escalationSeverity(c: EscalationCheck, names: string[] | undefined): { severity: Severity; why: string } {
  const scope = names ? ` (only ${names.join(', ')})` : '';
  if (c.action === 'impersonate') {
    if (c.resource === 'serviceaccounts')
      return { severity: 'high', why: `can impersonate service accounts${scope}, and act with whatever they are granted` };
    return {
      severity: 'critical',
      why: `can impersonate ${c.resource}${scope}${names ? '' : ', including group system:masters'}: every permission, the kubelet included`,
    };
  }
  if (c.resource === 'roles')
    return {
      severity: 'medium',
      why: `can ${c.action} Roles${scope} in every namespace: namespaced only, so not nodes/*, but any namespaced permission`,
    };
  return c.action === 'bind'
    ? { severity: 'critical', why: `can bind ClusterRoles${scope} cluster-wide: with create on clusterrolebindings, grants itself nodes/proxy` }
    : { severity: 'critical', why: `can escalate ClusterRoles${scope}: with create/update on clusterroles, writes itself a role with nodes/proxy` };
}

/** Who holds an escalation grant: redundant or expected holders are low, everyone/anonymous critical. */
function escalationHolder(
  s: Subject,
  roleRef: RoleRef,
  action: EscalationAction,
  severity: Severity,
  why: string,
): { severity: Severity; why: string; reach: Reach | undefined } {
  const reach = reachOf(s);
  if (reach === 'superusers') return { severity: 'low', why: `redundant: system:masters is always allowed. Otherwise: ${why}`, reach };
  if (s.kind === 'ServiceAccount' && s.namespace === 'kube-system' && roleRef.name.startsWith('system:controller:'))
    return { severity: 'low', why: `built-in controller ${s.name} (${roleRef.name}); expected. Otherwise: ${why}`, reach };
  if (action === 'serviceaccount-token' && s.kind === 'User' && s.name === KUBE_CONTROLLER_MANAGER && roleRef.kind === 'ClusterRole' && roleRef.name === KUBE_CONTROLLER_MANAGER)
    return {
      severity: 'low',
      why: `the controller manager's own role (it mints the tokens of the controllers' service accounts); expected. Otherwise: ${why}`,
      reach,
    };
  return {
    severity: reach === 'every-authenticated-user' || reach === 'anonymous' ? 'critical' : severity,
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

/** The targets that give the subject something new; those a wider target covers at least as strongly are dropped. Strongest first. */
function targetsFor(s: Subject, all: EscalationTarget[]): EscalationTarget[] {
  const mine = all.filter((t) => !alreadyHolds(s, t.kubelet.subject));
  const wide = mine.filter((t) => t.name === '*' || t.namespace === '*');
  if (wide.length === 0) return mine;
  return mine.filter((t) => !wide.some((w) => w !== t && covers(w, t) && targetRank(w) <= targetRank(t)));
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
  const top = mine[0];
  if (!top) return undefined;
  const listed = mine.slice(0, MAX_ESCALATION_TARGETS);
  const more = mine.length - listed.length;
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
  return g;
}

function evaluateEscalation(objs: RbacObjects, ix: Index, kubelet: Grant[]): EscalationGrant[] {
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

  for (const b of objs.clusterRoleBindings ?? []) {
    if (!b?.metadata || !b.roleRef || b.roleRef.kind !== 'ClusterRole') continue;
    const role = resolveClusterRole(ix, b.roleRef.name);
    if (!role) continue;
    const bindingRef = bindingRefOf('ClusterRoleBinding', b.metadata);
    const subjects = clusterSubjects(b, bindingRef, noteSink);
    if (subjects.length === 0) continue;
    for (const er of role.rules) {
      for (const c of ESCALATION_CHECKS) {
        if (!verbMatches(er.rule, c.action) || !apiGroupMatches(er.rule, c.group) || !resourceMatches(er.rule, c.resource, '')) continue;
        const rn = er.rule.resourceNames ?? [];
        const names = rn.length > 0 ? [...rn] : undefined;
        const saTargetsAll = tc.any && c.resource === 'serviceaccounts' ? saTargets(tc, undefined, ruleNames(er.rule)) : [];
        for (const s of subjects) {
          const k = `${b.metadata.name}\u0000${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}\u0000${c.action}\u0000${c.resource}\u0000${er.index}`;
          if (seen.has(k)) continue;
          seen.add(k);
          let { severity, why } = escalationSeverity(c, names);
          const mine = saTargetsAll.length > 0 ? targetsFor(s, saTargetsAll) : [];
          const listed = mine.slice(0, MAX_ESCALATION_TARGETS);
          if (listed[0]) {
            if (listed[0].kubelet.severity === 'critical') severity = 'critical';
            why += `: ${targetsText(listed, mine.length - listed.length)}`;
          }
          const h = escalationHolder(s, b.roleRef, c.action, severity, why);
          const g: EscalationGrant = {
            subject: subjectRef(s),
            action: c.action,
            resource: c.resource,
            verbs: allowedVerbs(er.rule, [c.action]),
            chain: chainOf(bindingRef, role, er),
            severity: h.severity,
            why: h.why,
          };
          if (names) g.resourceNames = names;
          if (listed.length > 0) {
            g.targets = listed;
            if (mine.length > listed.length) g.moreTargets = mine.length - listed.length;
          }
          if (h.reach) g.reach = h.reach;
          out.push(g);
        }
      }
    }
    // create serviceaccounts/token in every namespace
    const token = tc.any ? summaryOf(role).token : undefined;
    if (token) {
      const all = saTargets(tc, undefined, token.names);
      if (all.length > 0)
        for (const s of subjects) {
          const g = makeSaGrant(s, b, bindingRef, role, 'serviceaccount-token', token, undefined, all, false);
          if (g) out.push(g);
        }
    }
  }

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
//
// Subjects of a RoleBinding (pkg/registry/rbac/validation/rule.go, appliesToUser with the binding's
// namespace): "saNamespace := namespace; if len(subject.Namespace) > 0 { saNamespace =
// subject.Namespace }; if len(saNamespace) == 0 { return false }" — a ServiceAccount subject
// without namespace in a RoleBinding means that ServiceAccount in the binding's own namespace.

export type PodCreateReason = 'no-baseline' | 'kubelet-service-account';

export interface PodCreateAccess {
  /** "pods", or a workload controller as resource.group: "deployments.apps", "cronjobs.batch", "replicationcontrollers". */
  resource: string;
  verb: 'create' | 'update' | 'patch';
  /** update/patch limited to these objects (the rule's resourceNames). */
  resourceNames?: string[];
}

/** A service account (or the group of every service account) of a namespace that reaches the kubelet API. */
export interface KubeletServiceAccount {
  /** The ServiceAccount, or Group system:serviceaccounts:<ns> / system:serviceaccounts. */
  subject: SubjectRef;
  /** Its strongest kubelet grant (critical or high). */
  subresource: string;
  verbs: string[];
  /** Only these nodes (the kubelet rule's resourceNames). */
  resourceNames?: string[];
  severity: Severity;
  binding: ObjectRef;
}

export interface PodCreateGrant {
  subject: SubjectRef;
  /** Granted by a ClusterRoleBinding: in every namespace, present and future. */
  clusterWide: boolean;
  /**
   * The namespaces where this pod creation matters, most dangerous first, at most
   * MAX_LISTED_NAMESPACES; "*" stands for every namespace (kubelet access of group
   * system:serviceaccounts when allNamespaces was not given).
   */
  namespaces: string[];
  /** How many more namespaces matter beyond those listed. */
  moreNamespaces?: number;
  /** Why each listed namespace matters. */
  reasons: Record<string, PodCreateReason[]>;
  /** For listed namespaces that matter through "kubelet-service-account": whose kubelet access a pod there can use. */
  kubeletServiceAccounts?: Record<string, KubeletServiceAccount>;
  /** What it can create or change there, e.g. ["pods"] or ["deployments.apps", "pods"] (sorted). */
  resources: string[];
  /** The same, per verb, with resourceNames where they restrict update/patch. */
  access: PodCreateAccess[];
  /** The first rule of the role that grants any of it. */
  chain: GrantChain;
  reach?: Reach;
  severity: Severity;
  why: string;
}

export interface PodCreateOptions {
  /** Namespaces where Pod Security admission does not enforce at least "baseline". */
  weakNamespaces: readonly string[];
  /** Every namespace, to expand kubelet access of group system:serviceaccounts; without it that shows as "*". */
  allNamespaces?: readonly string[];
}

export const MAX_LISTED_NAMESPACES = 20;
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

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

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

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function stronger(a: KubeletServiceAccount | undefined, b: KubeletServiceAccount | undefined): KubeletServiceAccount | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b.severity] < SEVERITY_RANK[a.severity] ? b : a;
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

/** Service accounts with a critical or high kubelet grant (ClusterRoleBindings only). */
interface KubeletSaIndex {
  /** The strongest per namespace (a ServiceAccount of it, or group system:serviceaccounts:<ns>). */
  saByNs: Map<string, KubeletServiceAccount>;
  /** The strongest grant of group system:serviceaccounts (every service account). */
  everySa: KubeletServiceAccount | undefined;
  /** namespace → ServiceAccount name → its strongest grant. */
  byName: Map<string, Map<string, KubeletServiceAccount>>;
  /** namespace → the strongest grant of group system:serviceaccounts:<ns>. */
  nsGroup: Map<string, KubeletServiceAccount>;
}

function kubeletServiceAccounts(grants: Grant[]): KubeletSaIndex {
  const saByNs = new Map<string, KubeletServiceAccount>();
  const byName = new Map<string, Map<string, KubeletServiceAccount>>();
  const nsGroup = new Map<string, KubeletServiceAccount>();
  let everySa: KubeletServiceAccount | undefined;
  for (const g of grants) {
    if (g.chain.binding.kind === 'Builtin') continue;
    if (g.severity !== 'critical' && g.severity !== 'high') continue;
    const k: KubeletServiceAccount = { subject: g.subject, subresource: g.subresource, verbs: g.verbs, severity: g.severity, binding: g.chain.binding };
    if (g.resourceNames) k.resourceNames = g.resourceNames;
    let ns: string | undefined;
    if (g.subject.kind === 'ServiceAccount') {
      ns = g.subject.namespace;
      if (ns) {
        let names = byName.get(ns);
        if (!names) byName.set(ns, (names = new Map()));
        names.set(g.subject.name, stronger(names.get(g.subject.name), k) as KubeletServiceAccount);
      }
    } else if (g.reach === 'namespace-service-accounts') {
      ns = g.subject.name.slice('system:serviceaccounts:'.length);
      if (ns) nsGroup.set(ns, stronger(nsGroup.get(ns), k) as KubeletServiceAccount);
    } else if (g.reach === 'every-service-account') {
      everySa = stronger(everySa, k);
      continue;
    }
    // system:authenticated / system:unauthenticated: the pod creator has that access already.
    if (!ns) continue;
    saByNs.set(ns, stronger(saByNs.get(ns), k) as KubeletServiceAccount);
  }
  return { saByNs, everySa, byName, nsGroup };
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

/** Valid subjects of a RoleBinding in namespace ns (rule.go appliesToUser), deduplicated; ServiceAccounts get their effective namespace. */
function namespacedSubjects(b: RoleBinding, ns: string): { s: Subject; defaulted: boolean }[] {
  const out: { s: Subject; defaulted: boolean }[] = [];
  const seen = new Set<string>();
  for (const s of b.subjects ?? []) {
    if (!s || typeof s.name !== 'string') continue;
    if (s.kind !== 'User' && s.kind !== 'Group' && s.kind !== 'ServiceAccount') continue;
    const defaulted = s.kind === 'ServiceAccount' && !s.namespace;
    const eff: Subject = s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace || ns } : s;
    const k = `${eff.kind}\u0000${eff.namespace ?? ''}\u0000${eff.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ s: eff, defaulted });
  }
  return out;
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
  if (reach === 'superusers') {
    severity = 'low';
    why = `redundant: system:masters is always allowed. Otherwise: ${who} ${why}`;
  } else if (s.kind === 'ServiceAccount' && s.namespace === 'kube-system' && binding.roleRef.name.startsWith('system:controller:')) {
    severity = 'low';
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
  return g;
}

function evaluatePodCreate(objs: RbacObjects, ix: Index, opts: PodCreateOptions): PodCreateGrant[] {
  const { saByNs, everySa } = kubeletServiceAccounts(evaluateKubelet(objs, ix, []));
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

// ---- public API ----

/** Everything at once: kubelet grants, escalation paths, dangling bindings and notes. */
export function analyzeRbac(objs: RbacObjects): RbacAnalysis {
  const ix = buildIndex(objs);
  const dangling: DanglingBinding[] = [];
  const kubelet = evaluateKubelet(objs, ix, dangling);
  const escalation = evaluateEscalation(objs, ix, kubelet);
  return { kubelet, escalation, dangling, notes: ix.notes };
}

/** Who can reach the kubelet API through RBAC (plus the system:masters note grant). */
export function whoCanReachKubelet(objs: RbacObjects): Grant[] {
  const ix = buildIndex(objs);
  return evaluateKubelet(objs, ix, []);
}

/**
 * Subjects that can escalate or bind (Cluster)Roles, or impersonate, cluster-wide; and those that
 * can impersonate, or mint tokens for, service accounts that reach the kubelet (RoleBindings too).
 */
export function whoCanEscalate(objs: RbacObjects): EscalationGrant[] {
  const ix = buildIndex(objs);
  return evaluateEscalation(objs, ix, evaluateKubelet(objs, ix, []));
}

/**
 * Who can create pods (or pod-creating workloads) where it leads around the API server: in
 * namespaces where Pod Security admission does not enforce baseline (opts.weakNamespaces), or
 * where a service account has critical/high kubelet access (a pod can run as it).
 * One grant per subject and binding.
 */
export function whoCanCreateBypassPods(objs: RbacObjects, opts: PodCreateOptions): PodCreateGrant[] {
  return evaluatePodCreate(objs, buildIndex(objs), opts);
}

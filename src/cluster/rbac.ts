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
//   or TokenRequest, in a namespace: see rbac/escalation.ts).
//
// The engine lives in rbac/ (types, match, roles, subjects, kubelet, escalation, combos, pod-create); this
// module is its public entry point.

import { evaluateEscalation } from './rbac/escalation.ts';
import { evaluateKubelet } from './rbac/kubelet.ts';
import { evaluatePodCreate } from './rbac/pod-create.ts';
import { buildIndex } from './rbac/roles.ts';
import type { DanglingBinding, EscalationGrant, Grant, PodCreateGrant, PodCreateOptions, RbacAnalysis, RbacObjects } from './rbac/types.ts';

export type {
  ObjectMeta,
  PolicyRule,
  LabelSelectorRequirement,
  LabelSelector,
  ClusterRole,
  Role,
  RoleRef,
  Subject,
  ClusterRoleBinding,
  RoleBinding,
  RbacObjects,
  Severity,
  ObjectRef,
  SubjectRef,
  Reach,
  GrantChain,
  Grant,
  EscalationAction,
  EscalationTarget,
  EscalationGrant,
  DanglingBinding,
  RbacNoteKind,
  RbacNote,
  RbacAnalysis,
  KubeletSubresource,
  PodCreateReason,
  PodCreateAccess,
  KubeletServiceAccount,
  PodCreateGrant,
  PodCreateOptions,
} from './rbac/types.ts';
export { KUBELET_SUBRESOURCES, MAX_ESCALATION_TARGETS, MAX_LISTED_NAMESPACES } from './rbac/types.ts';

// ---- public API ----

/**
 * Everything at once, each role resolved and each kubelet grant computed once: kubelet grants,
 * escalation paths, dangling bindings and notes, and with `podCreate` who can create pods that lead
 * around the API server (see whoCanCreateBypassPods).
 */
export function analyzeRbac(objs: RbacObjects, opts: { podCreate?: PodCreateOptions } = {}): RbacAnalysis {
  const ix = buildIndex(objs);
  const dangling: DanglingBinding[] = [];
  const kubelet = evaluateKubelet(objs, ix, dangling);
  const escalation = evaluateEscalation(objs, ix, kubelet, ix.notes);
  const a: RbacAnalysis = { kubelet, escalation, dangling, notes: ix.notes };
  if (opts.podCreate) a.podCreate = evaluatePodCreate(objs, ix, opts.podCreate, kubelet);
  return a;
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
  const ix = buildIndex(objs);
  return evaluatePodCreate(objs, ix, opts, evaluateKubelet(objs, ix, []));
}

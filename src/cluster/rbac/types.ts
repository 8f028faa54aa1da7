// The RBAC objects as the API server returns them (rbac.authorization.k8s.io/v1, plain JSON) and
// what the RBAC engine reports: kubelet grants, escalation and pod-creation paths, dangling bindings
// and notes. Types and constants only.

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
  /** held by whom it is meant for (the API server's own kubelet client, a built-in controller) or redundant (system:masters): not a failure */
  expected?: true;
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
  /** the other parts of the combination that makes the path work (bind + create clusterrolebindings, impersonate groups + users, …) */
  also?: GrantChain[];
  /** what a combination path reaches (roles, users, groups), at most MAX_ESCALATION_TARGETS */
  reaches?: string[];
  moreReaches?: number;
  reach?: Reach;
  severity: Severity;
  why: string;
  /** see Grant.expected */
  expected?: true;
}

export interface DanglingBinding {
  binding: ObjectRef;
  roleRef: ObjectRef;
  why: string;
}

export type RbacNoteKind = 'aggregated-role' | 'inert-rule' | 'namespaced-binding' | 'ineffective-subject' | 'incomplete-combination';

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
  /** present when analyzeRbac was given pod-creation options */
  podCreate?: PodCreateGrant[];
}

export const KUBELET_SUBRESOURCES = ['proxy', 'log', 'stats', 'metrics', 'pods', 'healthz', 'configz', 'checkpoint'] as const;
export type KubeletSubresource = (typeof KUBELET_SUBRESOURCES)[number];

/** Targets named in a grant's why (and listed in `targets`); the rest are counted. */
export const MAX_ESCALATION_TARGETS = 5;

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
  /** see Grant.expected */
  expected?: true;
}

export interface PodCreateOptions {
  /** Namespaces where Pod Security admission does not enforce at least "baseline". */
  weakNamespaces: readonly string[];
  /** Every namespace, to expand kubelet access of group system:serviceaccounts; without it that shows as "*". */
  allNamespaces?: readonly string[];
}

export const MAX_LISTED_NAMESPACES = 20;

// The findings `kubelet-guard cluster` makes beyond the node checks it runs on each node's configz
// and the control-plane checks it runs on kube-system's pods: their ids, titles and why they
// matter, in one place for the command and for docs/checks.md. A title is a claim: a `pass` makes it
// true (each check with no failure reports one pass saying what was read), a `fail` says where it is
// false, `unknown` that the list behind it could not be read.
import type { Evidence, Finding, Section, Severity } from '../checks/types.ts';
import { ETCD_VISIBLE_CHECK, ETCD_VISIBLE_TITLE, VISIBLE_CHECK, VISIBLE_TITLE } from './control-plane.ts';

export interface ClusterFindingMeta {
  title: string;
  section: Section;
  /** the severity of a typical failure; each finding says its own */
  severity: Severity;
  /** when it fails */
  failsWhen: string;
  rationale: string;
}

export const CLUSTER_FINDINGS = {
  'cluster-nodes': {
    title: 'Nodes can be listed', section: 'cis-4.2', severity: 'high',
    failsWhen: 'unknown only: `list nodes` was refused or failed, so no node was audited',
    rationale: 'every per-node verdict starts from the node list; without it the audit says so instead of reporting an empty, clean cluster',
  },
  'cluster-run-deadline': {
    title: 'The audit finished within its deadline', section: 'cis-4.2', severity: 'high',
    failsWhen: 'unknown only: --deadline passed before every node and list was examined; what was not is unknown, and the exit code is 3 unless something failed',
    rationale: 'a hostile or overloaded API server must not hold the audit forever, nor make a partial audit look complete',
  },
  'node-configz': {
    title: "The kubelet's live configuration is readable (configz)", section: 'cis-4.2', severity: 'high',
    failsWhen: "unknown only: the node's /configz through the API server answered 403, 503, a timeout or garbage",
    rationale: "the kubelet checks run on the live configuration; a node whose configuration cannot be read gets no verdict, never a pass",
  },
  'node-audit-job': {
    title: 'The node audit Job gave its report (--node-audit)', section: 'cis-4.1', severity: 'high',
    failsWhen: "unknown only: with --node-audit, the node's Job could not run (image pull error, never scheduled, its deadline, refused) or its log was not a valid report, or the node audit in it was incomplete",
    rationale: "the node's files, static pods, sockets and certificates are judged from the report of the Job on it; a node whose report is missing gets no verdict on them, never a pass",
  },
  'hidden-static-pods': {
    title: 'Every static pod the kubelet runs is shown by the API server', section: 'workloads', severity: 'critical',
    failsWhen: "the kubelet's own pod list (/pods through the node proxy) has a static pod with no mirror pod in the API server",
    rationale: 'a static pod with no mirror pod runs with no admission, no audit log and no kubectl view: the classic hiding place for a backdoor (a look-alike namespace, or references NodeRestriction refuses)',
  },
  'rbac-kubelet-access': {
    title: 'Only expected subjects reach the kubelet API through RBAC', section: 'rbac', severity: 'critical',
    failsWhen: "a subject holds a nodes/ kubelet subresource (proxy, log, stats, metrics, pods, healthz, configz, checkpoint) through a ClusterRoleBinding; system:masters (always allowed) and kubeadm's kube-apiserver-kubelet-client pass as expected",
    rationale: 'get or create on nodes/proxy is exec in every pod on every node, unaudited by the API server; the others read logs, pod specs with env values, or container memory',
  },
  'rbac-escalation': {
    title: 'No unexpected subject can escalate, bind, impersonate or mint tokens its way to more permissions', section: 'rbac', severity: 'critical',
    failsWhen: 'a subject holds a whole combination, counting the groups it is surely in: bind on a (Cluster)Role (resourceNames respected) with create (or update of an existing binding) on clusterrolebindings, or on rolebindings (namespaced only: medium); escalate with update of a ClusterRole it holds or may bind; impersonate users, or groups together with users or service accounts (system:masters: every permission); impersonate serviceaccounts or create serviceaccounts/token where a service account reaches the kubelet. Built-in controllers pass as expected',
    rationale: 'each combination lets its holder grant itself nodes/proxy, or act as system:masters; one part alone grants nothing (an rbac-ineffective-rule note)',
  },
  'rbac-pod-create-bypass': {
    title: 'No unexpected subject can create pods that lead around the API server', section: 'rbac', severity: 'high',
    failsWhen: 'a subject may create pods (or workloads that make them) in a namespace without Pod Security baseline, or where a service account reaches the kubelet API',
    rationale: "such a pod can mount the node's root and runtime socket, or run as the service account that holds nodes/proxy",
  },
  'rbac-dangling-binding': {
    title: 'Every role binding references an existing role', section: 'rbac', severity: 'low',
    failsWhen: 'a (Cluster)RoleBinding names a role that does not exist',
    rationale: 'it grants nothing today, and whatever a role created later under that name holds tomorrow',
  },
  'rbac-ineffective-rule': {
    title: 'RBAC rules and subjects grant what they seem to', section: 'rbac', severity: 'info',
    failsWhen: '"nodes/*" in a rule (no such wildcard), a RoleBinding to a role covering nodes (nodes are cluster-scoped), a subject that never matches, bind / escalate / impersonate groups without the permission that completes them',
    rationale: 'what its author meant is not what RBAC does: a missed grant today, a surprise when someone "fixes" it',
  },
  'workload-bypass': {
    title: 'No pod has host access that bypasses the API server', section: 'workloads', severity: 'critical',
    failsWhen: "a pod mounts its node's runtime socket (or a folder above it) or static pod folder — both from that node's configz; the defaults, said so, for an unscheduled pod or an unreadable node — or /var/lib/kubelet, /var/lib/etcd, /etc/kubernetes, the kubelet's serving-key folder, or runs privileged with host namespaces",
    rationale: 'through these a pod starts containers, reads the kubelet\'s and etcd\'s credentials, or drops a static pod, none of it seen by the API server',
  },
  'namespace-pod-security': {
    title: 'Namespaces enforce Pod Security baseline', section: 'workloads', severity: 'high',
    failsWhen: 'a namespace has no pod-security.kubernetes.io/enforce label (privileged unless the admission configuration sets a default), or enforces privileged; an enforce label that is no level is enforced as restricted, so it passes here and fails namespace-pod-security-label',
    rationale: 'where baseline is not enforced, anyone who can create a pod can mount the host and take the node',
  },
  'namespace-pod-security-label': {
    title: 'Pod Security labels name valid levels and versions', section: 'workloads', severity: 'low',
    failsWhen: 'a pod-security.kubernetes.io/{enforce,audit,warn} label is not privileged, baseline or restricted (enforce is then evaluated as restricted; audit and warn as privileged, silently off), or a -version label is not "latest" or v1.N (evaluated as latest)',
    rationale: 'a typo such as "basline" is not the policy its author meant: enforce becomes restricted and refuses pods, audit and warn stop; Pod Security refuses such labels on namespace create and update, so one that exists was set while it was off',
  },
  [VISIBLE_CHECK]: {
    title: VISIBLE_TITLE, section: 'control-plane', severity: 'info',
    failsWhen: 'not-applicable when no kube-apiserver pod is visible in kube-system (a managed cluster); unknown when the pods could not be listed',
    rationale: "the API-server and etcd flag checks run on kubeadm's mirror pods; where the control plane is not visible, they say so instead of passing",
  },
  [ETCD_VISIBLE_CHECK]: {
    title: ETCD_VISIBLE_TITLE, section: 'etcd', severity: 'info',
    failsWhen: "not-applicable when the API server is visible and etcd is not (external etcd), with the API server's --etcd-servers as evidence",
    rationale: 'external etcd is audited on its own hosts (`kubelet-guard node`), not through the API',
  },
} as const satisfies Record<string, ClusterFindingMeta>;

export type ClusterFindingId = keyof typeof CLUSTER_FINDINGS;

/** A finding of `kubelet-guard cluster` with its id's title and section. */
export function clusterFinding(id: ClusterFindingId, f: Pick<Finding, 'subject' | 'status' | 'severity' | 'message'> & { evidence?: Evidence[]; remediation?: string }): Finding {
  const { title, section } = CLUSTER_FINDINGS[id];
  return { check: id, title, section, cis: [], ...f, evidence: f.evidence ?? [] };
}

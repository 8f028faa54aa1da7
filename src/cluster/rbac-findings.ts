// The RBAC findings of `kubelet-guard cluster`, from the RBAC engine's grants (rbac.ts): one finding
// per subject and binding, most severe grant first, every grant as evidence with its chain. A role
// bound to many subjects the same way (more than GROUP_ABOVE) is one finding naming the first
// NAMED_IN_GROUP subjects and the count: 100,000 bindings of one role were 100,000 findings (a
// quarter of a GB of RSS held, and as much JSON). The findings are made one at a time (a generator)
// so that the command streams them to the JSON writer instead of holding them.
import { SEVERITIES, type Evidence, type Finding, type Severity } from '../checks/types.ts';
import { CLUSTER_FINDINGS, clusterFinding as finding, type ClusterFindingId } from './findings.ts';
import { analyzeRbac, type EscalationGrant, type Grant, type GrantChain, type RbacObjects, type SubjectRef } from './rbac.ts';

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects and subjects. */
const refName = (r: { kind: string; name: string; namespace?: string }) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

const chainText = (c: GrantChain) =>
  `${refName(c.binding)} → ${refName(c.role)} → rule ${JSON.stringify(c.rule)}${c.aggregatedFrom ? ` (aggregated from ${c.aggregatedFrom})` : ''}`;

/** Grants grouped by subject and binding (→ role), most severe first within a group, groups in order of first appearance. */
function bySubjectAndBinding<G extends { subject: SubjectRef; chain: GrantChain; severity: Severity }>(grants: readonly G[]): G[][] {
  const groups = new Map<string, G[]>();
  for (const g of grants) {
    const k = `${refName(g.subject)}\u0000${refName(g.chain.binding)}\u0000${refName(g.chain.role)}`;
    const at = groups.get(k);
    if (at) at.push(g);
    else groups.set(k, [g]);
  }
  return [...groups.values()].map((gs) => gs.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)));
}

/** Above this many subjects bound to a role the same way, one finding for all of them. */
export const GROUP_ABOVE = 20;
/** the subjects (and their bindings) a grouped finding names; the rest are counted */
export const NAMED_IN_GROUP = 10;

interface Grouped<G> {
  /** one (subject, binding, role) group's grants, most severe first */
  grants: G[];
  /** the other (subject, binding) pairs that got the same grants from the same role */
  more: G[][];
}

/**
 * Groups of bySubjectAndBinding merged when they are the same role's same grants (what `sig` says
 * of each grant, the subject aside): one entry per role and grant set with more than GROUP_ABOVE
 * subjects, the rest as they were, in order of first appearance.
 */
function byRole<G extends { chain: GrantChain }>(groups: G[][], sig: (g: G) => string): Grouped<G>[] {
  const byKey = new Map<string, G[][]>();
  for (const gs of groups) {
    const k = `${refName(gs[0]!.chain.role)}\u0000${gs.map(sig).join('\u0000')}`;
    const at = byKey.get(k);
    if (at) at.push(gs);
    else byKey.set(k, [gs]);
  }
  const out: Grouped<G>[] = [];
  for (const members of byKey.values()) {
    if (members.length > GROUP_ABOVE) out.push({ grants: members[0]!, more: members.slice(1) });
    else for (const gs of members) out.push({ grants: gs, more: [] });
  }
  return out;
}

/** "User/a (ClusterRoleBinding/b), … and N more" for a grouped finding */
function namedSubjects<G extends { subject: SubjectRef; chain: GrantChain }>(g: Grouped<G>): string {
  const all = [g.grants, ...g.more.slice(0, NAMED_IN_GROUP - 1)];
  const rest = g.more.length + 1 - all.length;
  return all.map((gs) => `${refName(gs[0]!.subject)} (${refName(gs[0]!.chain.binding)})`).join(', ') + (rest > 0 ? ` and ${rest} more` : '');
}

/** The chains (each rule once), then one entry per grant: the permission as `setting`, its verbs and severity as the note. */
function grantEvidence<G extends { chain: GrantChain; also?: GrantChain[]; verbs: string[]; severity: Severity; why: string }>(gs: readonly G[], permission: (g: G) => string): Evidence[] {
  // every part of a combination path (bind + create clusterrolebindings, impersonate groups + users) is evidence
  const chains = [...new Set(gs.flatMap((g) => [g.chain, ...(g.also ?? [])].map(chainText)))].map((note) => ({ note }));
  return [...chains, ...gs.map((g) => ({ setting: permission(g), note: `${g.verbs.join(',')} (${g.severity}): ${g.why}` }))];
}

/** The failed (and expected: passed) findings of the RBAC checks, one at a time. */
function* rbacFailsOf(objs: RbacObjects, weakNamespaces: string[] | undefined, allNamespaces: string[] | undefined): Generator<Finding> {
  const a = analyzeRbac(objs, { podCreate: { weakNamespaces: weakNamespaces ?? [], ...(allNamespaces ? { allNamespaces } : {}) } });
  // one finding per subject and binding: what it reaches, most severe first, each grant as evidence
  const kubeletSig = (g: Grant) => `${g.subresource}|${g.verbs.join(',')}|${g.resourceNames?.join(',') ?? ''}|${g.reach ?? ''}|${g.severity}`;
  for (const group of byRole(bySubjectAndBinding(a.kubelet), kubeletSig)) {
    const gs = group.grants;
    const [top, ...rest] = gs as [Grant, ...Grant[]];
    const what = (g: Grant) => `${g.verbs.join(',')} nodes/${g.subresource}${g.resourceNames ? ` (only ${g.resourceNames.join(', ')})` : ''}`;
    const also = rest.length ? `; also ${rest.map((g) => `${what(g)} (${g.severity})`).join(', ')}` : '';
    const role = `${top.chain.role.kind} ${top.chain.role.name}`;
    const kubeletStatus = gs.every((g) => g.expected) ? 'pass' : 'fail'; // expected or redundant holders make the title true
    yield finding('rbac-kubelet-access', group.more.length === 0 ? {
      subject: refName(top.subject), status: kubeletStatus, severity: top.severity,
      message: `${refName(top.subject)} may ${what(top)}${top.reach ? ` [${top.reach}]` : ''}: ${top.why}${also}`,
      evidence: grantEvidence(gs, (g) => `nodes/${g.subresource}`),
      remediation: `remove the binding ${top.chain.binding.name} or narrow ${role} (see \`kubelet-guard rbac-for\` for a least-privilege role)`,
    } : {
      subject: refName(top.chain.role), status: kubeletStatus, severity: top.severity,
      message: `${group.more.length + 1} subjects may ${what(top)} through ${role}: ${namedSubjects(group)}; the first: ${top.why}${also}`,
      evidence: [...grantEvidence(gs, (g) => `nodes/${g.subresource}`), ...group.more.slice(0, NAMED_IN_GROUP - 1).map((m) => ({ note: chainText(m[0]!.chain) }))],
      remediation: `narrow ${role}, or remove the bindings that grant it to subjects that do not need it (see \`kubelet-guard rbac-for\` for a least-privilege role)`,
    });
  }
  const escalationSig = (g: EscalationGrant) => `${g.action}|${g.resource}|${g.verbs.join(',')}|${g.resourceNames?.join(',') ?? ''}|${g.namespace ?? ''}|${g.severity}|${(g.also ?? []).map(chainText).join(';')}|${(g.reaches ?? []).join(';')}`;
  for (const group of byRole(bySubjectAndBinding(a.escalation), escalationSig)) {
    const gs = group.grants;
    const [top, ...rest] = gs as [EscalationGrant, ...EscalationGrant[]];
    // the permission as RBAC spells it: "impersonate serviceaccounts", "create serviceaccounts/token"
    const perm = (g: EscalationGrant) => `${g.action === 'serviceaccount-token' ? 'create' : g.action} ${g.resource}`;
    const what = (g: EscalationGrant) =>
      `${perm(g)}${g.resourceNames ? ` (only ${g.resourceNames.join(', ')})` : ''}${g.namespace !== undefined ? ` in namespace ${g.namespace}` : ''}`;
    const also = rest.length ? `; also ${rest.map((g) => `${what(g)} (${g.severity})`).join(', ')}` : '';
    const remediation = `remove ${[...new Set(gs.map(perm))].join(', ')} from ${top.chain.role.kind} ${top.chain.role.name} or the binding${group.more.length ? 's' : ''} ${top.chain.binding.name}${group.more.length ? ', …' : ''}`;
    const escStatus = gs.every((g) => g.expected) ? 'pass' : 'fail';
    yield finding('rbac-escalation', group.more.length === 0 ? {
      subject: refName(top.subject), status: escStatus, severity: top.severity,
      message: `${refName(top.subject)} may ${what(top)}: ${top.why}${also}`,
      evidence: grantEvidence(gs, perm),
      remediation,
    } : {
      subject: refName(top.chain.role), status: escStatus, severity: top.severity,
      message: `${group.more.length + 1} subjects may ${what(top)} through ${top.chain.role.kind} ${top.chain.role.name}: ${namedSubjects(group)}; the first: ${top.why}${also}`,
      evidence: [...grantEvidence(gs, perm), ...group.more.slice(0, NAMED_IN_GROUP - 1).map((m) => ({ note: chainText(m[0]!.chain) }))],
      remediation,
    });
  }
  for (const g of a.podCreate ?? []) {
    const where = g.namespaces.join(', ') + (g.moreNamespaces ? ` and ${g.moreNamespaces} more` : '');
    yield finding('rbac-pod-create-bypass', {
      subject: refName(g.subject), status: g.expected ? 'pass' : 'fail', severity: g.severity,
      message: g.why, // names the subject, what it may create or change, where, and what a pod there reaches
      evidence: [{ note: chainText(g.chain) }],
      remediation: `enforce Pod Security baseline (or restricted) in ${where} (kubectl label namespace <ns> pod-security.kubernetes.io/enforce=baseline), move service accounts that reach the kubelet out of namespaces where others create pods, or narrow ${g.chain.role.kind} ${g.chain.role.name} / the binding ${g.chain.binding.name}`,
    });
  }
  if (!weakNamespaces) {
    yield finding('rbac-pod-create-bypass', {
      subject: '/api/v1/namespaces', status: 'unknown', severity: 'high',
      message: 'the namespaces could not be read, so which of them lack Pod Security baseline is unknown: only pod creation where a service account reaches the kubelet was judged',
    });
  }
  for (const d of a.dangling) {
    yield finding('rbac-dangling-binding', {
      subject: refName(d.binding), status: 'fail', severity: 'low',
      message: `${refName(d.binding)} → ${refName(d.roleRef)}: ${d.why}; whoever creates that role decides what its subjects get`,
      remediation: `delete ${refName(d.binding)}, or create ${refName(d.roleRef)} with the rules meant`,
    });
  }
  for (const n of a.notes) {
    if (n.kind === 'aggregated-role') continue; // provenance, already in every chain it shapes
    yield finding('rbac-ineffective-rule', {
      subject: refName(n.object), status: 'fail', severity: 'info',
      message: `${refName(n.object)}: ${n.message}`,
      remediation: n.kind === 'inert-rule'
        ? 'name the subresources (nodes/proxy, nodes/log, …) or use `kubelet-guard rbac-for`'
        : n.kind === 'incomplete-combination'
          ? 'remove the permission that grants nothing on its own: whoever later gets its complement (through any binding) gets the whole path'
          : `fix or remove the ${n.kind === 'namespaced-binding' ? 'RoleBinding (a ClusterRoleBinding grants nodes)' : 'subject'}`,
    });
  }
}

/** rbacFindingsOf, held (for tests and small inputs). */
export function rbacFindings(objs: RbacObjects, weakNamespaces: string[] | undefined, allNamespaces: string[] | undefined): Finding[] {
  return [...rbacFindingsOf(objs, weakNamespaces, allNamespaces)];
}

/** What a pass of each RBAC check says: the claim of its title, made true by the RBAC objects read. */
const PASSES: Partial<Record<ClusterFindingId, string>> = {
  'rbac-kubelet-access': 'no subject reaches a kubelet subresource of nodes through RBAC, beyond those expected (system:masters, the API server\'s own kubelet client)',
  'rbac-escalation': 'no subject holds a whole escalation combination: bind with a binding it may write, escalate with a role it may write and hold or bind, impersonation of users, groups or service accounts that gains something, or TokenRequest for a service account that reaches the kubelet',
  'rbac-pod-create-bypass': 'no subject may create pods (or pod-making workloads) in a namespace without Pod Security baseline or where a service account reaches the kubelet',
  'rbac-dangling-binding': 'every (Cluster)RoleBinding references a role that exists',
  'rbac-ineffective-rule': 'no rule names "nodes/*", no RoleBinding references a role covering nodes, no subject never matches, and no escalation permission lacks its complement',
};

/**
 * RBAC: who reaches the kubelet API, who can escalate, who can create pods that lead around the API
 * server (in namespaces without Pod Security baseline — `weakNamespaces`, undefined when the
 * namespaces could not be read — or where a service account reaches the kubelet), and bindings
 * that grant nothing (yet). A check with no failure gets one pass saying what was checked: its title
 * is then true of the RBAC objects read.
 */
export function* rbacFindingsOf(objs: RbacObjects, weakNamespaces: string[] | undefined, allNamespaces: string[] | undefined): Generator<Finding> {
  const failed = new Set<string>();
  for (const f of rbacFailsOf(objs, weakNamespaces, allNamespaces)) {
    if (f.status !== 'pass') failed.add(f.check);
    yield f;
  }
  for (const [id, message] of Object.entries(PASSES) as [ClusterFindingId, string][]) {
    if (failed.has(id)) continue;
    yield finding(id, { subject: '/apis/rbac.authorization.k8s.io/v1', status: 'pass', severity: CLUSTER_FINDINGS[id].severity, message });
  }
}

// The RBAC findings of `kubelet-guard cluster`, from the RBAC engine's grants (rbac.ts): one finding
// per subject and binding, most severe grant first, every grant as evidence with its chain.
import { SEVERITIES, type Evidence, type Finding, type Severity } from '../checks/types.ts';
import { clusterFinding as finding } from './findings.ts';
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

/** The chains (each rule once), then one entry per grant: the permission as `setting`, its verbs and severity as the note. */
function grantEvidence<G extends { chain: GrantChain; verbs: string[]; severity: Severity; why: string }>(gs: readonly G[], permission: (g: G) => string): Evidence[] {
  const chains = [...new Set(gs.map((g) => chainText(g.chain)))].map((note) => ({ note }));
  return [...chains, ...gs.map((g) => ({ setting: permission(g), note: `${g.verbs.join(',')} (${g.severity}): ${g.why}` }))];
}

/**
 * RBAC: who reaches the kubelet API, who can escalate, who can create pods that lead around the API
 * server (in namespaces without Pod Security baseline — `weakNamespaces`, undefined when the
 * namespaces could not be read — or where a service account reaches the kubelet), and bindings
 * that grant nothing (yet).
 */
export function rbacFindings(objs: RbacObjects, weakNamespaces: string[] | undefined, allNamespaces: string[] | undefined): Finding[] {
  const out: Finding[] = [];
  const a = analyzeRbac(objs, { podCreate: { weakNamespaces: weakNamespaces ?? [], ...(allNamespaces ? { allNamespaces } : {}) } });
  // one finding per subject and binding: what it reaches, most severe first, each grant as evidence
  for (const gs of bySubjectAndBinding(a.kubelet)) {
    const [top, ...rest] = gs as [Grant, ...Grant[]];
    const what = (g: Grant) => `${g.verbs.join(',')} nodes/${g.subresource}${g.resourceNames ? ` (only ${g.resourceNames.join(', ')})` : ''}`;
    out.push(finding('rbac-kubelet-access', {
      subject: refName(top.subject), status: 'fail', severity: top.severity,
      message: `${refName(top.subject)} may ${what(top)}${top.reach ? ` [${top.reach}]` : ''}: ${top.why}${rest.length ? `; also ${rest.map((g) => `${what(g)} (${g.severity})`).join(', ')}` : ''}`,
      evidence: grantEvidence(gs, (g) => `nodes/${g.subresource}`),
      remediation: `remove the binding ${top.chain.binding.name} or narrow ${top.chain.role.kind} ${top.chain.role.name} (see \`kubelet-guard rbac-for\` for a least-privilege role)`,
    }));
  }
  for (const gs of bySubjectAndBinding(a.escalation)) {
    const [top, ...rest] = gs as [EscalationGrant, ...EscalationGrant[]];
    // the permission as RBAC spells it: "impersonate serviceaccounts", "create serviceaccounts/token"
    const perm = (g: EscalationGrant) => `${g.action === 'serviceaccount-token' ? 'create' : g.action} ${g.resource}`;
    const what = (g: EscalationGrant) =>
      `${perm(g)}${g.resourceNames ? ` (only ${g.resourceNames.join(', ')})` : ''}${g.namespace !== undefined ? ` in namespace ${g.namespace}` : ''}`;
    out.push(finding('rbac-escalation', {
      subject: refName(top.subject), status: 'fail', severity: top.severity,
      message: `${refName(top.subject)} may ${what(top)}: ${top.why}${rest.length ? `; also ${rest.map((g) => `${what(g)} (${g.severity})`).join(', ')}` : ''}`,
      evidence: grantEvidence(gs, perm),
      remediation: `remove ${[...new Set(gs.map(perm))].join(', ')} from ${top.chain.role.kind} ${top.chain.role.name} or the binding ${top.chain.binding.name}`,
    }));
  }
  for (const g of a.podCreate ?? []) {
    const where = g.namespaces.join(', ') + (g.moreNamespaces ? ` and ${g.moreNamespaces} more` : '');
    out.push(finding('rbac-pod-create-bypass', {
      subject: refName(g.subject), status: 'fail', severity: g.severity,
      message: g.why, // names the subject, what it may create or change, where, and what a pod there reaches
      evidence: [{ note: chainText(g.chain) }],
      remediation: `enforce Pod Security baseline (or restricted) in ${where} (kubectl label namespace <ns> pod-security.kubernetes.io/enforce=baseline), move service accounts that reach the kubelet out of namespaces where others create pods, or narrow ${g.chain.role.kind} ${g.chain.role.name} / the binding ${g.chain.binding.name}`,
    }));
  }
  if (!weakNamespaces) {
    out.push(finding('rbac-pod-create-bypass', {
      subject: '/api/v1/namespaces', status: 'unknown', severity: 'high',
      message: 'the namespaces could not be read, so which of them lack Pod Security baseline is unknown: only pod creation where a service account reaches the kubelet was judged',
    }));
  }
  for (const d of a.dangling) {
    out.push(finding('rbac-dangling-binding', {
      subject: refName(d.binding), status: 'fail', severity: 'low',
      message: `${refName(d.binding)} → ${refName(d.roleRef)}: ${d.why}; whoever creates that role decides what its subjects get`,
      remediation: `delete ${refName(d.binding)}, or create ${refName(d.roleRef)} with the rules meant`,
    }));
  }
  for (const n of a.notes) {
    if (n.kind === 'aggregated-role') continue; // provenance, already in every chain it shapes
    out.push(finding('rbac-ineffective-rule', {
      subject: refName(n.object), status: 'fail', severity: 'info',
      message: `${refName(n.object)}: ${n.message}`,
      remediation: n.kind === 'inert-rule' ? 'name the subresources (nodes/proxy, nodes/log, …) or use `kubelet-guard rbac-for`' : `fix or remove the ${n.kind === 'namespaced-binding' ? 'RoleBinding (a ClusterRoleBinding grants nodes)' : 'subject'}`,
    }));
  }
  return out;
}

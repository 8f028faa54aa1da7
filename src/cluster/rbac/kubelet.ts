// Kubelet grants: who can reach nodes/<subresource> (rbac.go RuleAllows; verbs of
// pkg/kubelet/server/auth.go), and the service accounts that can, for escalation and pod creation.

import { allowedVerbs, apiGroupMatches, hasVerb, resourceMatches } from './match.ts';
import { resolveClusterRole, resolveRoleRef, type EffectiveRule, type Index, type ResolvedRole } from './roles.ts';
import { SYSTEM_MASTERS, bump, clusterSubjects, reachOf, reachText, subjectRef } from './subjects.ts';
import {
  KUBELET_SUBRESOURCES,
  type DanglingBinding,
  type Grant,
  type GrantChain,
  type KubeletServiceAccount,
  type KubeletSubresource,
  type ObjectMeta,
  type ObjectRef,
  type RbacObjects,
  type RoleRef,
  type Severity,
  type Subject,
} from './types.ts';

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

const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';
const KUBELET_API_ADMIN_ROLE = 'system:kubelet-api-admin';

// ---- kubelet grants ----

interface RuleHit {
  sub: KubeletSubresource;
  verbs: string[];
  er: EffectiveRule;
}

export function kubeletHits(role: ResolvedRole): RuleHit[] {
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

export function severityFor(sub: KubeletSubresource, verbs: string[], onNodes: string): { severity: Severity; why: string } {
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

export function nodesText(resourceNames: string[] | undefined): string {
  return resourceNames && resourceNames.length > 0 ? `nodes ${resourceNames.join(', ')} only` : 'every node';
}

export function bindingRefOf(kind: 'ClusterRoleBinding' | 'RoleBinding', m: ObjectMeta): ObjectRef {
  return kind === 'RoleBinding' ? { kind, name: m.name, namespace: m.namespace ?? '' } : { kind, name: m.name };
}

export function roleRefOf(roleRef: RoleRef, ns: string | undefined): ObjectRef {
  return roleRef.kind === 'Role' ? { kind: roleRef.kind, name: roleRef.name, namespace: ns ?? '' } : { kind: roleRef.kind, name: roleRef.name };
}

export function chainOf(binding: ObjectRef, role: ResolvedRole, er: EffectiveRule): GrantChain {
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
  expected: true,
  why:
    'note: members of system:masters are always allowed (the API server authorizes them before RBAC, whatever RBAC says); anyone holding a client certificate with O=system:masters can exec on every node',
};

export function evaluateKubelet(objs: RbacObjects, ix: Index, dangling: DanglingBinding[]): Grant[] {
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
  let expected = false;
  const reach = reachOf(s);
  const who = reachText(s, reach);
  if (s.kind === 'User' && s.name === APISERVER_KUBELET_CLIENT && role.ref.kind === 'ClusterRole' && role.ref.name === KUBELET_API_ADMIN_ROLE) {
    severity = 'low';
    expected = true;
    why = `the API server's own kubelet client (kubeadm binds User ${APISERVER_KUBELET_CLIENT} to ${KUBELET_API_ADMIN_ROLE}); expected. Otherwise: ${why}`;
  } else if (reach === 'superusers') {
    severity = 'low';
    expected = true;
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
  if (expected) g.expected = true;
  return g;
}

// ---- service accounts that reach the kubelet (escalation targets, pods run as them) ----

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function stronger(a: KubeletServiceAccount | undefined, b: KubeletServiceAccount | undefined): KubeletServiceAccount | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b.severity] < SEVERITY_RANK[a.severity] ? b : a;
}

/** Service accounts with a critical or high kubelet grant (ClusterRoleBindings only). */
export interface KubeletSaIndex {
  /** The strongest per namespace (a ServiceAccount of it, or group system:serviceaccounts:<ns>). */
  saByNs: Map<string, KubeletServiceAccount>;
  /** The strongest grant of group system:serviceaccounts (every service account). */
  everySa: KubeletServiceAccount | undefined;
  /** namespace → ServiceAccount name → its strongest grant. */
  byName: Map<string, Map<string, KubeletServiceAccount>>;
  /** namespace → the strongest grant of group system:serviceaccounts:<ns>. */
  nsGroup: Map<string, KubeletServiceAccount>;
}

export function kubeletServiceAccounts(grants: Grant[]): KubeletSaIndex {
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

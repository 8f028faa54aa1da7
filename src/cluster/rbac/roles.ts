// Role resolution: an index of the (Cluster)Roles and the effective rules behind a roleRef, an
// aggregated ClusterRole computed as clusterroleaggregation_controller.go would store it.

import { selectorMatches } from './match.ts';
import type { ClusterRole, ObjectRef, PolicyRule, RbacNote, RbacObjects, Role, RoleRef } from './types.ts';

// ---- role resolution ----

export interface EffectiveRule {
  rule: PolicyRule;
  index: number;
  from?: string;
}

export interface ResolvedRole {
  ref: ObjectRef;
  rules: EffectiveRule[];
  aggregated: boolean;
}

export interface Index {
  clusterRoles: Map<string, ClusterRole>;
  roles: Map<string, Role>;
  resolved: Map<string, ResolvedRole>;
  notes: RbacNote[];
  sortedClusterRoles: ClusterRole[];
}

export function buildIndex(objs: RbacObjects): Index {
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

export function resolveClusterRole(ix: Index, name: string, visiting: Set<string> = new Set()): ResolvedRole | undefined {
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

export function resolveRoleRef(ix: Index, roleRef: RoleRef, bindingNamespace: string | undefined): ResolvedRole | undefined {
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

// Subjects of bindings: which ones apply (pkg/registry/rbac/validation/rule.go appliesToUser), and
// who a subject stands for (system:authenticated, system:serviceaccounts[:ns], system:masters...).

import type { ClusterRoleBinding, ObjectRef, RbacNote, Reach, RoleBinding, Severity, Subject, SubjectRef } from './types.ts';

export const SYSTEM_MASTERS = 'system:masters';

// ---- subjects ----

export function subjectRef(s: Subject): SubjectRef {
  return s.namespace ? { kind: s.kind, name: s.name, namespace: s.namespace } : { kind: s.kind, name: s.name };
}

export function reachOf(s: Subject): Reach | undefined {
  if (s.kind !== 'Group') return undefined;
  if (s.name === 'system:authenticated') return 'every-authenticated-user';
  if (s.name === 'system:unauthenticated') return 'anonymous';
  if (s.name === 'system:serviceaccounts') return 'every-service-account';
  if (s.name.startsWith('system:serviceaccounts:')) return 'namespace-service-accounts';
  if (s.name === SYSTEM_MASTERS) return 'superusers';
  return undefined;
}

export function reachText(s: Subject, reach: Reach | undefined): string {
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

export function bump(sev: Severity): Severity {
  return sev === 'low' ? 'medium' : sev === 'medium' ? 'high' : 'critical';
}

/** Valid subjects of a ClusterRoleBinding (rule.go appliesToUser with namespace ""), deduplicated. */
export function clusterSubjects(b: ClusterRoleBinding, bindingRef: ObjectRef, notes: RbacNote[]): Subject[] {
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

// Subjects of a RoleBinding (pkg/registry/rbac/validation/rule.go, appliesToUser with the binding's
// namespace): "saNamespace := namespace; if len(subject.Namespace) > 0 { saNamespace =
// subject.Namespace }; if len(saNamespace) == 0 { return false }" — a ServiceAccount subject
// without namespace in a RoleBinding means that ServiceAccount in the binding's own namespace.

/** Valid subjects of a RoleBinding in namespace ns (rule.go appliesToUser), deduplicated; ServiceAccounts get their effective namespace. */
export function namespacedSubjects(b: RoleBinding, ns: string): { s: Subject; defaulted: boolean }[] {
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

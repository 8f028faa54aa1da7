// targetsFor, computed from the held targets only, against its definition (drop what the subject
// holds, then what a wider target it does not hold covers at least as strongly): any targets, any subject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { targetsFor } from './escalation.ts';
import { MAX_ESCALATION_TARGETS, type EscalationTarget, type Subject, type SubjectRef } from './types.ts';

const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

function alreadyHolds(s: Subject, k: SubjectRef): boolean {
  if (k.kind === 'ServiceAccount') return s.kind === 'ServiceAccount' && s.namespace === k.namespace && s.name === k.name;
  if (k.name === 'system:serviceaccounts') return s.kind === 'ServiceAccount' || (s.kind === 'Group' && (s.name === k.name || s.name.startsWith('system:serviceaccounts:')));
  const ns = k.name.slice('system:serviceaccounts:'.length);
  return (s.kind === 'ServiceAccount' && s.namespace === ns) || (s.kind === 'Group' && s.name === k.name);
}
const covers = (w: EscalationTarget, t: EscalationTarget) => (w.namespace === '*' || w.namespace === t.namespace) && (w.name === '*' || w.name === t.name);
function reference(s: Subject, all: EscalationTarget[]): EscalationTarget[] {
  const mine = all.filter((t) => !alreadyHolds(s, t.kubelet.subject));
  const wide = mine.filter((t) => t.name === '*' || t.namespace === '*');
  return mine.filter((t) => !wide.some((w) => w !== t && covers(w, t) && RANK[w.kubelet.severity]! <= RANK[t.kubelet.severity]!));
}

const ns = fc.constantFrom('a', 'b', 'c');
const holder: fc.Arbitrary<SubjectRef> = fc.oneof(
  fc.record({ kind: fc.constant('ServiceAccount'), namespace: ns, name: fc.constantFrom('x', 'y') }),
  fc.constantFrom<SubjectRef>({ kind: 'Group', name: 'system:serviceaccounts' }, { kind: 'Group', name: 'system:serviceaccounts:a' }, { kind: 'Group', name: 'system:serviceaccounts:b' }),
);
const target: fc.Arbitrary<EscalationTarget> = fc.record({
  namespace: fc.constantFrom('a', 'b', 'c', '*'),
  name: fc.constantFrom('x', 'y', '*'),
  kubelet: fc.record({ subject: holder, subresource: fc.constant('proxy'), verbs: fc.constant(['get']), severity: fc.constantFrom('critical' as const, 'high' as const), binding: fc.constant({ kind: 'ClusterRoleBinding', name: 'b' }) }),
});
const subject: fc.Arbitrary<Subject> = fc.oneof(
  fc.record({ kind: fc.constant('ServiceAccount'), namespace: ns, name: fc.constantFrom('x', 'y') }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('system:serviceaccounts', 'system:serviceaccounts:a', 'ops') }),
  fc.record({ kind: fc.constant('User'), name: fc.constant('alice') }),
);

test('property: targetsFor lists and counts what its definition keeps', () => {
  fc.assert(fc.property(fc.array(target, { maxLength: 30 }), subject, (all, s) => {
    const want = reference(s, all);
    const got = targetsFor(s, all);
    assert.deepEqual(got.listed, want.slice(0, MAX_ESCALATION_TARGETS));
    assert.equal(got.count, want.length);
  }), { numRuns: 2000 });
});

test('60,000 bindings, a third of them impersonating every kubelet-reaching service account: seconds, not minutes', async () => {
  const { analyzeRbac } = await import('../rbac.ts');
  const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  const clusterRoles = [
    { metadata: { name: 'proxy' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] },
    { metadata: { name: 'esc' }, rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }] },
  ];
  const N = 60_000;
  const clusterRoleBindings = Array.from({ length: N }, (_, i) => ({ metadata: { name: `crb-${i}` }, roleRef: ref('ClusterRole', i % 3 === 0 ? 'esc' : 'proxy'), subjects: [{ kind: 'ServiceAccount', name: `sa-${i}`, namespace: `ns-${i % 100}` }] }));
  const t0 = performance.now();
  const a = analyzeRbac({ clusterRoles, roles: [], clusterRoleBindings, roleBindings: [] });
  const ms = performance.now() - t0;
  const imp = a.escalation.filter((g) => g.action === 'impersonate');
  assert.equal(imp.length, N / 3);
  assert.equal((imp[0]?.targets?.length ?? 0) + (imp[0]?.moreTargets ?? 0), (2 * N) / 3);
  assert.ok(ms < 20_000, `${ms} ms`);
});

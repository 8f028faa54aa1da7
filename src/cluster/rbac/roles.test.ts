// Aggregated ClusterRoles as the aggregation controller converges them, with no recursion: a chain
// of 5,000 (the call stack it used to overflow), cycles, a role selecting itself, and thousands of
// roles selecting everything, each in bounded time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac, whoCanReachKubelet, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type RbacObjects } from '../rbac.ts';

const PROXY: PolicyRule = { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] };
const LOG: PolicyRule = { apiGroups: [''], resources: ['nodes/log'], verbs: ['get'] };

function role(name: string, rules: PolicyRule[] | null, labels: Record<string, string> = {}, select?: Record<string, string>[]): ClusterRole {
  return { metadata: { name, labels }, rules, ...(select ? { aggregationRule: { clusterRoleSelectors: select.map((m) => ({ matchLabels: m })) } } : {}) };
}
const bind = (r: string): ClusterRoleBinding => ({ metadata: { name: `b-${r}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: r }, subjects: [{ kind: 'User', name: 'alice' }] });
const objs = (clusterRoles: ClusterRole[], bound: string[]): RbacObjects => ({ clusterRoles, roles: [], clusterRoleBindings: bound.map(bind), roleBindings: [] });
const subresources = (o: RbacObjects, r: string) => whoCanReachKubelet(o).filter((g) => g.chain.role.name === r && g.subject.name === 'alice').map((g) => g.subresource).sort();

test('a chain of 5,000 aggregated roles resolves without recursion, to its end role\'s rules', () => {
  const N = 5000;
  const roles: ClusterRole[] = [];
  // names descending along the chain, so no ordering shortcut helps
  for (let i = 0; i < N; i++) roles.push(role(`agg-${String(N - i).padStart(5, '0')}`, [], { link: String(i) }, [{ link: String(i + 1) }]));
  roles.push(role('leaf', [PROXY], { link: String(N) }));
  const t0 = performance.now();
  const a = analyzeRbac(objs(roles, [roles[0]!.metadata.name, roles[N / 2]!.metadata.name]));
  const ms = performance.now() - t0;
  const gs = a.kubelet.filter((g) => g.subject.name === 'alice');
  assert.deepEqual(gs.map((g) => [g.chain.role.name, g.subresource, g.chain.aggregatedFrom]).sort(),
    [[roles[0]!.metadata.name, 'proxy', 'leaf'], [roles[N / 2]!.metadata.name, 'proxy', 'leaf']].sort());
  assert.ok(ms < 3000, `${ms} ms`);
});

test('roles that select each other (a cycle) hold the union of what any of them selects; a cycle of nothing holds nothing', () => {
  const o = objs([
    role('a', [], { ring: 'a' }, [{ ring: 'b' }, { part: 'a' }]),
    role('b', [], { ring: 'b' }, [{ ring: 'c' }]),
    role('c', [], { ring: 'c' }, [{ ring: 'a' }, { part: 'c' }]),
    role('log', [LOG], { part: 'a' }),
    role('proxy', [PROXY], { part: 'c' }),
    role('x', [], { ring: 'x' }, [{ ring: 'y' }]),
    role('y', [], { ring: 'y' }, [{ ring: 'x' }]),
  ], ['a', 'b', 'c', 'x']);
  for (const r of ['a', 'b', 'c']) assert.deepEqual(subresources(o, r), ['log', 'proxy'], r);
  assert.deepEqual(subresources(o, 'x'), []);
  const notes = analyzeRbac(o).notes.filter((n) => n.kind === 'aggregated-role');
  assert.match(notes.find((n) => n.object.name === 'b')?.message ?? '', /select each other with it \(a, b, c\)/);
});

test('a role selecting itself: skipped, as the controller skips its own name; only the others count', () => {
  const o = objs([
    role('self', [], { x: 'y' }, [{ x: 'y' }]),
    role('part', [LOG], { x: 'y' }),
    role('alone', [], { z: 'z' }, [{ z: 'z' }]),
  ], ['self', 'alone']);
  assert.deepEqual(subresources(o, 'self'), ['log']);
  assert.deepEqual(subresources(o, 'alone'), []);
});

test('near-linear: 5,000 aggregated roles each selecting one part, and 2,000 selecting every role', () => {
  const roles: ClusterRole[] = [];
  for (let i = 0; i < 5000; i++) {
    roles.push(role(`agg-${i}`, [], {}, [{ part: String(i) }]));
    roles.push(role(`part-${i}`, [{ ...LOG, resourceNames: [`n-${i}`] }], { part: String(i) }));
  }
  let t0 = performance.now();
  const a = analyzeRbac(objs(roles, ['agg-0', 'agg-4999']));
  let ms = performance.now() - t0;
  assert.equal(a.kubelet.filter((g) => g.subject.name === 'alice').length, 2);
  assert.ok(ms < 3000, `one part each: ${ms} ms`);

  const everything: ClusterRole[] = [];
  for (let i = 0; i < 2000; i++) everything.push({ metadata: { name: `all-${i}` }, rules: [], aggregationRule: { clusterRoleSelectors: [{}] } });
  for (let i = 0; i < 2000; i++) everything.push(role(`p-${i}`, [{ ...LOG, resourceNames: [`n-${i}`] }]));
  t0 = performance.now();
  const b = analyzeRbac(objs(everything, ['all-0', 'all-1999']));
  ms = performance.now() - t0;
  const g = b.kubelet.filter((x) => x.subject.name === 'alice');
  assert.deepEqual([...new Set(g.map((x) => x.chain.role.name))].sort(), ['all-0', 'all-1999']);
  assert.equal(g.length, 2 * 2000, 'each binding holds every part\'s rule');
  assert.ok(ms < 4000, `every role: ${ms} ms`);
});

test('malformed aggregation input (rules or selectors not lists) is no crash', () => {
  const o = objs([
    { metadata: { name: 'odd' }, rules: 'x' as never, aggregationRule: { clusterRoleSelectors: 'y' as never } },
    { metadata: { name: 'odd2' }, rules: [], aggregationRule: { clusterRoleSelectors: [null as never, { matchExpressions: [{ key: 'k', operator: 'Bogus' }] }] } },
  ], ['odd', 'odd2']);
  assert.deepEqual(subresources(o, 'odd'), []);
  assert.deepEqual(subresources(o, 'odd2'), []);
});

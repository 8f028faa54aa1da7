// `kubelet-guard fix --cluster` end to end, through the CLI, against the writable API-server
// simulator: the plan (YAML that parses and that kubectl applies, JSON), what is changed and what is
// left alone, --write (dry-run of everything first, then the writes, stopping at a failure), a
// second run planning nothing, a partial read planning nothing from what was not read, hostile names.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { startApiServerSim, type ApiServerSim, type ApiServerSimSpec } from './apiserver-sim.ts';
import { fixClusterSpec, PROMETHEUS_ROLE, readmeSpec, README_SERVER } from './fix-cluster-fixture.ts';
import { readFileSync } from 'node:fs';
import { runCli } from '../run-cli.ts';
import { rbacFor } from '../../src/cluster/kubelet-authz.ts';

const CR = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
const CRB = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
const NS = '/api/v1/namespaces';

let sim: ApiServerSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(more: Partial<ApiServerSimSpec> = {}): Promise<ApiServerSim> {
  sim = await startApiServerSim(fixClusterSpec(more));
  return sim;
}

const fix = (s: ApiServerSim, ...args: string[]) => runCli('fix', '--cluster', '--kubeconfig', s.kubeconfigPath, ...args);

interface Change { action: string; kind: string; name: string; object: { metadata: Record<string, unknown>; rules?: unknown[]; subjects?: unknown[]; roleRef?: { name: string } }; closes: string[] }
interface Plan { changes: Change[]; notes: { finding: string; note: string; command?: string }[]; incomplete: string[] }

function docs(yaml: string): Record<string, unknown>[] {
  const all = parseAllDocuments(yaml);
  assert.ok(Array.isArray(all));
  for (const d of all) assert.deepEqual(d.errors, [], String(d.errors));
  return all.map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
}

test('the plan: the metrics agent gets the rbac-for role and loses nodes/proxy; the rest is left alone and said why; namespaces labelled; nothing written', async () => {
  const s = await start();
  const r = await fix(s);
  assert.equal(r.code, 0, r.err);
  const objs = docs(r.out);
  const json = await fix(s, '--format', 'json');
  assert.equal(json.code, 0, json.err);
  const plan = JSON.parse(json.out) as Plan;
  // the same plan, as YAML documents and as data
  assert.deepEqual(objs, plan.changes.map((c) => c.object));
  const named = (kind: string, name: string) => plan.changes.find((c) => c.kind === kind && c.name === name);

  // (a) the replacement role is exactly rbac-for's for a metrics agent
  const role = named('ClusterRole', 'kubelet-guard-node-metrics');
  assert.equal(role?.action, 'create');
  assert.deepEqual(role?.object.rules, rbacFor(['/metrics', '/metrics/cadvisor', '/metrics/resource', '/stats/summary']).role.rules);
  assert.deepEqual(role?.object.rules, [{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }, { apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] }]);
  const binding = named('ClusterRoleBinding', 'kubelet-guard-node-metrics.prometheus-k8s');
  assert.deepEqual(binding?.object.subjects, [{ kind: 'ServiceAccount', name: 'prometheus-k8s', namespace: 'monitoring' }]);
  assert.equal(binding?.object.roleRef?.name, 'kubelet-guard-node-metrics');

  // (b) the old role whole, without its kubelet subresources, everything else kept
  const old = named('ClusterRole', 'prometheus-k8s');
  assert.equal(old?.action, 'replace');
  assert.deepEqual(old?.object.metadata.labels, PROMETHEUS_ROLE.metadata.labels);
  assert.deepEqual(old?.object.metadata.annotations, PROMETHEUS_ROLE.metadata.annotations);
  assert.match(String(old?.object.metadata.resourceVersion), /^\d+$/);
  assert.deepEqual(old?.object.rules, [
    { apiGroups: [''], resources: ['nodes', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
  assert.deepEqual(old?.closes, ['rbac-kubelet-access ServiceAccount/monitoring/prometheus-k8s']);
  // the new access comes before the old goes
  const order = plan.changes.map((c) => `${c.kind}/${c.name}`);
  assert.ok(order.indexOf('ClusterRoleBinding/kubelet-guard-node-metrics.prometheus-k8s') < order.indexOf('ClusterRole/prometheus-k8s'));

  // an aggregated role: its source is changed, never the aggregated role itself
  assert.ok(named('ClusterRole', 'kubelet-stats-source'));
  assert.equal(named('ClusterRole', 'monitoring-view'), undefined);
  assert.ok(named('ClusterRoleBinding', 'kubelet-guard-node-metrics.grafana-agent'));

  // a user whose need cannot be told: no change, a note with the rbac-for command
  assert.equal(plan.changes.some((c) => c.name === 'ops-debug'), false);
  const alice = plan.notes.find((n) => n.finding === 'rbac-kubelet-access User/alice@example.com');
  assert.match(alice?.note ?? '', /no automatic replacement/);
  assert.match(alice?.command ?? '', /^kubelet-guard rbac-for /);
  // the control plane's roles and bindings: never changed, a note
  assert.equal(plan.changes.some((c) => c.name.startsWith('system:')), false);
  assert.match(plan.notes.find((n) => n.finding === 'rbac-kubelet-access User/bob@example.com')?.note ?? '', /system:kubelet-api-admin .*not changed/);
  assert.equal(plan.notes.some((n) => n.finding.includes('kube-apiserver-kubelet-client')), false); // expected: not even a note

  // (c) namespaces: baseline enforced where nothing runs that it refuses; warn/audit only in default (pod-0 is hostNetwork)
  const enforce = 'pod-security.kubernetes.io/enforce';
  for (const ns of ['ns-3', 'ns-4']) {
    assert.deepEqual(named('Namespace', ns)?.object.metadata.labels,
      { [enforce]: 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
  }
  assert.deepEqual(named('Namespace', 'default')?.object.metadata.labels, { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
  assert.match(plan.notes.find((n) => n.finding === 'namespace-pod-security default')?.note ?? '', /pod-0 \(hostNetwork\).*enforce=baseline would refuse/);
  assert.equal(named('Namespace', 'kube-system'), undefined);
  assert.equal(named('Namespace', 'ns-2'), undefined); // enforces restricted already

  // YAML comments: which finding each document closes, and why
  assert.match(r.out, /# replace ClusterRole prometheus-k8s: .*\n# closes: rbac-kubelet-access ServiceAccount\/monitoring\/prometheus-k8s\n# why: /);
  assert.match(r.out, /# NOTE \[rbac-kubelet-access User\/alice@example.com\]/);
  // nothing without --write
  assert.deepEqual(s.writes(), []);
});

test('kubectl applies the plan (apply --dry-run=client against the simulator)', async (t) => {
  const s = await start();
  const r = await fix(s);
  assert.equal(r.code, 0, r.err);
  const dir = mkdtempSync(join(tmpdir(), 'fix-cluster-'));
  try {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, r.out);
    let out: string;
    try {
      out = (await promisify(execFile)('kubectl', ['--kubeconfig', s.kubeconfigPath, 'apply', '--dry-run=client', '--validate=false', '-f', file], { encoding: 'utf8', timeout: 60_000 })).stdout;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('kubectl is not on PATH');
      throw e;
    }
    const lines = out.trim().split('\n');
    assert.equal(lines.length, JSON.parse((await fix(s, '--format', 'json')).out).changes.length, out);
    assert.ok(lines.includes('clusterrole.rbac.authorization.k8s.io/prometheus-k8s configured (dry run)'), out);
    assert.ok(lines.includes('clusterrole.rbac.authorization.k8s.io/kubelet-guard-node-metrics created (dry run)'), out);
    assert.ok(lines.includes('namespace/ns-4 configured (dry run)'), out);
    assert.deepEqual(s.writes(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--write: every change dry-run first, then written in order; labels and other rules kept; a second run plans nothing', async () => {
  const s = await start();
  const planned = JSON.parse((await fix(s, '--format', 'json')).out) as Plan;
  const n = planned.changes.length;
  assert.equal(n, 8);
  const r = await fix(s, '--write');
  assert.equal(r.code, 0, r.err);
  const w = s.writes();
  assert.equal(w.length, 2 * n);
  assert.ok(w.slice(0, n).every((x) => x.dryRun && x.status! < 300));
  assert.ok(w.slice(n).every((x) => !x.dryRun && x.status! < 300));
  assert.deepEqual(w.slice(0, n).map((x) => `${x.method} ${x.path}`), w.slice(n).map((x) => `${x.method} ${x.path}`));
  assert.equal(w.find((x) => x.method === 'PATCH')?.contentType, 'application/merge-patch+json');
  assert.match(r.out, /^dry-run ok: create ClusterRole kubelet-guard-node-metrics$/m);
  assert.match(r.out, /^applied: replace ClusterRole prometheus-k8s$/m);

  const prom = s.object(CR, 'prometheus-k8s') as { metadata: { labels: unknown; annotations: unknown }; rules: { resources?: string[] }[] };
  assert.equal(prom.rules.some((x) => x.resources?.some((res) => res.startsWith('nodes/'))), false);
  assert.deepEqual(prom.metadata.annotations, PROMETHEUS_ROLE.metadata.annotations);
  assert.ok(s.object(CRB, 'kubelet-guard-node-metrics.prometheus-k8s'));
  assert.deepEqual((s.object(NS, 'ns-4') as { metadata: { labels: Record<string, string> } }).metadata.labels.team, 'web');
  assert.equal((s.object(NS, 'ns-4') as { metadata: { labels: Record<string, string> } }).metadata.labels['pod-security.kubernetes.io/enforce'], 'baseline');
  // the aggregation controller copied the source's change: the aggregated role reaches nodes/proxy no more
  assert.equal(JSON.stringify(s.object(CR, 'monitoring-view')).includes('nodes/proxy'), false);

  // idempotent: nothing more to change (the notes stay: they need a person)
  const again = JSON.parse((await fix(s, '--format', 'json')).out) as Plan;
  assert.deepEqual(again.changes, []);
  assert.ok(again.notes.some((x) => x.finding === 'rbac-kubelet-access User/alice@example.com'));
  const yaml = await fix(s);
  assert.match(yaml.out, /^# nothing to change$/m);
  const third = await fix(s, '--write');
  assert.equal(third.code, 0, third.err);
  assert.match(third.err, /nothing to change/);
  assert.equal(s.writes().length, 2 * n);
});

test('--write: a failing dry-run writes nothing (exit 1)', async () => {
  const s = await start({ failWrite: (w) => (w.method === 'PUT' && w.path.endsWith('/prometheus-k8s') ? { code: 403, message: 'clusterroles.rbac.authorization.k8s.io "prometheus-k8s" is forbidden: user cannot update' } : undefined) });
  const r = await fix(s, '--write');
  assert.equal(r.code, 1, r.err);
  assert.ok(s.writes().every((x) => x.dryRun), 'nothing written for real');
  assert.equal(s.writes().length, 3); // stopped at the third dry-run
  assert.match(r.out, /dry-run FAILED: replace ClusterRole prometheus-k8s: HTTP 403.*nothing was written/);
  assert.equal(s.object(CR, 'kubelet-guard-node-metrics'), undefined);
});

test('--write: a write that fails stops the rest and says what was and was not applied (exit 1)', async () => {
  const s = await start({ failWrite: (w) => (!w.dryRun && w.method === 'PUT' ? { code: 500, message: 'etcdserver: request timed out' } : undefined) });
  const r = await fix(s, '--write', '--format', 'json');
  assert.equal(r.code, 1, r.err);
  const res = JSON.parse(r.out) as { applied: string[]; notApplied: string[]; failed: { change: string; dryRun: boolean } };
  assert.deepEqual(res.applied, ['create ClusterRole kubelet-guard-node-metrics', 'create ClusterRoleBinding kubelet-guard-node-metrics.prometheus-k8s']);
  assert.equal(res.failed.change, 'replace ClusterRole prometheus-k8s');
  assert.equal(res.failed.dryRun, false);
  assert.equal(res.notApplied.length, 6);
  assert.equal(s.writes().filter((x) => !x.dryRun).length, 3);
  // what was applied holds, and the next run plans the rest
  const next = JSON.parse((await fix(s, '--format', 'json')).out) as Plan;
  assert.deepEqual(next.changes.map((c) => `${c.action} ${c.kind} ${c.name}`).slice(0, 1), ['replace ClusterRole prometheus-k8s']);
});

test('a role changed after it was read: its PUT carries the resourceVersion read and is refused (409), nothing written', async () => {
  let bumped = false;
  const s: ApiServerSim = await start({
    // someone edits prometheus-k8s between the read and the first write
    failWrite: () => {
      if (!bumped) {
        bumped = true;
        const m = s.object(CR, 'prometheus-k8s')!.metadata as { resourceVersion: string };
        m.resourceVersion = String(Number(m.resourceVersion) + 1000);
      }
      return undefined;
    },
  });
  const r = await fix(s, '--write');
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /dry-run FAILED: replace ClusterRole prometheus-k8s: HTTP 409: .*has been modified/);
  assert.ok(s.writes().every((x) => x.dryRun));
});

test('a list that cannot be read: nothing planned from it, exit 3; --write writes nothing', async () => {
  const s = await start({ forbidden: [CRB] });
  const r = await fix(s, '--format', 'json');
  assert.equal(r.code, 3, r.err);
  const plan = JSON.parse(r.out) as Plan;
  assert.equal(plan.changes.some((c) => c.kind !== 'Namespace'), false, 'no RBAC change from a partial view');
  assert.ok(plan.changes.some((c) => c.kind === 'Namespace'));
  assert.match(plan.incomplete.join(' '), /clusterrolebindings: forbidden/);
  assert.match(r.err, /incomplete: could not read .*clusterrolebindings/);
  const w = await fix(s, '--write');
  assert.equal(w.code, 3);
  assert.deepEqual(s.writes(), []);
  await s.close();
  const pods = await start({ forbidden: ['/api/v1/pods'] });
  const p = JSON.parse((await fix(pods, '--format', 'json')).out) as Plan;
  assert.equal(p.changes.some((c) => c.kind === 'Namespace'), false, 'no label without knowing which pods enforce would refuse');
});

test('usage: a format or option that is not the cluster fix\'s is refused (exit 2)', async () => {
  const s = await start();
  assert.equal((await fix(s, '--format', 'text')).code, 2);
  assert.equal((await fix(s, '--check', 'kubelet-anonymous-auth')).code, 2);
  assert.equal((await fix(s, '--root', '/')).code, 2);
  assert.equal((await fix(s, '--timeout', 'soon')).code, 2);
  assert.equal((await fix(s, '--kubelet-version', 'latest')).code, 2);
  assert.deepEqual(s.writes(), []);
});

test('hostile names: the YAML stays YAML (names round-trip), comments stay comments, no escape reaches the output', async () => {
  const evil = 'prometheus\u001b]0;pwned\u0007\n- kind: User\r\n  name: evil #\u202e';
  const s = await start({
    extra: {
      [CR]: [{ metadata: { name: 'scrape\u001b[2J\nrules: []' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] }],
      [CRB]: [{ metadata: { name: 'scrape\u009b31m' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'scrape\u001b[2J\nrules: []' },
        subjects: [{ kind: 'ServiceAccount', name: evil, namespace: 'monitoring' }] }],
    },
  });
  const r = await fix(s);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /[\u001b\u0007\u009b\u202e\r]/);
  for (const line of r.out.split('\n')) assert.ok(line === '' || line === '---' || line.startsWith('#') || /^[ a-zA-Z-]/.test(line), JSON.stringify(line));
  const objs = docs(r.out);
  const b = objs.find((o) => o.kind === 'ClusterRoleBinding') as { subjects: { name: string }[] };
  assert.equal(b.subjects[0]?.name, evil, 'exact: YAML escapes in a double-quoted scalar');
  const role = objs.find((o) => o.kind === 'ClusterRole' && (o.metadata as { name: string }).name.startsWith('scrape'));
  assert.deepEqual(role?.rules, []);
});

test("the README's fix --cluster sample is the tool's real output", async () => {
  sim = await startApiServerSim(readmeSpec());
  const r = await fix(sim, '--check', 'rbac-kubelet-access');
  assert.equal(r.code, 0, r.err);
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('# kubelet-guard fix --cluster plan for');
  assert.ok(at > 0);
  const sample = readme.slice(at, readme.indexOf('```', at));
  assert.equal(sample, r.out.replaceAll(sim.url, README_SERVER));
});

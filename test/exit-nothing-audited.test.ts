// A run that audited nothing never exits 0 (issue 10, "exit codes that never pass on nothing"):
// exit 3 with a first line (standard error, and the table's first line) saying what was not found
// and what to try; a failure at or above --fail-on still wins (exit 1).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './run-cli.ts';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { auditExitCode, EXIT_INCOMPLETE, judges, nothingJudged, runChecks } from '../src/checks/run.ts';
import { nodeIncomplete } from '../src/commands/node.ts';
import { startApiServerSim, type ApiServerSim } from './cluster/apiserver-sim.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-nothing-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the one decision: 1 on a failure at or above --fail-on, else 3 when incomplete, else 0', () => {
  assert.equal(EXIT_INCOMPLETE, 3);
  assert.equal(auditExitCode(true, 'nothing found'), 1);
  assert.equal(auditExitCode(false, 'nothing found'), 3);
  assert.equal(auditExitCode(false, undefined), 0);
  assert.equal(nothingJudged(1, 10), undefined);
  assert.match(nothingJudged(0, 10) ?? '', /none of the 10 findings could be judged/);
  assert.match(nothingJudged(0, 0) ?? '', /nothing was audited/);
  // evidence findings ("the folder was read fully") judge nothing of the node
  assert.equal(judges({ status: 'pass', section: 'kubelet-evidence' }), false);
  assert.equal(judges({ status: 'fail', section: 'kubelet-config' } as never), true);
  assert.equal(judges({ status: 'unknown', section: 'kubelet-config' } as never), false);
});

test('node --root on an empty folder: exit 3, the first line says no kubelet was found and what to try', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'empty-'));
  for (const format of ['table', 'json']) {
    const r = await runCli('node', '--root', dir, '--format', format);
    assert.equal(r.code, 3, r.err);
    const first = r.err.split('\n')[0]!;
    assert.match(first, new RegExp(`^kubelet-guard node: no kubelet found under --root ${dir}: no kubelet unit, process or config`));
    assert.match(first, /is this a node's root filesystem\? \(try --root \/host/);
    if (format === 'table') assert.match(r.out.split('\n')[0]!, /^INCOMPLETE: no kubelet found under --root /);
    else assert.match((JSON.parse(r.out) as { incomplete?: string }).incomplete ?? '', /^no kubelet found under --root /);
  }
  // --fail-on none does not turn nothing into a pass
  assert.equal((await runCli('node', '--root', dir, '--fail-on', 'none')).code, 3);
});

test('node --root on a folder of random files (not a node): exit 3', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'random-'));
  fs.mkdirSync(path.join(dir, 'etc'));
  fs.writeFileSync(path.join(dir, 'etc', 'hosts'), '127.0.0.1 localhost\n');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a node\n');
  fs.mkdirSync(path.join(dir, 'var', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'var', 'lib', 'data.bin'), Buffer.from([0, 1, 2, 255]));
  const r = await runCli('node', '--root', dir);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err.split('\n')[0]!, /no kubelet found under --root .*random-/);
  assert.match(r.out.split('\n')[0]!, /^INCOMPLETE: /);
});

test('the example nodes still exit 0 or 1 as before, with no incomplete line', async () => {
  const expected: Record<string, number> = {
    'eks-al2023': 0, insecure: 1, 'kubeadm-control-plane': 0, 'kubeadm-control-plane-insecure': 1, 'kubeadm-worker': 1, 'legacy-flags': 1,
  };
  for (const [ex, code] of Object.entries(expected)) {
    const r = await runCli('node', '--root', `examples/nodes/${ex}`);
    assert.equal(r.code, code, `${ex}: ${r.err}`);
    assert.ok(!r.out.startsWith('INCOMPLETE'), ex);
    assert.equal(r.err, '', ex);
    assert.equal((await runCli('node', '--root', `examples/nodes/${ex}`, '--fail-on', 'none')).code, 0, ex);
  }
});

test('a node where every finding is unknown or not applicable: nothing judged, exit 3 unless something failed', () => {
  const facts = gatherNodeFacts({ root: 'examples/nodes/kubeadm-worker' });
  const real = runChecks(NODE_CHECKS, facts);
  assert.equal(nodeIncomplete(facts, real, 'examples/nodes/kubeadm-worker'), undefined);
  // the same node with every judgement withheld (unreadable evidence, say)
  const unknown = real.map((f) => ({ ...f, status: f.status === 'not-applicable' ? f.status : 'unknown' as const }));
  const why = nodeIncomplete(facts, unknown, 'examples/nodes/kubeadm-worker');
  assert.match(why ?? '', /^nothing judged on examples\/nodes\/kubeadm-worker: none of the \d+ findings could be judged/);
  assert.equal(auditExitCode(false, why), 3);
  // only the evidence section passing still judges nothing of the node
  const evidenceOnly = unknown.map((f) => (f.section === 'kubelet-evidence' ? { ...f, status: 'pass' as const } : f));
  assert.notEqual(nodeIncomplete(facts, evidenceOnly, 'x'), undefined);
});

let sim: ApiServerSim;
before(async () => {
  sim = await startApiServerSim({ nodes: 0, podsPerNode: 0, bindings: 0, namespaces: 2, kubeletVersion: 'v1.31.4', configz: () => 'ok' });
});
after(async () => {
  await sim?.close();
});

test('cluster: an API server that lists no nodes exits 3 and says so first', async () => {
  for (const format of ['table', 'json']) {
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', format, '--no-progress', '--fail-on', 'critical');
    assert.equal(r.code, 3, r.err + r.out.slice(0, 2000));
    assert.match(r.err.split('\n')[0]!, new RegExp(`^kubelet-guard cluster: incomplete: the API server ${sim.url.replace(/[.]/g, '\\.')} lists no nodes`));
    if (format === 'table') assert.match(r.out.split('\n')[0]!, /^INCOMPLETE: the API server .* lists no nodes/);
  }
});

test('cluster: an API server that cannot be reached (a closed loopback port) exits 3, not 0 and not 2', async () => {
  // a port that was free a moment ago: nothing listens there
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const kc = path.join(tmp, 'closed.kubeconfig');
  fs.writeFileSync(kc, fs.readFileSync(sim.kubeconfigPath, 'utf8').replaceAll(sim.url, `https://127.0.0.1:${port}`));
  const r = await runCli('cluster', '--kubeconfig', kc, '--no-progress', '--timeout', '2000');
  assert.equal(r.code, 3, r.err + r.out.slice(0, 2000));
  assert.match(r.err.split('\n')[0]!, new RegExp(`^kubelet-guard cluster: incomplete: the API server https://127\\.0\\.0\\.1:${port} could not list the nodes: .*reachable`));
  assert.match(r.out.split('\n')[0]!, /^INCOMPLETE: the API server .* could not list the nodes/);
});

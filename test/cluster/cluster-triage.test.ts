// Suppressions, --skip and --baseline on a cluster audit (report/triage.ts): a `node:` pattern
// matches the node a finding is about; the streamed JSON carries the marks and still validates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';
import { runCli } from '../run-cli.ts';
import { assertSchema } from '../report/validate.ts';
import type { Finding } from '../../src/checks/types.ts';

let sim: ApiServerSim;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-cluster-triage-'));
before(async () => {
  sim = await startApiServerSim({ nodes: 4, podsPerNode: 2, bindings: 4, namespaces: 2, kubeletVersion: 'v1.31.4', configz: () => 'ok', anonymousOn: (i) => i === 1 || i === 2 });
});
after(async () => {
  await sim?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Rep = { findings: Finding[]; nodes: Array<{ name: string; summary: { fail: number } }>; suppressions?: { stale: unknown[]; expired: unknown[] }; baseline?: { new: number; unchanged: number; resolved: unknown[] } };
const cluster = (...args: string[]) => runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--timeout', '2000', ...args);
const anon = (r: Rep) => r.findings.filter((f) => f.check === 'kubelet-anonymous-auth' && f.status === 'fail');

test('cluster: a node pattern suppresses one node\'s finding only; a baseline of the same cluster has nothing new; --skip leaves a check out', async () => {
  const base = path.join(tmp, 'base.json');
  const first = await cluster('-o', `json=${base}`);
  assert.equal(first.code, 1, first.err);
  const before = JSON.parse(fs.readFileSync(base, 'utf8')) as Rep;
  assert.equal(anon(before).length, 2);
  const ignore = path.join(tmp, 'ignore.yaml');
  const nodeName = anon(before)[0]!.subject!.split(' ')[0]!;
  fs.writeFileSync(ignore, `- check: kubelet-anonymous-auth\n  node: "${nodeName}"\n  reason: the lab node\n`);
  const r = await cluster('-f', 'json', '--ignore-file', ignore);
  const rep = JSON.parse(r.out) as Rep;
  assertSchema('cluster-report', rep);
  assert.deepEqual(anon(rep).map((f) => f.suppressed?.reason), ['the lab node', undefined]);
  assert.deepEqual(rep.suppressions, { expired: [], stale: [] });
  const table = await cluster('--ignore-file', ignore);
  assert.match(table.out, /Suppressed \(reported, not counted for --fail-on\)[\s\S]*suppressed: the lab node/);

  const b = await cluster('-f', 'json', '--baseline', base);
  const br = JSON.parse(b.out) as Rep;
  assertSchema('cluster-report', br);
  assert.equal(br.baseline?.new, 0);
  assert.equal(br.baseline?.resolved.length, 0);
  assert.equal((await cluster('--baseline', base, '--fail-on-new')).code, 0, 'nothing new: --fail-on-new passes');

  const skipped = await cluster('-f', 'json', '--skip', 'kubelet-anonymous-auth');
  const sr = JSON.parse(skipped.out) as Rep;
  assertSchema('cluster-report', sr);
  assert.equal(anon(sr).length, 0);
  // a node's counts leave the skipped check out too
  const failsOf = (x: Rep, n: string) => x.nodes.find((y) => y.name === n)!.summary.fail;
  assert.equal(failsOf(sr, nodeName), failsOf(before, nodeName) - 1);
});

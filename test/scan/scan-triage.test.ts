// Suppressions, --skip and --baseline on a scan (report/triage.ts): a scan's node is the host, so
// a `node:` pattern matches addresses; a suppressed finding stays in the JSON and the table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { runCli } from '../run-cli.ts';
import { assertSchema } from '../report/validate.ts';
import type { Finding } from '../../src/checks/types.ts';

let sim: KubeletSim;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-scan-triage-'));
before(async () => {
  sim = await startKubeletSim({ host: '127.0.62.1', anonymous: true, authorization: 'AlwaysAllow', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'self-signed' });
});
after(async () => {
  await sim.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const scan = (...args: string[]) => runCli('scan', '127.0.62.1', '--ports', String(sim.ports.secure), '--no-progress', ...args);
type Rep = { findings: Finding[]; suppressions?: { stale: unknown[]; expired: unknown[] }; baseline?: { new: number; unchanged: number; resolved: unknown[] } };

test('scan: suppressions by host pattern turn exit 1 into 0 and stay reported; a baseline of the same sweep has nothing new', async () => {
  const base = path.join(tmp, 'base.json');
  const first = await scan('-o', `json=${base}`);
  assert.equal(first.code, 1, first.err);
  const failing = [...new Set((JSON.parse(fs.readFileSync(base, 'utf8')) as Rep).findings.filter((f) => f.status === 'fail').map((f) => f.check))];
  assert.ok(failing.length > 0);
  const ignore = path.join(tmp, 'ignore.yaml');
  fs.writeFileSync(ignore, failing.map((c) => `- check: ${c}\n  node: "127.0.62.*"\n  reason: the lab kubelet, isolated\n`).join(''));
  const r = await scan('-f', 'json', '--ignore-file', ignore);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out) as Rep;
  assertSchema('scan-report', rep);
  assert.ok(rep.findings.filter((f) => f.status === 'fail').every((f) => f.suppressed?.reason === 'the lab kubelet, isolated'));
  assert.deepEqual(rep.suppressions, { expired: [], stale: [] });
  const table = await scan('--ignore-file', ignore);
  assert.match(table.out, /Suppressed \(reported, not counted for --fail-on\)/);

  const other = path.join(tmp, 'other.yaml');
  fs.writeFileSync(other, `- check: ${failing[0]}\n  node: "10.*"\n  reason: another network\n`);
  const stale = await scan('-f', 'json', '--ignore-file', other);
  assert.equal(stale.code, 1);
  assert.match(stale.err, /stale suppression/);

  const b = await scan('-f', 'json', '--baseline', base, '--fail-on-new');
  assert.equal(b.code, 0, b.err);
  const br = JSON.parse(b.out) as Rep;
  assertSchema('scan-report', br);
  assert.equal(br.baseline?.new, 0);
  assert.ok(br.baseline!.unchanged > 0);

  const skipped = await scan('-f', 'json', '--skip', failing.join(','));
  assert.equal(skipped.code, 0);
  assert.ok(!(JSON.parse(skipped.out) as Rep).findings.some((f) => failing.includes(f.check)));
});

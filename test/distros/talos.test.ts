// Talos: the kubelet's flags live in machined's memory, not on the node: the audit finds the
// KubeletConfiguration machined writes, says the command line cannot be seen and what to run
// instead, and no kubelet setting check passes on what cannot be seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { NODE_CHECKS } from '../../src/checks/index.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'talos'], { stdio: 'inherit' });
const EX = 'examples/nodes/talos';

async function report(root: string, ...more: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...more);
  assert.ok(r.code === 0 || r.code === 3, r.err);
  return JSON.parse(r.out) as NodeReport;
}
const SETTING_SECTIONS = new Set(NODE_CHECKS.filter((c) => c.meta.section === 'cis-4.2' || c.meta.section === 'kubelet-api').map((c) => c.meta.id));

test('talos: detected by os-release, every kubelet setting unknown with what to run instead', async () => {
  const r = await report(EX);
  assert.equal(r.distribution?.name, 'talos');
  assert.equal(r.distribution?.version?.value, 'v1.11.5');
  assert.equal(r.kubelet.configFile, '/etc/kubernetes/kubelet.yaml');
  const anon = r.effectiveConfig['authentication.anonymous.enabled'];
  assert.equal(anon?.value, null);
  assert.match(anon?.unknown ?? '', /kubelet-guard cluster/);
  assert.match(anon?.unknown ?? '', /talosctl -n NODE get kubeletspec -o yaml/);
  const setting = r.findings.filter((f) => SETTING_SECTIONS.has(f.check));
  assert.ok(setting.length > 10);
  assert.deepEqual(setting.filter((f) => f.status === 'pass' || f.status === 'fail').map((f) => f.check), []);
  assert.equal(r.findings.find((f) => f.check === 'kubelet-anonymous-auth')?.status, 'unknown');
  assert.match(r.findings.find((f) => f.check === 'kubelet-config-accepted')?.message ?? '', /cannot see/);
});

test('talos: even a kubelet.yaml that looks insecure fails nothing from the config file alone', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-talos-'));
  try {
    assert.equal(spawnSync('cp', ['-a', `${EX}/.`, root]).status, 0);
    const f = path.join(root, 'etc/kubernetes/kubelet.yaml');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('mode: Webhook', 'mode: AlwaysAllow'));
    const r = await report(root);
    assert.equal(r.findings.find((x) => x.check === 'kubelet-authorization-mode')?.status, 'unknown');
    fs.rmSync(f);
    const m = await report(root);
    assert.equal(m.findings.find((x) => x.check === 'kubelet-found')?.status, 'unknown');
    assert.match(m.kubelet.missing ?? '', /kubelet\.yaml is not on this node.*kubelet-guard cluster/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// kind: detected before kubeadm (its node image has kubeadm's files too), audited as kubeadm's
// kubelet.service with kind's unit files, the kubelet version from /kind/version; a misconfigured
// variant and unknown cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { copyOf } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'kind'], { stdio: 'inherit' });
const EX = 'examples/nodes/kind';

async function report(root: string, ...more: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...more);
  assert.ok(r.code === 0 || r.code === 3, r.err);
  return JSON.parse(r.out) as NodeReport;
}
const verdict = (r: NodeReport, check: string) => r.findings.find((f) => f.check === check)?.status;
const copy = () => copyOf('kind');

test('kind: detected before kubeadm, version from /kind/version, kubeadm\'s layers with kind\'s units', async () => {
  const r = await report(EX);
  assert.equal(r.distribution?.name, 'kind');
  assert.equal(r.distribution?.version?.value, 'v1.33.1');
  assert.deepEqual(r.kubelet.version, { value: 'v1.33.1', source: '/kind/version' });
  assert.equal(r.kubelet.from, 'systemd-unit');
  assert.equal(r.kubelet.configFile, '/var/lib/kubelet/config.yaml');
  const e = r.effectiveConfig;
  assert.equal(e['--kubeconfig']?.source.file, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
  assert.deepEqual(e['authentication.anonymous.enabled']?.source, { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: 4 });
  assert.equal(e['--node-ip']?.value, '172.18.0.3');
  assert.equal(e['--node-ip']?.source.file, '/var/lib/kubelet/kubeadm-flags.env');
  assert.equal(e['cgroupRoot']?.value, '/kubelet');
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'pass');
  assert.equal(verdict(r, 'kubelet-authorization-mode'), 'pass');
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'pass');
  assert.equal(verdict(r, 'kubelet-config-accepted'), 'pass');
  const k = await report(EX, '--distribution', 'kubeadm');
  assert.equal(k.distribution?.name, 'kubeadm');
  assert.equal(k.kubelet.version, undefined); // kubeadm reads dpkg, which a kind node has not
});

test('kind misconfigured: readOnlyPort in config.yaml fails with that file and line; unknown when it is unreadable', async () => {
  const root = copy();
  try {
    const f = path.join(root, 'var/lib/kubelet/config.yaml');
    fs.appendFileSync(f, 'readOnlyPort: 10255\n');
    const lines = fs.readFileSync(f, 'utf8').split('\n').length - 1;
    const r = await report(root);
    assert.equal(verdict(r, 'kubelet-read-only-port'), 'fail');
    assert.deepEqual(r.effectiveConfig['readOnlyPort']?.source, { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: lines });
    fs.rmSync(f);
    const m = await report(root);
    assert.equal(verdict(m, 'kubelet-read-only-port'), 'unknown');
    assert.equal(verdict(m, 'kubelet-anonymous-auth'), 'unknown');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// RKE2 (issue 14): k3s's agent code with RKE2's own data dir, config and units; the kubelet is a
// child process (live: its /proc cmdline is the truth), rebuilt from the files offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { gatherNodeFacts } from '../../src/sources/node.ts';
import { RootFs } from '../../src/sources/root-fs.ts';
import { detectDistribution } from '../../src/distros/detect.ts';
import { copyOf } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'rke2-agent'], { stdio: 'inherit' });
const EX = 'examples/nodes/rke2-agent';

async function report(root: string, ...more: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...more);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as NodeReport;
}
const verdict = (r: NodeReport, check: string) => r.findings.find((f) => f.check === check)?.status;
const copy = () => copyOf('rke2-agent');

test('rke2-agent: detected, version from the bin symlink', () => {
  const d = detectDistribution(new RootFs(EX), false);
  assert.equal(d.distro.name, 'rke2');
  assert.deepEqual(d.fact.version, { value: 'v1.33.4-rke2r1', source: '/var/lib/rancher/rke2/bin -> /var/lib/rancher/rke2/data/v1.33.4-rke2r1-3f1c2a9d8e7b/bin' });
});

test('rke2-agent: effective configuration and verdicts with provenance', async () => {
  const r = await report(EX);
  assert.equal(r.distribution?.name, 'rke2');
  assert.equal(r.kubelet.version?.value, '1.33.4');
  const e = r.effectiveConfig;
  const defaults = '/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/00-rke2-defaults.conf';
  assert.equal(e['authentication.anonymous.enabled']?.source.file, defaults);
  // profile: cis -> protect-kernel-defaults -> k3s writes protectKernelDefaults: true
  assert.equal(e['protectKernelDefaults']?.value, true);
  // RKE2's own words (staticpod.go), k3s's --read-only-port=0 (v1.33 has it)
  assert.equal(e['fileCheckFrequency']?.value, '5s');
  assert.match(e['fileCheckFrequency']?.source.detail ?? '', /rancher\/rke2 pkg\/executor\/staticpod\/staticpod\.go/);
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.kind, 'distribution-default');
  assert.deepEqual(e['podPidsLimit']?.source, { kind: 'flag', file: '/etc/rancher/rke2/config.yaml', line: 6, detail: '--pod-max-pids=4096' });
  // klog flags RKE2 prepends are taken out before the kubelet starts (logging.ExtractFromArgs)
  assert.ok(!r.kubelet.argv!.some((a) => a.text.startsWith('--log-file')));
  for (const c of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-client-ca-file', 'kubelet-protect-kernel-defaults', 'cert-serving-ca-signed']) {
    assert.equal(verdict(r, c), 'pass', c);
  }
});

test('misconfigured: kubelet-arg authorization-mode=AlwaysAllow in config.yaml fails at that line', async () => {
  const dir = copy();
  try {
    const p = `${dir}/etc/rancher/rke2/config.yaml`;
    fs.writeFileSync(p, `${fs.readFileSync(p, 'utf8')}  - "authorization-mode=AlwaysAllow"\n`);
    const r = await report(dir);
    assert.equal(verdict(r, 'kubelet-authorization-mode'), 'fail');
    assert.deepEqual(r.effectiveConfig['authorization.mode']?.source, { kind: 'flag', file: '/etc/rancher/rke2/config.yaml', line: 9, detail: '--authorization-mode=AlwaysAllow' });
    const f = r.findings.find((x) => x.check === 'kubelet-authorization-mode');
    assert.deepEqual(f?.fixes, [{ kind: 'manifest-set', file: '/etc/rancher/rke2/config.yaml', path: ['kubelet-arg', 3], value: 'authorization-mode=Webhook', line: 9, restart: 'kubelet' }]);
    assert.ok((f?.remediation ?? '').includes('then restart RKE2'), f?.remediation);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('live: the running kubelet child process is the truth; words the files give keep their provenance', () => {
  const dir = copy();
  try {
    fs.mkdirSync(`${dir}/proc/4242`, { recursive: true });
    const argv = ['/var/lib/rancher/rke2/data/v1.33.4-rke2r1-3f1c2a9d8e7b/bin/kubelet', '--volume-plugin-dir=/var/lib/kubelet/volumeplugins', '--file-check-frequency=5s', '--sync-frequency=30s', '--config-dir=/var/lib/rancher/rke2/agent/etc/kubelet.conf.d', '--kubeconfig=/var/lib/rancher/rke2/agent/kubelet.kubeconfig', '--pod-max-pids=4096', '--read-only-port=10255'];
    fs.writeFileSync(`${dir}/proc/4242/cmdline`, `${argv.join('\0')}\0`);
    fs.writeFileSync(`${dir}/proc/4242/environ`, 'PATH=/usr/bin\0');
    const f = gatherNodeFacts({ fs: new RootFs(dir), privileged: true });
    assert.equal(f.kubelet.invocation?.from, 'process');
    assert.equal(f.kubelet.invocation?.pid, 4242);
    assert.equal(f.kubelet.effective['readOnlyPort']?.value, 10255);
    assert.equal(f.kubelet.effective['podPidsLimit']?.source.file, '/etc/rancher/rke2/config.yaml');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing bin symlink: version unknown, the read-only port too (RKE2 v1.32.0-3 passed no --read-only-port=0)', async () => {
  const dir = copy();
  try {
    fs.rmSync(`${dir}/var/lib/rancher/rke2/bin`);
    const r = await report(dir);
    assert.equal(r.distribution?.version, undefined);
    assert.equal(verdict(r, 'kubelet-read-only-port'), 'unknown');
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'pass');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

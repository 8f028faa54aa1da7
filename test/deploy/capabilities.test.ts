// The audit pod runs as uid 0 with every capability dropped (deploy/base/daemonset.yaml): run the
// audit the same way here (setpriv, util-linux) and compare with a root run that keeps its
// capabilities. Root's own files, 0600 included, give the same verdicts; a file another user owns
// and keeps to itself is refused, and its checks are unknown, never pass. Needs root.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { NodeReport } from '../../src/report/model.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const skip = process.getuid?.() !== 0 ? 'needs root (the pod runs as uid 0)' : !setpriv ? 'needs setpriv (util-linux)' : false;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-caps-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The audit's verdicts on `root`, with root's capabilities or (noCaps) none, as in the pod. */
function audit(root: string, noCaps: boolean): { caps: string; findings: string[]; report: NodeReport } {
  const cmd = [process.execPath, 'bin/kubelet-guard.js', 'node', '--root', root, '--format', 'json', '--fail-on', 'none'];
  const r = noCaps
    ? spawnSync('setpriv', ['--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--', 'sh', '-c', 'grep ^CapEff /proc/self/status >&2; exec "$@"', 'sh', ...cmd], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(r.status === 0 || r.status === 3, r.stderr);
  const report = JSON.parse(r.stdout) as NodeReport;
  return { caps: r.stderr, report, findings: report.findings.map((f) => `${f.check} ${f.subject ?? ''} ${f.status}: ${f.message}`) };
}

test("uid 0 without capabilities reads root's 0600 files: the same verdicts as root with all of them", { skip }, () => {
  for (const node of ['kubeadm-worker', 'kubeadm-control-plane', 'kubeadm-control-plane-insecure']) {
    const full = audit(`examples/nodes/${node}`, false);
    const none = audit(`examples/nodes/${node}`, true);
    assert.match(none.caps, /^CapEff:\s+0+$/m, 'setpriv dropped every capability');
    assert.deepEqual(none.findings, full.findings, node);
  }
});

test("a file another user owns (0600) is refused without DAC_READ_SEARCH: its checks are unknown, never pass", { skip }, () => {
  const root = path.join(tmp, 'cp');
  assert.equal(spawnSync('cp', ['-a', 'examples/nodes/kubeadm-control-plane', root]).status, 0);
  const manifest = path.join(root, 'etc/kubernetes/manifests/etcd.yaml');
  fs.chownSync(manifest, 999, 999);
  fs.chmodSync(manifest, 0o600);
  const none = audit(root, true).report;
  const complete = none.findings.find((f) => f.check === 'kubelet-evidence-complete');
  assert.equal(complete?.status, 'unknown');
  assert.match(complete?.message ?? '', /\/etc\/kubernetes\/manifests\/etcd\.yaml/);
  const aboutIt = none.findings.filter((f) => f.check.startsWith('static-pod-') && f.subject?.startsWith('/etc/kubernetes/manifests/etcd.yaml'));
  assert.ok(aboutIt.length > 0);
  for (const f of aboutIt) assert.notEqual(f.status, 'pass', `${f.check}: ${f.message}`);
  // with root's capabilities (DAC_READ_SEARCH among them) it is read, and judged
  const full = audit(root, false).report;
  assert.equal(full.findings.find((f) => f.check === 'kubelet-evidence-complete')?.status, 'pass');
});

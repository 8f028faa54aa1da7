// The kubectl plugin through the real kubectl: bin/kubectl-kubelet_guard.js linked onto PATH as npm
// links a package's bin (node_modules/.bin/kubectl-kubelet_guard), found by `kubectl plugin list`,
// run by `kubectl kubelet-guard …` with its arguments and exit code passed through.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pkg from '../../package.json' with { type: 'json' };
import type { NodeReport } from '../../src/report/model.ts';
import { programName } from '../../src/cli.ts';
import { kubectl, skipWithoutKubectl } from './kubectl.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const BIN = path.resolve('bin/kubectl-kubelet_guard.js');
const plugins = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-plugin-'));
after(() => fs.rmSync(plugins, { recursive: true, force: true }));
fs.symlinkSync(BIN, path.join(plugins, 'kubectl-kubelet_guard'));
// only the plugin folder and node's: no other kubectl-* plugin of the machine in the listing
const env = { ...process.env, PATH: [plugins, path.dirname(process.execPath)].join(path.delimiter) };
const run = (...args: string[]) => kubectl(args, env);

test('package.json installs the plugin under the name kubectl looks for (kubectl-<name with _ for ->)', () => {
  assert.equal((pkg.bin as Record<string, string>)['kubectl-kubelet_guard'], 'bin/kubectl-kubelet_guard.js');
  assert.ok(fs.statSync(BIN).mode & 0o111, 'executable');
  assert.match(fs.readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env -S node /);
});

test('kubectl plugin list finds it', { skip: skipWithoutKubectl }, () => {
  const r = run('plugin', 'list');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter((l) => l.includes('kubectl-')), [path.join(plugins, 'kubectl-kubelet_guard')]);
});

test('kubectl kubelet-guard --help names the plugin as it is typed', { skip: skipWithoutKubectl }, () => {
  const r = run('kubelet-guard', '--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: kubectl kubelet-guard \[options\] \[command\]$/m);
  const c = run('kubelet-guard', 'cluster', '--help');
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /^Usage: kubectl kubelet-guard cluster \[options\]$/m);
  const bad = run('kubelet-guard', 'nod');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /\(run kubectl kubelet-guard --help for usage\)/);
});

test('kubectl kubelet-guard node: the audit, its JSON and its exit code through kubectl', { skip: skipWithoutKubectl }, () => {
  const r = run('kubelet-guard', 'node', '--root', 'examples/nodes/kubeadm-worker', '--format', 'json', '--fail-on', 'none');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as NodeReport;
  assert.equal(report.mode, 'offline');
  assert.equal(report.kubelet.found, true);
  // the kubeadm example has a high failure: exit 1 under the default --fail-on high, as without kubectl
  assert.equal(run('kubelet-guard', 'node', '--root', 'examples/nodes/kubeadm-worker').status, 1);
});

test('kubectl kubelet-guard cluster reaches the cluster command with its flags', { skip: skipWithoutKubectl }, () => {
  const missing = path.join(plugins, 'no-such-kubeconfig');
  const r = run('kubelet-guard', 'cluster', '--kubeconfig', missing, '--format', 'json');
  // the cluster command's own answer to an unreadable kubeconfig (not kubectl's, which knows no such plugin flags)
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /no-such-kubeconfig/);
});

test('programName: the plugin by its file, its npm or krew link, or a single executable started under that name', () => {
  assert.equal(programName(['node', '/usr/lib/node_modules/kubelet-guard/bin/kubectl-kubelet_guard.js'], 'node'), 'kubectl kubelet-guard');
  assert.equal(programName(['node', '/usr/local/bin/kubectl-kubelet_guard'], 'node'), 'kubectl kubelet-guard');
  assert.equal(programName(['/opt/kg/kubelet-guard', '/opt/kg/kubelet-guard'], '/home/u/.krew/bin/kubectl-kubelet_guard'), 'kubectl kubelet-guard');
  assert.equal(programName(['node', '/usr/local/bin/kubelet-guard'], 'node'), 'kubelet-guard');
  assert.equal(programName(['node', 'bin/kubelet-guard.js'], 'node'), 'kubelet-guard');
  assert.equal(programName(['node', '/x/kubectl-kubelet_guard-evil'], 'node'), 'kubelet-guard');
});

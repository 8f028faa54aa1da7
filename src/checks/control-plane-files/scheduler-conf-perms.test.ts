import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFileSchedulerConfPerms as check } from './scheduler-conf-perms.ts';
import { kubeadmNode, root, workerNode } from './test-support.ts';
import { about, all, component, kubeadmArgs, only } from '../control-plane/test-support.ts';

const FILE = '/etc/kubernetes/scheduler.conf';

test('pass: one result per file', () => {
  const r = all(check.evaluate(kubeadmNode({ '/etc/kubernetes/scheduler.conf': { mode: 0o600, ...root } })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [['/etc/kubernetes/scheduler.conf', 'pass']]);
});

test('fail: the exact command for this file', () => {
  const r = about(check.evaluate(kubeadmNode({ '/etc/kubernetes/scheduler.conf': { mode: 0o644, ...root } })), FILE);
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chmod 600 ${FILE}`);
});

test('unknown: not examined, or stat refused', () => {
  assert.equal(about(check.evaluate(kubeadmNode({})), FILE).status, 'unknown');
  assert.equal(about(check.evaluate(kubeadmNode({ [FILE]: { exists: null, error: 'EACCES: permission denied' } })), FILE).status, 'unknown');
});

test('not-applicable: the file does not exist (with the reason), or no control plane on this node', () => {
  const r = about(check.evaluate(kubeadmNode({ [FILE]: { exists: false } })), FILE);
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /does not exist; ./);
  const w = only(check.evaluate(workerNode()));
  assert.equal(w.status, 'not-applicable');
  assert.match(w.message, /no control-plane component on this node/);
});

test('the scheduler\'s own --kubeconfig is judged (through its hostPath), and --config without it is unknown', () => {
  const moved = component('kube-scheduler', kubeadmArgs('kube-scheduler', { kubeconfig: '/etc/kubernetes/scheduler.conf' }));
  assert.equal(about(check.evaluate(kubeadmNode({ [FILE]: { mode: 0o600, ...root } }, { components: [moved] })), FILE).status, 'pass');
  const cfg = component('kube-scheduler', ['--config=/etc/kubernetes/scheduler-config.yaml']);
  const r = only(check.evaluate(kubeadmNode({}, { components: [cfg] })));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /clientConnection\.kubeconfig/);
});

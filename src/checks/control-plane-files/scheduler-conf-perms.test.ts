import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFileSchedulerConfPerms as check } from './scheduler-conf-perms.ts';
import { kubeadmNode, root } from './test-support.ts';
import { about, component, kubeadmArgs, only } from '../control-plane/test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/scheduler.conf';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o644, ...root }, fix: `chmod 600 ${FILE}` });

test('the scheduler\'s own --kubeconfig is judged (through its hostPath), and --config without it is unknown', () => {
  const moved = component('kube-scheduler', kubeadmArgs('kube-scheduler', { kubeconfig: '/etc/kubernetes/scheduler.conf' }));
  assert.equal(about(check.evaluate(kubeadmNode({ [FILE]: { mode: 0o600, ...root } }, { components: [moved] })), FILE).status, 'pass');
  const cfg = component('kube-scheduler', ['--config=/etc/kubernetes/scheduler-config.yaml']);
  const r = only(check.evaluate(kubeadmNode({}, { components: [cfg] })));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /clientConnection\.kubeconfig/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFileEtcdManifestOwner as check } from './etcd-manifest-owner.ts';
import { kubeadmNode, root, workerNode } from './test-support.ts';
import { about, all, only } from '../control-plane/test-support.ts';

const FILE = '/etc/kubernetes/manifests/etcd.yaml';

test('pass: one result per file', () => {
  const r = all(check.evaluate(kubeadmNode({ '/etc/kubernetes/manifests/etcd.yaml': { mode: 0o600, ...root } })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [['/etc/kubernetes/manifests/etcd.yaml', 'pass']]);
});

test('fail: the exact command for this file', () => {
  const r = about(check.evaluate(kubeadmNode({ '/etc/kubernetes/manifests/etcd.yaml': { mode: 0o600, uid: 1000, gid: 0 } })), FILE);
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${FILE}`);
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

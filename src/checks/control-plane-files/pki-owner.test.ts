import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFilePkiOwner as check } from './pki-owner.ts';
import { kubeadmNode, root, workerNode } from './test-support.ts';
import { about, all, only } from '../control-plane/test-support.ts';

const PKI = '/etc/kubernetes/pki';
const tree = {
  [PKI]: { type: 'dir' as const, mode: 0o755, ...root },
  [`${PKI}/ca.crt`]: { mode: 0o644, ...root },
  [`${PKI}/ca.key`]: { mode: 0o600, ...root },
  [`${PKI}/etcd`]: { type: 'dir' as const, mode: 0o755, ...root },
  [`${PKI}/etcd/ca.key`]: { mode: 0o600, ...root },
};

test('pass: the folder, its subfolder and every file, one result each', () => {
  const r = all(check.evaluate(kubeadmNode(tree)));
  assert.deepEqual(r.map((x) => x.status), ['pass', 'pass', 'pass', 'pass', 'pass']);
  assert.deepEqual(r.map((x) => x.subject).sort(), Object.keys(tree).sort());
});

test('fail: a file owned by another user', () => {
  const r = about(check.evaluate(kubeadmNode({ ...tree, [`${PKI}/etcd/ca.key`]: { mode: 0o600, uid: 1000, gid: 1000 } })), `${PKI}/etcd/ca.key`);
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${PKI}/etcd/ca.key`);
});

test('unknown: a subfolder that could not be listed', () => {
  const r = about(check.evaluate(kubeadmNode({ ...tree, [`${PKI}/etcd/*`]: { exists: null, error: `cannot list ${PKI}/etcd: EACCES: permission denied` } })), `${PKI}/etcd/*`);
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /EACCES/);
});

test('not-applicable: no PKI folder, or a worker', () => {
  const r = only(check.evaluate(kubeadmNode({ [PKI]: { exists: false } })));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /keeps its certificates elsewhere/);
  assert.equal(only(check.evaluate(workerNode())).status, 'not-applicable');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFileEtcdDataDirOwner as check } from './etcd-data-dir-owner.ts';
import { kubeadmNode, root, workerNode } from './test-support.ts';
import { component, kubeadmArgs, only } from '../control-plane/test-support.ts';

const DIR = '/var/lib/etcd';
const etcdUser = { user: { uid: 998, gid: 997 }, group: { gid: 997 } };

test('pass: etcd:etcd where the node has an etcd account (the CIS letter)', () => {
  const r = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, uid: 998, gid: 997 } }, { etcdAccount: etcdUser })));
  assert.equal(r.status, 'pass');
  assert.equal(r.subject, DIR);
});

test('pass with the deviation said: root:root on a kubeadm node with no etcd user', () => {
  const r = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, ...root } }, { etcdAccount: {} })));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /no etcd user.*in spirit.*kube-bench reports FAIL/);
});

test('pass: root:root while etcd runs as another uid does not claim etcd runs as root', () => {
  const r = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, ...root } }, { etcdAccount: {}, runAsUser: 2000 })));
  assert.equal(r.status, 'pass');
  assert.doesNotMatch(r.message, /etcd runs as root/);
  assert.match(r.message, /runs as uid 2000.*gives no other account access/);
});

test('pass: owned by the uid the etcd container runs as (runAsUser), no etcd user', () => {
  const r = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, uid: 2000, gid: 2000 } }, { etcdAccount: {}, runAsUser: 2000 })));
  assert.equal(r.status, 'pass');
});

test('fail: root:root although an etcd user exists; fail: a stranger owns it', () => {
  const r = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, ...root } }, { etcdAccount: etcdUser })));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, 'chown etcd:etcd /var/lib/etcd');
  const s = only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, uid: 1000, gid: 1000 } }, { etcdAccount: {} })));
  assert.equal(s.status, 'fail');
  assert.equal(s.remediation, 'chown root:root /var/lib/etcd');
});

test('unknown: /etc/passwd unreadable, the folder not examined, or no --data-dir', () => {
  assert.equal(only(check.evaluate(kubeadmNode({ [DIR]: { type: 'dir', mode: 0o700, ...root } }, { etcdAccount: { unknown: 'cannot read /etc/passwd: EACCES' } }))).status, 'unknown');
  assert.equal(only(check.evaluate(kubeadmNode({}, { etcdAccount: {} }))).status, 'unknown');
  const noDir = only(check.evaluate(kubeadmNode({}, { components: [component('etcd', kubeadmArgs('etcd', { 'data-dir': null }))], etcdAccount: {} })));
  assert.equal(noDir.status, 'unknown');
  assert.match(noDir.message, /"cp1\.etcd" in its working folder/);
});

test('not-applicable: the folder does not exist yet, or no etcd on the node', () => {
  assert.equal(only(check.evaluate(kubeadmNode({ [DIR]: { exists: false } }, { etcdAccount: {} }))).status, 'not-applicable');
  assert.equal(only(check.evaluate(workerNode())).status, 'not-applicable');
  const apiOnly = only(check.evaluate(kubeadmNode({}, { components: [component('kube-apiserver')] })));
  assert.match(apiOnly.message, /etcd does not run on this node/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFilePkiKeyPerms as check } from './pki-key-perms.ts';
import { kubeadmNode, root } from './test-support.ts';
import { about, all, only } from '../control-plane/test-support.ts';

const PKI = '/etc/kubernetes/pki';
const dir = { [PKI]: { type: 'dir' as const, mode: 0o755, ...root } };

test('pass: every *.key is 600 (sa.key and etcd/*.key included)', () => {
  const r = all(check.evaluate(kubeadmNode({ ...dir, [`${PKI}/sa.key`]: { mode: 0o600, ...root }, [`${PKI}/etcd/peer.key`]: { mode: 0o400, ...root } })));
  assert.deepEqual(r.map((x) => x.status), ['pass', 'pass']);
});

test('fail: a world-readable CA key', () => {
  const r = about(check.evaluate(kubeadmNode({ ...dir, [`${PKI}/ca.key`]: { mode: 0o644, ...root } })), `${PKI}/ca.key`);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /the group can read, others can read/);
  assert.equal(r.remediation, `chmod 600 ${PKI}/ca.key`);
});

test('unknown: the folder could not be examined', () => {
  const r = only(check.evaluate(kubeadmNode({ [PKI]: { exists: null, error: 'EACCES: permission denied' } })));
  assert.equal(r.status, 'unknown');
});

test('not-applicable: no key under the folder', () => {
  assert.equal(only(check.evaluate(kubeadmNode(dir))).status, 'not-applicable');
});

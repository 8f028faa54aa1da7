import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletKubeconfigOwner } from './kubelet-kubeconfig-owner.ts';
import { KUBECONFIG } from './test-support.ts';

const flags = [`--kubeconfig=${KUBECONFIG}`];

test('pass: root:root', () => {
  assert.equal(one(kubeletKubeconfigOwner, factsFrom({ config: KUBEADM_CONFIG, flags, files: { [KUBECONFIG]: { mode: 0o600, uid: 0, gid: 0 } } })).status, 'pass');
});

test('fail: owned by a user', () => {
  const r = one(kubeletKubeconfigOwner, factsFrom({ config: KUBEADM_CONFIG, flags, files: { [KUBECONFIG]: { mode: 0o600, uid: 1000, gid: 0 } } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${KUBECONFIG}`);
});

test('unknown: stat failed', () => {
  assert.equal(one(kubeletKubeconfigOwner, factsFrom({ config: KUBEADM_CONFIG, flags, files: { [KUBECONFIG]: { exists: null, error: 'EIO: I/O error' } } })).status, 'unknown');
});

test('not-applicable: standalone kubelet', () => {
  assert.equal(one(kubeletKubeconfigOwner, factsFrom({ config: KUBEADM_CONFIG })).status, 'not-applicable');
});

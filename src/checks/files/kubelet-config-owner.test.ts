import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_PATH, factsFrom, KUBEADM_CONFIG, one } from '../fixtures.ts';
import { kubeletConfigOwner } from './kubelet-config-owner.ts';

test('pass: root:root', () => {
  assert.equal(one(kubeletConfigOwner, factsFrom({ config: KUBEADM_CONFIG, files: { [CONFIG_PATH]: { mode: 0o644, uid: 0, gid: 0 } } })).status, 'pass');
});

test('fail: owned by a user, with the exact chown', () => {
  const r = one(kubeletConfigOwner, factsFrom({ config: KUBEADM_CONFIG, files: { [CONFIG_PATH]: { mode: 0o600, uid: 1000, gid: 0 } } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${CONFIG_PATH}`);
});

test('unknown: stat failed', () => {
  assert.equal(one(kubeletConfigOwner, factsFrom({ config: KUBEADM_CONFIG, files: { [CONFIG_PATH]: { exists: null, error: 'EACCES: permission denied' } } })).status, 'unknown');
});

test('not-applicable: no --config', () => {
  assert.equal(one(kubeletConfigOwner, factsFrom({})).status, 'not-applicable');
});

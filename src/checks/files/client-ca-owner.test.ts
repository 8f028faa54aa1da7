import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { clientCAOwner } from './client-ca-owner.ts';
import { CLIENT_CA } from './test-support.ts';

test('pass: root:root', () => {
  assert.equal(one(clientCAOwner, factsFrom({ config: KUBEADM_CONFIG, files: { [CLIENT_CA]: { mode: 0o644, uid: 0, gid: 0 } } })).status, 'pass');
});

test('fail: owned by a user', () => {
  const r = one(clientCAOwner, factsFrom({ config: KUBEADM_CONFIG, files: { [CLIENT_CA]: { mode: 0o644, uid: 1001, gid: 1001 } } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${CLIENT_CA}`);
});

test('unknown: no kubelet found', () => {
  assert.equal(one(clientCAOwner, factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' })).status, 'unknown');
});

test('not-applicable: flags-only kubelet without --client-ca-file', () => {
  assert.equal(one(clientCAOwner, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] })).status, 'not-applicable');
});

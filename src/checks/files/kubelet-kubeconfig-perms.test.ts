import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletKubeconfigPerms } from './kubelet-kubeconfig-perms.ts';
import { KUBECONFIG } from './test-support.ts';

const flags = [`--kubeconfig=${KUBECONFIG}`];

test('pass: 0600', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG, flags, files: { [KUBECONFIG]: { mode: 0o600, uid: 0, gid: 0 } } }));
  assert.equal(r.status, 'pass');
  assert.equal(r.subject, KUBECONFIG);
});

test('fail: world-readable kubeconfig', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG, flags, files: { [KUBECONFIG]: { mode: 0o644, uid: 0, gid: 0 } } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chmod 600 ${KUBECONFIG}`);
  assert.match(r.message, /others can read/);
});

test('unknown: the kubeconfig was not examined', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG, flags }));
  assert.equal(r.status, 'unknown');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(kubeletKubeconfigPerms, factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' })).status, 'unknown');
});

test('unknown: a relative --kubeconfig (the working directory is not in the evidence)', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG, flags: ['--kubeconfig=kubelet.conf'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /relative/);
});

test('not-applicable: no --kubeconfig, a standalone kubelet', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /standalone/);
});

test('not-applicable: not written yet, and the message names the bootstrap kubeconfig', () => {
  const r = one(kubeletKubeconfigPerms, factsFrom({ config: KUBEADM_CONFIG, flags: ['--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', ...flags], files: { [KUBECONFIG]: { exists: false } } }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /bootstrap-kubelet\.conf/);
});

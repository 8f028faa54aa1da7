import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { hostnameOverride } from './hostname-override.ts';

test('pass: not set', () => {
  const r = one(hostnameOverride, factsFrom({ config: KUBEADM_CONFIG, flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'pass');
});

test('fail: set on the command line; the fix removes the flag where it is written', () => {
  const r = one(hostnameOverride, factsFrom({ config: KUBEADM_CONFIG, flags: ['--hostname-override=ip-10-0-0-5.ec2.internal'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /ip-10-0-0-5\.ec2\.internal/);
  assert.equal(r.remediation?.startsWith('In /etc/default/kubelet line 1: remove `--hostname-override=ip-10-0-0-5.ec2.internal`'), true);
});

test('pass: the last of repeated flags wins, and it is empty', () => {
  const r = one(hostnameOverride, factsFrom({ flags: ['--hostname-override=node-a', '--hostname-override='] }));
  assert.equal(r.status, 'pass');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(hostnameOverride, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

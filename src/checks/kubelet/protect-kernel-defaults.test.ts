import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { protectKernelDefaults } from './protect-kernel-defaults.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: set in a drop-in', () => {
  assert.equal(one(protectKernelDefaults, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}protectKernelDefaults: true\n`] })).status, 'pass');
});

test('fail: default false', () => {
  const r = one(protectKernelDefaults, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /set `protectKernelDefaults` to `true`/);
});

test('fail: --protect-kernel-defaults=false overrides the file', () => {
  const r = one(protectKernelDefaults, factsFrom({ config: `${HDR}protectKernelDefaults: true\n`, flags: ['--protect-kernel-defaults=false'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--protect-kernel-defaults=false` with `--protect-kernel-defaults=true`/);
});

test('unknown: no kubelet found', () => {
  assert.equal(one(protectKernelDefaults, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

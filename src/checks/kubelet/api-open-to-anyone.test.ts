import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { apiOpenToAnyone } from './api-open-to-anyone.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm (anonymous off, Webhook)', () => {
  const r = one(apiOpenToAnyone, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.length, 3);
});

test('fail: no --config: the flag defaults are anonymous on + AlwaysAllow', () => {
  const r = one(apiOpenToAnyone, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /0\.0\.0\.0:10250/);
  assert.match(r.remediation ?? '', /^Start the kubelet with a --config file that sets `authentication\.anonymous\.enabled: false` and `authorization\.mode: Webhook`/);
});

test('fail: flags re-open a secure config file; the fix names both flags', () => {
  const r = one(apiOpenToAnyone, factsFrom({ config: KUBEADM_CONFIG, flags: ['--anonymous-auth=true', '--authorization-mode=AlwaysAllow'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--anonymous-auth=true` with `--anonymous-auth=false`.*replace `--authorization-mode=AlwaysAllow` with `--authorization-mode=Webhook`/);
});

test('fail: no --config, a drop-in that only changes the port keeps the insecure defaults', () => {
  const r = one(apiOpenToAnyone, factsFrom({ dropIns: [`${HDR}port: 10260\n`] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /:10260/);
});

test('pass: anonymous on but Webhook authorization', () => {
  const r = one(apiOpenToAnyone, factsFrom({ flags: ['--authorization-mode=Webhook'] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /RBAC/);
});

test('pass: the secure server is off', () => {
  assert.equal(one(apiOpenToAnyone, factsFrom({ flags: ['--enable-server=false'] })).status, 'pass');
});

test('pass: the config file is refused, but an explicit flag rules the combination out', () => {
  const r = one(apiOpenToAnyone, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n', flags: ['--anonymous-auth=false'] }));
  assert.equal(r.status, 'pass');
});

test('unknown: the config file is refused and the flags leave it open', () => {
  const r = one(apiOpenToAnyone, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n', flags: ['--anonymous-auth=true'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /authorization\.mode cannot be known/);
});

test('unknown: no kubelet found', () => {
  assert.equal(one(apiOpenToAnyone, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

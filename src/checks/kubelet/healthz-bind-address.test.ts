import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { healthzBindAddress } from './healthz-bind-address.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm 127.0.0.1:10248', () => {
  assert.equal(one(healthzBindAddress, factsFrom({ config: KUBEADM_CONFIG })).status, 'pass');
});

test('pass: "" written in --config is defaulted to 127.0.0.1', () => {
  const r = one(healthzBindAddress, factsFrom({ config: `${HDR}healthzBindAddress: ""\n` }));
  assert.equal(r.status, 'pass');
});

test('pass: healthz off (healthzPort 0 kept: pointer field), whatever the address', () => {
  const r = one(healthzBindAddress, factsFrom({ config: `${HDR}healthzPort: 0\nhealthzBindAddress: 0.0.0.0\n` }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /off/);
});

test('pass: ::1 is loopback', () => {
  assert.equal(one(healthzBindAddress, factsFrom({ flags: ['--healthz-bind-address=::1'] })).status, 'pass');
});

test('fail: --healthz-bind-address=0.0.0.0 overrides the file', () => {
  const r = one(healthzBindAddress, factsFrom({ config: KUBEADM_CONFIG, flags: ['--healthz-bind-address=0.0.0.0'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /0\.0\.0\.0:10248/);
  assert.match(r.remediation ?? '', /replace `--healthz-bind-address=0\.0\.0\.0` with `--healthz-bind-address=127\.0\.0\.1`/);
});

test('fail: "" in a drop-in is kept and means every interface', () => {
  const r = one(healthzBindAddress, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}healthzBindAddress: ""\n`] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /every interface/);
});

test('unknown: the config file is refused', () => {
  assert.equal(one(healthzBindAddress, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

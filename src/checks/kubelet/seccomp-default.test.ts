import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { seccompDefault } from './seccomp-default.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: set in the config file', () => {
  assert.equal(one(seccompDefault, factsFrom({ config: `${HDR}seccompDefault: true\n` })).status, 'pass');
});

test('pass: the flag and the field are ORed, so --seccomp-default=false cannot turn the field off', () => {
  const r = one(seccompDefault, factsFrom({ config: `${HDR}seccompDefault: true\n`, flags: ['--seccomp-default=false'] }));
  assert.equal(r.status, 'pass');
});

test('pass: --seccomp-default on a flags-only kubelet', () => {
  assert.equal(one(seccompDefault, factsFrom({ flags: ['--seccomp-default'] })).status, 'pass');
});

test('fail: default false', () => {
  const r = one(seccompDefault, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /set `seccompDefault` to `true`/);
});

test('fail: a drop-in turns it off', () => {
  const r = one(seccompDefault, factsFrom({ config: `${HDR}seccompDefault: true\n`, dropIns: [`${HDR}seccompDefault: false\n`] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('unknown: the config file is refused', () => {
  assert.equal(one(seccompDefault, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

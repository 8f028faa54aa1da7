import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { podPidsLimit } from './pod-pids-limit.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: a positive limit in the config file', () => {
  const r = one(podPidsLimit, factsFrom({ config: `${HDR}podPidsLimit: 4096\n` }));
  assert.equal(r.status, 'pass');
});

test('fail: the default -1 is unlimited', () => {
  const r = one(podPidsLimit, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.value, -1);
  assert.match(r.remediation ?? '', /set `podPidsLimit` to `4096`/);
});

test('fail: 0 in the config file is kept (pointer field) and means unlimited', () => {
  const r = one(podPidsLimit, factsFrom({ config: `${HDR}podPidsLimit: 0\n` }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.value, 0);
});

test('fail: --pod-max-pids=-1 overrides a limit in the file', () => {
  const r = one(podPidsLimit, factsFrom({ config: `${HDR}podPidsLimit: 1024\n`, flags: ['--pod-max-pids=-1'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--pod-max-pids=-1`/);
});

test('pass: a drop-in sets the limit', () => {
  assert.equal(one(podPidsLimit, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}podPidsLimit: 2048\n`] })).status, 'pass');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(podPidsLimit, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

test('fail: a limit with cgroupsPerQOS false is never applied (no pod cgroups)', () => {
  const r = one(podPidsLimit, factsFrom({ config: `${KUBEADM_CONFIG}podPidsLimit: 4096\ncgroupsPerQOS: false\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /cgroupsPerQOS is false .*never applied/);
  assert.match(r.remediation ?? '', /cgroupsPerQOS/);
});

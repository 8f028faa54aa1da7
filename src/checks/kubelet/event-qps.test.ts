import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { eventQps } from './event-qps.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: default 50/s on a current kubelet', () => {
  const r = one(eventQps, factsFrom({ config: KUBEADM_CONFIG, version: 'v1.33.1' }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.value, 50);
});

test('pass: 0 means no limit from v1.37 (0 in the file is kept: pointer field)', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 0\n`, version: 'v1.37.0' }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /no limit/);
});

test('fail: 0 before v1.37 is client-go\'s 5/s, not "no limit"', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 0\n`, version: 'v1.32.3' }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /5 events\/s/);
  assert.match(r.remediation ?? '', /config\.yaml line 3: set `eventRecordQPS` to `50`/);
});

test('unknown: 0 with an unknown version', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 0\n` }));
  assert.equal(r.status, 'unknown');
});

test('fail: --event-qps=5 overrides the file', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 100\n`, flags: ['--event-qps=5'], version: 'v1.30.0' }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /throttled to 5\/s/);
  assert.match(r.remediation ?? '', /replace `--event-qps=5` with `--event-qps=50`/);
});

test('fail: the default on a kubelet before v1.27 is 5/s', () => {
  const r = one(eventQps, factsFrom({ config: HDR, version: 'v1.26.9' }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /before v1\.27 is 5/);
});

test('pass: a drop-in raises it', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 5\n`, dropIns: [`${HDR}eventRecordQPS: 200\n`], version: 'v1.30.0' }));
  assert.equal(r.status, 'pass');
});

test('unknown: the config file is refused', () => {
  assert.equal(one(eventQps, factsFrom({ config: 'kind: KubeletConfiguration\n' })).status, 'unknown');
});

test('the 50/s threshold is stated as kubelet-guard\'s policy, not the benchmark\'s (pass and fail)', () => {
  const pass = one(eventQps, factsFrom({ config: KUBEADM_CONFIG, version: 'v1.33.1' }));
  assert.match(pass.message, /kubelet-guard's policy is at least 50\/s or no limit; CIS 4\.2\.8 asks only for a level that ensures appropriate event capture/);
  const fail = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: 10\n`, version: 'v1.30.0' }));
  assert.equal(fail.status, 'fail');
  assert.match(fail.message, /kubelet-guard's policy/);
  assert.match(eventQps.meta.rationale, /kubelet-guard's policy, not the benchmark's/);
});

test('fail: a negative rate is a refusal, as kubelet-config-accepted reports it', () => {
  const r = one(eventQps, factsFrom({ config: `${HDR}eventRecordQPS: -1\n`, version: 'v1.30.0' }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /refuses to start with it .*as kubelet-config-accepted reports/);
  assert.doesNotMatch(r.message, /policy/);
});

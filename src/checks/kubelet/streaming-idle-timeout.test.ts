import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { streamingIdleTimeout } from './streaming-idle-timeout.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
// The kubelet used the setting only for dockershim (before v1.24): precedence cases use 1.23.
const OLD = 'v1.23.17';

test('pass: `0s` written in --config (kubeadm) is defaulted to 4h', () => {
  const r = one(streamingIdleTimeout, factsFrom({ config: KUBEADM_CONFIG, version: OLD }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.value, '4h0m0s');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-default');
  assert.equal(r.evidence?.[0]?.line, 21);
});

test('fail: `0s` in a drop-in stays 0 (drop-ins are not defaulted)', () => {
  const r = one(streamingIdleTimeout, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}streamingConnectionIdleTimeout: 0s\n`], version: OLD }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
  assert.match(r.remediation ?? '', /10\.conf line 3: set `streamingConnectionIdleTimeout`/);
});

test('fail: --streaming-connection-idle-timeout=0 overrides the config file', () => {
  const r = one(streamingIdleTimeout, factsFrom({ config: `${HDR}streamingConnectionIdleTimeout: 5m\n`, flags: ['--streaming-connection-idle-timeout=0'], version: OLD }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--streaming-connection-idle-timeout=0`/);
});

test('pass: a short timeout set in a drop-in', () => {
  const r = one(streamingIdleTimeout, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}streamingConnectionIdleTimeout: 5m\n`], version: OLD }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /5m0s/);
});

test('not-applicable: v1.24+ does not use the setting, even when it is 0', () => {
  const r = one(streamingIdleTimeout, factsFrom({ config: KUBEADM_CONFIG, flags: ['--streaming-connection-idle-timeout=0'], version: 'v1.31.4' }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /stream_idle_timeout/);
});

test('unknown: 0 with an unknown kubelet version', () => {
  const r = one(streamingIdleTimeout, factsFrom({ flags: ['--streaming-connection-idle-timeout=0'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /version is unknown/);
});

test('unknown: the config file is refused', () => {
  assert.equal(one(streamingIdleTimeout, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n', version: OLD })).status, 'unknown');
});

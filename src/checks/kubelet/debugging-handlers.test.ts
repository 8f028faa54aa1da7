import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { debuggingHandlers } from './debugging-handlers.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: turned off in the config file', () => {
  const r = one(debuggingHandlers, factsFrom({ config: `${HDR}enableDebuggingHandlers: false\n` }));
  assert.equal(r.status, 'pass');
});

test('fail: default on; the message names the sub-handlers and says kubectl needs them', () => {
  const r = one(debuggingHandlers, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /kubectl exec, attach, port-forward and logs need them/);
  assert.match(r.message, /\/debug\/pprof on \(enableProfilingHandler\)/);
  assert.match(r.message, /PUT \/debug\/flags\/v on/);
  assert.match(r.message, /log queries off/);
  assert.equal(r.evidence?.length, 6);
  assert.match(r.remediation ?? '', /turn off the optional handlers/);
});

test('fail: sub-handler states as set in a drop-in', () => {
  const r = one(debuggingHandlers, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}enableProfilingHandler: false\nenableContentionProfiling: true\nenableSystemLogQuery: true\nfeatureGates:\n  NodeLogQuery: true\n`] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /\/debug\/pprof off/);
  assert.match(r.message, /log queries on/);
});

test('fail: --enable-debugging-handlers=true overrides false in the file', () => {
  const r = one(debuggingHandlers, factsFrom({ config: `${HDR}enableDebuggingHandlers: false\n`, flags: ['--enable-debugging-handlers=true'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--enable-debugging-handlers=true` with `--enable-debugging-handlers=false`/);
});

test('unknown: the config file is refused', () => {
  assert.equal(one(debuggingHandlers, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

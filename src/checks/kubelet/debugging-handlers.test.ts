import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { debuggingHandlers } from './debugging-handlers.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: turned off in the config file', () => {
  const r = one(debuggingHandlers, factsFrom({ config: `${HDR}enableDebuggingHandlers: false\n` }));
  assert.equal(r.status, 'pass');
});

test('pass (info): default on behind anonymous off and Webhook; the message says why that is fine', () => {
  const r = one(debuggingHandlers, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.severity, 'info');
  assert.match(r.message, /debugging handlers are on/);
  assert.match(r.message, /kubectl exec, attach, port-forward and logs need them/);
  assert.match(r.message, /anonymous authentication is off and authorization is Webhook/);
  assert.match(r.message, /\/debug\/pprof on \(enableProfilingHandler\)/);
  assert.match(r.message, /PUT \/debug\/flags\/v on/);
  assert.match(r.message, /log queries off/);
  assert.equal(r.evidence?.length, 8);
});

test('fail: default on with anonymous authentication on; sub-handler states as set in a drop-in', () => {
  const r = one(debuggingHandlers, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}authentication:\n  anonymous:\n    enabled: true\nenableProfilingHandler: false\nenableContentionProfiling: true\nenableSystemLogQuery: true\nfeatureGates:\n  NodeLogQuery: true\n`] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /anonymous authentication is on/);
  assert.match(r.message, /\/debug\/pprof off/);
  assert.match(r.message, /log queries on/);
  assert.match(r.remediation ?? '', /authentication\.anonymous\.enabled: false, authorization\.mode: Webhook/);
});

test('fail: AlwaysAllow (no --config: flag defaults), and --enable-debugging-handlers=true overrides false in the file', () => {
  const r = one(debuggingHandlers, factsFrom({ config: `${HDR}enableDebuggingHandlers: false\nauthorization:\n  mode: AlwaysAllow\n`, flags: ['--enable-debugging-handlers=true'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /authorization is AlwaysAllow/);
  assert.match(r.remediation ?? '', /replace `--enable-debugging-handlers=true` with `--enable-debugging-handlers=false`/);
});

test('unknown: on, and the authorization mode cannot be known (names which)', () => {
  const f = factsFrom({ config: KUBEADM_CONFIG });
  f.kubelet.effective['authorization.mode'] = { ...f.kubelet.effective['authorization.mode']!, unknown: 'a test says so' };
  const r = one(debuggingHandlers, f);
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /authorization\.mode cannot be known: a test says so/);
});

test('unknown: the config file is refused', () => {
  assert.equal(one(debuggingHandlers, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

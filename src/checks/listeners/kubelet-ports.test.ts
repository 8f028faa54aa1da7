import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { listenerKubeletPorts } from './kubelet-ports.ts';
import { checks } from './index.ts';
import { KUBEADM_LISTENERS, KUBELET_PID, L, liveFacts } from './test-support.ts';

const SECURE = 'kubelet secure API (port 10250)';
const RO = 'kubelet read-only API (port 10255)';
const HZ = 'kubelet healthz (port 10248)';

test('pass: a kubeadm node listens as configured — 0.0.0.0:10250 shows as [::] (Go dual stack), healthz on loopback, read-only off', () => {
  const r = listenerKubeletPorts.evaluate(liveFacts(KUBEADM_LISTENERS));
  assert.deepEqual(all(r).map((x) => [x.subject, x.status]), [[SECURE, 'pass'], [RO, 'pass'], [HZ, 'pass']]);
  assert.match(about(r, SECURE).message, /\[::\]:10250 \(tcp6, every interface\) by kubelet \(pid 812\).*dual-stack/);
  assert.match(about(r, RO).message, /off \(readOnlyPort is 0; the config-file default/);
  // the setting is cited with its source
  assert.equal(about(r, HZ).evidence?.find((e) => e.setting === 'healthzBindAddress')?.line, 17);
});

test('fail: the read-only port listens although the effective readOnlyPort is 0 — the running kubelet does not run the config on disk', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp6', '::', 10255, KUBELET_PID, 'kubelet')])), RO);
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /turns the read-only API off \(readOnlyPort is 0/);
  assert.match(r.message, /does not run the configuration on disk: a restart is pending/);
});

test('fail: healthz beyond loopback while healthzBindAddress is 127.0.0.1', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([KUBEADM_LISTENERS[0]!, L('tcp', '0.0.0.0', 10248, KUBELET_PID, 'kubelet')])), HZ);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /reachable beyond loopback although the configuration keeps it on loopback/);
});

test('fail: another process holds the secure port', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([L('tcp6', '::', 10250, 4242, 'kubelet'), KUBEADM_LISTENERS[1]!])), SECURE);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /kubelet \(pid 4242\) holds it, not the audited kubelet \(pid 812\)/);
});

test('fail (low): configured on, nothing listens', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([KUBEADM_LISTENERS[1]!])), SECURE);
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.match(r.message, /no kubelet listens on port 10250/);
});

test('a flags-only kubelet: read-only 10255 on every interface matches its configuration (listener-read-only-port judges it)', () => {
  const r = listenerKubeletPorts.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp6', '::', 10255, KUBELET_PID, 'kubelet')], { flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(about(r, RO).status, 'pass');
});

test('unknown: the settings cannot be known (no kubelet), or the listeners cannot', () => {
  const r = all(listenerKubeletPorts.evaluate(liveFacts(KUBEADM_LISTENERS, { missing: 'not root' })));
  assert.deepEqual(r.map((x) => x.status), ['unknown', 'unknown', 'unknown']);
  const u = all(listenerKubeletPorts.evaluate(liveFacts([], { config: KUBEADM_CONFIG }, (f) => { f.listeners = { available: true, unknown: 'cannot read /proc/net/tcp: EACCES: permission denied', listeners: [] }; })));
  assert.equal(u.length, 1);
  assert.equal(u[0]!.status, 'unknown');
  assert.match(u[0]!.message, /EACCES/);
  const none = all(listenerKubeletPorts.evaluate(liveFacts([], { config: KUBEADM_CONFIG }, (f) => { delete f.listeners; })));
  assert.equal(none[0]!.status, 'unknown');
});

test('not-applicable: offline, and live without a running kubelet process', () => {
  const off = all(listenerKubeletPorts.evaluate(factsFrom({ config: KUBEADM_CONFIG })));
  assert.deepEqual(off.map((x) => [x.status, x.message]), [['not-applicable', 'listeners are seen only on a live node']]);
  const noProc = all(listenerKubeletPorts.evaluate(liveFacts(KUBEADM_LISTENERS, { config: KUBEADM_CONFIG }, (f) => { f.kubelet.invocation!.from = 'systemd-unit'; delete f.kubelet.invocation!.pid; })));
  assert.ok(noProc.every((x) => x.status === 'not-applicable'));
});

test('index: ids and section', () => {
  assert.equal(checks.length, 4);
  for (const c of checks) {
    assert.match(c.meta.id, /^listener-/);
    assert.equal(c.meta.section, 'listeners');
  }
});

test("unknown, not a pass or a fail, when nothing is seen and the audit cannot tell it sees the node's network namespace", () => {
  const r = all(listenerKubeletPorts.evaluate(liveFacts([])));
  assert.deepEqual(r.map((x) => x.status), ['unknown', 'unknown', 'unknown']);
  assert.match(r[0]!.message, /network namespace/);
});

// Issue 10 §4: a port held by a named process that is no kubelet is not the kubelet's listener.
test('another named process on 10255 while readOnlyPort is 0: the kubelet listens as configured (pass), the holder is named', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '0.0.0.0', 10255, 4242, 'nginx')])), 'kubelet read-only API (port 10255)');
  assert.equal(r.status, 'pass');
  assert.match(r.message, /no kubelet listens on port 10255; port 10255 is held by nginx \(pid 4242\), which is not a kubelet/);
  assert.doesNotMatch(r.message, /restart/);
});

test('another named process holds the configured secure port and the kubelet has none: fail, naming the holder', () => {
  const r = about(listenerKubeletPorts.evaluate(liveFacts([L('tcp', '0.0.0.0', 10250, 4242, 'nginx'), L('tcp', '127.0.0.1', 10248, KUBELET_PID, 'kubelet')])), 'kubelet secure API (port 10250)');
  assert.equal(r.status, 'fail');
  assert.match(r.message, /no kubelet listens on port 10250; port 10250 is held by nginx \(pid 4242\)/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { listenerReadOnlyPort } from './read-only-port.ts';
import { KUBEADM_LISTENERS, KUBELET_PID, L, liveFacts } from './test-support.ts';

test('pass: nothing listens on 10255', () => {
  const r = all(listenerReadOnlyPort.evaluate(liveFacts(KUBEADM_LISTENERS)));
  assert.deepEqual(r.map((x) => x.status), ['pass']);
  assert.match(r[0]!.message, /nothing listens on port 10255/);
});

test('fail (high): 10255 listens although readOnlyPort is 0 — a restart is pending or another kubelet runs', () => {
  const r = about(listenerReadOnlyPort.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '0.0.0.0', 10255, KUBELET_PID, 'kubelet')])), 'port 10255');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.match(r.message, /0\.0\.0\.0:10255 \(tcp, every interface\) by kubelet \(pid 812\)/);
  assert.match(r.message, /effective readOnlyPort is 0 .*does not run the configuration on disk/);
  assert.match(r.remediation ?? '', /restart the kubelet/i);
});

test('fail (high): a flags-only kubelet serves 10255 as configured; the fix is the setting', () => {
  const r = about(listenerReadOnlyPort.evaluate(liveFacts([L('tcp6', '::', 10255, KUBELET_PID, 'kubelet')], { flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] })), 'port 10255');
  assert.equal(r.status, 'fail');
  assert.match(r.message, /As configured: readOnlyPort 10255 \(the kubelet flag default/);
  assert.match(r.remediation ?? '', /readOnlyPort/);
});

test('fail: loopback only is still a finding, said as such; IPv4-mapped loopback counts as loopback', () => {
  const r = about(listenerReadOnlyPort.evaluate(liveFacts([L('tcp6', '::ffff:127.0.0.1', 10255, KUBELET_PID, 'kubelet')])), 'port 10255');
  assert.equal(r.status, 'fail');
  assert.match(r.message, /loopback only\) .*only local processes and hostNetwork pods reach it/);
});

test('unknown when the listeners cannot be read; not-applicable offline', () => {
  const u = all(listenerReadOnlyPort.evaluate(liveFacts([], { config: KUBEADM_CONFIG }, (f) => { f.listeners = { available: true, unknown: 'this audit runs in another network namespace', listeners: [L('tcp', '0.0.0.0', 80)] }; })));
  assert.equal(u[0]!.status, 'unknown');
  assert.equal(all(listenerReadOnlyPort.evaluate(factsFrom({ config: KUBEADM_CONFIG })))[0]!.status, 'not-applicable');
});

test("nothing listens, but the audit cannot tell it sees the node's network namespace: unknown, not pass", () => {
  const f = liveFacts([L('tcp', '0.0.0.0', 22, 5, 'sshd')]);
  const r = all(listenerReadOnlyPort.evaluate(f));
  assert.equal(r[0]!.status, 'unknown');
  assert.match(r[0]!.message, /cannot be told/);
  // pid 1's namespace confirmed: absence speaks for the node
  (f.listeners as { sameNetnsAsInit?: boolean }).sameNetnsAsInit = true;
  assert.equal(all(listenerReadOnlyPort.evaluate(f))[0]!.status, 'pass');
});

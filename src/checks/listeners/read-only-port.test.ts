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
  assert.match(r.remediation ?? '', /add `--read-only-port=0`/);
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

// Issue 10 §4: a process on 10255 is "the kubelet's read-only API" only if it is a kubelet, or a
// process that embeds one; otherwise the finding names the process.
test('fail (medium): another named process holds 10255: the finding names it and does not call it the kubelet', () => {
  const r = about(listenerReadOnlyPort.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '0.0.0.0', 10255, 4242, 'nginx')])), 'port 10255');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /nginx \(pid 4242\), which is not a kubelet/);
  assert.match(r.message, /not the kubelet's read-only API/);
  assert.doesNotMatch(r.message, /the kubelet's read-only API \(plain HTTP/);
  assert.doesNotMatch(r.message, /pod spec/);
  assert.match(r.remediation ?? '', /nginx \(pid 4242\)/);
});

test('fail (high): processes that embed the kubelet are the kubelet (k3s, k3s-agent, kubelite, hyperkube kubelet, a kubelet of k0s/RKE2)', () => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['k3s-server', undefined, /k3s-server \(pid 77\), k3s, which embeds the kubelet/],
    ['k3s-agent', 'agent', /k3s, which embeds the kubelet/],
    ['kubelite', undefined, /MicroK8s' kubelite, which embeds the kubelet/],
    ['hyperkube', 'kubelet', /hyperkube kubelet/],
    ['kubelet', undefined, /kubelet \(pid 77\), a kubelet/],
  ];
  for (const [name, sub, words] of cases) {
    const l = { ...L('tcp', '0.0.0.0', 10255, 77, name), ...(sub ? { subcommand: sub } : {}) };
    // no running kubelet found by name (k3s, kubelite): the listener's own process decides
    const f = liveFacts([l], { config: KUBEADM_CONFIG }, (x) => { x.kubelet.invocation!.from = 'systemd-unit'; delete x.kubelet.invocation!.pid; });
    const r = about(listenerReadOnlyPort.evaluate(f), 'port 10255');
    assert.equal(r.status, 'fail', name);
    assert.equal(r.severity, 'high', name);
    assert.match(r.message, /the kubelet's read-only API \(plain HTTP, no authentication/, name);
    assert.match(r.message, words, name);
  }
  // hyperkube running something else is not a kubelet
  const other = about(listenerReadOnlyPort.evaluate(liveFacts([{ ...L('tcp', '0.0.0.0', 10255, 77, 'hyperkube'), subcommand: 'kube-proxy' }])), 'port 10255');
  assert.equal(other.severity, 'medium');
});

test('fail (high): an owner that cannot be identified may be the kubelet: said as such, severity kept', () => {
  const f = liveFacts([L('tcp', '0.0.0.0', 10255)], { config: KUBEADM_CONFIG }, (x) => { x.listeners!.note = 'the file descriptors of 3 processes could not be read'; });
  const r = about(listenerReadOnlyPort.evaluate(f), 'port 10255');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.match(r.message, /a process this audit could not identify; if it is the kubelet, that is its read-only API/);
  assert.match(r.message, /could not be read/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { listenerKubeProxyMetrics } from './kube-proxy.ts';
import { KUBEADM_LISTENERS, L, liveFacts } from './test-support.ts';

test('pass: metrics on loopback; healthz 10256 reported for information', () => {
  const r = listenerKubeProxyMetrics.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '127.0.0.1', 10249, 300, 'kube-proxy'), L('tcp6', '::', 10256, 300, 'kube-proxy')]));
  assert.equal(about(r, 'port 10249').status, 'pass');
  const hz = about(r, 'port 10256');
  assert.equal(hz.status, 'pass');
  assert.equal(hz.severity, 'info');
  assert.match(hz.message, /health only/);
});

test('fail: metrics on every interface, while its config says 127.0.0.1:10249 — drift said', () => {
  const f = liveFacts([L('tcp6', '::', 10249, 300, 'kube-proxy')], { config: KUBEADM_CONFIG }, (x) => {
    x.kubeProxy = { present: true, source: '/etc/systemd/system/kube-proxy.service', metricsBindAddress: { value: '127.0.0.1:10249', source: { kind: 'config-file', file: '/var/lib/kube-proxy/config.conf', line: 7 } } };
  });
  const r = about(listenerKubeProxyMetrics.evaluate(f), 'port 10249');
  assert.equal(r.status, 'fail');
  assert.match(r.message, /\[::\]:10249 \(tcp6, every interface\) by kube-proxy \(pid 300\).*beyond loopback/);
  assert.match(r.message, /configuration says 127\.0\.0\.1:10249 \(\/var\/lib\/kube-proxy\/config\.conf line 7\)/);
});

test('a configured metrics port is watched too', () => {
  const f = liveFacts([L('tcp', '0.0.0.0', 9999, 300, 'kube-proxy')], { config: KUBEADM_CONFIG }, (x) => {
    x.kubeProxy = { present: true, metricsBindAddress: { value: '0.0.0.0:9999', source: { kind: 'flag', detail: '--metrics-bind-address=0.0.0.0:9999' } } };
  });
  assert.equal(about(listenerKubeProxyMetrics.evaluate(f), 'port 9999').status, 'fail');
});

test('pass: nothing listens; not-applicable offline; unknown without listener facts', () => {
  assert.equal(about(listenerKubeProxyMetrics.evaluate(liveFacts(KUBEADM_LISTENERS)), 'port 10249').status, 'pass');
  assert.equal(all(listenerKubeProxyMetrics.evaluate(factsFrom({ config: KUBEADM_CONFIG })))[0]!.status, 'not-applicable');
  assert.equal(all(listenerKubeProxyMetrics.evaluate(liveFacts([], { config: KUBEADM_CONFIG }, (f) => { delete f.listeners; })))[0]!.status, 'unknown');
});

test('issue 10 §4: another named process on 10249 is named, not called kube-proxy; k3s embeds kube-proxy', () => {
  const other = about(listenerKubeProxyMetrics.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '0.0.0.0', 10249, 4242, 'nginx')])), 'port 10249');
  assert.equal(other.status, 'fail');
  assert.match(other.message, /held by nginx \(pid 4242\), which is not kube-proxy/);
  assert.doesNotMatch(other.message, /serving \/metrics/);
  const k3s = about(listenerKubeProxyMetrics.evaluate(liveFacts([...KUBEADM_LISTENERS, L('tcp', '0.0.0.0', 10249, 77, 'k3s-server')])), 'port 10249');
  assert.match(k3s.message, /serving \/metrics, \/proxyMode and \/configz/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { component, KUBEADM_ETCD_ARGS, kubeadmArgs, only, withControlPlane } from '../control-plane/test-support.ts';
import { etcdClientPlainHttp } from './client-plain-http.ts';
import { etcdMetricsPlainHttp } from './metrics-plain-http.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('etcd', args)] }) });

test('pass: kubeadm (https clients, metrics on http://127.0.0.1:2381)', () => {
  assert.equal(only(etcdClientPlainHttp.evaluate(facts(KUBEADM_ETCD_ARGS))).status, 'pass');
  assert.equal(only(etcdMetricsPlainHttp.evaluate(facts(KUBEADM_ETCD_ARGS))).status, 'pass');
  assert.equal(only(etcdMetricsPlainHttp.evaluate(facts(kubeadmArgs('etcd', { 'listen-metrics-urls': null })))).status, 'pass');
});

test('fail critical: plain http on a routable or wildcard address', () => {
  const r = only(etcdClientPlainHttp.evaluate(facts(kubeadmArgs('etcd', { 'listen-client-urls': 'https://127.0.0.1:2379,http://0.0.0.0:2379' }))));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, undefined); // the check's own: critical
  assert.match(r.message, /on the network: http:\/\/0\.0\.0\.0:2379/);
  assert.match(r.remediation ?? '', /replace `--listen-client-urls=https:\/\/127\.0\.0\.1:2379,http:\/\/0\.0\.0\.0:2379` with `--listen-client-urls=https:\/\/127\.0\.0\.1:2379,https:\/\/0\.0\.0\.0:2379`/);
  const extra = only(etcdClientPlainHttp.evaluate(facts([...KUBEADM_ETCD_ARGS, '--listen-client-http-urls=http://[fd00::5]:2382'])));
  assert.equal(extra.status, 'fail');
});

test("fail medium: loopback http, including etcd's default when --listen-client-urls is absent", () => {
  const r = only(etcdClientPlainHttp.evaluate(facts(kubeadmArgs('etcd', { 'listen-client-urls': null }))));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /not set \(default http:\/\/localhost:2379\)/);
});

test('metrics: plain http on the network is low; unknown when the flags cannot be known', () => {
  const r = only(etcdMetricsPlainHttp.evaluate(facts(kubeadmArgs('etcd', { 'listen-metrics-urls': 'http://0.0.0.0:2381' }))));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /`--listen-metrics-urls=http:\/\/127\.0\.0\.1:2381`/);
  assert.equal(only(etcdMetricsPlainHttp.evaluate(facts(['--listen-metrics-urls']))).status, 'unknown');
  assert.equal(only(etcdClientPlainHttp.evaluate(facts(['--data-dir', '/var/lib/etcd', 'extra']))).status, 'unknown');
});

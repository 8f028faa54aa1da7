import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeFacts, Provenance } from '../../facts/types.ts';
import { factsFrom, one } from '../fixtures.ts';
import { hostOf, isLoopback, isUnspecified, kubeProxyMetricsLocalhost } from './metrics-localhost.ts';
import { checks } from './index.ts';

const CONF = '/var/lib/kube-proxy/config.conf';
const UNIT = '/etc/systemd/system/kube-proxy.service';
const inConfig = (line: number): Provenance => ({ kind: 'config-file', file: CONF, line });
const byFlag = (text: string): Provenance => ({ kind: 'flag', file: UNIT, line: 9, detail: text });
const proxy = (value: string | undefined, source: Provenance = inConfig(12)) => (f: NodeFacts) => {
  f.kubeProxy = { present: true, source: UNIT, ...(value === undefined ? {} : { metricsBindAddress: { value, source } }) };
};

test('pass: 127.0.0.1:10249 in the config file, cited by file and line', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('127.0.0.1:10249') }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.file, CONF);
  assert.equal(r.evidence?.[0]?.line, 12);
});

test('pass: loopback in all its spellings', () => {
  for (const v of ['127.0.0.1', '::1', '[::1]:10249', 'localhost:10249', 'localhost', '127.0.0.2:9000', '[0:0:0:0:0:0:0:1]:10249']) {
    assert.equal(one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy(v) })).status, 'pass', v);
  }
});

test('pass: no value, the default 127.0.0.1:10249', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy(undefined) }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /default/);
});

test('pass: the default as the kube-proxy source reports it (config-default, flag-default)', () => {
  const c = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('127.0.0.1:10249', { kind: 'config-default', file: CONF }) }));
  assert.equal(c.status, 'pass');
  assert.match(c.message, /^the default 127\.0\.0\.1:10249 \(metricsBindAddress is not set in \/var\/lib\/kube-proxy\/config\.conf\)/);
  const f = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('127.0.0.1:10249', { kind: 'flag-default' }) }));
  assert.match(f.message, /^the default 127\.0\.0\.1:10249 \(no --metrics-bind-address flag\)/);
});

test('pass: --metrics-port=0 disables the metrics server', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('', byFlag('--metrics-port=0')) }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /--metrics-port=0 \(\/etc\/systemd\/system\/kube-proxy\.service line 9\) disables/);
});

test('pass: empty value (defaulted in a config file, disabled by a flag)', () => {
  assert.match(one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('') })).message, /defaulted to 127\.0\.0\.1:10249/);
  assert.match(one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('', byFlag('--metrics-bind-address=')) })).message, /disables/);
});

test('fail: 0.0.0.0:10249 in the config file, fixed on its line', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('0.0.0.0:10249') }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /every interface/);
  assert.match(r.remediation ?? '', /In \/var\/lib\/kube-proxy\/config\.conf line 12: set `metricsBindAddress: 127\.0\.0\.1:10249`/);
});

test('fail: a flag with an empty host, fixed on the flag', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy(':10249', byFlag('--metrics-bind-address=:10249')) }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /In \/etc\/systemd\/system\/kube-proxy\.service line 9: replace `--metrics-bind-address=:10249` with `--metrics-bind-address=127\.0\.0\.1:10249`/);
});

test('fail: [::]:10249 and a node address', () => {
  assert.equal(one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('[::]:10249') })).status, 'fail');
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: proxy('10.0.0.5:10249') }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /10\.0\.0\.5/);
});

test('unknown: kube-proxy present but its settings unreadable', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({ patch: (f) => { f.kubeProxy = { present: true, source: UNIT, unknown: `${CONF} could not be read (EACCES)` }; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /EACCES/);
});

test('not-applicable: kube-proxy does not run from the node', () => {
  const r = one(kubeProxyMetricsLocalhost, factsFrom({}));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /DaemonSet/);
});

test('address helpers', () => {
  assert.equal(hostOf('[::1]:10249'), '::1');
  assert.equal(hostOf(':10249'), '');
  assert.equal(hostOf('fe80::1'), 'fe80::1');
  assert.equal(isLoopback('127.1.2.3'), true);
  assert.equal(isLoopback('::ffff:127.0.0.1'), true);
  assert.equal(isLoopback('128.0.0.1'), false);
  assert.equal(isLoopback('::2'), false);
  assert.equal(isLoopback('127.0.0.256'), false);
  assert.equal(isUnspecified('::'), true);
  assert.equal(isUnspecified('0:0:0:0:0:0:0:0'), true);
  assert.equal(isUnspecified('0.0.0.0'), true);
  assert.equal(isUnspecified('10.0.0.1'), false);
});

test('index', () => {
  assert.deepEqual(checks.map((c) => c.meta.id), ['kube-proxy-metrics-localhost']);
});

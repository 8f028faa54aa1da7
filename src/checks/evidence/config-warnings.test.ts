import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_PATH, factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { configWarnings } from './config-warnings.ts';

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const all = (r: ReturnType<typeof configWarnings.evaluate>) => (Array.isArray(r) ? r : [r]);

test('pass: the kubeadm config file', () => {
  assert.equal(one(configWarnings, factsFrom({ config: KUBEADM_CONFIG })).status, 'pass');
});

test('fail (low): a misspelled field, at its line', () => {
  const r = one(configWarnings, factsFrom({ config: `${HEAD}authentication:\n  anonymous:\n    enable: false\n` }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.equal(r.evidence?.[0]?.file, CONFIG_PATH);
  assert.equal(r.evidence?.[0]?.line, 5);
  assert.match(r.message, /authentication\.anonymous\.enable/);
  assert.match(r.remediation ?? '', /In \/var\/lib\/kubelet\/config\.yaml line 5: correct the spelling/);
});

test('fail: duplicate field (low) and a second document (info), one result each', () => {
  const r = all(configWarnings.evaluate(factsFrom({ config: `${HEAD}readOnlyPort: 10255\nreadOnlyPort: 0\n---\nfoo: 1\n` })));
  assert.deepEqual(r.map((x) => [x.status, x.severity]).sort(), [['fail', 'info'], ['fail', 'low']]);
});

test('fatal diagnostics are not warnings (they belong to kubelet-config-accepted)', () => {
  assert.equal(one(configWarnings, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'pass');
});

test('fail: a unit-file diagnostic without a line', () => {
  const r = one(configWarnings, factsFrom({ config: KUBEADM_CONFIG, patch: (f) => { f.kubelet.diagnostics.push({ code: 'unit-parse', severity: 'low', message: 'line continuation at end of file', file: '/etc/systemd/system/kubelet.service.d/20-extra.conf' }); } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.subject, '/etc/systemd/system/kubelet.service.d/20-extra.conf');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(configWarnings, factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' })).status, 'unknown');
});

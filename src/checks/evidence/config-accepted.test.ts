import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_PATH, factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { configAccepted } from './config-accepted.ts';

const all = (r: ReturnType<typeof configAccepted.evaluate>) => (Array.isArray(r) ? r : [r]);
const KUBECONFIG = '--kubeconfig=/etc/kubernetes/kubelet.conf';

test('pass: the kubeadm config file and a flag', () => {
  const r = one(configAccepted, factsFrom({ config: KUBEADM_CONFIG, flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /--config \/var\/lib\/kubelet\/config\.yaml/);
});

test('fail: wrong kind, with file and line', () => {
  const r = one(configAccepted, factsFrom({ config: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: Pod\n' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.file, CONFIG_PATH);
  assert.equal(r.evidence?.[0]?.line, 2);
  assert.equal(r.subject, `${CONFIG_PATH}:2`);
  assert.match(r.remediation ?? '', /^In \/var\/lib\/kubelet\/config\.yaml line 2: fix the file/);
});

test('fail: an empty config file', () => {
  const r = one(configAccepted, factsFrom({ config: '' }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /empty/);
});

test('fail: one result per refused drop-in and invalid flag', () => {
  const r = all(configAccepted.evaluate(factsFrom({ config: KUBEADM_CONFIG, dropIns: ['   \n'], flags: ['--read-only-port=abc'] })));
  assert.equal(r.length, 2);
  assert.ok(r.every((x) => x.status === 'fail'));
  assert.ok(r.some((x) => x.evidence?.[0]?.file === '/etc/kubernetes/kubelet.conf.d/10.conf'));
  assert.ok(r.some((x) => x.evidence?.[0]?.file === '/etc/default/kubelet' && /fix or remove the flag/.test(x.remediation ?? '')));
});

test('fail: invalid YAML', () => {
  const r = one(configAccepted, factsFrom({ config: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: [\n' }));
  assert.equal(r.status, 'fail');
});

test('unknown: no kubelet found', () => {
  const r = one(configAccepted, factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' }));
  assert.equal(r.status, 'unknown');
});

test('unknown: the config file could not be read', () => {
  const r = one(configAccepted, factsFrom({ config: KUBEADM_CONFIG, flags: [KUBECONFIG], patch: (f) => { f.kubelet.effective['readOnlyPort'] = { value: null, source: { kind: 'config-default' }, unknown: `the --config file ${CONFIG_PATH} could not be read (EACCES: permission denied)` }; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /EACCES/);
});

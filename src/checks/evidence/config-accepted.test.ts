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

// Issue 10 §1b: each of these was reported "accepted" although the kubelet refuses it.
const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('fail: eventRecordQPS -1, at its file and line (validation.go)', () => {
  const r = one(configAccepted, factsFrom({ config: `${HDR}eventRecordQPS: -1\n`, flags: [KUBECONFIG], version: '1.33.2' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.subject, `${CONFIG_PATH}:3`);
  assert.match(r.message, /^kubelet 1\.33\.2 \(test\) refuses eventRecordQPS -1: invalid configuration: eventRecordQPS \(--event-qps\) -1 must not be a negative number/);
  assert.match(r.remediation ?? '', /^In \/var\/lib\/kubelet\/config\.yaml line 3: set a value the kubelet accepts/);
});

test('fail: authorization.mode RBAC (BuildAuthz: unknown authorization mode)', () => {
  const r = one(configAccepted, factsFrom({ config: `${HDR}authorization:\n  mode: RBAC\n`, flags: [KUBECONFIG] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.line, 4);
  assert.match(r.message, /unknown authorization mode RBAC/);
});

test('fail: an unknown TLS cipher suite name (cliflag.TLSCipherSuites)', () => {
  const r = one(configAccepted, factsFrom({ config: `${HDR}tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_NULL_SHA]\n`, flags: [KUBECONFIG] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /Cipher suite TLS_RSA_WITH_NULL_SHA not supported or doesn't exist/);
});

test('fail: a feature gate the version no longer knows, at the gate\'s line', () => {
  const r = one(configAccepted, factsFrom({ config: `${HDR}featureGates:\n  DynamicKubeletConfig: false\n`, flags: [KUBECONFIG], version: '1.31.4' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.subject, `${CONFIG_PATH}:4`);
  assert.match(r.message, /unrecognized feature gate: DynamicKubeletConfig \(removed in 1\.26\)/);
  assert.match(r.remediation ?? '', /remove the feature gate/);
});

test('fail: --container-runtime on 1.27+ is an unknown flag; pass on 1.26', () => {
  const flags = [KUBECONFIG, '--container-runtime=remote'];
  const r = one(configAccepted, factsFrom({ config: KUBEADM_CONFIG, flags, version: '1.29.0' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.subject, '/etc/default/kubelet:1');
  assert.match(r.message, /unknown flag: --container-runtime/);
  assert.match(r.remediation ?? '', /^In \/etc\/default\/kubelet line 1: remove the flag/);
  assert.equal(one(configAccepted, factsFrom({ config: KUBEADM_CONFIG, flags, version: '1.26.3' })).status, 'pass');
});

test('unknown: a refusal that depends on the version, the version being unknown, says which versions', () => {
  const r = one(configAccepted, factsFrom({ config: KUBEADM_CONFIG, flags: [KUBECONFIG, '--container-runtime=remote'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /^kubelet 1\.27 and later refuses this, and the kubelet's version is unknown \(give --kubelet-version\): --container-runtime "remote": unknown flag/);
});

test('fail and unknown together: a definite refusal is not hidden by a version-dependent one', () => {
  const r = all(configAccepted.evaluate(factsFrom({ config: `${HDR}eventRecordQPS: -1\n`, flags: [KUBECONFIG, '--container-runtime=remote'] })));
  assert.deepEqual(r.map((x) => x.status).sort(), ['fail', 'unknown']);
});

test('fail: webhook authentication without --kubeconfig (standalone kubelet, no API client)', () => {
  const r = all(configAccepted.evaluate(factsFrom({ config: KUBEADM_CONFIG })));
  assert.ok(r.some((x) => x.status === 'fail' && /cannot use webhook authentication/.test(x.message)));
});

test('unknown: a feature gate outside the gate table, on a known version, is not decided (never a pass)', () => {
  const r = one(configAccepted, factsFrom({ config: `${HDR}featureGates:\n  SomeGateNotInTheTable: true\n`, flags: [KUBECONFIG], version: '1.33.0' }));
  assert.equal(r.status, 'unknown');
  assert.equal(r.subject, `${CONFIG_PATH}:4`);
  assert.match(r.message, /^whether kubelet 1\.33\.0 \(test\) refuses this is not decided .*not in kubelet-guard's table/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { clientCaFile } from './client-ca-file.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm config sets the cluster CA', () => {
  const r = one(clientCaFile, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /\/etc\/kubernetes\/pki\/ca\.crt/);
});

test('pass: --client-ca-file on a flags-only kubelet', () => {
  const r = one(clientCaFile, factsFrom({ flags: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'] }));
  assert.equal(r.status, 'pass');
});

test('fail: a config file without clientCAFile (empty means no client-certificate authentication)', () => {
  const r = one(clientCaFile, factsFrom({ config: HDR }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /In \/var\/lib\/kubelet\/config\.yaml, set `authentication\.x509\.clientCAFile`/);
});

test('fail: the fix names kubeadm\'s CA file when it is on this node', () => {
  const r = one(clientCaFile, factsFrom({ config: HDR, files: { '/etc/kubernetes/pki/ca.crt': {} } }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /set `authentication\.x509\.clientCAFile` to `\/etc\/kubernetes\/pki\/ca\.crt`/);
});

test('fail: kubeadm\'s CA file is not on this node, so the fix does not tell to point at it', () => {
  const r = one(clientCaFile, factsFrom({ config: HDR, files: { '/etc/kubernetes/pki/ca.crt': { exists: false } } }));
  assert.equal(r.status, 'fail');
  assert.doesNotMatch(r.remediation ?? '', /to `\/etc\/kubernetes\/pki\/ca\.crt`/);
  assert.match(r.remediation ?? '', /to `<the cluster CA file>`.*kubeadm keeps it at \/etc\/kubernetes\/pki\/ca\.crt, which is not on this node/);
});

test('fail: a drop-in empties the CA set by the config file', () => {
  const r = one(clientCaFile, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}authentication:\n  x509:\n    clientCAFile: ""\n`] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('unknown: a drop-in the kubelet refuses names the field', () => {
  const r = one(clientCaFile, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}authentication:\n  x509:\n    clientCAFile: [1]\n`] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /refuses the drop-in/);
});

test('unknown: no kubelet found', () => {
  assert.equal(one(clientCaFile, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

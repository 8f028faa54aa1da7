import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG, one } from '../fixtures.ts';
import { clientCaPresent } from './client-ca-present.ts';
import { certs, clientCA, stat } from './test-support.ts';

const CA = '/etc/kubernetes/pki/ca.crt';
const run = (fact = clientCA(), config = KUBEADM_CONFIG) => one(clientCaPresent, factsFrom({ config, patch: certs(fact) }));

test('pass: the kubeadm CA bundle with two certificates', () => {
  const r = run(clientCA({ chain: [{ subject: 'CN=front-proxy-ca' }] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /holds 2 certificates: CN=kubernetes; CN=front-proxy-ca/);
  assert.equal(r.evidence?.[0]?.setting, 'authentication.x509.clientCAFile');
});

test('fail: the file does not exist, the kubelet refuses to start', () => {
  const r = run(clientCA({ stat: stat(CA, { exists: false }), error: 'missing', subject: undefined }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /does not exist: the kubelet refuses to start/);
});

test('fail: a CA file elsewhere that does not exist: the fix names that file and where the setting is, not the kubeadm path', () => {
  const other = '/srv/k8s/pki/cluster-ca.pem';
  const r = run(clientCA({ path: other, stat: stat(other, { exists: false }), error: 'missing', subject: undefined }), KUBEADM_CONFIG.replace(CA, other));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /Put the cluster CA bundle \(PEM certificates\) at \/srv\/k8s\/pki\/cluster-ca\.pem, or change authentication\.x509\.clientCAFile to the file that holds it \(in \/var\/lib\/kubelet\/config\.yaml line \d+\)/);
  assert.doesNotMatch(r.remediation ?? '', /\/etc\/kubernetes\/pki\/ca\.crt/);
});

test('fail: garbage, an empty file, a directory', () => {
  for (const error of ['not a PEM certificate', 'empty file', 'EISDIR: is a directory', 'not a PEM certificate (no CERTIFICATE block)']) {
    const r = run(clientCA({ error, subject: undefined }));
    assert.equal(r.status, 'fail', error);
  }
});

test('unknown: unreadable by this audit (the kubelet, as root, may read it)', () => {
  const r = run(clientCA({ error: 'EACCES: permission denied', subject: undefined }));
  assert.equal(r.status, 'unknown');
});

test('unknown: the setting cannot be known (refused config file)', () => {
  const r = run(clientCA(), 'apiVersion: v1\nkind: Pod\n');
  assert.equal(r.status, 'unknown');
});

test('unknown: the file was not examined', () => {
  const r = one(clientCaPresent, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'unknown');
});

test('not-applicable: no client CA file set', () => {
  const r = run(clientCA(), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n');
  assert.equal(r.status, 'not-applicable');
});

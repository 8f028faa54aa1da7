import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { rotateCertificates } from './rotate-certificates.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm sets rotateCertificates true', () => {
  const r = one(rotateCertificates, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.line, 19);
});

test('fail: not set means false (the default), unlike kube-bench\'s "not set" pass', () => {
  const r = one(rotateCertificates, factsFrom({ config: HDR }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-default');
});

test('fail: --rotate-certificates=false overrides kubeadm', () => {
  const r = one(rotateCertificates, factsFrom({ config: KUBEADM_CONFIG, flags: ['--rotate-certificates=false'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--rotate-certificates=false` with `--rotate-certificates=true`/);
});

test('pass: bare bool flag --rotate-certificates on a flags-only kubelet', () => {
  assert.equal(one(rotateCertificates, factsFrom({ flags: ['--rotate-certificates'] })).status, 'pass');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(rotateCertificates, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

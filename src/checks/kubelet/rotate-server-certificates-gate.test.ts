import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { rotateServerCertificatesGate } from './rotate-server-certificates-gate.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: not named anywhere, default on', () => {
  const r = one(rotateServerCertificatesGate, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /by default/);
});

test('fail: turned off in the config file, and the fix names the gate\'s own line', () => {
  const r = one(rotateServerCertificatesGate, factsFrom({ config: `${HDR}featureGates:\n  RotateKubeletServerCertificate: false\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /In \/var\/lib\/kubelet\/config\.yaml line 4: remove `RotateKubeletServerCertificate: false`/);
});

test('fail: --feature-gates turns it off over a file that turns it on (flag keys override)', () => {
  const r = one(rotateServerCertificatesGate, factsFrom({ config: `${HDR}featureGates:\n  RotateKubeletServerCertificate: true\n`, flags: ['--feature-gates=NodeSwap=true,RotateKubeletServerCertificate=false'] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag');
  assert.match(r.remediation ?? '', /in `--feature-gates=NodeSwap=true,RotateKubeletServerCertificate=false`, remove RotateKubeletServerCertificate=false/);
});

test('pass: a drop-in turns it back on (maps merge key by key)', () => {
  const r = one(rotateServerCertificatesGate, factsFrom({ config: `${HDR}featureGates:\n  RotateKubeletServerCertificate: false\n  NodeSwap: true\n`, dropIns: [`${HDR}featureGates:\n  RotateKubeletServerCertificate: true\n`] }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('unknown: the config file is refused', () => {
  const r = one(rotateServerCertificatesGate, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /featureGates cannot be known/);
});

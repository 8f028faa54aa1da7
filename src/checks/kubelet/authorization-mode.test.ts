import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { authorizationMode } from './authorization-mode.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm config file sets Webhook', () => {
  const r = one(authorizationMode, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.line, 12);
});

test('pass: mode "" in the config file is defaulted to Webhook (kubeadm-style zero)', () => {
  const r = one(authorizationMode, factsFrom({ config: `${HDR}authorization:\n  mode: ""\n` }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-default');
});

test('fail: no --config, the flag default is AlwaysAllow', () => {
  const r = one(authorizationMode, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag-default');
  assert.match(r.remediation ?? '', /--authorization-mode=Webhook/);
});

test('fail: a drop-in sets AlwaysAllow over a secure config file', () => {
  const r = one(authorizationMode, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}authorization:\n  mode: AlwaysAllow\n`] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
  assert.match(r.remediation ?? '', /In \/etc\/kubernetes\/kubelet\.conf\.d\/10\.conf line 4: set `authorization\.mode` to `Webhook`/);
});

test('fail: an explicit flag overrides the config file', () => {
  const r = one(authorizationMode, factsFrom({ config: KUBEADM_CONFIG, flags: ['--authorization-mode=AlwaysAllow'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--authorization-mode=AlwaysAllow` with `--authorization-mode=Webhook`/);
});

test('pass: an explicit flag fixes a flags-only kubelet', () => {
  const r = one(authorizationMode, factsFrom({ flags: ['--authorization-mode=Webhook'] }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag');
});

test('unknown: the config file is refused', () => {
  const r = one(authorizationMode, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' }));
  assert.equal(r.status, 'unknown');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(authorizationMode, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { webhookTokenAuthn } from './webhook-token-authn.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm, Webhook authorization with token authentication', () => {
  assert.equal(one(webhookTokenAuthn, factsFrom({ config: KUBEADM_CONFIG })).status, 'pass');
});

test('fail: flags-only kubelet with --authorization-mode=Webhook keeps the flag default (token webhook off)', () => {
  const r = one(webhookTokenAuthn, factsFrom({ flags: ['--authorization-mode=Webhook', '--anonymous-auth=false', '--client-ca-file=/etc/kubernetes/pki/ca.crt'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /service-account tokens get 401/);
  assert.match(r.remediation ?? '', /--authentication-token-webhook=true/);
});

test('fail: with anonymous on, tokens are ignored and the request runs as system:anonymous', () => {
  const r = one(webhookTokenAuthn, factsFrom({ config: `${HDR}authentication:\n  anonymous:\n    enabled: true\n  webhook:\n    enabled: false\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /system:anonymous/);
  assert.match(r.remediation ?? '', /config\.yaml line 7: set `authentication\.webhook\.enabled` to `true`/);
});

test('fail: an explicit false in the file is kept (pointer field)', () => {
  const r = one(webhookTokenAuthn, factsFrom({ config: `${HDR}authentication:\n  webhook:\n    enabled: false\n` }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[1]?.source?.kind, 'config-file');
});

test('not-applicable: AlwaysAllow is reported by kubelet-authorization-mode', () => {
  const r = one(webhookTokenAuthn, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'not-applicable');
});

test('unknown: the config file is refused', () => {
  assert.equal(one(webhookTokenAuthn, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { apiserverKubeletCertificateAuthority as check } from './kubelet-certificate-authority.ts';
import { component, KUBEADM_APISERVER_ARGS, only, withControlPlane } from './test-support.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver', args)] }) });

test('pass: set', () => {
  const r = only(check.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'])));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.line, 43);
});

test("fail: kubeadm's default; the fix warns that kubelets must serve CA-signed certificates first", () => {
  const r = only(check.evaluate(facts(KUBEADM_APISERVER_ARGS)));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /serverTLSBootstrap: true/);
  assert.match(r.remediation ?? '', /add `- --kubelet-certificate-authority=\/etc\/kubernetes\/pki\/ca\.crt`/);
});

test('unknown: a bare flag kubelet-guard does not know, followed by a flag, is ambiguous (pflag takes the next word for non-bool flags)', () => {
  const r = only(check.evaluate(facts(['--some-new-flag', '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'])));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /depends on whether --some-new-flag is a bool flag/);
  // a known non-bool flag takes the next word, whatever it looks like, as pflag does
  assert.equal(only(check.evaluate(facts(['--tls-cert-file', '--kubelet-certificate-authority=/x']))).status, 'fail');
});

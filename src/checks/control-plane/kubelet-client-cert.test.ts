import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { componentFromArgs } from '../../sources/control-plane.ts';
import { apiserverKubeletClientCert as check } from './kubelet-client-cert.ts';
import { component, KUBEADM_APISERVER_ARGS, kubeadmArgs, only, withControlPlane } from './test-support.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver', args)] }) });

test('pass: kubeadm sets both', () => {
  const r = only(check.evaluate(facts(KUBEADM_APISERVER_ARGS)));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.length, 2);
});

test('fail: the key is missing; the fix names the file', () => {
  const r = only(check.evaluate(facts(kubeadmArgs('kube-apiserver', { 'kubelet-client-key': null }))));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /add `- --kubelet-client-key=\/etc\/kubernetes\/pki\/apiserver-kubelet-client\.key`/);
  assert.doesNotMatch(r.remediation ?? '', /--kubelet-client-certificate=/);
});

test('fail: set to an empty value; a process (no manifest) gets a command-line fix', () => {
  const c = componentFromArgs('kube-apiserver', ['--kubelet-client-certificate=', '--kubelet-client-key='], { pid: 4242 });
  const r = only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [c] }) })));
  assert.equal(r.status, 'fail');
  assert.equal(r.subject, 'kube-apiserver pid 4242');
  assert.match(r.remediation ?? '', /On the command line of kube-apiserver \(pid 4242\): replace `--kubelet-client-certificate=` with `--kubelet-client-certificate=\/etc\/kubernetes\/pki\/apiserver-kubelet-client\.crt`; then restart kube-apiserver/);
});

test('unknown: the command is a shell script', () => {
  const c = { ...component('kube-apiserver'), flags: [], unknown: 'started through `sh -c`' };
  assert.equal(only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [c] }) }))).status, 'unknown');
});

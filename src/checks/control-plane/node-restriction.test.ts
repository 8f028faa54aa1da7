import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { apiserverNodeRestriction as check } from './node-restriction.ts';
import { component, KUBEADM_APISERVER_ARGS, kubeadmArgs, only, withControlPlane } from './test-support.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver', args)] }) });

test('pass: kubeadm enables it; a second --enable-admission-plugins appends', () => {
  assert.equal(only(check.evaluate(facts(KUBEADM_APISERVER_ARGS))).status, 'pass');
  assert.equal(only(check.evaluate(facts(['--enable-admission-plugins=PodSecurity', '--enable-admission-plugins=NodeRestriction']))).status, 'pass');
  assert.equal(only(check.evaluate(facts(['--admission-control=NamespaceLifecycle,NodeRestriction']))).status, 'pass');
});

test('fail: not set (off by default), or a list without it; the fix extends the list at its line', () => {
  const r = only(check.evaluate(facts(kubeadmArgs('kube-apiserver', { 'enable-admission-plugins': null }))));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /off by default/);
  const l = only(check.evaluate(facts(kubeadmArgs('kube-apiserver', { 'enable-admission-plugins': 'PodSecurity,EventRateLimit' }))));
  assert.equal(l.status, 'fail');
  assert.match(l.remediation ?? '', /replace `--enable-admission-plugins=PodSecurity,EventRateLimit` with `--enable-admission-plugins=PodSecurity,EventRateLimit,NodeRestriction`/);
});

test('unknown: in both lists, or --admission-control next to --enable-admission-plugins: the API server does not start', () => {
  const both = only(check.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--disable-admission-plugins=NodeRestriction'])));
  assert.equal(both.status, 'unknown');
  assert.match(both.message, /refuses to start/);
  assert.equal(only(check.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--admission-control=NodeRestriction']))).status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { apiserverAnonymousAuth as check } from './anonymous-auth.ts';
import { APISERVER_YAML, component, KUBEADM_APISERVER_ARGS, kubeadmArgs, only, withControlPlane } from './test-support.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver', args)] }) });

test('pass: --anonymous-auth=false, with file and line', () => {
  const r = only(check.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--anonymous-auth=false'])));
  assert.equal(r.status, 'pass');
  assert.equal(r.subject, APISERVER_YAML);
  assert.deepEqual([r.evidence?.[0]?.file, r.evidence?.[0]?.line], [APISERVER_YAML, 16 + KUBEADM_APISERVER_ARGS.length]);
});

test("fail: kubeadm's manifest leaves the default (true); the fix adds the flag and warns about the probes", () => {
  const r = only(check.evaluate(facts(KUBEADM_APISERVER_ARGS)));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /not set \(default true\)/);
  assert.match(r.remediation ?? '', /In \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml: add `- --anonymous-auth=false` to the command of the kube-apiserver container \(for example after line 42\)/);
  assert.match(r.remediation ?? '', /\/livez and \/readyz without credentials/);
});

test('fail: an explicit --anonymous-auth=true is replaced at its line; the last occurrence wins (pflag)', () => {
  const r = only(check.evaluate(facts(['--anonymous-auth=false', '--authorization-mode=Node,RBAC', '--anonymous-auth=true'])));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /line 18: replace `--anonymous-auth=true` with `--anonymous-auth=false` and remove the earlier --anonymous-auth at line 16/);
});

test('pass with a pointer: AlwaysAllow makes the API server turn anonymous off (ApplyAuthorization)', () => {
  const r = only(check.evaluate(facts(kubeadmArgs('kube-apiserver', { 'authorization-mode': 'AlwaysAllow' }))));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /apiserver-authorization-not-always-allow/);
});

test('unknown: --authentication-config may configure anonymous; unknown flags', () => {
  assert.equal(only(check.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--authentication-config=/etc/kubernetes/authn.yaml']))).status, 'unknown');
  const bad = only(check.evaluate(facts(['--anonymous-auth', 'false'])));
  assert.equal(bad.status, 'unknown');
  assert.match(bad.message, /refuses to start.*"false"/);
});

test('not-applicable: no control-plane component; unknown: static pods unreadable', () => {
  const na = only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [] }) })));
  assert.equal(na.status, 'not-applicable');
  assert.match(na.message, /no control-plane component on this node/);
  const unk = only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [], staticPods: { unknown: 'EACCES: permission denied' } }) })));
  assert.equal(unk.status, 'unknown');
  const etcdOnly = only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [component('etcd')] }) })));
  assert.equal(etcdOnly.status, 'not-applicable');
  assert.match(etcdOnly.message, /kube-apiserver does not run on this node \(it runs etcd/);
});

test('pass: no --authorization-mode at all is AlwaysAllow, and ApplyAuthorization runs after that default (anonymous is off)', () => {
  const r = only(check.evaluate(facts(kubeadmArgs('kube-apiserver', { 'authorization-mode': null }))));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /--authorization-mode is not set, and the API server then uses AlwaysAllow.*apiserver-authorization-not-always-allow/);
});

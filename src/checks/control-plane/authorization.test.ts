import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { apiserverAuthorizationNotAlwaysAllow as notAlwaysAllow } from './authorization-not-always-allow.ts';
import { apiserverAuthorizationNode as node } from './authorization-node.ts';
import { apiserverAuthorizationRbac as rbac } from './authorization-rbac.ts';
import { component, KUBEADM_APISERVER_ARGS, kubeadmArgs, only, withControlPlane } from './test-support.ts';

const facts = (args: string[]) => factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver', args)] }) });
const modes = (v: string | null) => facts(kubeadmArgs('kube-apiserver', { 'authorization-mode': v }));

test('pass: kubeadm Node,RBAC passes all three, with the line', () => {
  for (const c of [notAlwaysAllow, node, rbac]) {
    const r = only(c.evaluate(facts(KUBEADM_APISERVER_ARGS)));
    assert.equal(r.status, 'pass', c.meta.id);
    assert.equal(r.evidence?.[0]?.line, 18);
  }
});

test('fail: not set means AlwaysAllow (authorization.go Complete); the fixes add Node,RBAC', () => {
  const f = modes(null);
  const r = only(notAlwaysAllow.evaluate(f));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /not set, and the API server then uses AlwaysAllow/);
  assert.match(r.remediation ?? '', /add `- --authorization-mode=Node,RBAC`/);
  assert.equal(only(node.evaluate(f)).status, 'fail');
  assert.equal(only(rbac.evaluate(f)).status, 'fail');
});

test('fail: AlwaysAllow anywhere in the chain; the fix keeps the rest', () => {
  const r = only(notAlwaysAllow.evaluate(modes('RBAC,AlwaysAllow')));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--authorization-mode=RBAC,AlwaysAllow` with `--authorization-mode=Node,RBAC`/);
  assert.equal(only(rbac.evaluate(modes('RBAC,AlwaysAllow'))).status, 'pass');
});

test('repeated --authorization-mode appends (pflag StringSlice): Node then RBAC is Node,RBAC', () => {
  const f = facts(['--authorization-mode=Node', '--authorization-mode=RBAC']);
  assert.equal(only(node.evaluate(f)).status, 'pass');
  assert.equal(only(rbac.evaluate(f)).status, 'pass');
  const r = only(rbac.evaluate(facts(['--authorization-mode=Node', '--authorization-mode=Webhook'])));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /line 17: replace `--authorization-mode=Webhook` with `--authorization-mode=Node,Webhook,RBAC` and remove the earlier --authorization-mode at line 16/);
});

test('fail: RBAC without Node', () => {
  const r = only(node.evaluate(modes('RBAC')));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /`--authorization-mode=Node,RBAC`/);
});

test('unknown: --authorization-config holds the chain; with --authorization-mode too the API server does not start', () => {
  const cfg = facts([...kubeadmArgs('kube-apiserver', { 'authorization-mode': null }), '--authorization-config=/etc/kubernetes/authz.yaml']);
  for (const c of [notAlwaysAllow, node, rbac]) {
    const r = only(c.evaluate(cfg));
    assert.equal(r.status, 'unknown');
    assert.match(r.message, /configured in the file \/etc\/kubernetes\/authz\.yaml/);
  }
  const both = only(node.evaluate(facts([...KUBEADM_APISERVER_ARGS, '--authorization-config=/etc/kubernetes/authz.yaml'])));
  assert.equal(both.status, 'unknown');
  assert.match(both.message, /refuses to start/);
});

test('unknown: an invalid or repeated mode stops the API server', () => {
  assert.match(only(rbac.evaluate(modes('Node,Rbac'))).message, /"Rbac", not a valid mode/);
  assert.match(only(rbac.evaluate(modes('Node,RBAC,Node'))).message, /more than once/);
});

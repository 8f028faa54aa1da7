import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from './fixtures.ts';
import { runChecks } from './run.ts';
import { NODE_CHECKS } from './index.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const KUBECONFIG = '--kubeconfig=/etc/kubernetes/kubelet.conf';
const find = (fs: ReturnType<typeof runChecks>, id: string) => fs.find((f) => f.check === id)!;

test('a setting verdict on a configuration the kubelet refuses says so and points at kubelet-config-accepted', () => {
  const fs = runChecks(NODE_CHECKS, factsFrom({ config: `${HDR}authorization:\n  mode: RBAC\nauthentication:\n  anonymous:\n    enabled: false\n`, flags: [KUBECONFIG], version: '1.33.0' }));
  assert.equal(find(fs, 'kubelet-config-accepted').status, 'fail');
  const authz = find(fs, 'kubelet-authorization-mode');
  assert.equal(authz.status, 'fail');
  assert.match(authz.message, /the kubelet would refuse this configuration and not start with it \(see kubelet-config-accepted\)$/);
  const anon = find(fs, 'kubelet-anonymous-auth');
  assert.equal(anon.status, 'pass');
  assert.match(anon.message, /see kubelet-config-accepted/);
  // the evidence checks speak for themselves
  assert.doesNotMatch(find(fs, 'kubelet-found').message, /see kubelet-config-accepted/);
});

test('a version-dependent refusal with an unknown version: the note says so', () => {
  const fs = runChecks(NODE_CHECKS, factsFrom({ config: `${HDR}authorization:\n  mode: Webhook\n`, flags: [KUBECONFIG, '--container-runtime=remote'] }));
  assert.equal(find(fs, 'kubelet-config-accepted').status, 'unknown');
  assert.match(find(fs, 'kubelet-authorization-mode').message, /some kubelet versions refuse this configuration and the version is unknown \(see kubelet-config-accepted\)$/);
});

test('an accepted configuration gets no note', () => {
  const fs = runChecks(NODE_CHECKS, factsFrom({ config: `${HDR}authorization:\n  mode: Webhook\n`, flags: [KUBECONFIG], version: '1.33.0' }));
  assert.equal(find(fs, 'kubelet-config-accepted').status, 'pass');
  assert.ok(fs.every((f) => !/see kubelet-config-accepted/.test(f.message)));
});

test('a refusal not decided on a known version: the note says not decided', () => {
  const fs = runChecks(NODE_CHECKS, factsFrom({ config: `${HDR}authorization:\n  mode: Webhook\nfeatureGates:\n  SomeGateNotInTheTable: true\n`, flags: [KUBECONFIG], version: '1.33.0' }));
  assert.equal(find(fs, 'kubelet-config-accepted').status, 'unknown');
  assert.match(find(fs, 'kubelet-authorization-mode').message, /whether this kubelet accepts this configuration is not decided \(see kubelet-config-accepted\)$/);
});

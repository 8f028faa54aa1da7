import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one } from '../fixtures.ts';
import { kubeProxyKubeconfigPerms } from './kube-proxy-kubeconfig-perms.ts';
import { PROXY_KUBECONFIG, withKubeProxy } from './test-support.ts';

test('pass: 0600', () => {
  const r = one(kubeProxyKubeconfigPerms, factsFrom({ files: { [PROXY_KUBECONFIG]: { mode: 0o600, uid: 0, gid: 0 } }, patch: withKubeProxy }));
  assert.equal(r.status, 'pass');
  assert.equal(r.subject, PROXY_KUBECONFIG);
});

test('fail: 0644, with the exact chmod', () => {
  const r = one(kubeProxyKubeconfigPerms, factsFrom({ files: { [PROXY_KUBECONFIG]: { mode: 0o644, uid: 0, gid: 0 } }, patch: withKubeProxy }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chmod 600 ${PROXY_KUBECONFIG}`);
});

test('unknown: not examined', () => {
  assert.equal(one(kubeProxyKubeconfigPerms, factsFrom({ patch: withKubeProxy })).status, 'unknown');
});

test('unknown: kube-proxy present but its settings unreadable', () => {
  const r = one(kubeProxyKubeconfigPerms, factsFrom({ patch: (f) => { f.kubeProxy = { present: true, unknown: 'its --config file /var/lib/kube-proxy/config.conf could not be read (EACCES)' }; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /EACCES/);
});

test('not-applicable: kube-proxy does not run from the node (kubeadm DaemonSet)', () => {
  const r = one(kubeProxyKubeconfigPerms, factsFrom({}));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /DaemonSet/);
});

test('not-applicable: kube-proxy names a kubeconfig that does not exist, and the message says it needs it', () => {
  const r = one(kubeProxyKubeconfigPerms, factsFrom({ files: { [PROXY_KUBECONFIG]: { exists: false } }, patch: withKubeProxy }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /kube-proxy is configured to read/);
});

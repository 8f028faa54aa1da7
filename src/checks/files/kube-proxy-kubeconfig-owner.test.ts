import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one } from '../fixtures.ts';
import { kubeProxyKubeconfigOwner } from './kube-proxy-kubeconfig-owner.ts';
import { PROXY_KUBECONFIG, withKubeProxy } from './test-support.ts';

test('pass: root:root', () => {
  assert.equal(one(kubeProxyKubeconfigOwner, factsFrom({ files: { [PROXY_KUBECONFIG]: { mode: 0o600, uid: 0, gid: 0 } }, patch: withKubeProxy })).status, 'pass');
});

test('fail: group kube-proxy', () => {
  const r = one(kubeProxyKubeconfigOwner, factsFrom({ files: { [PROXY_KUBECONFIG]: { mode: 0o600, uid: 0, gid: 996 } }, patch: withKubeProxy }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chown root:root ${PROXY_KUBECONFIG}`);
  assert.deepEqual(r.evidence, [{ file: PROXY_KUBECONFIG, note: 'mode 0600, owner 0:996' }]);
});

test('unknown: stat failed', () => {
  assert.equal(one(kubeProxyKubeconfigOwner, factsFrom({ files: { [PROXY_KUBECONFIG]: { exists: null, error: 'EACCES: permission denied' } }, patch: withKubeProxy })).status, 'unknown');
});

test('not-applicable: kube-proxy present without a kubeconfig', () => {
  assert.equal(one(kubeProxyKubeconfigOwner, factsFrom({ patch: (f) => { f.kubeProxy = { present: true, source: 'process 77' }; } })).status, 'not-applicable');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodHostNamespaces } from './host-namespaces.ts';
import { all, APISERVER, DIR, kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';

const run = (text: string) => all(staticPodHostNamespaces.evaluate(withManifests([manifest('x.yaml', text)])));

test('pass: kubeadm control-plane pods on the host network, with a note', () => {
  const r = all(staticPodHostNamespaces.evaluate(withManifests(kubeadmControlPlane())));
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
  assert.match(r[1]!.message, /hostNetwork is expected: kubeadm runs kube-apiserver on the host network/);
});

test('pass: a pod sharing nothing', () => {
  const r = run(pod('p', '  containers:\n  - name: a\n    image: busybox\n'));
  assert.equal(r[0]!.status, 'pass');
  assert.match(r[0]!.message, /no hostPID, hostIPC or hostNetwork/);
});

test('fail: hostPID (high) with hostIPC and hostNetwork, each with its line', () => {
  const r = run(pod('p', '  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n  containers:\n  - name: a\n    image: busybox\n'))[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.equal(r.subject, `${DIR}/x.yaml#p`);
  assert.match(r.message, /PID namespace .*IPC namespace .*network namespace/);
  assert.equal(r.remediation?.startsWith('In /etc/kubernetes/manifests/x.yaml line 8: remove `hostPID: true`; In /etc/kubernetes/manifests/x.yaml line 9: remove `hostIPC: true`; In /etc/kubernetes/manifests/x.yaml line 7: remove `hostNetwork: true` from the spec of pod p'), true, r.remediation);
});

test('fail medium: hostNetwork on a pod that only claims to be kube-apiserver', () => {
  const fake = APISERVER.replace('    - kube-apiserver\n', '    - /bin/sh\n');
  const r = all(staticPodHostNamespaces.evaluate(withManifests([manifest('kube-apiserver.yaml', fake)])))[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
});

test('unknown: an unreadable manifest next to a good one', () => {
  const unreadable = { ...manifest('z.yaml', 'x'), error: undefined, line: undefined, pods: [], unreadable: 'cannot read it: EACCES: permission denied' };
  const r = all(staticPodHostNamespaces.evaluate(withManifests([...kubeadmControlPlane(), unreadable])));
  assert.deepEqual(r.map((x) => x.status), ['pass', 'pass', 'pass', 'pass', 'unknown']);
});

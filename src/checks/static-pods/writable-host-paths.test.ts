import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodWritableHostPaths } from './writable-host-paths.ts';
import { all, CONTROLLER_MANAGER, DIR, kubeadmControlPlane, manifest, pod, SCHEDULER, withManifests } from './test-support.ts';

const run = (name: string, text: string) => all(staticPodWritableHostPaths.evaluate(withManifests([manifest(name, text)])));

const AGENT = pod(
  'agent',
  '  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n  - name: conf\n    hostPath:\n      path: /etc/agent\n  containers:\n  - name: app\n    image: busybox\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n    - name: conf\n      mountPath: /conf\n      readOnly: true\n  - name: side\n    image: busybox\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n',
);

test("pass: kubeadm's pods; etcd's data and certificates and the flexvolume folder are writable by design", () => {
  const r = all(staticPodWritableHostPaths.evaluate(withManifests(kubeadmControlPlane())));
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
  assert.match(r.find((x) => x.subject === `${DIR}/kube-controller-manager.yaml#kube-controller-manager (volume flexvolume-dir)`)!.message, /flexvolume-dir, read-write/);
  assert.match(r.find((x) => x.subject === `${DIR}/kube-scheduler.yaml#kube-scheduler`)!.message, /read-only/);
});

test('pass: a custom --flex-volume-plugin-dir is the one kubeadm mounts (volumes.go reads the flag)', () => {
  const kcm = CONTROLLER_MANAGER.replaceAll('/usr/libexec/kubernetes/kubelet-plugins/volume/exec', '/opt/flex').replace('    - --leader-elect=true\n', '    - --leader-elect=true\n    - --flex-volume-plugin-dir=/opt/flex\n');
  const r = run('kcm.yaml', kcm);
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
});

test('fail medium: a writable host path, one result per volume, each writable mount named with its line', () => {
  const r = run('agent.yaml', AGENT);
  assert.deepEqual(r.map((x) => [x.status, x.subject]), [['fail', `${DIR}/agent.yaml#agent (volume logs)`]]);
  assert.equal(r[0]!.severity, undefined); // the check's own: medium
  assert.equal(staticPodWritableHostPaths.meta.severity, 'medium');
  assert.match(r[0]!.message, /container app at \/logs, container side at \/logs/);
  assert.match(r[0]!.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/agent\.yaml line 18: add `readOnly: true` to the volumeMount of `logs` \(\/logs\) in container app; In \/etc\/kubernetes\/manifests\/agent\.yaml line 26: add `readOnly: true`/);
});

test('fail: a kubeadm mount kubeadm makes read-only, made writable', () => {
  const sched = SCHEDULER.replace('      name: kubeconfig\n      readOnly: true\n', '      name: kubeconfig\n');
  const r = run('kube-scheduler.yaml', sched);
  assert.equal(r[0]!.status, 'fail');
  assert.match(r[0]!.message, /kubeadm mounts \/etc\/kubernetes\/scheduler\.conf read-only/);
});

test('unknown: an unreadable manifest; not-applicable: no static pod path', () => {
  const unreadable = { ...manifest('x.yaml', 'x'), error: undefined, line: undefined, pods: [], unreadable: 'cannot read it: EACCES: permission denied' };
  assert.deepEqual(all(staticPodWritableHostPaths.evaluate(withManifests([unreadable]))).map((x) => x.status), ['unknown']);
  assert.deepEqual(all(staticPodWritableHostPaths.evaluate(withManifests([], { path: '', stat: undefined }))).map((x) => x.status), ['not-applicable']);
});

test('fail: a writable runtime socket: the fix removes it, since read-only does not protect a socket', () => {
  const text = pod('s', '  volumes:\n  - name: sock\n    hostPath:\n      path: /run/containerd/containerd.sock\n      type: Socket\n  containers:\n  - name: a\n    image: busybox\n    volumeMounts:\n    - name: sock\n      mountPath: /run/containerd/containerd.sock\n');
  const r = run('s.yaml', text)[0]!;
  assert.equal(r.status, 'fail');
  assert.match(r.message, /read-only does not protect/);
  assert.match(r.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/s\.yaml line 8: remove the hostPath volume `sock`/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodPrivileged } from './privileged.ts';
import { all, DIR, kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';

const run = (text: string) => all(staticPodPrivileged.evaluate(withManifests([manifest('x.yaml', text)])));

test('pass: kubeadm control-plane pods are not privileged', () => {
  const r = all(staticPodPrivileged.evaluate(withManifests(kubeadmControlPlane())));
  assert.equal(r.length, 4);
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
  assert.match(r[0]!.message, /its container is not privileged/);
});

test('pass: privileged: false written out', () => {
  assert.equal(run(pod('p', '  containers:\n  - name: a\n    image: busybox\n    securityContext:\n      privileged: false\n'))[0]!.status, 'pass');
});

test('fail critical: a privileged container and a privileged init container, with the line of privileged', () => {
  const r = run(pod('p', '  initContainers:\n  - name: init\n    image: busybox\n    securityContext:\n      privileged: true\n  containers:\n  - name: a\n    image: busybox\n    securityContext:\n      privileged: yes\n'));
  assert.deepEqual(r.map((x) => [x.status, x.subject]), [['fail', `${DIR}/x.yaml#p (container a)`], ['fail', `${DIR}/x.yaml#p (container init)`]]);
  assert.equal(staticPodPrivileged.meta.severity, 'critical');
  assert.equal(r[0]!.remediation?.startsWith('In /etc/kubernetes/manifests/x.yaml line 16: remove `privileged: true` from the securityContext of container a'), true, r[0]!.remediation);
  assert.match(r[1]!.message, /init container init/);
  assert.deepEqual(r[1]!.evidence?.[0], { file: `${DIR}/x.yaml`, line: 11, note: 'container init: privileged: true' });
});

test('unknown: static pods not examined, or the path cannot be known', () => {
  const f = withManifests([]);
  delete f.staticPods;
  assert.equal(all(staticPodPrivileged.evaluate(f))[0]!.status, 'unknown');
  const u = all(staticPodPrivileged.evaluate(withManifests([], { path: '', stat: undefined, unknown: 'staticPodPath cannot be known: the --config file could not be read' })));
  assert.deepEqual(u.map((x) => x.status), ['unknown']);
});

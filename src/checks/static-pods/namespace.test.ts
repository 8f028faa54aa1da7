import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodNamespace } from './namespace.ts';
import { all, DIR, kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';

const SPEC = '  containers:\n  - name: a\n    image: busybox\n';
const run = (meta: string) => all(staticPodNamespace.evaluate(withManifests([manifest('x.yaml', pod('p', SPEC, meta))])))[0]!;

test('pass: kube-system (kubeadm), default, no namespace (the kubelet uses default), kube-public, kube-node-lease', () => {
  assert.deepEqual([...new Set(all(staticPodNamespace.evaluate(withManifests(kubeadmControlPlane()))).map((x) => x.status))], ['pass']);
  const none = run('');
  assert.equal(none.status, 'pass');
  assert.match(none.message, /puts it in "default"/);
  for (const ns of ['default', 'kube-public', 'kube-node-lease']) assert.equal(run(`  namespace: ${ns}\n`).status, 'pass', ns);
});

test('unknown, never pass: any other namespace cannot be known from the node', () => {
  const r = run('  namespace: monitoring\n');
  assert.equal(r.status, 'unknown');
  assert.equal(r.subject, `${DIR}/x.yaml#p`);
  assert.match(r.message, /cannot be known from the node.*invisible to the cluster.*kubelet-guard cluster/);
  assert.deepEqual(r.evidence?.[0], { file: `${DIR}/x.yaml`, line: 5, note: 'metadata.namespace: monitoring' });
});

test('fail: a namespace that is not a DNS-1123 label (evidence from elsewhere; the kubelet refuses such a manifest)', () => {
  const m = manifest('x.yaml', pod('p', SPEC));
  m.pods[0]!.namespace = 'Kube_System';
  const r = all(staticPodNamespace.evaluate(withManifests([m])))[0]!;
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/x\.yaml line 5: set metadata\.namespace/);
  // The real decoder refuses it: the pod is not among the running ones.
  assert.match(manifest('y.yaml', pod('p', SPEC, '  namespace: Kube_System\n')).error ?? '', /not a valid namespace name/);
});

test('not-applicable: the static pod folder does not exist', () => {
  assert.equal(all(staticPodNamespace.evaluate(withManifests([], { stat: { path: DIR, exists: false } })))[0]!.status, 'not-applicable');
});

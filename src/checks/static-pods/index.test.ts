import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';
import { runChecks } from '../run.ts';
import { kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';

test('static pod checks: ids static-pod-*, section static-pods, metadata complete', () => {
  assert.deepEqual(checks.map((c) => c.meta.id), [
    'static-pod-host-mounts',
    'static-pod-privileged',
    'static-pod-capabilities',
    'static-pod-host-namespaces',
    'static-pod-writable-host-paths',
    'static-pod-namespace',
    'static-pod-manifest-perms',
    'static-pod-manifest-decodes',
  ]);
  for (const c of checks) {
    assert.equal(c.meta.section, 'static-pods');
    assert.ok(c.meta.title && c.meta.rationale && c.meta.remediation);
  }
});

test("a kubeadm control-plane node: nothing fails, nothing is unknown", () => {
  const f = runChecks(checks, withManifests(kubeadmControlPlane()));
  assert.deepEqual([...new Set(f.map((x) => x.status))], ['pass']);
});

test('every failing result has a remediation, a subject and evidence with a file and line', () => {
  const evil = pod(
    'evil',
    '  hostPID: true\n  hostNetwork: true\n  volumes:\n  - name: root\n    hostPath:\n      path: /\n  containers:\n  - name: a\n    image: busybox\n    securityContext:\n      privileged: true\n      capabilities:\n        add: [SYS_ADMIN]\n    volumeMounts:\n    - name: root\n      mountPath: /host\n',
    '  namespace: hidden\n',
  );
  const f = runChecks(checks, withManifests([manifest('evil.yaml', evil, { type: 'file', mode: 0o666, uid: 1000, gid: 1000 }), manifest('broken.yaml', 'apiVersion: v1\nkind: Pod\n')]));
  const fails = f.filter((x) => x.status === 'fail');
  assert.deepEqual([...new Set(fails.map((x) => x.check))].sort(), ['static-pod-capabilities', 'static-pod-host-mounts', 'static-pod-host-namespaces', 'static-pod-manifest-decodes', 'static-pod-manifest-perms', 'static-pod-privileged', 'static-pod-writable-host-paths']);
  for (const x of fails) {
    assert.ok(x.remediation && x.subject, x.check);
    assert.ok(x.evidence.some((e) => e.file), x.check);
    if (x.check !== 'static-pod-manifest-perms') assert.ok(x.evidence.some((e) => e.line), x.check);
  }
  assert.equal(f.find((x) => x.check === 'static-pod-namespace')?.status, 'unknown');
});

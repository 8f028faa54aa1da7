import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodManifestPerms } from './manifest-perms.ts';
import { about, all, DIR, ETCD, kubeadmControlPlane, manifest, withManifests } from './test-support.ts';

const root = { uid: 0, gid: 0 };

test('pass: kubeadm layout (folder 0700 or 0755, manifests 0600, root:root), one result per file', () => {
  const r = all(staticPodManifestPerms.evaluate(withManifests(kubeadmControlPlane(), { stat: { path: DIR, exists: true, type: 'dir', mode: 0o700, ...root } })));
  assert.equal(r.length, 5);
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
  assert.equal(r[0]!.subject, DIR);
});

test('fail: a manifest at 0644 (medium), one writable by others (high), one owned by a user (high)', () => {
  const r = staticPodManifestPerms.evaluate(withManifests([
    manifest('a.yaml', ETCD, { type: 'file', mode: 0o644, ...root }),
    manifest('b.yaml', ETCD, { type: 'file', mode: 0o666, ...root }),
    manifest('c.yaml', ETCD, { type: 'file', mode: 0o600, uid: 1000, gid: 0 }),
  ]));
  const a = about(r, `${DIR}/a.yaml`)[0]!;
  assert.equal(a.status, 'fail');
  assert.equal(a.severity, 'medium');
  assert.equal(a.remediation, `chmod 600 ${DIR}/a.yaml`);
  assert.match(a.message, /mode 0644: the group can read, others can read/);
  assert.equal(about(r, `${DIR}/b.yaml`)[0]!.severity, 'high');
  const c = about(r, `${DIR}/c.yaml`)[0]!;
  assert.equal(c.severity, 'high');
  assert.equal(c.remediation, `chown root:root ${DIR}/c.yaml`);
});

test('fail high: a folder writable by its group; files the kubelet never reads are not judged', () => {
  const dot = { ...manifest('.swp', 'x', { type: 'file', mode: 0o666, ...root }), error: undefined, line: undefined, ignored: 'its name starts with "."' };
  const r = all(staticPodManifestPerms.evaluate(withManifests([dot], { stat: { path: DIR, exists: true, type: 'dir', mode: 0o775, ...root } })));
  assert.equal(r.length, 1);
  assert.equal(r[0]!.status, 'fail');
  assert.equal(r[0]!.severity, 'high');
  assert.equal(r[0]!.remediation, `chmod 755 ${DIR}`); // only the group and others' write bits go
  assert.match(r[0]!.message, /1 entry the kubelet never reads .* is not judged/);
});

test('a symlinked manifest is judged by its target, and the fix names the target', () => {
  const m = { ...manifest('etcd.yaml', ETCD, { type: 'file', mode: 0o644, ...root }), linkTarget: '/opt/pods/etcd.yaml' };
  const r = about(staticPodManifestPerms.evaluate(withManifests([m])), `${DIR}/etcd.yaml`)[0]!;
  assert.equal(r.remediation, 'chmod 600 /opt/pods/etcd.yaml');
  assert.match(r.message, /whose folders must be protected as well/);
});

test('a single manifest file as staticPodPath: judged alone, no folder result', () => {
  const f = withManifests([manifest('pod.yaml', ETCD)], { path: `${DIR}/pod.yaml`, stat: { path: `${DIR}/pod.yaml`, exists: true, type: 'file', mode: 0o600, ...root } });
  assert.deepEqual(all(staticPodManifestPerms.evaluate(f)).map((x) => [x.subject, x.status]), [[`${DIR}/pod.yaml`, 'pass']]);
});

test('unknown: a file whose stat failed, a folder with no stat; not-applicable: no path', () => {
  const r = staticPodManifestPerms.evaluate(withManifests([manifest('a.yaml', ETCD, { exists: null, error: 'EACCES: permission denied' })], { stat: undefined }));
  assert.deepEqual(all(r).map((x) => x.status), ['unknown', 'unknown']);
  assert.equal(all(staticPodManifestPerms.evaluate(withManifests([], { path: '', stat: undefined })))[0]!.status, 'not-applicable');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodManifestDecodes } from './manifest-decodes.ts';
import { about, all, APISERVER, DIR, ETCD, kubeadmControlPlane, manifest, withManifests } from './test-support.ts';

test('pass: every kubeadm manifest decodes to its pod', () => {
  const r = all(staticPodManifestDecodes.evaluate(withManifests(kubeadmControlPlane())));
  assert.deepEqual(r.map((x) => x.status), ['pass', 'pass', 'pass', 'pass']);
  assert.match(r[0]!.message, /decodes \/etc\/kubernetes\/manifests\/etcd\.yaml as pod kube-system\/etcd/);
});

test('fail medium: a manifest the kubelet cannot decode, with file and line', () => {
  const broken = APISERVER.replace('apiVersion: v1', 'apiVersion: v2');
  const r = about(staticPodManifestDecodes.evaluate(withManifests([manifest('kube-apiserver.yaml', broken)])), `${DIR}/kube-apiserver.yaml`)[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(staticPodManifestDecodes.meta.severity, 'medium');
  assert.match(r.message, /cannot decode .*kube-apiserver\.yaml \(line 1\): apiVersion v2.*runs nothing from this file/);
  assert.deepEqual(r.evidence?.[0]?.line, 1);
  assert.match(r.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml line 1: fix the manifest \(apiVersion v2, kind Pod: /);
});

test('fail low: further YAML documents are never read', () => {
  const r = all(staticPodManifestDecodes.evaluate(withManifests([manifest('multi.yaml', `${ETCD}---\n${APISERVER}`)])))[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.match(r.message, /holds 2 YAML documents: the kubelet runs only the first \(pod kube-system\/etcd\)/);
});

test('fail: a backup that names the same pod (kube-apiserver.yaml.bak is read, .kube-apiserver.yaml is not)', () => {
  const dot = { ...manifest('.kube-apiserver.yaml', APISERVER), pods: [], ignored: 'its name starts with "." (the kubelet lists the folder with the pattern [^.]*)' };
  const r = all(staticPodManifestDecodes.evaluate(withManifests([dot, manifest('kube-apiserver.yaml', APISERVER), manifest('kube-apiserver.yaml.bak', APISERVER)])));
  assert.deepEqual(r.map((x) => [x.status, x.subject]), [
    ['not-applicable', `${DIR}/.kube-apiserver.yaml`],
    ['pass', `${DIR}/kube-apiserver.yaml`],
    ['pass', `${DIR}/kube-apiserver.yaml.bak`],
    ['fail', `${DIR}#kube-system/kube-apiserver`],
  ]);
  assert.match(r[3]!.message, /both define pod kube-system\/kube-apiserver: the kubelet runs only one of them/);
  assert.match(r[3]!.remediation ?? '', /out of \/etc\/kubernetes\/manifests/);
});

test('unknown: a manifest the audit could not read; not-applicable: an empty folder', () => {
  const unreadable = { ...manifest('x.yaml', 'x'), error: undefined, line: undefined, pods: [], unreadable: "cannot read it: it is larger than the audit's 4194304-byte read limit" };
  assert.deepEqual(all(staticPodManifestDecodes.evaluate(withManifests([unreadable]))).map((x) => x.status), ['unknown']);
  const empty = all(staticPodManifestDecodes.evaluate(withManifests([])));
  assert.deepEqual(empty.map((x) => x.status), ['not-applicable']);
  assert.match(empty[0]!.message, /is empty/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticPodHostMounts } from './host-mounts.ts';
import { about, all, APISERVER, DIR, ETCD, kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import type { HostPathMount } from '../../facts/types.ts';

/** A pod mounting one host path into container `app`. */
function mounting(hostPath: string, opts: { readOnly?: boolean; name?: string; meta?: string } = {}): string {
  const ro = opts.readOnly ? '      readOnly: true\n' : '';
  return pod(
    opts.name ?? 'agent',
    `  volumes:\n  - name: host\n    hostPath:\n      path: ${hostPath}\n  containers:\n  - name: app\n    image: busybox\n    volumeMounts:\n    - name: host\n      mountPath: /host\n${ro}`,
    opts.meta,
  );
}

const run = (texts: Record<string, string>) => all(staticPodHostMounts.evaluate(withManifests(Object.entries(texts).map(([n, t]) => manifest(n, t)))));

test("pass: kubeadm's control-plane pods, their expected mounts with a note", () => {
  const r = all(staticPodHostMounts.evaluate(withManifests(kubeadmControlPlane())));
  assert.deepEqual([...new Set(r.map((x) => x.status))], ['pass']);
  const etcdData = r.find((x) => x.subject === `${DIR}/etcd.yaml#etcd (volume etcd-data)`)!;
  assert.match(etcdData.message, /kubeadm writes this mount for etcd \(kubeadm cmd\/kubeadm\/app\/phases\/etcd\/local\.go: etcd-data, read-write\)/);
  assert.match(r.find((x) => x.subject === `${DIR}/kube-apiserver.yaml#kube-apiserver (volume k8s-certs)`)!.message, /volumes\.go: k8s-certs, read-only/);
});

test('pass: a pod with harmless host paths, one result for the pod', () => {
  const r = run({ 'logs.yaml': mounting('/var/log') });
  assert.deepEqual(r.map((x) => [x.status, x.subject]), [['pass', `${DIR}/logs.yaml#agent`]]);
  assert.match(r[0]!.message, /\/var\/log/);
});

test('fail critical: the docker socket mounted read-only, with the exact fix', () => {
  const r = run({ 'x.yaml': mounting('/var/run/docker.sock', { readOnly: true }) });
  assert.equal(r.length, 1);
  const f = r[0]!;
  assert.equal(f.status, 'fail');
  assert.equal(f.severity, 'critical');
  assert.equal(f.subject, `${DIR}/x.yaml#agent (volume host)`);
  assert.match(f.message, /the container runtime socket/);
  assert.match(f.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/x\.yaml line 8: remove the hostPath volume `host` \(\/var\/run\/docker\.sock\) and its volumeMount \(container app line 15\); mounting it read-only does not help/);
  assert.deepEqual(f.evidence?.map((e) => [e.file, e.line]), [[`${DIR}/x.yaml`, 8], [`${DIR}/x.yaml`, 15]]);
});

test('fail critical: every folder above a runtime socket, however the path is written', () => {
  for (const p of ['/', '/run', '/run/', '/var/run', '/var/run/', '/var', '//var//run', '/run/containerd', '/var/run/crio', '/run/k3s/containerd', '/var/run/containerd/', '/run/docker.sock']) {
    const r = run({ 'x.yaml': mounting(p, { readOnly: true }) });
    assert.equal(r[0]!.status, 'fail', p);
    assert.equal(r[0]!.severity, 'critical', p);
    assert.match(r[0]!.message, /runtime socket/, p);
  }
});

test('fail critical: ".." is folded (evidence from elsewhere), and a symlink on the node is followed', () => {
  const m = manifest('x.yaml', mounting('/var/log'));
  const hp = m.pods[0]!.hostPaths[0] as HostPathMount;
  hp.path = '/var/lib/../run/';
  assert.equal(all(staticPodHostMounts.evaluate(withManifests([m])))[0]!.severity, 'critical');
  hp.path = '/host-root';
  hp.realPath = '/';
  const r = all(staticPodHostMounts.evaluate(withManifests([m])))[0]!;
  assert.equal(r.severity, 'critical');
  assert.match(r.message, /\/host-root \(on the node \/\)/);
});

test("fail critical: the kubelet's own containerRuntimeEndpoint socket and its folder", () => {
  const f = factsFrom({
    config: `${KUBEADM_CONFIG}containerRuntimeEndpoint: unix:///opt/rt/rt.sock\n`,
    patch: (x) => {
      x.staticPods = { path: DIR, stat: { path: DIR, exists: true, type: 'dir', mode: 0o755, uid: 0, gid: 0 }, manifests: [manifest('x.yaml', mounting('/opt/rt', { readOnly: true }))], url: '' };
    },
  });
  const r = all(staticPodHostMounts.evaluate(f))[0]!;
  assert.equal(r.severity, 'critical');
  assert.match(r.message, /containerRuntimeEndpoint/);
});

test('fail: the static pod folder writable is critical, read-only is high', () => {
  assert.equal(run({ 'x.yaml': mounting(DIR) })[0]!.severity, 'critical');
  const ro = run({ 'x.yaml': mounting(`${DIR}/`, { readOnly: true }) })[0]!;
  assert.equal(ro.status, 'fail');
  assert.equal(ro.severity, 'high');
});

test('fail high: credentials under /etc/kubernetes, /var/lib/kubelet, /var/lib/etcd, and folders above them', () => {
  for (const p of ['/etc/kubernetes', '/etc/kubernetes/pki', '/etc', '/var/lib/kubelet/pki', '/var/lib', '/var/lib/etcd/member']) {
    const r = run({ 'x.yaml': mounting(p, { readOnly: true }) })[0]!;
    assert.equal(r.status, 'fail', p);
    assert.equal(r.severity, 'high', p);
    assert.match(r.remediation ?? '', /or mount only the one file the pod needs, read-only/, p);
  }
});

test('fail low: a sensitive hostPath volume no container mounts', () => {
  const text = pod('idle', '  volumes:\n  - name: sock\n    hostPath:\n      path: /run/containerd/containerd.sock\n  containers:\n  - name: app\n    image: busybox\n');
  const r = run({ 'x.yaml': text })[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.match(r.message, /no container mounts it now/);
});

test('fail: kubeadm pods keep their expected mounts, but any other sensitive mount fails', () => {
  const etcd = ETCD.replace('  volumes:\n', '  volumes:\n  - hostPath:\n      path: /var/run/docker.sock\n    name: docker\n').replace('    volumeMounts:\n', '    volumeMounts:\n    - mountPath: /var/run/docker.sock\n      name: docker\n');
  const r = run({ 'etcd.yaml': etcd });
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [
    [`${DIR}/etcd.yaml#etcd (volume docker)`, 'fail'],
    [`${DIR}/etcd.yaml#etcd (volume etcd-certs)`, 'pass'],
    [`${DIR}/etcd.yaml#etcd (volume etcd-data)`, 'pass'],
  ]);
});

test('fail: kube-apiserver mounting its certificates writable, where kubeadm mounts them read-only: the fix is readOnly', () => {
  const api = APISERVER.replace('    - mountPath: /etc/kubernetes/pki\n      name: k8s-certs\n      readOnly: true\n', '    - mountPath: /etc/kubernetes/pki\n      name: k8s-certs\n');
  const r = about(run({ 'kube-apiserver.yaml': api }), `${DIR}/kube-apiserver.yaml#kube-apiserver (volume k8s-certs)`)[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.match(r.message, /kubeadm mounts \/etc\/kubernetes\/pki read-only/);
  assert.match(r.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml line 85: add `readOnly: true` to the volumeMount of `k8s-certs` in container kube-apiserver/);
});

test('fail: the component label alone does not make a kubeadm pod (the command must run the component)', () => {
  const fake = APISERVER.replace('    - kube-apiserver\n', '    - sh\n');
  const r = about(run({ 'kube-apiserver.yaml': fake }), `${DIR}/kube-apiserver.yaml#kube-apiserver (volume k8s-certs)`)[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
});

test('unknown: no static pod facts, an unknown path, an unreadable manifest, pods from staticPodURL', () => {
  assert.equal(all(staticPodHostMounts.evaluate(factsFrom({ config: KUBEADM_CONFIG })))[0]!.status, 'unknown');
  const u = all(staticPodHostMounts.evaluate(withManifests([], { unknown: 'cannot list staticPodPath /etc/kubernetes/manifests: EACCES: permission denied' })));
  assert.deepEqual(u.map((x) => x.status), ['unknown']);
  assert.match(u[0]!.message, /EACCES/);
  const unreadable = { ...manifest('x.yaml', 'ignored'), error: undefined, line: undefined, pods: [], unreadable: 'cannot read it: EACCES: permission denied' };
  const r = all(staticPodHostMounts.evaluate(withManifests([manifest('ok.yaml', mounting('/var/log')), unreadable])));
  assert.deepEqual(r.map((x) => [x.status, x.subject]), [['pass', `${DIR}/ok.yaml#agent`], ['unknown', `${DIR}/x.yaml`]]);
  const url = all(staticPodHostMounts.evaluate(withManifests([manifest('ok.yaml', mounting('/var/log'))], { url: 'https://10.0.0.1/pods' })));
  assert.deepEqual(url.map((x) => x.status), ['pass', 'unknown']);
  assert.match(url[1]!.message, /staticPodURL/);
});

test('not-applicable: no staticPodPath, a folder that does not exist, a folder with no pod', () => {
  const none = all(staticPodHostMounts.evaluate(withManifests([], { path: '', stat: undefined })));
  assert.deepEqual(none.map((x) => x.status), ['not-applicable']);
  assert.match(none[0]!.message, /no staticPodPath/);
  const missing = all(staticPodHostMounts.evaluate(withManifests([], { stat: { path: DIR, exists: false } })));
  assert.equal(missing[0]!.status, 'not-applicable');
  assert.match(missing[0]!.message, /does not exist/);
  const broken = all(staticPodHostMounts.evaluate(withManifests([manifest('x.yaml', 'kind: Pod\n')])));
  assert.equal(broken[0]!.status, 'not-applicable');
  assert.match(broken[0]!.message, /static-pod-manifest-decodes/);
});

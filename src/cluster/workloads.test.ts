import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bypassCandidate, bypassPods, hiddenStaticPods, mirrorPodsByNode, nodePathsFrom, podSecurityGaps, podSecurityLabelErrors, type NodePaths } from './workloads.ts';

function pod(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): object {
  return { metadata: { name, namespace: 'default', ...meta }, spec: { nodeName: 'n1', ...spec } };
}

function mounting(path: string, readOnly = false): object {
  return pod('p', {
    volumes: [{ name: 'v', hostPath: { path } }],
    containers: [{ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/x', readOnly }] }],
  });
}

function mirror(name: string, node: string, hash: string, ns = 'kube-system'): object {
  return {
    metadata: {
      name,
      namespace: ns,
      uid: `api-${hash}`,
      annotations: { 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.source': 'file' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, controller: true }],
    },
    spec: { nodeName: node, containers: [{ name: 'c' }] },
  };
}

function kubeletStatic(name: string, ns: string, hash: string, spec: Record<string, unknown> = {}): object {
  return {
    metadata: { name, namespace: ns, uid: hash, annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': hash } },
    spec: { nodeName: 'n1', containers: [{ name: 'c' }], ...spec },
  };
}

describe('bypassPods: host paths', () => {
  it('docker.sock is a runtime socket, critical', () => {
    const [f, ...rest] = bypassPods([mounting('/var/run/docker.sock')]);
    assert.equal(rest.length, 0);
    assert.equal(f?.kind, 'runtime-socket');
    assert.equal(f?.severity, 'critical');
    assert.equal(f?.node, 'n1');
    assert.match(f!.detail, /docker\.sock/);
  });

  it('/var/run is a parent of the sockets', () => {
    const [f] = bypassPods([mounting('/var/run')]);
    assert.equal(f?.kind, 'socket-parent');
    assert.equal(f?.severity, 'critical');
  });

  it('/ is a parent of everything: one finding, the worst kind, all hits in the detail', () => {
    const fs = bypassPods([mounting('/')]);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]?.kind, 'socket-parent');
    assert.match(fs[0]!.detail, /\/var\/lib\/etcd/);
    assert.match(fs[0]!.detail, /static pod folder/);
  });

  it('/run/containerd/containerd.sock written with a trailing slash or ".." is still the socket', () => {
    for (const p of ['/run/containerd/containerd.sock/', '/run/containerd/../containerd/containerd.sock', '//run//containerd/containerd.sock']) {
      const [f] = bypassPods([mounting(p)]);
      assert.equal(f?.kind, 'runtime-socket', p);
      assert.equal(f?.severity, 'critical', p);
    }
  });

  it('a read-only mount of a socket is still critical', () => {
    const [f] = bypassPods([mounting('/run/containerd/containerd.sock', true)]);
    assert.equal(f?.severity, 'critical');
    assert.match(f!.detail, /read-only/);
  });

  it('static pod folder: writable critical, read-only high; a custom staticPodPath is honoured', () => {
    assert.equal(bypassPods([mounting('/etc/kubernetes/manifests')])[0]?.kind, 'static-pod-folder');
    assert.equal(bypassPods([mounting('/etc/kubernetes/manifests')])[0]?.severity, 'critical');
    assert.equal(bypassPods([mounting('/etc/kubernetes/manifests', true)])[0]?.severity, 'high');
    assert.equal(bypassPods([mounting('/srv/pods')]).length, 0);
    assert.equal(bypassPods([mounting('/srv/pods')], { staticPodPath: '/srv/pods' })[0]?.kind, 'static-pod-folder');
  });

  it('credential folders: kubelet, etcd, kubernetes; inside is medium', () => {
    assert.equal(bypassPods([mounting('/var/lib/kubelet')])[0]?.kind, 'kubelet-dir');
    assert.equal(bypassPods([mounting('/var/lib/etcd')])[0]?.kind, 'etcd-dir');
    assert.equal(bypassPods([mounting('/etc/kubernetes/pki')])[0]?.kind, 'kubernetes-dir');
    assert.equal(bypassPods([mounting('/etc/kubernetes/pki')])[0]?.severity, 'medium');
    assert.equal(bypassPods([mounting('/var/lib/etcd')])[0]?.severity, 'high');
  });

  it('harmless host paths are not reported', () => {
    assert.deepEqual(bypassPods([mounting('/var/log'), mounting('/run/udev'), mounting('/opt/cni/bin')]), []);
  });

  it('a socket volume no container mounts is lowered, not dropped', () => {
    const [f] = bypassPods([pod('p', { volumes: [{ name: 'v', hostPath: { path: '/var/run/docker.sock' } }], containers: [{ name: 'c' }] })]);
    assert.equal(f?.severity, 'high');
    assert.match(f!.detail, /ephemeral/);
  });

  it('owner is reported as kind/name', () => {
    const p = pod('ds-x', { volumes: [{ name: 'v', hostPath: { path: '/var/run/docker.sock' } }] }, { ownerReferences: [{ kind: 'DaemonSet', name: 'agent', controller: true }] });
    assert.equal(bypassPods([p])[0]?.owner, 'DaemonSet/agent');
  });
});

describe("bypassPods: the node's own paths (configz)", () => {
  const n1: NodePaths = { node: 'n1', containerRuntimeEndpoint: 'unix:///data/rt/crio.sock', staticPodPath: '/srv/static', tlsPrivateKeyFile: '/secure/kubelet/kubelet.key' };
  const judge = (path: string, node: NodePaths | null = n1, readOnly = false) => bypassPods([mounting(path, readOnly)], node ? { node } : {});
  it("its containerRuntimeEndpoint and that socket's folder are critical; the defaults say nothing of them", () => {
    assert.equal(judge('/data/rt/crio.sock')[0]?.kind, 'runtime-socket');
    assert.equal(judge('/data/rt')[0]?.kind, 'socket-parent');
    assert.equal(judge('/data/rt')[0]?.severity, 'critical');
    assert.match(judge('/data/rt')[0]?.detail ?? '', /n1's containerRuntimeEndpoint.*judged with the paths n1's kubelet reports in its configz/);
    assert.deepEqual(judge('/data/rt', null), []);
  });
  it('its staticPodPath is the static pod folder; kubeadm\'s /etc/kubernetes/manifests is then only a path inside /etc/kubernetes', () => {
    assert.equal(judge('/srv/static')[0]?.kind, 'static-pod-folder');
    assert.equal(judge('/srv/static', n1, true)[0]?.severity, 'high');
    assert.equal(judge('/etc/kubernetes/manifests')[0]?.kind, 'kubernetes-dir');
    assert.equal(judge('/etc/kubernetes/manifests')[0]?.severity, 'medium');
    // staticPodPath "" (no static pods): no static pod folder at all
    assert.equal(judge('/etc/kubernetes/manifests', { node: 'n1', staticPodPath: '' })[0]?.kind, 'kubernetes-dir');
  });
  it("a well-known socket of another runtime is high, not critical, and says it is not this node's runtime", () => {
    const f = judge('/var/run/docker.sock')[0];
    assert.equal(f?.severity, 'high');
    assert.match(f?.detail ?? '', /not this node's configured runtime socket/);
    // /run is above the node's own socket as well when that is under /run: critical
    assert.equal(judge('/run', { node: 'n1', containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock' })[0]?.severity, 'critical');
  });
  it('the folder of its serving key is a credential folder; imageServiceEndpoint is a socket too; an absent endpoint is the containerd default', () => {
    assert.equal(judge('/secure/kubelet')[0]?.kind, 'kubelet-dir');
    assert.equal(judge('/img/img.sock', { node: 'n1', imageServiceEndpoint: 'unix:///img/img.sock' })[0]?.kind, 'runtime-socket');
    assert.equal(judge('/run/containerd/containerd.sock', { node: 'n1' })[0]?.severity, 'critical');
  });
  it('nodePathsFrom keeps string settings only', () => {
    const v: Record<string, unknown> = { containerRuntimeEndpoint: 'unix:///x.sock', staticPodPath: '', tlsCertFile: 7 };
    assert.deepEqual(nodePathsFrom('n', (k) => v[k]), { node: 'n', containerRuntimeEndpoint: 'unix:///x.sock', staticPodPath: '' });
  });
  it('bypassCandidate keeps what bypassPods reads: the same findings, and nothing for a pod without host paths or privilege', () => {
    const pods = [
      mounting('/var/run/docker.sock'),
      pod('priv', { hostPID: true, containers: [{ name: 'c', securityContext: { privileged: true }, env: [{ name: 'SECRET', value: 's3cret' }] }] }, { ownerReferences: [{ kind: 'DaemonSet', name: 'ds', controller: true }] }),
      pod('plain', { containers: [{ name: 'c' }], volumes: [{ name: 'e', emptyDir: {} }] }),
    ];
    const cands = pods.map(bypassCandidate);
    assert.equal(cands[2], undefined);
    assert.deepEqual(bypassPods(cands.filter((c) => c !== undefined)), bypassPods(pods));
    assert.doesNotMatch(JSON.stringify(cands), /s3cret/);
  });
});

describe('bypassPods: privileged with host namespaces', () => {
  it('privileged + hostPID is critical', () => {
    const [f] = bypassPods([pod('p', { hostPID: true, containers: [{ name: 'c', securityContext: { privileged: true } }] })]);
    assert.equal(f?.kind, 'privileged-host-namespaces');
    assert.equal(f?.severity, 'critical');
    assert.match(f!.detail, /hostPID/);
  });

  it('privileged init container + hostNetwork is high; hostPID without privileged is not reported', () => {
    const [f] = bypassPods([pod('p', { hostNetwork: true, initContainers: [{ name: 'i', securityContext: { privileged: true } }], containers: [{ name: 'c' }] })]);
    assert.equal(f?.severity, 'high');
    assert.deepEqual(bypassPods([pod('p', { hostPID: true, containers: [{ name: 'c' }] })]), []);
    assert.deepEqual(bypassPods([pod('p', { containers: [{ name: 'c', securityContext: { privileged: true } }] })]), []);
  });
});

describe('mirror pods', () => {
  it('bypassPods tags mirror pods', () => {
    const m = mirror('etcd-n1', 'n1', 'h1') as { spec: Record<string, unknown> };
    m.spec.volumes = [{ name: 'd', hostPath: { path: '/var/lib/etcd' } }];
    m.spec.containers = [{ name: 'etcd', volumeMounts: [{ name: 'd', mountPath: '/var/lib/etcd' }] }];
    const [f] = bypassPods([m]);
    assert.equal(f?.mirror, true);
    assert.equal(f?.owner, 'Node/n1');
    assert.equal(bypassPods([mounting('/var/lib/etcd')])[0]?.mirror, undefined);
  });

  it('mirrorPodsByNode groups by node and skips ordinary pods', () => {
    const byNode = mirrorPodsByNode([mirror('etcd-n1', 'n1', 'h1'), mirror('kube-apiserver-n1', 'n1', 'h2'), mirror('etcd-n2', 'n2', 'h3'), pod('web', {})]);
    assert.deepEqual([...byNode.keys()].sort(), ['n1', 'n2']);
    assert.equal(byNode.get('n1')?.length, 2);
    assert.deepEqual(byNode.get('n2')?.[0], { namespace: 'kube-system', pod: 'etcd-n2', uid: 'api-h3', hash: 'h3', ownedByNode: true });
  });

  it('a mirror without a Node owner is kept, marked', () => {
    const old = { metadata: { name: 'x-n1', namespace: 'kube-system', annotations: { 'kubernetes.io/config.mirror': 'h' } }, spec: { nodeName: 'n1' } };
    assert.equal(mirrorPodsByNode([old]).get('n1')?.[0]?.ownedByNode, false);
  });
});

describe('hiddenStaticPods', () => {
  it('a static pod in namespace kube-systen has no mirror: hidden, namespace named as a look-alike', () => {
    const kubelet = [kubeletStatic('etcd-n1', 'kube-system', 'h1'), kubeletStatic('backdoor-n1', 'kube-systen', 'h9')];
    const api = [mirror('etcd-n1', 'n1', 'h1')];
    const hidden = hiddenStaticPods(kubelet, api, 'n1', { namespaces: ['default', 'kube-system'] });
    assert.equal(hidden.length, 1);
    assert.equal(hidden[0]?.pod, 'backdoor-n1');
    assert.equal(hidden[0]?.namespace, 'kube-systen');
    assert.match(hidden[0]!.reasons[0]!, /does not exist.*kube-system/);
    assert.equal(hidden[0]?.severity, 'high');
  });

  it('without a namespace list the namespace is a guess', () => {
    const [h] = hiddenStaticPods([kubeletStatic('x-n1', 'kube-systen', 'h9')], [], 'n1');
    assert.match(h!.reasons[0]!, /may not exist/);
  });

  it('a static pod whose mirror exists is not hidden (by name, or by hash when renamed)', () => {
    assert.deepEqual(hiddenStaticPods([kubeletStatic('etcd-n1', 'kube-system', 'h1')], [mirror('etcd-n1', 'n1', 'h1')], 'n1'), []);
    assert.deepEqual(hiddenStaticPods([kubeletStatic('etcd-n1', 'kube-system', 'h1')], [mirror('other', 'n1', 'h1')], 'n1'), []);
  });

  it('an ordinary API pod with the same name does not count as the mirror', () => {
    const decoy = { metadata: { name: 'etcd-n1', namespace: 'kube-system' }, spec: { nodeName: 'n1' } };
    assert.equal(hiddenStaticPods([kubeletStatic('etcd-n1', 'kube-system', 'h1')], [decoy], 'n1').length, 1);
  });

  it('NodeRestriction: references to Secrets, ConfigMaps, a ServiceAccount are named', () => {
    const spec = {
      serviceAccountName: 'admin',
      volumes: [{ name: 's', secret: { secretName: 'tok' } }],
      containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }] }],
    };
    const [h] = hiddenStaticPods([kubeletStatic('x-n1', 'kube-system', 'h5', spec)], [], 'n1', { namespaces: ['kube-system'] });
    assert.equal(h?.reasons.length, 1);
    assert.match(h!.reasons[0]!, /ServiceAccount admin, Secret tok, ConfigMap cfg: NodeRestriction/);
  });

  it('a hidden static pod that mounts the socket is critical and carries the bypass', () => {
    const spec = { volumes: [{ name: 'v', hostPath: { path: '/run/containerd/containerd.sock' } }], containers: [{ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/s' }] }] };
    const [h] = hiddenStaticPods([kubeletStatic('x-n1', 'kube-systen', 'h7', spec)], [], 'n1');
    assert.equal(h?.severity, 'critical');
    assert.equal(h?.bypass[0]?.kind, 'runtime-socket');
  });

  it('API pods in the kubelet list and pods with only a hash (no source) are classified', () => {
    const apiSourced = { metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/config.source': 'api' } }, spec: {} };
    const hashOnly = { metadata: { name: 'h-n1', namespace: 'default', annotations: { 'kubernetes.io/config.hash': 'hh' } }, spec: {} };
    const hidden = hiddenStaticPods([apiSourced, hashOnly], [], 'n1', { namespaces: ['default'] });
    assert.deepEqual(hidden.map((h) => h.pod), ['h-n1']);
    assert.match(hidden[0]!.reasons[0]!, /no cause visible/);
  });
});

describe('podSecurityGaps', () => {
  const ns = (name: string, enforce?: unknown) => ({ metadata: { name, labels: enforce === undefined ? {} : { 'pod-security.kubernetes.io/enforce': enforce } } });

  it('privileged and absent are gaps; baseline, restricted and a typo (enforced as restricted) are not', () => {
    const gaps = podSecurityGaps([ns('a', 'privileged'), ns('b', 'baseline'), ns('c', 'restricted'), ns('d'), ns('e', 'basline')]);
    assert.deepEqual(
      gaps.map((g) => [g.namespace, g.level, g.basis, g.severity]),
      [
        ['a', 'privileged', 'label', 'high'],
        ['d', 'privileged', 'default', 'high'],
      ],
    );
    assert.match(gaps[1]!.detail, /unless the API server's admission configuration sets a default/);
  });

  it('podSecurityLabelErrors: an invalid enforce level is reported as what it is (enforced restricted), audit/warn fail open, versions fall back to latest', () => {
    const errs = podSecurityLabelErrors([
      ns('e', 'basline'),
      { metadata: { name: 'f', labels: { 'pod-security.kubernetes.io/warn': 'Baseline', 'pod-security.kubernetes.io/audit-version': '1.30', 'pod-security.kubernetes.io/enforce-version': 'v1.30' } } },
      ns('ok', 'restricted'),
      ns('none'),
    ]);
    assert.deepEqual(errs.map((e) => [e.namespace, e.label, e.value, e.evaluatedAs, e.severity]), [
      ['e', 'pod-security.kubernetes.io/enforce', 'basline', 'restricted', 'low'],
      ['f', 'pod-security.kubernetes.io/audit-version', '1.30', 'latest', 'low'],
      ['f', 'pod-security.kubernetes.io/warn', 'Baseline', 'privileged', 'medium'],
    ]);
    assert.match(errs[0]!.detail, /enforces restricted there/);
    assert.equal(podSecurityLabelErrors([ns('x', 'x'.repeat(5000))])[0]?.value.length, 100);
  });

  it('a non-string label value is treated as absent', () => {
    assert.equal(podSecurityGaps([ns('x', 42)])[0]?.basis, 'default');
  });
});

describe('hostile shapes', () => {
  it('missing spec, null volumes, nulls and junk entries do not throw', () => {
    const junk: unknown[] = [null, 1, 'x', [], {}, { metadata: null }, { spec: null }, { spec: { volumes: null, containers: null } }, { spec: { volumes: [null, { name: 'v', hostPath: null }, { hostPath: { path: '/' } }] } }];
    assert.deepEqual(bypassPods(junk), []);
    assert.equal(mirrorPodsByNode(junk).size, 0);
    assert.deepEqual(hiddenStaticPods(junk, junk, 'n1'), []);
    assert.deepEqual(podSecurityGaps(junk), []);
    assert.deepEqual(bypassPods(null as unknown as object[]), []);
    assert.deepEqual(hiddenStaticPods(null as unknown as object[], null as unknown as object[], 'n1'), []);
  });

  it('huge lists are read whole (no silent cut), in linear time', () => {
    const many = Array.from({ length: 105_000 }, () => mounting('/var/run/docker.sock'));
    const t = Date.now();
    assert.equal(bypassPods(many).length, 105_000);
    // the dangerous volume after 1,000 harmless ones (a bound used to stop reading there)
    const harmless = Array.from({ length: 1_000 }, (_, i) => ({ name: `v${i}`, hostPath: { path: `/srv/data-${i}` } }));
    const late = pod('late', { volumes: [...harmless, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }], containers: [{ name: 'c', volumeMounts: [{ name: 'sock', mountPath: '/s' }] }] });
    assert.deepEqual(bypassPods([late]).map((f) => f.kind), ['runtime-socket']);
    // 50,000 volumes and 50,000 containers, each mounting one: linear, not volumes × containers
    const volumes = Array.from({ length: 50_000 }, (_, i) => ({ name: `v${i}`, hostPath: { path: '/var/lib/etcd' } }));
    const containers = Array.from({ length: 50_000 }, (_, i) => ({ name: `c${i}`, volumeMounts: [{ name: `v${i}`, mountPath: '/e' }] }));
    assert.equal(bypassPods([pod('p', { volumes, containers })]).length, 50_000);
    const ns = Array.from({ length: 150_000 }, (_, i) => ({ metadata: { name: `ns-${i}` } }));
    assert.equal(podSecurityGaps(ns).length, 150_000);
    assert.ok(Date.now() - t < 20_000);
  });
});

describe('hidden static pods against many namespaces', () => {
  it('thousands of hidden pods in distinct namespaces, 100,000 namespaces: linear, not pods × namespaces × names', () => {
    const P = 'a'.repeat(55); // long shared prefixes: the look-alike search's worst case
    const known = Array.from({ length: 100_000 }, (_, i) => `${P}k${String(i).padStart(7, '0')}`);
    const kubelet = Array.from({ length: 5_000 }, (_, i) => pod(`p-${i}-n1`, {}, { namespace: `${P}zzz${String(i).padStart(5, '0')}`, annotations: { 'kubernetes.io/config.source': 'file' } }));
    const t = Date.now();
    const hidden = hiddenStaticPods(kubelet, [], 'n1', { namespaces: known });
    assert.equal(hidden.length, 5_000, 'every hidden pod is reported');
    assert.ok(hidden.every((h) => /does not exist/.test(h.reasons[0] ?? '')));
    assert.ok(Date.now() - t < 10_000, `${Date.now() - t} ms`);
    const near = hiddenStaticPods([pod('x-n1', {}, { namespace: 'kube-systen', annotations: { 'kubernetes.io/config.source': 'file' } })], [], 'n1', { namespaces: new Set(['default', 'kube-system']) });
    assert.match(near[0]?.reasons[0] ?? '', /looks like kube-system/);
  });
});

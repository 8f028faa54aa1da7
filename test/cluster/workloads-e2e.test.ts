// Per-node bypass paths end to end: the API-server simulator (loopback, TLS) serves two nodes whose
// kubelets report different containerRuntimeEndpoint and staticPodPath in their configz, and a third
// whose configz is forbidden; the same host paths are judged against the node each pod runs on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';
import { runCli } from '../run-cli.ts';

const name = (i: number) => `node-${String(i).padStart(5, '0')}`;
const hostPod = (pod: string, node: string | undefined, path: string, readOnly = false) => ({
  metadata: { name: pod, namespace: 'default', uid: `u-${pod}` },
  spec: {
    ...(node ? { nodeName: node } : {}),
    containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'h', mountPath: '/h', readOnly }] }],
    volumes: [{ name: 'h', hostPath: { path } }],
  },
});

let sim: ApiServerSim;
before(async () => {
  sim = await startApiServerSim({
    nodes: 3, podsPerNode: 1, bindings: 0, namespaces: 2, kubeletVersion: 'v1.31.4',
    configz: (i) => (i === 2 ? 'forbidden' : 'ok'),
    configzFields: (i) => (i === 0 ? { containerRuntimeEndpoint: 'unix:///custom/run/rt.sock', staticPodPath: '/opt/static' } : {}),
    extra: {
      '/api/v1/pods': [
        hostPod('a-rt-folder', name(0), '/custom/run'),
        hostPod('b-rt-folder', name(1), '/custom/run'),
        hostPod('c-static', name(0), '/opt/static'),
        hostPod('d-static', name(1), '/opt/static'),
        hostPod('e-manifests', name(1), '/etc/kubernetes/manifests'),
        hostPod('f-manifests', name(0), '/etc/kubernetes/manifests'),
        hostPod('g-unscheduled', undefined, '/var/run/docker.sock'),
        hostPod('h-containerd', name(0), '/run/containerd/containerd.sock'),
        hostPod('i-forbidden', name(2), '/etc/kubernetes/manifests'),
      ],
    },
  });
});
after(async () => {
  await sim?.close();
});

interface F { check: string; status: string; severity: string; subject?: string; message: string }

test("each pod is judged against its own node's configz paths; unscheduled or unreadable: the defaults, said so", async () => {
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--timeout', '2000');
  const rep = JSON.parse(r.out) as { findings: F[] };
  const of = (pod: string) => rep.findings.filter((f) => f.check === 'workload-bypass' && f.subject === `default/${pod}`);
  const one = (pod: string) => {
    const fs = of(pod);
    assert.equal(fs.length, 1, `${pod}: ${JSON.stringify(fs)}`);
    return fs[0]!;
  };
  // node-00000's runtime socket is /custom/run/rt.sock: its folder is a bypass there, and nowhere else
  assert.match(one('a-rt-folder').message, /socket-parent: .*\/custom\/run\/rt\.sock \(node-00000's containerRuntimeEndpoint\).*judged with the paths node-00000's kubelet reports in its configz/);
  assert.equal(one('a-rt-folder').severity, 'critical');
  assert.deepEqual(of('b-rt-folder'), []);
  // node-00000's static pod folder is /opt/static; node-00001's the default
  assert.match(one('c-static').message, /static-pod-folder: .*the static pod folder of node-00000 \(its staticPodPath\)/);
  assert.equal(one('c-static').severity, 'critical');
  assert.deepEqual(of('d-static'), []);
  assert.match(one('e-manifests').message, /static-pod-folder: /);
  // on node-00000 /etc/kubernetes/manifests is no static pod folder, only a path inside /etc/kubernetes
  assert.match(one('f-manifests').message, /kubernetes-dir: .*a path inside \/etc\/kubernetes/);
  assert.equal(one('f-manifests').severity, 'medium');
  // another runtime's well-known socket on a node configured for its own: high, and said so
  assert.equal(one('h-containerd').severity, 'high');
  assert.match(one('h-containerd').message, /not this node's configured runtime socket/);
  // unscheduled, and on a node whose configz is forbidden: the default paths, with the reason
  assert.match(one('g-unscheduled').message, /runtime-socket: .*judged with the default paths .*: the pod is not scheduled to a node yet/);
  assert.equal(one('g-unscheduled').severity, 'critical');
  assert.match(one('i-forbidden').message, /static-pod-folder: .*judged with the default paths .*the configuration of node-00002 could not be read \(forbidden/);
});

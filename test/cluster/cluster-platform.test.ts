// `kubelet-guard cluster` names each node's platform from its Node object, in the JSON report and
// the table; a node no distribution's marks match has no platform; hostile values stay inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServerSim } from './apiserver-sim.ts';
import { runCli, runCliOn } from '../run-cli.ts';

const esc = '\u001b[2J\u001b]8;;http://evil\u0007';
const PLATFORMS: Record<number, { labels?: Record<string, string>; providerID?: string; kubeletVersion?: string; osImage?: string }> = {
  0: { kubeletVersion: 'v1.31.4+k3s1', providerID: 'k3s://node-00000' },
  1: { osImage: 'Talos (v1.7.5)' },
  2: { providerID: 'kind://docker/kind/node-00002' },
  3: { providerID: 'aws:///us-west-2a/i-0123456789abcdef0' }, // any Kubernetes on EC2: unnamed
  4: { osImage: `Talos (v1.7.5)${esc}`, labels: { [`x${esc}`]: esc } }, // hostile: unnamed
};

test('cluster: each node\'s platform in the JSON report and the table', async () => {
  const sim = await startApiServerSim({ nodes: 5, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok', nodePlatform: (i) => PLATFORMS[i] });
  try {
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', '--no-progress');
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as { nodes: Array<{ name: string; version?: string; platform?: { name: string; title: string; evidence: string[] } }> };
    const p = (i: number) => rep.nodes.find((n) => n.name === `node-${String(i).padStart(5, '0')}`)?.platform;
    assert.equal(p(0)?.name, 'k3s');
    assert.equal(p(0)?.title, 'K3s');
    assert.match(p(0)?.evidence[0] ?? '', /^status\.nodeInfo\.kubeletVersion matches /);
    assert.equal(p(1)?.name, 'talos');
    assert.equal(p(2)?.name, 'kind');
    assert.equal(p(3), undefined);
    assert.equal(p(4), undefined);
    const t = await runCliOn({ columns: 200 }, 'cluster', '--kubeconfig', sim.kubeconfigPath, '--no-color', '--fail-on', 'none', '--no-progress');
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /node-00000 +v1\.31\.4\+k3s1 .*\(K3s\)/);
    assert.match(t.out, /node-00001 .*\(Talos Linux\)/);
    assert.match(t.out, /node-00002 .*\(kind\)/);
    assert.doesNotMatch(t.out, /node-00003 .*\(/);
    assert.ok(!t.out.includes('\u001b'), 'no escape from a Node object reaches the terminal');
  } finally {
    await sim.close();
  }
});

test('cluster --format html: the platform beside the version, escaped', async () => {
  const sim = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok', nodePlatform: (i) => PLATFORMS[i] });
  try {
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'html', '--fail-on', 'none', '--no-progress');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /v1\.31\.4\+k3s1 <small>\(K3s\)<\/small>/);
    assert.match(r.out, /<small>\(Talos Linux\)<\/small>/);
  } finally {
    await sim.close();
  }
});

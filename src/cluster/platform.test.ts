// Naming a node's platform from its Node object: each platform from a realistic Node object (the
// values as the distributions' sources write them, see the nodeObject comments in src/distros), an
// unknown one stays unnamed, a cloud's providerID alone names no distribution, hostile values are inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePlatform, MAX_FIELD } from './platform.ts';
import { DISTRIBUTIONS } from '../distros/index.ts';

const nodeObj = (o: { kubeletVersion?: string; osImage?: string; providerID?: string; labels?: Record<string, string>; annotations?: Record<string, string> }): object => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', ...o.labels }, annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...o.annotations } },
  spec: { podCIDR: '10.244.1.0/24', ...(o.providerID !== undefined ? { providerID: o.providerID } : {}) },
  status: { nodeInfo: { kubeletVersion: o.kubeletVersion ?? 'v1.31.4', osImage: o.osImage ?? 'Ubuntu 24.04.1 LTS', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.24', kernelVersion: '6.8.0-51-generic' } },
});

const CASES: Array<[string, Parameters<typeof nodeObj>[0]]> = [
  ['k3s', { kubeletVersion: 'v1.31.4+k3s1', labels: { 'node.kubernetes.io/instance-type': 'k3s' }, providerID: 'k3s://n1' }],
  ['rke2', { kubeletVersion: 'v1.30.2+rke2r1', labels: { 'node.kubernetes.io/instance-type': 'rke2' }, providerID: 'rke2://n1' }],
  ['eks-al2', { kubeletVersion: 'v1.30.0-eks-036c24b', osImage: 'Amazon Linux 2', providerID: 'aws:///us-west-2a/i-0123456789abcdef0', labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' } }],
  ['eks-al2023', { kubeletVersion: 'v1.30.0-eks-036c24b', osImage: 'Amazon Linux 2023.5.20240624', providerID: 'aws:///us-west-2a/i-0123456789abcdef1' }],
  ['gke', { kubeletVersion: 'v1.29.6-gke.1038000', osImage: 'Container-Optimized OS from Google', providerID: 'gce://example-project/us-central1-a/gke-c1-default-pool-1a2b3c4d-x1y2', labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } }],
  ['aks', { kubeletVersion: 'v1.30.3', osImage: 'Ubuntu 22.04.4 LTS', providerID: 'azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_rg_c1_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/0', labels: { 'kubernetes.azure.com/cluster': 'MC_rg_c1_westeurope' } }],
  ['bottlerocket', { kubeletVersion: 'v1.30.1-eks-e564799', osImage: 'Bottlerocket OS 1.20.3 (aws-k8s-1.30)', providerID: 'aws:///us-west-2b/i-0fedcba9876543210' }],
  ['openshift', { kubeletVersion: 'v1.29.5+29c2a05', osImage: 'Red Hat Enterprise Linux CoreOS 416.94.202405291527-0', labels: { 'node.openshift.io/os_id': 'rhcos' } }],
  ['talos', { kubeletVersion: 'v1.30.3', osImage: 'Talos (v1.7.5)' }],
  ['microk8s', { kubeletVersion: 'v1.32.3', labels: { 'microk8s.io/cluster': 'true', 'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane' } }],
  ['kind', { kubeletVersion: 'v1.33.1', osImage: 'Debian GNU/Linux 12 (bookworm)', providerID: 'kind://docker/kind/kind-worker', annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock' } }],
  ['kubeadm', { kubeletVersion: 'v1.33.4', osImage: 'Ubuntu 24.04.3 LTS', annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock' } }],
];

for (const [want, o] of CASES) {
  test(`${want}: named from a realistic Node object, with the fields that matched`, () => {
    const p = nodePlatform(nodeObj(o));
    assert.equal(p?.name, want, JSON.stringify(p));
    assert.equal(p?.title, DISTRIBUTIONS.find((d) => d.name === want)?.title);
    assert.ok(p.evidence.length > 0);
    assert.ok(p.evidence.every((e) => /^(spec\.providerID|status\.nodeInfo\.\w+) matches \/|^the (label|annotation) /.test(e)), p.evidence.join('; '));
  });
}

test('every distribution that can name a node is named by one of the cases', () => {
  const named = new Set(CASES.map(([n]) => n));
  for (const d of DISTRIBUTIONS) if ((d.nodeObject ?? []).length > 0) assert.ok(named.has(d.name), d.name);
});

test('an unknown platform stays unnamed: a kubelet on Ubuntu without kubeadm\'s annotation, a cloud providerID alone, nothing at all', () => {
  assert.equal(nodePlatform(nodeObj({})), undefined);
  assert.equal(nodePlatform(nodeObj({ providerID: 'aws:///us-east-1a/i-0123456789abcdef0' })), undefined);
  assert.equal(nodePlatform(nodeObj({ providerID: 'gce://p/z/n' })), undefined);
  assert.equal(nodePlatform(nodeObj({ providerID: 'azure:///subscriptions/x' })), undefined);
  // an EKS kubelet on an OS no EKS entry names: not guessed
  assert.equal(nodePlatform(nodeObj({ kubeletVersion: 'v1.30.0-eks-036c24b', osImage: 'Ubuntu 22.04.4 LTS' })), undefined);
  assert.equal(nodePlatform({}), undefined);
  assert.equal(nodePlatform(null), undefined);
  assert.equal(nodePlatform('Talos (v1.7.5)'), undefined);
});

test('the most specific wins: k3s on EC2 is k3s, Bottlerocket on EKS is Bottlerocket, Talos on kind-like IDs is Talos', () => {
  assert.equal(nodePlatform(nodeObj({ kubeletVersion: 'v1.31.4+k3s1', providerID: 'aws:///us-west-2a/i-0123456789abcdef0' }))?.name, 'k3s');
  assert.equal(nodePlatform(nodeObj({ kubeletVersion: 'v1.30.1-eks-e564799', osImage: 'Bottlerocket OS 1.20.3 (aws-k8s-1.30)', labels: { 'eks.amazonaws.com/nodegroup': 'ng' } }))?.name, 'bottlerocket');
  assert.equal(nodePlatform(nodeObj({ osImage: 'Talos (v1.7.5)', providerID: 'kind://docker/c/n' }))?.name, 'talos');
});

test('hostile values are inert: wrong types, huge strings, escapes and prototype keys name nothing or only our own text', () => {
  const esc = '\u001b]8;;http://evil\u0007x\u001b[2J';
  const hostile: unknown[] = [
    { metadata: { labels: ['microk8s.io/cluster'] }, spec: { providerID: 42 }, status: { nodeInfo: { kubeletVersion: { v: 'v1.31.4+k3s1' }, osImage: ['Talos (v1.7.5)'] } } },
    { metadata: { labels: JSON.parse('{"__proto__": "x", "constructor": "y"}') as object, annotations: 'kubeadm.alpha.kubernetes.io/cri-socket' } },
    { metadata: { annotations: ['kubeadm.alpha.kubernetes.io/cri-socket'] } },
    nodeObj({ kubeletVersion: `v1.31.4+k3s1${'x'.repeat(MAX_FIELD)}` }),
    nodeObj({ osImage: `Talos (v1.7.5)${esc}` }),
    nodeObj({ osImage: `${esc}Talos (v1.7.5)` }),
    nodeObj({ kubeletVersion: `${'9'.repeat(100_000)}` }),
    nodeObj({ providerID: `kind://docker/${'a/'.repeat(50_000)}` }),
  ];
  for (const h of hostile) assert.equal(nodePlatform(h), undefined, JSON.stringify(h).slice(0, 200));
  // a label key with escapes is only looked up, never shown
  const p = nodePlatform(nodeObj({ labels: { 'microk8s.io/cluster': esc, [esc]: 'x' } }));
  assert.equal(p?.name, 'microk8s');
  assert.ok(!JSON.stringify(p).includes('\u001b'));
  // a hundred thousand labels: bounded work, still named by one of the first
  const many: Record<string, string> = { 'microk8s.io/cluster': 'true' };
  for (let i = 0; i < 100_000; i++) many[`l${i}`] = '';
  assert.equal(nodePlatform(nodeObj({ labels: many }))?.name, 'microk8s');
});

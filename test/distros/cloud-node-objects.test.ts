// The nodeObject marks of the managed clouds (src/distros: aks, gke, eks-al2, eks-al2023): how a Node
// object (spec.providerID, status.nodeInfo, labels) names its platform for `kubelet-guard cluster`.
// Each distribution must claim its own nodes and none of the look-alikes (a kubeadm cluster on the
// same cloud has the same providerID, but not the managed service's labels or OS image).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Distribution, NodeObjectMark } from '../../src/distros/types.ts';
import { aks } from '../../src/distros/aks.ts';
import { gke } from '../../src/distros/gke.ts';
import { eksAl2 } from '../../src/distros/eks-al2.ts';
import { eksAl2023 } from '../../src/distros/eks-al2023.ts';

interface NodeObject { providerID: string; kubeletVersion: string; osImage: string; labels: string[] }

function matches(m: NodeObjectMark, n: NodeObject): boolean {
  return (!m.providerID || m.providerID.test(n.providerID)) && (!m.kubeletVersion || m.kubeletVersion.test(n.kubeletVersion)) && (!m.osImage || m.osImage.test(n.osImage)) && (!m.label || n.labels.includes(m.label));
}
const claims = (d: Distribution, n: NodeObject) => (d.nodeObject ?? []).some((m) => matches(m, n));

const NODES: Record<string, NodeObject> = {
  aks: { providerID: 'azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_example-rg_example-aks_eastus/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/0', kubeletVersion: 'v1.31.5', osImage: 'Ubuntu 22.04.5 LTS', labels: ['kubernetes.azure.com/cluster', 'agentpool'] },
  gke: { providerID: 'gce://example-project/us-central1-a/gke-example-gke-default-pool-1a2b3c4d-x7k9', kubeletVersion: 'v1.31.5-gke.1023000', osImage: 'Container-Optimized OS from Google', labels: ['cloud.google.com/gke-nodepool'] },
  'eks-al2': { providerID: 'aws:///us-west-2a/i-0123456789abcdef0', kubeletVersion: 'v1.30.4-eks-a737599', osImage: 'Amazon Linux 2', labels: ['eks.amazonaws.com/nodegroup'] },
  'eks-al2023': { providerID: 'aws:///us-west-2a/i-0fedcba9876543210', kubeletVersion: 'v1.33.5-eks-3025e55', osImage: 'Amazon Linux 2023.9.20251110', labels: [] },
  'kubeadm-on-gce': { providerID: 'gce://example-project/us-central1-a/worker-1', kubeletVersion: 'v1.33.4', osImage: 'Ubuntu 24.04.3 LTS', labels: [] },
  'kubeadm-on-azure': { providerID: 'azure:///subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/worker-1', kubeletVersion: 'v1.33.4', osImage: 'Ubuntu 24.04.3 LTS', labels: [] },
  'kubeadm-on-aws': { providerID: 'aws:///us-west-2a/i-0aaaaaaaaaaaaaaaa', kubeletVersion: 'v1.33.4', osImage: 'Ubuntu 24.04.3 LTS', labels: [] },
  bottlerocket: { providerID: 'aws:///us-west-2a/i-0bbbbbbbbbbbbbbbb', kubeletVersion: 'v1.33.5-eks-3025e55', osImage: 'Bottlerocket OS 1.49.0 (aws-k8s-1.33)', labels: [] },
};

test('each managed cloud claims its own Node objects and no look-alike', () => {
  const distros: Record<string, Distribution> = { aks, gke, 'eks-al2': eksAl2, 'eks-al2023': eksAl2023 };
  for (const [name, d] of Object.entries(distros)) {
    for (const [node, n] of Object.entries(NODES)) assert.equal(claims(d, n), node === name, `${name} on ${node}`);
  }
});

// Azure Kubernetes Service (AKS): not yet described (issue 14): no marks, so it is never detected; --distribution aks audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const aks: Distribution = {
  name: 'aks',
  title: 'Azure Kubernetes Service (AKS)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  // Node object: AKS labels every node kubernetes.azure.com/cluster (the node resource group); the
  // providerID azure:///subscriptions/... alone is any Kubernetes on Azure VMs
  nodeObject: [{ label: 'kubernetes.azure.com/cluster' }],
  benchmark: 'cis-aks',
  sources: [],
};

// CIS 4.1 Worker node configuration files, in benchmark order.
import type { Check } from '../types.ts';
import { kubeletServicePerms } from './kubelet-service-perms.ts';
import { kubeletServiceOwner } from './kubelet-service-owner.ts';
import { kubeProxyKubeconfigPerms } from './kube-proxy-kubeconfig-perms.ts';
import { kubeProxyKubeconfigOwner } from './kube-proxy-kubeconfig-owner.ts';
import { kubeletKubeconfigPerms } from './kubelet-kubeconfig-perms.ts';
import { kubeletKubeconfigOwner } from './kubelet-kubeconfig-owner.ts';
import { clientCAPerms } from './client-ca-perms.ts';
import { clientCAOwner } from './client-ca-owner.ts';
import { kubeletConfigPerms } from './kubelet-config-perms.ts';
import { kubeletConfigOwner } from './kubelet-config-owner.ts';

export const checks: Check[] = [
  kubeletServicePerms, // 4.1.1
  kubeletServiceOwner, // 4.1.2
  kubeProxyKubeconfigPerms, // 4.1.3
  kubeProxyKubeconfigOwner, // 4.1.4
  kubeletKubeconfigPerms, // 4.1.5
  kubeletKubeconfigOwner, // 4.1.6
  clientCAPerms, // 4.1.7
  clientCAOwner, // 4.1.8
  kubeletConfigPerms, // 4.1.9
  kubeletConfigOwner, // 4.1.10
];

// CIS Azure Kubernetes Service (AKS) Benchmark v1.8, as kube-bench's cfg/aks-1.8 states its controls (read at the commit below).
// Generated once from those files, then checked by hand; test/profiles.test.ts validates it.
import type { Profile } from './types.ts';

export const cisAks: Profile = {
  name: 'cis-aks',
  benchmark: 'CIS Azure Kubernetes Service (AKS) Benchmark',
  version: '1.8',
  source: { repository: 'aquasecurity/kube-bench', commit: 'a73ce378418c71c5861e6963753f50dec3badadf', files: ['cfg/aks-1.8/node.yaml'] },
  scope:
    'Section 3 (Worker Node Security Configuration), the part a node audit judges; sections 2, 4 and 5 are about the control plane Azure runs, cluster policies and Azure services.',
  controls: [
    { id: '3.1.1', title: 'Ensure that the kubeconfig file permissions are set to 644 or more restrictive', assessment: 'Automated', unmapped: 'the control accepts mode 644; file-kubelet-kubeconfig-perms asks 600 or stricter, so a file at 644 would fail the check and pass the control' },
    { id: '3.1.2', title: 'Ensure that the kubelet kubeconfig file ownership is set to root:root', assessment: 'Automated', checks: ['file-kubelet-kubeconfig-owner'] },
    { id: '3.1.3', title: 'Ensure that the azure.json file has permissions set to 644 or more restrictive', assessment: 'Automated', unmapped: 'asks about /etc/kubernetes/azure.json (the cloud provider\'s credentials), which no kubelet-guard check reads' },
    { id: '3.1.4', title: 'Ensure that the azure.json file ownership is set to root:root', assessment: 'Automated', unmapped: 'asks about /etc/kubernetes/azure.json (the cloud provider\'s credentials), which no kubelet-guard check reads' },
    { id: '3.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', assessment: 'Automated', checks: ['kubelet-anonymous-auth'] },
    { id: '3.2.2', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', assessment: 'Automated', checks: ['kubelet-authorization-mode'] },
    { id: '3.2.3', title: 'Ensure that the --client-ca-file argument is set as appropriate', assessment: 'Automated', checks: ['kubelet-client-ca-file'] },
    { id: '3.2.4', title: 'Ensure that the --read-only-port is secured', assessment: 'Automated', checks: ['kubelet-read-only-port'] },
    { id: '3.2.5', title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0', assessment: 'Automated', checks: ['kubelet-streaming-idle-timeout'] },
    { id: '3.2.6', title: 'Ensure that the --make-iptables-util-chains argument is set to true', assessment: 'Automated', checks: ['kubelet-iptables-util-chains'] },
    { id: '3.2.7', title: 'Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture', assessment: 'Automated', checks: ['kubelet-event-qps'] },
    { id: '3.2.8', title: 'Ensure that the --rotate-certificates argument is not set to false', assessment: 'Automated', checks: ['kubelet-rotate-certificates'] },
    { id: '3.2.9', title: 'Ensure that the RotateKubeletServerCertificate argument is set to true', assessment: 'Automated', checks: ['kubelet-rotate-server-certificate-gate'] },
  ],
};

// CIS Google Kubernetes Engine (GKE) Benchmark v1.9.0, as kube-bench's cfg/gke-1.9.0 states its controls (read at the commit below).
// Generated once from those files, then checked by hand; test/profiles.test.ts validates it.
import type { Profile } from './types.ts';

export const cisGke: Profile = {
  name: 'cis-gke',
  benchmark: 'CIS Google Kubernetes Engine (GKE) Benchmark',
  version: '1.9.0',
  source: { repository: 'aquasecurity/kube-bench', commit: 'a73ce378418c71c5861e6963753f50dec3badadf', files: ['cfg/gke-1.9.0/node.yaml'] },
  scope:
    'Section 3 (Worker Nodes), the part a node audit judges: in v1.9.0 only its four configuration-file controls (kube-bench gke-1.6.0 still had a Kubelet group 3.2; gke-1.8.0 and gke-1.9.0 have none), so every kubelet setting check is beyond this benchmark. Sections 4 and 5 are cluster policies and Google Cloud services.',
  controls: [
    { id: '3.1.1', title: 'Ensure that the kubeconfig file permissions are set to 644 or more restrictive', assessment: 'Automated', unmapped: 'the control accepts mode 644; file-kubelet-kubeconfig-perms asks 600 or stricter, so a file at 644 would fail the check and pass the control' },
    { id: '3.1.2', title: 'Ensure that the kubelet kubeconfig file ownership is set to root:root', assessment: 'Automated', checks: ['file-kubelet-kubeconfig-owner'] },
    { id: '3.1.3', title: 'Ensure that the kubelet configuration file has permissions set to 644', assessment: 'Automated', unmapped: 'the control accepts mode 644; file-kubelet-config-perms asks 600 or stricter, so a file at 644 would fail the check and pass the control' },
    { id: '3.1.4', title: 'Ensure that the kubelet configuration file ownership is set to root:root', assessment: 'Automated', checks: ['file-kubelet-config-owner'] },
  ],
};

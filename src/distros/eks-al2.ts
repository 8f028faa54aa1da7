// Amazon EKS (Amazon Linux 2): not yet described (issue 14): no marks, so it is never detected; --distribution eks-al2 audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const eksAl2: Distribution = {
  name: 'eks-al2',
  title: 'Amazon EKS (Amazon Linux 2)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  // Node object: as for eks-al2023, with AL2's PRETTY_NAME "Amazon Linux 2" (exactly)
  nodeObject: [
    { kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+-eks-[0-9a-f]{7,}$/, osImage: /^Amazon Linux 2$/ },
    { label: 'eks.amazonaws.com/nodegroup', osImage: /^Amazon Linux 2$/ },
  ],
  benchmark: 'cis-eks',
  sources: [],
};

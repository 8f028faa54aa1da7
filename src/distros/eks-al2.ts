// Amazon EKS (Amazon Linux 2): not yet described (issue 14): no marks, so it is never detected; --distribution eks-al2 audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const eksAl2: Distribution = {
  name: 'eks-al2',
  title: 'Amazon EKS (Amazon Linux 2)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-eks',
  sources: [],
};

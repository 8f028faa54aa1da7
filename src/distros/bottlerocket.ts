// Bottlerocket: not yet described (issue 14): no marks, so it is never detected; --distribution bottlerocket audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const bottlerocket: Distribution = {
  name: 'bottlerocket',
  title: 'Bottlerocket',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-eks',
  sources: [],
};

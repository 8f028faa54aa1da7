// RKE2: not yet described (issue 14): no marks, so it is never detected; --distribution rke2 audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const rke2: Distribution = {
  name: 'rke2',
  title: 'RKE2',
  runs: 'child',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-rke2',
  sources: [],
};

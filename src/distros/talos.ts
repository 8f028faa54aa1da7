// Talos Linux: not yet described (issue 14): no marks, so it is never detected; --distribution talos audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const talos: Distribution = {
  name: 'talos',
  title: 'Talos Linux',
  runs: 'container',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-kubernetes',
  sources: [],
};

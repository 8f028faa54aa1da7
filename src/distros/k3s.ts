// K3s: not yet described (issue 14): no marks, so it is never detected; --distribution k3s audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const k3s: Distribution = {
  name: 'k3s',
  title: 'K3s',
  runs: 'embedded',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-k3s',
  sources: [],
};

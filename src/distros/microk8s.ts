// MicroK8s: not yet described (issue 14): no marks, so it is never detected; --distribution microk8s audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const microk8s: Distribution = {
  name: 'microk8s',
  title: 'MicroK8s',
  runs: 'embedded',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-kubernetes',
  sources: [],
};

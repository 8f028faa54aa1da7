// OpenShift: not yet described (issue 14): no marks, so it is never detected; --distribution openshift audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const openshift: Distribution = {
  name: 'openshift',
  title: 'OpenShift',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-openshift',
  sources: [],
};

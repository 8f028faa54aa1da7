// kind: not yet described (issue 14): no marks, so it is never detected; --distribution kind audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const kind: Distribution = {
  name: 'kind',
  title: 'kind',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-kubernetes',
  sources: [],
};

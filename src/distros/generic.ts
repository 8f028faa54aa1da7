// A kubelet of no known make: its own process, started by kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const generic: Distribution = {
  name: 'generic',
  title: 'a kubelet of no known distribution',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  version: [{ dpkg: 'kubelet' }],
  // Node object: generic is what no other distribution matched; it names no node
  nodeObject: [],
  benchmark: 'cis-kubernetes',
  sources: [],
};

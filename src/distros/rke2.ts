// RKE2: not yet described (issue 14): no marks, so it is never detected; --distribution rke2 audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const rke2: Distribution = {
  name: 'rke2',
  title: 'RKE2',
  runs: 'child',
  launch: systemdLaunch(),
  marks: [],
  // Node object: kubeletVersion is RKE2's version, v1.30.4+rke2r1 (rancher/rke2 scripts/version.sh:
  // ^v(\d+)\.(\d+)\.(\d+)([-+][a-zA-Z0-9.]+)?[-+](rke2r[0-9]+|dev.*)$)
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+(?:[-+][A-Za-z0-9.]+)?[-+]rke2r[0-9]+$/ }],
  benchmark: 'cis-rke2',
  sources: [],
};

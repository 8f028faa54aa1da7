// Bottlerocket: not yet described (issue 14): no marks, so it is never detected; --distribution bottlerocket audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const bottlerocket: Distribution = {
  name: 'bottlerocket',
  title: 'Bottlerocket',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  // Node object: osImage is Bottlerocket's PRETTY_NAME, "Bottlerocket OS 1.20.3 (aws-k8s-1.30)"
  // (bottlerocket-os/bottlerocket os-release: PRETTY_NAME="Bottlerocket OS <version> (<variant>)")
  nodeObject: [{ osImage: /^Bottlerocket OS [0-9]+\.[0-9]+\.[0-9]+/ }],
  benchmark: 'cis-eks',
  sources: [],
};

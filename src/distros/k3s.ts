// K3s: not yet described (issue 14): no marks, so it is never detected; --distribution k3s audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const k3s: Distribution = {
  name: 'k3s',
  title: 'K3s',
  runs: 'embedded',
  launch: systemdLaunch(),
  marks: [],
  // Node object: kubeletVersion is k3s's own version, the Kubernetes tag plus +k3sN (k3s-io/k3s
  // scripts/version.sh: VERSION=$GIT_TAG, checked against ^$VERSION_K8S[+-]; untagged builds +k3s-<commit>)
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.]+)?\+k3s(?:[0-9]+|-[0-9a-f]{8})/ }],
  benchmark: 'cis-k3s',
  sources: [],
};

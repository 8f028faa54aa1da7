// Google Kubernetes Engine (GKE): not yet described (issue 14): no marks, so it is never detected; --distribution gke audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const gke: Distribution = {
  name: 'gke',
  title: 'Google Kubernetes Engine (GKE)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  benchmark: 'cis-gke',
  sources: [],
};

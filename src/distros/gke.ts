// Google Kubernetes Engine (GKE): not yet described (issue 14): no marks, so it is never detected; --distribution gke audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const gke: Distribution = {
  name: 'gke',
  title: 'Google Kubernetes Engine (GKE)',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  // Node object: GKE's kubelet reports v1.29.6-gke.1038000; nodes carry the label
  // cloud.google.com/gke-nodepool. A providerID gce://<project>/<zone>/<name> alone is any Kubernetes on GCE.
  nodeObject: [{ kubeletVersion: /^v[0-9]+\.[0-9]+\.[0-9]+-gke\.[0-9]+$/ }, { label: 'cloud.google.com/gke-nodepool' }],
  benchmark: 'cis-gke',
  sources: [],
};

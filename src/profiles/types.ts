// A benchmark profile as data: the CIS benchmark a platform has, its version, where its controls
// were read, and which of kubelet-guard's checks judges each of its controls. A control is mapped
// only when it asks the same thing a check judges (same setting, same threshold): one that asks
// something else, or only part of it, is listed with why it is not mapped, so a finding never
// carries a control id whose verdict could differ from the check's.

export type ProfileName = 'cis-kubernetes' | 'cis-eks' | 'cis-gke' | 'cis-aks' | 'cis-k3s' | 'cis-rke2' | 'cis-openshift';

export interface Control {
  /** the benchmark's own number, e.g. "3.2.1" */
  id: string;
  /** the benchmark's words for it (without its "(Automated)"/"(Manual)"), where read */
  title?: string;
  assessment?: 'Automated' | 'Manual';
  /** the checks that judge exactly what it asks (a finding of each carries this id) */
  checks?: string[];
  /** why no check is mapped: it asks something kubelet-guard does not judge, or only part of it */
  unmapped?: string;
}

export interface Profile {
  name: ProfileName;
  /** the benchmark as its makers name it, without the version */
  benchmark: string;
  /** its version as the kube-bench folder read names it */
  version: string;
  /** where the controls were read: kube-bench's cfg folder at a commit */
  source: { repository: string; commit: string; files: string[] };
  /** what of the benchmark is listed here, and what a node audit leaves to others */
  scope: string;
  controls: readonly Control[];
}

/** "CIS Amazon EKS Benchmark v1.8.0" */
export const profileTitle = (p: Pick<Profile, 'benchmark' | 'version'>): string => `${p.benchmark} v${p.version}`;

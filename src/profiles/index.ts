// Every benchmark profile, and the choice of one for a report: --benchmark NAME, else the one the
// distribution found names (src/distros: Distribution.benchmark), else the CIS Kubernetes Benchmark.
// A report's findings carry the chosen profile's ids; a check it leaves out still runs and is shown
// as beyond the benchmark.
import type { Finding, Section } from '../checks/types.ts';
import { SECTIONS } from '../checks/types.ts';
import { distributionNamed } from '../distros/index.ts';
import { cisKubernetes } from './cis-kubernetes.ts';
import { cisEks } from './cis-eks.ts';
import { cisGke } from './cis-gke.ts';
import { cisAks } from './cis-aks.ts';
import { cisK3s } from './cis-k3s.ts';
import { cisRke2 } from './cis-rke2.ts';
import { cisOpenshift } from './cis-openshift.ts';
import { profileTitle, type Profile } from './types.ts';

export const PROFILES: readonly Profile[] = [cisKubernetes, cisEks, cisGke, cisAks, cisK3s, cisRke2, cisOpenshift];
export const DEFAULT_PROFILE = cisKubernetes;

export function profileNamed(name: string): Profile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** The report's benchmark: which profile, its version, and why it was chosen. */
export interface BenchmarkChoice {
  profile: Profile['name'];
  /** "CIS Amazon EKS Benchmark v1.8.0" */
  title: string;
  version: string;
  /** --benchmark, the distribution found (or given with --distribution), or the default */
  chosenBy: 'flag' | 'distribution' | 'default';
  /** in words: "--benchmark cis-gke", "the distribution found: Amazon EKS (Amazon Linux 2023)" */
  reason: string;
}

/**
 * The profile for a report: `flag` (--benchmark, already checked against PROFILES) wins, then the
 * distribution's own, then the CIS Kubernetes Benchmark.
 */
export function chooseProfile(flag: string | undefined, distribution?: { name: string; title: string; overridden?: boolean }, defaultReason?: string): { profile: Profile; choice: BenchmarkChoice } {
  const pick = (profile: Profile, chosenBy: BenchmarkChoice['chosenBy'], reason: string) =>
    ({ profile, choice: { profile: profile.name, title: profileTitle(profile), version: profile.version, chosenBy, reason } });
  if (flag !== undefined) {
    const p = profileNamed(flag);
    if (p) return pick(p, 'flag', `--benchmark ${p.name}`);
  }
  const d = distribution ? distributionNamed(distribution.name) : undefined;
  const own = d ? profileNamed(d.benchmark) : undefined;
  if (d && own) return pick(own, 'distribution', `the distribution ${distribution!.overridden ? 'given (--distribution)' : 'found'}: ${d.title}`);
  return pick(DEFAULT_PROFILE, 'default', defaultReason ?? (distribution ? `the default (${distribution.title} names no profile of its own)` : 'the default (no distribution found)'));
}

/** The profile's ids for one check, in the benchmark's order (none: beyond the benchmark). */
export function idsOf(profile: Profile, check: string): string[] {
  let index = mapped.get(profile);
  if (!index) {
    index = new Map();
    for (const c of profile.controls) for (const id of c.checks ?? []) index.set(id, [...(index.get(id) ?? []), c.id]);
    mapped.set(profile, index);
  }
  return index.get(check) ?? [];
}
const mapped = new WeakMap<Profile, Map<string, string[]>>();

/** The finding with the profile's ids, or marked beyond the benchmark when the profile leaves its check out. */
export function withBenchmark(f: Finding, profile: Profile): Finding {
  const ids = idsOf(profile, f.check);
  return { ...f, benchmark: { profile: profile.name, ids, ...(ids.length === 0 ? { beyond: true as const } : {}) } };
}

/**
 * A section's heading under the profile: the table's headings name CIS Kubernetes sections
 * ("CIS 4.2 Kubelet"); under another profile those numbers would be wrong, so they go.
 */
export function sectionTitle(section: Section, profile: string | undefined): string {
  const t = SECTIONS[section];
  if (profile === undefined || profile === 'cis-kubernetes') return t;
  return t.replace(/^CIS [\d.]+ /, '').replace(/ \(CIS [\d.]+\)$/, '').replace(/ \(beyond CIS\)$/, '');
}

/**
 * A finding's benchmark reference for a report line: "cis-eks 3.2.1", "beyond benchmark (cis-gke
 * has no control for this check)", or, in a report without a profile (scan), "CIS 4.2.1".
 */
export function benchmarkRef(f: Pick<Finding, 'benchmark' | 'cis'>): string | undefined {
  if (!f.benchmark) return f.cis.length > 0 ? `CIS ${f.cis.join(', ')}` : undefined;
  return f.benchmark.ids.length > 0 ? `${f.benchmark.profile} ${f.benchmark.ids.join(', ')}` : `beyond benchmark (${f.benchmark.profile} has no control for this check)`;
}

/** The report header's line: "CIS Amazon EKS Benchmark v1.8.0 (cis-eks), chosen by the distribution found: …". */
export function choiceText(c: BenchmarkChoice): string {
  return `${c.title} (${c.profile}), chosen by ${c.reason}`;
}

// Known Kubernetes vulnerabilities that a node's kubelet version (and configuration) decides, as
// data. Every range is copied from the advisory issue in kubernetes/kubernetes named in `source`
// ("Affected Versions" / "Fixed Versions"); the notes say where a range was read more precisely
// than the advisory's list. Ranges are inclusive ("1.30.0–1.30.9" is {from, through}).
//
// A `condition` models what else the advisory requires of the node (a setting, a feature gate);
// it is only asked when the version is affected. It never does I/O: it reads NodeFacts. `needs`
// names what else exposure takes that no node evidence shows (a pod using a gitRepo volume): an
// affected node is then `unknown` with that condition, never `fail`. `os` limits a flaw to the
// nodes of one OS: elsewhere it is not listed, and where the OS is unknown it is `unknown`.
import type { NodeFacts } from '../../facts/types.ts';
import type { Evidence, Severity } from '../types.ts';
import { evidenceOf, lookup } from '../setting.ts';
import { compareVersions, mustParse, type Version, type VersionRange } from './semver.ts';

/** What a condition found: the node is exposed, is not (and why), or it cannot be known. */
export type Exposure =
  | { exposed: true; why: string; evidence?: Evidence[] }
  | { exposed: false; why: string; evidence?: Evidence[] }
  | { exposed: 'unknown'; why: string; evidence?: Evidence[] };

export interface KnownCve {
  id: string;
  title: string;
  severity: Severity;
  /** the CVSS vector or rating the advisory gives */
  cvss: string;
  /** the component with the flaw; only 'kubelet' is decided by the kubelet's version */
  component: 'kubelet' | 'kube-apiserver';
  /** nodes of which OS run the flawed code */
  os: 'linux' | 'windows' | 'any';
  affected: VersionRange[];
  fixed: string[];
  /** the advisory (kubernetes/kubernetes issue) */
  source: string;
  /** how the ranges were read where the advisory is not explicit */
  note?: string;
  condition?: (facts: NodeFacts, v: Version) => Exposure;
  /** what exposure also takes that the node's evidence cannot show, e.g. "a pod on the node uses a gitRepo volume" */
  needs?: string;
  /** what to do besides upgrading */
  mitigation: string;
}

/**
 * Whether a feature gate is on: the value the effective config gives it, else the default of that
 * kubelet version (`defaultOn(v)`). Unknown when the gates cannot be known.
 */
function gate(facts: NodeFacts, name: string, v: Version, defaultOn: (v: Version) => boolean): { on: boolean; evidence: Evidence[]; how: string } | { unknown: string } {
  const all = lookup(facts, 'featureGates');
  if (!all.ok) return { unknown: `the feature gates cannot be known: ${all.why}` };
  const one = facts.kubelet.effective[`featureGates.${name}`];
  if (one && !one.unknown && typeof one.value === 'boolean') {
    return { on: one.value, evidence: [evidenceOf(`featureGates.${name}`, one)], how: `${name}=${one.value} is set explicitly` };
  }
  const on = defaultOn(v);
  return { on, evidence: [{ setting: `featureGates.${name}`, note: `not set: the default of kubelet ${v.major}.${v.minor} is ${on}` }], how: `${name} is ${on ? 'on' : 'off'} by default in ${v.major}.${v.minor}` };
}

const atLeast = (v: Version, s: string) => compareVersions(v, mustParse(s)) >= 0;

export const KNOWN_CVES: readonly KnownCve[] = [
  {
    id: 'CVE-2025-0426',
    title: 'Node denial of service via the kubelet checkpoint API on the unauthenticated read-only port',
    severity: 'medium',
    cvss: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    component: 'kubelet',
    os: 'any',
    affected: [
      { from: '1.25.0', through: '1.29.13' },
      { from: '1.30.0', through: '1.30.9' },
      { from: '1.31.0', through: '1.31.5' },
      { from: '1.32.0', through: '1.32.1' },
    ],
    fixed: ['1.29.14', '1.30.10', '1.31.6', '1.32.2'],
    source: 'https://github.com/kubernetes/kubernetes/issues/130016',
    note: 'The advisory lists 1.30.0–1.30.9, 1.31.0–1.31.5, 1.32.0–1.32.1 (ContainerCheckpoint on by default since 1.30, beta). 1.25–1.29 had the API as an alpha opt-in and are affected only with the gate enabled; the fix was backported to 1.29.14 (fixed list of GHSA-jgfp-53c3-624w), so 1.25.0–1.29.13 are modelled as affected when the gate is on.',
    condition: (facts, v) => {
      const port = lookup(facts, 'readOnlyPort');
      if (!port.ok) return { exposed: 'unknown', why: `readOnlyPort cannot be known: ${port.why}` };
      const portEv = evidenceOf('readOnlyPort', port.s);
      if (typeof port.s.value !== 'number' || port.s.value <= 0) {
        return { exposed: false, why: 'the read-only port is off (readOnlyPort 0), so the unauthenticated /checkpoint route is not served', evidence: [portEv] };
      }
      const g = gate(facts, 'ContainerCheckpoint', v, (x) => atLeast(x, '1.30.0'));
      if ('unknown' in g) return { exposed: 'unknown', why: g.unknown, evidence: [portEv] };
      if (!g.on) return { exposed: false, why: `the ContainerCheckpoint gate is off (${g.how})`, evidence: [portEv, ...g.evidence] };
      return {
        exposed: true,
        why: `the read-only port ${port.s.value} is open and ${g.how}: anyone reaching it can POST /checkpoint without credentials; disks fill when the runtime supports checkpointing (CRI-O with enable_criu_support, containerd 2.0+ with criu)`,
        evidence: [portEv, ...g.evidence],
      };
    },
    mitigation: 'Set readOnlyPort: 0, or set the ContainerCheckpoint feature gate to false, and limit access to the kubelet API.',
  },
  {
    id: 'CVE-2024-9042',
    title: 'Command injection on Windows nodes via the node log query (/logs query) API',
    severity: 'medium',
    cvss: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:N (5.9)',
    component: 'kubelet',
    os: 'windows',
    affected: [{ through: '1.29.12' }, { from: '1.30.0', through: '1.30.8' }, { from: '1.31.0', through: '1.31.4' }, { from: '1.32.0', through: '1.32.0' }],
    fixed: ['1.29.13', '1.30.9', '1.31.5', '1.32.1'],
    source: 'https://github.com/kubernetes/kubernetes/issues/129654',
    mitigation: 'Upgrade the kubelet on Windows nodes; keep enableSystemLogQuery off.',
  },
  {
    id: 'CVE-2025-4563',
    title: 'Nodes can bypass dynamic resource allocation authorization checks (NodeRestriction, mirror pods)',
    severity: 'low',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:L (2.7)',
    component: 'kube-apiserver',
    os: 'any',
    affected: [{ from: '1.32.0', through: '1.32.5' }, { from: '1.33.0', through: '1.33.1' }],
    fixed: ['1.32.6', '1.33.2'],
    source: 'https://github.com/kubernetes/kubernetes/issues/132151',
    note: 'The flaw is in the kube-apiserver NodeRestriction admission plugin (affected kube-apiserver versions); only clusters using the DynamicResourceAllocation feature together with static pods. The fixed versions are the next patch releases after the affected ranges.',
    mitigation: 'Upgrade kube-apiserver; the kubelet version does not matter.',
  },
  {
    id: 'CVE-2024-10220',
    title: 'Arbitrary command execution through the gitRepo volume',
    severity: 'high',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N (8.1)',
    component: 'kubelet',
    os: 'any',
    affected: [{ through: '1.28.11' }, { from: '1.29.0', through: '1.29.6' }, { from: '1.30.0', through: '1.30.2' }],
    fixed: ['1.28.12', '1.29.7', '1.30.3', '1.31.0'],
    source: 'https://github.com/kubernetes/kubernetes/issues/128885',
    note: 'Affects clusters where pods use the in-tree gitRepo volume; whether any pod does is not visible from the node configuration.',
    needs: 'a pod on the node uses a gitRepo volume',
    mitigation: 'Forbid gitRepo volumes by admission policy; clone in an init container into an emptyDir instead.',
  },
  {
    id: 'CVE-2025-1767',
    title: 'gitRepo volume can access local git repositories of other pods on the node',
    severity: 'medium',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N (6.5)',
    component: 'kubelet',
    os: 'any',
    affected: [{ before: '1.36.0' }],
    fixed: [],
    source: 'https://github.com/kubernetes/kubernetes/issues/130786',
    note: 'The advisory: all versions, no fix (the in-tree gitRepo volume is deprecated). KEP-5040 disabled the plugin by default in 1.33 behind the GitRepoVolumeDriver gate (kubernetes/kubernetes PR #129923) and locked it off in 1.36 (PR #136400), so 1.33–1.35 are exposed only with GitRepoVolumeDriver=true.',
    condition: (facts, v) => {
      if (!atLeast(v, '1.33.0')) {
        return { exposed: true, why: 'the gitRepo volume plugin is always on before 1.33' };
      }
      const g = gate(facts, 'GitRepoVolumeDriver', v, () => false);
      if ('unknown' in g) return { exposed: 'unknown', why: g.unknown };
      return g.on
        ? { exposed: true, why: `${g.how}: the gitRepo volume plugin is enabled`, evidence: g.evidence }
        : { exposed: false, why: `the gitRepo volume plugin is disabled (${g.how})`, evidence: g.evidence };
    },
    needs: 'a pod on the node uses a gitRepo volume',
    mitigation: 'Forbid gitRepo volumes by admission policy (clone in an init container instead); on 1.33+ keep the GitRepoVolumeDriver gate off.',
  },
  {
    id: 'CVE-2023-2431',
    title: 'Bypass of seccomp profile enforcement (Localhost profile with an empty localhostProfile)',
    severity: 'low',
    cvss: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N (3.4)',
    component: 'kubelet',
    os: 'any',
    affected: [{ through: '1.24.13' }, { from: '1.25.0', through: '1.25.9' }, { from: '1.26.0', through: '1.26.4' }, { from: '1.27.0', through: '1.27.1' }],
    fixed: ['1.24.14', '1.25.10', '1.26.5', '1.27.2'],
    source: 'https://github.com/kubernetes/kubernetes/issues/118690',
    note: 'Affects pods that use seccompProfile type Localhost with an empty localhostProfile; not visible from the node configuration.',
    needs: 'a pod on the node uses seccompProfile type Localhost with an empty localhostProfile',
    mitigation: 'Reject pods with seccompProfile type Localhost and an empty localhostProfile by admission policy.',
  },
  {
    id: 'CVE-2023-3676',
    title: 'Insufficient input sanitization on Windows nodes leads to privilege escalation',
    severity: 'high',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H (8.8)',
    component: 'kubelet',
    os: 'windows',
    affected: [{ through: '1.24.16' }, { from: '1.25.0', through: '1.25.12' }, { from: '1.26.0', through: '1.26.7' }, { from: '1.27.0', through: '1.27.4' }, { from: '1.28.0', through: '1.28.0' }],
    fixed: ['1.24.17', '1.25.13', '1.26.8', '1.27.5', '1.28.1'],
    source: 'https://github.com/kubernetes/kubernetes/issues/119339',
    mitigation: 'Upgrade the kubelet on Windows nodes.',
  },
  {
    id: 'CVE-2023-3955',
    title: 'Insufficient input sanitization on Windows nodes leads to privilege escalation',
    severity: 'high',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H (8.8)',
    component: 'kubelet',
    os: 'windows',
    affected: [{ through: '1.24.16' }, { from: '1.25.0', through: '1.25.12' }, { from: '1.26.0', through: '1.26.7' }, { from: '1.27.0', through: '1.27.4' }, { from: '1.28.0', through: '1.28.0' }],
    fixed: ['1.24.17', '1.25.13', '1.26.8', '1.27.5', '1.28.1'],
    source: 'https://github.com/kubernetes/kubernetes/issues/119595',
    mitigation: 'Upgrade the kubelet on Windows nodes.',
  },
  {
    id: 'CVE-2023-5528',
    title: 'Insufficient input sanitization in in-tree storage plugins leads to privilege escalation on Windows nodes',
    severity: 'high',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H (7.2)',
    component: 'kubelet',
    os: 'windows',
    affected: [{ from: '1.8.0', through: '1.25.15' }, { from: '1.26.0', through: '1.26.10' }, { from: '1.27.0', through: '1.27.7' }, { from: '1.28.0', through: '1.28.3' }],
    fixed: ['1.25.16', '1.26.11', '1.27.8', '1.28.4'],
    source: 'https://github.com/kubernetes/kubernetes/issues/121879',
    note: 'The advisory says "kubelet >= v1.8.0" and lists the fixed versions; the ranges end before each fixed version.',
    mitigation: 'Upgrade the kubelet on Windows nodes; use CSI drivers instead of in-tree storage plugins.',
  },
  {
    id: 'CVE-2024-5321',
    title: 'Incorrect permissions on Windows container logs',
    severity: 'medium',
    cvss: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N (6.1)',
    component: 'kubelet',
    os: 'windows',
    affected: [{ through: '1.27.15' }, { from: '1.28.0', through: '1.28.11' }, { from: '1.29.0', through: '1.29.6' }, { from: '1.30.0', through: '1.30.2' }],
    fixed: ['1.27.16', '1.28.12', '1.29.7', '1.30.3'],
    source: 'https://github.com/kubernetes/kubernetes/issues/126161',
    mitigation: 'Upgrade the kubelet on Windows nodes.',
  },
];

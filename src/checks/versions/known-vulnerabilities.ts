// One result per known CVE (KNOWN_CVES): the kubelet version against the advisory's ranges, then
// the advisory's extra condition on the node's configuration (kubelet-facts §2 for
// CVE-2025-0426 and CVE-2024-9042, §7 for CVE-2025-4563).
//
// A flaw in code of one OS (`os: 'windows'`) is not listed on nodes the facts show to run another
// OS, and is unknown (not fail) on an affected version when the node's OS is unknown. A flaw whose
// exposure `needs` something no node evidence shows (a pod using a gitRepo volume) is unknown with
// that condition. A flaw in another component (kube-apiserver) is not-applicable, since the
// kubelet's version does not decide it.
import type { NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { KNOWN_CVES, type KnownCve } from './cves.ts';
import { describeRange, formatVersion, inRange, parseVersion, type Version } from './semver.ts';

export const knownVulnerabilities: Check = {
  meta: {
    id: 'cve-known-kubelet-vulnerabilities',
    // per CVE of kubelet-guard's list: not affected, or affected but the node avoids the flaw
    title: 'The kubelet is not exposed to the known vulnerabilities kubelet-guard lists',
    section: 'versions',
    severity: 'high',
    // each CVE's own severity (cves.ts), one entry per severity other than this check's
    emits: (['critical', 'medium', 'low', 'info'] as const)
      .map((severity) => ({ severity, ids: KNOWN_CVES.filter((c) => c.severity === severity).map((c) => c.id) }))
      .filter((x) => x.ids.length > 0)
      .map(({ severity, ids }) => ({ severity, when: `the advisory's own severity, for ${ids.join(', ')}` })),
    cis: [],
    rationale:
      'A kubelet with a published vulnerability can be attacked with public details; the advisories name the affected versions, and some also need a setting (an open read-only port, a feature gate) that the node configuration shows. An advisory that also needs what the node cannot show (a pod using a gitRepo volume) is unknown with that condition, and a flaw of another OS than the node\'s is not listed.',
    remediation: 'Upgrade the kubelet to a fixed patch release of its minor version (or newer), or apply the mitigation the advisory gives.',
  },
  evaluate: (facts): CheckResult[] => {
    const text = facts.kubelet.version?.value;
    const version = text === undefined ? undefined : parseVersion(text);
    return KNOWN_CVES.flatMap((cve) => judge(facts, cve, text, version) ?? []);
  },
};

/** The verdict on one CVE, or undefined when it is not listed (a flaw of another OS than the node's). */
export function judge(facts: NodeFacts, cve: KnownCve, text: string | undefined, v: Version | undefined): CheckResult | undefined {
  const base = { subject: cve.id, severity: cve.severity };
  const ranges = cve.affected.map(describeRange).join(', ');
  const fixed = cve.fixed.length ? `fixed in ${cve.fixed.join(', ')}` : 'no fixed version';
  const about = `${cve.title} (${cve.source})`;
  if (cve.component !== 'kubelet') {
    return { ...base, status: 'not-applicable', message: `${cve.id}: ${about} is a ${cve.component} flaw (affected ${cve.component} ${ranges}); the kubelet version does not decide it, check the ${cve.component} version` };
  }
  if (cve.os !== 'any' && facts.os && facts.os.value !== cve.os) return undefined;
  const osUnknown = cve.os !== 'any' && !facts.os ? `it affects only ${cve.os === 'windows' ? 'Windows' : 'Linux'} nodes, and this node's OS is unknown` : undefined;
  if (text === undefined) return { ...base, status: 'unknown', message: `${cve.id}: kubelet version unknown (give --kubelet-version)` };
  const source = facts.kubelet.version?.source;
  const versionEv: Evidence = { note: `kubelet version ${text}${source ? ` (from ${source})` : ''}` };
  if (!v) return { ...base, status: 'unknown', message: `${cve.id}: cannot read a version from "${text}" (give --kubelet-version)`, evidence: [versionEv] };
  const shown = formatVersion(v);
  if (!cve.affected.some((r) => inRange(v, r))) {
    return { ...base, status: 'pass', message: `${cve.id}: kubelet ${shown} is not affected (affected ${ranges}; ${fixed})`, evidence: [versionEv] };
  }
  const upgrade = cve.fixed.length ? `Upgrade the kubelet to ${fixedFor(cve, v)}; or: ${cve.mitigation}` : cve.mitigation;
  if (cve.condition) {
    const x = cve.condition(facts, v);
    const evidence = [versionEv, ...(x.evidence ?? [])];
    if (x.exposed === 'unknown') return { ...base, status: 'unknown', message: `${cve.id}: kubelet ${shown} is in the affected range ${ranges}, but whether the node is exposed cannot be known: ${x.why}`, evidence };
    if (x.exposed === false) {
      return { ...base, status: 'pass', message: `${cve.id}: kubelet ${shown} is an affected version, but the node avoids the flaw: ${x.why}`, evidence, remediation: `Still upgrade when you can (${fixed}).` };
    }
    return exposed(base, `${cve.id}: ${about}: kubelet ${shown} is affected (${ranges}) and ${x.why}`, evidence, upgrade, cve.needs, osUnknown);
  }
  return exposed(base, `${cve.id}: ${about}: kubelet ${shown} is affected (${ranges}; ${fixed})${cve.note ? `. ${cve.note}` : ''}`, [versionEv], upgrade, cve.needs, osUnknown);
}

/** fail, or unknown when exposure also needs what no node evidence shows, or the node's OS. */
function exposed(base: Pick<CheckResult, 'subject' | 'severity'>, message: string, evidence: Evidence[], remediation: string, needs: string | undefined, osUnknown: string | undefined): CheckResult {
  const ifs = [needs ? `exposed only if ${needs}, which the node's configuration cannot show` : '', osUnknown ?? ''].filter(Boolean);
  if (ifs.length > 0) return { ...base, status: 'unknown', message: `${message}; ${ifs.join('; ')}`, evidence, remediation };
  return { ...base, status: 'fail', message, evidence, remediation };
}

/** The fixed release of the node's minor version when there is one, else the fixed list. */
function fixedFor(cve: KnownCve, v: Version): string {
  const same = cve.fixed.find((f) => f.startsWith(`${v.major}.${v.minor}.`));
  return same ? `${same} or newer` : `a fixed release (${cve.fixed.join(', ')}) or newer`;
}

// The known-vulnerability table (src/checks/versions) applied to the version a kubelet tells on
// /metrics (kubernetes_build_info), once per host: the secure port (10250), the read-only port
// (10255) and the healthz port (10248) of one address are one kubelet, so every port the scan
// reached is evidence about the same flaws (the version from whichever /metrics answered, the live
// configuration from /configz, the OS from kubernetes_build_info's platform label) and one verdict
// per CVE comes out, never one per port that could disagree. The advisories' conditions read the
// live configuration when the scan collected /configz; otherwise they are unknown, except where a
// probe saw the flaw's own route served (POST /checkpoint on the read-only port: CVE-2025-0426).
// A flaw of another OS is not listed, and one of Windows is unknown without the platform label.
import type { EffectiveConfig } from '../../facts/types.ts';
import { V1BETA1_FIELDS } from '../../kubelet/kubelet-schema.ts';
import { nodeFactsFromConfigz } from '../../scan/collect.ts';
import type { Endpoint } from '../../scan/types.ts';
import type { CheckResult } from '../types.ts';
import { KNOWN_CVES, type KnownCve } from '../versions/cves.ts';
import { judge, knownVulnerabilities } from '../versions/known-vulnerabilities.ts';
import { parseVersion } from '../versions/semver.ts';
import { hostPort, isService } from './common.ts';
import { EXPOSURE_SECTION, type HostCheck } from './types.ts';

export const kubeletCve: HostCheck = {
  meta: {
    id: 'exposure-kubelet-cve',
    title: 'The scanned kubelet has no known vulnerability',
    section: EXPOSURE_SECTION,
    severity: 'high',
    ...(knownVulnerabilities.meta.emits ? { emits: knownVulnerabilities.meta.emits } : {}),
    cis: [],
    rationale: `${knownVulnerabilities.meta.rationale} A scan sees the version any client can read on /metrics, the same that tells an attacker which advisory to try; it judges each kubelet once, from all the ports of its host that answered.`,
    remediation: knownVulnerabilities.meta.remediation,
  },
  scope: 'host',
  evaluateHost(host, endpoints): CheckResult | CheckResult[] {
    const kubelet = endpoints.filter((ep) => ep.host === host && ep.state === 'open' && isService(ep, 'kubelet', 'kubelet-read-only'));
    if (kubelet.length === 0) return [];
    const versionOf = (ep: Endpoint) => ep.collected?.metrics?.kubeletVersion ?? ep.version;
    const versions = [...new Set(kubelet.map(versionOf).filter((v): v is string => v !== undefined))];
    if (versions.length === 0) {
      const why = kubelet.map((ep) => ep.collected?.metrics?.error).find((e) => e !== undefined) ?? 'the scan could not read /metrics (kubernetes_build_info) on any port of it';
      return { status: 'unknown', message: `the kubelet version of ${host} is unknown (ports ${ports(kubelet)}): ${why}` };
    }
    // Two versions on one address are two kubelets (say, kind nodes behind one IP): each judged on its own ports.
    if (versions.length === 1) return judgeKubelet(host, versions[0]!, kubelet, '');
    return versions.flatMap((v) => {
      const own = kubelet.filter((ep) => versionOf(ep) === v);
      return judgeKubelet(host, v, own, `(port ${ports(own)}) `);
    });
  },
};

function ports(eps: readonly Endpoint[]): string {
  return eps.map((e) => e.port).join(', ');
}

function judgeKubelet(host: string, version: string, eps: readonly Endpoint[], prefix: string): CheckResult[] {
  const v = parseVersion(version);
  const configz = eps.find((ep) => ep.collected?.configz?.effective)?.collected?.configz?.effective;
  const facts = nodeFactsFromConfigz(configz ?? notCollected(host, eps), host, version);
  const platform = eps.map((ep) => ep.collected?.metrics?.platform).find((p) => p !== undefined);
  const os = platform?.split('/')[0];
  if (os === 'linux' || os === 'windows') facts.os = { value: os, source: `the platform label ${platform ?? ''} of kubernetes_build_info in /metrics` };
  return KNOWN_CVES.flatMap((cve) => {
    const r = observed(cve, eps) ?? judge(facts, cve, version, v);
    if (!r) return [];
    return [{ ...r, ...(r.subject ? { subject: `${prefix}${r.subject}` } : {}) }];
  });

  /** A CVE whose exposure a probe saw directly; judged with that condition in place of the configuration's. */
  function observed(cve: KnownCve, all: readonly Endpoint[]): CheckResult | undefined {
    if (cve.id !== 'CVE-2025-0426' || configz) return undefined;
    // the read-only port served POST /checkpoint (for a pod that does not exist: 404 after routing, nothing checkpointed)
    const ro = all.find((ep) => ep.service === 'kubelet-read-only' && ep.reachable.includes('checkpoint'));
    if (!ro) return undefined;
    const seen = { note: `${hostPort(ro)} answered POST /checkpoint without credentials (the route is served on the read-only port)` };
    return judge(facts, { ...cve, condition: () => ({ exposed: true, why: `the read-only port ${ro.port} serves the checkpoint API without authentication (seen by the scan)`, evidence: [seen] }) }, version, v);
  }
}

/** Every setting unknown, for a scan that did not collect /configz: the advisories' conditions stay unknown. */
function notCollected(host: string, eps: readonly Endpoint[]): EffectiveConfig {
  const err = eps.map((ep) => ep.collected?.configz?.error).find((e) => e !== undefined);
  const why = err ? `the kubelet's /configz could not be read: ${err}` : "the scan did not read the kubelet's /configz (use --collect with an identity that reaches it)";
  const eff: EffectiveConfig = {};
  for (const f of V1BETA1_FIELDS) eff[f.path] = { value: null, source: { kind: 'configz', detail: `not read from ${host}` }, unknown: why };
  return eff;
}

// The known-vulnerability table (src/checks/versions) applied to the version a kubelet tells on
// /metrics (kubernetes_build_info). The advisories' conditions read the live configuration when the
// scan collected /configz; otherwise they are unknown. The OS comes from kubernetes_build_info's
// platform label: a flaw of another OS is not listed, and one of Windows is unknown without it.
import type { EffectiveConfig } from '../../facts/types.ts';
import { V1BETA1_FIELDS } from '../../kubelet/kubelet-schema.ts';
import { nodeFactsFromConfigz } from '../../scan/collect.ts';
import type { Endpoint } from '../../scan/types.ts';
import type { CheckResult } from '../types.ts';
import { KNOWN_CVES } from '../versions/cves.ts';
import { judge, knownVulnerabilities } from '../versions/known-vulnerabilities.ts';
import { parseVersion } from '../versions/semver.ts';
import { hostPort, isService, notOpen } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const kubeletCve: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-cve',
    title: 'The scanned kubelet has no known vulnerability',
    section: EXPOSURE_SECTION,
    severity: 'high',
    ...(knownVulnerabilities.meta.emits ? { emits: knownVulnerabilities.meta.emits } : {}),
    cis: [],
    rationale: `${knownVulnerabilities.meta.rationale} A scan sees the version any client can read on /metrics, the same that tells an attacker which advisory to try.`,
    remediation: knownVulnerabilities.meta.remediation,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet', 'kubelet-read-only')) return [];
    const version = ep.collected?.metrics?.kubeletVersion ?? ep.version;
    if (ep.service === 'kubelet-read-only' && (ep.state !== 'open' || version === undefined)) return [];
    if (ep.state !== 'open') return notOpen(ep);
    if (version === undefined) {
      const why = ep.collected?.metrics?.error ?? 'the scan could not read /metrics (kubernetes_build_info) with its identity';
      return { status: 'unknown', message: `the kubelet version of ${hostPort(ep)} is unknown: ${why}` };
    }
    const v = parseVersion(version);
    const facts = nodeFactsFromConfigz(ep.collected?.configz?.effective ?? notCollected(ep), ep.host, version);
    const platform = ep.collected?.metrics?.platform;
    const os = platform?.split('/')[0];
    if (os === 'linux' || os === 'windows') facts.os = { value: os, source: `the platform label ${platform ?? ''} of kubernetes_build_info in /metrics` };
    return KNOWN_CVES.flatMap((cve) => judge(facts, cve, version, v) ?? []);
  },
};

/** Every setting unknown, for a scan that did not collect /configz: the advisories' conditions stay unknown. */
function notCollected(ep: Endpoint): EffectiveConfig {
  const why = ep.collected?.configz?.error
    ? `the kubelet's /configz could not be read: ${ep.collected.configz.error}`
    : "the scan did not read the kubelet's /configz (use --collect with an identity that reaches it)";
  const eff: EffectiveConfig = {};
  for (const f of V1BETA1_FIELDS) eff[f.path] = { value: null, source: { kind: 'configz', detail: `not read from ${hostPort(ep)}` }, unknown: why };
  return eff;
}

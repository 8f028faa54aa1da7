// A verdict on a kubelet setting speaks of the configuration the audit read. When the kubelet would
// refuse that configuration (kubelet-config-accepted fails), no kubelet runs with it: the verdict
// stays, so the fix is not lost, but says so; when only some versions refuse it and the version is
// unknown, it says that. Both say which finding decides, so the two findings never disagree.
import type { NodeFacts } from '../facts/types.ts';
import type { CheckMeta, CheckResult } from './types.ts';

/** Diagnostics that mean "the kubelet refuses what it was given" (not systemd's refusals of its unit). */
const KUBELET_REFUSALS = new Set(['config-invalid', 'dropin-invalid', 'flag-invalid', 'config-refused', 'flag-removed', 'feature-gate-refused']);
/** Sections whose verdicts rest on the kubelet's effective configuration. */
const SETTING_SECTIONS = new Set<CheckMeta['section']>(['cis-4.2', 'kubelet-api']);

export function refusalNote(facts: NodeFacts): string | undefined {
  const refusals = facts.kubelet.diagnostics.filter((d) => d.fatal && KUBELET_REFUSALS.has(d.code));
  if (refusals.length === 0) return undefined;
  if (refusals.some((d) => !d.versions)) return 'the kubelet would refuse this configuration and not start with it (see kubelet-config-accepted)';
  if (facts.kubelet.version) return 'whether this kubelet accepts this configuration is not decided (see kubelet-config-accepted)';
  return 'some kubelet versions refuse this configuration and the version is unknown (see kubelet-config-accepted)';
}

/** The result with the note added, for a pass or fail of a check whose verdict rests on the configuration. */
export function withRefusalNote(meta: CheckMeta, r: CheckResult, note: string | undefined): CheckResult {
  if (!note || !SETTING_SECTIONS.has(meta.section) || (r.status !== 'pass' && r.status !== 'fail')) return r;
  return { ...r, message: `${r.message}; ${note}` };
}

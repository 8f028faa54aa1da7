// Small pure helpers shared by the kubelet checks of this folder (no I/O, no clock).
import type { EffectiveSetting, NodeFacts, Provenance, SettingValue } from '../../facts/types.ts';
import type { Evidence } from '../types.ts';
export { redactUrl } from '../../facts/redact.ts';

export const RESTART = 'then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).';

/** The kubelet's major.minor where the facts know it ("v1.31.2", "1.36.0-eks-…"). */
export function kubeletMinor(facts: NodeFacts): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(facts.kubelet.version?.value ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Whether the kubelet is at least major.minor; undefined when its version is unknown. */
export function atLeast(facts: NodeFacts, major: number, minor: number): boolean | undefined {
  const v = kubeletMinor(facts);
  if (!v) return undefined;
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** Loopback addresses, as the kernel treats them (127.0.0.0/8, ::1) plus the name localhost. */
export function isLoopback(addr: string): boolean {
  const a = addr.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost' || a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Evidence for a setting whose value must not be shown (header values, URL credentials). */
export function redactedEvidence(setting: string, s: EffectiveSetting, value: SettingValue, note?: string): Evidence {
  const source: Provenance = { ...s.source };
  if (source.detail && source.kind === 'flag') source.detail = `${flagName(source.detail)}=<redacted>`;
  const e: Evidence = { setting, value, source };
  if (source.file) e.file = source.file;
  if (source.line) e.line = source.line;
  if (note) e.note = note;
  return e;
}

/** "In FILE line N" / "On the kubelet command line" for a provenance, without its text. */
export function whereSet(p: Provenance): string {
  if (!p.file) return p.kind === 'flag' ? 'On the kubelet command line' : 'In the kubelet configuration';
  return `In ${p.file}${p.line ? ` line ${p.line}` : ''}`;
}

/** `--manifest-url` of `--manifest-url=VALUE` or `--manifest-url VALUE` (pflag's two forms). */
export function flagName(text: string): string {
  return text.split(/[= ]/)[0] ?? text;
}

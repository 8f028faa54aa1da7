// Shared helpers for checks about one setting of the effective configuration: reading it (or the
// reason it cannot be known), citing it as evidence, and writing the exact fix for this node.
import type { EffectiveSetting, NodeFacts, SettingValue } from '../facts/types.ts';
import { fieldByPath } from '../kubelet/kubelet-schema.ts';
import type { CheckResult, Evidence } from './types.ts';
import { describeFixes } from '../fix/describe.ts';
import { proposeSetting } from '../fix/propose-setting.ts';
import { distributionNamed } from '../distros/index.ts';

export type Lookup = { ok: true; s: EffectiveSetting } | { ok: false; why: string };

/** The setting's effective value, or why it cannot be known (no kubelet, a refused file, …). */
export function lookup(facts: NodeFacts, setting: string): Lookup {
  if (facts.kubelet.missing) return { ok: false, why: facts.kubelet.missing };
  const s = facts.kubelet.effective[setting];
  if (!s) return { ok: false, why: `${setting} is not part of the evidence` };
  if (s.unknown) return { ok: false, why: s.unknown };
  return { ok: true, s };
}

export function evidenceOf(setting: string, s: EffectiveSetting): Evidence {
  const e: Evidence = { setting, value: s.value, source: s.source };
  if (s.source.file) e.file = s.source.file;
  if (s.source.line) e.line = s.source.line;
  return e;
}

/** Human words for where a value came from: "set by --read-only-port=10255 (/etc/default/kubelet:1)". */
export function describeSource(s: EffectiveSetting): string {
  const at = s.source.file ? ` (${s.source.file}${s.source.line ? `:${s.source.line}` : ''})` : '';
  switch (s.source.kind) {
    case 'flag':
      return `set by the flag ${s.source.detail ?? ''}${at}`.replace('  ', ' ');
    case 'config-file':
      return `set in the config file${at}`;
    case 'drop-in':
      return `set by the drop-in${at}`;
    case 'config-default':
      return s.source.file ? `the config-file default (${s.source.detail ?? 'defaulted'}${at})` : 'the config-file default (not set in the file)';
    case 'flag-default':
      return 'the kubelet flag default (no --config file sets it)';
    case 'configz':
      return `read from the live configz${at}`;
    case 'distribution-default':
      return `set by the distribution: ${s.source.detail ?? ''}${at}`;
  }
}

export function show(v: SettingValue): string {
  return typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
}

/**
 * The exact change for this node, as proposals for `kubelet-guard fix` (src/fix/propose-setting.ts
 * decides where it goes by the kubelet's precedence) and the remediation written from them; where
 * no change can be proposed, why, and the change in words.
 */
export function settingFix(facts: NodeFacts, setting: string, want: SettingValue, flagWant?: string): Pick<CheckResult, 'remediation' | 'fixes' | 'noFix'> {
  const p = proposeSetting(facts, setting, want, flagWant);
  // the kubelet's restart is said the distribution's way by the distribution note (checks/distribution-note.ts)
  if ('fixes' in p) return { fixes: p.fixes, remediation: describeFixes(p.fixes) };
  return { noFix: p.noFix, remediation: fixInWords(facts, setting, want, flagWant) };
}

/** The remediation alone, for checks that compose it with more words. */
export function fixSetting(facts: NodeFacts, setting: string, want: SettingValue, flagWant?: string): string {
  return settingFix(facts, setting, want, flagWant).remediation ?? '';
}

/** The change in words where no proposal can be made (the value unknown, a flag only on the running process). */
function fixInWords(facts: NodeFacts, setting: string, want: SettingValue, flagWant?: string): string {
  const restart = 'then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).';
  const flag = setting.startsWith('--') ? setting.slice(2) : fieldByPath(setting)?.flag;
  const flagText = flag ? `--${flag}=${flagWant ?? show(want)}` : undefined;
  const yaml = `\`${setting}\` to \`${show(want)}\``;
  const s = facts.kubelet.effective[setting];
  // k3s, RKE2: the flag belongs in the distribution's own config (Distribution.flagHint)
  const hint = facts.distribution ? distributionNamed(facts.distribution.name)?.flagHint : undefined;
  if (hint) return `${hint.replace('{flag}', flagText ?? `${setting}: ${show(want)}`)}.`;
  if (s?.source.kind === 'flag') {
    return `${where(s.source.file, s.source.line)}: ${flagWant === '' ? `remove \`${s.source.detail}\`` : `replace \`${s.source.detail}\` with \`${flagText}\``}; ${restart}`;
  }
  if (setting.startsWith('--')) return `Add \`${flagText}\` to the kubelet's command line; ${restart}`;
  if (facts.kubelet.configFile) return `In ${facts.kubelet.configFile}, set ${yaml}; ${restart}`;
  const orFlag = flagText ? `, or add \`${flagText}\` to its command line` : '';
  return `Start the kubelet with a --config file that sets ${yaml}${orFlag}; ${restart}`;
}

function where(file?: string, line?: number): string {
  if (!file) return 'On the kubelet command line';
  return `In ${file}${line ? ` line ${line}` : ''}`;
}

/**
 * The common shape of a one-setting check: unknown when the value cannot be known, else pass or
 * fail by `judge`, with the setting as evidence and the fix for this node.
 */
export function judgeSetting(
  facts: NodeFacts,
  setting: string,
  judge: (v: SettingValue, s: EffectiveSetting) => { pass: boolean; message: string },
  fix: { want: SettingValue; flag?: string },
): CheckResult {
  const l = lookup(facts, setting);
  if (!l.ok) return { status: 'unknown', message: `${setting} cannot be known: ${l.why}` };
  const r = judge(l.s.value, l.s);
  return {
    status: r.pass ? 'pass' : 'fail',
    message: `${r.message}; ${describeSource(l.s)}`,
    evidence: [evidenceOf(setting, l.s)],
    ...(r.pass ? {} : settingFix(facts, setting, fix.want, fix.flag)),
  };
}

/** A check that passes when a boolean setting has the wanted value. */
export function expectBool(setting: string, want: boolean, passMessage: string, failMessage: string): (facts: NodeFacts) => CheckResult {
  return (facts) =>
    judgeSetting(facts, setting, (v) => (v === want ? { pass: true, message: passMessage } : { pass: false, message: failMessage }), { want });
}

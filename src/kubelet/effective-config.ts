// The kubelet's effective configuration, computed in the kubelet's own order
// (kubelet-facts §4 and §5, cmd/kubelet/app/server.go):
//   1. flag defaults (v1beta1 defaults with the four insecure legacy values, applyLegacyDefaults);
//   2. --config FILE replaces them, defaulted by the v1beta1 rules (a zero value in a non-pointer
//      field is replaced; pointer fields keep an explicit zero or false);
//   3. --config-dir drop-ins, as JSON merge patches in lexical order, never defaulted;
//   4. flags given explicitly on the command line, last (feature gates merge key by key).
// Every value keeps its provenance. A file the kubelet would refuse makes the settings it would
// have decided `unknown`, never a guess.
import type { EffectiveConfig, EffectiveSetting, ParsedFlag, Provenance, SettingValue } from '../facts/types.ts';
import type { ConfigDoc } from './config-file.ts';
import { flagByName, V1BETA1_FIELDS, zeroValue, type FieldSpec, type FlagSpec } from './kubelet-schema.ts';
import { normalizeGoDuration } from './go-duration.ts';
import { parseGoBool, parseGoInt } from './pflag.ts';

/** Flag-only settings (no config field) that checks ask about, with the kubelet's defaults. */
export const FLAG_ONLY_SETTINGS: Record<string, string> = {
  'hostname-override': '',
  kubeconfig: '',
  'bootstrap-kubeconfig': '',
  config: '',
  'config-dir': '',
  'cert-dir': '/var/lib/kubelet/pki',
  'root-dir': '/var/lib/kubelet',
  'node-ip': '',
};

export interface ConfigInputs {
  /** explicit flags, in command-line order */
  flags: readonly ParsedFlag[];
  /** the --config file when one is given: parsed, or why it could not be read */
  configFile?: { path: string; doc?: ConfigDoc; unreadable?: string };
  /** the --config-dir drop-ins in the order the kubelet applies them */
  dropIns: readonly ConfigDoc[];
  /** why the --config-dir folder could not be listed */
  dropInDirUnreadable?: string;
  /** why part of the command line could not be read: then no setting can be known */
  commandLineHidden?: string;
}

const clone = (v: SettingValue): SettingValue => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

export function computeEffectiveConfig(inp: ConfigInputs): EffectiveConfig {
  const eff: EffectiveConfig = {};
  const flagsFor = new Map<string, ParsedFlag[]>();
  for (const f of inp.flags) {
    const list = flagsFor.get(f.name) ?? [];
    list.push(f);
    flagsFor.set(f.name, list);
  }

  // Why the file-based layers cannot be known for every setting, or for some of them.
  let allUnknown: string | undefined;
  const someUnknown = new Map<string, string>();
  const cf = inp.configFile;
  if (cf?.unreadable) allUnknown = `the --config file ${cf.path} could not be read (${cf.unreadable})`;
  else if (cf?.doc?.refused) allUnknown = `the kubelet refuses its --config file ${cf.path}${cf.doc.refused.line ? ` (line ${cf.doc.refused.line})` : ''}: ${cf.doc.refused.message}`;
  else if (cf?.doc?.unanalysed) allUnknown = `the --config file ${cf.path} is not analysed${cf.doc.unanalysed.line ? ` (line ${cf.doc.unanalysed.line})` : ''}: ${cf.doc.unanalysed.message}`;
  if (inp.dropInDirUnreadable) allUnknown ??= inp.dropInDirUnreadable;
  for (const d of inp.dropIns) {
    // A drop-in the audit did not analyse may set anything.
    if (d.unanalysed) allUnknown ??= `the drop-in ${d.file} is not analysed${d.unanalysed.line ? ` (line ${d.unanalysed.line})` : ''}: ${d.unanalysed.message}`;
    if (!d.refused) continue;
    const why = `the kubelet refuses the drop-in ${d.file}${d.refused.line ? ` (line ${d.refused.line})` : ''}: ${d.refused.message}`;
    if (d.named.length === 0) allUnknown ??= why;
    for (const p of d.named) if (!someUnknown.has(p)) someUnknown.set(p, why);
  }

  for (const f of V1BETA1_FIELDS) {
    // 1–2: defaults, then the config file
    let s: EffectiveSetting;
    if (cf) {
      s = fromConfigFile(f, cf.path, cf.doc);
    } else {
      const d = f.flagDefault !== undefined ? f.flagDefault : f.default;
      s = { value: d === undefined ? zeroValue(f) : clone(d as SettingValue), source: { kind: 'flag-default' } };
    }
    // 3: drop-ins, merge patches (objects merge, lists and scalars replace; null changes nothing)
    for (const d of inp.dropIns) {
      const v = d.values.get(f.path);
      if (!v || d.refused) continue;
      const merged = f.type === 'boolMap' || f.type === 'stringMap' || f.type === 'object'
        ? mergePatch(s.value, v.value)
        : v.value;
      s = { value: merged, source: { kind: 'drop-in', file: d.file, line: v.line } };
    }
    const why = allUnknown ?? someUnknown.get(f.path);
    if (why) s = { value: null, source: s.source, unknown: why };

    // 4: explicit flags win
    if (f.flag) {
      const given = flagsFor.get(f.flag);
      const spec = flagByName(f.flag);
      if (given && given.length > 0 && spec) s = applyFlags(f, spec, given, s);
    }
    if (inp.commandLineHidden) s = { value: null, source: s.source, unknown: inp.commandLineHidden };
    eff[f.path] = s;
  }

  // Feature gates one by one, so a check can cite the line that sets a single gate.
  const gates = eff['featureGates'];
  if (gates && !gates.unknown && gates.value && typeof gates.value === 'object') {
    for (const [gate, on] of Object.entries(gates.value)) {
      eff[`featureGates.${gate}`] = { value: on as boolean, source: gateSource(gate, inp) ?? gates.source };
    }
  }

  for (const [name, dflt] of Object.entries(FLAG_ONLY_SETTINGS)) {
    const last = flagsFor.get(name)?.at(-1);
    const s: EffectiveSetting = last ? { value: last.value, source: flagSource(last) } : { value: dflt, source: { kind: 'flag-default' } };
    eff[`--${name}`] = inp.commandLineHidden ? { value: null, source: s.source, unknown: inp.commandLineHidden } : s;
  }
  return eff;
}

/**
 * A field after the --config file and the v1beta1 defaulter (defaults.go): a non-pointer field's
 * zero value is replaced, a pointer (or `defaultWhen: 'nil'`) field only when absent; podPidsLimit
 * also when negative; a few defaults depend on another field. evictionHard gets the Linux
 * defaults from loadConfigFile when absent (server.go).
 */
function fromConfigFile(f: FieldSpec, path: string, doc: ConfigDoc | undefined): EffectiveSetting {
  const v = doc?.values.get(f.path);
  const keepsZero = f.pointer || f.defaultWhen === 'nil';
  let dflt = f.default as SettingValue | undefined;
  if (f.defaultDependsOn) {
    const other = doc?.values.get(f.defaultDependsOn.field)?.value;
    if (f.defaultDependsOn.rule === 'copy-when-set' && other !== undefined && other !== '0s' && other !== 0) dflt = other;
    if (f.defaultDependsOn.rule === 'false-when-at-least-2' && typeof other === 'number' && other >= 2) dflt = false;
  }
  if (v) {
    const replace =
      dflt !== undefined &&
      ((v.zero && !keepsZero) || (f.defaultWhen === 'nilOrNegative' && typeof v.value === 'number' && v.value < 0));
    if (!replace) return { value: v.value, source: { kind: 'config-file', file: path, line: v.line } };
    return {
      value: clone(dflt as SettingValue),
      source: { kind: 'config-default', file: path, line: v.line, detail: `the file writes ${JSON.stringify(v.value)}; the v1beta1 defaulter replaces it` },
    };
  }
  if (dflt !== undefined) return { value: clone(dflt), source: { kind: 'config-default' } };
  if (f.configFileDefault !== undefined) return { value: clone(f.configFileDefault as SettingValue), source: { kind: 'config-default', detail: 'set by the kubelet when the --config file leaves it out' } };
  return { value: zeroValue(f), source: { kind: 'config-default' } };
}

function flagSource(f: ParsedFlag): Provenance {
  // a flag the distribution adds itself (k3s's own kubelet arguments): its default, not the user's
  if (f.by !== undefined) return { kind: 'distribution-default', ...(f.file !== undefined ? { file: f.file, line: f.line } : {}), detail: `${f.text}, set by ${f.by}` };
  return { kind: 'flag', file: f.file, line: f.line, detail: f.text };
}

function applyFlags(f: FieldSpec, spec: FlagSpec, given: ParsedFlag[], before: EffectiveSetting): EffectiveSetting {
  const last = given.at(-1)!;
  const source = flagSource(last);
  switch (spec.kind) {
    case 'mapStringBool':
    case 'mapStringString': {
      // cliflag map flags merge KEY=VALUE pairs over repeated uses; the gates named in the config
      // file stay unless a flag names them (kubeletConfigFlagPrecedence).
      const base = before.unknown ? {} : { ...(before.value as Record<string, unknown>) };
      for (const g of given) {
        const sep = spec.mapFormat === 'key<value' ? '<' : '=';
        const pairs = spec.mapFormat === 'key=value-nosplit' ? [g.value] : g.value.split(',');
        for (const kv of pairs) {
          const i = kv.indexOf(sep);
          if (i <= 0) continue;
          const k = kv.slice(0, i).trim();
          const raw = kv.slice(i + 1).trim();
          base[k] = spec.kind === 'mapStringBool' ? parseGoBool(raw) ?? raw : raw;
        }
      }
      if (before.unknown) return { value: null, source, unknown: `${before.unknown}; the flags set only ${Object.keys(base).join(', ')}` };
      return { value: base, source };
    }
    case 'stringSlice': {
      // pflag's stringSlice: the first use replaces the default, later uses append.
      const all = given.flatMap((g) => g.value.split(',').map((x) => x.trim()).filter((x) => x !== ''));
      return { value: all, source };
    }
    default: {
      const v = convertFlag(f, last.value);
      if (v === undefined) return { value: null, source, unknown: `the flag ${last.text} is invalid, so the kubelet does not start` };
      // seccompDefault: the flag and the config field are ORed (kubelet-facts §4 table).
      if (f.path === 'seccompDefault' && v === false && before.value === true && !before.unknown) return before;
      return { value: v, source };
    }
  }
}

function convertFlag(f: FieldSpec, text: string): SettingValue | undefined {
  switch (f.type) {
    case 'bool':
      return parseGoBool(text);
    case 'int32':
    case 'int64':
      return parseGoInt(text);
    case 'float': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? undefined : n;
    }
    case 'duration':
      return normalizeGoDuration(text);
    case 'stringList':
      return text.split(',').map((x) => x.trim()).filter((x) => x !== '');
    default:
      return text;
  }
}

/** RFC 7386 merge patch of plain values. */
export function mergePatch(target: SettingValue, patch: SettingValue): SettingValue {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch((out[k] ?? null) as SettingValue, v as SettingValue);
  }
  return out;
}

/** The last place that set one feature gate: a flag, else a drop-in, else the config file. */
function gateSource(gate: string, inp: ConfigInputs): Provenance | undefined {
  for (const f of [...inp.flags].reverse()) {
    if (f.name === 'feature-gates' && f.value.split(',').some((kv) => kv.split('=')[0]?.trim() === gate)) return flagSource(f);
  }
  for (const d of [...inp.dropIns].reverse()) {
    const v = d.values.get('featureGates');
    if (v && typeof v.value === 'object' && v.value && gate in v.value) return { kind: 'drop-in', file: d.file, line: v.keyLines?.[gate] ?? v.line };
  }
  const v = inp.configFile?.doc?.values.get('featureGates');
  if (v && typeof v.value === 'object' && v.value && gate in v.value) return { kind: 'config-file', file: inp.configFile!.path, line: v.keyLines?.[gate] ?? v.line };
  return undefined;
}

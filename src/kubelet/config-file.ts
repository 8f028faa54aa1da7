// A KubeletConfiguration file (--config) or drop-in (--config-dir), read the way the kubelet's
// codec reads it (pkg/kubelet/kubeletconfig/util/codec/codec.go, configfiles.go):
// - an empty file is refused ("kubelet config file was empty");
// - YAML (JSON is YAML) is read as sigs.k8s.io/yaml on go-yaml v2 reads it (k8s-yaml.ts: YAML 1.1
//   scalars, merge keys applied in place, go-yaml's depth and aliasing limits); invalid YAML, invalid
//   UTF-8, a missing or wrong apiVersion/kind, or a value of the wrong type is refused;
// - strict decoding errors (unknown or duplicate fields) fall back to lenient decoding with a
//   warning: the kubelet starts, the unknown field is ignored, the last duplicate wins.
// Every value keeps the line of its key (for a merged value: the line inside the anchor), so findings
// can name file and line. Repeated warnings are listed up to MAX_LISTED_WARNINGS, then counted.
import { posix } from 'node:path';
import type { Diagnostic, SettingValue } from '../facts/types.ts';
import { fieldByPath, V1BETA1_FIELDS, type FieldSpec } from './kubelet-schema.ts';
import { normalizeGoDuration } from './go-duration.ts';
import { firstBadUtf8, lineOf } from '../sources/text.ts';
import { decodeK8sYaml, field, toPlain, type Duplicate, type GoNode } from '../sources/k8s-yaml.ts';

export const KUBELET_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

export interface ConfigValue {
  value: SettingValue;
  line: number;
  /** the value written was the field's zero value (the defaulter may replace it). */
  zero: boolean;
  /** for a map (featureGates): the line of each key, so a finding can cite one gate */
  keyLines?: Record<string, number>;
}

export interface ConfigDoc {
  file: string; // node path
  role: 'config-file' | 'drop-in';
  values: Map<string, ConfigValue>;
  diagnostics: Diagnostic[];
  /** why the kubelet would refuse this file; undefined when it would accept it. */
  refused?: { message: string; line?: number };
  /** the kubelet would read the file, but it is beyond what the audit analyses: every setting is unknown. */
  unanalysed?: { message: string; line?: number };
  /** setting paths the file names, also when refused (to know which settings it would decide). */
  named: string[];
}

// Nested struct prefixes, so `authentication.webhook` is walked into and not an unknown field.
const STRUCT_PREFIXES = new Set<string>();
for (const f of V1BETA1_FIELDS) {
  const parts = f.path.split('.');
  for (let i = 1; i < parts.length; i++) STRUCT_PREFIXES.add(parts.slice(0, i).join('.'));
}

export function parseConfigDoc(bytes: Buffer, file: string, role: ConfigDoc['role']): ConfigDoc {
  const doc: ConfigDoc = { file, role, values: new Map(), diagnostics: [], named: [] };
  const refuse = (message: string, line?: number): ConfigDoc => {
    doc.refused = { message, line };
    doc.diagnostics.push({
      code: role === 'config-file' ? 'config-invalid' : 'dropin-invalid',
      severity: 'high',
      message: `the kubelet refuses ${file}${line ? ` (line ${line})` : ''}: ${message}`,
      file,
      line,
      fatal: true,
    });
    return doc;
  };

  if (bytes.length === 0 || (role === 'drop-in' && bytes.toString('utf8').trim() === '')) {
    return refuse(role === 'config-file' ? 'the file is empty; the kubelet requires a configuration' : 'the drop-in is empty');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstBadUtf8(bytes);
    return refuse(`invalid UTF-8 at byte ${at.offset}; expected UTF-8 YAML or JSON`, at.line);
  }
  if (text.includes('\u0000')) return refuse('the file holds NUL bytes (binary data); expected YAML or JSON', lineOf(text, text.indexOf('\u0000')));

  const decoded = decodeK8sYaml(text);
  if (decoded.status === 'refused') return refuse(`invalid YAML: ${decoded.problem.message}`, decoded.problem.line);
  if (decoded.status === 'too-large') {
    // The kubelet would read it; the audit does not build it: every setting it could hold is unknown.
    doc.unanalysed = decoded.problem;
    const at = decoded.problem.line;
    doc.diagnostics.push({ code: 'config-not-analysed', severity: 'info', message: `${file}${at ? ` (line ${at})` : ''} is not analysed: ${decoded.problem.message}; the settings it may hold are unknown`, file, ...(at ? { line: at } : {}) });
    return doc;
  }
  if (decoded.later.count > 0) {
    doc.diagnostics.push({ code: 'config-extra-documents', severity: 'info', message: `${file} holds ${decoded.later.count + 1} YAML documents; the kubelet reads only the first`, file, ...(decoded.later.line ? { line: decoded.later.line } : {}) });
  }
  const root = decoded.root;
  if (root?.kind !== 'map') return refuse('expected a mapping (a KubeletConfiguration object) at the top level', root?.line ?? 1);

  // The names below are read even if the file is refused, to know which settings it would decide.
  const ctx: WalkContext = { doc, errors: [], unknown: [] };
  walk(root, '', ctx);
  summarise(doc, ctx.unknown, 'config-unknown-field', 'unknown fields');
  summarise(doc, decoded.duplicates.map((d) => duplicateDiagnostic(file, d)), 'config-duplicate-field', 'fields written twice');

  // apiVersion and kind decide whether the codec knows the object at all.
  const scalarOf = (k: string): { v: unknown; line?: number } | undefined => {
    const f = field(root, k);
    return f ? { v: f.value.kind === 'map' || f.value.kind === 'list' || f.value.kind === 'null' ? undefined : f.value.value, line: f.line } : undefined;
  };
  const apiVersion = scalarOf('apiVersion');
  const kind = scalarOf('kind');
  if (!apiVersion || !kind) return refuse(`Object 'Kind' is missing: the file needs "apiVersion: ${KUBELET_API_VERSION}" and "kind: KubeletConfiguration"`, 1);
  if (apiVersion.v !== KUBELET_API_VERSION || kind.v !== 'KubeletConfiguration') {
    return refuse(`no kind "${String(kind.v)}" is registered for version "${String(apiVersion.v)}": expected apiVersion ${KUBELET_API_VERSION}, kind KubeletConfiguration`, apiVersion.v !== KUBELET_API_VERSION ? apiVersion.line : kind.line);
  }
  const firstError = ctx.errors[0];
  if (firstError) return refuse(firstError.message, firstError.line);
  if (role === 'config-file') resolveRelativePaths(doc);
  return doc;
}

/** Repeated warnings of one kind: the first few, then one line that counts the rest. */
export const MAX_LISTED_WARNINGS = 20;

function summarise(doc: ConfigDoc, all: Diagnostic[], code: string, what: string): void {
  doc.diagnostics.push(...all.slice(0, MAX_LISTED_WARNINGS));
  const rest = all.length - MAX_LISTED_WARNINGS;
  if (rest > 0) {
    const at = all[MAX_LISTED_WARNINGS]!.line;
    doc.diagnostics.push({ code, severity: 'low', message: `and ${rest} more ${what} in ${doc.file}${at ? ` (the next at line ${at})` : ''}`, file: doc.file, ...(at ? { line: at } : {}) });
  }
}

function duplicateDiagnostic(file: string, d: Duplicate): Diagnostic {
  const how = d.merged ? `set at line ${d.previousLine}, then again by a merge key (<<) from line ${d.line}` : `written twice (lines ${d.previousLine} and ${d.line})`;
  return { code: 'config-duplicate-field', severity: 'low', message: `${d.path} is ${how}; the kubelet warns ("strict decoding error") and uses the last`, file, line: d.line };
}

// configfiles.go resolveRelativePaths over KubeletConfigurationPathRefs
// (pkg/kubelet/apis/config/helpers.go): relative paths in --config are relative to its folder.
const PATH_REFS = ['staticPodPath', 'authentication.x509.clientCAFile', 'tlsCertFile', 'tlsPrivateKeyFile', 'resolvConf', 'volumePluginDir', 'podLogsDir'];

function resolveRelativePaths(doc: ConfigDoc): void {
  const dir = posix.dirname(doc.file);
  for (const p of PATH_REFS) {
    const v = doc.values.get(p);
    if (v && typeof v.value === 'string' && v.value !== '' && !v.value.startsWith('/')) {
      v.value = posix.join(dir, v.value);
    }
  }
}

interface WalkContext {
  doc: ConfigDoc;
  errors: Array<{ message: string; line?: number }>;
  unknown: Diagnostic[];
}

function walk(map: GoNode, prefix: string, ctx: WalkContext): void {
  const { doc, errors } = ctx;
  if (map.kind !== 'map') return;
  for (const [key, f] of map.fields) {
    const at = f.line;
    if (prefix === '' && (key === 'apiVersion' || key === 'kind')) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const spec = fieldByPath(path);
    const valueNode = f.value;
    if (spec) {
      doc.named.push(path);
      if (valueNode.kind === 'null') {
        doc.values.delete(path); // JSON null leaves the field unset
        continue;
      }
      const r = convert(spec, valueNode);
      if ('error' in r) errors.push({ message: `${path}: ${r.error}`, line: at });
      else {
        const cv: ConfigValue = { value: r.value, line: at, zero: isZero(r.value) };
        if ((spec.type === 'boolMap' || spec.type === 'stringMap') && valueNode.kind === 'map') {
          cv.keyLines = Object.create(null) as Record<string, number>;
          for (const [k, kf] of valueNode.fields) cv.keyLines[k] = kf.line;
        }
        doc.values.set(path, cv);
      }
    } else if (STRUCT_PREFIXES.has(path)) {
      if (valueNode.kind === 'null') continue;
      if (valueNode.kind !== 'map') errors.push({ message: `${path}: expected a mapping`, line: at });
      else walk(valueNode, path, ctx);
    } else {
      ctx.unknown.push({ code: 'config-unknown-field', severity: 'low', message: `unknown field "${path}": the kubelet ignores it (lenient decoding, with a warning); check the spelling and case`, file: doc.file, line: at });
    }
  }
}

type Converted = { value: SettingValue } | { error: string };

function convert(spec: FieldSpec, node: GoNode): Converted {
  const scalar = node.kind === 'map' || node.kind === 'list' || node.kind === 'null' ? undefined : node.value;
  switch (spec.type) {
    case 'bool':
      return typeof scalar === 'boolean' ? { value: scalar } : { error: `expected true or false, got ${show(node)}` };
    case 'int32':
    case 'int64':
      return typeof scalar === 'number' && Number.isInteger(scalar) ? { value: scalar } : { error: `expected an integer, got ${show(node)}` };
    case 'float':
      return typeof scalar === 'number' ? { value: scalar } : { error: `expected a number, got ${show(node)}` };
    case 'string':
      return typeof scalar === 'string' ? { value: scalar } : { error: `expected a string, got ${show(node)}` };
    case 'duration': {
      if (typeof scalar !== 'string') return { error: `expected a duration string such as "5m0s", got ${show(node)}` };
      const d = normalizeGoDuration(scalar);
      return d === undefined ? { error: `invalid duration "${scalar}" (expected e.g. "4h0m0s")` } : { value: d };
    }
    case 'stringList':
      if (node.kind !== 'list') return { error: `expected a list of strings, got ${show(node)}` };
      {
        const out: string[] = [];
        for (const it of node.items) {
          if (it.kind !== 'string') return { error: `expected a list of strings, got an item ${show(it)}` };
          out.push(it.value);
        }
        return { value: out };
      }
    case 'boolMap':
    case 'stringMap': {
      if (node.kind !== 'map') return { error: `expected a mapping, got ${show(node)}` };
      const out: Record<string, unknown> = {};
      for (const [k, f] of node.fields) {
        const v = f.value.kind === 'map' || f.value.kind === 'list' || f.value.kind === 'null' ? undefined : f.value.value;
        if (spec.type === 'boolMap' && typeof v !== 'boolean') return { error: `${k}: expected true or false` };
        if (spec.type === 'stringMap' && typeof v !== 'string') return { error: `${k}: expected a string` };
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return { value: out };
    }
    default:
      return { value: toPlain(node) as SettingValue };
  }
}

function show(node: GoNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'list') return 'a list';
  if (node.kind === 'null') return 'null';
  return `${typeof node.value} ${JSON.stringify(node.value)}`;
}

export function isZero(v: SettingValue): boolean {
  if (v === null || v === false || v === 0 || v === '' || v === '0s') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}


// A KubeletConfiguration file (--config) or drop-in (--config-dir), read the way the kubelet's
// codec reads it (pkg/kubelet/kubeletconfig/util/codec/codec.go, configfiles.go):
// - an empty file is refused ("kubelet config file was empty");
// - YAML (JSON is YAML) is read as Go's YAML 1.1 parser does (`yes` is true); invalid YAML, invalid
//   UTF-8, a missing or wrong apiVersion/kind, or a value of the wrong type is refused;
// - strict decoding errors (unknown or duplicate fields) fall back to lenient decoding with a
//   warning: the kubelet starts, the unknown field is ignored, the last duplicate wins.
// Every value keeps the line of its key, so findings can name file and line.
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, parseAllDocuments, type Node, type Pair } from 'yaml';
import { posix } from 'node:path';
import type { Diagnostic, SettingValue } from '../facts/types.ts';
import { fieldByPath, V1BETA1_FIELDS, type FieldSpec } from './kubelet-schema.ts';
import { normalizeGoDuration } from './go-duration.ts';
import { firstBadUtf8, lineOf } from '../sources/text.ts';

export const KUBELET_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

export interface ConfigValue {
  value: SettingValue;
  line: number;
  /** the value written was the field's zero value (the defaulter may replace it). */
  zero: boolean;
}

export interface ConfigDoc {
  file: string; // node path
  role: 'config-file' | 'drop-in';
  values: Map<string, ConfigValue>;
  diagnostics: Diagnostic[];
  /** why the kubelet would refuse this file; undefined when it would accept it. */
  refused?: { message: string; line?: number };
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

  const lc = new LineCounter();
  const line = (n: Node | null | undefined): number | undefined => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter: lc, uniqueKeys: false, prettyErrors: true });
  if (!Array.isArray(docs)) return refuse('not a YAML document');
  const first = docs[0];
  if (!first) return refuse('no YAML document in the file');
  for (const e of first.errors) {
    return refuse(`invalid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line);
  }
  if (docs.length > 1) {
    doc.diagnostics.push({ code: 'config-extra-documents', severity: 'info', message: `${file} holds ${docs.length} YAML documents; the kubelet reads only the first`, file, line: line(docs[1]!.contents) });
  }
  // Go's YAML refuses "excessive aliasing" too; only a text with an alias (*) can be a bomb.
  if (text.includes('*')) {
    try {
      first.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return refuse(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const root = first.contents;
  if (!isMap(root)) return refuse('expected a mapping (a KubeletConfiguration object) at the top level', line(root) ?? 1);

  // apiVersion and kind decide whether the codec knows the object at all.
  const top = new Map<string, Pair>();
  for (const p of root.items) if (isScalar(p.key)) top.set(String(p.key.value), p);
  const scalarOf = (k: string): { v: unknown; line?: number } | undefined => {
    const p = top.get(k);
    return p ? { v: isScalar(p.value) ? p.value.value : undefined, line: line(p.key as Node) } : undefined;
  };
  // The names below are read even if the file is refused, to know which settings it would decide.
  const walkErrors: Array<{ message: string; line?: number }> = [];
  walk(root, '', { doc, line, errors: walkErrors, deref: derefIn(first) });

  const apiVersion = scalarOf('apiVersion');
  const kind = scalarOf('kind');
  if (!apiVersion || !kind) return refuse(`Object 'Kind' is missing: the file needs "apiVersion: ${KUBELET_API_VERSION}" and "kind: KubeletConfiguration"`, 1);
  if (apiVersion.v !== KUBELET_API_VERSION || kind.v !== 'KubeletConfiguration') {
    return refuse(`no kind "${String(kind.v)}" is registered for version "${String(apiVersion.v)}": expected apiVersion ${KUBELET_API_VERSION}, kind KubeletConfiguration`, apiVersion.v !== KUBELET_API_VERSION ? apiVersion.line : kind.line);
  }
  const firstError = walkErrors[0];
  if (firstError) return refuse(firstError.message, firstError.line);
  if (role === 'config-file') resolveRelativePaths(doc);
  return doc;
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
  line: (n: Node | null | undefined) => number | undefined;
  errors: Array<{ message: string; line?: number }>;
  deref: (n: Node | null) => Node | null;
}

/** An alias's target (Go's YAML resolves aliases too; the bomb was refused above). */
function derefIn(d: Document.Parsed): (n: Node | null) => Node | null {
  return (n) => {
    let cur = n;
    for (let i = 0; i < 100 && cur && isAlias(cur); i++) cur = (cur.resolve(d) as Node | undefined) ?? null;
    return cur;
  };
}

function walk(map: Node, prefix: string, ctx: WalkContext): void {
  const { doc, line, errors } = ctx;
  if (!isMap(map)) return;
  const seen = new Map<string, number>();
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    const at = line(keyNode) ?? line(pair.value as Node);
    if (key === undefined) {
      errors.push({ message: 'a mapping key that is not a plain string', line: at });
      continue;
    }
    if (prefix === '' && (key === 'apiVersion' || key === 'kind')) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (seen.has(path)) {
      doc.diagnostics.push({ code: 'config-duplicate-field', severity: 'low', message: `${path} is written twice (lines ${seen.get(path)} and ${at}); the kubelet warns ("strict decoding error") and uses the last`, file: doc.file, line: at });
    }
    seen.set(path, at ?? 0);
    const spec = fieldByPath(path);
    const valueNode = ctx.deref(pair.value as Node | null);
    if (spec) {
      doc.named.push(path);
      if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) {
        doc.values.delete(path); // JSON null leaves the field unset
        continue;
      }
      const r = convert(spec, valueNode, ctx.deref);
      if ('error' in r) errors.push({ message: `${path}: ${r.error}`, line: at });
      else doc.values.set(path, { value: r.value, line: at ?? 1, zero: isZero(r.value) });
    } else if (STRUCT_PREFIXES.has(path)) {
      if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) continue;
      if (!isMap(valueNode)) errors.push({ message: `${path}: expected a mapping`, line: at });
      else walk(valueNode, path, ctx);
    } else {
      doc.diagnostics.push({ code: 'config-unknown-field', severity: 'low', message: `unknown field "${path}": the kubelet ignores it (lenient decoding, with a warning); check the spelling and case`, file: doc.file, line: at });
    }
  }
}

type Converted = { value: SettingValue } | { error: string };

function convert(spec: FieldSpec, node: Node, deref: WalkContext['deref']): Converted {
  const scalar = isScalar(node) ? node.value : undefined;
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
      if (!isSeq(node)) return { error: `expected a list of strings, got ${show(node)}` };
      {
        const out: string[] = [];
        for (const raw of node.items) {
          const it = deref(raw as Node);
          if (!isScalar(it) || typeof it.value !== 'string') return { error: `expected a list of strings, got an item ${show(it as Node)}` };
          out.push(it.value);
        }
        return { value: out };
      }
    case 'boolMap':
    case 'stringMap': {
      if (!isMap(node)) return { error: `expected a mapping, got ${show(node)}` };
      const out: Record<string, unknown> = {};
      for (const p of node.items) {
        const k = isScalar(p.key) ? String(p.key.value) : undefined;
        const vn = deref(p.value as Node | null);
        const v = isScalar(vn) ? vn.value : undefined;
        if (k === undefined) return { error: 'a mapping key that is not a string' };
        if (spec.type === 'boolMap' && typeof v !== 'boolean') return { error: `${k}: expected true or false` };
        if (spec.type === 'stringMap' && typeof v !== 'string') return { error: `${k}: expected a string` };
        out[k] = v;
      }
      return { value: out };
    }
    default:
      return { value: toPlain(node) as SettingValue };
  }
}

function toPlain(node: Node): unknown {
  return (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
}

function show(node: Node): string {
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return 'something else';
}

export function isZero(v: SettingValue): boolean {
  if (v === null || v === false || v === 0 || v === '' || v === '0s') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}


// The formats each command writes, and where (issue 13, item 1). One registry: per command, each
// format with a writer `(report, context) => string`; a new format (HTML, JUnit, Markdown) is one
// line per command here. `-f/--format` picks the format of standard output; `-o/--output`,
// repeatable, writes others in the same run (the audit runs once): `FORMAT=FILE`, `FORMAT=-` for
// standard output, or a bare `FILE` in the -f format. Files are written whole (output-files.ts).
// Formats a command streams as the audit runs (scan's jsonl, the cluster's json: a 5,000-node
// cluster's findings are never held) have no writer here: the command writes them itself.
import path from 'node:path';
import type { NodeReport } from './model.ts';
import { formatJson } from './json.ts';
import { formatTable } from './table.ts';
import { formatScanTable } from './scan-table.ts';
import { formatClusterTable } from './cluster-table.ts';
import { formatSarif } from './sarif.ts';
import { clusterHtml, nodeHtml, scanHtml } from './html.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { inertMessage } from './terminal.ts';
import type { ReportCommand } from './catalogue.ts';
import type { ReportHeader } from './contract.ts';
import type { Finding } from '../checks/types.ts';
import type { Summary } from '../checks/run.ts';
import type { Endpoint } from '../scan/types.ts';
import type { ClusterNode } from '../commands/cluster.ts';
import type { TriageReport } from './triage.ts';
import { suppressionWarnings } from './suppressions.ts';
import type { BenchmarkChoice } from '../profiles/index.ts';

/** How the output a writer writes to looks: a terminal's width and colour, and the table's options. */
export interface WriteContext {
  color: boolean;
  width: number;
  quiet?: boolean;
  all?: boolean;
  showConfig?: boolean;
  /** the run's redaction (io.secrets), for writers that must redact before they escape (HTML) */
  redact?: (text: string) => string;
}

export interface FormatSpec<R> {
  /** the whole report as text; absent: streamed by the command as the audit runs */
  write?: (report: R, ctx: WriteContext) => string;
  /** cluster: the findings the writer needs ('table': failed and unknown, each RBAC check's first TABLE_MAX_RBAC_FAILS; 'open': every failed and unknown; 'all') */
  findings?: 'table' | 'open' | 'all';
}

export type ScanJsonReport = ReportHeader & {
  scan: { targets: number; ports: number[]; probes: number; open: number; elapsedMs: number; timing?: Record<string, unknown> };
  endpoints: Endpoint[];
  findings: Finding[];
  summary: Summary;
} & TriageReport;

export type ClusterJsonHead = ReportHeader & { cluster: { server: string; nodes: number }; benchmark?: BenchmarkChoice };

/** What a cluster report's writers get: the findings their spec asks for. */
export type ClusterFullReport = ClusterJsonHead & {
  nodes: ClusterNode[];
  findings: Finding[];
  summary: Summary;
  rbacFails?: Record<string, number>;
  incomplete?: string;
} & TriageReport;

const scanTable = (r: ScanJsonReport, c: WriteContext) =>
  formatScanTable({ endpoints: r.endpoints, findings: r.findings, summary: { ...r.scan, targets: String(r.scan.targets) }, ...(r.suppressions ? { suppressions: r.suppressions } : {}), ...(r.baseline ? { baseline: r.baseline } : {}) }, c);

/** Expired and stale suppressions as SARIF notifications of the run. */
const sarifNotes = (r: TriageReport): { notes?: string[] } => (r.suppressions ? { notes: suppressionWarnings(r.suppressions) } : {});

export const FORMATS = {
  node: {
    table: { write: (r, c) => formatTable(r, c) },
    json: { write: (r) => formatJson(r) },
    html: { write: (r, c) => nodeHtml(r, c.redact ? { redact: c.redact } : {}) },
    sarif: { write: (r) => formatSarif({ command: 'node', findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), target: r.target, ...(typeof r.inputs.options['root'] === 'string' ? { root: r.inputs.options['root'] } : {}), ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), summary: r.summary, ...sarifNotes(r) }) },
    junit: { write: (r, c) => formatJunit({ command: 'node', target: r.target, generatedAt: r.generatedAt, findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), ...(c.redact ? { redact: c.redact } : {}) }) },
    markdown: { write: (r, c) => formatMarkdown({ command: 'node', target: r.target, findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), summary: r.summary, ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), ...(c.redact ? { redact: c.redact } : {}) }) },
  },
  scan: {
    table: { write: scanTable },
    json: { write: (r) => `${JSON.stringify(r, null, 2)}\n` },
    jsonl: {},
    html: { write: (r, c) => scanHtml(r, c.redact ? { redact: c.redact } : {}) },
    sarif: { write: (r) => formatSarif({ command: 'scan', findings: r.findings, target: `scan of ${r.scan.targets} address(es)`, summary: r.summary, ...sarifNotes(r) }) },
    junit: { write: (r, c) => formatJunit({ command: 'scan', target: `scan of ${r.scan.targets} address(es)`, generatedAt: r.generatedAt, findings: r.findings, ...(c.redact ? { redact: c.redact } : {}) }) },
    markdown: { write: (r, c) => formatMarkdown({ command: 'scan', target: `scan of ${r.scan.targets} address(es)`, findings: r.findings, summary: r.summary, ...(c.redact ? { redact: c.redact } : {}) }) },
  },
  cluster: {
    table: { findings: 'table', write: (r, c) => `${r.incomplete !== undefined ? `INCOMPLETE: ${inertMessage(r.incomplete)}\n` : ''}${formatClusterTable(r, c)}` },
    json: {},
    // every finding: the nodes × checks matrix shows the passes too
    html: { findings: 'all', write: (r, c) => clusterHtml(r, c.redact ? { redact: c.redact } : {}) },
    sarif: { findings: 'open', write: (r) => formatSarif({ command: 'cluster', findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), target: r.cluster.server, ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), summary: r.summary, ...sarifNotes(r) }) },
    // every finding: a pass is a passed testcase
    junit: { findings: 'all', write: (r, c) => formatJunit({ command: 'cluster', target: r.cluster.server, generatedAt: r.generatedAt, findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), ...(c.redact ? { redact: c.redact } : {}) }) },
    markdown: { findings: 'open', write: (r, c) => formatMarkdown({ command: 'cluster', target: r.cluster.server, findings: r.findings, ...(r.benchmark ? { benchmark: r.benchmark } : {}), summary: r.summary, ...(r.incomplete !== undefined ? { incomplete: r.incomplete } : {}), ...(c.redact ? { redact: c.redact } : {}) }) },
  },
} as const satisfies { node: Record<string, FormatSpec<NodeReport>>; scan: Record<string, FormatSpec<ScanJsonReport>>; cluster: Record<string, FormatSpec<ClusterFullReport>> };

export type FormatOf<C extends ReportCommand> = keyof (typeof FORMATS)[C] & string;

/** The formats a command writes, in the registry's order. */
export const formatsOf = (command: ReportCommand): string[] => Object.keys(FORMATS[command]);

/** A format's spec, typed for its command's report. */
export function formatSpec<C extends ReportCommand>(command: C, format: string): FormatSpec<C extends 'node' ? NodeReport : C extends 'scan' ? ScanJsonReport : ClusterFullReport> {
  return (FORMATS[command] as Record<string, FormatSpec<never>>)[format] as never;
}

export interface OutputTarget {
  format: string;
  /** undefined: standard output */
  file: string | undefined;
}

/**
 * Where each format goes. No -o: the -f format to standard output, as always. With -o, only what
 * the -o options name is written: `FORMAT=FILE`, `FORMAT=-` (standard output), a bare `FILE` or
 * `-` in the -f format. A word of letters before `=` is always a format (write `./a=b` for a file
 * named so). A usage error (exit 2) names what the command can write.
 */
export function selectOutputs(command: ReportCommand, format: string, outputs: readonly string[] | undefined): OutputTarget[] | { error: string } {
  const known = formatsOf(command);
  const can = `kubelet-guard ${command} writes ${known.join(', ')}`;
  if (!known.includes(format)) return { error: `--format ${format}: ${can}` };
  if (!outputs?.length) return [{ format, file: undefined }];
  const targets: OutputTarget[] = [];
  for (const o of outputs) {
    const m = /^([a-z][a-z0-9]*)=(.*)$/s.exec(o);
    const f = m ? m[1]! : format;
    const file = m ? m[2]! : o;
    if (!known.includes(f)) return { error: `--output ${o}: ${can}, not ${f}` };
    if (file === '') return { error: `--output ${o}: no file name (use ${f}=- for standard output)` };
    targets.push({ format: f, file: file === '-' ? undefined : file });
  }
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) return { error: `--output: only one report can go to standard output (${toStdout.map((t) => t.format).join(' and ')} were given; write the others to files)` };
  const seen = new Map<string, string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    const key = path.resolve(t.file);
    if (seen.has(key)) return { error: `--output: ${t.file} is given twice (${seen.get(key)} and ${t.format})` };
    seen.set(key, t.format);
  }
  return targets;
}

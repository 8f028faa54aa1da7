// The versioned JSON contract (issue 13, item 8): every JSON report (node, scan, cluster) starts
// with what a program reading it needs before the rest — the version of its shape, when it was
// made, by which tool, and the inputs that shaped it (the command and its options, never a
// secret: a token is said to be given, never quoted). schemas/*.schema.json describe each report;
// a change that breaks a reader (a field renamed, removed or retyped) raises SCHEMA_VERSION.
import pkg from '../../package.json' with { type: 'json' };
import type { ReportCommand } from './catalogue.ts';

export const SCHEMA_VERSION = '1';

export interface ReportHeader {
  schemaVersion: typeof SCHEMA_VERSION;
  generatedAt: string;
  tool: { name: 'kubelet-guard'; version: string };
  inputs: { command: ReportCommand; options: Record<string, unknown> };
}

/** The header of a report, its options without the undefined ones (and never a credential: the caller leaves them out). */
export function reportHeader(command: ReportCommand, options: Record<string, unknown>, generatedAt: string = new Date().toISOString()): ReportHeader {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { schemaVersion: SCHEMA_VERSION, generatedAt, tool: { name: 'kubelet-guard', version: pkg.version }, inputs: { command, options: defined } };
}

// Shared by the two diagnostics checks: a Diagnostic as a result subject, evidence and fix.
import type { Diagnostic } from '../../facts/types.ts';
import type { Evidence } from '../types.ts';

export function placeOf(d: Diagnostic): string {
  return d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : d.code;
}

export function evidenceOfDiagnostic(d: Diagnostic): Evidence[] {
  return [{ ...(d.file ? { file: d.file } : {}), ...(d.line ? { line: d.line } : {}), note: `${d.code}: ${d.message}` }];
}

export function where(d: Diagnostic): string {
  return d.file ? `In ${d.file}${d.line ? ` line ${d.line}` : ''}` : 'On the kubelet command line';
}

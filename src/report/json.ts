import type { NodeReport } from './model.ts';

export function formatJson(report: NodeReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

// `kubelet-guard checks`: the check catalogue (report/catalogue.ts) for people (a table) and for
// programs (JSON, with the contract's header): every check of node, scan and cluster with its
// section, severity, CIS ids, setting, rationale, remediation and its anchor in docs/checks.md.
import type { Io } from '../cli.ts';
import { catalogue } from '../report/catalogue.ts';
import { SCHEMA_VERSION } from '../report/contract.ts';
import pkg from '../../package.json' with { type: 'json' };
import { inert } from '../report/terminal.ts';
import { reportWidth, wrapText } from '../report/wrap.ts';

export interface ChecksCommandOptions {
  format: 'table' | 'json';
}

export function runChecksCommand(opts: ChecksCommandOptions, io: Io): number {
  const all = catalogue();
  if (opts.format === 'json') {
    io.out.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, tool: { name: 'kubelet-guard', version: pkg.version }, checks: all }, null, 2)}\n`);
    return 0;
  }
  const width = reportWidth(io.out);
  const out: string[] = [`kubelet-guard ${pkg.version}: ${all.length} checks (kubelet-guard checks --format json for every field)`];
  let section = '';
  for (const c of all) {
    const head = c.commands.includes('node') || c.commands.includes('scan') ? c.sectionTitle : `Cluster: ${c.sectionTitle}`;
    if (head !== section) {
      section = head;
      out.push('', head);
    }
    const cis = c.cis.length ? ` CIS ${c.cis.join(', ')}` : '';
    out.push(`  ${c.id}  ${c.severity}${cis}  [${c.commands.join(', ')}]`);
    out.push(...wrapText(inert(c.title), Math.max(20, width - 4)).split('\n').map((l) => `    ${l}`));
  }
  out.push('', `Each check's rationale and fix: docs/checks.md#ID (${all[0]?.helpUri.replace(/#.*$/, '') ?? ''}).`);
  io.out.write(`${out.join('\n')}\n`);
  return 0;
}

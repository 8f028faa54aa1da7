// `kubelet-guard node`: gather the node's facts, run the node checks, print the report.
import fs from 'node:fs';
import type { Io } from '../cli.ts';
import pkg from '../../package.json' with { type: 'json' };
import { gatherNodeFacts } from '../sources/node.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import { failedAtOrAbove, runChecks, type FailOn } from '../checks/run.ts';
import { buildNodeReport } from '../report/model.ts';
import { formatJson } from '../report/json.ts';
import { formatTable } from '../report/table.ts';
import { registerNodeSecrets } from '../report/node-secrets.ts';
import { inertMessage } from '../report/terminal.ts';
import { reasonOf } from '../sources/errno.ts';

export interface NodeCommandOptions {
  root?: string;
  format: 'table' | 'json';
  failOn: FailOn;
  kubeletVersion?: string;
  quiet?: boolean;
  showConfig?: boolean;
  color?: boolean;
}

export function runNodeCommand(opts: NodeCommandOptions, io: Io): number {
  if (opts.root !== undefined) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(opts.root);
    } catch (e) {
      io.err.write(`kubelet-guard: ${inertMessage(`--root ${opts.root}: ${reasonOf(e)}: expected a folder holding a node's filesystem`)}`);
      return 2;
    }
    if (!st.isDirectory()) {
      io.err.write(`kubelet-guard: ${inertMessage(`--root ${opts.root}: not a folder; expected a folder holding a node's filesystem`)}`);
      return 2;
    }
  }
  if (opts.kubeletVersion !== undefined && !/^v?[0-9]+\.[0-9]+\.[0-9]+/.test(opts.kubeletVersion)) {
    io.err.write(`kubelet-guard: ${inertMessage(`--kubelet-version ${opts.kubeletVersion}: expected a version such as 1.31.4`)}`);
    return 2;
  }
  const facts = gatherNodeFacts({ root: opts.root, kubeletVersion: opts.kubeletVersion?.replace(/^v/, '') });
  if (io.secrets) registerNodeSecrets(facts, io.secrets);
  const findings = runChecks(NODE_CHECKS, facts);
  const report = buildNodeReport(facts, findings, pkg.version);
  if (opts.format === 'json') io.out.write(formatJson(report));
  else io.out.write(formatTable(report, { color: useColor(opts.color, io.out), quiet: opts.quiet, showConfig: opts.showConfig }));
  return failedAtOrAbove(findings, opts.failOn) ? 1 : 0;
}

/** --color/--no-color win; else colour only on a TTY without NO_COLOR (https://no-color.org). */
export function useColor(flag: boolean | undefined, out: { isTTY?: boolean }): boolean {
  if (flag !== undefined) return flag;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  return out.isTTY === true;
}

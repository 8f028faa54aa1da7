// `kubelet-guard fix --cluster`: the cluster-side fixes (issue 12, item 6). Not built yet.
import type { Io } from '../report/output.ts';
import { inertMessage } from '../report/terminal.ts';
import type { FixCommandOptions } from './fix.ts';

export async function runFixCluster(_opts: FixCommandOptions, io: Io): Promise<number> {
  io.err.write(`kubelet-guard: ${inertMessage('fix --cluster is not implemented yet')}`);
  return 2;
}

// `kubelet-guard fix`: what to change to close the ways around the API server. Three modes:
// the node (a plan, or --write), --cluster (src/commands/fix-cluster.ts) and --firewall.
import { firewallJson, iptablesScript, nftRuleset, parseCidrList } from '../fix/firewall.ts';
import type { Io } from '../report/output.ts';
import { inertMessage } from '../report/terminal.ts';

export interface FixCommandOptions {
  root?: string;
  write?: boolean;
  backupDir?: string;
  check?: string[];
  severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  kubeletVersion?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  timeout?: string;
  firewall?: boolean;
  allow?: string[];
  etcdAllow?: string[];
  format?: 'text' | 'json' | 'yaml' | 'nft' | 'iptables';
  color?: boolean;
}

const USAGE = 2;

function usage(io: Io, msg: string): number {
  io.err.write(`kubelet-guard: ${inertMessage(msg)}`);
  return USAGE;
}

export async function runFix(opts: FixCommandOptions, io: Io): Promise<number> {
  if (opts.firewall) return runFirewall(opts, io);
  if (opts.cluster) {
    const { runFixCluster } = await import('./fix-cluster.ts');
    return runFixCluster(opts, io);
  }
  return usage(io, 'fix: node and cluster fixes are not implemented yet');
}

function runFirewall(opts: FixCommandOptions, io: Io): number {
  const format = opts.format ?? 'nft';
  if (format !== 'nft' && format !== 'iptables' && format !== 'json') return usage(io, `fix --firewall --format ${JSON.stringify(format)}: expected nft, iptables or json`);
  // --allow is required: without it 10250 would be closed to the API server too (no logs, exec)
  if (!opts.allow || opts.allow.length === 0) return usage(io, 'fix --firewall: --allow CIDR,... is required (the API servers and monitoring that reach the kubelet on 10250)');
  const allow = parseCidrList(opts.allow, '--allow');
  if (typeof allow === 'string') return usage(io, allow);
  const etcdAllow = parseCidrList(opts.etcdAllow ?? [], '--etcd-allow');
  if (typeof etcdAllow === 'string') return usage(io, etcdAllow);
  const input = { allow, etcdAllow };
  io.out.write(format === 'nft' ? nftRuleset(input) : format === 'iptables' ? iptablesScript(input) : firewallJson(input));
  return 0;
}

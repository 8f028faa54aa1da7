// `kubelet-guard fix`: what to change to close the ways around the API server. Three modes:
// the node (a plan, or --write), --cluster (src/commands/fix-cluster.ts) and --firewall.
import { NODE_CHECKS } from '../checks/index.ts';
import { runChecks } from '../checks/run.ts';
import { firewallJson, iptablesScript, nftRuleset, parseCidrList } from '../fix/firewall.ts';
import { makePlan, type Plan } from '../fix/plan.ts';
import { formatPlanText, planJson } from '../fix/plan-report.ts';
import { chooseProfile, idsOf } from '../profiles/index.ts';
import { applyWrites, type PlannedAttr, type PlannedWrite } from '../fix/safe-write.ts';
import { octal, shellWord } from '../fix/describe.ts';
import type { Io } from '../report/output.ts';
import { registerNodeSecrets } from '../report/node-secrets.ts';
import { inert, inertMessage } from '../report/terminal.ts';
import { gatherNodeFacts } from '../sources/node.ts';
import { RootFs } from '../sources/root-fs.ts';
import { nodeIncomplete, rootProblem, versionProblem } from './node.ts';

export interface FixCommandOptions {
  root?: string;
  write?: boolean;
  backupDir?: string;
  check?: string[];
  severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  kubeletVersion?: string;
  distribution?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  timeout?: string;
  firewall?: boolean;
  allow?: string[];
  etcdAllow?: string[];
  format?: 'text' | 'json' | 'yaml' | 'nft' | 'iptables';
  color?: boolean;
  /** --benchmark NAME (src/profiles): the ids the plan's findings are listed with */
  benchmark?: string;
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
  return runNodeFix(opts, io);
}

const EXIT_DONE = 0;
const EXIT_NOT_PROVEN = 1;
const EXIT_INCOMPLETE = 3;

/** The node: a plan (default) or --write, then the re-audit of what was written. */
function runNodeFix(opts: FixCommandOptions, io: Io): number {
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(io, `fix --format ${JSON.stringify(format)}: expected text or json (nft and iptables are for --firewall, yaml for --cluster)`);
  if (opts.allow || opts.etcdAllow) return usage(io, 'fix: --allow and --etcd-allow go with --firewall');
  const bad = rootProblem(opts.root) ?? versionProblem(opts.kubeletVersion);
  if (bad) return usage(io, bad);
  const checks = opts.check?.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  const unknownIds = checks?.filter((id) => !NODE_CHECKS.some((c) => c.meta.id === id)) ?? [];
  if (unknownIds.length > 0) return usage(io, `fix --check: no node check ${unknownIds.map((id) => JSON.stringify(id)).join(', ')} (kubelet-guard node --format json lists the check ids)`);
  const root = opts.root ?? '/';
  const plan = makePlan({
    fs: new RootFs(root),
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.kubeletVersion ? { kubeletVersion: opts.kubeletVersion.replace(/^v/, '') } : {}),
    ...(opts.distribution !== undefined ? { distribution: opts.distribution } : {}),
    ...(checks ? { checks } : {}),
    ...(opts.severity ? { severity: opts.severity } : {}),
  });
  if (io.secrets) registerNodeSecrets(plan.facts, io.secrets);
  // nothing audited (no kubelet, not a node): say so, as the node command does, never "nothing to change"
  const incomplete = nodeIncomplete(plan.facts, plan.findings, opts.root);
  if (incomplete !== undefined && plan.changes.length === 0) {
    io.err.write(`kubelet-guard fix: ${inertMessage(incomplete)}`);
    return EXIT_INCOMPLETE;
  }
  const { profile, choice } = chooseProfile(opts.benchmark, plan.facts.distribution);
  const bench = { choice, ids: (check: string) => idsOf(profile, check) };
  if (!opts.write) {
    io.out.write(format === 'json' ? `${JSON.stringify(planJson(plan, bench), null, 2)}\n` : formatPlanText(plan, { benchmark: bench }));
    return EXIT_DONE;
  }
  if (format === 'text') io.out.write(formatPlanText(plan, { write: true, benchmark: bench }));
  if (plan.changes.length === 0) {
    if (format === 'json') io.out.write(`${JSON.stringify({ ...planJson(plan, bench), written: [] }, null, 2)}\n`);
    return EXIT_DONE;
  }
  const result = write(plan, opts, root);
  if (!result.ok) {
    if (format === 'json') io.out.write(`${JSON.stringify({ ...planJson(plan, bench), error: result.error }, null, 2)}\n`);
    io.err.write(`kubelet-guard fix: ${inertMessage(result.error)}`);
    return EXIT_NOT_PROVEN;
  }
  // The proof on disk: the audit re-run from the written files; every fixed finding must pass.
  const facts = gatherNodeFacts({ ...(opts.root !== undefined ? { root: opts.root } : {}), ...(opts.kubeletVersion ? { kubeletVersion: opts.kubeletVersion.replace(/^v/, '') } : {}), distribution: plan.facts.distribution?.name, kubeletFromFiles: true });
  const after = runChecks(NODE_CHECKS, facts);
  const open = plan.fixed.filter((f) => after.some((a) => a.check === f.check && (a.subject ?? '') === (f.subject ?? '') && a.status !== 'pass' && a.status !== 'not-applicable'));
  if (format === 'json') io.out.write(`${JSON.stringify({ ...planJson(plan, bench), written: result.lines, reaudit: { open: open.map((f) => ({ check: f.check, ...(f.subject ? { subject: f.subject } : {}) })) } }, null, 2)}\n`);
  else {
    io.out.write(`\nWritten:\n${result.lines.map((l) => `  ${inert(l)}`).join('\n')}\n`);
    io.out.write(open.length === 0 ? `Re-audit of the written files: all ${plan.fixed.length} fixed findings pass.\n` : `Re-audit of the written files: ${open.length} fixed finding(s) do not pass: ${open.map((f) => inert(f.check)).join(', ')}\n`);
  }
  return open.length === 0 ? EXIT_DONE : EXIT_NOT_PROVEN;
}

/** The plan's changes through the safe writer: content changes (with any mode or owner of the same file) and attribute-only changes. */
function write(plan: Plan, opts: FixCommandOptions, root: string): { ok: true; lines: string[] } | { ok: false; error: string } {
  if (plan.regressions.length > 0) return { ok: false, error: `the plan would make ${plan.regressions.map((r) => r.check).join(', ')} worse: nothing written` };
  // each fix was proven alone; together they must still close every finding they target
  const open = plan.fixed.filter((f) => f.after !== 'pass' && f.after !== 'not-applicable');
  if (open.length > 0) return { ok: false, error: `together, the plan's changes do not close ${open.map((f) => f.check).join(', ')}: nothing written` };
  const writes: PlannedWrite[] = [];
  const attrs: PlannedAttr[] = [];
  for (const c of plan.changes) {
    const owner = c.owner ? { uid: c.owner.to.uid, gid: c.owner.to.gid } : {};
    const mode = c.mode ? { mode: c.mode.to } : {};
    if (c.after !== undefined) writes.push({ path: c.path, content: c.after, ...mode, ...owner, ...(c.create ? { create: true as const } : {}) });
    else attrs.push({ path: c.path, ...mode, ...owner });
  }
  const r = applyWrites(writes, { root, now: new Date(), ...(opts.backupDir ? { backupDir: opts.backupDir } : {}) }, attrs);
  if (!r.ok) return { ok: false, error: `nothing was written: ${r.file} (${r.step}): ${r.error}` };
  const lines = [
    ...r.written.map((w) => `${w.target}  (backup: ${w.backup})`),
    ...(r.created ?? []).map((c) => `${c.target}  (created; to undo: rm ${shellWord(c.target)})`),
    ...(r.attrs ?? []).map((a) => `${a.target}  mode ${octal(a.before.mode)}, owner ${a.before.uid}:${a.before.gid} → mode ${octal(a.after.mode)}, owner ${a.after.uid}:${a.after.gid}  (to undo: chown ${a.before.uid}:${a.before.gid} ${shellWord(a.target)} && chmod ${octal(a.before.mode)} ${shellWord(a.target)})`),
  ];
  return { ok: true, lines };
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

// `kubelet-guard node`: gather the node's facts, run the node checks, print the report.
import fs from 'node:fs';
import type { Io } from '../cli.ts';
import { gatherNodeFacts } from '../sources/node.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import { auditExitCode, failedAtOrAbove, judges, nothingJudged, runChecks, type FailOn } from '../checks/run.ts';
import type { NodeFacts } from '../facts/types.ts';
import type { Finding } from '../checks/types.ts';
import { buildNodeReport } from '../report/model.ts';
import { formatSpec, selectOutputs } from '../report/formats.ts';
import { openOutputs, type OpenOutputs } from '../report/output-files.ts';
import { reportHeader } from '../report/contract.ts';
import { registerNodeSecrets } from '../report/node-secrets.ts';
import { inertMessage } from '../report/terminal.ts';
import { reportWidth } from '../report/wrap.ts';
import { reasonOf } from '../sources/errno.ts';
import { loadTriage, triageInputs } from '../report/triage.ts';
import { utcDay } from '../report/suppressions.ts';
import { chooseProfile, withBenchmark } from '../profiles/index.ts';

export interface NodeCommandOptions {
  root?: string;
  format: string;
  /** -o/--output: FORMAT=FILE, FORMAT=-, FILE (report/formats.ts) */
  output?: string[];
  failOn: FailOn;
  kubeletVersion?: string;
  /** --distribution NAME (src/distros), instead of the one detected */
  distribution?: string;
  /** --benchmark NAME (src/profiles), instead of the distribution's own */
  benchmark?: string;
  quiet?: boolean;
  all?: boolean;
  showConfig?: boolean;
  color?: boolean;
  ignoreFile?: string;
  skip?: string[];
  check?: string[];
  baseline?: string;
  failOnNew?: boolean;
}

export function runNodeCommand(opts: NodeCommandOptions, io: Io): number {
  const bad = rootProblem(opts.root);
  if (bad) {
    io.err.write(`kubelet-guard: ${inertMessage(bad)}`);
    return 2;
  }
  const badVersion = versionProblem(opts.kubeletVersion);
  if (badVersion) {
    io.err.write(`kubelet-guard: ${inertMessage(badVersion)}`);
    return 2;
  }
  const triage = loadTriage('node', opts, process.cwd(), utcDay(new Date()));
  if ('error' in triage) {
    io.err.write(`kubelet-guard: ${inertMessage(triage.error)}`);
    return 2;
  }
  const targets = selectOutputs('node', opts.format, opts.output);
  if ('error' in targets) {
    io.err.write(`kubelet-guard: ${inertMessage(targets.error)}`);
    return 2;
  }
  let outs: OpenOutputs;
  try {
    outs = openOutputs(targets, io);
  } catch (e) {
    io.err.write(`kubelet-guard: ${inertMessage((e as Error).message)}`);
    return 2;
  }
  try {
    const facts = gatherNodeFacts({ root: opts.root, kubeletVersion: opts.kubeletVersion?.replace(/^v/, ''), ...(opts.distribution !== undefined ? { distribution: opts.distribution } : {}) });
    if (io.secrets) registerNodeSecrets(facts, io.secrets);
    const { profile, choice } = chooseProfile(opts.benchmark, facts.distribution);
    // --skip/--check: the checks left out are not run at all; the rest are marked (suppressed, baseline)
    const findings = runChecks(NODE_CHECKS.filter((c) => triage.runs(c.meta.id)), facts).flatMap((f) => triage.mark(withBenchmark(f, profile), facts.target) ?? []);
    const triaged = triage.report();
    const incomplete = nodeIncomplete(facts, findings, opts.root);
    const header = reportHeader('node', { root: opts.root, kubeletVersion: opts.kubeletVersion, distribution: opts.distribution, benchmark: opts.benchmark, failOn: opts.failOn, ...triageInputs(opts) }, facts.now);
    const report = { ...buildNodeReport(facts, findings, header, choice), ...(incomplete !== undefined ? { incomplete } : {}), ...triaged };
    for (const w of triage.warnings(triaged)) io.err.write(`kubelet-guard node: warning: ${inertMessage(w)}`);
    // first, before the report: a run that audited nothing says what was not found and what to try
    if (incomplete !== undefined) io.err.write(`kubelet-guard node: ${inertMessage(incomplete)}`);
    for (const o of outs.outputs) {
      const ctx = { color: useColor(opts.color, o.stream), quiet: opts.quiet, all: opts.all, showConfig: opts.showConfig, width: reportWidth(o.stream), ...(io.secrets ? { redact: (t: string) => io.secrets!.redact(t) } : {}) };
      o.stream.write(formatSpec('node', o.format).write!(report, ctx));
    }
    const failed = outs.commit();
    if (failed !== undefined) {
      io.err.write(`kubelet-guard: cannot write the report: ${inertMessage(failed)}`);
      return 2;
    }
    return auditExitCode(failedAtOrAbove(findings.filter((f) => triage.counts(f)), opts.failOn), incomplete);
  } finally {
    outs.abort();
  }
}

/** Why --root DIR cannot be a node's filesystem (not there, not a folder), or undefined. */
export function rootProblem(root: string | undefined): string | undefined {
  if (root === undefined) return undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch (e) {
    return `--root ${root}: ${reasonOf(e)}: expected a folder holding a node's filesystem`;
  }
  return st.isDirectory() ? undefined : `--root ${root}: not a folder; expected a folder holding a node's filesystem`;
}

/** Why --kubelet-version is not a version, or undefined. */
export function versionProblem(v: string | undefined): string | undefined {
  return v !== undefined && !/^v?[0-9]+\.[0-9]+\.[0-9]+/.test(v) ? `--kubelet-version ${v}: expected a version such as 1.31.4` : undefined;
}

/**
 * Why this node audit audited nothing (exit 3), or undefined: no kubelet and none of the other
 * evidence a node has (no control-plane component, no static pod), so this is no node (a --root
 * that is not a node's filesystem, a live run on a machine that is no node); or no finding judged
 * anything (every one unknown or not applicable).
 */
export function nodeIncomplete(facts: NodeFacts, findings: readonly Finding[], root: string | undefined): string | undefined {
  const k = facts.kubelet;
  const components = facts.controlPlane?.components.length ?? 0;
  const pods = facts.staticPods?.manifests.length ?? 0;
  if (!k.invocation && components === 0 && pods === 0) {
    // one short line first (the table and `kubelet:` line give the detail of what was looked for)
    const none = 'no kubelet unit, process or config, no control-plane component, no static pod';
    return root !== undefined
      ? `no kubelet found under --root ${root}: ${none}; is this a node's root filesystem? (try --root /host when running in a pod with the node's / mounted there)`
      : `no kubelet found on this machine: ${none}; run kubelet-guard as root on a Kubernetes node, or give --root DIR for a node's filesystem (--root /host in a pod)`;
  }
  const none = nothingJudged(findings.filter(judges).length, findings.length);
  return none === undefined ? undefined : `nothing judged on ${facts.target}: ${none}; see the unknown findings for what could not be read (live: run as root)`;
}

/** --color/--no-color win; else colour only on a TTY without NO_COLOR (https://no-color.org). */
export function useColor(flag: boolean | undefined, out: { isTTY?: boolean }): boolean {
  if (flag !== undefined) return flag;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  return out.isTTY === true;
}

// The command line. Exit codes: 0 nothing failed at or above --fail-on, 1 something did,
// 2 usage or internal error; 3 nothing failed but the audit is incomplete or audited nothing
// (node: no kubelet, control-plane component or static pod, i.e. not a node, or no finding judged;
// cluster: the run deadline passed, a list was stopped at a bound, the API server could not list
// the nodes or lists none, or no finding judged; never scan, whose "no open port" is a result),
// decided for every command by auditExitCode in checks/run.ts; 141 (bin/kubelet-guard.js) the
// reader of the output went away before the report was written.
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { runNodeCommand, type NodeCommandOptions } from './commands/node.ts';
import type { ScanCommandOptions } from './commands/scan.ts';
import type { ClusterCommandOptions } from './commands/cluster.ts';
import type { ExplainCommandOptions, RbacForCommandOptions } from './commands/explain.ts';
import type { FixCommandOptions } from './commands/fix.ts';
import type { ChecksCommandOptions } from './commands/checks.ts';
import { formatsOf } from './report/formats.ts';
import { DISTRIBUTIONS } from './distros/index.ts';
import { PROFILES } from './profiles/index.ts';

import { createOutput, type Io, type Output } from './report/output.ts';
import { inert, inertMessage } from './report/terminal.ts';

export type { Io } from './report/output.ts';

export const EXIT_USAGE = 2;

/** -o/--output, for every command that writes a report (report/formats.ts). */
const outputOption = (command: 'node' | 'scan' | 'cluster'): Option =>
  new Option('-o, --output <[format=]file>', `also or instead write a report to FILE (- is standard output), in FORMAT (${formatsOf(command).join(', ')}) or the --format one; repeatable, the audit runs once; with -o only the outputs named are written`).argParser(collect);

/** --ignore-file, --skip, --check, --baseline, --fail-on-new: the same on node, scan and cluster (report/triage.ts). */
function addTriageOptions(c: Command): Command {
  return c
    .option('--ignore-file <file>', `suppressions with reasons (YAML; default ./.kubelet-guard-ignore.yaml if there): suppressed findings are still reported, but not counted for --fail-on`)
    .option('--skip <ids>', 'do not run or report these checks at all, comma-separated, repeatable (unlike a suppression, nothing of them is reported)', collect)
    .option('--check <ids>', 'run and report only these checks, comma-separated, repeatable', collect)
    .option('--baseline <file>', 'a JSON report of an earlier run of this command: marks each failed or unknown finding new or unchanged, and lists the resolved ones')
    .option('--fail-on-new', 'with --baseline: exit 1 only for new failures at or above --fail-on');
}

/** A repeatable option's values, in order. */
const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** Options whose value is itself a credential: registered before commander parses (its errors quote arguments). */
const CREDENTIAL_OPTIONS = ['--token'];

/** Registers the values of credential options, in `--opt value` and `--opt=value` form, wherever they stand. */
function registerArgvCredentials(argv: readonly string[], add: (s: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    for (const o of CREDENTIAL_OPTIONS) {
      if (a === o && i + 1 < argv.length) add(argv[i + 1]!);
      else if (a.startsWith(`${o}=`)) add(a.slice(o.length + 1));
    }
  }
}

/**
 * Commander's error message made inert: it quotes the user's arguments. Its own trailer, a
 * "(Did you mean …?)" suggestion on a line of its own, stays a line of its own.
 */
function commanderError(str: string): string {
  const m = /^([\s\S]*)(\n\(Did you mean [^\n]*\?\))\n?$/.exec(str);
  return m ? `${inert(m[1]!)}\n${inert(m[2]!.slice(1))}\n` : inertMessage(str);
}

/**
 * The name help and errors use: `kubectl kubelet-guard` when started as the kubectl plugin, by
 * bin/kubectl-kubelet_guard.js (argv[1], also through npm's link) or as a single executable that
 * krew links as kubectl-kubelet_guard (argv0, the name kubectl executed).
 */
export function programName(argv: readonly string[], argv0: string = process.argv0): string {
  const plugin = [argv[1], argv0].some((a) => a !== undefined && /^kubectl-kubelet_guard(\.js)?$/.test(path.basename(a)));
  return plugin ? 'kubectl kubelet-guard' : 'kubelet-guard';
}

/**
 * Runs one invocation. `onOutput` receives its output layer (bin/kubelet-guard.js reports an
 * uncaught exception through it, so that its message is redacted with this run's secrets too).
 */
export async function main(argv: string[], rawIo: Io = { out: process.stdout, err: process.stderr }, onOutput?: (io: Output) => void): Promise<number> {
  let code = 0;
  // every output of this invocation goes through one redaction layer (report/output.ts)
  const io = createOutput(rawIo);
  onOutput?.(io);
  registerArgvCredentials(argv, (s) => io.secrets.add(s));
  const name = programName(argv);
  const program = new Command()
    .name(name)
    .description('Finds the ways around the Kubernetes API server: the kubelet API, its configuration, static pods, etcd and the runtime socket.')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s), outputError: (s, write) => write(commanderError(s)) })
    .showHelpAfterError(`(run ${name} --help for usage)`);

  addTriageOptions(program.command('node'))
    .description("audit a node: the kubelet's effective configuration (each value with its source), the CIS worker and control-plane checks, static pods, etcd, runtime sockets and listeners; live, or offline with --root")
    .option('--root <dir>', "audit a node's filesystem offline (a mounted image, a backup); every path and symlink stays inside DIR")
    .addOption(new Option('-f, --format <format>', 'output format').choices(formatsOf('node')).default('table'))
    .addOption(outputOption('node'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a check fails at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .option('--kubelet-version <version>', 'the kubelet version, when the node does not say (e.g. 1.31.4)')
    .addOption(distributionOption())
    .addOption(benchmarkOption())
    .option('--quiet', 'list only failed and unknown checks')
    .option('--all', 'also list the not-applicable checks (counted in the summary, listed only with --all; JSON always holds them)')
    .option('--show-config', 'also print the effective configuration with the source of each value (table format)')
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action((opts: NodeCommandOptions) => {
      code = runNodeCommand(opts, io);
    });

  addTriageOptions(program.command('scan'))
    .description('probe hosts and networks for exposed kubelets (10250, 10255, 10248) and etcd (2379, 2380), safely: nothing runs in a workload, nothing is written, no redirect is followed')
    .argument('[targets...]', 'addresses, CIDRs (10.0.0.0/24, fd00::/120), ranges (10.0.0.1-20), host names, @FILE, or - for standard input')
    .option('--targets-file <file>', 'a file of targets, one per line (# comments)')
    .option('--ports <list>', 'ports to probe (default 10250,10255,10248,2379,2380)')
    .option('--concurrency <n>', 'a fixed number of TCP connects in flight (default: from 256 up to 4096 as the load allows, within the open-file limit); open ports are classified at most 256 at a time')
    .option('--rate <n>', 'at most this many new probes a second')
    .option('--threads <n>', 'threads making the TCP connects, started at once (default: one per CPU, at most 4, started once the sweep is CPU-bound on answered connects, as on a LAN; 0: the main thread only)')
    .option('--connect-timeout <ms>', 'a fixed TCP connect timeout (default: adaptive, from the round trips observed per /24, 100 to 1000 ms; a timed-out connect is tried once more)')
    .option('--timeout <ms>', 'timeout of each later phase (TLS handshake, headers, body)', '3000')
    .option('--token <token>', 'probe as this bearer token (what does this token reach?)')
    .option('--token-file <file>', 'probe as the bearer token in this file')
    .option('--cert <file>', "probe the kubelets with this client certificate (with --key); never shown to etcd")
    .option('--key <file>', 'the client certificate\'s key')
    .option('--kubeconfig <file>', "probe the kubelets as the current context's user of this kubeconfig (token or client certificate)")
    .option('--etcd-cert <file>', 'show this client certificate (with --etcd-key) to an etcd that requires one; nothing else is ever sent to etcd')
    .option('--etcd-key <file>', 'the etcd client certificate\'s key')
    .option('--collect', 'where the identity may read: analyse /pods (secrets as fingerprints only), /metrics (version, CVEs) and /configz (the node checks, from the live config)')
    .option('--allow-large-sweep', 'allow more than 65,536 addresses')
    .addOption(new Option('-f, --format <format>', 'output format (jsonl: one JSON line per endpoint as it is found)').choices(formatsOf('scan')).default('table'))
    .addOption(outputOption('scan'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding fails at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .option('--no-progress', 'no progress line on standard error')
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action(async (targets: string[], opts: ScanCommandOptions) => {
      // loaded only when scanning, so the node audit's start-up does not pay for it
      const { runScanCommand } = await import('./commands/scan.ts');
      code = await runScanCommand(targets, opts, io);
    });

  addTriageOptions(program.command('cluster'))
    .description("audit a cluster through its API server: every node's live kubelet configuration (via nodes/proxy configz), who can reach the kubelet API (RBAC), pods that bypass the API server, hidden static pods, namespaces without Pod Security, and kubeadm's control-plane pods")
    .option('--kubeconfig <file>', 'the kubeconfig (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'the kubeconfig context (default: its current-context)')
    .option('--concurrency <n>', 'nodes audited at once (node-proxy requests in flight)', '32')
    .option('--timeout <ms>', 'deadline of each request to the API server (each list page, each node\'s configz and pods), connect to last byte, and of each exec credential plugin run', '10000')
    .option('--deadline <duration>', 'deadline of the whole run (ms, or a duration such as 10m or 90s): what is not examined by then is unknown, the report is still written, and the exit code is 3 unless something failed', '10m')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formatsOf('cluster')).default('table'))
    .addOption(outputOption('cluster'))
    .option('--no-progress', 'no progress line on standard error (it is only drawn on a terminal)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding fails at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .addOption(benchmarkOption('number the findings by this benchmark profile (default cis-kubernetes: the nodes of a cluster may run different distributions)'))
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('--node-audit', "CREATES OBJECTS: run the node audit on each node as a Job (reading the node's files, static pods, sockets and certificates) and merge its report; every Job is deleted when done")
    .option('--nodes <names>', 'with --node-audit: only these nodes, comma-separated')
    .option('--image <image>', 'with --node-audit: the kubelet-guard image the Jobs run (default ghcr.io/kubelet-guard/kubelet-guard:<this version>)')
    .option('--namespace <ns>', 'with --node-audit: the namespace of the Jobs; it must enforce Pod Security "privileged" (default kubelet-guard)')
    .option('--node-audit-timeout <duration>', "with --node-audit: each node's deadline, from creating its Job to reading its report (default 5m)")
    .option('--node-audit-concurrency <n>', 'with --node-audit: Jobs at once (default 5)')
    .addOption(new Option('--node-audit-poll <ms>').hideHelp())
    .action(async (opts: ClusterCommandOptions) => {
      // loaded only when auditing a cluster (it pulls in the API client)
      const { runClusterCommand } = await import('./commands/cluster.ts');
      code = await runClusterCommand(opts, io);
    });

  program
    .command('checks')
    .description('list every check of node, scan and cluster: id, title, section, severity, CIS ids, setting, rationale, remediation, and its anchor in docs/checks.md')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(benchmarkOption("list this benchmark profile: each check with the profile's ids (or beyond the benchmark), and the profile's controls no check judges, with why"))
    .action(async (opts: ChecksCommandOptions) => {
      const { runChecksCommand } = await import('./commands/checks.ts');
      code = runChecksCommand(opts, io);
    });

  program
    .command('explain')
    .description('the authorization attributes (verb, nodes, subresources in the order tried) the kubelet checks for a request')
    .argument('<method>', 'GET, POST, PUT, … (a WebSocket exec is a GET)')
    .argument('<path>', 'the kubelet path, e.g. /exec/ns/pod/container')
    .option('--kubelet-version <version>', 'decides fine-grained authorization (1.33+ on by default)')
    .addOption(new Option('--fine-grained <mode>', 'KubeletFineGrainedAuthz on or off').choices(['on', 'off']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (method: string, path: string, opts: ExplainCommandOptions) => {
      const { runExplain } = await import('./commands/explain.ts');
      code = runExplain(method, path, opts, io);
    });

  program
    .command('rbac-for')
    .description('the least-privilege ClusterRole (YAML) for calling these kubelet endpoints, e.g. what metrics-server or a log shipper really needs')
    .argument('<paths...>', 'PATH or "METHOD PATH" (GET assumed)')
    .option('--kubelet-version <version>', 'decides fine-grained authorization (1.33+ on by default)')
    .addOption(new Option('--fine-grained <mode>', 'KubeletFineGrainedAuthz on or off').choices(['on', 'off']))
    .option('--name <name>', 'the ClusterRole name', 'kubelet-guard-least-privilege')
    .option('--allow-proxy', "grant nodes/proxy for paths the kubelet does not serve (refused without it: nodes/proxy is exec in every pod)")
    .action(async (paths: string[], opts: RbacForCommandOptions) => {
      const { runRbacFor } = await import('./commands/explain.ts');
      code = runRbacFor(paths, opts, io);
    });

  program
    .command('fix')
    .description("close what the audit found: by default a plan (a diff per file, the findings each change closes, proven by re-auditing the result in memory); --write applies it safely; --cluster plans RBAC and Pod Security changes; --firewall prints host firewall rules")
    .option('--root <dir>', "fix a node's filesystem mounted at DIR (offline) instead of this node")
    .option('--write', 'apply the plan: every file backed up and replaced atomically, all or nothing, then re-audited (never restarts a service)')
    .option('--backup-dir <dir>', 'with --write: keep the backups here (the node path mirrored) instead of beside each file')
    .option('--check <ids>', 'only fix these checks, comma-separated, repeatable', collect)
    .addOption(new Option('--severity <severity>', 'only fix findings at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info']))
    .option('--kubelet-version <version>', 'the kubelet version, when the evidence does not show it')
    .addOption(distributionOption())
    .addOption(benchmarkOption())
    .option('--cluster', 'plan the cluster-side fixes through the API server: least-privilege roles for subjects that reach the kubelet, Pod Security labels (with --write: applied, server-side dry-run first)')
    .option('--kubeconfig <file>', 'with --cluster: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'with --cluster: the kubeconfig context (default: its current-context)')
    .option('--timeout <ms>', 'with --cluster: deadline of each request to the API server', '10000')
    .option('--firewall', 'print host firewall rules: 10250 only from --allow, 2379/2380 only from --etcd-allow, 10255/10248 from loopback only')
    .option('--allow <cidrs>', 'with --firewall: sources that may reach the kubelet API (API servers, monitoring), comma-separated, repeatable', collect)
    .option('--etcd-allow <cidrs>', 'with --firewall: sources that may reach etcd 2379/2380 (etcd peers, API servers); default loopback only', collect)
    .addOption(new Option('--format <format>', 'output format: text or json (a plan), nft, iptables or json (--firewall, default nft), yaml or json (--cluster, default yaml)').choices(['text', 'json', 'yaml', 'nft', 'iptables']))
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action(async (opts: FixCommandOptions) => {
      const { runFix } = await import('./commands/fix.ts');
      code = await runFix(opts, io);
    });

  // no command: nothing would be audited, so say how to use it and fail, never exit 0 on nothing
  if (argv.length <= 2) {
    io.err.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : EXIT_USAGE;
    }
    io.err.write(internalError(e));
    return EXIT_USAGE;
  }
}

/**
 * An internal error as printed (written through the output layer, which redacts it): the message
 * may quote evidence, so it is inert and on one line; the stack frames are lines of their own.
 */
export function internalError(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).map((l) => `${inert(l)}\n`).join('');
  return `kubelet-guard: internal error: ${inertMessage(err.message)}${frames}`;
}

/** The exit code when the reader of the output went away: 128 + SIGPIPE, as a program killed by it. */
export const EXIT_PIPE_CLOSED = 141;

/**
 * One run of the CLI as a whole process: the npm bin (bin/kubelet-guard.js) and the single
 * executable (src/sea.ts) both end here, so both behave alike.
 */
export async function runProcess(argv: string[]): Promise<void> {
  // A reader that goes away (`| head -c1`) makes the next write fail with EPIPE: stop at once,
  // quietly, with 141, as a program killed by SIGPIPE would (kubectl and other Go tools do): the
  // report was not delivered, so the run must not look like a pass under `set -o pipefail`.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_PIPE_CLOSED);
      throw e;
    });
  }
  // An exception no command caught (a bug): its message may quote evidence or a secret, so it is
  // printed like main()'s own internal errors, through the run's output layer; exit code 2.
  let output: Output | undefined;
  const fatal = (e: unknown): never => {
    const text = internalError(e);
    if (output) output.err.write(text);
    else process.stderr.write(text);
    process.exit(EXIT_USAGE);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  process.exitCode = await main(argv, undefined, (o) => (output = o));
}

/** --distribution NAME: audit the node as this distribution, not the one detected (src/distros). */
function distributionOption(): Option {
  return new Option('--distribution <name>', 'audit the node as this distribution instead of the one detected').choices(DISTRIBUTIONS.map((d) => d.name));
}

/** --benchmark NAME: number the findings by this benchmark profile (src/profiles), not the distribution's own. */
function benchmarkOption(description = "number the findings by this benchmark profile instead of the one the distribution found names (default: the distribution's, else cis-kubernetes); checks it leaves out are shown as beyond the benchmark"): Option {
  return new Option('--benchmark <name>', description).choices(PROFILES.map((p) => p.name));
}

// `kubelet-guard scan`: sweep hosts and networks for kubelets and etcd, classify each open port
// without side effects, and (with --collect) show what an anonymous caller or the given identity
// gets. Results stream as they come (jsonl), so a /16 never accumulates in memory.
import type { Io } from '../cli.ts';
import type { FailOn } from '../checks/run.ts';
import { loadTriage, triageInputs, type Triage } from '../report/triage.ts';
import { utcDay } from '../report/suppressions.ts';
import { auditExitCode, failedAtOrAbove, runChecks, summarize } from '../checks/run.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import type { Finding } from '../checks/types.ts';
import { checks as ENDPOINT_CHECKS } from '../checks/scan/index.ts';
import { runEndpointChecks, runHostChecks } from '../checks/scan/run.ts';
import { createHostGroups } from '../scan/host-groups.ts';
import { checkSweepSize, countAddresses, expandTargetArgs, iterateAddresses, parsePorts, DEFAULT_PORTS } from '../scan/targets.ts';
import { sweep } from '../scan/engine.ts';
import { httpRequest } from '../scan/http-client.ts';
import { connectThreadsUnavailable, connectsOnDemand, defaultConnectThreads, type ConnectsOnDemand } from '../scan/connect-threads.ts';
import { ConnectTiming, INITIAL_CONNECT_TIMEOUT_MS, connectWithRetry } from '../scan/connect-timing.ts';
import { MAX_CLASSIFICATIONS, openFileLimit, scanPools, type ScanPools } from '../scan/pools.ts';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { kubeletCredentials, probeHealthz, probeKubelet, probeReadOnly } from '../scan/kubelet.ts';
import { probeEtcd } from '../scan/etcd.ts';
import { analyseMetrics, analysePods, configzToEffective, nodeFactsFromConfigz } from '../scan/collect.ts';
import type { Endpoint } from '../scan/types.ts';
import { createProgressWriter } from '../scan/progress.ts';
import { readIdentity, type Identity } from '../scan/identity.ts';
import { readLocalFile } from '../sources/local-file.ts';
import { reasonOf } from '../sources/errno.ts';
import { reportWidth } from '../report/wrap.ts';
import { useColor } from './node.ts';
import { inertMessage } from '../report/terminal.ts';
import { formatSpec, selectOutputs, type ScanJsonReport } from '../report/formats.ts';
import { openOutputs, type OpenOutputs } from '../report/output-files.ts';
import { reportHeader } from '../report/contract.ts';

export interface ScanCommandOptions {
  ports?: string;
  targetsFile?: string;
  /** connects in flight (default: as many as the file descriptors allow, at most 4,096) */
  concurrency?: string;
  rate?: string;
  /** connect threads (default: connect-threads.ts defaultConnectThreads) */
  threads?: string;
  /** a fixed connect timeout; default adaptive (connect-timing.ts) */
  connectTimeout?: string;
  timeout: string;
  token?: string;
  tokenFile?: string;
  cert?: string;
  key?: string;
  kubeconfig?: string;
  etcdCert?: string;
  etcdKey?: string;
  collect?: boolean;
  allowLargeSweep?: boolean;
  format: string;
  /** -o/--output: FORMAT=FILE, FORMAT=-, FILE (report/formats.ts) */
  output?: string[];
  failOn: FailOn;
  color?: boolean;
  progress?: boolean;
  ignoreFile?: string;
  skip?: string[];
  check?: string[];
  baseline?: string;
  failOnNew?: boolean;
}

const KUBELET_PORTS = new Set([10250]);
const READ_ONLY_PORTS = new Set([10255]);
const HEALTHZ_PORTS = new Set([10248]);
const ETCD_PORTS = new Set([2379, 2380]);
const MAX_PODS_BYTES = 16 * 1024 * 1024;
/** --threads at most: each thread is an isolate of ~15 MiB, and past a few the kernel's loopback locks, not CPUs, limit */
const MAX_THREADS_ASKED = 16;

function int(name: string, v: string, min: number, max: number): number | string {
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} ${v}: expected a whole number from ${min} to ${max}`;
}

export async function runScanCommand(targetArgs: string[], opts: ScanCommandOptions, io: Io): Promise<number> {
  const usage = (msg: string) => {
    io.err.write(`kubelet-guard scan: ${inertMessage(msg)}`);
    return 2;
  };
  // `--targets-file -` is standard input, as nmap's `-iL -`
  const args = [...targetArgs, ...(opts.targetsFile ? [opts.targetsFile === '-' ? '-' : `@${opts.targetsFile}`] : [])];
  if (args.length === 0) return usage('no targets: give addresses, CIDRs, ranges, host names, @FILE or - (standard input)');
  // streamed: a file of millions of lines is never held, and the guard stops reading at the line that passes it
  const parsed = await expandTargetArgs(args, {}, { allowLargeSweep: opts.allowLargeSweep === true });
  if (!parsed.ok) return usage(parsed.errors.join('; '));
  const ports = opts.ports ? parsePorts(opts.ports) : { ok: true as const, ports: [...DEFAULT_PORTS] };
  if (!ports.ok) return usage(ports.error);
  const count = countAddresses(parsed.targets);
  const guard = checkSweepSize(count, opts.allowLargeSweep === true);
  if (!guard.ok) return usage(guard.error);
  const concurrency = opts.concurrency === undefined ? undefined : int('concurrency', opts.concurrency, 1, 4096);
  if (typeof concurrency === 'string') return usage(concurrency);
  const pools = scanPools(concurrency, openFileLimit());
  if (pools.clamped) io.err.write(`kubelet-guard scan: warning: --concurrency ${concurrency} lowered to ${pools.connects}: the process may open ${pools.fdLimit} files, and the scan stays under half of them\n`);
  const rate = opts.rate === undefined ? undefined : int('rate', opts.rate, 1, 1_000_000);
  if (typeof rate === 'string') return usage(rate);
  const connectMs = opts.connectTimeout === undefined ? undefined : int('connect-timeout', opts.connectTimeout, 10, 60_000);
  if (typeof connectMs === 'string') return usage(connectMs);
  let threads = opts.threads === undefined ? defaultConnectThreads(Number(count) * ports.ports.length, availableParallelism()) : int('threads', opts.threads, 0, MAX_THREADS_ASKED);
  if (typeof threads === 'string') return usage(threads);
  const noThreads = threads > 0 ? connectThreadsUnavailable() : undefined;
  if (noThreads !== undefined) {
    if (opts.threads !== undefined) io.err.write(`kubelet-guard scan: warning: --threads ${threads}: ${noThreads}\n`);
    threads = 0;
  }
  const phaseMs = int('timeout', opts.timeout, 10, 120_000);
  if (typeof phaseMs === 'string') return usage(phaseMs);
  let identity: Identity | undefined;
  let etcdIdentity: { cert: string; key: string } | undefined;
  try {
    identity = readIdentity(opts, (p) => readLocalFile(p), (s) => io.secrets?.add(s)); // stat first: a device is never opened; size-capped
    etcdIdentity = readEtcdIdentity(opts, (s) => io.secrets?.add(s));
  } catch (e) {
    return usage((e as Error).message);
  }

  const triage = loadTriage('scan', opts, process.cwd(), utcDay(new Date()));
  if ('error' in triage) return usage(triage.error);
  const targets = selectOutputs('scan', opts.format, opts.output);
  if ('error' in targets) return usage(targets.error);
  let outs: OpenOutputs;
  try {
    outs = openOutputs(targets, io);
  } catch (e) {
    return usage((e as Error).message);
  }
  try {
    return await scanTo(outs, { args, ports: ports.ports, parsed, count, pools, concurrencyGiven: concurrency !== undefined, rate, threads, connectMs, phaseMs, identity, etcdIdentity, triage }, opts, io);
  } finally {
    outs.abort();
  }
}

interface ScanPlan {
  args: string[];
  ports: number[];
  parsed: Extract<Awaited<ReturnType<typeof expandTargetArgs>>, { ok: true }>;
  count: ReturnType<typeof countAddresses>;
  pools: ScanPools;
  /** --concurrency given: the connects in flight stay at it */
  concurrencyGiven: boolean;
  rate: number | undefined;
  /** connect threads the sweep may start (0: every connect in the main thread) */
  threads: number;
  /** --connect-timeout (fixed); undefined: adaptive */
  connectMs: number | undefined;
  phaseMs: number;
  identity: Identity | undefined;
  etcdIdentity: { cert: string; key: string } | undefined;
  /** --skip/--check, suppressions, --baseline (report/triage.ts) */
  triage: Triage;
}

/** The sweep, its findings streamed to the jsonl outputs as they come, the whole report to the others at the end. */
async function scanTo(outs: OpenOutputs, plan: ScanPlan, opts: ScanCommandOptions, io: Io): Promise<number> {
  // the connects on other CPUs when they pay (connect-threads.ts), at once when --threads asks
  const connects = connectsOnDemand(plan.threads, { immediate: opts.threads !== undefined, probes: Number(plan.count) * plan.ports.length });
  try {
    return await sweepTo(outs, plan, opts, io, connects);
  } finally {
    await connects.close();
  }
}

async function sweepTo(outs: OpenOutputs, plan: ScanPlan, opts: ScanCommandOptions, io: Io, connects: ConnectsOnDemand): Promise<number> {
  const { parsed, count, pools, rate, connectMs, phaseMs, identity, etcdIdentity } = plan;
  const ports = { ports: plan.ports };
  const jsonl = outs.outputs.filter((o) => o.format === 'jsonl').map((o) => o.stream);
  // only jsonl: nothing is held, whatever the sweep's size
  const keep = outs.outputs.some((o) => o.format !== 'jsonl');
  const line = (v: unknown) => {
    const text = `${JSON.stringify(v)}\n`;
    for (const s of jsonl) s.write(text);
  };
  // a classification connects to a port that just answered: the initial (conservative) timeout, or the fixed one
  const timeouts = { connect: connectMs ?? INITIAL_CONNECT_TIMEOUT_MS, tls: phaseMs, headers: phaseMs, body: phaseMs };
  const timing = new ConnectTiming(connectMs !== undefined ? { fixedMs: connectMs } : {});
  const endpoints: Endpoint[] = [];
  // json and table hold every finding; jsonl streams them and keeps only the counts, the same
  // counts (summarize) either way, and whether one failed at or above --fail-on for the exit code
  const findings: Finding[] = [];
  const counts = summarize([]);
  let failing = false;
  const tally = (fs: readonly Finding[]) => {
    const s = summarize(fs);
    for (const k of ['pass', 'fail', 'unknown', 'not-applicable'] as const) counts[k] += s[k];
    for (const k of Object.keys(s.failBySeverity) as Array<keyof typeof s.failBySeverity>) counts.failBySeverity[k] += s.failBySeverity[k];
    if (failedAtOrAbove(fs.filter((f) => plan.triage.counts(f)), opts.failOn)) failing = true;
    if (keep) findings.push(...fs);
  };
  // each finding marked (suppressed, baseline) or left out (--skip/--check) before it is streamed or counted; a scan's node is the host
  const triaged = (host: string, fs: readonly Finding[]): Finding[] => fs.flatMap((f) => plan.triage.mark(f, host) ?? []);
  const progress = opts.progress !== false ? createProgressWriter(io.err as unknown as Parameters<typeof createProgressWriter>[0]) : undefined;

  let open = 0;
  // The checks about a kubelet as a whole (its CVEs) judge each host once, from all its ports.
  const hosts = createHostGroups(ports.ports.length, (host, eps) => {
    const own = triaged(host, runHostChecks(ENDPOINT_CHECKS, host, eps));
    if (own.length === 0) return;
    line({ host, findings: own });
    tally(own);
  });

  // first stage, in the large pool: is the port open? (a timed-out connect is tried once more)
  const connect = async (host: string, port: number): Promise<true | undefined> => {
    hosts.started(host);
    let open = false;
    try {
      const r = await connectWithRetry(host, port, timing, connects.connect);
      connects.observe(r.state !== 'filtered');
      open = r.state === 'open';
    } finally {
      if (!open) hosts.finished(host);
    }
    return open || undefined;
  };
  // second stage, in the classification pool: what answers on the open port
  const probeOne = async (host: string, port: number): Promise<Endpoint> => {
    let ep: Endpoint;
    // Credentials: the identity (token, certificate, kubeconfig user) only to a kubelet's secure
    // port, over TLS (kubelet.ts); etcd only ever sees the certificate given for it (--etcd-cert).
    if (KUBELET_PORTS.has(port)) ep = await probeKubelet(host, port, { identity, timeouts, tlsDetail: true });
    else if (READ_ONLY_PORTS.has(port)) ep = await probeReadOnly(host, port, { timeouts });
    else if (HEALTHZ_PORTS.has(port)) ep = await probeHealthz(host, port, { timeouts });
    else if (ETCD_PORTS.has(port)) ep = await probeEtcd(host, port, { timeouts, ...(etcdIdentity ? { identity: etcdIdentity } : {}) });
    else ep = await probeKubelet(host, port, { identity, timeouts, tlsDetail: false }); // --ports: treat as a possible kubelet
    if (opts.collect) await collect(ep, identity, timeouts);
    return ep;
  };
  const classify = async (host: string, port: number): Promise<Endpoint | undefined> => {
    let ep: Endpoint | undefined;
    try {
      ep = await probeOne(host, port);
    } finally {
      if (!ep) hosts.finished(host); // an endpoint is counted when the engine hands it over (onEndpoint)
    }
    return ep;
  };

  const onEndpoint = (ep: Endpoint) => {
    open++;
    const own = triaged(ep.host, runEndpointChecks(ENDPOINT_CHECKS, [ep]));
    const fromConfigz = ep.collected?.configz?.effective
      ? triaged(ep.host, runChecks(NODE_CHECKS.filter((c) => c.meta.section === 'cis-4.2' || c.meta.section === 'kubelet-api'), nodeFactsFromConfigz(ep.collected.configz.effective, ep.host, ep.collected.metrics?.kubeletVersion)).map((f) => ({ ...f, subject: `${ep.host}:${ep.port}${f.subject ? ` ${f.subject}` : ''}` })))
      : [];
    line({ endpoint: ep, findings: [...own, ...fromConfigz] });
    if (keep) endpoints.push(ep);
    tally([...own, ...fromConfigz]);
    hosts.finished(ep.host, ep);
  };

  // A refused connect is an Error with a stack trace; a sweep makes hundreds of thousands of them.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const started = Date.now();
  // how late the event loop runs under the sweep's load (reported: a late loop delays every verdict)
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const result = await sweep<Endpoint, true>({
    addresses: iterateAddresses(parsed.targets),
    ports: ports.ports,
    concurrency: pools.connects,
    // by default the connects in flight follow the load, from 256 up to the pool (engine.ts LoopGovernor)
    ...(plan.concurrencyGiven ? {} : { adaptive: { from: MAX_CLASSIFICATIONS } }),
    classifyConcurrency: pools.classifications,
    ...(rate !== undefined ? { ratePerSecond: rate } : {}),
    addressCount: count,
    probe: connect,
    classify,
    onResult: onEndpoint,
    isFound: (ep) => ep.service === 'kubelet' || ep.service === 'etcd',
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
  });
  loopDelay.disable();
  hosts.flush();
  progress?.finish();
  Error.stackTraceLimit = stackLimit;

  // the sweep's size is at most SWEEP_HARD_LIMIT (2^24) addresses: a number
  const ms = (ns: number) => (Number.isFinite(ns) && loopDelay.count > 0 ? Math.round(ns / 1e5) / 10 : 0);
  const summary = {
    targets: Number(count), ports: ports.ports, probes: result.done, open, elapsedMs: Date.now() - started,
    timing: {
      connectTimeout: connectMs ?? 'adaptive',
      connects: pools.connects, classifications: pools.classifications,
      threads: connects.threads(),
      peakInFlight: result.peakInFlight,
      ...timing.stats,
      eventLoopDelayMs: { p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    },
  };
  const triageReport = plan.triage.report();
  for (const w of plan.triage.warnings(triageReport)) io.err.write(`kubelet-guard scan: warning: ${inertMessage(w)}`);
  line({ summary: { ...summary, findings: counts }, ...triageReport });
  if (keep) {
    const report: ScanJsonReport = { ...reportHeader('scan', scanInputs(plan, opts)), scan: summary, endpoints, findings, summary: counts, ...triageReport };
    for (const o of outs.outputs) {
      const spec = formatSpec('scan', o.format);
      if (spec.write) o.stream.write(spec.write(report, { color: useColor(opts.color, o.stream), width: reportWidth(o.stream), ...(io.secrets ? { redact: (t: string) => io.secrets!.redact(t) } : {}) }));
    }
  }
  const failed = outs.commit();
  if (failed !== undefined) {
    io.err.write(`kubelet-guard scan: cannot write the report: ${inertMessage(failed)}`);
    return 2;
  }
  // A sweep that finds no open port audited what it was asked to: "nothing on these addresses
  // answers on a kubelet or etcd port" is its result, not a gap (an unreachable network looks the
  // same to TCP, and the summary line counts the probes made), so it is never exit 3.
  return auditExitCode(failing, undefined);
}

/** The options that shaped a scan, for its report: what identity was used, never the credential itself. */
function scanInputs(plan: ScanPlan, opts: ScanCommandOptions): Record<string, unknown> {
  const identity = opts.token !== undefined ? 'token' : opts.tokenFile !== undefined ? 'token-file' : opts.cert !== undefined ? 'client-certificate' : opts.kubeconfig !== undefined ? 'kubeconfig' : 'anonymous';
  return {
    targets: plan.args, ports: plan.ports, identity,
    ...(opts.tokenFile !== undefined ? { tokenFile: opts.tokenFile } : {}),
    ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
    ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.etcdCert !== undefined ? { etcdCert: opts.etcdCert } : {}),
    collect: opts.collect === true, concurrency: plan.pools.connects, rate: plan.rate,
    connectTimeoutMs: plan.connectMs, timeoutMs: plan.phaseMs, failOn: opts.failOn,
    ...Object.fromEntries(Object.entries(triageInputs(opts)).filter(([, v]) => v !== undefined)),
  };
}

/** --etcd-cert/--etcd-key: the only client certificate etcd is ever shown (etcd has its own CA; kubeadm: apiserver-etcd-client). */
function readEtcdIdentity(o: ScanCommandOptions, onSecret: (s: string) => void): { cert: string; key: string } | undefined {
  if (o.etcdCert === undefined && o.etcdKey === undefined) return undefined;
  if (!o.etcdCert || !o.etcdKey) throw new Error('--etcd-cert and --etcd-key go together');
  const read = (p: string, flag: string) => {
    try {
      return readLocalFile(p);
    } catch (e) {
      throw new Error(`${flag} ${p}: ${reasonOf(e)}`, { cause: e });
    }
  };
  const cert = read(o.etcdCert, '--etcd-cert');
  const key = read(o.etcdKey, '--etcd-key');
  onSecret(key);
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--etcd-cert ${o.etcdCert}: not a PEM certificate`);
  return { cert, key };
}

/** --collect: read what the caller may read, analysed at once; bodies are never kept. */
async function collect(ep: Endpoint, identity: Identity | undefined, timeouts: { connect: number; tls: number; headers: number; body: number }): Promise<void> {
  const tls = ep.service === 'kubelet';
  if (ep.service !== 'kubelet' && ep.service !== 'kubelet-read-only') return;
  // the identity only to the secure port (TLS, where the kubelet authenticates); the read-only port
  // is plain HTTP and never authenticates: what it serves, it serves to anyone
  const auth = tls && ep.identity !== 'anonymous' ? kubeletCredentials(identity) : undefined;
  const get = (path: string, maxBodyBytes: number) =>
    httpRequest({ host: ep.host, port: ep.port, tls, method: 'GET', path, timeouts, maxBodyBytes, ...(auth ? { auth } : {}) });
  ep.collected = {};
  if (ep.reachable.includes('pods')) {
    const r = await get('/pods', MAX_PODS_BYTES);
    ep.collected.pods = r.ok && r.res.status === 200 ? analysePods(r.res.body, r.res.truncated) : { count: 0, privileged: [], hostPaths: [], serviceAccountTokens: 0, secretEnv: [], error: r.ok ? `GET /pods answered ${r.res.status}` : `${r.error}: ${r.detail}` };
  }
  if (ep.reachable.includes('metrics')) {
    const r = await get('/metrics', 4 * 1024 * 1024);
    ep.collected.metrics = r.ok && r.res.status === 200 ? analyseMetrics(r.res.body.toString('utf8')) : { error: r.ok ? `GET /metrics answered ${r.res.status}` : `${r.error}: ${r.detail}` };
    if (ep.collected.metrics.kubeletVersion) ep.version ??= ep.collected.metrics.kubeletVersion;
  }
  if (ep.reachable.includes('configz')) {
    const r = await get('/configz', 1024 * 1024);
    ep.collected.configz = r.ok && r.res.status === 200 ? configzToEffective(r.res.body, ep.host) : { error: r.ok ? `GET /configz answered ${r.res.status}` : `${r.error}: ${r.detail}` };
  }
}

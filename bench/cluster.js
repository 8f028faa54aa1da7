// Benchmark: `kubelet-guard cluster` against the API-server simulator (test/cluster/apiserver-sim.ts)
// with 5,000 nodes, 50,000 pods, 20,000 role bindings and 50 namespaces, every response delayed
// 20 ms. Loopback only.
//   node bench/cluster.js [--no-write]
//
// The simulator runs in this process; the CLI runs in a child process under GNU time so its wall
// time and peak RSS are its own: `node bin/kubelet-guard.js cluster --kubeconfig <sim> --format json`
// (rebuilt first with `npm run build`).
// Each run's JSON is checked: 5,000 nodes, configz read for every one, exactly the anonymous nodes
// (every 97th) failing kubelet-anonymous-auth, RBAC findings present; the table run's summary lines
// say the same. Runs: JSON at concurrency 32 (the default) twice, then 64, then the table at 32.
// Each child is killed after 180 s; the simulator is closed whatever happens.
// Results go into docs/benchmarks.md between the cluster markers.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const write = !args.includes('--no-write');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TIME = '/usr/bin/time';
const CHILD_TIMEOUT_MS = 180_000;
const NODES = 5000;
const LATENCY_MS = 20;
const GOAL_WALL_S = 60;
const GOAL_RSS_MB = 500;
const RUNS = [{ concurrency: 32, format: 'json' }, { concurrency: 32, format: 'json' }, { concurrency: 64, format: 'json' }, { concurrency: 32, format: 'table' }];
const isAnon = (i) => i % 97 === 0;
const nodeName = (i) => `node-${String(i).padStart(5, '0')}`;

let sim;
let child;
// the child is GNU time leading its own process group; killing the group ends the CLI under it too
function killGroup(c) {
  try {
    process.kill(-c.pid, 'SIGKILL');
  } catch {
    c.kill('SIGKILL');
  }
}
async function cleanup() {
  if (child && child.exitCode === null && child.signalCode === null) killGroup(child);
  if (sim) {
    const s = sim;
    sim = undefined;
    await s.close().catch(() => {});
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

/** The bundle is rebuilt every time (a second or two): a stale dist/ would measure old code. */
function build() {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal})`);
}

function commandFor(kubeconfig, { concurrency, format }) {
  return [process.execPath, 'bin/kubelet-guard.js', 'cluster', '--kubeconfig', kubeconfig, '--format', format, '--concurrency', String(concurrency), '--no-color'];
}

function runChild(cmd) {
  return new Promise((resolve) => {
    const out = [];
    let err = '';
    let timedOut = false;
    const t0 = process.hrtime.bigint();
    child = spawn(TIME, ['-f', '%M', ...cmd], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, CHILD_TIMEOUT_MS);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, wallMs: 0, rssKiB: NaN, out: '', err: String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = err.trimEnd().split('\n');
      const last = lines.at(-1) ?? '';
      const rssKiB = /^\d+$/.test(last) ? Number(last) : NaN;
      if (/^\d+$/.test(last)) lines.pop();
      if (/^Command (exited with non-zero status|terminated by signal)/.test(lines.at(-1) ?? '')) lines.pop();
      resolve({ code: code ?? signal, wallMs, rssKiB, out: Buffer.concat(out).toString('utf8'), err: lines.join('\n'), timedOut });
    });
  });
}

/** The table run: the cluster summary lines say the same as the JSON's findings. */
function checkTable(r) {
  const expected = Array.from({ length: NODES }, (_, i) => i).filter(isAnon).length;
  const problems = [];
  const read = /configuration read: (\d+) of (\d+) nodes/.exec(r.out);
  const anon = /anonymous auth on: (\d+) of (\d+) nodes/.exec(r.out);
  const rbac = /RBAC findings: kubelet API access (\d+), escalation (\d+)/.exec(r.out);
  if (!read || Number(read[1]) !== NODES) problems.push(`configuration read: ${read?.[1] ?? '?'} of ${NODES}`);
  if (!anon || Number(anon[1]) !== expected) problems.push(`anonymous auth on: ${anon?.[1] ?? '?'}, expected ${expected}`);
  if (!rbac || Number(rbac[1]) === 0) problems.push('no RBAC subjects reaching the kubelet');
  return { ok: problems.length === 0, problems, nodesRead: read ? Number(read[1]) : 0, anonFailed: anon ? Number(anon[1]) : 0, anonExpected: expected,
    rbacKubelet: rbac ? Number(rbac[1]) : 0, rbacEsc: rbac ? Number(rbac[2]) : 0, lines: r.out.split('\n').length };
}

function check(r) {
  const problems = [];
  let rep;
  try {
    rep = JSON.parse(r.out);
  } catch (e) {
    return { ok: false, problems: [`output is not JSON: ${e.message}; stderr: ${r.err.slice(0, 500)}`], nodesRead: 0, findings: 0 };
  }
  const nodes = rep.nodes ?? [];
  const findings = rep.findings ?? [];
  const nodesRead = nodes.filter((n) => n.configz === 'ok').length;
  if (rep.cluster?.nodes !== NODES) problems.push(`cluster.nodes ${rep.cluster?.nodes}, expected ${NODES}`);
  if (nodes.length !== NODES) problems.push(`${nodes.length} node entries, expected ${NODES}`);
  if (nodesRead !== NODES) problems.push(`configz read for ${nodesRead} of ${NODES}: ${nodes.filter((n) => n.configz !== 'ok').slice(0, 3).map((n) => `${n.name}: ${n.configz}`).join('; ')}`);
  const anon = findings.filter((f) => f.check === 'kubelet-anonymous-auth');
  const failed = anon.filter((f) => f.status === 'fail').map((f) => f.subject?.split(' ')[0]).sort();
  const expected = Array.from({ length: NODES }, (_, i) => i).filter(isAnon).map(nodeName).sort();
  const anonOk = failed.length === expected.length && failed.every((n, k) => n === expected[k]);
  if (!anonOk) problems.push(`kubelet-anonymous-auth fails on ${failed.length} nodes, expected the ${expected.length} every-97th`);
  const anonPass = anon.filter((f) => f.status === 'pass').length;
  if (anonPass !== NODES - expected.length) problems.push(`kubelet-anonymous-auth passes on ${anonPass}, expected ${NODES - expected.length}`);
  const rbac = findings.filter((f) => f.check.startsWith('rbac-') && f.status === 'fail');
  const rbacKubelet = rbac.filter((f) => f.check === 'rbac-kubelet-access').length;
  const rbacEsc = rbac.filter((f) => f.check === 'rbac-escalation').length;
  if (rbacKubelet === 0) problems.push('no rbac-kubelet-access failure');
  if (rbacEsc === 0) problems.push('no rbac-escalation failure');
  return {
    ok: problems.length === 0, problems, nodesRead, findings: findings.length, anonFailed: failed.length, anonExpected: expected.length,
    rbacKubelet, rbacEsc, summary: rep.summary,
  };
}

const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMiB = (kib) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MiB` : '?');

function cpuModel() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model?.trim() ?? 'unknown CPU'}`;
}

async function main() {
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for the peak RSS`);
  build();

  const { startApiServerSim } = await import('../test/cluster/apiserver-sim.ts');
  sim = await startApiServerSim({
    nodes: NODES, podsPerNode: 10, bindings: 20000, namespaces: 50, kubeletVersion: 'v1.33.2',
    configz: () => 'ok', anonymousOn: isAnon, latencyMs: LATENCY_MS,
  });
  process.stderr.write(`simulator at ${sim.url}\n`);

  const rows = [];
  for (const run of RUNS) {
    const req0 = sim.requests();
    const hs0 = sim.handshakes();
    const r = await runChild(commandFor(sim.kubeconfigPath, run));
    const requests = sim.requests() - req0;
    const handshakes = sim.handshakes() - hs0;
    const c = r.timedOut ? { ok: false, problems: [`killed after ${CHILD_TIMEOUT_MS / 1000} s`], nodesRead: 0 } : run.format === 'json' ? check(r) : checkTable(r);
    rows.push({ ...run, wallMs: r.wallMs, rssKiB: r.rssKiB, code: r.code, requests, handshakes, ...c });
    process.stderr.write(`${run.format}, concurrency ${run.concurrency}: ${fmtS(r.wallMs)}, ${fmtMiB(r.rssKiB)}, exit ${r.code}, ${requests} requests, ` +
      `${handshakes} TLS handshakes, nodes read ${c.nodesRead}/${NODES}, checks ${c.ok ? 'ok' : `FAILED: ${c.problems.join(' | ')}`}\n`);
    if (r.err.trim()) process.stderr.write(`  child stderr: ${r.err.trim().slice(0, 800)}\n`);
  }
  await cleanup();

  const met = rows.every((r) => r.ok && r.wallMs < GOAL_WALL_S * 1000 && r.rssKiB / 1024 < GOAL_RSS_MB);
  const maxWall = Math.max(...rows.map((r) => r.wallMs));
  const maxRss = Math.max(...rows.map((r) => r.rssKiB));
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpuModel()}, Node ${process.versions.node}: ${NODES.toLocaleString('en-US')} nodes × 10 pods, ` +
      `20,000 role bindings, 50 namespaces, ${LATENCY_MS} ms before every API response; the simulator in the benchmark's process, the CLI via \`node bin/kubelet-guard.js\` (the esbuild bundle in \`dist/\`). One run per row.`,
    '',
    `**Goal: the whole audit in under ${GOAL_WALL_S} s and under ${GOAL_RSS_MB} MB. ${met ? 'Met' : 'Not met'}: slowest run ${fmtS(maxWall)}, largest peak RSS ${fmtMiB(maxRss)}.**`,
    '',
    '| command | concurrency | wall | peak RSS | nodes read | checks |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| \`kubelet-guard cluster --kubeconfig <sim>${r.format === 'json' ? ' --format json' : ''}${r.concurrency === 32 ? '' : ` --concurrency ${r.concurrency}`}\` | ${r.concurrency}${r.concurrency === 32 ? ' (default)' : ''} | ` +
      `${fmtS(r.wallMs)} | ${fmtMiB(r.rssKiB)} | ${r.nodesRead.toLocaleString('en-US')}/${NODES.toLocaleString('en-US')} | ` +
      (!r.ok ? `FAILED: ${r.problems.join('; ').replaceAll('|', '\\|')}`
        : r.format === 'json' ? `ok: ${r.anonFailed}/${r.anonExpected} anonymous nodes fail kubelet-anonymous-auth; ${r.rbacKubelet} rbac-kubelet-access and ${r.rbacEsc} rbac-escalation failures; ${r.findings.toLocaleString('en-US')} findings; ${r.requests.toLocaleString('en-US')} API requests, ${r.handshakes} TLS connections`
          : `ok: the table says anonymous auth on ${r.anonFailed} of ${NODES.toLocaleString('en-US')} nodes (${r.anonExpected} expected), ${r.rbacKubelet} subjects reaching the kubelet, ${r.rbacEsc} escalation paths; ${r.lines.toLocaleString('en-US')} lines`) + ' |'),
  ].join('\n');
  process.stdout.write(`${table}\n`);

  if (write) {
    const doc = path.join(root, 'docs/benchmarks.md');
    let text = fs.readFileSync(doc, 'utf8');
    const block = `<!-- cluster:begin -->\n${table}\n<!-- cluster:end -->`;
    const re = /<!-- cluster:begin -->[\s\S]*?<!-- cluster:end -->/;
    if (re.test(text)) text = text.replace(re, () => block);
    else text = `${text.trimEnd()}\n\n## Cluster audit\n\n${block}\n`;
    fs.writeFileSync(doc, text);
    process.stderr.write('docs/benchmarks.md updated\n');
  }
  return rows.every((r) => r.ok) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (e) {
  process.stderr.write(`bench/cluster.js: ${e.stack ?? e}\n`);
  process.exitCode = 2;
} finally {
  await cleanup();
}

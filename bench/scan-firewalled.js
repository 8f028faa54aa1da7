// Benchmark: scan a FIREWALLED network, where most addresses drop every packet (on loopback every
// closed port answers RST at once, which flatters every scanner: see bench/scan.js). Needs root
// (ip netns, nft) and touches nothing outside its own network namespace. 127.0.0.0/8 only.
//   node bench/scan-firewalled.js [--runs N] [--ranges CIDR,CIDR] [--hosts N] [--no-nmap] [--no-write]
//
// 1. A private network namespace, kg-bench-<pid> (`ip netns add`; lo up: the whole 127.0.0.0/8 is
//    then the namespace's own). Stale kg-bench-* namespaces (their process gone) are deleted at
//    start; ours is deleted on exit, on error and on SIGINT/SIGTERM.
// 2. nftables inside it (bench/firewalled-plan.ts: one rule, two named sets): of each range about
//    70% of the addresses drop every packet (a firewalled or empty address: the SYN gets no answer),
//    the other 30% answer, so their closed ports send RST.
// 3. Simulated kubelets on 40 hosts spread over each range (bench/firewalled-servers.js, a child
//    in the namespace): 10250 TLS answering 401, 10248 /healthz, 10255 on every third, etcd on
//    2379 on four (three over TLS asking a client certificate, one plain HTTP).
// 4. In the namespace, each under GNU time (wall, peak RSS), taking turns run after run:
//    `kubelet-guard scan RANGE --ports 10250,10255,10248,2379,2380 --format jsonl` with its defaults
//    (via bin/kubelet-guard.js), `nmap -sT -T4 -n -Pn -p ... RANGE -oG -` and the same with -T5.
//    kubelet-guard must find every simulated port and classify it (the jsonl is checked: service
//    and the evidence); nmap's count is reported as measured (it does not classify).
// Medians of the runs (default 2) and the growth from the first range to the second go into
// docs/benchmarks.md between the scan-firewalled markers. Everything has a timeout.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killGroup, timed as timedIn } from './support.js';
import { BENCH_PORTS, classifiedAs, expectedPorts, intToIp, median, nftRuleset, nmapOpen, planNetwork, staleNamespaces } from './firewalled-plan.ts';

const args = process.argv.slice(2);
const val = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const RUNS = Math.max(1, Math.min(20, Number(val('--runs')) || 2));
const RANGES = (val('--ranges') ?? '127.16.0.0/20,127.32.0.0/19').split(',').filter(Boolean);
const HOSTS = Math.max(1, Math.min(200, Number(val('--hosts')) || 40));
const NMAP = !args.includes('--no-nmap');
const write = !args.includes('--no-write');
const RUN_TIMEOUT_MS = 15 * 60_000;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const NS = `kg-bench-${process.pid}`;
const PORTS = BENCH_PORTS.join(',');
const SEED = 15; // the same network every time

let tmp;
let nsMade = false;
let serverChild;
const running = new Set(); // scanner process groups
/** a scanner in the namespace under GNU time (support.js); onLine for each stdout line */
const timed = (argv, onLine) => timedIn(argv, onLine, { cwd: root, dir: tmp, timeoutMs: RUN_TIMEOUT_MS, wrap: inNs, running });
function cleanup() {
  for (const pid of running) killGroup(pid);
  running.clear();
  if (serverChild && serverChild.exitCode === null) serverChild.kill('SIGTERM');
  serverChild = undefined;
  if (nsMade) spawnSync('ip', ['netns', 'delete', NS], { timeout: 10_000 });
  nsMade = false;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}
const deadline = setTimeout(() => {
  console.error('bench/scan-firewalled.js: overall timeout (90 min): stopping');
  cleanup();
  process.exit(1);
}, 90 * 60_000);
deadline.unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

try {
  await main();
} catch (e) {
  console.error(`bench/scan-firewalled.js: ${e.message}`);
  process.exitCode = 1;
} finally {
  cleanup();
}

function sh(cmd, argv, { input, timeout = 30_000 } = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout, input });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${(r.stderr || r.error || `exit ${r.status}`).toString().trim().slice(0, 500)}`);
  return r.stdout;
}
function inNs(argv) {
  return ['ip', 'netns', 'exec', NS, ...argv];
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('needs root (ip netns, nft): run it as root on a machine of your own');
  for (const tool of ['ip', 'nft', 'openssl']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing (apt-get install -y iproute2 nftables openssl)`);
  const plans = RANGES.map((cidr) => planNetwork(cidr, { hosts: HOSTS, seed: SEED }));

  // namespaces a killed run left behind: only those whose process is gone (another run may be going on)
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return e.code === 'EPERM';
    }
  };
  for (const stale of staleNamespaces(sh('ip', ['netns', 'list']), alive)) {
    console.log(`removing the stale namespace ${stale}`);
    spawnSync('ip', ['netns', 'delete', stale], { timeout: 10_000 });
  }

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-bench-fw-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  sh('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=kubelet-bench', '-addext', 'subjectAltName=IP:127.0.0.1']);

  sh('ip', ['netns', 'add', NS]);
  nsMade = true;
  sh('ip', inNs(['ip', 'link', 'set', 'lo', 'up']).slice(1));
  const rules = path.join(tmp, 'rules.nft');
  fs.writeFileSync(rules, nftRuleset(plans));
  sh('ip', inNs(['nft', '-f', rules]).slice(1));

  // the servers, in the namespace; they exit when their stdin closes (our exit, even a SIGKILL)
  const cfg = path.join(tmp, 'servers.json');
  fs.writeFileSync(cfg, JSON.stringify({ key, cert, servers: plans.flatMap((p) => p.servers) }));
  const expectedCount = plans.reduce((n, p) => n + expectedPorts(p).size, 0);
  await startServers(cfg, expectedCount);
  await selfCheck(plans[0]);

  for (const p of plans) {
    const exp = expectedPorts(p);
    const kinds = {};
    for (const k of exp.values()) kinds[k] = (kinds[k] ?? 0) + 1;
    console.log(`${p.cidr}: ${p.size} addresses, ${p.size - p.live.length} drop every packet, ${p.live.length} answer; ${p.servers.length} hosts with ${exp.size} open ports (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
  }

  const scanners = [
    { id: 'kg', label: (r) => `\`kubelet-guard scan ${r} --ports ${PORTS} --format jsonl\``, run: kgRun },
    ...(NMAP && spawnSync('sh', ['-c', 'command -v nmap']).status === 0
      ? ['-T4', '-T5'].map((t) => ({ id: `nmap${t}`, label: (r) => `\`nmap -sT ${t} -n -Pn -p ${PORTS} ${r} -oG -\``, run: (p) => nmapRun(p, t) }))
      : []),
  ];
  if (NMAP && scanners.length === 1) console.log('nmap: not installed (apt-get install -y nmap): left out');
  const results = new Map(); // `${cidr} ${id}` → runs
  for (let run = 1; run <= RUNS; run++) {
    for (const p of plans) {
      for (const s of scanners) {
        const r = await s.run(p);
        console.log(`run ${run} ${p.cidr} ${s.id}: ${r.wallS.toFixed(2)} s, ${r.rssMiB?.toFixed(1)} MiB, found ${r.found}/${r.expected}${r.classified !== undefined ? `, classified ${r.classified}/${r.expected}` : ''}${r.missing.length ? ` (missing ${r.missing.slice(0, 5).join(' ')})` : ''}${r.misclassified?.length ? ` (misclassified ${r.misclassified.slice(0, 5).join(' ')})` : ''}${r.failed ? ` FAILED: ${r.failed}` : ''}`);
        const k = `${p.cidr} ${s.id}`;
        if (!results.has(k)) results.set(k, []);
        results.get(k).push(r);
      }
    }
  }

  const nmapVersion = NMAP ? (spawnSync('nmap', ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '').split('\n')[0]?.replace(/ \(.*$/, '') : undefined;
  const nftVersion = (spawnSync('nft', ['--version'], { encoding: 'utf8' }).stdout ?? '').trim().replace(/ \(.*$/, '');
  const byRange = plans.map(() => []); // the table: range by range, the scanners side by side
  const growth = [];
  for (const s of scanners) {
    const med = [];
    for (const [i, p] of plans.entries()) {
      const runs = results.get(`${p.cidr} ${s.id}`);
      const ok = runs.filter((r) => !r.failed);
      const wall = median(ok.map((r) => r.wallS));
      med.push(wall);
      const rss = median(ok.map((r) => r.rssMiB).filter((x) => x !== undefined));
      const worst = (f) => Math.min(...runs.map(f));
      const exp = runs[0].expected;
      const missedRuns = runs.filter((r) => r.found < exp).length;
      const notes = [
        runs.some((r) => r.failed) ? `failed: ${[...new Set(runs.filter((r) => r.failed).map((r) => r.failed))].join('; ')}` : '',
        missedRuns ? `missed open ports in ${missedRuns} of ${runs.length} runs (${runs.map((r) => r.found).join(', ')} found)` : '',
        s.id === 'kg' ? 'defaults; every open port probed over HTTP(S) and classified' : 'finds open ports, does not classify',
      ].filter(Boolean);
      byRange[i].push(`| ${p.cidr} | ${s.label(p.cidr)} | ${Number.isNaN(wall) ? 'n/a' : `${wall.toFixed(2)} s`} | ${runs.map((r) => r.wallS.toFixed(1)).join(', ')} | ${Number.isNaN(rss) ? 'n/a' : `${rss.toFixed(1)} MiB`} | ${worst((r) => r.found)}/${exp} | ${s.id === 'kg' ? `${worst((r) => r.classified ?? 0)}/${exp}` : 'n/a'} | ${notes.join('; ')} |`);
    }
    if (plans.length >= 2) growth.push(`| ${s.label('RANGE')} | ${med.map((m) => (Number.isNaN(m) ? 'n/a' : `${m.toFixed(2)} s`)).join(' | ')} | ${(med.at(-1) / med[0]).toFixed(2)}× |`);
  }
  const shape = plans.map((p) => `${p.cidr} (${p.size.toLocaleString('en-US')} addresses, ${(p.size - p.live.length).toLocaleString('en-US')} dropping, ${p.servers.length} hosts with ${expectedPorts(p).size} open ports)`).join(' and ');
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Linux ${os.release()}, Node ${process.versions.node}, ${nftVersion}${nmapVersion ? `, ${nmapVersion}` : ''} (\`node bench/scan-firewalled.js --runs ${RUNS}\`): ${shape}; ports ${PORTS}. Medians of ${RUNS} run${RUNS > 1 ? 's' : ''} each, the scanners taking turns; "found" and "classified" are the worst run's.`,
    '',
    '| range | scanner | wall (median) | runs (s) | peak RSS (median) | open ports found | classified | notes |',
    '|---|---|---|---|---|---|---|---|',
    ...byRange.flat(),
    ...(growth.length ? ['', `| growth ${plans[0].cidr} → ${plans.at(-1).cidr} | ${plans.map((p) => p.cidr).join(' | ')} | growth |`, `|---|${plans.map(() => '---|').join('')}---|`, ...growth] : []),
  ].join('\n');
  console.log(`\n${table}`);
  if (write) writeDoc(table);
  const kgFailed = [...results.entries()].filter(([k]) => k.endsWith(' kg')).some(([, runs]) => runs.some((r) => r.failed || r.found < r.expected || r.classified < r.expected));
  if (kgFailed) {
    console.error('bench: kubelet-guard missed or misclassified simulated ports (or failed): see above');
    process.exitCode = 1;
  }
}

function startServers(cfg, count) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', inNs([process.execPath, path.join(root, 'bench/firewalled-servers.js'), cfg]).slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    serverChild = child;
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`servers not ready after 60 s: ${err.slice(0, 500)}`)), 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      out += c;
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        if (Number(m[1]) !== count) reject(new Error(`servers: ${m[1]} listening, ${count} planned`));
        else resolve();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      if (err.length < 10_000) err += c;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`servers exited (${code}): ${err.slice(0, 500)}`));
    });
  });
}

/** Inside the namespace: a server answers, a live address refuses, a dropped address never answers. */
async function selfCheck(plan) {
  const server = plan.servers[0].host;
  const liveSet = new Set(plan.live);
  const serverSet = new Set(plan.servers.map((s) => s.host));
  let liveOther;
  let dropped;
  for (let i = 1; i < plan.size - 1 && (!liveOther || !dropped); i++) {
    const a = plan.base + i;
    if (liveSet.has(a) && !serverSet.has(intToIp(a))) liveOther ??= intToIp(a);
    if (!liveSet.has(a)) dropped ??= intToIp(a);
  }
  const code = `
    import net from 'node:net';
    const probe = (host, port) => new Promise((resolve) => {
      const s = net.connect({ host, port });
      const t = setTimeout(() => { s.destroy(); resolve('timeout'); }, 1500);
      s.on('connect', () => { clearTimeout(t); s.destroy(); resolve('open'); });
      s.on('error', (e) => { clearTimeout(t); resolve(e.code); });
    });
    console.log([await probe(${JSON.stringify(server)}, 10250), await probe(${JSON.stringify(liveOther)}, 10250), await probe(${JSON.stringify(dropped)}, 10250)].join(' '));`;
  const got = sh('ip', inNs([process.execPath, '--input-type=module', '-e', code]).slice(1)).trim();
  if (got !== 'open ECONNREFUSED timeout') throw new Error(`self-check in ${NS}: ${server}:10250, ${liveOther}:10250, ${dropped}:10250 gave "${got}", expected "open ECONNREFUSED timeout"`);
  // and the host's own loopback knows none of it
  const outside = spawnSync(process.execPath, ['--input-type=module', '-e', code.replace(/^\s*console\.log\(.*$/m, `console.log(await probe(${JSON.stringify(server)}, 10250));`)], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  if (outside === 'open') throw new Error(`self-check: ${server}:10250 answers outside ${NS}: something else listens there`);
  console.log(`self-check in ${NS}: ${server}:10250 open, ${liveOther}:10250 refused, ${dropped}:10250 no answer`);
}

// --- runners -----------------------------------------------------------------------------------

async function kgRun(plan) {
  const exp = expectedPorts(plan);
  const seen = new Map();
  const r = await timed([process.execPath, '--max-semi-space-size=8', 'bin/kubelet-guard.js', 'scan', plan.cidr, '--ports', PORTS, '--format', 'jsonl'], (line) => {
    if (!line.startsWith('{')) return;
    try {
      const o = JSON.parse(line);
      if (o.endpoint) seen.set(`${o.endpoint.host}:${o.endpoint.port}`, o.endpoint);
    } catch {
      // not a result line
    }
  });
  const missing = [...exp.keys()].filter((k) => !seen.has(k));
  const misclassified = [...exp.entries()].filter(([k, kind]) => seen.has(k) && !classifiedAs(kind, seen.get(k))).map(([k, kind]) => `${k} (${kind}: ${seen.get(k).service})`);
  const failed = r.timedOut ? 'timed out' : r.code !== 0 && r.code !== 1 ? `exit ${r.code}: ${r.stderr.trim().split('\n')[0]?.slice(0, 200).replace(/\|/g, '\\|')}` : undefined;
  return { wallS: r.wallS, rssMiB: r.rssMiB, expected: exp.size, found: exp.size - missing.length, classified: exp.size - missing.length - misclassified.length, missing, misclassified, extra: [...seen.keys()].filter((k) => !exp.has(k)).length, failed };
}

async function nmapRun(plan, timing) {
  const exp = expectedPorts(plan);
  const found = new Set();
  const r = await timed(['nmap', '-sT', timing, '-n', '-Pn', '-p', PORTS, plan.cidr, '-oG', '-'], (line) => {
    for (const k of nmapOpen(line)) found.add(k);
  });
  const missing = [...exp.keys()].filter((k) => !found.has(k));
  const failed = r.timedOut ? 'timed out' : r.code !== 0 ? `exit ${r.code}: ${r.stderr.trim().split('\n')[0]?.slice(0, 200).replace(/\|/g, '\\|')}` : undefined;
  return { wallS: r.wallS, rssMiB: r.rssMiB, expected: exp.size, found: exp.size - missing.length, missing, extra: [...found].filter((k) => !exp.has(k)).length, failed };
}

// --- docs/benchmarks.md ------------------------------------------------------------------------

function writeDoc(table) {
  const file = path.join(root, 'docs/benchmarks.md');
  const begin = '<!-- scan-firewalled:begin -->';
  const end = '<!-- scan-firewalled:end -->';
  let doc = fs.readFileSync(file, 'utf8');
  const block = `${begin}\n${table}\n${end}`;
  if (doc.includes(begin) && doc.includes(end)) {
    doc = doc.slice(0, doc.indexOf(begin)) + block + doc.slice(doc.indexOf(end) + end.length);
  } else {
    // a new section right after the loopback sweep's
    const after = doc.indexOf('<!-- scan:end -->');
    const section = `\n\n## Scan of a firewalled network\n\n\`bench/scan-firewalled.js\`: see its header.\n\n${block}`;
    doc = after >= 0 ? doc.slice(0, after + '<!-- scan:end -->'.length) + section + doc.slice(after + '<!-- scan:end -->'.length) : `${doc.trimEnd()}${section}\n`;
  }
  fs.writeFileSync(file, doc);
}

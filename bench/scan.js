// Benchmark: sweep 127.0.0.0/16 × 3 kubelet ports (196,608 probes) with kubelet-like servers at
// random loopback addresses, and compare with nmap -sT on the same sweep. Loopback only.
//   node bench/scan.js [--runs N] [--servers N] [--concurrency N] [--no-write] [--no-nmap]
//
// Each simulated kubelet binds its own 127.0.x.y (x in 1..254): 10250 over TLS (a certificate
// minted once with openssl) answering 401 Unauthorized to everything, 10248 plain HTTP answering
// /healthz with `ok`, and on every other host 10255 plain HTTP answering /pods with a pod list (the
// others have the read-only port off, as current kubelets do, so a closed port on a live host is
// in the sweep too). Then, each in its own process under GNU time (wall time, CPU time, peak RSS),
// the scanners side by side in every run (`--runs`, default 3; the table gives medians, since this
// machine's speed varies between minutes by more than the differences measured):
//   1. the engine (src/scan/engine.ts) with tcpConnect (src/scan/tcp-connect.ts) as the probe, in
//      the main thread: a connect scan, what nmap -sT does;
//   2. the CLI, `kubelet-guard scan 127.0.0.0/16 --ports 10250,10255,10248 --format jsonl`, which
//      also classifies every open port over HTTP(S): with its defaults (connect threads, one per
//      CPU), and with `--threads 0` (every connect in the main thread);
//   3. `nmap -sT -T5 -n -Pn -p 10250,10255,10248 127.0.0.0/16 -oG -`, when nmap is installed;
//   4. the CLI and nmap again on 127.1.0.0/16, where nothing listens: the sweep alone, without
//      the kubelets to classify (their TLS handshakes cost CPU on both sides, here on the same cores).
// Each must find every simulated port. Results go into docs/benchmarks.md between the scan markers.
// Everything has a timeout, and the servers are closed whatever happens.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { harden, kubeletHealthz, kubeletReadOnly, kubeletSecure, killGroup, listen, timed as timedIn } from './support.js';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || def : def);
const SERVERS = Math.min(254, Math.max(1, opt('--servers', 55)));
const RUNS = Math.min(20, Math.max(1, opt('--runs', 3)));
const CONCURRENCY = opt('--concurrency', 256); // the CLI's default
const CONNECT_TIMEOUT_MS = 1000; // loopback: a closed port answers RST at once, nothing is filtered
const RUN_TIMEOUT_MS = 10 * 60_000;
const write = !args.includes('--no-write');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PORTS = [10250, 10255, 10248];
const RANGE = '127.0.0.0/16';
/** the same sweep where nothing listens: the sweep alone, without a kubelet to classify */
const EMPTY_RANGE = '127.1.0.0/16';

const servers = [];
let tmp;
const running = new Set(); // scanner process groups
/** a scanner under GNU time, in this benchmark's folder and with its timeout (support.js) */
const timed = (argv, onLine) => timedIn(argv, onLine, { cwd: root, dir: tmp, timeoutMs: RUN_TIMEOUT_MS, running });
function cleanup() {
  for (const pid of running) killGroup(pid);
  running.clear();
  for (const s of servers) {
    s.closeAllConnections?.();
    s.close();
  }
  servers.length = 0;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}
// the whole benchmark stops by itself, whatever hangs
const deadline = setTimeout(() => {
  console.error('bench/scan.js: overall timeout (30 min): stopping');
  cleanup();
  process.exit(1);
}, 30 * 60_000);
deadline.unref();
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  await main();
} finally {
  cleanup();
}

async function main() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-bench-scan-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  const mint = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=kubelet-bench', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8', timeout: 30_000 });
  if (mint.status !== 0) throw new Error(`openssl: ${mint.stderr || mint.error}`);
  const tlsOpts = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };

  // the simulated kubelets
  const expected = new Set();
  const used = new Set();
  let hosts = 0;
  while (hosts < SERVERS) {
    const host = `127.0.${1 + Math.floor(Math.random() * 254)}.${1 + Math.floor(Math.random() * 254)}`;
    if (used.has(host)) continue;
    used.add(host);
    const readOnly = hosts % 2 === 0;
    const listeners = [
      [10250, https.createServer(tlsOpts, kubeletSecure)],
      [10248, http.createServer(kubeletHealthz)],
      ...(readOnly ? [[10255, http.createServer(kubeletReadOnly)]] : []),
    ];
    try {
      for (const [port, srv] of listeners) {
        await listen(harden(srv), port, host);
        servers.push(srv);
      }
    } catch (e) {
      console.error(`bench: ${host}: ${e.message}; another address`);
      for (const [, srv] of listeners) srv.close();
      continue;
    }
    for (const [port] of listeners) expected.add(`${host}:${port}`);
    hosts++;
  }
  await selfCheck([...expected][0].split(':')[0]);
  console.log(`${hosts} simulated kubelets, ${expected.size} open ports (10250 and 10248 on each, 10255 on every other host), in 127.0.0.0/16`);

  // the scanners side by side in each run; a skipped one is skipped once
  const runs = { engine: [], cli: [], cliOneThread: [], nmap: [], cliEmpty: [], nmapEmpty: [] };
  const skipped = {};
  const none = new Set();
  for (let i = 1; i <= RUNS; i++) {
    console.log(`run ${i} of ${RUNS}`);
    // V8 grows the young generation to 2 × 64 MiB under this allocation rate (sockets are garbage
    // at once, but many): a smaller semi-space keeps RSS lower at a small cost in GC time (the bin
    // starts Node with it)
    runs.engine.push(await engineRun(expected, ['--max-semi-space-size=8']));
    const scanners = [
      ['cli', () => cliRun(expected)],
      ['cliOneThread', () => cliRun(expected, ['--threads', '0'])],
      ...(args.includes('--no-nmap') ? [] : [['nmap', () => nmapRun(expected)]]),
      ['cliEmpty', () => cliRun(none, [], EMPTY_RANGE)],
      ...(args.includes('--no-nmap') ? [] : [['nmapEmpty', () => nmapRun(none, EMPTY_RANGE)]]),
    ];
    for (const [key, run] of scanners) {
      if (skipped[key]) continue;
      const r = await run();
      if (r.skipped) skipped[key] = r;
      else runs[key].push(r);
    }
  }
  const rows = ['engine', 'cli', 'cliOneThread', 'nmap', 'cliEmpty', 'nmapEmpty'].flatMap((k) => (skipped[k] ? [skipped[k]] : runs[k].length ? [median(runs[k])] : []));

  const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.versions.node}: 127.0.0.0/16 × ports 10250,10255,10248 = 196,608 probes, ${hosts} simulated kubelets with ${expected.size} open ports at random 127.0.x.y addresses. ${RUNS === 1 ? 'One run' : `Medians of ${RUNS} runs, the scanners side by side in each (wall times in brackets: the fastest and slowest run)`}; CPU is user + system time.`,
    '',
    '| scanner | wall | probes/s | CPU | peak RSS | found | notes |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      r.skipped
        ? `| ${r.label} | n/a | n/a | n/a | n/a | n/a | ${r.notes} |`
        : `| ${r.label} | ${secs(r.wallMs)}${r.runs > 1 ? ` (${secs(r.minMs)}–${secs(r.maxMs)})` : ''} | ${Math.round(196_608 / (r.wallMs / 1000)).toLocaleString('en-US')} | ${r.cpuS === undefined ? 'n/a' : `${r.cpuS.toFixed(2)} s`} | ${r.rssMiB === undefined ? 'n/a' : `${r.rssMiB.toFixed(1)} MiB`} | ${r.found}/${r.of}${r.missing ? ` (missing ${r.missing})` : ''}${r.extra ? ` (+${r.extra} not ours)` : ''} | ${r.notes} |`,
    ),
  ].join('\n');
  console.log(`\n${table}`);
  if (write) writeDoc(table);
  const failed = Object.values(runs).flat().filter((r) => r.missing > 0);
  if (failed.length) {
    console.error(`bench: ${failed.map((r) => r.label).join(', ')} missed simulated servers`);
    process.exitCode = 1;
  }
}

async function selfCheck(host) {
  const get = (mod, port, p) =>
    new Promise((resolve, reject) => {
      const req = mod.get({ host, port, path: p, rejectUnauthorized: false, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(`${res.statusCode} ${body.slice(0, 40)}`));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  const a = await get(https, 10250, '/pods');
  const b = await get(http, 10248, '/healthz');
  const c = await get(http, 10255, '/pods');
  if (!a.startsWith('401 Unauthorized') || b !== '200 ok' || !c.startsWith('200 {"kind":"PodList"')) throw new Error(`self-check: ${a} | ${b} | ${c}`);
}

// --- runners -----------------------------------------------------------------------------------

/** one row from a scanner's runs: the median wall and CPU time, the highest peak RSS, the fewest found */
function median(rs) {
  const mid = (xs) => {
    const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
    if (v.length === 0) return undefined;
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const worst = rs.reduce((a, b) => (b.found < a.found ? b : a));
  return {
    ...rs[0],
    runs: rs.length,
    wallMs: mid(rs.map((r) => r.wallMs)),
    minMs: Math.min(...rs.map((r) => r.wallMs)),
    maxMs: Math.max(...rs.map((r) => r.wallMs)),
    cpuS: mid(rs.map((r) => r.cpuS)),
    rssMiB: Math.max(...rs.map((r) => r.rssMiB ?? 0)) || undefined,
    found: worst.found,
    of: worst.of,
    missing: worst.missing,
    extra: Math.max(...rs.map((r) => r.extra)),
  };
}

function tally(expected, found) {
  let hit = 0;
  for (const k of expected) if (found.has(k)) hit++;
  return { found: hit, of: expected.size, missing: expected.size - hit, extra: [...found].filter((k) => !expected.has(k)).length };
}

async function engineRun(expected, nodeFlags = []) {
  const url = (p) => JSON.stringify(pathToFileURL(path.join(root, p)).href);
  // a tiny connect, used only while src/scan/tcp-connect.ts is missing or broken
  const code = `
    import net from 'node:net';
    const { sweep } = await import(${url('src/scan/engine.ts')});
    const { iterateAddresses, countAddresses, parseTargetSpec } = await import(${url('src/scan/targets.ts')});
    let tcpConnect, which = 'tcpConnect (src/scan/tcp-connect.ts)';
    try { ({ tcpConnect } = await import(${url('src/scan/tcp-connect.ts')})); } catch (e) { tcpConnect = undefined; }
    if (typeof tcpConnect !== 'function') {
      which = 'the benchmark\\'s own connect (tcp-connect.ts unavailable)';
      tcpConnect = (host, port, ms) => new Promise((resolve) => {
        const s = net.connect({ host, port });
        const done = (state) => { clearTimeout(t); s.destroy(); resolve({ state }); };
        const t = setTimeout(() => done('filtered'), ms);
        s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'closed' : 'filtered'));
        s.on('connect', () => done(s.localPort === port && s.localAddress === s.remoteAddress ? 'closed' : 'open'));
      });
    }
    const sets = [parseTargetSpec('127.0.0.0/16').target];
    const r = await sweep({
      addresses: iterateAddresses(sets), addressCount: countAddresses(sets), ports: ${JSON.stringify(PORTS)},
      concurrency: ${CONCURRENCY}, probeCeilingMs: 10000,
      probe: async (host, port) => ((await tcpConnect(host, port, ${CONNECT_TIMEOUT_MS})).state === 'open' ? host + ':' + port : undefined),
      onResult: (x) => process.stdout.write(x + '\\n'),
    });
    process.stdout.write(JSON.stringify({ summary: r, which, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');`;
  const found = new Set();
  let summary;
  const r = await timed([process.execPath, ...nodeFlags, '--input-type=module', '-e', code], (line) => {
    if (line.startsWith('{')) summary = JSON.parse(line);
    else if (line) found.add(line);
  });
  if (r.code !== 0 || !summary) throw new Error(`engine run failed (${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(0, 2000)}`);
  console.log(`engine: ${summary.summary.done} probes in ${(r.wallMs / 1000).toFixed(2)} s, ${found.size} open, peak RSS ${r.rssMiB?.toFixed(1)} MiB; ${summary.which}`);
  const flags = nodeFlags.length ? ` (\`node ${nodeFlags.join(' ')}\`)` : '';
  return { label: `engine + tcpConnect, concurrency ${CONCURRENCY}${flags}`, wallMs: r.wallMs, cpuS: r.cpuS, rssMiB: r.rssMiB ?? summary.maxRssKiB / 1024, ...tally(expected, found), notes: `connect scan, like nmap -sT; connect timeout ${CONNECT_TIMEOUT_MS} ms; ${summary.which}` };
}

async function cliRun(expected, extra = [], range = RANGE) {
  const label = `\`kubelet-guard scan ${range} --ports 10250,10255,10248 --format jsonl${extra.map((a) => ` ${a}`).join('')}\``;
  if (!fs.existsSync(path.join(root, 'src/commands/scan.ts'))) {
    console.log('cli: src/commands/scan.ts does not exist yet: skipped');
    return { label, skipped: true, notes: 'skipped: src/commands/scan.ts does not exist yet' };
  }
  const scanArgs = ['scan', range, '--ports', PORTS.join(','), '--format', 'jsonl', ...extra];
  // the bin prefers the dist/ bundle; when that predates the scan command, run the sources
  let via = 'bin/kubelet-guard.js (with its shebang flag --max-semi-space-size=8)';
  let argv = [process.execPath, '--max-semi-space-size=8', 'bin/kubelet-guard.js', ...scanArgs];
  const probe = spawnSync(process.execPath, ['bin/kubelet-guard.js', 'scan'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  if (/unknown command/.test(probe.stderr ?? '')) {
    via = 'src/cli.ts (the dist/ bundle has no scan command yet)';
    const cli = JSON.stringify(pathToFileURL(path.join(root, 'src/cli.ts')).href);
    argv = [process.execPath, '--input-type=module', '-e', `const { main } = await import(${cli}); process.exitCode = await main(process.argv);`, '--', 'kubelet-guard', ...scanArgs];
  }
  const found = new Set();
  let summary;
  const r = await timed(argv, (line) => {
    if (!line.startsWith('{')) return;
    try {
      const o = JSON.parse(line);
      if (o.endpoint) found.add(`${o.endpoint.host}:${o.endpoint.port}`);
      else if (o.summary) summary = o.summary;
    } catch {
      // not a result line
    }
  });
  if ((r.code !== 0 && r.code !== 1) || r.timedOut) {
    const why = r.timedOut ? 'timed out' : `exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' / ').slice(0, 300)}`;
    console.log(`cli: failed (${why}): left out`);
    return { label, skipped: true, notes: `did not run: ${why.replace(/\|/g, '\\|')}` };
  }
  const threads = summary?.timing?.threads;
  console.log(`cli${extra.length ? ` ${extra.join(' ')}` : ''}: ${summary?.probes ?? '?'} probes in ${(r.wallMs / 1000).toFixed(2)} s, ${found.size} endpoints, ${threads ?? '?'} connect threads, peak RSS ${r.rssMiB?.toFixed(1)} MiB, via ${via}`);
  return { label, wallMs: r.wallMs, cpuS: r.cpuS, rssMiB: r.rssMiB, ...tally(expected, found), notes: `${extra.length ? 'otherwise the defaults' : 'the defaults'}${threads !== undefined ? `: ${threads ? `${threads} connect threads` : 'connects in the main thread'}` : ''}; every open port also probed over HTTP(S) and classified; via ${via}` };
}

async function nmapRun(expected, range = RANGE) {
  const label = `\`nmap -sT -T5 -n -Pn -p 10250,10255,10248 ${range} -oG -\``;
  const which = spawnSync('sh', ['-c', 'command -v nmap'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.log('nmap: not installed (apt-get install -y nmap): skipped');
    return { label, skipped: true, notes: 'nmap is not installed on this machine (apt-get install -y nmap)' };
  }
  const version = spawnSync('nmap', ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout.split('\n')[0]?.replace(/ \(.*$/, '') ?? 'nmap';
  const found = new Set();
  const r = await timed(['nmap', '-sT', '-T5', '-n', '-Pn', '-p', PORTS.join(','), range, '-oG', '-'], (line) => {
    const m = /^Host: (\S+) .*Ports: (.*)$/.exec(line);
    if (!m) return;
    for (const p of m[2].split(',')) {
      const pm = /^\s*(\d+)\/open\//.exec(p);
      if (pm) found.add(`${m[1]}:${pm[1]}`);
    }
  });
  if (r.code !== 0 || r.timedOut) {
    const why = r.timedOut ? 'timed out' : `exit ${r.code}: ${r.stderr.trim().split('\n')[0]?.slice(0, 200)}`;
    console.log(`nmap: failed (${why})`);
    return { label, skipped: true, notes: `${version} did not finish: ${why.replace(/\|/g, '\\|')}` };
  }
  console.log(`nmap: ${(r.wallMs / 1000).toFixed(2)} s, ${found.size} open, peak RSS ${r.rssMiB?.toFixed(1)} MiB`);
  return { label, wallMs: r.wallMs, cpuS: r.cpuS, rssMiB: r.rssMiB, ...tally(expected, found), notes: version };
}

// --- docs/benchmarks.md ------------------------------------------------------------------------

function writeDoc(table) {
  const file = path.join(root, 'docs/benchmarks.md');
  const begin = '<!-- scan:begin -->';
  const end = '<!-- scan:end -->';
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${table}\n${end}`;
  if (doc.includes(begin) && doc.includes(end)) {
    doc = doc.slice(0, doc.indexOf(begin)) + block + doc.slice(doc.indexOf(end) + end.length);
  } else {
    doc = `${doc.trimEnd()}\n\n## Scan sweep\n\n\`bench/scan.js\` starts kubelet-like servers at random addresses in 127.0.0.0/16 (10250 over TLS answering\n401, 10248 \`/healthz\`, 10255 \`/pods\` on every other host), sweeps the /16 on ports 10250, 10255 and\n10248, and checks that every simulated port is found; each scanner runs in its own process under\nGNU time (wall time, peak RSS). Loopback only.\n\n${block}\n`;
  }
  fs.writeFileSync(file, doc);
}

// Benchmark: the single executable (dist-sea/, `npm run build:sea`) beside `node -e 0` and the npm
// bin: its size, and the wall and CPU time of --version, --help and a node audit (medians). The
// commands take turns, run after run, so that a change in the machine's load touches them all
// alike. Writes the table into docs/benchmarks.md between the single-executable markers.
//   node bench/single-executable.js [--runs N] [--no-write]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 30;
const write = !args.includes('--no-write');
const TIME = '/usr/bin/time'; // GNU time: %e wall, %U user, %S system seconds, %M peak RSS in KiB
const SEA = `dist-sea/kubelet-guard-linux-${process.arch}`;
const EXAMPLE = 'examples/nodes/kubeadm-worker';

if (!fs.existsSync(SEA)) spawnSync('npm', ['run', 'build:sea'], { stdio: 'inherit' });
if (!fs.existsSync('dist/kubelet-guard.js')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const node = process.execPath;
const audit = ['node', '--root', EXAMPLE, '--format', 'json'];
const commands = [
  { label: 'node -e 0', argv: [node, '-e', '0'] },
  { label: 'kubelet-guard --version (single executable)', argv: [SEA, '--version'] },
  { label: 'kubelet-guard --help (single executable)', argv: [SEA, '--help'] },
  { label: `kubelet-guard ${audit.join(' ')} (single executable)`, argv: [SEA, ...audit] },
  { label: 'kubelet-guard --version (npm bin)', argv: [node, 'bin/kubelet-guard.js', '--version'] },
  { label: `kubelet-guard ${audit.join(' ')} (npm bin)`, argv: [node, 'bin/kubelet-guard.js', ...audit] },
].map((c) => ({ ...c, wall: [], cpu: [], rss: [] }));

const useTime = fs.existsSync(TIME);
for (let i = 0; i < runs + 3; i++) {
  for (const c of commands) {
    const t0 = process.hrtime.bigint();
    const r = useTime
      ? spawnSync(TIME, ['-f', '%U %S %M', ...c.argv], { encoding: 'utf8' })
      : spawnSync(c.argv[0], c.argv.slice(1), { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${c.label} exited ${r.status}: ${r.stderr}`);
    // exit 1 is also how a crash ends: the output must be the command's own (a stale dist/ once crashed
    // in 1 ms and was measured as a fast audit)
    const ok = c.label === 'node -e 0' || (c.argv.includes('--format') ? r.stdout.startsWith('{') : /^\d+\.\d+|Usage/.test(r.stdout));
    if (!ok) throw new Error(`${c.label} did not print its output: ${r.stderr}`);
    if (i < 3) continue; // warm-up (page cache, compile cache)
    c.wall.push(ms);
    if (useTime) {
      const [u, s, m] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      c.cpu.push((u + s) * 1000);
      c.rss.push(m / 1024);
    }
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = commands.map((c) => ({ label: c.label, wallMs: med(c.wall), minMs: Math.min(...c.wall), cpuMs: c.cpu.length ? med(c.cpu) : undefined, rssMiB: c.rss.length ? med(c.rss) : undefined }));
const base = rows[0];
const mib = (f) => `${(fs.statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.versions.node}, ${runs} runs each after 3 warm-up runs, the commands taking turns (medians; CPU = user + system, GNU time's 10 ms resolution).`,
  `Size: \`${SEA}\` ${mib(SEA)} (the Node binary alone: ${mib(fs.realpathSync(node))}).`,
  '',
  '| command | wall (median) | wall (min) | × `node -e 0` | CPU (median) | × `node -e 0` | peak RSS (median) |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| \`${r.label}\` | ${r.wallMs.toFixed(1)} ms | ${r.minMs.toFixed(1)} ms | ${(r.wallMs / base.wallMs).toFixed(2)} | ${r.cpuMs === undefined ? 'n/a' : `${r.cpuMs.toFixed(0)} ms`} | ${r.cpuMs === undefined ? 'n/a' : (r.cpuMs / base.cpuMs).toFixed(2)} | ${r.rssMiB === undefined ? 'n/a' : `${r.rssMiB.toFixed(1)} MiB`} |`),
].join('\n');
console.log(table);

if (write) {
  const file = 'docs/benchmarks.md';
  const begin = '<!-- single-executable:begin -->';
  const end = '<!-- single-executable:end -->';
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${table}\n${end}`;
  doc = doc.includes(begin) ? doc.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${doc.trimEnd()}\n\n## Single executable\n\n${block}\n`;
  fs.writeFileSync(file, doc);
}

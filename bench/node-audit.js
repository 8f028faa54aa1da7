// Benchmark: `kubelet-guard node --root <example>` wall time and peak memory (median of repeated
// runs), side by side with bare Node start-up (`node -e 0`) on the same machine. Writes the
// results table into docs/benchmarks.md between the node-audit markers.
//   node bench/node-audit.js [--runs N] [--no-write]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 30;
const write = !args.includes('--no-write');
const TIME = '/usr/bin/time'; // GNU time: %e wall seconds, %M peak RSS in KiB

if (!fs.existsSync('dist/kubelet-guard.js')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

function measure(label, argv) {
  const wall = [];
  const rss = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = process.hrtime.bigint();
    const useTime = fs.existsSync(TIME);
    const r = useTime
      ? spawnSync(TIME, ['-f', '%M', ...argv], { encoding: 'utf8' })
      : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
    if (i < 3) continue; // warm-up (page cache, compile cache)
    wall.push(ms);
    if (useTime) rss.push(Number(r.stderr.trim().split('\n').at(-1)) / 1024);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { label, wallMs: med(wall), minMs: Math.min(...wall), rssMiB: rss.length ? med(rss) : undefined };
}

const node = process.execPath;
const rows = [measure('node -e 0', [node, '-e', '0'])];
for (const ex of ['kubeadm-worker', 'legacy-flags', 'eks-al2023', 'insecure', 'kubeadm-control-plane']) {
  rows.push(measure(`kubelet-guard node --root examples/nodes/${ex} --format json`, [node, 'bin/kubelet-guard.js', 'node', '--root', `examples/nodes/${ex}`, '--format', 'json']));
}
const base = rows[0].wallMs;
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.versions.node}, ${runs} runs each after 3 warm-up runs (medians).`,
  '',
  '| command | wall (median) | wall (min) | × `node -e 0` | peak RSS (median) |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| \`${r.label}\` | ${r.wallMs.toFixed(1)} ms | ${r.minMs.toFixed(1)} ms | ${(r.wallMs / base).toFixed(2)} | ${r.rssMiB === undefined ? 'n/a' : `${r.rssMiB.toFixed(1)} MiB`} |`),
].join('\n');
console.log(table);

if (write) {
  const file = 'docs/benchmarks.md';
  const begin = '<!-- node-audit:begin -->';
  const end = '<!-- node-audit:end -->';
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${table}\n${end}`;
  doc = doc.includes(begin) ? doc.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${doc.trimEnd()}\n\n## Node audit start-up\n\n${block}\n`;
  fs.writeFileSync(file, doc);
}

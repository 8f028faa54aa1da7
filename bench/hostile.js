// Benchmark: the hostile inputs of issue 9, each through the built CLI in a child process
// (test/support/measured.ts: wall time and the child's own peak RSS), against the goal of every
// case: it ends by itself, in bounded time, under 500 MiB, with the verdict the evidence allows.
//   node bench/hostile.js [--no-write] [--only SUBSTRING]
// Node trees are written to a temporary folder; servers (a hostile kubelet, an API-server simulator
// with hostile modes) listen on loopback only. Results go into docs/benchmarks.md between the
// hostile markers. The tests assert the same cases with generous guards (test/bad-input*.test.ts,
// test/scan/*hostile*.test.ts, test/cluster/hostile-cli.test.ts); this script records the numbers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMeasured } from '../test/support/measured.ts';
import { CONFIG, DROPIN, GOOD_CONFIG, kubeadmTree } from '../test/node-tree.ts';
import { startHostile } from '../test/scan/hostile.ts';
import { startApiServerSim } from '../test/cluster/apiserver-sim.ts';
import * as H from '../test/cluster/hostile-apiserver.ts';

const args = process.argv.slice(2);
const write = !args.includes('--no-write');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const GOAL_RSS_MIB = 500;
const KILL_MS = 180_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-bench-hostile-'));

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const INSECURE = '--anonymous-auth=true --authorization-mode=AlwaysAllow';
const DROPIN_DIR = path.posix.dirname(DROPIN);
const find = (rep, check) => rep.findings.filter((f) => f.check === check);
const verdict = (rep, check) => [...new Set(find(rep, check).map((f) => f.status))].join('/') || 'no finding';

/** A node tree with extra host-side preparation. */
function tree(files, prepare) {
  const r = kubeadmTree(files);
  prepare?.(r);
  return r;
}

function denseManifests(r) {
  const dir = path.join(r, 'etc/kubernetes/manifests');
  fs.mkdirSync(dir, { recursive: true });
  for (let n = 0; n < 10; n++) {
    const head = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: dense${n}\n  namespace: kube-system\n  labels:\n`;
    const spec = 'spec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n';
    const lines = [];
    let size = head.length + spec.length;
    for (let i = 0; size < 4 * 1024 * 1024 - 64; i++) {
      const l = `    l${String(i).padStart(7, '0')}: v${i}\n`;
      lines.push(l);
      size += l.length;
    }
    fs.writeFileSync(path.join(dir, `dense${n}.yaml`), head + lines.join('') + spec);
  }
}

const NODE_CASES = [
  {
    name: 'config: merge key `<<: {anonymous: {enabled: true}}`',
    files: { [CONFIG]: `${HEAD}base: &b {anonymous: {enabled: true}}\nauthentication:\n  <<: *b\n  webhook: {enabled: true}\n` },
    outcome: (rep) => `anonymous auth ${verdict(rep, 'kubelet-anonymous-auth')} (was pass)`,
  },
  {
    name: 'config: 1,000,000-element flow sequence',
    files: { [CONFIG]: `${HEAD}x: [${Array(1_000_000).fill('1').join(',')}]\n` },
    outcome: (rep) => `settings ${verdict(rep, 'kubelet-anonymous-auth')}`,
  },
  {
    name: 'config: nested 1,000,000 levels',
    files: { [CONFIG]: `${HEAD}x: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n` },
    outcome: (rep) => `refused as go-yaml refuses it (config-accepted ${verdict(rep, 'kubelet-config-accepted')})`,
  },
  {
    name: 'config: 100,000 unknown keys',
    files: { [CONFIG]: `${HEAD}${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n')}\n` },
    outcome: (rep) => `${find(rep, 'kubelet-config-warnings').length} warning findings (summarised)`,
  },
  {
    name: '20,000 systemd drop-ins, the last one insecure',
    prepare: (r) => {
      const dir = path.join(r, DROPIN_DIR);
      for (let i = 0; i < 20_000; i++) fs.writeFileSync(path.join(dir, `50-n${String(i).padStart(5, '0')}.conf`), '[Service]\nRestart=always\n');
      fs.writeFileSync(path.join(dir, 'zz-last.conf'), `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} ${INSECURE}\n`);
    },
    outcome: (rep) => `anonymous auth ${verdict(rep, 'kubelet-anonymous-auth')} (was pass)`,
  },
  {
    name: '--config-dir 2,000 folders deep',
    files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--config-dir=/c\n' },
    prepare: (r) => {
      let host = path.join(r, 'c');
      fs.mkdirSync(host);
      for (let i = 0; i < 2000; i++) fs.mkdirSync((host += '/d'));
      fs.writeFileSync(path.join(host, '../x.conf'), `${HEAD}readOnlyPort: 10255\n`);
    },
    outcome: (rep) => `read-only port ${verdict(rep, 'kubelet-read-only-port')}`,
  },
  {
    name: '10 static pod manifests of 4 MiB (287,000 labels each)',
    files: { [CONFIG]: `${GOOD_CONFIG}staticPodPath: /etc/kubernetes/manifests\n` },
    prepare: denseManifests,
    outcome: (rep) => `privileged static pods ${verdict(rep, 'static-pod-privileged')}`,
  },
];

async function nodeCase(c) {
  const r = tree(c.files ?? {}, c.prepare);
  try {
    const m = await runMeasured(['node', '--root', r, '--format', 'json', '--fail-on', 'none'], { killAfterMs: KILL_MS, keepChars: 300_000_000 });
    return { ...m, outcome: m.killed ? 'killed' : c.outcome(JSON.parse(m.out)) };
  } finally {
    fs.rmSync(r, { recursive: true, force: true });
  }
}

function writeLines(file, lines, line) {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  for (let i = 0; i < lines; i++) {
    buf += line(i) + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

const SCAN_CASES = [
  {
    name: 'scan: targets file of 5,000,000 lines (4 addresses)',
    run: () => {
      const file = path.join(tmp, 'few.txt');
      writeLines(file, 5_000_000, (i) => `127.0.9.${1 + (i % 4)}`);
      return runMeasured(['scan', `@${file}`, '--ports', '9', '--connect-timeout', '200', '--timeout', '200', '--format', 'jsonl', '--no-progress'], { killAfterMs: KILL_MS });
    },
    outcome: (m) => `${m.out.split('\n').filter((l) => l.includes('"probes"') || l.includes('"summary"')).length > 0 ? 'swept' : 'ran'}, exit ${m.code}`,
  },
  {
    name: 'scan: `@/dev/zero`',
    run: () => runMeasured(['scan', '@/dev/zero', '--no-progress'], { killAfterMs: KILL_MS }),
    outcome: (m) => `refused: ${m.err.split('\n')[0].slice(0, 70)}`,
  },
  {
    name: 'scan --collect: a 3 MiB body in one-byte chunks',
    run: async () => {
      const s = await startHostile('one-byte-chunks', '127.0.0.1');
      try {
        return await runMeasured(['scan', '127.0.0.1', '--ports', String(s.port), '--collect', '--format', 'json', '--no-progress'], { killAfterMs: KILL_MS });
      } finally {
        await s.close();
      }
    },
    outcome: (m) => `${JSON.parse(m.out).endpoints.length} endpoint(s), exit ${m.code}`,
  },
];

const pod = (i) => ({ metadata: { name: `p-${i}`, namespace: 'default' }, spec: { nodeName: 'node-00000', containers: [{ name: 'c', image: 'x' }] } });
const binding = (i) => ({ metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: `user-${i}-${'x'.repeat(100)}` }] });
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const SIM = { nodes: 3, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok' };

const CLUSTER_CASES = [
  { name: 'cluster: a `continue` token that repeats', override: H.repeatingContinue('/api/v1/pods', pod), list: 'workload-bypass' },
  { name: 'cluster: a `continue` token that never ends', override: H.endlessContinue('/api/v1/pods', pod), list: 'workload-bypass' },
  { name: 'cluster: a list accepted and never answered', override: H.silent('/api/v1/namespaces'), args: ['--timeout', '1500'], list: 'namespace-pod-security' },
  { name: 'cluster: a 200 MB pod page that ignores `limit`', override: H.ignoresLimit('/api/v1/pods', 200 * 1024 * 1024, (i) => ({ ...pod(i), padding: 'q'.repeat(500) })), list: 'workload-bypass' },
  { name: 'cluster: a 200 MB ClusterRoleBinding page', override: H.ignoresLimit(`${RBAC}/clusterrolebindings`, 200 * 1024 * 1024, binding), list: 'rbac-kubelet-access' },
  {
    name: 'cluster: 100,000 ClusterRoleBindings reaching nodes/proxy',
    override: H.manyItems(`${RBAC}/clusterrolebindings`, 100_000, (i) => ({
      metadata: { name: `crb-proxy-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-proxy-reader' },
      subjects: [{ kind: 'User', name: `user-${i}-${'x'.repeat(400)}` }],
    })),
    list: 'rbac-kubelet-access',
  },
];

async function clusterCase(c) {
  const sim = await startApiServerSim({ ...SIM, override: c.override });
  try {
    const m = await runMeasured(['cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', ...(c.args ?? [])], { killAfterMs: KILL_MS, keepChars: 50_000_000 });
    return { ...m, outcome: m.killed ? 'killed' : `${c.list} ${verdict(JSON.parse(m.out), c.list)}, exit ${m.code}` };
  } finally {
    await sim.close();
  }
}

spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const rows = [];
const all = [
  ...NODE_CASES.map((c) => [c.name, () => nodeCase(c)]),
  ...SCAN_CASES.map((c) => [c.name, async () => { const m = await c.run(); return { ...m, outcome: m.killed ? 'killed' : c.outcome(m) }; }]),
  ...CLUSTER_CASES.map((c) => [c.name, () => clusterCase(c)]),
].filter(([name]) => !only || name.includes(only));
for (const [name, run] of all) {
  const m = await run();
  const row = { name, s: (m.ms / 1000).toFixed(1), mib: m.peakRssMiB === undefined ? '?' : Math.round(m.peakRssMiB), ok: !m.killed && (m.peakRssMiB ?? Infinity) < GOAL_RSS_MIB, outcome: m.outcome };
  rows.push(row);
  process.stderr.write(`${row.ok ? 'ok  ' : 'MISS'} ${name}: ${row.s} s, ${row.mib} MiB — ${row.outcome}\n`);
}
fs.rmSync(tmp, { recursive: true, force: true });

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version} (\`node bench/hostile.js\`). Runs use \`--fail-on none\`, so an exit code of 3 says only that a cluster audit is incomplete.`,
  '',
  '| hostile input | wall | peak RSS | goal met | outcome |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.s} s | ${r.mib} MiB | ${r.ok ? 'yes' : '**no**'} | ${r.outcome.replace(/\|/g, '\\|')} |`),
].join('\n');
console.log(table);
if (write && !only) {
  const file = path.join(root, 'docs/benchmarks.md');
  const begin = '<!-- hostile:begin -->';
  const end = '<!-- hostile:end -->';
  const doc = fs.readFileSync(file, 'utf8');
  const at = doc.indexOf(begin);
  const next = at < 0 ? `${doc.trimEnd()}\n\n${begin}\n${table}\n${end}\n` : `${doc.slice(0, at)}${begin}\n${table}\n${doc.slice(doc.indexOf(end))}`;
  fs.writeFileSync(file, next);
  process.stderr.write('docs/benchmarks.md updated\n');
}

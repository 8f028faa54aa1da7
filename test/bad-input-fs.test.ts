// The bad-input corpus for the node audit's filesystem sources under hostile node trees: no
// evidence silently cut (every drop-in and env file is read, or the verdicts it could change are
// unknown), path resolution inside --root linear in the depth, and no device ever opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gatherNodeFacts, MAX_DROP_IN_BYTES, MAX_DROP_INS, walkDropIns } from '../src/sources/node.ts';
import { RootFs } from '../src/sources/root-fs.ts';
import { reconstructUnit } from '../src/sources/systemd-unit.ts';
import { MAX_ENTRIES, MAX_TOTAL_MANIFEST_BYTES } from '../src/sources/static-pods.ts';
import { APISERVER } from '../src/checks/static-pods/test-support.ts';
import { UNIT_LIMITS } from '../src/sources/systemd/node-files.ts';

const MAX_TOTAL_BYTES = UNIT_LIMITS.totalBytes;
import { runChecks } from '../src/checks/run.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import type { Finding } from '../src/checks/types.ts';
import { CONFIG, DROPIN, GOOD_CONFIG, kubeadmTree } from './node-tree.ts';
import { runMeasured } from './support/measured.ts';

function audit(root: string) {
  const facts = gatherNodeFacts({ root, now: new Date('2026-11-23T00:00:00Z') });
  return { facts, findings: runChecks(NODE_CHECKS, facts) };
}
const finding = (fs: Finding[], id: string) => fs.find((f) => f.check === id);
const status = (fs: Finding[], id: string) => finding(fs, id)?.status;

/** The kubelet-setting checks an insecure command line makes fail, and hidden evidence unknown. */
const INSECURE = ['kubelet-anonymous-auth', 'kubelet-authorization-mode'];
const INSECURE_FLAGS = '--anonymous-auth=true --authorization-mode=AlwaysAllow';
const DROPIN_DIR = path.posix.dirname(DROPIN);

function assertInsecureFails(findings: Finding[]) {
  for (const id of INSECURE) assert.equal(status(findings, id), 'fail', `${id}: ${finding(findings, id)?.message}`);
}
function assertUnknown(findings: Finding[], why: RegExp) {
  for (const id of INSECURE) {
    const f = finding(findings, id);
    assert.equal(f?.status, 'unknown', `${id}: ${f?.status} ${f?.message}`);
    assert.match(f!.message, why);
  }
}

// ---- 1. No silent truncation ---------------------------------------------------------------

test('5,000 drop-ins: the last one, which resets ExecStart= with insecure flags, is read (fail, not pass)', () => {
  const root = kubeadmTree();
  const dir = path.join(root, DROPIN_DIR);
  for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(dir, `50-noise-${String(i).padStart(5, '0')}.conf`), '[Service]\nRestart=always\n');
  // Names that are not *.conf come first in a listing cut by count, and must not hide it either.
  for (let i = 0; i < 500; i++) fs.writeFileSync(path.join(dir, `00-readme-${i}.txt`), 'x');
  fs.writeFileSync(path.join(dir, 'zz-last.conf'), `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} ${INSECURE_FLAGS}\n`);
  const { facts, findings } = audit(root);
  assert.equal(facts.kubelet.invocation?.unit?.dropIns.length, 5002);
  assert.equal(facts.kubelet.invocation?.unit?.dropIns.at(-1), `${DROPIN_DIR}/zz-last.conf`);
  assertInsecureFails(findings);
  assert.equal(finding(findings, 'kubelet-anonymous-auth')!.evidence[0]?.file, `${DROPIN_DIR}/zz-last.conf`);
});

test('20,000 drop-ins, measured: the whole CLI finishes in bounded time and memory, and still fails the insecure last one', async () => {
  const root = kubeadmTree();
  const dir = path.join(root, DROPIN_DIR);
  for (let i = 0; i < 20_000; i++) fs.writeFileSync(path.join(dir, `50-n${String(i).padStart(5, '0')}.conf`), '[Service]\nRestart=always\n');
  fs.writeFileSync(path.join(dir, 'zz-last.conf'), `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} ${INSECURE_FLAGS}\n`);
  const m = await runMeasured(['node', '--root', root, '--format', 'json'], { killAfterMs: 120_000, keepChars: 200_000_000 });
  assert.equal(m.killed, false, 'finished, not killed');
  assert.ok((m.peakRssMiB ?? 0) < 500, `peak RSS ${m.peakRssMiB} MiB`);
  const report = JSON.parse(m.out) as { findings: Finding[] };
  assertInsecureFails(report.findings);
});

test('an EnvironmentFile= glob matching 1,100 files: the last one, which sets insecure flags, is read (fail, not pass)', () => {
  const root = kubeadmTree({
    [DROPIN]: `[Service]\nEnvironmentFile=/etc/kubelet.env.d/*.env\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} $EXTRA\n`,
  });
  const dir = path.join(root, 'etc/kubelet.env.d');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 1100; i++) fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.env`), 'EXTRA=--v=2\n');
  fs.writeFileSync(path.join(dir, 'zz.env'), `EXTRA="${INSECURE_FLAGS}"\n`);
  const { findings } = audit(root);
  assertInsecureFails(findings);
});

test('drop-ins of the unit over the byte budget: every setting unknown with the reason, never pass', () => {
  const root = kubeadmTree();
  const dir = path.join(root, DROPIN_DIR);
  const n = Math.ceil(MAX_TOTAL_BYTES / (1000 * 1024)) + 1;
  for (let i = 0; i < n; i++) {
    const f = path.join(dir, `50-big-${String(i).padStart(3, '0')}.conf`);
    fs.writeFileSync(f, `[Service]\n#${'x'.repeat(1000 * 1024 - 12)}\n`); // each file under the 1 MiB file limit
  }
  fs.writeFileSync(path.join(dir, 'zz-last.conf'), `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG}\n`);
  const { findings } = audit(root);
  assertUnknown(findings, new RegExp(`more than ${MAX_TOTAL_BYTES} bytes`));
});

test('--config-dir drop-ins over the byte budget: every setting unknown with the reason, never pass', () => {
  const root = kubeadmTree({
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--config-dir=/etc/kubernetes/kubelet.conf.d\n',
    '/var/lib/dpkg/status': 'Package: kubelet\nStatus: install ok installed\nVersion: 1.33.4-1.1\n',
  });
  const dir = path.join(root, 'etc/kubernetes/kubelet.conf.d');
  fs.mkdirSync(dir, { recursive: true });
  const doc = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
  const n = Math.ceil(MAX_DROP_IN_BYTES / (1024 * 1024)) + 1;
  for (let i = 0; i < n; i++) {
    const f = path.join(dir, `${String(i).padStart(3, '0')}.conf`);
    fs.writeFileSync(f, doc + '#'.repeat(1024 * 1024 - doc.length - 1) + '\n');
  }
  const { findings } = audit(root);
  assertUnknown(findings, new RegExp(`more than ${MAX_DROP_IN_BYTES} bytes`));
});

// ---- 2. Linear path resolution inside --root ------------------------------------------------

test('a --config-dir 2,000 folders deep: walked in seconds, not minutes (bounded time and memory)', async () => {
  const root = kubeadmTree({
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--config-dir=/c\n',
    '/var/lib/dpkg/status': 'Package: kubelet\nStatus: install ok installed\nVersion: 1.33.4-1.1\n',
  });
  let host = path.join(root, 'c');
  fs.mkdirSync(host);
  for (let i = 0; i < 2000; i++) {
    host += '/d';
    fs.mkdirSync(host);
  }
  // The deepest drop-in turns the read-only port on: it must be found, so the check fails.
  fs.writeFileSync(path.join(host, '../x.conf'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n');
  const m = await runMeasured(['node', '--root', root, '--format', 'json'], { killAfterMs: 120_000 });
  assert.equal(m.killed, false, 'finished, not killed');
  assert.ok(m.ms < 30_000, `took ${Math.round(m.ms)} ms (before the fix: about 5 minutes)`);
  assert.ok((m.peakRssMiB ?? 0) < 500, `peak RSS ${m.peakRssMiB} MiB`);
  const report = JSON.parse(m.out) as { findings: Finding[] };
  assert.equal(status(report.findings, 'kubelet-read-only-port'), 'fail');
});

// ---- 3. Never open a device -----------------------------------------------------------------

/** mknod as root; undefined where device nodes cannot be made (not root, a nodev mount). */
function mknod(host: string, major: number, minor: number): boolean {
  fs.mkdirSync(path.dirname(host), { recursive: true });
  fs.rmSync(host, { force: true });
  try {
    execFileSync('mknod', [host, 'c', String(major), String(minor)], { stdio: 'ignore' });
    return fs.lstatSync(host).isCharacterDevice();
  } catch {
    return false;
  }
}

const ENV_FILE = '/etc/default/kubelet';
const CA = '/etc/kubernetes/pki/ca.crt';

test('character devices named as config, client CA and env file: never pass, "not a regular file (char)"', (t) => {
  // The kubelet cannot load a device as its client CA (it refuses to start): that check fails;
  // the settings a device hides are unknown.
  // 5,0 is /dev/tty: opened without a controlling terminal it fails with ENXIO, so a reader that
  // opens before it checks says ENXIO here, not "not a regular file".
  const cases: Array<{ file: string; dev: [number, number]; checks: string[]; want: string }> = [
    { file: CONFIG, dev: [5, 0], checks: INSECURE, want: 'unknown' },
    { file: CONFIG, dev: [1, 5], checks: INSECURE, want: 'unknown' },
    { file: ENV_FILE, dev: [1, 5], checks: INSECURE, want: 'unknown' },
    { file: CA, dev: [1, 5], checks: ['cert-client-ca-present'], want: 'fail' },
  ];
  for (const c of cases) {
    const root = kubeadmTree();
    if (!mknod(path.join(root, c.file), ...c.dev)) return t.skip('mknod is not allowed here');
    const { findings } = audit(root);
    for (const id of c.checks) {
      const f = finding(findings, id);
      assert.equal(f?.status, c.want, `${c.file}, ${id}: ${f?.status} ${f?.message}`);
      assert.match(JSON.stringify(f), /not a regular file \(char\)/, `${c.file}, ${id}`);
    }
  }
});

/**
 * A FIFO with a writer blocked in open(O_WRONLY): the open returns, and the writer says so, the
 * moment anything opens the FIFO for reading. So "the writer is still waiting" proves that
 * nothing opened it.
 */
async function fifoWatcher(host: string): Promise<{ opened: () => boolean; stop: () => void }> {
  fs.mkdirSync(path.dirname(host), { recursive: true });
  fs.rmSync(host, { force: true });
  execFileSync('mkfifo', [host]);
  const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(host)}, 'w'); process.stdout.write('opened')`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => setTimeout(r, 300)); // the writer is now blocked in open()
  return {
    opened: () => out.includes('opened') || child.exitCode !== null,
    stop: () => child.kill('SIGKILL'),
  };
}

test('FIFOs named as config, client CA and env file are never opened (a blocked writer would see it)', async () => {
  for (const file of [CONFIG, ENV_FILE, CA, `${DROPIN_DIR}/20-fifo.conf`]) {
    const root = kubeadmTree();
    const w = await fifoWatcher(path.join(root, file));
    try {
      const { findings } = audit(root);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(w.opened(), false, `${file} was opened`);
      // systemd skips a drop-in that is neither a file nor a symlink (conf-files.c, dirent_is_file_with_suffix: DT_REG, DT_LNK).
      if (file === CONFIG || file === ENV_FILE) for (const id of INSECURE) assert.equal(status(findings, id), 'unknown', `${file}, ${id}`);
      const ca = finding(findings, 'cert-client-ca-present');
      if (file === CA) assert.match(JSON.stringify(ca), /not a regular file \(fifo\)/);
    } finally {
      w.stop();
    }
  }
});

// ---- The bounds that remain: past each, the verdicts it could change are unknown -------------

test('the unit bounds (drop-in count, glob matches): the command line is incomplete, so every setting is unknown', () => {
  const limits = { ...UNIT_LIMITS, dropIns: 100, globMatches: 50 };
  const many = kubeadmTree();
  for (let i = 0; i < 150; i++) fs.writeFileSync(path.join(many, DROPIN_DIR, `50-n${String(i).padStart(3, '0')}.conf`), '[Service]\n');
  const u = reconstructUnit(new RootFs(many), 'kubelet.service', limits);
  assert.match(u.incomplete?.join('\n') ?? '', /more than 100 drop-ins/);

  const globbed = kubeadmTree({ [DROPIN]: `[Service]\nEnvironmentFile=/etc/kubelet.env.d/*.env\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} $EXTRA\n` });
  fs.mkdirSync(path.join(globbed, 'etc/kubelet.env.d'));
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(globbed, 'etc/kubelet.env.d', `${i}.env`), 'EXTRA=\n');
  const g = reconstructUnit(new RootFs(globbed), 'kubelet.service', limits);
  assert.match(g.incomplete?.join('\n') ?? '', /matches more than 50 files/);
  // What gatherNodeFacts makes of an incomplete command line (same path as the byte budget above).
  assert.equal(UNIT_LIMITS.dropIns >= 20_000 && UNIT_LIMITS.globMatches >= 20_000, true, 'real nodes stay far below the bounds');
});

test('an EnvironmentFile= glob that lists one folder again per match (/d/*/../x*) stops at its listing bound: unknown, no hang', () => {
  const root = kubeadmTree({ [DROPIN]: `[Service]\nEnvironmentFile=-/d/*/../zz*\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG}\n` });
  for (let i = 0; i < 3000; i++) fs.mkdirSync(path.join(root, 'd', `s${i}`), { recursive: true });
  // 3,000 matches, each listing /d (3,000 names) again: 9 million names, past the bound of 1 million.
  const t0 = performance.now();
  const { findings } = audit(root);
  assert.ok(performance.now() - t0 < 30_000, `took ${Math.round(performance.now() - t0)} ms`);
  assertUnknown(findings, new RegExp(`needs more than ${UNIT_LIMITS.globNames} folder entries listed`));
});

test('an ExecStart= that expands to gigabytes (${A} 200,000 times, A of 900 KB): not built; every setting unknown', () => {
  const root = kubeadmTree({
    [DROPIN]: `[Service]\nEnvironmentFile=/etc/big.env\nExecStart=\nExecStart=/usr/bin/kubelet --config=${CONFIG} ${'${A}'.repeat(200_000)}\n`,
    '/etc/big.env': `A=${'x'.repeat(900_000)}\n`,
  });
  const before = process.memoryUsage().rss;
  const { findings } = audit(root);
  assert.ok(process.memoryUsage().rss - before < 300 * 1024 * 1024, 'bounded memory');
  assertUnknown(findings, /ExecStart= expands to more than \d+ characters/);
});

test('the --config-dir bound on folders and drop-ins: an error, which makes every setting unknown', () => {
  const root = kubeadmTree();
  const dir = path.join(root, 'etc/kubernetes/kubelet.conf.d');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 11; i++) fs.writeFileSync(path.join(dir, `${i}.conf`), '');
  const w = walkDropIns(new RootFs(root), '/etc/kubernetes/kubelet.conf.d', 10);
  assert.match(w.error ?? '', /more than 10 folders and drop-ins/);
  // Folders count too: a tree of empty folders is bounded as well.
  for (let i = 0; i < 11; i++) fs.mkdirSync(path.join(dir, `d${i}`));
  assert.match(walkDropIns(new RootFs(root), '/etc/kubernetes/kubelet.conf.d', 15).error ?? '', /more than 15 folders and drop-ins/);
  assert.equal(MAX_DROP_INS >= 20_000, true);
});

const CP_CONFIG = `${GOOD_CONFIG}staticPodPath: /etc/kubernetes/manifests\n`;

test('more than 10,000 entries in staticPodPath: the static pod checks say unknown for what was not examined', () => {
  const root = kubeadmTree({ [CONFIG]: CP_CONFIG, '/etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER });
  const dir = path.join(root, 'etc/kubernetes/manifests');
  for (let i = 0; i < MAX_ENTRIES; i++) fs.writeFileSync(path.join(dir, `.f${i}`), '');
  const { findings } = audit(root);
  for (const id of ['static-pod-privileged', 'static-pod-manifest-decodes']) {
    const fs2 = findings.filter((f) => f.check === id);
    assert.ok(fs2.some((f) => f.status === 'unknown' && /more than 10000 entries/.test(f.message)), `${id}: ${JSON.stringify(fs2.map((f) => [f.status, f.message]))}`);
  }
});

test('more than 2,000 entries under /etc/kubernetes/pki: the pki file checks say unknown for what was not examined', () => {
  const root = kubeadmTree({ [CONFIG]: CP_CONFIG, '/etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER });
  const dir = path.join(root, 'etc/kubernetes/pki');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 2001; i++) fs.writeFileSync(path.join(dir, `c${i}.crt`), '', { mode: 0o644 });
  const { findings } = audit(root);
  const rows = findings.filter((f) => f.check === 'cp-file-pki-owner');
  assert.ok(rows.some((f) => f.status === 'unknown' && /more than 2000 entries/.test(JSON.stringify(f))), JSON.stringify(rows.map((f) => [f.status, f.subject, f.message])).slice(0, 2000));
});

test('a runtime endpoint path of 300,000 components: examined in bounded time (no walk up its length squared)', () => {
  const root = kubeadmTree({ [CONFIG]: `${GOOD_CONFIG}containerRuntimeEndpoint: unix://${'/a'.repeat(300_000)}\n`, '/var/lib/kubelet/kubeadm-flags.env': '' });
  const t0 = performance.now();
  const { facts, findings } = audit(root);
  assert.ok(performance.now() - t0 < 20_000, `took ${Math.round(performance.now() - t0)} ms (before: 70 s for 20,000 components)`);
  const long = facts.runtimeSockets?.sockets.find((x) => x.path.length > 4096);
  assert.equal(long?.stat.exists, null, JSON.stringify(facts.runtimeSockets).slice(0, 500));
  assert.match(long?.stat.error ?? '', /file name too long/);
  assert.ok(findings.length > 0);
});

test('static pod manifests over the byte budget: the ones not read are unknown, not pass', () => {
  const root = kubeadmTree({ [CONFIG]: CP_CONFIG });
  const dir = path.join(root, 'etc/kubernetes/manifests');
  fs.mkdirSync(dir, { recursive: true });
  const pad = `#${'x'.repeat(3.9 * 1024 * 1024)}\n`;
  const n = Math.ceil(MAX_TOTAL_MANIFEST_BYTES / pad.length) + 1;
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `m${i}.yaml`), pad + APISERVER.replace('name: kube-apiserver\n  namespace', `name: kube-apiserver-${i}\n  namespace`));
  const { findings } = audit(root);
  const rows = findings.filter((f) => f.check === 'static-pod-privileged');
  assert.ok(rows.some((f) => f.status === 'unknown' && f.subject === `/etc/kubernetes/manifests/m${n - 1}.yaml` && new RegExp(`at most ${MAX_TOTAL_MANIFEST_BYTES} bytes of manifests`).test(f.message)), JSON.stringify(rows.map((f) => [f.status, f.subject])));
});

// K3s (issue 14): the kubelet runs inside k3s; its command line is rebuilt from k3s's unit, its
// config.yaml(.d) kubelet-arg and k3s's own defaults (src/sources/launch/k3s.ts). Before this, the
// audit found "no kubelet" on a k3s node and every check was unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { gatherNodeFacts } from '../../src/sources/node.ts';
import { RootFs } from '../../src/sources/root-fs.ts';
import { detectDistribution } from '../../src/distros/detect.ts';
import { k3s } from '../../src/distros/k3s.ts';
import { copyOf } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'k3s-server'], { stdio: 'inherit' });
const EX = 'examples/nodes/k3s-server';

async function report(root: string, ...more: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...more);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as NodeReport;
}
const finding = (r: NodeReport, check: string) => r.findings.find((f) => f.check === check);
const verdict = (r: NodeReport, check: string) => finding(r, check)?.status;

/** A copy of the example to break, the way a user would. */
const copy = () => copyOf('k3s-server');

test('k3s-server: detected from its unit and files, no version shown by the node', () => {
  const d = detectDistribution(new RootFs(EX), false);
  assert.equal(d.distro.name, 'k3s');
  assert.ok(d.fact.evidence.includes('the systemd unit /etc/systemd/system/k3s.service exists'));
  assert.ok(d.fact.evidence.includes('/etc/rancher/k3s/config.yaml exists'));
  assert.equal(d.fact.version, undefined);
});

test('k3s-server: real verdicts with provenance (the headline bug: no "no kubelet", no all-unknown)', async () => {
  const r = await report(EX);
  assert.equal(r.distribution?.name, 'k3s');
  assert.equal(verdict(r, 'kubelet-found'), 'pass');
  const e = r.effectiveConfig;
  // k3s's defaults drop-in, regenerated at every start
  const defaults = '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf';
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: { kind: 'drop-in', file: defaults, line: 7 } });
  assert.equal(e['authorization.mode']?.value, 'Webhook');
  assert.equal(e['authorization.mode']?.source.file, defaults);
  assert.equal(e['authentication.x509.clientCAFile']?.value, '/var/lib/rancher/k3s/agent/client-ca.crt');
  // k3s's own flags, with `by`
  assert.equal(e['--kubeconfig']?.value, '/var/lib/rancher/k3s/agent/kubelet.kubeconfig');
  assert.equal(e['--kubeconfig']?.source.kind, 'distribution-default');
  assert.match(e['--kubeconfig']?.source.detail ?? '', /k3s-io\/k3s pkg\/daemons\/agent\/agent_linux\.go/);
  // the user's words: config.yaml, config.yaml.d (kubelet-arg+ appends) and the unit's --kubelet-arg
  assert.deepEqual(e['podPidsLimit'], { value: 4096, source: { kind: 'flag', file: '/etc/rancher/k3s/config.yaml', line: 7, detail: '--pod-max-pids=4096' } });
  assert.deepEqual(e['seccompDefault']?.source, { kind: 'flag', file: '/etc/rancher/k3s/config.yaml.d/50-kubelet.yaml', line: 3, detail: '--seccomp-default=true' });
  assert.deepEqual(e['streamingConnectionIdleTimeout']?.source, { kind: 'flag', file: '/etc/systemd/system/k3s.service', line: 31, detail: '--streaming-connection-idle-timeout=5m' });
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'pass');
  assert.equal(verdict(r, 'kubelet-authorization-mode'), 'pass');
  assert.equal(verdict(r, 'kubelet-client-ca-file'), 'pass');
  assert.equal(verdict(r, 'kubelet-pod-pids-limit'), 'pass');
  assert.equal(verdict(r, 'kubelet-seccomp-default'), 'pass');
  assert.equal(verdict(r, 'cert-serving-ca-signed'), 'pass'); // signed by k3s-server-ca, not the kubelet's throwaway pair
  // k3s v1.32.0 to v1.32.3 served 10255: without the version, the read-only port cannot be known
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'unknown');
  assert.match(finding(r, 'kubelet-read-only-port')?.message ?? '', /--kubelet-version/);
});

test('k3s-server with --kubelet-version: --read-only-port=0 from v1.32.4, 10255 before', async () => {
  const now = await report(EX, '--kubelet-version', 'v1.33.4+k3s1');
  assert.equal(verdict(now, 'kubelet-read-only-port'), 'pass');
  assert.equal(now.effectiveConfig['readOnlyPort']?.source.kind, 'distribution-default');
  const old = await report(EX, '--kubelet-version', 'v1.32.2+k3s1');
  assert.equal(verdict(old, 'kubelet-read-only-port'), 'fail');
});

test('--distribution k3s overrides detection', async () => {
  const r = await report('examples/nodes/kubeadm-worker', '--distribution', 'k3s');
  assert.equal(r.distribution?.name, 'k3s');
  assert.equal(r.distribution?.overridden, true);
});

test('misconfigured: kubelet-arg anonymous-auth=true in config.yaml.d fails at that file and line, with where the fix goes', async () => {
  const dir = copy();
  try {
    fs.writeFileSync(`${dir}/etc/rancher/k3s/config.yaml.d/60-debug.yaml`, '# left over from debugging\nkubelet-arg+:\n  - "anonymous-auth=true"\n  - read-only-port=10255\n');
    const r = await report(dir, '--kubelet-version', 'v1.33.4+k3s1');
    const f = finding(r, 'kubelet-anonymous-auth');
    assert.equal(f?.status, 'fail');
    assert.deepEqual(r.effectiveConfig['authentication.anonymous.enabled']?.source, { kind: 'flag', file: '/etc/rancher/k3s/config.yaml.d/60-debug.yaml', line: 3, detail: '--anonymous-auth=true' });
    // the fix sets that item of the list, in the user's style (no leading --), and restarts k3s
    assert.deepEqual(f?.fixes, [{ kind: 'manifest-set', file: '/etc/rancher/k3s/config.yaml.d/60-debug.yaml', path: ['kubelet-arg+', 0], value: 'anonymous-auth=false', line: 3, restart: 'kubelet' }]);
    assert.ok((f?.remediation ?? "").includes("60-debug.yaml line 3: set `kubelet-arg+[0]` to `anonymous-auth=false`; then restart k3s"), f?.remediation);
    // the user's read-only-port replaces k3s's --read-only-port=0 (GetArgs), so it wins
    assert.equal(verdict(r, 'kubelet-read-only-port'), 'fail');
    assert.deepEqual(r.effectiveConfig['readOnlyPort']?.source, { kind: 'flag', file: '/etc/rancher/k3s/config.yaml.d/60-debug.yaml', line: 4, detail: '--read-only-port=10255' });
    // written and proven by the re-audit; the file keeps its other lines
    const w = await runCli('fix', '--root', dir, '--write', '--kubelet-version', 'v1.33.4+k3s1');
    assert.equal(w.code, 0, `${w.out}\n${w.err}`);
    assert.equal(fs.readFileSync(`${dir}/etc/rancher/k3s/config.yaml.d/60-debug.yaml`, 'utf8'), '# left over from debugging\nkubelet-arg+:\n  - "anonymous-auth=false"\n  - read-only-port=0\n');
    const after = await report(dir, '--kubelet-version', 'v1.33.4+k3s1');
    assert.equal(verdict(after, 'kubelet-anonymous-auth'), 'pass');
    assert.equal(verdict(after, 'kubelet-read-only-port'), 'pass');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a word on the unit\'s ExecStart (--kubelet-arg) is not edited there: the fix says where it belongs', async () => {
  const dir = copy();
  try {
    const unit = `${dir}/etc/systemd/system/k3s.service`;
    fs.writeFileSync(unit, fs.readFileSync(unit, 'utf8').replace("'--kubelet-arg=streaming-connection-idle-timeout=5m'", "'--kubelet-arg=authorization-mode=AlwaysAllow'"));
    const r = await report(dir);
    const f = finding(r, 'kubelet-authorization-mode');
    assert.equal(f?.status, 'fail');
    assert.deepEqual(r.effectiveConfig['authorization.mode']?.source, { kind: 'flag', file: '/etc/systemd/system/k3s.service', line: 31, detail: '--authorization-mode=AlwaysAllow' });
    assert.equal(f?.fixes, undefined);
    assert.equal(f?.noFix, 'add `--authorization-mode=Webhook` to kubelet-arg in /etc/rancher/k3s/config.yaml and restart k3s');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain kubelet-arg in a later file replaces the earlier list; a word without "=" swallows the next', () => {
  const dir = copy();
  try {
    fs.writeFileSync(`${dir}/etc/rancher/k3s/config.yaml.d/70-replace.yaml`, 'kubelet-arg:\n  - "anonymous-auth"\n  - "authorization-mode=AlwaysAllow"\n');
    const f = gatherNodeFacts({ root: dir });
    const words = f.kubelet.invocation!.argv.map((a) => a.text);
    assert.ok(!words.includes('--pod-max-pids=4096'), 'replaced by the later plain key');
    assert.ok(words.includes('--anonymous-auth=true'));
    assert.ok(!words.some((w) => w.startsWith('--authorization-mode')), 'swallowed as the value of anonymous-auth (extractConfigArgs)');
    assert.ok(f.kubelet.diagnostics.some((d) => d.code === 'distribution-arg-dropped' && d.line === 3));
    // the unit's --kubelet-arg comes after the files' and survives
    assert.ok(words.includes('--streaming-connection-idle-timeout=5m'));
    // GetArgs sorts by key
    const keys = words.slice(1).map((w) => w.slice(2).split('=')[0]!);
    assert.deepEqual(keys, [...keys].sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown, never pass: the defaults drop-in unreadable or config.yaml unparsable', async () => {
  const dir = copy();
  try {
    fs.writeFileSync(`${dir}/etc/rancher/k3s/config.yaml.d/80-broken.yaml`, 'kubelet-arg: [unclosed\n');
    const r = await report(dir);
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'unknown');
    fs.rmSync(`${dir}/etc/rancher/k3s/config.yaml.d/80-broken.yaml`);
    fs.chmodSync(`${dir}/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`, 0o000);
    if (process.getuid?.() !== 0) {
      const r2 = await report(dir);
      assert.notEqual(verdict(r2, 'kubelet-anonymous-auth'), 'pass');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile config.yaml: a huge or deeply nested file is bounded, no crash', async () => {
  const dir = copy();
  try {
    fs.writeFileSync(`${dir}/etc/rancher/k3s/config.yaml`, `kubelet-arg:\n${'  - "x=\u001b[31m"\n'.repeat(200_000)}`);
    const r = await report(dir);
    assert.notEqual(verdict(r, 'kubelet-anonymous-auth'), 'pass');
    assert.ok(!JSON.stringify(r).includes('\u001b'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile config.yaml.d: past 10,000 kubelet-arg words the rest is not read, and what it could set is unknown, never pass', async () => {
  const dir = copy();
  try {
    const d = `${dir}/etc/rancher/k3s/config.yaml.d`;
    fs.mkdirSync(d, { recursive: true });
    // 3 files of 4,000 kubelet-arg+ items: 12,000 words
    const body = `kubelet-arg+:\n${'  - "v=1"\n'.repeat(4_000)}`;
    for (let i = 0; i < 3; i++) fs.writeFileSync(`${d}/${String(i).padStart(2, '0')}.yaml`, body);
    // the last file turns anonymous authentication on: it is past the bound, so not read
    fs.writeFileSync(`${d}/99-anon.yaml`, 'kubelet-arg+:\n  - anonymous-auth=true\n');
    const r = await report(dir);
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'unknown');
    // and the evidence is not called complete (it passed here before: a false pass)
    assert.equal(verdict(r, 'kubelet-evidence-complete'), 'unknown');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fix never edits the regenerated defaults drop-in; a failing default goes into a drop-in after it', () => {
  assert.equal(k3s.managed?.[0]?.when, 'boot');
  const f = gatherNodeFacts({ root: EX });
  assert.equal(f.kubelet.configDir, '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d');
});

test('--hostname-override: k3s always passes its node name (node-name in config.yaml, else the host name)', async () => {
  const r = await report(EX);
  assert.equal(verdict(r, 'kubelet-hostname-override'), 'fail');
  assert.equal(r.effectiveConfig['--hostname-override']?.value, 'k3s-server-1');
  assert.equal(r.effectiveConfig['--hostname-override']?.source.kind, 'distribution-default');
  assert.match(r.effectiveConfig['--hostname-override']?.source.detail ?? '', /from the host name \(\/etc\/hostname\)/);
  const dir = copy();
  try {
    fs.appendFileSync(`${dir}/etc/rancher/k3s/config.yaml`, 'node-name: Edge-7\n');
    const f = gatherNodeFacts({ root: dir });
    assert.equal(f.kubelet.effective['--hostname-override']?.value, 'edge-7'); // lowercased (GetHostnameAndIPs)
    fs.rmSync(`${dir}/etc/hostname`);
    fs.writeFileSync(`${dir}/etc/rancher/k3s/config.yaml`, 'write-kubeconfig-mode: "0600"\n');
    const g = gatherNodeFacts({ root: dir });
    assert.ok(g.kubelet.effective['--hostname-override']?.unknown, 'no node name and no host name: unknown');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('live: the k3s process retitled "/usr/local/bin/k3s server" (argv erased) runs the kubelet; its words come from the files', () => {
  const dir = copy();
  try {
    fs.mkdirSync(`${dir}/proc/777/`, { recursive: true });
    fs.mkdirSync(`${dir}/proc/sys/kernel`, { recursive: true });
    // gspt.SetProcTitle writes the title over the argv area and zeroes the rest
    fs.writeFileSync(`${dir}/proc/777/cmdline`, `/usr/local/bin/k3s server${'\0'.repeat(64)}`);
    fs.writeFileSync(`${dir}/proc/777/environ`, 'K3S_DATA_DIR=/var/lib/rancher/k3s/data/abc\0');
    fs.writeFileSync(`${dir}/proc/sys/kernel/hostname`, 'k3s-live\n');
    const f = gatherNodeFacts({ fs: new RootFs(dir), privileged: true });
    assert.equal(f.distribution?.name, 'k3s');
    assert.equal(f.kubelet.invocation?.pid, 777);
    assert.equal(f.kubelet.invocation?.from, 'distribution');
    assert.match(f.kubelet.invocation?.argv[0]?.via ?? '', /inside k3s \(pid 777\).*not in \/proc/);
    assert.equal(f.kubelet.effective['--hostname-override']?.value, 'k3s-live');
    assert.equal(f.kubelet.effective['authentication.anonymous.enabled']?.value, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the read-only-port gate and the unit-name specifiers k3s.service uses (%N)', async () => {
  const { readOnlyPortFlag } = await import('../../src/sources/launch/k3s.ts');
  const { resolveSpecifiers } = await import('../../src/sources/systemd/specifiers.ts');
  assert.equal(readOnlyPortFlag('v1.32.3+k3s1'), false);
  assert.equal(readOnlyPortFlag('v1.32.4+k3s1'), true);
  assert.equal(readOnlyPortFlag('1.33.0'), true);
  assert.equal(readOnlyPortFlag(undefined), undefined);
  assert.deepEqual(resolveSpecifiers('-/etc/default/%N', 'k3s.service'), { text: '-/etc/default/k3s', unresolved: [], unknown: [] });
  assert.equal(resolveSpecifiers('/x/%n/%p/%i', 'getty@tty1.service').text, '/x/getty@tty1.service/getty/tty1');
  assert.deepEqual(resolveSpecifiers('%N').unresolved, ['%N']); // no unit name given: left as it was
});

test('fix: a bad value in the regenerated defaults drop-in is overridden by a drop-in after it; the regenerated file is never edited', async () => {
  const dir = copy();
  try {
    const defaults = `${dir}/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`;
    fs.writeFileSync(defaults, fs.readFileSync(defaults, 'utf8').replace('  anonymous:\n    enabled: false', '  anonymous:\n    enabled: true'));
    fs.chmodSync(defaults, 0o644);
    const r = await runCli('fix', '--root', dir, '--format', 'json');
    const plan = JSON.parse(r.out) as { changes: Array<{ path: string; diff?: string }>; fixed: Array<{ check: string; after: string }>; manual: Array<{ check: string; why: string }> };
    assert.ok(!plan.changes.some((c) => c.path.endsWith('00-k3s-defaults.conf')), 'the regenerated drop-in is not changed');
    const mine = plan.changes.find((c) => c.path === '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/99-kubelet-guard.conf');
    assert.match(mine?.diff ?? '', /\+ {2}anonymous:\n\+ {4}enabled: false/);
    assert.equal(plan.fixed.find((f) => f.check === 'kubelet-anonymous-auth')?.after, 'pass');
    // its mode is not proposed there either: k3s writes it again at every start
    const manual = plan.manual.find((f) => f.check === 'file-kubelet-config-perms');
    assert.match(manual?.why ?? '', /k3s writes this drop-in again at every start/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

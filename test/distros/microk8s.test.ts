// MicroK8s: detection, the kubelet's arguments from kubelite's args file with file:line for every
// word, the verdicts on the example (examples/nodes/microk8s, MicroK8s's default-args/kubelet), a
// misconfigured variant, unknown cases, and kubelite's own reading rules (ReadArgsFromFile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { argsFileWords, goExpand, goTrimSpace, MAX_LINE } from '../../src/sources/launch/args-file.ts';
import { copyOf } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'microk8s'], { stdio: 'inherit' });
const EX = 'examples/nodes/microk8s';
const ARGS = '/var/snap/microk8s/7449/args/kubelet';

async function report(root: string, ...more: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...more);
  // 3: nothing could be audited (no kubelet found), with the report written whole
  assert.ok(r.code === 0 || r.code === 3, r.err);
  return JSON.parse(r.out) as NodeReport;
}
const verdict = (r: NodeReport, check: string) => r.findings.find((f) => f.check === check)?.status;
const copy = () => copyOf('microk8s');

test('microk8s: detected by the snap, version from snap.yaml, arguments from args/kubelet with their lines', async () => {
  const r = await report(EX);
  assert.equal(r.distribution?.name, 'microk8s');
  assert.equal(r.distribution?.version?.value, 'v1.32.3');
  assert.ok(r.distribution?.evidence.some((e) => e.includes('snap.microk8s.daemon-kubelite.service')));
  assert.equal(r.kubelet.from, 'distribution');
  assert.deepEqual(r.kubelet.version, { value: 'v1.32.3', source: '/snap/microk8s/current/meta/snap.yaml' });
  const e = r.effectiveConfig;
  // default-args/kubelet, one line down: the wrapper inserted --resolv-conf at line 1
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: { kind: 'flag', file: ARGS, line: 5, detail: '--anonymous-auth=false' } });
  assert.deepEqual(e['readOnlyPort'], { value: 0, source: { kind: 'flag', file: ARGS, line: 13, detail: '--read-only-port=0' } });
  // ${SNAP_DATA} expanded as kubelite does, to the revision's folder
  assert.equal(e['authentication.x509.clientCAFile']?.value, '/var/snap/microk8s/7449/certs/ca.crt');
  assert.equal(e['authentication.x509.clientCAFile']?.source.line, 4);
  assert.equal(e['--kubeconfig']?.value, '/var/snap/microk8s/7449/credentials/kubelet.config');
  // quotes deleted, not interpreted
  assert.equal((e['evictionHard']?.value as Record<string, string>)['memory.available'], '100Mi');
  // no --authorization-mode in MicroK8s's defaults: the kubelet's flag default AlwaysAllow
  assert.deepEqual(e['authorization.mode'], { value: 'AlwaysAllow', source: { kind: 'flag-default' } });
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'pass');
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'pass');
  assert.equal(verdict(r, 'kubelet-client-ca-file'), 'pass');
  assert.equal(verdict(r, 'kubelet-authorization-mode'), 'fail');
  assert.equal(verdict(r, 'kubelet-config-accepted'), 'pass');
  assert.equal(verdict(r, 'cert-key-file-private'), 'fail'); // the install hook's chmod -R ug+rwX leaves the key 0660
});

test('microk8s: --distribution overrides detection', async () => {
  const r = await report(EX, '--distribution', 'kubeadm');
  assert.equal(r.distribution?.name, 'kubeadm');
  assert.equal(r.distribution?.overridden, true);
  assert.equal(verdict(r, 'kubelet-found'), 'unknown'); // no kubelet.service on a MicroK8s node
});

test('microk8s misconfigured: --anonymous-auth=true in args/kubelet fails with that file and line', async () => {
  const root = copy();
  try {
    const f = path.join(root, ARGS);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('--anonymous-auth=false', '--anonymous-auth=true'));
    const r = await report(root);
    const anon = r.findings.find((x) => x.check === 'kubelet-anonymous-auth');
    assert.equal(anon?.status, 'fail');
    assert.deepEqual(r.effectiveConfig['authentication.anonymous.enabled']?.source, { kind: 'flag', file: ARGS, line: 5, detail: '--anonymous-auth=true' });
    assert.ok(JSON.stringify(anon).includes(ARGS));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('microk8s unknown: an unreadable args file, a missing one, a variable the audit cannot know', async () => {
  const root = copy();
  try {
    const f = path.join(root, ARGS);
    const text = fs.readFileSync(f, 'utf8');
    fs.writeFileSync(f, `${text}--read-only-port=$PORT\n`);
    let r = await report(root);
    assert.equal(verdict(r, 'kubelet-read-only-port'), 'unknown');
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'unknown');
    assert.match(JSON.stringify(r.effectiveConfig['readOnlyPort']), /\$PORT/);
    fs.rmSync(f);
    r = await report(root);
    assert.equal(verdict(r, 'kubelet-found'), 'unknown');
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'unknown');
    if (process.getuid?.() === 0) return; // root reads a 000 file
    fs.writeFileSync(f, text, { mode: 0o000 });
    r = await report(root);
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'unknown');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('kubelite reads its args file its own way: comments, quotes deleted, single-space split, os.ExpandEnv', () => {
  const env: Record<string, string> = { SNAP_DATA: '/var/snap/microk8s/1' };
  const look = (n: string) => env[n];
  const w = argsFileWords('  # a comment\n\n--a="x y"\r\n--b=${SNAP_DATA}/c $SNAP_DATA\n--c  --d\n#--e=1\n\t--f=\'q\'\t\n', '/f', look, true);
  assert.deepEqual(w.words.map((x) => [x.text, x.line]), [['--a=x', 3], ['y', 3], ['--b=/var/snap/microk8s/1/c', 4], ['/var/snap/microk8s/1', 4], ['--c', 5], ['', 5], ['--d', 5], ['--f=q', 7]]);
  assert.equal(w.hidden, undefined);
  // Go's os.Expand: ${} and an unclosed ${ are eaten, a lone $ stays, special names
  assert.equal(goExpand('a$', look).text, 'a$');
  assert.equal(goExpand('a${}b', look).text, 'ab');
  assert.equal(goExpand('a${b', look).text, 'ab');
  assert.equal(goExpand('$SNAP_DATA.x', look).text, '/var/snap/microk8s/1.x');
  assert.deepEqual(goExpand('$1x', look).unknown, ['1']);
  // Go trims Unicode spaces but not U+FEFF
  assert.equal(goTrimSpace('\u00a0x\u3000'), 'x');
  assert.equal(goTrimSpace('\ufeffx'), '\ufeffx');
  // the wrapper's sanitising: a removed flag's line is dropped before kubelite reads the file
  const s = argsFileWords('--log-dir=/x\n--feature-gates=DevicePlugins=true\n', '/f', look, true);
  assert.deepEqual(s.words.map((x) => x.text), ['--feature-gates=']);
  assert.deepEqual(argsFileWords('--log-dir=/x\n', '/f', look, false).words.map((x) => x.text), ['--log-dir=/x']);
  // an unknown variable hides the command line; a line over 64 KiB stops kubelite
  assert.match(argsFileWords('--x=$HOME\n', '/f', look, true).hidden ?? '', /\$HOME/);
  const long = argsFileWords(`--a=1\n--b=${'x'.repeat(MAX_LINE)}\n`, '/f', look, true);
  assert.match(long.hidden ?? '', /longer than/);
  assert.equal(long.diagnostics[0]?.line, 2);
});

test('microk8s hostile: a huge args file is bounded, escapes stay data', async () => {
  const root = copy();
  try {
    const f = path.join(root, ARGS);
    fs.writeFileSync(f, `--anonymous-auth=false\n${'#'.repeat(2 * 1024 * 1024)}\n`);
    let r = await report(root);
    assert.equal(verdict(r, 'kubelet-found'), 'unknown');
    fs.writeFileSync(f, '--node-labels=\u001b[2J\u001b]0;pwned\u0007\n');
    const t = await runCli('node', '--root', root, '--fail-on', 'none', '--no-color');
    assert.ok(!t.out.includes('\u001b'));
    r = await report(root);
    assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'fail'); // no --anonymous-auth: the flag default true
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('microk8s live: kubelite\'s own --kubelet-args-file and environment decide; its pid is the kubelet\'s', async () => {
  const { RootFs } = await import('../../src/sources/root-fs.ts');
  const { kubeliteLaunch } = await import('../../src/sources/launch/args-file.ts');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-microk8s-live-'));
  try {
    fs.mkdirSync(path.join(root, 'proc/4321'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc/4321/cmdline'), '/snap/microk8s/7449/kubelite\0--kubelet-args-file=$SNAP_DATA/args/other\0');
    fs.writeFileSync(path.join(root, 'proc/4321/environ'), 'SNAP=/snap/microk8s/7449\0SNAP_DATA=/var/snap/microk8s/7449\0EXTRA=--read-only-port=0\0');
    fs.mkdirSync(path.join(root, 'var/snap/microk8s/7449/args'), { recursive: true });
    fs.writeFileSync(path.join(root, 'var/snap/microk8s/7449/args/other'), '--anonymous-auth=false $EXTRA $UNSET\n');
    const l = kubeliteLaunch()({ fs: new RootFs(root), live: true, fromFiles: false });
    assert.equal(l.hidden, undefined); // live, an unset variable is "" as for kubelite
    assert.equal(l.invocation?.pid, 4321);
    assert.deepEqual(l.invocation?.argv.slice(1).map((a) => [a.text, a.file, a.line]), [
      ['--anonymous-auth=false', '/var/snap/microk8s/7449/args/other', 1],
      ['--read-only-port=0', '/var/snap/microk8s/7449/args/other', 1],
      ['', '/var/snap/microk8s/7449/args/other', 1], // $UNSET: an empty argument, which the kubelet refuses
    ]);
    // offline, the same file: $EXTRA is not the snap's, so the command line is hidden
    const off = kubeliteLaunch()({ fs: new RootFs(root), live: false, fromFiles: false });
    assert.match(off.missing ?? off.hidden ?? '', /args\/kubelet|\$EXTRA/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

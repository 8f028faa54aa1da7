import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RootFs } from './root-fs.ts';
import {
  expandExecStart,
  parseEnvironmentFile,
  parseUnitFile,
  reconstructUnit,
  splitEnvironmentAssignments,
  type UnitReconstruction,
} from './systemd-unit.ts';

type Entry = string | Buffer | { symlink: string };

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tmpdir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-unit-'));
  made.push(d);
  return d;
};

/** Builds a node tree in a fresh temporary folder; returns its host path. */
function tree(files: Record<string, Entry>, base?: string): string {
  const root = base ?? tmpdir();
  for (const [p, content] of Object.entries(files)) {
    const host = path.join(root, p);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) fs.symlinkSync(content.symlink, host);
    else fs.writeFileSync(host, content);
  }
  return root;
}

function reconstruct(files: Record<string, Entry>): UnitReconstruction {
  return reconstructUnit(new RootFs(tree(files)));
}

const texts = (r: UnitReconstruction): string[] => r.argv.map((a) => a.text);
const fatal = (r: UnitReconstruction) => r.diagnostics.filter((d) => d.fatal);
const codes = (r: UnitReconstruction) => r.diagnostics.map((d) => d.code);

const UNIT = '/usr/lib/systemd/system/kubelet.service';
const DROPIN = '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';

// The files the kubeadm deb package and `kubeadm join` write (kubelet-facts.md section 6).
const KUBEADM: Record<string, Entry> = {
  [UNIT]: `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
  [DROPIN]: `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`,
  '/var/lib/kubelet/kubeadm-flags.env':
    'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n',
  '/etc/default/kubelet': '# extra args\nKUBELET_EXTRA_ARGS=--node-ip=10.0.0.5 --read-only-port=10255\n',
};

test('kubeadm layout: argv in order, extra args last, provenance of every word', () => {
  const r = reconstruct(KUBEADM);
  assert.deepEqual(r.unit, { file: UNIT, dropIns: [DROPIN] });
  assert.equal(r.missing, undefined);
  assert.deepEqual(fatal(r), []);
  const dropin = (via: string) => ({ file: DROPIN, via });
  assert.deepEqual(r.argv, [
    { text: '/usr/bin/kubelet', file: DROPIN, line: 11 },
    { text: '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', line: 3, ...dropin(`$KUBELET_KUBECONFIG_ARGS from ${DROPIN}`) },
    { text: '--kubeconfig=/etc/kubernetes/kubelet.conf', line: 3, ...dropin(`$KUBELET_KUBECONFIG_ARGS from ${DROPIN}`) },
    { text: '--config=/var/lib/kubelet/config.yaml', line: 4, ...dropin(`$KUBELET_CONFIG_ARGS from ${DROPIN}`) },
    {
      text: '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
      file: '/var/lib/kubelet/kubeadm-flags.env',
      line: 1,
      via: '$KUBELET_KUBEADM_ARGS from /var/lib/kubelet/kubeadm-flags.env',
    },
    {
      text: '--pod-infra-container-image=registry.k8s.io/pause:3.10',
      file: '/var/lib/kubelet/kubeadm-flags.env',
      line: 1,
      via: '$KUBELET_KUBEADM_ARGS from /var/lib/kubelet/kubeadm-flags.env',
    },
    { text: '--node-ip=10.0.0.5', file: '/etc/default/kubelet', line: 2, via: '$KUBELET_EXTRA_ARGS from /etc/default/kubelet' },
    { text: '--read-only-port=10255', file: '/etc/default/kubelet', line: 2, via: '$KUBELET_EXTRA_ARGS from /etc/default/kubelet' },
  ]);
  assert.equal(r.execPath, '/usr/bin/kubelet');
  assert.equal(r.env.KUBELET_EXTRA_ARGS, '--node-ip=10.0.0.5 --read-only-port=10255');
  assert.deepEqual(r.envSources.KUBELET_CONFIG_ARGS, { file: DROPIN, line: 4 });
  assert.deepEqual(Object.keys(r.env).sort(), ['KUBELET_CONFIG_ARGS', 'KUBELET_EXTRA_ARGS', 'KUBELET_KUBEADM_ARGS', 'KUBELET_KUBECONFIG_ARGS']);
});

test('kubeadm layout without the optional env files: the missing words vanish, no fatal diagnostic', () => {
  const files = { ...KUBEADM };
  delete files['/etc/default/kubelet'];
  delete files['/var/lib/kubelet/kubeadm-flags.env'];
  const r = reconstruct(files);
  assert.deepEqual(texts(r), [
    '/usr/bin/kubelet',
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--config=/var/lib/kubelet/config.yaml',
  ]);
  assert.deepEqual(fatal(r), []);
  assert.ok(codes(r).includes('env-var-unset'));
});

test('/etc/systemd/system shadows /usr/lib/systemd/system', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --from-usr\n',
    '/etc/systemd/system/kubelet.service': '[Service]\nExecStart=/opt/bin/kubelet --from-etc\n',
  });
  assert.equal(r.unit?.file, '/etc/systemd/system/kubelet.service');
  assert.deepEqual(texts(r), ['/opt/bin/kubelet', '--from-etc']);
  assert.ok(r.diagnostics.some((d) => d.code === 'unit-shadowed' && d.file === UNIT));
});

test('/run shadows /usr/lib but not /etc; /usr/local/lib shadows /usr/lib', () => {
  const a = reconstruct({
    [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --a\n',
    '/usr/local/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --local\n',
  });
  assert.deepEqual(texts(a), ['/usr/bin/kubelet', '--local']);
  const b = reconstruct({
    '/run/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --run\n',
    '/etc/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --etc\n',
  });
  assert.deepEqual(texts(b), ['/usr/bin/kubelet', '--etc']);
});

test('a same-named drop-in in a higher folder masks the lower one; a /dev/null drop-in masks the name', () => {
  const r = reconstruct({
    ...KUBEADM,
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --only-etc\n',
  });
  assert.deepEqual(r.unit?.dropIns, ['/etc/systemd/system/kubelet.service.d/10-kubeadm.conf']);
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--only-etc']);
  assert.ok(r.diagnostics.some((d) => d.code === 'dropin-shadowed' && d.file === DROPIN));

  const masked = reconstruct({
    ...KUBEADM,
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': { symlink: '/dev/null' },
  });
  assert.deepEqual(masked.unit?.dropIns, []);
  assert.deepEqual(texts(masked), ['/usr/bin/kubelet']); // the package's ExecStart, nothing from 10-kubeadm.conf
  assert.ok(masked.diagnostics.some((d) => d.code === 'dropin-masked'));

  const empty = reconstruct({ ...KUBEADM, '/run/systemd/system/kubelet.service.d/10-kubeadm.conf': '' });
  assert.deepEqual(texts(empty), ['/usr/bin/kubelet']);
});

test('drop-ins from all folders apply in bytewise file-name order, service.d included', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nEnvironment=A=unit\nExecStart=/usr/bin/kubelet ${A} ${B} ${C}\n',
    '/usr/lib/systemd/system/kubelet.service.d/20-b.conf': '[Service]\nEnvironment=A=20 B=20\n',
    '/etc/systemd/system/kubelet.service.d/10-a.conf': '[Service]\nEnvironment=A=10 B=10 C=10\n',
    '/run/systemd/system/kubelet.service.d/30-c.conf': '[Service]\nEnvironment=C=30\n',
    '/etc/systemd/system/service.d/25-all.conf': '[Service]\nEnvironment=B=25\n',
    '/etc/systemd/system/kubelet.service.d/Z-upper.conf': '[Service]\nEnvironment=Z=upper\n',
    '/etc/systemd/system/kubelet.service.d/a-lower.conf': '[Service]\nEnvironment=Z=lower\n',
    '/etc/systemd/system/kubelet.service.d/ignored.txt': '[Service]\nEnvironment=A=txt\n',
    '/etc/systemd/system/kubelet.service.d/.hidden.conf': '[Service]\nEnvironment=A=hidden\n',
  });
  assert.deepEqual(r.unit?.dropIns, [
    '/etc/systemd/system/kubelet.service.d/10-a.conf',
    '/usr/lib/systemd/system/kubelet.service.d/20-b.conf',
    '/etc/systemd/system/service.d/25-all.conf',
    '/run/systemd/system/kubelet.service.d/30-c.conf',
    '/etc/systemd/system/kubelet.service.d/Z-upper.conf',
    '/etc/systemd/system/kubelet.service.d/a-lower.conf',
  ]);
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '20', '25', '30']);
  assert.equal(r.env.Z, 'lower'); // 'Z' (0x5a) sorts before 'a' (0x61)
  assert.deepEqual(r.envSources.B, { file: '/etc/systemd/system/service.d/25-all.conf', line: 2 });
});

test('an empty ExecStart= resets the list; two remaining commands are fatal unless Type=oneshot', () => {
  const twice = reconstruct({
    [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --one\n',
    [DROPIN]: '[Service]\nExecStart=/usr/bin/kubelet --two\n',
  });
  assert.deepEqual(texts(twice), ['/usr/bin/kubelet', '--two']);
  const multi = twice.diagnostics.find((d) => d.code === 'exec-start-multiple');
  assert.equal(multi?.fatal, true);

  const oneshot = reconstruct({
    [UNIT]: '[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/usr/bin/kubelet --two\n',
  });
  assert.equal(oneshot.diagnostics.find((d) => d.code === 'exec-start-multiple')?.fatal, undefined);

  const reset = reconstruct({
    [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --one\n',
    [DROPIN]: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --two\n',
  });
  assert.deepEqual(texts(reset), ['/usr/bin/kubelet', '--two']);
  assert.deepEqual(reset.diagnostics, []);

  const none = reconstruct({ [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet\n', [DROPIN]: '[Service]\nExecStart=\n' });
  assert.deepEqual(none.argv, []);
  assert.match(none.missing ?? '', /no ExecStart/);
});

test('EnvironmentFile= beats Environment= whatever the order; among files the later wins; empty Environment= resets', () => {
  const r = reconstruct({
    [UNIT]: `[Service]
EnvironmentFile=/etc/kubelet/a.env
EnvironmentFile=/etc/kubelet/b.env
Environment=X=from-environment Y=from-environment W=kept
ExecStart=/usr/bin/kubelet $X $Y $W
`,
    '/etc/kubelet/a.env': 'X=a\nY=a\n',
    '/etc/kubelet/b.env': 'Y=b\n',
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', 'a', 'b', 'kept']);
  assert.deepEqual(r.envSources.Y, { file: '/etc/kubelet/b.env', line: 1 });
  assert.deepEqual(r.envSources.W, { file: UNIT, line: 4 });

  const reset = reconstruct({
    [UNIT]: '[Service]\nEnvironment=A=1 B=2\nEnvironment=\nEnvironment=C=3\nExecStart=/usr/bin/kubelet\n',
  });
  assert.deepEqual(reset.env, { C: '3' });
});

test("EnvironmentFile=: '-' ignores a missing file, without it the unit would not start; relative paths are ignored", () => {
  const r = reconstruct({
    [UNIT]: `[Service]
EnvironmentFile=-/etc/sysconfig/kubelet
EnvironmentFile=/etc/kubelet/required.env
EnvironmentFile=relative.env
ExecStart=/usr/bin/kubelet
`,
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet']);
  const missing = r.diagnostics.filter((d) => d.code === 'env-file-missing');
  assert.equal(missing.length, 2);
  assert.deepEqual(
    missing.map((d) => [d.line, d.fatal ?? false, d.severity]),
    [
      [2, false, 'info'],
      [3, true, 'high'],
    ],
  );
  assert.ok(r.diagnostics.some((d) => d.code === 'env-file-invalid' && d.line === 4 && /absolute/.test(d.message)));
});

test('EnvironmentFile= globs: all matches, sorted', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nEnvironmentFile=/etc/kubelet.d/*.env\nExecStart=/usr/bin/kubelet $A\n',
    '/etc/kubelet.d/20.env': 'A=20\n',
    '/etc/kubelet.d/10.env': 'A=10\n',
    '/etc/kubelet.d/.hidden.env': 'A=hidden\n',
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '20']);
});

test('$VAR is split into words (quotes honoured), ${VAR} is one exact word, $$ is a literal $', () => {
  const r = reconstruct({
    [UNIT]: `[Service]
Environment="ARGS=--a=1  --b='x y'" "ONE=--c d" EMPTY=
ExecStart=/usr/bin/kubelet $ARGS \${ONE} --e=\${ONE} $EMPTY \${EMPTY} $UNSET --cost=$$5 "$ARGS"
`,
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--a=1', '--b=x y', '--c d', '--e=--c d', '', '--cost=$5', '--a=1', '--b=x y']);
  const one = r.argv[3];
  assert.deepEqual(one, { text: '--c d', file: UNIT, line: 2, via: `\${ONE} from ${UNIT}` });
  assert.deepEqual(r.argv[4], { text: '--e=--c d', file: UNIT, line: 3, via: `\${ONE} from ${UNIT}` });
  assert.ok(r.diagnostics.some((d) => d.code === 'env-var-unset' && /UNSET/.test(d.message)));
});

test('line continuations: words keep the line they are written on; comments inside are skipped', () => {
  const r = reconstruct({
    [UNIT]: `[Service]
ExecStart=/usr/bin/kubelet \\
# a comment in the middle
    --a=1 \\
    --b=2 --c=3 \\
  ; another comment
    --d=4
`,
  });
  assert.deepEqual(
    r.argv.map((a) => [a.text, a.line]),
    [
      ['/usr/bin/kubelet', 2],
      ['--a=1', 4],
      ['--b=2', 5],
      ['--c=3', 5],
      ['--d=4', 7],
    ],
  );
});

test('quoting and C escapes in ExecStart= and Environment=', () => {
  const r = reconstruct({
    [UNIT]: `[Service]
Environment="A=1" "B=2 3" C=4 'D=five six' E=tab\\there
ExecStart=/usr/bin/kubelet "--node-labels=a=b,c=d e" '--x=$NOT' "--y=\\"q\\"" --z=a\\x41\\u00e9 --pct=100%%
`,
  });
  assert.deepEqual(r.env, { A: '1', B: '2 3', C: '4', D: 'five six', E: 'tab\there' });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--node-labels=a=b,c=d e', '--x=$NOT', '--y="q"', '--z=aAé', '--pct=100%']);
});

test('an unterminated quote rejects that ExecStart= line with a diagnostic, and gives no argv', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --ok\n',
    [DROPIN]: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet "--node-labels=a=b\n',
  });
  assert.deepEqual(r.argv, []);
  const d = r.diagnostics.find((x) => x.code === 'exec-start-invalid');
  assert.equal(d?.file, DROPIN);
  assert.equal(d?.line, 3);
  assert.equal(d?.fatal, true);

  // with '-', systemd ignores the line and the unit still loads
  const ignored = reconstruct({ [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --ok\nExecStart=-/usr/bin/kubelet "oops\n' });
  assert.deepEqual(texts(ignored), ['/usr/bin/kubelet', '--ok']);
  assert.equal(ignored.diagnostics.find((x) => x.code === 'exec-start-invalid')?.line, 3);
});

test('a masked unit (symlink to /dev/null, or empty) gives no argv', () => {
  const link = reconstruct({ ...KUBEADM, '/etc/systemd/system/kubelet.service': { symlink: '/dev/null' } });
  assert.deepEqual(link.argv, []);
  assert.equal(link.unit?.file, '/etc/systemd/system/kubelet.service');
  assert.match(link.missing ?? '', /masked/);
  assert.equal(link.diagnostics.find((d) => d.code === 'unit-masked')?.fatal, true);

  const empty = reconstruct({ ...KUBEADM, '/run/systemd/system/kubelet.service': '' });
  assert.deepEqual(empty.argv, []);
  assert.ok(codes(empty).includes('unit-masked'));
});

test('no unit at all', () => {
  const r = reconstruct({ '/etc/hostname': 'node\n' });
  assert.deepEqual(r.argv, []);
  assert.equal(r.unit, undefined);
  assert.match(r.missing ?? '', /no kubelet.service unit in any systemd unit folder/);
});

test('garbage in an env file: ignored lines are named by file and line, good lines kept', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nEnvironmentFile=/etc/default/kubelet\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS $B\n',
    '/etc/default/kubelet': 'this is not an assignment\nexport B=1\n9X=2\nKUBELET_EXTRA_ARGS="--v=2"\n; comment\n# comment\n',
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--v=2']);
  const bad = r.diagnostics.filter((d) => d.code === 'env-file-invalid');
  assert.deepEqual(
    bad.map((d) => [d.file, d.line]),
    [
      ['/etc/default/kubelet', 1],
      ['/etc/default/kubelet', 2],
      ['/etc/default/kubelet', 3],
    ],
  );
  assert.match(bad[1]?.message ?? '', /export/);
});

test('non-UTF-8 bytes: diagnostics, never a crash', () => {
  const r = reconstruct({
    [UNIT]: '[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n',
    '/etc/default/kubelet': Buffer.from([...Buffer.from('# caf\xe9 in a comment is fine\nKUBELET_EXTRA_ARGS=--v=2 --name=', 'latin1'), 0xff, 0xfe, 0x0a]),
  });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet']); // systemd rejects the whole file
  assert.ok(r.diagnostics.some((d) => d.code === 'env-file-invalid' && d.line === 2 && /UTF-8/.test(d.message)));

  const unit = reconstruct({
    [UNIT]: Buffer.concat([Buffer.from('[Service]\nDescription=bad '), Buffer.from([0xc3, 0x28]), Buffer.from('\nExecStart=/usr/bin/kubelet\n')]),
  });
  assert.deepEqual(texts(unit), ['/usr/bin/kubelet']);
  const d = unit.diagnostics.find((x) => x.code === 'unit-parse');
  assert.equal(d?.line, 2);
  assert.equal(d?.fatal, true);

  const env = parseEnvironmentFile(Buffer.from([0x41, 0x3d, 0x80, 0x0a]), '/x');
  assert.deepEqual(env.vars, []);
  assert.match(env.error ?? '', /UTF-8/);
  assert.ok(parseEnvironmentFile('A=\uD800\n', '/x').error); // a lone surrogate is no better
});

test('a symlinked unit file pointing outside the root stays inside it', () => {
  const parent = tmpdir();
  const outside = path.join(parent, 'outside');
  tree({ 'kubelet.service': '[Service]\nExecStart=/evil/kubelet --outside\n' }, outside);
  const root = path.join(parent, 'root');

  // absolute target: resolved inside the node root, where it does not exist
  tree({ '/etc/systemd/system/kubelet.service': { symlink: path.join(outside, 'kubelet.service') }, [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet\n' }, root);
  const abs = reconstructUnit(new RootFs(root));
  assert.ok(!texts(abs).some((t) => t.includes('evil') || t.includes('outside')));
  assert.equal(abs.unit?.file, '/etc/systemd/system/kubelet.service');
  assert.deepEqual(abs.argv, []);

  // relative target climbing above the root: `..` stops at the root
  fs.rmSync(path.join(root, 'etc/systemd/system/kubelet.service'));
  fs.symlinkSync('../../../../outside/kubelet.service', path.join(root, 'etc/systemd/system/kubelet.service'));
  assert.ok(fs.existsSync(path.join(root, 'etc/systemd/system/kubelet.service'))); // the host would follow it out
  tree({ '/outside/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --inside\n' }, root);
  const rel = reconstructUnit(new RootFs(root));
  assert.deepEqual(texts(rel), ['/usr/bin/kubelet', '--inside']);
});

test('merged /usr: /lib -> usr/lib is one folder, not a second source of drop-ins', () => {
  const root = tree(KUBEADM);
  fs.symlinkSync('usr/lib', path.join(root, 'lib'));
  const r = reconstructUnit(new RootFs(root));
  assert.deepEqual(r.unit?.dropIns, [DROPIN]);
  assert.ok(!codes(r).includes('dropin-shadowed'));
  assert.ok(!codes(r).includes('unit-shadowed'));
  assert.equal(texts(r).length, 8);
});

test('/dev/null masks and dangling links are told apart, /lib is resolved', () => {
  const masked = reconstructUnit(new RootFs(tree({ ...KUBEADM, '/etc/systemd/system/kubelet.service': { symlink: '/dev/null' } })));
  assert.match(masked.diagnostics.find((d) => d.code === 'unit-masked')?.message ?? '', /\/dev\/null/);

  const dangling = reconstructUnit(new RootFs(tree({ ...KUBEADM, '/etc/systemd/system/kubelet.service': { symlink: '/opt/kubelet.service' } })));
  assert.deepEqual(dangling.argv, []);
  assert.ok(codes(dangling).includes('unit-unreadable'));
  assert.match(dangling.missing ?? '', /dangling/);

  const root = tree(KUBEADM);
  fs.symlinkSync('usr/lib', path.join(root, 'lib'));
  const merged = reconstructUnit(new RootFs(root));
  assert.deepEqual(merged.unit?.dropIns, [DROPIN]);
  assert.deepEqual(codes(merged), []);
});

test('a unit only in /lib/systemd/system (split /usr) is found', () => {
  const r = reconstruct({ '/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --lib\n' });
  assert.equal(r.unit?.file, '/lib/systemd/system/kubelet.service');
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--lib']);
});

test('prefixes: - + ! !! : are stripped, @ makes the second word argv[0], : turns expansion off', () => {
  assert.deepEqual(expandExecStart('-+/usr/bin/kubelet --a', {}), { words: [{ text: '/usr/bin/kubelet' }, { text: '--a' }] });
  assert.deepEqual(expandExecStart('!!/usr/bin/kubelet', {}), { words: [{ text: '/usr/bin/kubelet' }] });
  assert.deepEqual(expandExecStart('@/usr/bin/kubelet kubelet --a', {}), { words: [{ text: 'kubelet' }, { text: '--a' }] });
  assert.deepEqual(expandExecStart(':/usr/bin/kubelet $A ${A} $$', { A: 'x' }), {
    words: [{ text: '/usr/bin/kubelet' }, { text: '$A' }, { text: '${A}' }, { text: '$$' }],
  });
  const r = reconstruct({ [UNIT]: '[Service]\nExecStart=@/usr/local/bin/kubelet-wrapper kubelet --v=2\n' });
  assert.deepEqual(texts(r), ['kubelet', '--v=2']);
  assert.equal(r.execPath, '/usr/local/bin/kubelet-wrapper');
});

test('specifiers: %% becomes %, others stay with an info diagnostic, unknown ones reject the line', () => {
  const r = reconstruct({ [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet --hostname-override=%H --x=50%%\n' });
  assert.deepEqual(texts(r), ['/usr/bin/kubelet', '--hostname-override=%H', '--x=50%']);
  assert.ok(r.diagnostics.some((d) => d.code === 'unit-specifier' && d.severity === 'info'));
  assert.ok('error' in expandExecStart('/usr/bin/kubelet --x=%Q', {}));
});

test('building blocks', () => {
  assert.deepEqual(splitEnvironmentAssignments('"A=1" "B=2 3" C=4'), [
    { name: 'A', value: '1' },
    { name: 'B', value: '2 3' },
    { name: 'C', value: '4' },
  ]);
  assert.deepEqual(splitEnvironmentAssignments('A=1 9B=2 NOEQ C=3'), [
    { name: 'A', value: '1' },
    { name: 'C', value: '3' },
  ]);
  // invalid syntax: the words before it stay, the rest is dropped (config_parse_environ)
  assert.deepEqual(splitEnvironmentAssignments('A=1 "B=2'), [{ name: 'A', value: '1' }]);

  const env = parseEnvironmentFile(
    `# comment\n  A = spaced  \nB="dq \\"x\\" \\$ \\n"\nC='sq \\n'\nD=un\\\ncontinued\nE=a#b\nF="multi\nline"\n`,
    '/e',
  );
  assert.deepEqual(
    env.vars.map((v) => [v.name, v.value, v.line]),
    [
      ['A', 'spaced', 2],
      ['B', 'dq "x" $ \\n', 3],
      ['C', 'sq \\n', 4],
      ['D', 'uncontinued', 5],
      ['E', 'a#b', 7],
      ['F', 'multi\nline', 8],
    ],
  );

  const unit = parseUnitFile('\uFEFF[Unit]\nA=1\n[Service]\n  ExecStart = /bin/x  \nnoequals\n[Broken\n', '/u');
  assert.deepEqual(
    unit.entries.map((e) => [e.section, e.key, e.value, e.line]),
    [
      ['Unit', 'A', '1', 2],
      ['Service', 'ExecStart', '/bin/x', 4],
    ],
  );
  assert.deepEqual(
    unit.diagnostics.map((d) => [d.line, d.fatal ?? false]),
    [
      [5, false],
      [6, true],
    ],
  );

  // replace_env_argv(): a word starting with `$` that is not a valid name vanishes; bytes from \x escapes
  assert.deepEqual(expandExecStart('/a $FOO-bar $ x', { FOO: '1' }), { words: [{ text: '/a' }, { text: 'x' }] });
  assert.deepEqual(expandExecStart('/a \\xc3\\xa9 \\xff', {}), { words: [{ text: '/a' }, { text: 'é' }, { text: '\uFFFD' }] });
  assert.deepEqual(expandExecStart('/a x ; /b y \\; z', {}), { words: [{ text: '/b' }, { text: 'y' }, { text: ';' }, { text: 'z' }] });
  assert.deepEqual(expandExecStart('', {}), { words: [] });

  // CRLF files
  const crlf = parseUnitFile('[Service]\r\nExecStart=/bin/x \\\r\n  --y\r\n', '/u');
  assert.deepEqual(crlf.entries.map((e) => e.value), ['/bin/x    --y']);
});

// ---------------------------------------------------------------------------------------------
// Properties

const special = fc.constantFrom('\\', '"', "'", '$', '{', '}', '%', '\n', '\r', '\t', ' ', '=', '#', ';', '[', ']', '\0', '@', '-', ':', '!', 'x', 'A', '1', 'é', '\uD800', '\uDC00', '😀');
const anyString = fc.oneof(
  fc.string({ unit: special, maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 }).map((a) => String.fromCharCode(...a)),
);
const anyEnv = fc.dictionary(fc.constantFrom('A', 'B', 'C', '__proto__', 'constructor'), anyString, { maxKeys: 4 });

test('property: the parsers and the expander never throw', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      const u = parseUnitFile(s, '/u');
      assert.ok(Array.isArray(u.entries));
      const e = parseEnvironmentFile(s, '/e');
      assert.ok(Array.isArray(e.vars));
      assert.ok(Array.isArray(splitEnvironmentAssignments(s)));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      parseUnitFile(b, '/u');
      parseEnvironmentFile(b, '/e');
    }),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(anyString, anyEnv, (s, env) => {
      const r = expandExecStart(s, env);
      assert.ok('words' in r || typeof r.error === 'string');
    }),
    { numRuns: 2000 },
  );
});

/** Quotes a word for ExecStart= so that systemd hands it over unchanged. */
const quoteExecWord = (w: string): string => `"${w.replace(/[\\"]/g, (m) => '\\' + m).replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;

test('property: quoting words, joining them and expanding gives them back', () => {
  const plain = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_=./:,@+'.split('')), minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(fc.array(plain, { maxLength: 8 }), (words) => {
      const line = ['/usr/bin/kubelet', ...words.map(quoteExecWord)].join(' ');
      assert.deepEqual(expandExecStart(line, {}), { words: ['/usr/bin/kubelet', ...words].map((text) => ({ text })) });
      // unquoted, plain words survive too
      assert.deepEqual(expandExecStart(['/usr/bin/kubelet', ...words].join(' '), {}), {
        words: ['/usr/bin/kubelet', ...words].map((text) => ({ text })),
      });
    }),
    { numRuns: 500 },
  );
  const tricky = fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', "'", '\\', '$', '{', '}', '%', ';', 'é', '😀'), maxLength: 12 });
  fc.assert(
    fc.property(fc.array(tricky, { maxLength: 6 }), anyEnv, (words, env) => {
      const line = ['/usr/bin/kubelet', ...words.map(quoteExecWord)].join(' ');
      assert.deepEqual(expandExecStart(line, env), { words: ['/usr/bin/kubelet', ...words].map((text) => ({ text })) });
    }),
    { numRuns: 500 },
  );
});

test('property: a variable holding plain words comes back as those words', () => {
  const plain = fc.string({ unit: fc.constantFrom(...'abc019-_=./:,'.split('')), minLength: 1, maxLength: 10 });
  fc.assert(
    fc.property(fc.array(plain, { maxLength: 6 }), (words) => {
      const r = expandExecStart('/usr/bin/kubelet $ARGS ${ARGS}', { ARGS: words.join('  ') });
      assert.deepEqual(r, {
        words: [{ text: '/usr/bin/kubelet' }, ...words.map((text) => ({ text, fromVar: 'ARGS' })), { text: words.join('  '), fromVar: 'ARGS' }],
      });
    }),
    { numRuns: 300 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { EffectiveConfig, StaticPodFacts } from '../facts/types.ts';
import { nodeTree } from '../../test/node-tree.ts';
import { RootFs } from './root-fs.ts';
import { decodeManifest, MAX_ENTRIES, readStaticPods } from './static-pods.ts';
import type { ContainerFact, HostPathMount, ManifestFact, PodFact } from '../facts/types.ts';
import { APISERVER, DIR, ETCD, pod } from '../checks/static-pods/test-support.ts';

const SECRET = 'hunter2-s3cr3t';

function eff(staticPodPath: string | undefined, extra: EffectiveConfig = {}): EffectiveConfig {
  const e: EffectiveConfig = { ...extra };
  if (staticPodPath !== undefined) e['staticPodPath'] = { value: staticPodPath, source: { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: 20 } };
  return e;
}

function read(files: Record<string, string | Buffer>, setup?: (root: string) => void, e: EffectiveConfig = eff(DIR)): StaticPodFacts {
  const root = nodeTree(files);
  setup?.(root);
  return readStaticPods(new RootFs(root), e);
}

function byName(sp: StaticPodFacts, name: string): ManifestFact {
  const m = sp.manifests.find((x) => x.path === `${DIR}/${name}`);
  if (!m) throw new Error(`no manifest ${name}: ${sp.manifests.map((x) => x.path).join(', ')}`);
  return m;
}

const SIMPLE = pod('simple', '  containers:\n  - name: app\n    image: busybox\n');

test("kubeadm's etcd and kube-apiserver manifests: pods, containers, host paths and lines", () => {
  const sp = read({ [`${DIR}/etcd.yaml`]: ETCD, [`${DIR}/kube-apiserver.yaml`]: APISERVER });
  assert.equal(sp.path, DIR);
  assert.equal(sp.unknown, undefined);
  assert.equal(sp.stat?.type, 'dir');
  assert.deepEqual(sp.manifests.map((m) => m.path), [`${DIR}/etcd.yaml`, `${DIR}/kube-apiserver.yaml`]);
  const etcd = byName(sp, 'etcd.yaml');
  assert.equal(etcd.error, undefined);
  assert.equal(etcd.pods.length, 1);
  const p = etcd.pods[0] as PodFact;
  assert.equal(p.name, 'etcd');
  assert.equal(p.namespace, 'kube-system');
  assert.equal(p.line, 3);
  assert.deepEqual(p.labels, { component: 'etcd', tier: 'control-plane' });
  assert.equal(p.hostNetwork, true);
  assert.equal(p.hostPID, false);
  assert.equal(p.lines?.hostNetwork, 76);
  const c = p.containers[0] as ContainerFact;
  assert.equal(c.name, 'etcd');
  assert.equal(c.line, 14);
  assert.equal(c.image, 'registry.k8s.io/etcd:3.5.15-0');
  assert.equal(c.command[0], 'etcd');
  assert.ok(c.command.includes('--data-dir=/var/lib/etcd'));
  assert.equal(c.privileged, false);
  assert.deepEqual(
    p.hostPaths.map((h) => [h.volume, h.path, h.type, h.line, h.mounts]),
    [
      ['etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate', 83, [{ container: 'etcd', mountPath: '/etc/kubernetes/pki/etcd', readOnly: false, line: 74 }]],
      ['etcd-data', '/var/lib/etcd', 'DirectoryOrCreate', 87, [{ container: 'etcd', mountPath: '/var/lib/etcd', readOnly: false, line: 72 }]],
    ],
  );
  const api = byName(sp, 'kube-apiserver.yaml').pods[0]!;
  assert.equal(api.containers[0]!.command[0], 'kube-apiserver');
  const certs = api.hostPaths.find((h) => h.volume === 'k8s-certs')!;
  assert.deepEqual(certs.mounts, [{ container: 'kube-apiserver', mountPath: '/etc/kubernetes/pki', readOnly: true, line: 85 }]);
  assert.equal(certs.line, 109);
});

test('no staticPodPath (""): no static pods, nothing read', () => {
  assert.deepEqual(read({ [`${DIR}/etcd.yaml`]: ETCD }, undefined, eff('')), { path: '', manifests: [], url: '' });
});

test('staticPodPath unknown or missing from the evidence: unknown with the reason', () => {
  const e: EffectiveConfig = { staticPodPath: { value: '', source: { kind: 'config-default' }, unknown: 'the --config file could not be read (EACCES)' } };
  const sp = read({}, undefined, e);
  assert.match(sp.unknown ?? '', /cannot be known: the --config file could not be read/);
  assert.match(read({}, undefined, {}).unknown ?? '', /not part of the evidence/);
});

test('a relative staticPodPath from a flag, and glob characters: unknown, not guessed', () => {
  const flag: EffectiveConfig = { staticPodPath: { value: 'manifests', source: { kind: 'flag', detail: '--pod-manifest-path=manifests' } } };
  assert.match(read({}, undefined, flag).unknown ?? '', /relative path manifests/);
  assert.match(read({}, undefined, eff('/etc/kube[rn]etes/manifests')).unknown ?? '', /glob characters/);
});

test('the folder does not exist: no manifests, stat says so (the kubelet ignores it)', () => {
  const sp = read({ '/etc/hostname': 'n1\n' });
  assert.equal(sp.stat?.exists, false);
  assert.deepEqual(sp.manifests, []);
  assert.equal(sp.unknown, undefined);
});

test('staticPodPath is a single file: that file is the one manifest; trailing slashes are trimmed', () => {
  const sp = read({ '/etc/kubelet-pod.yaml': SIMPLE }, undefined, eff('/etc/kubelet-pod.yaml'));
  assert.equal(sp.manifests.length, 1);
  assert.equal(sp.manifests[0]!.pods[0]!.name, 'simple');
  assert.equal(read({ [`${DIR}/a.yaml`]: SIMPLE }, undefined, eff(`${DIR}//`)).path, DIR);
});

test('a PodList is refused: the file source decodes one Pod (tryDecodeSinglePod); only staticPodURL takes lists', () => {
  const list = `apiVersion: v1\nkind: PodList\nitems:\n- ${SIMPLE.split('\n').join('\n  ')}\n`;
  const m = byName(read({ [`${DIR}/list.yaml`]: list }), 'list.yaml');
  assert.deepEqual(m.pods, []);
  assert.match(m.error ?? '', /PodList.*one Pod per file.*staticPodURL/);
  assert.equal(m.line, 2);
});

test('a multi-document file: the first document is the pod, the others are counted, never read', () => {
  const text = `${SIMPLE}---\n${pod('second', '  containers:\n  - name: x\n    image: busybox\n    securityContext:\n      privileged: true\n')}---\n`;
  const m = byName(read({ [`${DIR}/multi.yaml`]: text }), 'multi.yaml');
  assert.deepEqual(m.pods.map((p) => p.name), ['simple']);
  assert.equal(m.extraDocuments, 1);
  const empty = byName(read({ [`${DIR}/m.yaml`]: `---\n---\n${SIMPLE}` }), 'm.yaml');
  assert.match(empty.error ?? '', /empty/);
});

test('dot files, sub-folders and what is in them are not read; a folder named like a manifest is ignored', () => {
  const sp = read({
    [`${DIR}/.kube-apiserver.yaml.swp`]: SIMPLE,
    [`${DIR}/backup/kube-apiserver.yaml`]: SIMPLE,
    [`${DIR}/kube-apiserver.yaml.bak`]: SIMPLE,
  }, (root) => fs.mkdirSync(path.join(root, DIR, 'dir.yaml')));
  assert.deepEqual(sp.manifests.map((m) => [path.posix.basename(m.path), m.ignored === undefined ? 'read' : 'ignored']), [
    ['.kube-apiserver.yaml.swp', 'ignored'],
    ['backup', 'ignored'],
    ['dir.yaml', 'ignored'],
    ['kube-apiserver.yaml.bak', 'read'],
  ]);
  assert.match(byName(sp, '.kube-apiserver.yaml.swp').ignored ?? '', /starts with "\."/);
  assert.match(byName(sp, 'dir.yaml').ignored ?? '', /does not recurse/);
  assert.equal(byName(sp, 'kube-apiserver.yaml.bak').pods[0]!.name, 'simple');
});

test('a broken manifest: error with the line; the file still has its stat', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata;\n  name: x\nspec:\n  containers: []\n';
  const m = byName(read({ [`${DIR}/broken.yaml`]: text }), 'broken.yaml');
  assert.match(m.error ?? '', /invalid YAML/);
  assert.ok(m.line !== undefined && m.line >= 3 && m.line <= 4, `line ${m.line}`);
  assert.equal(m.stat.exists, true);
  assert.deepEqual(m.pods, []);
});

test('refused as the kubelet refuses: kind, apiVersion, no name, bad namespace, wrong types, "..", unknown mount', () => {
  const cases: Array<[string, RegExp, number | undefined]> = [
    ['apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n', /kind Service/, 2],
    ['apiVersion: core/v1\nkind: Pod\nmetadata:\n  name: x\n', /apiVersion core\/v1/, 1],
    ['kind: Pod\nmetadata:\n  name: x\n', /apiVersion is missing/, 1],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\nspec:\n  containers:\n  - name: a\n', /name is needed/, 3],
    [pod('x', '  containers:\n  - name: a\n', '  namespace: Not_Valid\n'), /namespace "Not_Valid" is not a valid namespace name/, 5],
    [pod('x', '  hostNetwork: "true"\n  containers:\n  - name: a\n'), /spec.hostNetwork: expected true or false, got a string/, 7],
    [pod('x', '  hostNetwork: yes\n  containers:\n  - name: a\n    securityContext:\n      privileged: 1\n'), /privileged: expected true or false, got a number/, 11],
    [pod('x', '  containers:\n  - name: a\n    command: kube-apiserver\n'), /command: expected a list/, 9],
    [pod('x', '  volumes:\n  - name: h\n    hostPath:\n      path: /var/lib/../run\n  containers:\n  - name: a\n'), /must not contain '\.\.'/, 10],
    [pod('x', '  volumes:\n  - name: h\n    hostPath:\n      path: /x\n      type: Weird\n  containers:\n  - name: a\n'), /Unsupported value/, 11],
    [pod('x', '  containers:\n  - name: a\n    volumeMounts:\n    - name: nope\n      mountPath: /x\n'), /Not found: "nope"/, 10],
    [pod('x', '  containers: []\n'), /spec.containers: Required value/, 6],
    [pod('X', '  containers:\n  - name: a\n'), /does not make a valid pod name/, 4],
  ];
  for (const [text, re, line] of cases) {
    const d = decodeManifest(Buffer.from(text));
    assert.deepEqual(d.pods, [], text);
    assert.match(d.error ?? '', re, text);
    if (line !== undefined) assert.equal(d.line, line, `${text} → ${d.error}`);
  }
});

test('YAML 1.1 as yaml.v2 reads it: yes/on are booleans, a date-like label is a string, merge keys and aliases', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n  labels:\n    released: 2024-01-01\nspec:\n  hostPID: on\n  containers:\n  - &c\n    name: a\n    image: busybox\n    securityContext: &sc\n      privileged: yes\n  - <<: *c\n    name: b\n`;
  const d = decodeManifest(Buffer.from(text));
  assert.equal(d.error, undefined, d.error);
  const p = d.pods[0]!;
  assert.equal(p.hostPID, true);
  assert.deepEqual(p.labels, { released: '2024-01-01' });
  assert.deepEqual(p.containers.map((c) => [c.name, c.privileged]), [['a', true], ['b', true]]);
});

test('JSON manifests decode as JSON (utilyaml.ToJSON passes them through)', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j', namespace: 'default' }, spec: { hostIPC: true, containers: [{ name: 'a', image: 'busybox' }] } }, null, 2);
  const d = decodeManifest(Buffer.from(json));
  assert.equal(d.error, undefined);
  assert.equal(d.pods[0]!.hostIPC, true);
  assert.match(decodeManifest(Buffer.from('{"apiVersion": "v1",}')).error ?? '', /invalid JSON/);
});

test('a symlinked manifest is read through its target; a dangling symlink is skipped like the kubelet skips it', () => {
  const sp = read({ '/opt/pods/real.yaml': SIMPLE, [`${DIR}/x`]: 'placeholder' }, (root) => {
    fs.rmSync(path.join(root, DIR, 'x'));
    fs.symlinkSync('/opt/pods/real.yaml', path.join(root, DIR, 'linked.yaml'));
    fs.symlinkSync('/opt/pods/missing.yaml', path.join(root, DIR, 'dangling.yaml'));
  });
  const linked = byName(sp, 'linked.yaml');
  assert.equal(linked.pods[0]!.name, 'simple');
  assert.equal(linked.linkTarget, '/opt/pods/real.yaml');
  assert.equal(linked.stat.type, 'file');
  assert.match(byName(sp, 'dangling.yaml').ignored ?? '', /target does not exist/);
});

test('non-UTF-8 bytes: refused with the line of the bad byte; UTF-16 with a BOM is read', () => {
  const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
  const m = byName(read({ [`${DIR}/latin.yaml`]: bytes }), 'latin.yaml');
  assert.match(m.error ?? '', /invalid UTF-8/);
  assert.equal(m.line, 4);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SIMPLE, 'utf16le')]);
  assert.equal(decodeManifest(utf16).pods[0]?.name, 'simple');
  assert.match(decodeManifest(Buffer.from('a: b\u0000\n')).error ?? '', /NUL/);
});

test('an alias bomb is refused, not expanded', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bomb\n  labels:\n    x: *a9\n${lines.join('\n')}\n`;
  const t0 = Date.now();
  const d = decodeManifest(Buffer.from(text));
  assert.match(d.error ?? '', /invalid YAML/);
  assert.ok(Date.now() - t0 < 2000);
});

test('env values are never kept; secret-looking flag values are redacted', () => {
  const text = pod('leaky', `  containers:\n  - name: a\n    image: busybox\n    args:\n    - --token=${SECRET}\n    - --password\n    - ${SECRET}\n    - --etcd-servers=https://a:${SECRET}@10.0.0.1:2379,https://10.0.0.2:2379\n    env:\n    - name: PASSWORD\n      value: ${SECRET}\n`);
  const sp = read({ [`${DIR}/leaky.yaml`]: text });
  const m = byName(sp, 'leaky.yaml');
  assert.equal(m.error, undefined, m.error);
  assert.equal(JSON.stringify(sp).includes(SECRET), false);
  assert.deepEqual(m.pods[0]!.containers[0]!.args, ['--token=<redacted>', '--password', '<redacted>', '--etcd-servers=https://a:redacted@10.0.0.1:2379/,https://10.0.0.2:2379']);
});

test('a host path through a symlink on the node records where it really points (/var/run -> /run)', () => {
  const text = pod('sock', '  volumes:\n  - name: run\n    hostPath:\n      path: /var/run/\n  containers:\n  - name: a\n    volumeMounts:\n    - name: run\n      mountPath: /host/run\n      readOnly: true\n');
  const sp = read({ [`${DIR}/sock.yaml`]: text, '/run/containerd/containerd.sock': '' }, (root) => {
    fs.mkdirSync(path.join(root, 'var'));
    fs.symlinkSync('/run', path.join(root, 'var/run'));
  });
  const hp = byName(sp, 'sock.yaml').pods[0]!.hostPaths[0] as HostPathMount;
  assert.equal(hp.path, '/var/run/');
  assert.equal(hp.realPath, '/run');
  assert.deepEqual(hp.mounts, [{ container: 'a', mountPath: '/host/run', readOnly: true, line: 14 }]);
});

test('sizes: over the audit cap is unreadable (not guessed); at the kubelet 10 MiB limit it is refused', () => {
  const big = Buffer.alloc(5 * 1024 * 1024, 0x20);
  const huge = Buffer.alloc(10 * 1024 * 1024, 0x20);
  const sp = read({ [`${DIR}/big.yaml`]: big, [`${DIR}/huge.yaml`]: huge });
  const b = byName(sp, 'big.yaml');
  assert.match(b.unreadable ?? '', /audit's 4194304-byte read limit/);
  assert.equal(b.error, undefined);
  assert.match(byName(sp, 'huge.yaml').error ?? '', /at most 10485760 bytes/);
});

test(`more than ${MAX_ENTRIES} entries: ${MAX_ENTRIES} are examined (the folder is streamed) and the rest is said to be unknown`, () => {
  const sp = read({ [`${DIR}/a.yaml`]: SIMPLE }, (root) => {
    for (let i = 0; i < MAX_ENTRIES; i++) fs.writeFileSync(path.join(root, DIR, `.f${String(i).padStart(5, '0')}`), '');
  });
  assert.equal(sp.manifests.length, MAX_ENTRIES);
  assert.match(sp.unknown ?? '', /more than 10000 entries; only 10000 of them were examined/);
});

test('staticPodURL is kept with credentials redacted', () => {
  const e = eff('', { staticPodURL: { value: `https://user:${SECRET}@10.0.0.1/pods?token=${SECRET}`, source: { kind: 'flag' } } });
  const sp = read({}, undefined, e);
  assert.equal(sp.url.includes(SECRET), false);
  assert.match(sp.url, /^https:\/\/user:redacted@10\.0\.0\.1\/pods\?token=redacted$/);
});

test('an unreadable folder: unknown with the reason', { skip: process.getuid?.() === 0 ? 'root reads every folder' : false }, () => {
  const root = nodeTree({ [`${DIR}/a.yaml`]: SIMPLE });
  fs.chmodSync(path.join(root, DIR), 0o000);
  try {
    const sp = readStaticPods(new RootFs(root), eff(DIR));
    assert.match(sp.unknown ?? '', /cannot list staticPodPath .*EACCES/);
  } finally {
    fs.chmodSync(path.join(root, DIR), 0o755);
  }
});

test('property: any bytes as a manifest never throw, and give a pod or an error', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const d = decodeManifest(Buffer.from(bytes));
      assert.ok(d.pods.length === 1 || typeof d.error === 'string');
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      const d = decodeManifest(Buffer.from(`${SIMPLE}${s}`));
      assert.ok(d.pods.length === 1 || typeof d.error === 'string');
    }),
    { numRuns: 500 },
  );
});

test('property: any bytes in the folder never make readStaticPods throw', () => {
  const root = nodeTree({ [`${DIR}/x.yaml`]: '' });
  const rfs = new RootFs(root);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      fs.writeFileSync(path.join(root, DIR, 'x.yaml'), bytes);
      const sp = readStaticPods(rfs, eff(DIR));
      assert.equal(sp.manifests.length, 1);
    }),
    { numRuns: 200 },
  );
});

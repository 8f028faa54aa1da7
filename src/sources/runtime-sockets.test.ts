import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { EffectiveConfig } from '../facts/types.ts';
import { RootFs } from './root-fs.ts';
import { parseEndpoint, parseGroup, parsePasswd, readRuntimeSockets } from './runtime-sockets.ts';

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;
const servers: net.Server[] = [];
const roots: string[] = [];

/** A node root with /var/run → ../run, the accounts files, and the given node paths. */
function root(files: Record<string, string>, dirs: string[] = []): string {
  const r = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-rs-'));
  roots.push(r);
  fs.mkdirSync(path.join(r, 'run'), { recursive: true });
  fs.mkdirSync(path.join(r, 'var'), { recursive: true });
  fs.symlinkSync('../run', path.join(r, 'var/run'));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(r, p)), { recursive: true });
    fs.writeFileSync(path.join(r, p), text);
  }
  for (const d of dirs) fs.mkdirSync(path.join(r, d), { recursive: true });
  return r;
}

/** A real unix socket at a node path (listening, never connected to). */
async function socketAt(r: string, nodePath: string, mode: number): Promise<void> {
  const host = path.join(r, nodePath);
  fs.mkdirSync(path.dirname(host), { recursive: true });
  const s = net.createServer();
  servers.push(s);
  await new Promise<void>((ok, fail) => {
    s.once('error', fail);
    s.listen(host, () => ok());
  });
  fs.chmodSync(host, mode);
}

const eff = (value: string | undefined, unknown?: string): EffectiveConfig =>
  value === undefined ? {} : { containerRuntimeEndpoint: { value, source: { kind: 'config-default' }, ...(unknown ? { unknown } : {}) } };

const ACCOUNTS = {
  '/etc/passwd': `root:x:0:0:root:/root:/bin/bash\n# a comment\n+nisuser::::::\ngarbage line\nme:x:${uid}:${gid}::/home/me:/bin/sh\nalice:x:1001:${gid}::/home/alice:/bin/sh\nbob:x:1002:1002::/home/bob:/bin/sh\n`,
  '/etc/group': `root:x:0:\nbroken\n:x:5:\nmine:x:${gid}:bob,carol,bob\ndocker:x:999:alice,bob\n`,
};

let r1 = '';
before(async () => {
  r1 = root({ ...ACCOUNTS, '/run/docker.sock': 'not a socket\n' }, ['run/crio/crio.sock']);
  await socketAt(r1, '/run/containerd/containerd.sock', 0o660);
});

after(() => {
  for (const s of servers) s.close();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

test('endpoint parsing follows the kubelet (cri-client util_unix.go)', () => {
  assert.deepEqual(parseEndpoint('unix:///run/containerd/containerd.sock'), { kind: 'unix', path: '/run/containerd/containerd.sock' });
  assert.equal((parseEndpoint('/var/run/crio/crio.sock') as { path: string }).path, '/var/run/crio/crio.sock');
  assert.match((parseEndpoint('/var/run/crio/crio.sock') as { note: string }).note, /bare path/);
  // url.Parse: the host part of unix://host/path is dropped
  const h = parseEndpoint('unix://run/containerd.sock');
  assert.equal(h.kind === 'unix' && h.path, '/containerd.sock');
  assert.equal(parseEndpoint('UNIX:///a%20b.sock?x=1#y').kind === 'unix' && (parseEndpoint('UNIX:///a%20b.sock?x=1#y') as { path: string }).path, '/a b.sock');
  assert.equal(parseEndpoint('tcp://10.0.0.1:2376').kind, 'remote');
  assert.match((parseEndpoint('tcp://10.0.0.1:2376') as { why: string }).why, /only support unix socket endpoint/);
  assert.equal(parseEndpoint('npipe:////./pipe/containerd-containerd').kind, 'remote');
  for (const bad of ['', 'unix:', 'unix:relative', 'unix:///%zz', 'http://x/y', ':x', 'unix:///a\nb']) assert.equal(parseEndpoint(bad).kind, 'invalid', bad);
});

test('property: endpoint parsing never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => {
    const e = parseEndpoint(s);
    assert.ok(['unix', 'remote', 'invalid'].includes(e.kind));
  }));
});

test('passwd and group parsing ignore garbage', () => {
  assert.deepEqual(parsePasswd(ACCOUNTS['/etc/passwd']).map((u) => u.name), ['root', 'me', 'alice', 'bob']);
  const g = parseGroup(ACCOUNTS['/etc/group']);
  assert.deepEqual(g.map((x) => x.name), ['root', 'mine', 'docker']);
  assert.deepEqual(g[1]!.members, ['bob', 'carol']);
  fc.assert(fc.property(fc.string(), (s) => {
    parsePasswd(s);
    parseGroup(s);
  }));
});

test('the endpoint socket: stat, names, members (listed plus primary group), deduped with /var/run', () => {
  const f = readRuntimeSockets(new RootFs(r1), eff('unix:///var/run/containerd/containerd.sock'));
  assert.equal(f.unknown, undefined);
  const s = f.sockets[0]!;
  assert.equal(s.path, '/var/run/containerd/containerd.sock');
  assert.match(s.source, /^containerRuntimeEndpoint \(unix:\/\/\/var\/run\/containerd\/containerd\.sock\)/);
  assert.match(s.source, /also known location \(containerd\) at \/run\/containerd\/containerd\.sock/);
  assert.equal(s.stat.exists, true);
  assert.equal(s.stat.type, 'socket');
  assert.equal(s.stat.mode, 0o660);
  assert.equal(s.owner, uid === 0 ? 'root' : 'me');
  assert.equal(s.group, gid === 0 ? 'root' : 'mine');
  // listed in every /etc/group line of the gid, then the users whose primary group it is
  assert.deepEqual(s.groupMembers, gid === 0 ? ['bob', 'carol', 'root', 'me', 'alice'] : ['bob', 'carol', 'me', 'alice']);
  // /run/containerd/containerd.sock and /var/run/… are one file: reported once
  assert.equal(f.sockets.filter((x) => /^(\/var)?\/run\/containerd\/containerd\.sock$/.test(x.path)).length, 1);
});

test('a regular file and a folder at socket paths are reported as such; missing ones as missing', () => {
  const f = readRuntimeSockets(new RootFs(r1), eff('unix:///run/containerd/containerd.sock'));
  const at = (p: string) => f.sockets.find((x) => x.path === p);
  assert.equal(at('/var/run/docker.sock')?.stat.type, 'file');
  assert.equal(at('/var/run/docker.sock')!.source, 'known location (Docker); also at /run/docker.sock');
  assert.equal(at('/var/run/crio/crio.sock')?.stat.type, 'dir');
  assert.equal(at('/run/k3s/containerd/containerd.sock')?.stat.exists, false);
  assert.equal(at('/run/k3s/containerd/containerd.sock')?.owner, undefined);
});

test('a TCP endpoint or an unknown setting: unknown says why, the known locations are still examined', () => {
  const t = readRuntimeSockets(new RootFs(r1), eff('tcp://127.0.0.1:2376'));
  assert.match(t.unknown ?? '', /TCP endpoint, not a local socket/);
  assert.equal(t.sockets[0]!.path, '/run/containerd/containerd.sock');
  assert.match(t.sockets[0]!.source, /^known location/);
  const u = readRuntimeSockets(new RootFs(r1), eff('x', 'a drop-in the kubelet refuses'));
  assert.match(u.unknown ?? '', /containerRuntimeEndpoint cannot be known: a drop-in/);
  assert.match(readRuntimeSockets(new RootFs(r1), {}).unknown ?? '', /no effective kubelet configuration/);
});

test('imageServiceEndpoint: another socket is examined too; "" means the runtime endpoint', () => {
  const e: EffectiveConfig = { ...eff('unix:///run/containerd/containerd.sock'), imageServiceEndpoint: { value: 'unix:///run/img.sock', source: { kind: 'config-file', file: '/c', line: 3 } } };
  const f = readRuntimeSockets(new RootFs(r1), e);
  assert.equal(f.sockets[1]!.path, '/run/img.sock');
  assert.match(f.sockets[1]!.source, /^imageServiceEndpoint/);
  const g = readRuntimeSockets(new RootFs(r1), { ...eff('unix:///run/containerd/containerd.sock'), imageServiceEndpoint: { value: '', source: { kind: 'config-default' } } });
  assert.ok(!g.sockets.some((x) => x.source.startsWith('imageServiceEndpoint')));
});

test('no /etc/group: names and members are left unknown, never guessed', async () => {
  const r = root({ '/etc/passwd': ACCOUNTS['/etc/passwd'] });
  await socketAt(r, '/run/crio/crio.sock', 0o600);
  const s = readRuntimeSockets(new RootFs(r), eff('/run/crio/crio.sock')).sockets[0]!;
  assert.equal(s.stat.type, 'socket');
  assert.equal(s.group, undefined);
  assert.equal(s.groupMembers, undefined);
  assert.equal(s.owner, uid === 0 ? 'root' : 'me');
});

test('paths that do not exist are deduped through their nearest existing folder (/var/run → /run)', () => {
  const f = readRuntimeSockets(new RootFs(root({})), eff('unix:///run/containerd/containerd.sock'));
  const s = f.sockets[0]!;
  assert.equal(s.stat.exists, false);
  assert.match(s.source, /also at \/var\/run\/containerd\/containerd\.sock$/);
  assert.ok(!f.sockets.some((x) => x.path === '/var/run/containerd/containerd.sock'));
  assert.ok(!f.sockets.some((x) => x.path === '/run/docker.sock'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeFacts, RuntimeSocketFact, RuntimeSocketFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { runtimeSocketAccess } from './access.ts';
import { checks } from './index.ts';

const CONTAINERD = '/run/containerd/containerd.sock';
const DOCKER = '/var/run/docker.sock';

const sock = (path: string, st: Partial<StatResult>, more: Partial<RuntimeSocketFact> = {}): RuntimeSocketFact => ({
  path,
  source: path === CONTAINERD ? 'containerRuntimeEndpoint (unix:///run/containerd/containerd.sock)' : 'known location (Docker)',
  stat: { path, exists: true, type: 'socket', mode: 0o660, uid: 0, gid: 0, ...st },
  owner: 'root',
  group: 'root',
  groupMembers: ['root'],
  ...more,
});

const missing = (path: string, source: string): RuntimeSocketFact => ({ path, source, stat: { path, exists: false } });

const facts = (rs: RuntimeSocketFacts | undefined, mode: 'live' | 'offline' = 'live'): NodeFacts =>
  factsFrom({
    config: KUBEADM_CONFIG,
    patch: (f) => {
      f.mode = mode;
      if (rs) f.runtimeSockets = rs;
    },
  });

test('pass: containerd.sock 0660 root:root, the root group has no other member', () => {
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, {}), missing(DOCKER, 'known location (Docker)')] })), CONTAINERD);
  assert.equal(r.status, 'pass');
  assert.match(r.message, /mode 0660, owner root \(uid 0\), group root \(gid 0\): only root/);
  assert.match(r.evidence?.[0]?.note ?? '', /type socket; mode 0660; owner root \(uid 0\); group root \(gid 0\)/);
});

test('fail (high): docker.sock 0660 root:docker names the group and its members, with gpasswd and the docker.socket fix', () => {
  const d = sock(DOCKER, { gid: 998 }, { group: 'docker', groupMembers: ['alice', 'ci'] });
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, {}), d] })), DOCKER);
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
  assert.match(r.message, /group docker \(gid 998\) can write it \(mode 0660\): its members alice, ci/);
  assert.match(r.message, /docker group grants root-level privileges/);
  assert.match(r.remediation ?? '', /chgrp root \/var\/run\/docker\.sock/);
  assert.match(r.remediation ?? '', /gpasswd -d alice docker/);
  assert.match(r.remediation ?? '', /gpasswd -d ci docker/);
  assert.match(r.remediation ?? '', /SocketGroup=root in docker\.socket/);
  assert.match(r.remediation ?? '', /rootless Docker/);
});

test('fail (high): a group with no listed member still grants any process running with its gid', () => {
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, { gid: 1234 }, { group: undefined, groupMembers: [] })] })), CONTAINERD);
  assert.equal(r.severity, 'high');
  assert.match(r.message, /gid 1234 \(no name in \/etc\/group\)/);
  assert.match(r.message, /no user is listed in it, but any process or container running with gid 1234/);
  assert.match(r.remediation ?? '', /\[grpc\].*\/etc\/containerd\/config\.toml/);
});

test('fail (critical): others can write — every local user connects', () => {
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, { mode: 0o666 })] })), CONTAINERD);
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'critical');
  assert.match(r.message, /others can write it \(mode 0666\): every local user/);
  assert.match(r.remediation ?? '', /chmod o-rwx \/run\/containerd\/containerd\.sock/);
});

test('fail (low): others can only read — said plainly that this does not let them connect (unix(7))', () => {
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, { mode: 0o664 })] })), CONTAINERD);
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.match(r.message, /others can read it .*does not let them connect/);
});

test('fail (high): owned by a user, or the root group with members other than root', () => {
  const o = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, { uid: 1000, mode: 0o600 }, { owner: 'bob' })] })), CONTAINERD);
  assert.equal(o.severity, 'high');
  assert.match(o.message, /owned by bob \(uid 1000\), not root/);
  assert.match(o.remediation ?? '', /chown root /);
  const g = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, {}, { groupMembers: ['root', 'eve'] })] })), CONTAINERD);
  assert.equal(g.severity, 'high');
  assert.match(g.message, /root group can write it .* members other than root: eve/);
});

test('unknown: root group writable and its members cannot be read; unreadable stat', () => {
  const u = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(CONTAINERD, {}, { group: undefined, groupMembers: undefined })] })), CONTAINERD);
  assert.equal(u.status, 'unknown');
  assert.match(u.message, /cannot be told/);
  const e = about(runtimeSocketAccess.evaluate(facts({ sockets: [{ path: CONTAINERD, source: 'known location (containerd)', stat: { path: CONTAINERD, exists: null, error: 'EACCES: permission denied' } }] })), CONTAINERD);
  assert.equal(e.status, 'unknown');
  assert.match(e.message, /EACCES/);
});

test('no socket anywhere: not-applicable offline, unknown live; never pass', () => {
  const none: RuntimeSocketFacts = { sockets: [missing(CONTAINERD, 'containerRuntimeEndpoint (unix:///run/containerd/containerd.sock)'), missing(DOCKER, 'known location (Docker)')] };
  const off = all(runtimeSocketAccess.evaluate(facts(none, 'offline')));
  assert.deepEqual(off.map((x) => x.status), ['not-applicable']);
  assert.match(off[0]!.message, /sockets exist only while the runtime runs; an offline copy has none/);
  const live = all(runtimeSocketAccess.evaluate(facts(none, 'live')));
  assert.deepEqual(live.map((x) => x.status), ['unknown']);
  assert.match(live[0]!.message, /the runtime is not running here, or it listens at a path not known/);
});

test("the kubelet's endpoint missing while another socket exists: its own result, unknown live", () => {
  const r = runtimeSocketAccess.evaluate(facts({ sockets: [missing('/run/crio/crio.sock', 'containerRuntimeEndpoint (/run/crio/crio.sock)'), sock(DOCKER, {}, {})] }));
  assert.equal(about(r, '/run/crio/crio.sock').status, 'unknown');
  assert.equal(about(r, DOCKER).status, 'pass');
});

test('a TCP endpoint: unknown for the endpoint, the known sockets still judged', () => {
  const r = runtimeSocketAccess.evaluate(facts({ sockets: [sock(DOCKER, { mode: 0o666 })], unknown: 'containerRuntimeEndpoint: tcp://10.0.0.1:2376 is a TCP endpoint, not a local socket' }));
  assert.equal(about(r, 'containerRuntimeEndpoint').status, 'unknown');
  assert.equal(about(r, DOCKER).severity, 'critical');
});

test('a folder at a socket path is left to runtime-socket-is-socket', () => {
  const r = about(runtimeSocketAccess.evaluate(facts({ sockets: [sock(DOCKER, { type: 'dir', mode: 0o755 })] })), DOCKER);
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /folder, not a socket/);
});

test('not examined at all: unknown', () => {
  const r = all(runtimeSocketAccess.evaluate(facts(undefined)));
  assert.equal(r[0]!.status, 'unknown');
});

test('index: ids and section', () => {
  for (const c of checks) {
    assert.match(c.meta.id, /^runtime-socket-/);
    assert.equal(c.meta.section, 'runtime-sockets');
  }
});

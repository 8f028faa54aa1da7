import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeFacts, RuntimeSocketFact, RuntimeSocketFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { runtimeSocketIsSocket } from './is-socket.ts';

const DOCKER = '/var/run/docker.sock';
const at = (path: string, st: Partial<StatResult>, source = 'known location (Docker)'): RuntimeSocketFact => ({
  path,
  source,
  stat: { path, exists: true, type: 'socket', mode: 0o660, uid: 0, gid: 0, ...st },
});
const facts = (rs: RuntimeSocketFacts, mode: 'live' | 'offline' = 'live'): NodeFacts =>
  factsFrom({ config: KUBEADM_CONFIG, patch: (f) => { f.mode = mode; f.runtimeSockets = rs; } });

test('pass: a socket', () => {
  assert.equal(about(runtimeSocketIsSocket.evaluate(facts({ sockets: [at(DOCKER, {})] })), DOCKER).status, 'pass');
});

test('fail (medium): a folder at docker.sock — the bind-mount accident, with the fix', () => {
  const r = about(runtimeSocketIsSocket.evaluate(facts({ sockets: [at(DOCKER, { type: 'dir', mode: 0o755 })] })), DOCKER);
  assert.equal(r.status, 'fail');
  assert.equal(runtimeSocketIsSocket.meta.severity, 'medium');
  assert.match(r.message, /folder, not a socket: the mark of a bind-mount accident/);
  assert.match(r.message, /the runtime may be elsewhere/);
  assert.match(r.remediation ?? '', /rmdir \/var\/run\/docker\.sock/);
});

test("fail: a regular file at the kubelet's endpoint says the kubelet cannot reach its runtime", () => {
  const p = '/run/containerd/containerd.sock';
  const r = about(runtimeSocketIsSocket.evaluate(facts({ sockets: [at(p, { type: 'file', mode: 0o644 }, 'containerRuntimeEndpoint (unix:///run/containerd/containerd.sock)')] })), p);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /regular file, not a socket: a stale file or a bind-mount accident; the runtime may be elsewhere/);
  assert.match(r.message, /kubelet cannot reach its runtime/);
});

test('unknown: stat refused; not-applicable offline when nothing exists', () => {
  assert.equal(about(runtimeSocketIsSocket.evaluate(facts({ sockets: [{ path: DOCKER, source: 'x', stat: { path: DOCKER, exists: null, error: 'EACCES: permission denied' } }] })), DOCKER).status, 'unknown');
  const none = all(runtimeSocketIsSocket.evaluate(facts({ sockets: [{ path: DOCKER, source: 'x', stat: { path: DOCKER, exists: false } }] }, 'offline')));
  assert.deepEqual(none.map((x) => x.status), ['not-applicable']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComponentFlag, NodeFacts } from '../../facts/types.ts';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { about, all } from '../files/test-support.ts';
import { listenerEtcd } from './etcd.ts';
import { KUBEADM_LISTENERS, L, liveFacts } from './test-support.ts';

const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
const flag = (name: string, value: string, line = 10): ComponentFlag => ({ name, value, text: `--${name}=${value}`, file: MANIFEST, line });
const KUBEADM_ETCD = [
  flag('listen-client-urls', 'https://127.0.0.1:2379,https://10.0.0.5:2379', 20),
  flag('listen-peer-urls', 'https://10.0.0.5:2380', 21),
  flag('client-cert-auth', 'true', 14),
  flag('peer-client-cert-auth', 'true', 22),
  flag('trusted-ca-file', '/etc/kubernetes/pki/etcd/ca.crt', 30),
];
const etcd = (flags: ComponentFlag[], unknown?: string) => (f: NodeFacts) => {
  f.controlPlane = { components: [{ name: 'etcd', from: 'manifest', file: MANIFEST, flags, ...(unknown ? { unknown } : {}) }], files: [], certificates: {} };
};
const ETCD_LISTENERS = [L('tcp', '127.0.0.1', 2379, 900, 'etcd'), L('tcp', '10.0.0.5', 2379, 900, 'etcd', 1), L('tcp', '10.0.0.5', 2380, 900, 'etcd')];
const run = (flags: ComponentFlag[] | undefined, listeners = ETCD_LISTENERS, unknown?: string) =>
  listenerEtcd.evaluate(liveFacts([...KUBEADM_LISTENERS, ...listeners], { config: KUBEADM_CONFIG }, flags ? etcd(flags, unknown) : undefined));

test('pass: kubeadm etcd beyond loopback with client certificates required (cited by manifest line)', () => {
  const r = run(KUBEADM_ETCD);
  const c = about(r, 'port 2379 (etcd client)');
  assert.equal(c.status, 'pass');
  assert.match(c.message, /requires client certificates on its client URLs \(--client-cert-auth=true\)/);
  assert.ok(c.evidence?.some((e) => e.file === MANIFEST && e.line === 14));
  assert.equal(about(r, 'port 2380 (etcd peer)').status, 'pass');
});

test('pass: a trusted CA alone makes etcd require client certificates (transport TLSInfo.ServerConfig)', () => {
  const r = run([flag('listen-client-urls', 'https://10.0.0.5:2379'), flag('trusted-ca-file', '/pki/ca.crt'), flag('listen-peer-urls', 'https://10.0.0.5:2380'), flag('peer-trusted-ca-file', '/pki/ca.crt')]);
  assert.equal(about(r, 'port 2379 (etcd client)').status, 'pass');
});

test('pass: loopback only, or nothing listening', () => {
  const r = run(undefined, [L('tcp', '127.0.0.1', 2379, 900, 'etcd')]);
  assert.equal(about(r, 'port 2379 (etcd client)').status, 'pass');
  assert.equal(about(r, 'port 2380 (etcd peer)').status, 'pass');
});

test('fail (critical): plain http:// beyond loopback', () => {
  const c = about(run([flag('listen-client-urls', 'http://0.0.0.0:2379'), flag('client-cert-auth', 'true')], [L('tcp6', '::', 2379, 900, 'etcd')]), 'port 2379 (etcd client)');
  assert.equal(c.status, 'fail');
  assert.equal(c.severity, 'critical');
  assert.match(c.message, /plain HTTP, no TLS/);
});

test('fail (critical, as etcd-client-cert-auth gives the same fact): TLS without client certificates', () => {
  const c = about(run([flag('listen-client-urls', 'https://10.0.0.5:2379'), flag('cert-file', '/pki/s.crt'), flag('key-file', '/pki/s.key')]), 'port 2379 (etcd client)');
  assert.equal(c.status, 'fail');
  assert.equal(c.severity, 'critical');
  assert.match(c.message, /requires no client certificate/);
});

test('note (unknown, info): no etcd facts, a --config-file, or an unreadable environment', () => {
  const none = about(run(undefined), 'port 2379 (etcd client)');
  assert.equal(none.status, 'unknown');
  assert.equal(none.severity, 'info');
  assert.match(none.message, /normal for etcd; whether it requires client certificates is not known: no etcd manifest or process/);
  assert.equal(about(run([], undefined, 'etcd reads its whole configuration from the config file /etc/etcd.yaml'), 'port 2379 (etcd client)').status, 'unknown');
  const env = about(run([flag('listen-client-urls', 'https://10.0.0.5:2379'), { name: '(environment)', value: '', text: 'the environment of pid 900 cannot be read (EACCES)' }]), 'port 2379 (etcd client)');
  assert.equal(env.status, 'unknown');
  assert.match(env.message, /ETCD_\* variables cannot be read/);
});

test('not-applicable offline', () => {
  assert.equal(all(listenerEtcd.evaluate(factsFrom({ config: KUBEADM_CONFIG })))[0]!.status, 'not-applicable');
});

test('fail (critical): --listen-client-http-urls beyond loopback is plain HTTP on the client port', () => {
  const c = about(run([...KUBEADM_ETCD, flag('listen-client-http-urls', 'http://10.0.0.5:2379')]), 'port 2379 (etcd client)');
  assert.equal(c.severity, 'critical');
});

test('unknown: etcd says loopback (the default URLs), yet the port is reachable beyond it', () => {
  const c = about(run([flag('data-dir', '/var/lib/etcd')]), 'port 2379 (etcd client)');
  assert.equal(c.status, 'unknown');
  assert.match(c.message, /loopback only \(http:\/\/localhost:2379, the default\), yet the port is reachable beyond loopback/);
});

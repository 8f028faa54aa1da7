// The scheme of each listener URL decides whether etcd serves TLS and asks for certificates
// (server/embed/etcd.go configureClientListeners/configurePeerListeners), and a trusted CA alone
// makes etcd require client certificates (client/pkg/transport/listener.go TLSInfo.ServerConfig).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import type { Check } from '../types.ts';
import { component, kubeadmArgs, only, withControlPlane } from '../control-plane/test-support.ts';
import { etcdCertFile } from './cert-file.ts';
import { etcdClientCertAuth } from './client-cert-auth.ts';
import { etcdClientPlainHttp } from './client-plain-http.ts';
import { etcdMetricsPlainHttp } from './metrics-plain-http.ts';
import { etcdPeerCertFile } from './peer-cert-file.ts';
import { etcdPeerClientCertAuth } from './peer-client-cert-auth.ts';

const run = (c: Check, args: string[]) => only(c.evaluate(factsFrom({ patch: withControlPlane({ components: [component('etcd', args)] }) })));
const sev = (c: Check, args: string[]) => {
  const r = run(c, args);
  return `${r.status}/${r.severity ?? c.meta.severity}`;
};

test("2.1 fails when etcd's only client listener is http://, although --cert-file and --key-file are set (the issue's case)", () => {
  const r = run(etcdCertFile, kubeadmArgs('etcd', { 'listen-client-urls': 'http://127.0.0.1:2379', 'advertise-client-urls': 'http://127.0.0.1:2379' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /plain text on http:\/\/127\.0\.0\.1:2379.*ignores --cert-file=.*CIS 2\.1 as written, both flags set, is met/);
  assert.match(r.remediation ?? '', /replace `--listen-client-urls=http:\/\/127\.0\.0\.1:2379` with `--listen-client-urls=https:\/\/127\.0\.0\.1:2379`/);
});

test('2.1 fails critical beside https when an http listener is on the network; no certificate and the default listener is medium', () => {
  assert.equal(sev(etcdCertFile, kubeadmArgs('etcd', { 'listen-client-urls': 'https://127.0.0.1:2379,http://192.168.0.150:2379' })), 'fail/critical');
  const none = run(etcdCertFile, kubeadmArgs('etcd', { 'listen-client-urls': null, 'cert-file': null, 'key-file': null }));
  assert.equal(none.status, 'fail');
  assert.equal(none.severity, 'medium');
  assert.match(none.remediation ?? '', /--cert-file=\/etc\/kubernetes\/pki\/etcd\/server\.crt.*--key-file=.*--listen-client-urls=https:\/\/localhost:2379/);
});

test('2.1 pass: every listener TLS; an advertised http:// URL decides nothing (no listener serves it) but is said', () => {
  const r = run(etcdCertFile, kubeadmArgs('etcd', { 'advertise-client-urls': 'http://192.168.0.150:2379' }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /advertises http:\/\/192\.168\.0\.150:2379.*fails to connect/);
});

test('2.2 fails on a plain listener even with --client-cert-auth=true; the severity is the one etcd-client-plain-http gives', () => {
  for (const urls of ['http://127.0.0.1:2379', 'https://127.0.0.1:2379,http://0.0.0.0:2379', 'unix://localhost:2379', 'http://[fe80::1%eth0]:2379']) {
    const args = kubeadmArgs('etcd', { 'listen-client-urls': urls });
    const plain = sev(etcdClientPlainHttp, args);
    assert.match(plain, /^fail\//, urls);
    assert.equal(sev(etcdClientCertAuth, args), plain, urls);
    assert.equal(sev(etcdCertFile, args), plain, urls);
  }
  const r = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'listen-client-urls': 'http://0.0.0.0:2379' }));
  assert.match(r.message, /asks no client certificate on its plain listener http:\/\/0\.0\.0\.0:2379.*CIS 2\.2 as written, the flag set to true, is met/);
});

test('2.2: --client-cert-auth off with --trusted-ca-file set still requires client certificates: low, not critical', () => {
  const r = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': null }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'low');
  assert.match(r.message, /still requires a client certificate signed by --trusted-ca-file=/);
  const neither = kubeadmArgs('etcd', { 'client-cert-auth': null, 'trusted-ca-file': null });
  assert.equal(sev(etcdClientCertAuth, neither), 'fail/critical'); // https://192.168.0.150:2379 is on the network
  assert.equal(sev(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': null, 'trusted-ca-file': null, 'listen-client-urls': 'https://127.0.0.1:2379' })), 'fail/medium');
});

test('2.4 / 2.5: peer listeners judged the same way', () => {
  const plainPeer = kubeadmArgs('etcd', { 'listen-peer-urls': 'http://192.168.0.150:2380' });
  assert.equal(sev(etcdPeerCertFile, plainPeer), 'fail/critical');
  assert.equal(sev(etcdPeerClientCertAuth, plainPeer), 'fail/critical');
  assert.match(run(etcdPeerCertFile, plainPeer).remediation ?? '', /--listen-peer-urls=https:\/\/192\.168\.0\.150:2380.*--initial-advertise-peer-urls/);
  const local = kubeadmArgs('etcd', { 'listen-peer-urls': null });
  assert.equal(sev(etcdPeerCertFile, local), 'fail/medium');
  assert.equal(sev(etcdPeerClientCertAuth, local), 'fail/medium');
  assert.equal(sev(etcdPeerClientCertAuth, kubeadmArgs('etcd', { 'peer-client-cert-auth': null })), 'fail/low');
  assert.equal(sev(etcdPeerClientCertAuth, kubeadmArgs('etcd', { 'peer-client-cert-auth': null, 'peer-trusted-ca-file': null })), 'fail/critical');
});

test('unknown: a scheme etcd refuses, or an empty URL list (etcd does not start)', () => {
  for (const c of [etcdCertFile, etcdClientCertAuth, etcdClientPlainHttp]) {
    assert.equal(run(c, kubeadmArgs('etcd', { 'listen-client-urls': 'tcp://0.0.0.0:2379' })).status, 'unknown', c.meta.id);
    assert.equal(run(c, kubeadmArgs('etcd', { 'listen-client-urls': '' })).status, 'unknown', c.meta.id);
  }
});

test('metrics: an http URL whose host the URL parser refuses (an IPv6 zone id) counts as the network', () => {
  assert.equal(run(etcdMetricsPlainHttp, kubeadmArgs('etcd', { 'listen-metrics-urls': 'http://[fe80::1%eth0]:2381' })).status, 'fail');
});

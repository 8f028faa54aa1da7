import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { STRONG_SUITES, tlsCipherSuites } from './tls-cipher-suites.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const list = (names: string[]) => names.map((n) => `  - ${n}\n`).join('');

test('pass: only the CIS strong suites', () => {
  const r = one(tlsCipherSuites, factsFrom({ config: `${HDR}tlsCipherSuites:\n${list(STRONG_SUITES)}` }));
  assert.equal(r.status, 'pass');
});

test('pass: Go\'s canonical CHACHA20 names and TLS 1.3 names are strong too', () => {
  const r = one(tlsCipherSuites, factsFrom({ flags: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256'] }));
  assert.equal(r.status, 'pass');
});

test('fail: empty means Go defaults, which include ECDHE CBC-SHA suites', () => {
  const r = one(tlsCipherSuites, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA/);
  assert.match(r.remediation ?? '', /set `tlsCipherSuites` to/);
});

test('pass: empty list but tlsMinVersion VersionTLS13 (the list does not apply)', () => {
  const r = one(tlsCipherSuites, factsFrom({ config: `${HDR}tlsMinVersion: VersionTLS13\n` }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /TLS 1\.3 only/);
  assert.equal(r.evidence?.length, 2);
});

test('fail: a drop-in adds weak suites, listed by name', () => {
  const r = one(tlsCipherSuites, factsFrom({ config: `${HDR}tlsCipherSuites:\n${list(STRONG_SUITES)}`, dropIns: [`${HDR}tlsCipherSuites:\n${list(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'])}`] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /weak cipher suites allowed: TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA/);
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('fail: a name the kubelet does not know stops it', () => {
  const r = one(tlsCipherSuites, factsFrom({ flags: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,ECDHE-RSA-AES128-GCM-SHA256'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /ECDHE-RSA-AES128-GCM-SHA256 is not a cipher suite the kubelet knows/);
});

test('unknown: weak defaults, but tlsMinVersion cannot be known', () => {
  const r = one(tlsCipherSuites, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n', flags: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /tlsMinVersion cannot be known/);
});

test('unknown: no kubelet found', () => {
  assert.equal(one(tlsCipherSuites, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { all, endpoint, one, probe } from './test-support.ts';
import { etcdNoClientAuth as check } from './etcd-no-client-auth.ts';

const etcd = { service: 'etcd' as const, port: 2379 };

test('fail: keys read without a client certificate', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: false, keysReadable: true, sampleKey: '/registry/apiregistration.k8s.io/apiservices/v1.' }, probes: [probe('GET', '/version', 200), probe('POST', '/v3/kv/range', 200)] }));
  assert.equal(r.status, 'fail');
  assert.equal(check.meta.severity, 'critical');
  assert.match(r.message, /read keys without a client certificate \(e\.g\. \/registry\/apiregistration/);
  assert.match(check.meta.remediation, /--client-cert-auth=true/);
  assert.match(check.meta.remediation, /--trusted-ca-file=/);
  assert.match(check.meta.remediation, /--dport 2379/);
});

test('fail: no client certificate asked, keys not probed', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: false, keysReadable: null } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /accepts TLS clients without a certificate/);
});

test('fail, high: no client certificate, but etcd user authentication refused the read', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: false, clientCertRequired: false, keysReadable: false } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'high');
});

test("pass: a client certificate is required (the scan's own certificate may read keys)", () => {
  assert.equal(one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true, plainHttp: false, keysReadable: false } })).status, 'pass');
  const r = one(check, endpoint({ ...etcd, identity: 'client certificate (CN=kube-apiserver-etcd-client)', etcd: { tls: true, clientCertRequired: true, plainHttp: false, keysReadable: true } }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /with the scan's identity \(client certificate \(CN=kube-apiserver-etcd-client\)\) keys were readable/);
});

test('unknown, not pass: a certificate required over TLS, plain HTTP on the same port not told', () => {
  const r = one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: true, keysReadable: false } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /whether the same port also serves plain HTTP/);
});

test('unknown: not probed as etcd, or client auth undecided', () => {
  assert.equal(one(check, endpoint({ ...etcd })).status, 'unknown');
  const r = one(check, endpoint({ ...etcd, etcd: { tls: true, clientCertRequired: null, keysReadable: null }, notes: ['the TLS handshake completed but no HTTP answer followed'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /handshake completed/);
});

test('not-applicable when closed; nothing for the peer port or kubelets', () => {
  assert.equal(one(check, endpoint({ ...etcd, state: 'closed' })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ service: 'etcd-peer', port: 2380 })), []);
  assert.deepEqual(all(check, endpoint()), []);
});

test('fail: a certificate required over TLS, but the same port serves plain HTTP too', () => {
  const r = one(check, endpoint({ host: '10.0.0.9', port: 2379, service: 'etcd', etcd: { tls: true, clientCertRequired: true, plainHttp: true, keysReadable: true, sampleKey: '/registry/a' } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, undefined, 'critical, as any etcd readable without a certificate');
  assert.match(r.message, /also serves plain HTTP.*its TLS side requires one.*keys were read over plain HTTP/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_PATH, factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { clientCAPerms } from './client-ca-perms.ts';
import { CLIENT_CA } from './test-support.ts';

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: kubeadm ca.crt at 0644 (a public certificate may be readable)', () => {
  const r = one(clientCAPerms, factsFrom({ config: KUBEADM_CONFIG, files: { [CLIENT_CA]: { mode: 0o644, uid: 0, gid: 0 } } }));
  assert.equal(r.status, 'pass');
  assert.equal(r.subject, CLIENT_CA);
});

test('fail: group-writable CA bundle', () => {
  const r = one(clientCAPerms, factsFrom({ config: KUBEADM_CONFIG, files: { [CLIENT_CA]: { mode: 0o664, uid: 0, gid: 0 } } }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chmod 644 ${CLIENT_CA}`);
  assert.match(r.message, /the group can write/);
});

test('unknown: the config file is refused, so the CA path is not known', () => {
  const r = one(clientCAPerms, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' }));
  assert.equal(r.status, 'unknown');
});

test('unknown: not examined', () => {
  assert.equal(one(clientCAPerms, factsFrom({ config: KUBEADM_CONFIG })).status, 'unknown');
});

test('a relative path in the --config file is resolved against its folder (kubelet-facts §5)', () => {
  const r = one(clientCAPerms, factsFrom({ config: `${HEAD}authentication:\n  x509:\n    clientCAFile: pki/ca.crt\n`, files: { '/var/lib/kubelet/pki/ca.crt': { mode: 0o644, uid: 0, gid: 0 } } }));
  assert.ok(CONFIG_PATH.startsWith('/var/lib/kubelet/'));
  assert.equal(r.subject, '/var/lib/kubelet/pki/ca.crt');
  assert.equal(r.status, 'pass');
});

test('unknown: a relative path given by flag', () => {
  const r = one(clientCAPerms, factsFrom({ flags: ['--client-ca-file=ca.crt'] }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /relative/);
});

test('not-applicable: no client CA (4.2.3 covers it)', () => {
  const r = one(clientCAPerms, factsFrom({ config: HEAD }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /4\.2\.3/);
});

test('not-applicable: named but missing, and the message says the kubelet needs it', () => {
  const r = one(clientCAPerms, factsFrom({ config: KUBEADM_CONFIG, files: { [CLIENT_CA]: { exists: false } } }));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /verify client certificates/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpFilePkiCertPerms as check } from './pki-cert-perms.ts';
import { kubeadmNode, root } from './test-support.ts';
import { about, all, only } from '../control-plane/test-support.ts';

const PKI = '/etc/kubernetes/pki';
const base = { [PKI]: { type: 'dir' as const, mode: 0o755, ...root }, [`${PKI}/ca.key`]: { mode: 0o600, ...root }, [`${PKI}/sa.pub`]: { mode: 0o644, ...root } };

test('pass: only *.crt files are judged (kube-bench: find -name *.crt)', () => {
  const r = all(check.evaluate(kubeadmNode({ ...base, [`${PKI}/ca.crt`]: { mode: 0o644, ...root }, [`${PKI}/etcd/ca.crt`]: { mode: 0o600, ...root } })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [[`${PKI}/ca.crt`, 'pass'], [`${PKI}/etcd/ca.crt`, 'pass']]);
});

test('fail: group-writable certificate', () => {
  const r = about(check.evaluate(kubeadmNode({ ...base, [`${PKI}/ca.crt`]: { mode: 0o664, ...root } })), `${PKI}/ca.crt`);
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `chmod 644 ${PKI}/ca.crt`);
});

test('unknown: a certificate whose stat was refused', () => {
  assert.equal(about(check.evaluate(kubeadmNode({ ...base, [`${PKI}/ca.crt`]: { exists: null, error: 'EACCES: permission denied' } })), `${PKI}/ca.crt`).status, 'unknown');
});

test('not-applicable: no *.crt under the folder', () => {
  const r = only(check.evaluate(kubeadmNode(base)));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /holds no certificate file/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { strongKey } from './strong-key.ts';
import { about, arr, certs, client, clientCA, serving } from './test-support.ts';

const run = (...list: Parameters<typeof certs>) => strongKey.evaluate(factsFrom({ config: KUBEADM_CONFIG, patch: certs(...list) }));
const S = '/etc/kubernetes/pki/kubelet-serving.crt';

test('pass: EC P-256, RSA-2048 and Ed25519', () => {
  const r = arr(run(serving(), clientCA(), client({ keyType: 'ed25519', keyBits: 256 })));
  assert.equal(r.length, 3);
  assert.ok(r.every((x) => x.status === 'pass'), JSON.stringify(r));
});

test('fail: RSA-1024', () => {
  const r = about(run(serving({ keyType: 'rsa', keyBits: 1024 })), S);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /1024-bit RSA key, less than 2048/);
});

test('fail: EC P-224 and DSA', () => {
  assert.equal(about(run(serving({ keyType: 'ec', keyBits: 224 })), S).status, 'fail');
  assert.equal(about(run(serving({ keyType: 'dsa', keyBits: 2048 })), S).status, 'fail');
});

test('fail: a weak CA in the chain behind a strong leaf', () => {
  const r = run(serving({ chain: [{ subject: 'CN=weak-ca', keyType: 'rsa', keyBits: 1024 }] }));
  assert.equal(about(r, `${S}#1`).status, 'pass');
  assert.equal(about(r, `${S}#2`).status, 'fail');
});

test('unknown: key type not in the facts, or the file unreadable', () => {
  assert.equal(about(run(serving({ keyType: undefined, keyBits: undefined })), S).status, 'unknown');
  assert.equal(about(run(serving({ error: 'not a PEM certificate' })), S).status, 'unknown');
});

test('unknown: no kubelet found', () => {
  assert.equal(arr(strongKey.evaluate(factsFrom({ missing: 'no kubelet' })))[0]!.status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { keyFilePrivate } from './key-file-private.ts';
import { about, arr, certs, client, clientCA, serving, stat } from './test-support.ts';

const run = (...list: Parameters<typeof certs>) => keyFilePrivate.evaluate(factsFrom({ config: KUBEADM_CONFIG, patch: certs(...list) }));
const KEY = '/etc/kubernetes/pki/kubelet-serving.key';
const PEM = '/var/lib/kubelet/pki/kubelet-client-current.pem';

test('pass: the serving key and the combined client PEM are 600 root; the CA has no key', () => {
  const r = arr(run(serving(), client(), clientCA()));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [[KEY, 'pass'], [PEM, 'pass']]);
});

test('pass: 400 is stricter than 600', () => {
  assert.equal(about(run(serving({ key: stat(KEY, { mode: 0o400 }) })), KEY).status, 'pass');
});

test('fail: a world-readable key', () => {
  const r = about(run(serving({ key: stat(KEY, { mode: 0o644 }) })), KEY);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /mode 644 is looser than 600 \(readable or writable by group or others/);
  assert.equal(r.remediation, `chmod 600 ${KEY}`); // owned by root already: only the mode changes
  assert.deepEqual(r.fixes, [{ kind: 'mode', file: KEY, mode: 0o600 }]);
});

test('fail: a key owned by another user', () => {
  const r = about(run(client({ key: stat(PEM, { mode: 0o600, uid: 1000 }) })), PEM);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /owned by uid 1000/);
});

test('one result for a key shared by two certificates', () => {
  const shared = stat(PEM, { mode: 0o600 });
  const r = arr(run(client({ key: shared }), serving({ path: PEM, key: shared })));
  assert.equal(r.length, 1);
  assert.match(r[0]!.message, /client certificate .* and the serving certificate/);
});

test('unknown: the key file cannot be examined, or does not exist', () => {
  assert.equal(about(run(serving({ key: { path: KEY, exists: null, error: 'EACCES: permission denied' } })), KEY).status, 'unknown');
  assert.equal(about(run(serving({ key: { path: KEY, exists: false } })), KEY).status, 'unknown');
});

test('unknown: no kubelet found', () => {
  assert.equal(arr(keyFilePrivate.evaluate(factsFrom({ missing: 'no kubelet' })))[0]!.status, 'unknown');
});

test('not-applicable: no key file in the evidence (client CA only)', () => {
  assert.equal(arr(run(clientCA()))[0]!.status, 'not-applicable');
});

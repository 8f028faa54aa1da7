import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletServicePerms } from './kubelet-service-perms.ts';
import { about, all, UNIT, UNIT_DROPIN, withUnit } from './test-support.ts';

const root = { uid: 0, gid: 0 };

test('pass: the unit file and its drop-in are 0600 and 0400, one result each', () => {
  const r = all(kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o600, ...root }, [UNIT_DROPIN]: { mode: 0o400, ...root } }, patch: withUnit })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [[UNIT, 'pass'], [UNIT_DROPIN, 'pass']]);
});

test('fail: the packaged 0644 drop-in, with the exact chmod for it', () => {
  const r = kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o600, ...root }, [UNIT_DROPIN]: { mode: 0o644, ...root } }, patch: withUnit }));
  assert.equal(about(r, UNIT).status, 'pass');
  const d = about(r, UNIT_DROPIN);
  assert.equal(d.status, 'fail');
  assert.equal(d.remediation, `chmod 600 ${UNIT_DROPIN}`);
  assert.deepEqual(d.evidence, [{ file: UNIT_DROPIN, note: 'mode 0644, owner 0:0' }]);
});

test('fail: setuid on an otherwise 0600 unit file', () => {
  const r = kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o4600, ...root }, [UNIT_DROPIN]: { mode: 0o600, ...root } }, patch: withUnit }));
  assert.equal(about(r, UNIT).status, 'fail');
  assert.match(about(r, UNIT).message, /setuid/);
});

test('unknown: a drop-in not examined, the unit unreadable', () => {
  const r = kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { exists: null, error: 'EACCES: permission denied' } }, patch: withUnit }));
  assert.equal(about(r, UNIT).status, 'unknown');
  assert.match(about(r, UNIT).message, /EACCES/);
  assert.equal(about(r, UNIT_DROPIN).status, 'unknown');
  assert.match(about(r, UNIT_DROPIN).message, /not examined/);
});

test('unknown: no kubelet found (never a pass, never not-applicable)', () => {
  const r = all(kubeletServicePerms.evaluate(factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' })));
  assert.equal(r.length, 1);
  assert.equal(r[0]!.status, 'unknown');
  assert.match(r[0]!.message, /no kubelet process/);
});

test('unknown: found through a unit, but the unit file is not named', () => {
  const r = all(kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG })));
  assert.equal(r[0]!.status, 'unknown');
});

test('not-applicable: a kubelet found as a process only', () => {
  const r = all(kubeletServicePerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, patch: (f) => { f.kubelet.invocation!.from = 'process'; f.kubelet.invocation!.pid = 812; } })));
  assert.equal(r[0]!.status, 'not-applicable');
  assert.match(r[0]!.message, /pid 812/);
});

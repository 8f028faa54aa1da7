import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletServiceOwner } from './kubelet-service-owner.ts';
import { about, all, UNIT, UNIT_DROPIN, withUnit } from './test-support.ts';

test('pass: unit file and drop-in owned by 0:0', () => {
  const r = all(kubeletServiceOwner.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o644, uid: 0, gid: 0 }, [UNIT_DROPIN]: { mode: 0o644, uid: 0, gid: 0 } }, patch: withUnit })));
  assert.deepEqual(r.map((x) => x.status), ['pass', 'pass']);
});

test('fail: a drop-in owned by a user, with the exact chown', () => {
  const r = kubeletServiceOwner.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o600, uid: 0, gid: 0 }, [UNIT_DROPIN]: { mode: 0o600, uid: 1000, gid: 1000 } }, patch: withUnit }));
  const d = about(r, UNIT_DROPIN);
  assert.equal(d.status, 'fail');
  assert.equal(d.remediation, `chown root:root ${UNIT_DROPIN}`);
  assert.match(d.message, /user 1000 and group 1000 are not root/);
});

test('unknown: the drop-in could not be examined', () => {
  const r = kubeletServiceOwner.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [UNIT]: { mode: 0o600, uid: 0, gid: 0 }, [UNIT_DROPIN]: { exists: null, error: 'ELOOP: too many levels of symbolic links' } }, patch: withUnit }));
  assert.equal(about(r, UNIT_DROPIN).status, 'unknown');
});

test('not-applicable: flags given by hand', () => {
  const r = all(kubeletServiceOwner.evaluate(factsFrom({ config: KUBEADM_CONFIG, patch: (f) => { f.kubelet.invocation!.from = 'manual'; } })));
  assert.equal(r[0]!.status, 'not-applicable');
});

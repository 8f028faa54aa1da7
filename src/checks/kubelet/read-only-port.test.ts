import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { readOnlyPort } from './read-only-port.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: a config file without readOnlyPort defaults to 0', () => {
  const r = one(readOnlyPort, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-default');
});

test('fail: no --config, the flag default is 10255 (kube-bench passes "not set")', () => {
  const r = one(readOnlyPort, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /10255 is open on 0\.0\.0\.0/);
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag-default');
  assert.match(r.remediation ?? '', /--read-only-port=0/);
});

test('fail: no --config, a drop-in that does not name readOnlyPort keeps the flag default', () => {
  const r = one(readOnlyPort, factsFrom({ dropIns: [`${HDR}authentication:\n  anonymous:\n    enabled: false\n`] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.value, 10255);
});

test('pass: readOnlyPort: 0 in a drop-in is kept (drop-ins are not defaulted)', () => {
  const r = one(readOnlyPort, factsFrom({ dropIns: [`${HDR}readOnlyPort: 0\n`] }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('fail: an explicit flag overrides the config file', () => {
  const r = one(readOnlyPort, factsFrom({ config: `${HDR}readOnlyPort: 0\naddress: 10.0.0.5\n`, flags: ['--read-only-port=10255'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /on 10\.0\.0\.5/);
  assert.match(r.remediation ?? '', /replace `--read-only-port=10255` with `--read-only-port=0`/);
});

test('unknown: the config file is refused', () => {
  assert.equal(one(readOnlyPort, factsFrom({ config: '' })).status, 'unknown');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(readOnlyPort, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletFound } from './kubelet-found.ts';

test('pass: found through its unit, named with its drop-in', () => {
  const r = one(kubeletFound, factsFrom({ config: KUBEADM_CONFIG, flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'], patch: (f) => { f.kubelet.invocation!.unit = { file: '/usr/lib/systemd/system/kubelet.service', dropIns: ['/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf'] }; } }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /^kubelet found through its systemd unit \/usr\/lib\/systemd\/system\/kubelet\.service with 1 drop-in;/);
  assert.match(r.message, /1 flag on its command line, --config \/var\/lib\/kubelet\/config\.yaml/);
  assert.equal(r.evidence?.[0]?.file, '/usr/lib/systemd/system/kubelet.service');
});

test('pass: found as a process, with its pid', () => {
  const r = one(kubeletFound, factsFrom({ flags: [], patch: (f) => { f.kubelet.invocation!.from = 'process'; f.kubelet.invocation!.pid = 4242; } }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /pid 4242/);
  assert.match(r.message, /no --config/);
});

test('unknown at high severity: nothing found is never "all good"', () => {
  const r = one(kubeletFound, factsFrom({ missing: 'no kubelet process is running and no kubelet.service unit was found' }));
  assert.equal(r.status, 'unknown');
  assert.equal(r.message, 'no kubelet process is running and no kubelet.service unit was found');
  assert.equal(kubeletFound.meta.severity, 'high');
});

test('unknown: no invocation and no reason', () => {
  const r = one(kubeletFound, factsFrom({ patch: (f) => { delete f.kubelet.invocation; } }));
  assert.equal(r.status, 'unknown');
});

test('there is no fail: a missing kubelet is unknown, not a finding about the node', () => {
  // (kept explicit so that a later change does not turn "not found" into pass or fail silently)
  for (const spec of [{ missing: 'x' }, { config: KUBEADM_CONFIG }]) assert.notEqual(one(kubeletFound, factsFrom(spec)).status, 'fail');
});

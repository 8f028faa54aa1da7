import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { anonymousAuth } from './anonymous-auth.ts';

test('pass: kubeadm config file sets anonymous false', () => {
  const r = one(anonymousAuth, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.line, 5);
});

test('pass: a config file without the key is secure by default (kube-bench 4.2.1 fails it)', () => {
  const r = one(anonymousAuth, factsFrom({ config: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n' }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-default');
});

test('fail: no --config, the flag default is anonymous on', () => {
  const r = one(anonymousAuth, factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag-default');
  // the smallest change: the flag, after the command line's last word where it is written
  assert.deepEqual(r.fixes, [{ kind: 'flag-add', file: '/etc/default/kubelet', line: 1, after: '--kubeconfig=/etc/kubernetes/kubelet.conf', flag: 'anonymous-auth', text: '--anonymous-auth=false' }]);
  assert.match(r.remediation ?? '', /In \/etc\/default\/kubelet line 1: add `--anonymous-auth=false` after `--kubeconfig=/);
});

test('fail: an explicit flag overrides a secure config file, and the fix names its line', () => {
  const r = one(anonymousAuth, factsFrom({ config: KUBEADM_CONFIG, flags: ['--anonymous-auth=true'] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'flag');
  assert.match(r.remediation ?? '', /In \/etc\/default\/kubelet line 1: replace `--anonymous-auth=true` with `--anonymous-auth=false`/);
});

test('unknown: the config file is refused by the kubelet', () => {
  const r = one(anonymousAuth, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /refuses/);
});

test('unknown: no kubelet found', () => {
  const r = one(anonymousAuth, factsFrom({ missing: 'no kubelet process and no kubelet.service unit' }));
  assert.equal(r.status, 'unknown');
});

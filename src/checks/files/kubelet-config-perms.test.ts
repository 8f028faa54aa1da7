import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_PATH, factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import { kubeletConfigPerms } from './kubelet-config-perms.ts';
import { about, all } from './test-support.ts';

const DROPIN = '/etc/kubernetes/kubelet.conf.d/10.conf';
const DROPIN_TEXT = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n';
const root = { uid: 0, gid: 0 };

test('pass: config.yaml 0600, one result', () => {
  const r = all(kubeletConfigPerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [CONFIG_PATH]: { mode: 0o600, ...root } } })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [[CONFIG_PATH, 'pass']]);
});

test('fail: kubeadm config.yaml at 0644, and a drop-in is a further subject', () => {
  const r = kubeletConfigPerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, dropIns: [DROPIN_TEXT], files: { [CONFIG_PATH]: { mode: 0o644, ...root }, [DROPIN]: { mode: 0o600, ...root } } }));
  assert.equal(all(r).length, 2);
  const c = about(r, CONFIG_PATH);
  assert.equal(c.status, 'fail');
  assert.equal(c.remediation, `chmod 600 ${CONFIG_PATH}`);
  assert.equal(about(r, DROPIN).status, 'pass');
});

test('unknown: the drop-in was not examined', () => {
  const r = kubeletConfigPerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, dropIns: [DROPIN_TEXT], files: { [CONFIG_PATH]: { mode: 0o600, ...root } } }));
  assert.equal(about(r, DROPIN).status, 'unknown');
});

test('drop-ins without --config are still config files the kubelet reads (kubelet-facts §5)', () => {
  const r = all(kubeletConfigPerms.evaluate(factsFrom({ dropIns: [DROPIN_TEXT], files: { [DROPIN]: { mode: 0o666, ...root } } })));
  assert.deepEqual(r.map((x) => [x.subject, x.status]), [[DROPIN, 'fail']]);
});

test('not-applicable: no --config', () => {
  const r = all(kubeletConfigPerms.evaluate(factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] })));
  assert.equal(r[0]!.status, 'not-applicable');
  assert.match(r[0]!.message, /without --config/);
});

test('unknown: no kubelet found', () => {
  const r = all(kubeletConfigPerms.evaluate(factsFrom({ missing: 'not root: /proc cannot be read' })));
  assert.equal(r[0]!.status, 'unknown');
});

test('not-applicable: the --config file does not exist, and the message says the kubelet cannot start', () => {
  const r = about(kubeletConfigPerms.evaluate(factsFrom({ config: KUBEADM_CONFIG, files: { [CONFIG_PATH]: { exists: false } } })), CONFIG_PATH);
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /cannot start/);
});

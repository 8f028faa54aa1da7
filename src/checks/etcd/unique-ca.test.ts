import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { component, kubeadmArgs, KUBEADM_ETCD_ARGS, only, withControlPlane, type CPSpec } from '../control-plane/test-support.ts';
import { etcdUniqueCa as check } from './unique-ca.ts';

const ETCD_CA = '/etc/kubernetes/pki/etcd/ca.crt';
const CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';
const certs = {
  [ETCD_CA]: { fingerprint256: 'AA:AA', subject: 'CN=etcd-ca' },
  [CLUSTER_CA]: { fingerprint256: 'BB:BB', subject: 'CN=kubernetes' },
};
const facts = (spec: Partial<CPSpec> & { etcdArgs?: string[] } = {}) =>
  factsFrom({ patch: withControlPlane({ components: [component('etcd', spec.etcdArgs ?? KUBEADM_ETCD_ARGS), component('kube-apiserver')], certificates: certs, ...spec }) });

test("pass: kubeadm's separate etcd CA, compared by fingerprint with the API server's --client-ca-file", () => {
  const r = only(check.evaluate(facts()));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /not the cluster CA \/etc\/kubernetes\/pki\/ca\.crt \(the API server's --client-ca-file=/);
});

test('fail: --trusted-ca-file is the cluster CA file itself (mounted from the node); the fix is at its line', () => {
  const pki = { volume: 'pki', path: '/etc/kubernetes/pki', mounts: [{ container: 'etcd', mountPath: '/etc/kubernetes/pki', readOnly: true }] };
  const r = only(check.evaluate(facts({ etcdArgs: kubeadmArgs('etcd', { 'trusted-ca-file': CLUSTER_CA }), hostPaths: { etcd: [pki] } })));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /is the cluster CA file \/etc\/kubernetes\/pki\/ca\.crt itself/);
  assert.match(r.remediation ?? '', /replace `--trusted-ca-file=\/etc\/kubernetes\/pki\/ca\.crt` with `--trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
});

test('fail: another path holding the same certificate (a copy of the cluster CA); the peer CA is judged too', () => {
  const copy = { [ETCD_CA]: { fingerprint256: 'BB:BB', subject: 'CN=kubernetes' }, [CLUSTER_CA]: { fingerprint256: 'CC:CC,BB:BB', subject: 'CN=kubernetes-new' } };
  const r = only(check.evaluate(facts({ certificates: copy })));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /hold the same certificate as the cluster CA.*SHA-256 BB:BB/);
  assert.match(r.message, /--peer-trusted-ca-file=/);
  assert.equal((r.remediation ?? '').match(/replace/g)?.length, 2); // both flags are fixed, each at its line
});

test('fail: no --trusted-ca-file at all', () => {
  const r = only(check.evaluate(facts({ etcdArgs: kubeadmArgs('etcd', { 'trusted-ca-file': null }) })));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /add `- --trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
});

test('unknown: the cluster CA is not on this node (an external etcd node), or a CA could not be read', () => {
  const noCluster = only(check.evaluate(factsFrom({ patch: withControlPlane({ components: [component('etcd')], certificates: { [ETCD_CA]: certs[ETCD_CA], [CLUSTER_CA]: { error: 'missing' } } }) })));
  assert.equal(noCluster.status, 'unknown');
  assert.match(noCluster.message, /is not on this node/);
  const unreadable = only(check.evaluate(facts({ certificates: { ...certs, [ETCD_CA]: { error: 'EACCES: permission denied' } } })));
  assert.equal(unreadable.status, 'unknown');
});

test('unknown: a CA path no hostPath volume holds lives in the container image', () => {
  const r = only(check.evaluate(facts({ etcdArgs: kubeadmArgs('etcd', { 'trusted-ca-file': '/opt/ca.crt', 'peer-trusted-ca-file': '/opt/ca.crt' }) })));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /inside the etcd container's own filesystem/);
});

test("the fix names kubeadm's etcd CA only when it is on this node and is not the cluster CA", () => {
  const pki = { volume: 'pki', path: '/etc/kubernetes/pki', mounts: [{ container: 'etcd', mountPath: '/etc/kubernetes/pki', readOnly: true }] };
  const trustsCluster = { etcdArgs: kubeadmArgs('etcd', { 'trusted-ca-file': CLUSTER_CA, 'peer-trusted-ca-file': CLUSTER_CA }), hostPaths: { etcd: [pki] } };
  const named = only(check.evaluate(facts(trustsCluster)));
  assert.equal(named.status, 'fail');
  assert.match(named.remediation ?? '', /kubeadm's etcd CA \/etc\/kubernetes\/pki\/etcd\/ca\.crt is on this node \(CN=etcd-ca\) and is not the cluster CA/);
  assert.match(named.remediation ?? '', /with `--trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`.*with `--peer-trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
  const missing = only(check.evaluate(facts({ ...trustsCluster, certificates: { [CLUSTER_CA]: certs[CLUSTER_CA], [ETCD_CA]: { error: 'missing' } } })));
  assert.equal(missing.status, 'fail');
  assert.doesNotMatch(missing.remediation ?? '', /=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
  assert.match(missing.remediation ?? '', /with `--trusted-ca-file=<the etcd CA file>`.*kubeadm's etcd CA \/etc\/kubernetes\/pki\/etcd\/ca\.crt is not on this node/);
  const none = only(check.evaluate(facts({ etcdArgs: kubeadmArgs('etcd', { 'trusted-ca-file': null }), certificates: { [CLUSTER_CA]: certs[CLUSTER_CA], [ETCD_CA]: { error: 'missing' } } })));
  assert.equal(none.status, 'fail');
  assert.match(none.remediation ?? '', /add `- --trusted-ca-file=<the etcd CA file>`.*is not on this node/);
});

test('a copy of the cluster CA at the etcd CA path: the fix does not replace the flag with itself', () => {
  const copy = { [ETCD_CA]: { fingerprint256: 'BB:BB', subject: 'CN=kubernetes' }, [CLUSTER_CA]: { fingerprint256: 'BB:BB', subject: 'CN=kubernetes' } };
  const r = only(check.evaluate(facts({ certificates: copy })));
  assert.equal(r.status, 'fail');
  assert.doesNotMatch(r.remediation ?? '', /with `--trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
  assert.match(r.remediation ?? '', /holds the cluster CA's certificate/);
});

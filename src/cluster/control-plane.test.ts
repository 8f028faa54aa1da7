import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runChecks } from '../checks/run.ts';
import type { Finding } from '../checks/types.ts';
import { gatherNodeFacts } from '../sources/node.ts';
import { CONTROL_PLANE_CHECKS, controlPlaneFindings, ETCD_VISIBLE_CHECK, MAX_PODS, VISIBLE_CHECK } from './control-plane.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples/nodes');
const HARDENED = 'kubeadm-control-plane';
const INSECURE = 'kubeadm-control-plane-insecure';
const COMPONENTS = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'] as const;
type Pod = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** kubeadm's manifest as the API server lists its mirror pod: no apiVersion/kind on list items, name-<node>, nodeName, mirror annotations. */
function mirrorPod(example: string, component: string, node: string, edit?: (args: string[]) => string[]): Pod {
  const p = parse(readFileSync(path.join(EXAMPLES, example, 'etc/kubernetes/manifests', `${component}.yaml`), 'utf8')) as Pod;
  delete p['apiVersion'];
  delete p['kind'];
  p['metadata'].name = `${component}-${node}`;
  p['metadata'].creationTimestamp = '2026-01-01T00:00:00Z';
  p['metadata'].uid = `uid-${component}-${node}`;
  p['metadata'].annotations = { ...p['metadata'].annotations, 'kubernetes.io/config.mirror': 'abc123', 'kubernetes.io/config.hash': 'abc123', 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.seen': '2026-01-01T00:00:00Z' };
  p['metadata'].ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node, uid: `uid-${node}`, controller: true }];
  p['spec'].nodeName = node;
  p['spec'].containers[0].terminationMessagePath = '/dev/termination-log';
  if (edit) p['spec'].containers[0].command = edit(p['spec'].containers[0].command);
  p['status'] = { phase: 'Running', podIP: '10.0.1.10' };
  return p;
}

const controlPlane = (example: string, node: string) => COMPONENTS.map((c) => mirrorPod(example, c, node));

const coredns = (i: number): Pod => ({
  metadata: { name: `coredns-5d78c9869d-${i}`, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'coredns-5d78c9869d', controller: true }] },
  spec: { nodeName: `node-${i}`, containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', args: ['-conf', '/etc/coredns/Corefile'] }] },
  status: { phase: 'Running' },
});
const kubeProxy: Pod = {
  metadata: { name: 'kube-proxy-x7k2p', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'kube-proxy', command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'] }] },
};

const byCheck = (fs: Finding[]) => new Map(fs.map((f) => [f.check, f]));
const get = (fs: Finding[], check: string, subject?: string): Finding => {
  const f = fs.find((x) => x.check === check && (subject === undefined || x.subject === subject));
  if (!f) throw new Error(`no ${check}${subject ? ` about ${subject}` : ''}: ${fs.map((x) => `${x.check}@${x.subject}`).join(', ')}`);
  return f;
};
/** The node audit's verdicts on the same example, by check. */
const nodeAudit = (example: string) =>
  new Map(runChecks(CONTROL_PLANE_CHECKS, gatherNodeFacts({ root: path.join(EXAMPLES, example), now: new Date('2026-06-01T00:00:00Z') })).map((f) => [f.check, f.status]));

test('the checks that run: every control-plane and etcd check of the node audit, reviewed for the API (a new one must be reviewed here)', () => {
  assert.deepEqual(CONTROL_PLANE_CHECKS.map((c) => c.meta.id), [
    'apiserver-anonymous-auth', 'apiserver-kubelet-client-cert', 'apiserver-kubelet-certificate-authority', 'apiserver-authorization-not-always-allow',
    'apiserver-authorization-node', 'apiserver-authorization-rbac', 'apiserver-node-restriction',
    'etcd-cert-file', 'etcd-client-cert-auth', 'etcd-auto-tls', 'etcd-peer-cert-file', 'etcd-peer-client-cert-auth', 'etcd-peer-auto-tls', 'etcd-unique-ca',
    'etcd-client-plain-http', 'etcd-metrics-plain-http',
  ]);
});

test("hardened kubeadm mirror pods: the API-server and etcd checks pass as on the node; the unique-CA check says to compare the files on the node", () => {
  const fs = controlPlaneFindings([...controlPlane(HARDENED, 'cp-1'), coredns(1), kubeProxy]);
  assert.equal(fs.length, CONTROL_PLANE_CHECKS.length);
  const node = nodeAudit(HARDENED);
  for (const f of fs) {
    if (f.check === 'etcd-unique-ca') continue;
    assert.equal(f.status, 'pass', `${f.check}: ${f.message}`);
    assert.equal(f.status, node.get(f.check), f.check);
  }
  assert.equal(node.get('etcd-unique-ca'), 'pass'); // the node audit compares the certificates...
  const ca = get(fs, 'etcd-unique-ca');
  assert.equal(ca.status, 'unknown'); // ...the API does not show them
  assert.match(ca.message, /certificate files are not read: compare them on cp-1 with `kubelet-guard node`/);
  assert.equal(get(fs, 'apiserver-anonymous-auth').subject, 'cp-1 pod kube-system/kube-apiserver-cp-1');
  assert.equal(get(fs, 'etcd-client-cert-auth').subject, 'cp-1 pod kube-system/etcd-cp-1');
  assert.equal(get(fs, 'apiserver-anonymous-auth').section, 'control-plane');
  assert.equal(get(fs, 'etcd-client-cert-auth').section, 'etcd');
  // no file lines: the JSON's are meaningless; the evidence names the pod
  for (const f of fs) for (const e of f.evidence) assert.equal(e.line, undefined, `${f.check}: ${JSON.stringify(e)}`);
  assert.deepEqual(get(fs, 'etcd-client-cert-auth').evidence[0], { setting: '--client-cert-auth', value: 'true', note: '--client-cert-auth=true', file: 'pod kube-system/etcd-cp-1' });
  assert.ok(!fs.some((f) => f.check === VISIBLE_CHECK || f.check === ETCD_VISIBLE_CHECK));
});

test('insecure kubeadm mirror pods: the planted failures fail, with the same verdicts as the node audit, and fixes that name the manifest on the node', () => {
  const fs = controlPlaneFindings(controlPlane(INSECURE, 'cp-x'));
  const m = byCheck(fs);
  const node = nodeAudit(INSECURE);
  for (const [check, status] of node) assert.equal(m.get(check)?.status, status, `${check}: ${m.get(check)?.message}`);
  for (const check of ['apiserver-authorization-not-always-allow', 'apiserver-node-restriction', 'apiserver-kubelet-certificate-authority', 'etcd-client-cert-auth', 'etcd-client-plain-http', 'etcd-auto-tls', 'etcd-peer-auto-tls']) {
    assert.equal(m.get(check)?.status, 'fail', check);
  }
  const allow = get(fs, 'apiserver-authorization-not-always-allow');
  assert.equal(allow.severity, 'critical');
  assert.match(allow.message, /--authorization-mode=Node,RBAC,AlwaysAllow \(pod kube-system\/kube-apiserver-cp-x\)/);
  assert.match(allow.remediation ?? '', /replace `--authorization-mode=Node,RBAC,AlwaysAllow` with `--authorization-mode=Node,RBAC`/);
  assert.match(allow.remediation ?? '', /The pod kube-system\/kube-apiserver-cp-x is a mirror pod, a read-only copy of the static pod the kubelet on cp-x runs from a manifest file: make the change in that file on cp-x \(kubeadm's is \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml\), not through the API/);
  assert.match(get(fs, 'apiserver-node-restriction').remediation ?? '', /`--enable-admission-plugins=AlwaysPullImages,NodeRestriction`/);
  const http = get(fs, 'etcd-client-plain-http');
  assert.equal(http.severity, 'critical');
  assert.match(http.message, /plain http on the network: http:\/\/0\.0\.0\.0:2379/);
  assert.match(http.remediation ?? '', /\/etc\/kubernetes\/manifests\/etcd\.yaml/);
  assert.match(get(fs, 'etcd-client-cert-auth').message, /--client-cert-auth=false \(pod kube-system\/etcd-cp-x\)/);
});

test('a managed cluster (no control-plane pods, only coredns and kube-proxy): one not-applicable finding', () => {
  for (const pods of [[coredns(1), coredns(2), kubeProxy], []]) {
    const fs = controlPlaneFindings(pods);
    assert.equal(fs.length, 1);
    const f = fs[0]!;
    assert.deepEqual([f.check, f.section, f.status, f.severity], [VISIBLE_CHECK, 'control-plane', 'not-applicable', 'info']);
    assert.match(f.message, /the control plane is not visible as pods in kube-system \(a managed cluster such as EKS, GKE or AKS, or a control plane run outside pods\): its flags cannot be audited from the API; audit control-plane nodes with `kubelet-guard node`/);
  }
  // a scheduler alone (no API server) says which components it saw, and runs no check
  const sched = controlPlaneFindings([mirrorPod(HARDENED, 'kube-scheduler', 'cp-1')]);
  assert.equal(sched.length, 1);
  assert.match(sched[0]!.message, /kube-apiserver is not visible as a pod in kube-system \(only kube-scheduler\)/);
});

test('external etcd: the API-server checks run, one etcd not-applicable finding with --etcd-servers as evidence', () => {
  const api = (node: string) => mirrorPod(HARDENED, 'kube-apiserver', node, (cmd) => cmd.map((a) => (a.startsWith('--etcd-servers=') ? '--etcd-servers=https://10.0.9.1:2379,https://10.0.9.2:2379' : a)));
  const fs = controlPlaneFindings([api('cp-1'), api('cp-2'), mirrorPod(HARDENED, 'kube-scheduler', 'cp-1')]);
  assert.ok(!fs.some((f) => f.check.startsWith('etcd-') && f.check !== ETCD_VISIBLE_CHECK));
  const e = fs.filter((f) => f.check === ETCD_VISIBLE_CHECK);
  assert.equal(e.length, 1);
  assert.deepEqual([e[0]!.section, e[0]!.status, e[0]!.severity], ['etcd', 'not-applicable', 'info']);
  assert.match(e[0]!.message, /etcd is not visible as a pod in kube-system: it is external .*the API servers reach it at https:\/\/10\.0\.9\.1:2379, https:\/\/10\.0\.9\.2:2379 \(--etcd-servers\)/);
  assert.deepEqual(e[0]!.evidence.map((x) => [x.setting, x.value, x.file]), [
    ['--etcd-servers', 'https://10.0.9.1:2379,https://10.0.9.2:2379', 'pod kube-system/kube-apiserver-cp-1'],
    ['--etcd-servers', 'https://10.0.9.1:2379,https://10.0.9.2:2379', 'pod kube-system/kube-apiserver-cp-2'],
  ]);
  assert.equal(fs.filter((f) => f.check === 'apiserver-authorization-node' && f.status === 'pass').length, 2);
  assert.equal(fs[0]!.section, 'control-plane'); // sections in report order
});

test('the pods could not be listed: one unknown finding naming the missing permission', () => {
  const fs = controlPlaneFindings({ error: 'forbidden (403): User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"' });
  assert.equal(fs.length, 1);
  assert.deepEqual([fs[0]!.check, fs[0]!.status, fs[0]!.section], [VISIBLE_CHECK, 'unknown', 'control-plane']);
  assert.match(fs[0]!.message, /could not be listed \(forbidden \(403\): User "alice"/);
  assert.match(fs[0]!.message, /need permission to `list pods` in the kube-system namespace/);
});

test('two control-plane nodes: findings per node, subjects prefixed with the node', () => {
  const allowAll = (cmd: string[]) => cmd.map((a) => (a.startsWith('--authorization-mode=') ? '--authorization-mode=AlwaysAllow' : a));
  const cp2 = [mirrorPod(HARDENED, 'kube-apiserver', 'cp-2', allowAll), mirrorPod(HARDENED, 'etcd', 'cp-2')];
  const fs = controlPlaneFindings([...cp2, coredns(3), ...controlPlane(HARDENED, 'cp-1')]);
  assert.equal(fs.length, 2 * CONTROL_PLANE_CHECKS.length);
  for (const f of fs) assert.match(f.subject ?? '', /^cp-[12] pod kube-system\/(kube-apiserver|etcd)-cp-[12]$/);
  for (const f of fs) assert.equal(f.subject!.slice(0, 4), f.subject!.slice(-4), `${f.check} ${f.subject}`);
  assert.equal(get(fs, 'apiserver-authorization-not-always-allow', 'cp-1 pod kube-system/kube-apiserver-cp-1').status, 'pass');
  const bad = get(fs, 'apiserver-authorization-not-always-allow', 'cp-2 pod kube-system/kube-apiserver-cp-2');
  assert.equal(bad.status, 'fail');
  assert.match(bad.remediation ?? '', /make the change in that file on cp-2/);
  assert.equal(get(fs, 'apiserver-authorization-node', 'cp-2 pod kube-system/kube-apiserver-cp-2').status, 'fail');
  assert.equal(get(fs, 'etcd-client-cert-auth', 'cp-2 pod kube-system/etcd-cp-2').status, 'pass');
  // cp-1 before cp-2 within each section
  const subjects = fs.filter((f) => f.check === 'apiserver-anonymous-auth').map((f) => f.subject);
  assert.deepEqual(subjects, ['cp-1 pod kube-system/kube-apiserver-cp-1', 'cp-2 pod kube-system/kube-apiserver-cp-2']);
});

test('a control-plane pod that is not a static pod: the fix goes to its owner, not to a manifest', () => {
  const p = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  delete p['metadata'].annotations['kubernetes.io/config.mirror'];
  delete p['metadata'].annotations['kubernetes.io/config.source'];
  p['metadata'].name = 'kube-apiserver-8xk2q';
  p['metadata'].ownerReferences = [{ kind: 'DaemonSet', name: 'kube-apiserver', controller: true }];
  const all = controlPlaneFindings([p]);
  assert.doesNotMatch(get(all, 'apiserver-kubelet-certificate-authority').remediation ?? '', /restarts the static pod/);
  const f = get(all, 'apiserver-node-restriction');
  assert.equal(f.status, 'fail');
  assert.equal(f.subject, 'cp-1 pod kube-system/kube-apiserver-8xk2q');
  assert.doesNotMatch(f.remediation ?? '', /the kubelet restarts the static pod/);
  assert.match(f.remediation ?? '', /the pod must then be recreated\. The pod kube-system\/kube-apiserver-8xk2q is not a static pod: it belongs to DaemonSet\/kube-apiserver in kube-system; make the change in that object's pod template/);
  // from staticPodURL
  const h = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  h['metadata'].annotations['kubernetes.io/config.source'] = 'http';
  assert.match(get(controlPlaneFindings([h]), 'apiserver-node-restriction').remediation ?? '', /fetches from its staticPodURL: make the change in the manifest served there/);
});

test('pods that do not run a control plane here are ignored: other namespaces, unscheduled, finished', () => {
  const other = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  other['metadata'].namespace = 'tenant-a';
  const pending = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  delete pending['spec'].nodeName;
  const failed = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  failed['status'].phase = 'Failed';
  for (const p of [other, pending, failed]) {
    const fs = controlPlaneFindings([p]);
    assert.deepEqual(fs.map((f) => [f.check, f.status]), [[VISIBLE_CHECK, 'not-applicable']]);
  }
});

test('args instead of command; a container found by its label only; credentials in flags are redacted by the decoder', () => {
  const p = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  const c = p['spec'].containers[0];
  c.args = [...c.command.slice(1), '--token-auth-file=/etc/kubernetes/tokens.csv'];
  c.command = ['/usr/local/bin/kube-apiserver'];
  const fs = controlPlaneFindings([p]);
  assert.equal(get(fs, 'apiserver-node-restriction').status, 'fail');
  // no command: the image's entrypoint decides how args are read, so the flags are unknown
  const q = mirrorPod(HARDENED, 'kube-apiserver', 'cp-1');
  delete q['spec'].containers[0].command;
  const u = get(controlPlaneFindings([q]), 'apiserver-anonymous-auth');
  assert.equal(u.status, 'unknown');
  assert.match(u.message, /gives no command/);
  // a password in --etcd-servers never reaches a finding
  const r = mirrorPod(HARDENED, 'kube-apiserver', 'cp-1', (cmd) => cmd.map((a) => (a.startsWith('--etcd-servers=') ? '--etcd-servers=https://root:hunter2@10.0.9.1:2379' : a)));
  const ext = get(controlPlaneFindings([r]), ETCD_VISIBLE_CHECK);
  assert.doesNotMatch(JSON.stringify(ext), /hunter2/);
  assert.match(ext.message, /https:\/\/root:redacted@10\.0\.9\.1:2379/);
});

test('bad input never throws: non-objects, missing specs, odd containers, a pod the decoder refuses, cycles, throwing getters, a huge list', () => {
  const refused = mirrorPod(HARDENED, 'etcd', 'cp-1');
  refused['spec'].volumes = 'not a list';
  const cyclic: Pod = mirrorPod(HARDENED, 'kube-apiserver', 'cp-2');
  cyclic['spec'].containers[0].resources = { self: null };
  cyclic['spec'].containers[0].resources.self = cyclic['spec'].containers[0];
  const garbage: unknown[] = [
    null, undefined, 1, 'pod', [], {}, { spec: null }, { metadata: 5, spec: [] },
    { metadata: { namespace: 'kube-system' }, spec: { nodeName: 'n', containers: 'x' } },
    { spec: { nodeName: 'n', containers: [null, 5, { name: 'c' }, { command: [5] }, { command: 'kube-apiserver' }] } },
    { metadata: { name: 7, labels: { component: 'etcd' } }, spec: { nodeName: 'n', containers: [{ name: 'etcd', command: ['etcd', { x: 1 }] }] } },
    { metadata: { labels: { component: 'kube-apiserver' } }, spec: { nodeName: ['n'], containers: [{ command: ['kube-apiserver'] }] } },
    refused,
    cyclic,
  ];
  const fs = controlPlaneFindings(garbage);
  assert.ok(Array.isArray(fs));
  // the refused etcd pod and the unreadable (cyclic or bad command) pods give unknown, never pass
  const refusedEtcd = fs.filter((x) => x.subject === 'cp-1 pod kube-system/etcd-cp-1');
  assert.equal(refusedEtcd.length, 9);
  for (const f of refusedEtcd) {
    assert.equal(f.status, 'unknown', f.check);
    assert.match(f.message, /^the flags of etcd \(pod kube-system\/etcd-cp-1\) cannot be known: the pod kube-system\/etcd-cp-1 cannot be read: spec\.volumes: expected a list/);
    assert.doesNotMatch(f.message, /certificate files are not read/); // the flags, not the files, are what is missing
  }
  assert.equal(get(fs, 'apiserver-anonymous-auth', 'cp-2 pod kube-system/kube-apiserver-cp-2').status, 'unknown');
  assert.equal(get(fs, 'etcd-client-cert-auth', 'n pod kube-system/(unnamed)').status, 'unknown');

  const throwing = mirrorPod(HARDENED, 'kube-apiserver', 'cp-1');
  Object.defineProperty(throwing['spec'], 'containers', { get: () => { throw new Error('boom'); } });
  const t = controlPlaneFindings([throwing]);
  assert.deepEqual(t.map((f) => f.status), ['unknown']);
  assert.match(t[0]!.message, /boom/);

  assert.equal(controlPlaneFindings({} as { error: string })[0]!.status, 'unknown');
  assert.equal(controlPlaneFindings(null as unknown as unknown[])[0]!.status, 'unknown');

  const started = Date.now();
  const huge = new Array<unknown>(MAX_PODS + 5);
  huge[0] = mirrorPod(HARDENED, 'kube-apiserver', 'cp-1');
  const h = controlPlaneFindings(huge);
  assert.ok(Date.now() - started < 5000);
  assert.match(get(h, VISIBLE_CHECK).message, /only the first 200000 were looked at/);
  assert.equal(get(h, 'apiserver-anonymous-auth').status, 'pass');
});

test('a control-plane pod is found whatever the number of containers before its component (no silent cut at 100)', async () => {
  const { isControlPlaneCandidate } = await import('./control-plane.ts');
  const p = mirrorPod(INSECURE, 'kube-apiserver', 'cp-1');
  delete p['metadata'].labels;
  const sidecars = Array.from({ length: 150 }, (_, i) => ({ name: `s${i}`, image: 'x', command: ['/bin/sleep'] }));
  p['spec'].containers = [...sidecars, ...p['spec'].containers];
  assert.equal(isControlPlaneCandidate(p), true);
  const f = controlPlaneFindings([p]).find((x) => x.check === 'apiserver-authorization-not-always-allow');
  assert.equal(f?.status, 'fail');
});

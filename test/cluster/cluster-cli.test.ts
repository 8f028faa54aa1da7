// `kubelet-guard cluster` end to end, through the CLI, against the API-server simulator (loopback):
// per-node configz read through the node proxy, its failure modes as unknown findings with the
// reason, the anonymous nodes failing, RBAC/workload/namespace findings, and exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.ts';
import { startApiServerSim, type ApiServerSim, type ConfigzMode } from './apiserver-sim.ts';
import { runCli, runCliOn } from '../run-cli.ts';

const NODES = 20;
const ANON = new Set([2, 5, 11]);
const MODES: Record<number, ConfigzMode> = { 3: 'forbidden', 7: 'garbage', 13: 'hang', 17: 'unavailable' };
const name = (i: number) => `node-${String(i).padStart(5, '0')}`;

let sim: ApiServerSim;
before(async () => {
  sim = await startApiServerSim({
    nodes: NODES, podsPerNode: 10, bindings: 40, namespaces: 5, kubeletVersion: 'v1.31.4',
    configz: (i) => MODES[i] ?? 'ok', anonymousOn: (i) => ANON.has(i),
  });
});
after(async () => {
  await sim?.close();
});

const run = (...args: string[]) => runCli('cluster', ...args);

interface F { check: string; status: string; severity: string; subject?: string; message: string; evidence: { note?: string }[] }
interface N { name: string; version?: string; configz: string }

test('20 nodes: counts, failure modes as unknown with the reason, anonymous nodes fail, RBAC and workloads reported', async () => {
  const started = Date.now();
  const r = await run('--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--timeout', '500', '--concurrency', '8');
  assert.equal(r.code, 1, r.err);
  assert.ok(Date.now() - started < 15_000, 'the hanging node must not hold up the run');
  const rep = JSON.parse(r.out) as { tool: { name: string }; cluster: { server: string; nodes: number }; nodes: N[]; findings: F[]; summary: { fail: number; unknown: number } };
  assert.equal(rep.tool.name, 'kubelet-guard');
  assert.equal(rep.cluster.server, sim.url);
  assert.equal(rep.cluster.nodes, NODES);
  assert.equal(rep.nodes.length, NODES);
  assert.ok(rep.nodes.every((n) => n.version === 'v1.31.4'));
  assert.equal(rep.nodes.filter((n) => n.configz === 'ok').length, NODES - Object.keys(MODES).length);

  const node = (i: number) => rep.nodes.find((n) => n.name === name(i));
  assert.match(node(3)?.configz ?? '', /get nodes\/proxy/);
  assert.match(node(7)?.configz ?? '', /./);
  assert.notEqual(node(7)?.configz, 'ok');
  assert.match(node(13)?.configz ?? '', /timeout/);
  assert.match(node(17)?.configz ?? '', /503/);

  // the unreadable nodes: exactly one unknown finding each, with the reason, and never a pass
  for (const i of Object.keys(MODES).map(Number)) {
    const own = rep.findings.filter((f) => f.subject === name(i) || f.subject?.startsWith(`${name(i)} `));
    assert.equal(own.length, 1, `${name(i)}: ${JSON.stringify(own)}`);
    assert.equal(own[0]?.status, 'unknown');
    assert.ok(own[0]?.message.includes(node(i)?.configz ?? '\u0000'));
  }
  assert.match(rep.findings.find((f) => f.subject === name(3))?.message ?? '', /get nodes\/proxy/);

  // anonymous auth: exactly the three nodes fail
  const anon = rep.findings.filter((f) => f.check === 'kubelet-anonymous-auth');
  assert.deepEqual(anon.filter((f) => f.status === 'fail').map((f) => f.subject?.split(' ')[0]).sort(), [...ANON].map(name).sort());
  assert.equal(anon.filter((f) => f.status === 'pass').length, NODES - ANON.size - Object.keys(MODES).length);
  assert.ok(rep.findings.some((f) => f.check === 'kubelet-authorization-mode' && f.status === 'fail' && f.subject?.startsWith(name(2))));

  // RBAC: the simulator binds cluster-admin, system:kubelet-api-admin and node-proxy-reader
  const rbac = rep.findings.filter((f) => f.check === 'rbac-kubelet-access' && f.status === 'fail');
  assert.ok(rbac.length > 0);
  for (const role of ['cluster-admin', 'system:kubelet-api-admin', 'node-proxy-reader']) {
    assert.ok(rbac.some((f) => f.evidence.some((e) => e.note?.includes(`ClusterRole/${role}`))), `a grant through ${role}`);
  }
  assert.ok(rbac.some((f) => f.subject === 'User/user-1@example.com'), JSON.stringify(rbac.map((f) => f.subject)));
  assert.ok(rep.findings.some((f) => f.check === 'rbac-escalation' && f.status === 'fail'));
  assert.ok(rep.findings.some((f) => f.check === 'workload-bypass' && f.status === 'fail'));
  assert.ok(rep.findings.some((f) => f.check === 'namespace-pod-security' && f.status === 'fail'));
  assert.equal(rep.summary.unknown, rep.findings.filter((f) => f.status === 'unknown').length);

  // hidden static pods: the simulator's /proxy/pods answers exactly the API server's pods of the node
  // (no static pods, no mirrors), so nothing is hidden: no false positive, and every readable node's
  // list was read and compared (no unknown): one pass each, its title true; the unreadable nodes were not
  // asked (one finding each, above)
  const hidden = rep.findings.filter((f) => f.check === 'hidden-static-pods');
  assert.ok(hidden.every((f) => f.status === 'pass'), JSON.stringify(hidden.filter((f) => f.status !== 'pass')));
  assert.equal(hidden.length, NODES - Object.keys(MODES).length);

  // JSON keeps one finding per node (the table groups them); the debugging handlers, on everywhere,
  // fail only where anonymous auth + AlwaysAllow let the wrong callers in, and are info elsewhere
  const dbg = rep.findings.filter((f) => f.check === 'kubelet-debugging-handlers');
  assert.deepEqual(dbg.filter((f) => f.status === 'fail').map((f) => f.subject?.split(' ')[0]).sort(), [...ANON].map(name).sort());
  assert.equal(dbg.filter((f) => f.status === 'pass' && f.severity === 'info').length, NODES - Object.keys(MODES).length - ANON.size);
  // the Nodes say operatingSystem linux: Windows-only CVEs are not listed; the gitRepo ones are unknown, not fail
  const cve = rep.findings.filter((f) => f.check === 'cve-known-kubelet-vulnerabilities');
  assert.ok(cve.length > 0);
  assert.ok(!cve.some((f) => /CVE-2024-9042|CVE-2023-3676|CVE-2024-5321/.test(f.subject ?? '')), JSON.stringify(cve.map((f) => f.subject)));
  assert.ok(!cve.some((f) => /CVE-2025-1767|CVE-2024-10220/.test(f.subject ?? '') && f.status === 'fail'));
});

test('table: per-node lines and the cluster summary', async () => {
  // a terminal wide enough that no row is wrapped (the rows are matched whole below)
  const r = await runCliOn({ columns: 400 }, 'cluster', '--kubeconfig', sim.kubeconfigPath, '--timeout', '1500', '--no-color', '--fail-on', 'none');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /anonymous auth on: 3 of 20 nodes/);
  assert.match(r.out, /AlwaysAllow authorization: 3 of 20 nodes/);
  assert.match(r.out, /read-only port open: 0 of 20 nodes/);
  assert.match(r.out, /configuration read: 16 of 20 nodes/);
  assert.match(r.out, new RegExp(`${name(3)} .*unknown: forbidden`));
  assert.match(r.out, /fix:/);
  assert.match(r.out, /Summary: 20 nodes, \d+ failed/);
  assert.match(r.out, /static pods hidden from the API server: 0/);

  // findings identical but for the node are one line listing the nodes
  const anonLines = r.out.split('\n').filter((l) => l.includes('(kubelet-anonymous-auth)'));
  assert.deepEqual(anonLines.length, 1, anonLines.join('\n'));
  assert.match(anonLines[0] ?? '', new RegExp(`\\[3 nodes: ${[...ANON].map(name).join(', ')}\\]`));
  const read = [...Array(NODES).keys()].filter((i) => !(i in MODES)).map(name);
  const cipherLines = r.out.split('\n').filter((l) => l.includes('(kubelet-tls-cipher-suites)'));
  assert.equal(cipherLines.length, 1, cipherLines.join('\n'));
  assert.ok(cipherLines[0]?.includes(`[${read.length} nodes: ${read.slice(0, 5).join(', ')}, … +${read.length - 5}]`), cipherLines[0]);
  // the debugging handlers fail only on the anonymous + AlwaysAllow nodes
  const debugLines = r.out.split('\n').filter((l) => l.includes('(kubelet-debugging-handlers)') && l.includes('FAIL'));
  assert.equal(debugLines.length, 1, debugLines.join('\n'));
  assert.ok(debugLines[0]?.includes(`[3 nodes: ${[...ANON].map(name).join(', ')}]`), debugLines[0]);
  // the grouped message no longer names one node
  const msg = r.out.split('\n')[r.out.split('\n').indexOf(anonLines[0] ?? '') + 1] ?? '';
  assert.ok(!/node-\d{5}/.test(msg), msg);
  // a finding on a single node keeps its subject
  assert.match(r.out, new RegExp(`\\[${name(3)}\\] \\(node-configz\\)`));
});

test('a bad kubeconfig path exits 2 with a clear message', async () => {
  const r = await run('--kubeconfig', '/nonexistent/kubeconfig.yaml', '--format', 'json');
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /kubelet-guard cluster: cannot use the kubeconfig \/nonexistent\/kubeconfig\.yaml: .*(ENOENT|no such file)/);
});

test('a bad --concurrency is a usage error', async () => {
  const r = await run('--kubeconfig', sim.kubeconfigPath, '--concurrency', '0');
  assert.equal(r.code, 2);
  assert.match(r.err, /--concurrency 0/);
});

test('a bad --deadline is a usage error; milliseconds and Go durations are both read', async () => {
  for (const bad of ['0', 'soon', '-5m', '10x', '200h']) {
    const r = await run('--kubeconfig', sim.kubeconfigPath, '--deadline', bad);
    assert.equal(r.code, 2, bad);
    assert.match(r.err, /--deadline .*: expected milliseconds or a duration such as 10m or 90s/);
  }
  for (const ok of ['90000', '1m30s']) {
    const r = await run('--kubeconfig', sim.kubeconfigPath, '--deadline', ok, '--timeout', '1000', '--format', 'json', '--fail-on', 'none');
    assert.equal(r.code, 0, `${ok}: ${r.err}`);
  }
});

test('the installed bin (the bundle) runs cluster too: the client library keeps what it needs', async () => {
  const { startApiServerSim } = await import('./apiserver-sim.ts');
  const { execFile } = await import('node:child_process');
  const sim = await startApiServerSim({ nodes: 3, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  try {
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ['bin/kubelet-guard.js', 'cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 60_000 }, (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }));
    });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).cluster.nodes, 3);
  } finally {
    await sim.close();
  }
});

test('lists the identity may not read are unknown findings naming the permission, never a pass', async () => {
  const RBAC = '/apis/rbac.authorization.k8s.io/v1';
  const s = await startApiServerSim({
    nodes: 3, podsPerNode: 2, bindings: 4, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok',
    forbidden: ['/api/v1/pods', '/api/v1/namespaces', `${RBAC}/clusterrolebindings`],
  });
  try {
    const r = await run('--kubeconfig', s.kubeconfigPath, '--format', 'json', '--fail-on', 'none');
    // nothing failed, but three lists were not read: incomplete (3), as a list cut at a bound is
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /^kubelet-guard cluster: incomplete: lists that could not be read: \/api\/v1\/namespaces \(forbidden\), \/api\/v1\/pods \(forbidden\), .*clusterrolebindings \(forbidden\)/);
    const rep = JSON.parse(r.out) as { findings: F[]; summary: { unknown: number } };
    const unknown = (check: string) => rep.findings.filter((f) => f.check === check && f.status === 'unknown');
    assert.match(unknown('workload-bypass')[0]?.message ?? '', /forbidden: the identity lacks `list pods`/);
    assert.match(unknown('namespace-pod-security')[0]?.message ?? '', /`list namespaces`/);
    assert.match(unknown('rbac-kubelet-access')[0]?.message ?? '', /`list clusterrolebindings\.rbac\.authorization\.k8s\.io`/);
    // no RBAC verdicts from a partial picture, and every node says its static pods were not compared
    assert.deepEqual(rep.findings.filter((f) => f.check.startsWith('rbac-') && f.status !== 'unknown'), []);
    assert.equal(unknown('hidden-static-pods').length, 3);
    assert.match(unknown('hidden-static-pods')[0]?.message ?? '', /could not read the API server's pods/);
    // the nodes themselves were still audited
    assert.ok(rep.findings.some((f) => f.check === 'kubelet-anonymous-auth' && f.status === 'pass'));
  } finally {
    await s.close();
  }
  const n = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok', forbidden: ['/api/v1/nodes'] });
  try {
    const r = await run('--kubeconfig', n.kubeconfigPath, '--format', 'json');
    const rep = JSON.parse(r.out) as { cluster: { nodes: number }; findings: F[] };
    assert.equal(rep.cluster.nodes, 0);
    assert.match(rep.findings.find((f) => f.check === 'cluster-nodes')?.message ?? '', /`list nodes`/);
  } finally {
    await n.close();
  }
});

test('hidden static pods and RBAC objects of unusual but valid shapes, end to end', async () => {
  const RBAC = '/apis/rbac.authorization.k8s.io/v1';
  const rbacRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  const staticPod = (name: string, ns: string, hash: string, extra: object = {}) => ({
    metadata: { name, namespace: ns, uid: hash, annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': hash } },
    spec: { nodeName: name.slice(name.lastIndexOf('node-')), containers: [{ name: 'c', image: 'x' }], ...extra },
  });
  const s = await startApiServerSim({
    nodes: 3, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok',
    kubeletPods: (i) => i !== 1 ? [] : [
      // hidden: a look-alike namespace the API server refuses, mounting the node's root
      staticPod('backdoor-node-00001', 'kube-systen', 'h-1', { volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'root', mountPath: '/host' }] }] }),
      // shown: its mirror pod is in the API server's list
      staticPod('etcd-node-00001', 'kube-system', 'h-2'),
    ],
    extra: {
      '/api/v1/pods': [{ metadata: { name: 'etcd-node-00001', namespace: 'kube-system', uid: 'mirror-uid', annotations: { 'kubernetes.io/config.mirror': 'h-2', 'kubernetes.io/config.source': 'file' } },
        spec: { nodeName: 'node-00001', containers: [{ name: 'etcd', image: 'etcd' }] } }],
      [`${RBAC}/clusterroles`]: [
        { metadata: { name: 'proxy-parts', labels: { 'example.com/aggregate-to-ops': 'true' } }, rules: [{ apiGroups: ['*'], resources: ['*/proxy'], verbs: ['get'] }] },
        { metadata: { name: 'ops' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] }, rules: null },
        { metadata: { name: 'wildcard-nodes' }, rules: [{ apiGroups: [''], resources: ['nodes/*'], verbs: ['get'] }] },
        { metadata: { name: 'one-node-logs' }, rules: [{ apiGroups: [''], resources: ['nodes/log'], verbs: ['get'], resourceNames: ['node-00002'] }] },
      ],
      [`${RBAC}/clusterrolebindings`]: [
        { metadata: { name: 'ops' }, roleRef: rbacRef('ClusterRole', 'ops'), subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops-team' }] },
        { metadata: { name: 'wildcard' }, roleRef: rbacRef('ClusterRole', 'wildcard-nodes'), subjects: [{ kind: 'User', name: 'hopeful' }] },
        { metadata: { name: 'logs' }, roleRef: rbacRef('ClusterRole', 'one-node-logs'), subjects: [{ kind: 'ServiceAccount', name: 'shipper', namespace: 'default' }] },
        { metadata: { name: 'everyone' }, roleRef: rbacRef('ClusterRole', 'node-proxy-reader'), subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
        { metadata: { name: 'gone' }, roleRef: rbacRef('ClusterRole', 'deleted-role'), subjects: [{ kind: 'User', name: 'later' }] },
        { metadata: { name: 'nobody' }, roleRef: rbacRef('ClusterRole', 'view'), subjects: null },
      ],
      [`${RBAC}/roles`]: [
        { metadata: { name: 'token-minter', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['shipper'] }] },
      ],
      [`${RBAC}/rolebindings`]: [
        { metadata: { name: 'ns-proxy', namespace: 'default' }, roleRef: rbacRef('ClusterRole', 'node-proxy-reader'), subjects: [{ kind: 'User', name: 'namespaced' }] },
        // a ServiceAccount subject without namespace: the binding's own (rule.go)
        { metadata: { name: 'mint-shipper', namespace: 'default' }, roleRef: rbacRef('Role', 'token-minter'), subjects: [{ kind: 'ServiceAccount', name: 'ci' }] },
      ],
    },
  });
  try {
    const r = await run('--kubeconfig', s.kubeconfigPath, '--format', 'json');
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as { findings: F[] };
    const fails = (check: string) => rep.findings.filter((f) => f.check === check && f.status === 'fail');

    // the node's static pods as the API server shows them: the mirrored one only
    assert.deepEqual((JSON.parse(r.out) as { nodes: { name: string; staticPods?: string[] }[] }).nodes.find((n) => n.name === 'node-00001')?.staticPods, ['kube-system/etcd-node-00001']);
    const hidden = fails('hidden-static-pods');
    assert.deepEqual(hidden.map((f) => f.subject), ['node-00001/kube-systen/backdoor-node-00001']);
    assert.equal(hidden[0]?.severity, 'critical');
    assert.match(hidden[0]?.message ?? '', /looks like kube-system/);

    const access = fails('rbac-kubelet-access');
    const of = (subject: string) => access.find((f) => f.subject === subject);
    assert.equal(of('Group/ops-team')?.severity, 'critical', 'get on */proxy through an aggregated role is exec');
    assert.match(of('Group/ops-team')?.evidence[0]?.note ?? '', /aggregated from proxy-parts/);
    assert.equal(of('Group/system:authenticated')?.severity, 'critical');
    assert.match(of('ServiceAccount/default/shipper')?.message ?? '', /only node-00002/);
    assert.equal(of('User/hopeful'), undefined, 'nodes/* is no wildcard');
    assert.equal(of('User/namespaced'), undefined, 'a RoleBinding grants no nodes');
    assert.ok(fails('rbac-ineffective-rule').some((f) => /nodes\/\*/.test(f.message)));
    assert.ok(fails('rbac-ineffective-rule').some((f) => f.subject === 'RoleBinding/default/ns-proxy'));
    assert.match(fails('rbac-dangling-binding').find((f) => f.subject === 'ClusterRoleBinding/gone')?.message ?? '', /deleted-role does not exist/);
    // a namespaced TokenRequest grant for a ServiceAccount that reads node logs
    const mint = fails('rbac-escalation').find((f) => f.subject === 'ServiceAccount/default/ci');
    assert.equal(mint?.severity, 'high');
    assert.match(mint?.message ?? '', /^ServiceAccount\/default\/ci may create serviceaccounts\/token \(only shipper\) in namespace default: .*: ServiceAccount default\/shipper can get nodes\/log \(reads node logs on nodes node-00002 only\)/);
    assert.match(mint?.evidence[0]?.note ?? '', /^RoleBinding\/default\/mint-shipper → Role\/default\/token-minter/);
  } finally {
    await s.close();
  }
});

test('a progress line is drawn on a terminal only, and cleared', async () => {
  const s = await startApiServerSim({ nodes: 4, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  try {
    const out = new PassThrough();
    const err = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let e = '';
    err.on('data', (d) => (e += d));
    out.resume();
    await main(['node', 'kubelet-guard', 'cluster', '--kubeconfig', s.kubeconfigPath, '--format', 'json', '--fail-on', 'none'], { out, err });
    assert.match(e, /cluster: nodes 1\/4/);
    assert.ok(e.endsWith('\r\x1b[2K'), JSON.stringify(e.slice(-20)));
    const quiet = Object.assign(new PassThrough(), { isTTY: true });
    let q = '';
    quiet.on('data', (d) => (q += d));
    await main(['node', 'kubelet-guard', 'cluster', '--kubeconfig', s.kubeconfigPath, '--format', 'json', '--no-progress', '--fail-on', 'none'], { out, err: quiet });
    assert.equal(q, '');
  } finally {
    await s.close();
  }
});

test("kubeadm's control-plane pods in kube-system go through the API-server and etcd flag checks; without them, not-applicable", async () => {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  const mirror = (component: string, node: string) => {
    const p = parse(readFileSync(`examples/nodes/kubeadm-control-plane-insecure/etc/kubernetes/manifests/${component}.yaml`, 'utf8')) as
      { metadata: Record<string, unknown>; spec: Record<string, unknown>; apiVersion?: string; kind?: string };
    delete p.apiVersion;
    delete p.kind;
    p.metadata = { ...p.metadata, name: `${component}-${node}`, uid: `uid-${component}`,
      annotations: { 'kubernetes.io/config.mirror': `h-${component}`, 'kubernetes.io/config.hash': `h-${component}`, 'kubernetes.io/config.source': 'file' } };
    p.spec.nodeName = node;
    return p;
  };
  const s = await startApiServerSim({
    nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok',
    extra: { '/api/v1/pods': ['kube-apiserver', 'etcd'].map((c) => mirror(c, 'node-00000')) },
  });
  try {
    const r = await run('--kubeconfig', s.kubeconfigPath, '--format', 'json');
    const rep = JSON.parse(r.out) as { findings: F[] };
    const on = (check: string) => rep.findings.find((f) => f.check === check);
    assert.equal(on('apiserver-authorization-not-always-allow')?.status, 'fail');
    assert.match(on('apiserver-authorization-not-always-allow')?.subject ?? '', /^node-00000 pod kube-system\/kube-apiserver-node-00000/);
    assert.equal(on('apiserver-node-restriction')?.status, 'fail');
    assert.equal(on('etcd-client-cert-auth')?.status, 'fail');
    assert.equal(on('control-plane-visible'), undefined);
    // the fix goes to the manifest on the node, not to the read-only mirror pod
    assert.match((rep.findings.find((f) => f.check === 'apiserver-node-restriction') as F & { remediation?: string })?.remediation ?? '', /mirror pod, a read-only copy .* on node-00000/);
    const table = await run('--kubeconfig', s.kubeconfigPath, '--no-color');
    assert.match(table.out, /\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml/);
  } finally {
    await s.close();
  }
  const managed = await startApiServerSim({ nodes: 1, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  try {
    const r = await run('--kubeconfig', managed.kubeconfigPath, '--format', 'json');
    const f = (JSON.parse(r.out) as { findings: F[] }).findings.find((x) => x.check === 'control-plane-visible');
    assert.equal(f?.status, 'not-applicable');
    assert.match(f?.message ?? '', /managed cluster/);
    assert.ok(!(JSON.parse(r.out) as { findings: F[] }).findings.some((x) => x.check.startsWith('apiserver-') || x.check.startsWith('etcd-')));
  } finally {
    await managed.close();
  }
});

test('examples/cluster/auditor-rbac.yaml grants every request the audit makes, and kubelet-guard reports its nodes/proxy rule', async () => {
  const { readFileSync } = await import('node:fs');
  const { parseAllDocuments } = await import('yaml');
  const { analyzeRbac } = await import('../../src/cluster/rbac.ts');
  const docs = parseAllDocuments(readFileSync('examples/cluster/auditor-rbac.yaml', 'utf8')).map((d) => d.toJS() as { kind: string; rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] });
  const role = docs.find((d) => d.kind === 'ClusterRole');
  const allows = (verb: string, group: string, resource: string) => (role?.rules ?? []).some((r) => r.verbs.includes(verb) && r.apiGroups.includes(group) && r.resources.includes(resource));
  const s = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  try {
    await run('--kubeconfig', s.kubeconfigPath, '--format', 'json');
    // every kind of request was made (else the loop below would prove nothing)
    assert.deepEqual(s.paths().filter((p) => p.includes('<node>')), ['/api/v1/nodes/<node>/proxy/configz', '/api/v1/nodes/<node>/proxy/pods']);
    assert.equal(s.paths().length, 9, s.paths().join(' '));
    for (const p of s.paths()) {
      const proxy = /^\/api\/v1\/nodes\/<node>\/proxy\//.test(p);
      const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/([a-z]+)$/.exec(p);
      assert.ok(proxy ? allows('get', '', 'nodes/proxy') : m && allows('list', m[1] ?? '', m[2] ?? ''), `${p} is not granted by the example role`);
    }
  } finally {
    await s.close();
  }
  const a = analyzeRbac({ clusterRoles: docs.filter((d) => d.kind === 'ClusterRole') as never, roles: [], clusterRoleBindings: docs.filter((d) => d.kind === 'ClusterRoleBinding') as never, roleBindings: [] });
  assert.ok(a.kubelet.some((g) => g.subject.name === 'kubelet-guard' && g.subresource === 'proxy' && g.severity === 'critical'));
});

test('credentials in a live configuration (staticPodURL, staticPodURLHeader) never reach any output', async () => {
  const s = await startApiServerSim({
    nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok',
    configzFields: () => ({ staticPodURL: 'https://deploy:hunter2@pods.example/manifests?token=s3cr3t', staticPodURLHeader: { Authorization: ['Bearer abcdef123456'] } }),
  });
  try {
    for (const format of ['json', 'table']) {
      const r = await run('--kubeconfig', s.kubeconfigPath, '--format', format, '--no-color');
      assert.match(r.out, /pods\.example/, 'the URL itself is reported');
      for (const secret of ['hunter2', 's3cr3t', 'abcdef123456']) assert.ok(!r.out.includes(secret) && !r.err.includes(secret), `${format} leaks ${secret}`);
    }
  } finally {
    await s.close();
  }
});

test("the pods of one controller with the same host access are one finding naming them; a lone pod keeps its own", async () => {
  const csi = (i: number) => ({
    metadata: { name: `csi-node-${i}`, namespace: 'kube-system', ownerReferences: [{ kind: 'DaemonSet', name: 'csi-node', controller: true }] },
    spec: { nodeName: `node-0000${i}`, containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'k', mountPath: '/var/lib/kubelet' }] }], volumes: [{ name: 'k', hostPath: { path: '/var/lib/kubelet' } }] },
  });
  const lone = { metadata: { name: 'debug', namespace: 'default' }, spec: { nodeName: 'node-00000', containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'd', mountPath: '/s' }] }], volumes: [{ name: 'd', hostPath: { path: '/run/containerd/containerd.sock' } }] } };
  const s = await startApiServerSim({ nodes: 3, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok', extra: { '/api/v1/pods': [csi(0), csi(1), csi(2), lone] } });
  try {
    const rep = JSON.parse((await run('--kubeconfig', s.kubeconfigPath, '--format', 'json')).out) as { findings: F[] };
    const bypass = rep.findings.filter((f) => f.check === 'workload-bypass' && /csi-node|debug/.test(f.subject ?? ''));
    assert.deepEqual(bypass.map((f) => f.subject).sort(), ['default/debug', 'kube-system/DaemonSet/csi-node']);
    const ds = bypass.find((f) => f.subject === 'kube-system/DaemonSet/csi-node');
    assert.match(ds?.message ?? '', /^DaemonSet\/csi-node in kube-system: 3 pods \(kube-system\/csi-node-0 on node-00000, kube-system\/csi-node-1 on node-00001, kube-system\/csi-node-2 on node-00002\): kubelet-dir: /);
    assert.equal(bypass.find((f) => f.subject === 'default/debug')?.severity, 'critical');
  } finally {
    await s.close();
  }
});

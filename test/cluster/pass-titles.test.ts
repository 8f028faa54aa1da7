// A check's title is a claim: in a cluster where it holds, every RBAC and workloads check of
// `kubelet-guard cluster` reports a pass under its title, and the objects served make that title true
// (checked here against what the simulator serves). A typo in a Pod Security label is its own finding
// (enforced as restricted), never a baseline gap.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';
import { runCli } from '../run-cli.ts';
import { CLUSTER_FINDINGS } from '../../src/cluster/findings.ts';

const PSA = 'pod-security.kubernetes.io/enforce';
interface F { check: string; title: string; status: string; severity: string; subject?: string; message: string }

let clean: ApiServerSim;
let typo: ApiServerSim;
before(async () => {
  const base = { nodes: 2, podsPerNode: 0, bindings: 0, namespaces: 3, kubeletVersion: 'v1.31.4', configz: () => 'ok' as const };
  clean = await startApiServerSim({
    ...base,
    namespaceLabels: (k) => ({ [PSA]: k === 0 ? 'restricted' : 'baseline' }),
    // a harmless host path (the node's logs), on a node whose runtime socket is elsewhere
    extra: { '/api/v1/pods': [{ metadata: { name: 'logs', namespace: 'ns-2' }, spec: { nodeName: 'node-00000', containers: [{ name: 'c', volumeMounts: [{ name: 'l', mountPath: '/l', readOnly: true }] }], volumes: [{ name: 'l', hostPath: { path: '/var/log' } }] } }] },
  });
  typo = await startApiServerSim({ ...base, namespaceLabels: (k) => ({ [PSA]: k === 2 ? 'basline' : 'baseline' }) });
});
after(async () => {
  await clean?.close();
  await typo?.close();
});

const audit = async (sim: ApiServerSim) => (JSON.parse((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--timeout', '2000')).out) as { findings: F[] }).findings;

test('a clean cluster: each RBAC and workloads check passes under its own title, and no finding of it fails', async () => {
  const fs = await audit(clean);
  const ids = Object.entries(CLUSTER_FINDINGS).filter(([, m]) => m.section === 'rbac' || m.section === 'workloads').map(([id]) => id);
  assert.ok(ids.length >= 8);
  for (const id of ids) {
    const own = fs.filter((f) => f.check === id);
    assert.ok(own.some((f) => f.status === 'pass'), `${id}: ${JSON.stringify(own)}`);
    assert.deepEqual(own.filter((f) => f.status !== 'pass'), [], id);
    assert.ok(own.every((f) => f.title === CLUSTER_FINDINGS[id as keyof typeof CLUSTER_FINDINGS].title));
  }
  // the claims, against what was served: system:masters passes as expected (always allowed, not a failure)
  assert.ok(fs.some((f) => f.check === 'rbac-kubelet-access' && f.status === 'pass' && f.subject === 'Group/system:masters'));
  // the /var/log pod is no bypass on node-00000, and each node's (empty) static pods were compared
  assert.deepEqual(fs.filter((f) => f.check === 'hidden-static-pods').map((f) => `${f.subject} ${f.status}`).sort(), ['node-00000 pass', 'node-00001 pass']);
});

test('an enforce label with a typo: namespace-pod-security passes (enforced as restricted), the label fails as what it is', async () => {
  const fs = await audit(typo);
  const gap = fs.filter((f) => f.check === 'namespace-pod-security');
  assert.deepEqual(gap.map((f) => f.status), ['pass']);
  const label = fs.filter((f) => f.check === 'namespace-pod-security-label');
  assert.deepEqual(label.map((f) => `${f.subject} ${f.status} ${f.severity}`), [`ns-2 ${PSA} fail low`]);
  assert.match(label[0]!.message, /"basline", which is not privileged, baseline or restricted: Pod Security admission enforces restricted there/);
  // and no RBAC pod-creation path counts ns-2 as lacking baseline
  assert.ok(!fs.some((f) => f.check === 'rbac-pod-create-bypass' && f.status === 'fail'));
});

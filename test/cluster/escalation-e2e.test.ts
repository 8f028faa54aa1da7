// RBAC escalation end to end: RBAC objects served by the API-server simulator (loopback, TLS), read by
// `kubelet-guard cluster`, judged as whole combinations — impersonate groups alone is no path (a
// note), impersonate users and group system:masters together is critical, and a bind without create
// on clusterrolebindings is none while the pair is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';
import { runCli } from '../run-cli.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const G = 'rbac.authorization.k8s.io';
const role = (name: string, rules: object[]) => ({ metadata: { name }, rules });
const binding = (name: string, roleName: string, user: string) => ({ metadata: { name }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName }, subjects: [{ kind: 'User', apiGroup: G, name: user }] });

let sim: ApiServerSim;
before(async () => {
  sim = await startApiServerSim({
    nodes: 2, podsPerNode: 1, bindings: 0, namespaces: 2, kubeletVersion: 'v1.31.4', configz: () => 'ok',
    extra: {
      [`${RBAC}/clusterroles`]: [
        role('imp-groups', [{ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] }]),
        role('imp-users', [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['nobody'] }]),
        role('binder', [{ apiGroups: [G], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['node-proxy-reader'] }]),
        role('crb-writer', [{ apiGroups: [G], resources: ['clusterrolebindings'], verbs: ['create'] }]),
      ],
      [`${RBAC}/clusterrolebindings`]: [
        binding('groups-only', 'imp-groups', 'gina'),
        binding('groups', 'imp-groups', 'ursula'),
        binding('users', 'imp-users', 'ursula'),
        binding('bind-only', 'binder', 'bert'),
        binding('bind', 'binder', 'carl'),
        binding('write', 'crb-writer', 'carl'),
      ],
    },
  });
});
after(async () => {
  await sim?.close();
});

interface F { check: string; status: string; severity: string; subject?: string; message: string; evidence: { note?: string }[] }

test('through the API server: only whole combinations are escalation paths, and each names its parts', async () => {
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--timeout', '2000');
  const rep = JSON.parse(r.out) as { findings: F[] };
  const esc = (user: string) => rep.findings.filter((f) => f.check === 'rbac-escalation' && f.status === 'fail' && f.subject === `User/${user}`);
  // impersonate groups without a user: no path, an info note on its binding
  assert.deepEqual(esc('gina'), []);
  assert.ok(rep.findings.some((f) => f.check === 'rbac-ineffective-rule' && f.subject === 'ClusterRoleBinding/groups-only' && /Impersonate-Group without Impersonate-User/.test(f.message)));
  // impersonate users (only "nobody") + groups: system:masters, critical, both bindings as evidence
  const u = esc('ursula');
  assert.equal(u.length, 1, JSON.stringify(u));
  assert.equal(u[0]!.severity, 'critical');
  assert.match(u[0]!.message, /impersonate group system:masters \(impersonate groups\) together with a user \(impersonate users \(only nobody\)\)/);
  assert.deepEqual(u[0]!.evidence.filter((e) => e.note?.startsWith('ClusterRoleBinding/')).map((e) => e.note!.split(' ')[0]).sort(), ['ClusterRoleBinding/groups', 'ClusterRoleBinding/users']);
  // bind node-proxy-reader without create clusterrolebindings: nothing; with it: critical, naming the role
  assert.deepEqual(esc('bert'), []);
  const c = esc('carl');
  assert.equal(c.length, 1, JSON.stringify(c));
  assert.equal(c[0]!.severity, 'critical');
  assert.match(c[0]!.message, /ClusterRole node-proxy-reader grants get nodes\/proxy/);
});

// Connecting like kubectl, against the API-server simulator over real HTTPS: --context, a client
// certificate, an exec credential plugin (a real process) whose expired token is refreshed after a
// 401, and the in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/cluster/fetch.ts';
import { runCli } from '../run-cli.ts';
import { nodesVia } from './count-nodes.ts';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';

let sim: ApiServerSim;
let dir: string;
before(async () => {
  sim = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  dir = mkdtempSync(join(tmpdir(), 'kg-connect-'));
});
after(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('--context picks the user: a client certificate works, a bad token is a 401 reported per list', async () => {
  assert.equal(await nodesVia({ kubeconfig: sim.kubeconfigPath, context: 'sim-cert' }), 2);
  await assert.rejects(nodesVia({ kubeconfig: sim.kubeconfigPath, context: 'sim-bad-token' }), /401/);
  await assert.rejects(connect({ kubeconfig: sim.kubeconfigPath, context: 'nope' }), /context "nope" not found in the kubeconfig \(have: sim, sim-bad-token, sim-cert\)/);

  const { code, out: o, err: e } = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--context', 'sim-bad-token', '--format', 'json');
  // no node could be listed: nothing was audited, so never 0 (issue 10); the first line says why
  assert.equal(code, 3);
  assert.match(e.split('\n')[0]!, /^kubelet-guard cluster: incomplete: the API server \S+ could not list the nodes: .*401/);
  const rep = JSON.parse(o) as { findings: { check: string; status: string; message: string }[] };
  const nodes = rep.findings.find((f) => f.check === 'cluster-nodes');
  assert.equal(nodes?.status, 'unknown');
  assert.match(nodes?.message ?? '', /401/);
});

test('an exec credential plugin runs, and its expired token is fetched again after a 401', async () => {
  const counter = join(dir, 'calls');
  const plugin = join(dir, 'plugin.sh');
  // first call: a wrong token that has already expired; later calls: the right one
  writeFileSync(plugin, `#!/bin/sh
n=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${counter}"
if [ $n -eq 1 ]; then tok=wrong; exp='"expirationTimestamp":"2000-01-01T00:00:00Z",'; else tok="${sim.token}"; exp=''; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{%s"token":"%s"}}' "$exp" "$tok"
`);
  chmodSync(plugin, 0o755);
  const kc = JSON.parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: unknown[]; contexts: unknown[] };
  kc.users.push({ name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } });
  kc.contexts.push({ name: 'exec', context: { cluster: 'sim', user: 'exec' } });
  const path = join(dir, 'kubeconfig-exec');
  writeFileSync(path, JSON.stringify(kc));
  assert.equal(await nodesVia({ kubeconfig: path, context: 'exec' }), 2);
  assert.equal(readFileSync(counter, 'utf8').trim(), '2');
});

test('in a pod: KUBERNETES_SERVICE_HOST/PORT and the mounted service account token and CA', async () => {
  const prefix = join(dir, 'pod');
  const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'token'), sim.token);
  writeFileSync(join(sa, 'ca.crt'), sim.ca);
  writeFileSync(join(sa, 'namespace'), 'kubelet-guard');
  const saved = { ...process.env };
  try {
    delete process.env.KUBECONFIG;
    process.env.HOME = join(dir, 'empty-home');
    const u = new URL(sim.url);
    process.env.KUBERNETES_SERVICE_HOST = u.hostname;
    process.env.KUBERNETES_SERVICE_PORT = u.port;
    assert.equal(await nodesVia({ inClusterPrefix: prefix }), 2);
  } finally {
    process.env = saved;
  }
});

test('the removed gcp/azure auth-providers are refused (the library would run their command with execSync, blocking)', async () => {
  const kc = JSON.parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: unknown[]; contexts: unknown[] };
  kc.users.push({ name: 'gke', user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/sleep', 'cmd-args': '1000' } } } });
  kc.contexts.push({ name: 'gke', context: { cluster: 'sim', user: 'gke' } });
  const path = join(dir, 'kubeconfig-gcp');
  writeFileSync(path, JSON.stringify(kc));
  await assert.rejects(connect({ kubeconfig: path, context: 'gke' }), /the "gcp" auth-provider, which client-go removed in Kubernetes 1\.26/);
});

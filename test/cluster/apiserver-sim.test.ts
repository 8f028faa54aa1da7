// The simulator's own checks: auth, pagination (limit / continue / resourceVersion), the pod field
// selector, the per-node proxy modes, and a full-size spec (5,000 nodes, 50,000 pods, 20,000
// bindings) served page by page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { startApiServerSim, type ApiServerSim, type ConfigzMode } from './apiserver-sim.ts';

interface Obj { metadata: { name: string; namespace?: string }; spec: { nodeName?: string } }
interface Body {
  kind?: string; reason?: string; message?: string; gitVersion?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
  kubeletconfig: { authentication: { anonymous: { enabled: boolean } } };
}
interface Res { status: number; body: Buffer; json(): Body }

function fetchSim(sim: ApiServerSim, path: string, token = sim.token, timeoutMs = 5000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = https.get(sim.url + path, { ca: sim.ca, headers: { Authorization: `Bearer ${token}` }, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body.toString('utf8')) as Body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const MODES: ConfigzMode[] = ['ok', 'forbidden', 'unavailable', 'hang', 'garbage'];

describe('apiserver simulator', () => {
  let sim: ApiServerSim;
  before(async () => {
    sim = await startApiServerSim({
      nodes: 5000, podsPerNode: 10, bindings: 20000, namespaces: 50, kubeletVersion: 'v1.31.4',
      configz: (i) => MODES[i % MODES.length] ?? 'ok', anonymousOn: (i) => i === 5,
    });
  });
  after(async () => {
    await sim?.close();
  });

  it('requires the bearer token', async () => {
    const r = await fetchSim(sim, '/version', 'wrong');
    assert.equal(r.status, 401);
    assert.equal(r.json().reason, 'Unauthorized');
    const ok = await fetchSim(sim, '/version');
    assert.equal(ok.status, 200);
    assert.equal(ok.json().gitVersion, 'v1.31.4');
  });

  it('writes a kubeconfig that points at the sim', () => {
    const kc = JSON.parse(readFileSync(sim.kubeconfigPath, 'utf8'));
    assert.equal(kc.clusters[0].cluster.server, sim.url);
    assert.equal(kc.users[0].user.token, sim.token);
    assert.equal(kc['current-context'], 'sim');
  });

  it('paginates nodes with continue tokens and remainingItemCount', async () => {
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = await fetchSim(sim, `/api/v1/nodes?limit=1000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      assert.equal(r.status, 200);
      const j = r.json();
      assert.equal(j.kind, 'NodeList');
      assert.equal(j.metadata.resourceVersion, '424242');
      pages++;
      for (const n of j.items) names.push(n.metadata.name);
      cont = j.metadata.continue ?? '';
      if (cont) assert.equal(j.metadata.remainingItemCount, 5000 - names.length);
    } while (cont);
    assert.equal(pages, 5);
    assert.equal(names.length, 5000);
    assert.equal(new Set(names).size, 5000);
    assert.equal(names[0], 'node-00000');
    assert.equal(names[4999], 'node-04999');
  });

  it('serves a whole list unpaginated (streamed) and the RBAC lists', async () => {
    const all = (await fetchSim(sim, '/api/v1/pods')).json();
    assert.equal(all.items.length, 50000);
    assert.equal(all.metadata.continue, undefined);
    const crb = (await fetchSim(sim, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?limit=50000')).json();
    const rb = (await fetchSim(sim, '/apis/rbac.authorization.k8s.io/v1/rolebindings?limit=50000')).json();
    assert.equal(crb.items.length + rb.items.length, 20000);
    assert.equal(crb.kind, 'ClusterRoleBindingList');
    const cr = (await fetchSim(sim, '/apis/rbac.authorization.k8s.io/v1/clusterroles')).json();
    assert.ok(cr.items.some((r) => r.metadata.name === 'cluster-admin'));
    assert.equal((await fetchSim(sim, '/apis/rbac.authorization.k8s.io/v1/roles')).json().items.length, 50);
    assert.equal((await fetchSim(sim, '/api/v1/namespaces')).json().items[1]?.metadata.name, 'kube-system');
  });

  it('filters pods by spec.nodeName, with pagination', async () => {
    const p1 = (await fetchSim(sim, '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-00042&limit=6')).json();
    assert.equal(p1.items.length, 6);
    assert.ok(p1.items.every((p) => p.spec.nodeName === 'node-00042'));
    const p2 = (await fetchSim(sim, `/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-00042&limit=6&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`)).json();
    assert.equal(p2.items.length, 4);
    assert.equal(p2.metadata.continue, undefined);
    const none = (await fetchSim(sim, '/api/v1/pods?fieldSelector=spec.nodeName%3Dnope')).json();
    assert.equal(none.items.length, 0);
    // a token from one selection is refused by another
    const bad = await fetchSim(sim, `/api/v1/pods?limit=6&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`);
    assert.equal(bad.status, 400);
    assert.equal((await fetchSim(sim, '/api/v1/nodes?continue=garbage')).status, 400);
  });

  it('serves each node proxy mode', async () => {
    const ok = await fetchSim(sim, '/api/v1/nodes/node-00000/proxy/configz');
    assert.equal(ok.status, 200);
    assert.equal(ok.json().kubeletconfig.authentication.anonymous.enabled, false);
    const anon = await fetchSim(sim, '/api/v1/nodes/node-00005/proxy/configz');
    assert.equal(anon.json().kubeletconfig.authentication.anonymous.enabled, true);
    const forbidden = await fetchSim(sim, '/api/v1/nodes/node-00001/proxy/configz');
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.json().message ?? '', /cannot get resource "nodes\/proxy"/);
    assert.equal((await fetchSim(sim, '/api/v1/nodes/node-00002/proxy/configz')).status, 503);
    await assert.rejects(fetchSim(sim, '/api/v1/nodes/node-00003/proxy/configz', sim.token, 300), /timeout/);
    const garbage = await fetchSim(sim, '/api/v1/nodes/node-00004/proxy/configz');
    assert.equal(garbage.status, 200);
    assert.throws(() => garbage.json());
    const pods = (await fetchSim(sim, '/api/v1/nodes/node-00010/proxy/pods')).json();
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.items.length, 10);
    assert.equal((await fetchSim(sim, '/api/v1/nodes/node-99999/proxy/configz')).status, 404);
    assert.ok(sim.requests() > 10);
  });
});

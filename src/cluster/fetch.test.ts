// The cluster client against the API-server simulator: kubeconfig loading and contexts, pagination,
// a 401, the per-node configz failure modes as data, the deadline, the body cap, connection reuse,
// and mapLimit's bound.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServerSim, type ApiServerSim, type ConfigzMode } from '../../test/cluster/apiserver-sim.ts';
import { connect, mapLimit, ApiError, type ApiClient } from './fetch.ts';
import { all, endlessContinue, ignoresLimit, silent, type Hostile } from '../../test/cluster/hostile-apiserver.ts';

const MODES: ConfigzMode[] = ['ok', 'forbidden', 'unavailable', 'hang', 'garbage'];

describe('cluster fetch', () => {
  let sim: ApiServerSim;
  let client: ApiClient;
  before(async () => {
    sim = await startApiServerSim({
      nodes: 2500, podsPerNode: 2, bindings: 100, namespaces: 5, kubeletVersion: 'v1.32.1',
      configz: (i) => (i < 5 ? MODES[i] ?? 'ok' : 'ok'),
    });
    client = await connect({ kubeconfig: sim.kubeconfigPath });
  });
  after(async () => {
    client?.close();
    await sim?.close();
  });

  it('lists 2,500 nodes in 5 pages of 500', async () => {
    const before = sim.requests();
    const names: string[] = [];
    for await (const n of client.list<{ metadata: { name: string } }>('/api/v1/nodes', 500)) names.push(n.metadata.name);
    assert.equal(names.length, 2500);
    assert.equal(new Set(names).size, 2500);
    assert.equal(sim.requests() - before, 5);
  });

  it('keeps an existing query when paginating', async () => {
    const pods = [];
    for await (const p of client.list<{ spec: { nodeName: string } }>('/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-00007', 1)) pods.push(p);
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.spec.nodeName === 'node-00007'));
  });

  it('reports a bad token as a 401 (get) and an ApiError (list)', async () => {
    const bad = await connect({ kubeconfig: sim.kubeconfigPath, context: 'sim-bad-token' });
    try {
      const r = await bad.get('/version');
      assert.equal(r.ok, false);
      assert.equal(r.ok === false && r.status, 401);
      await assert.rejects(async () => {
        for await (const _ of bad.list('/api/v1/nodes')) { /* nothing */ }
      }, (e: unknown) => e instanceof ApiError && e.status === 401);
    } finally {
      bad.close();
    }
    await assert.rejects(connect({ kubeconfig: sim.kubeconfigPath, context: 'nope' }), /context "nope" not found/);
  });

  it('honours KUBECONFIG when no file is given', async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = sim.kubeconfigPath;
    try {
      const c = await connect({});
      const r = await c.get('/version');
      c.close();
      assert.equal(r.ok, true);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('returns each configz mode as data', async () => {
    const ok = await client.get('/api/v1/nodes/node-00000/proxy/configz');
    assert.ok(ok.ok);
    assert.equal(JSON.parse(ok.body.toString()).kubeletconfig.authorization.mode, 'Webhook');

    const forbidden = await client.get('/api/v1/nodes/node-00001/proxy/configz');
    assert.equal(forbidden.ok, false);
    assert.ok(!forbidden.ok);
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.error, /cannot get resource "nodes\/proxy"/);

    const unavailable = await client.get('/api/v1/nodes/node-00002/proxy/configz');
    assert.ok(!unavailable.ok);
    assert.equal(unavailable.status, 503);

    const t0 = performance.now();
    const hang = await client.get('/api/v1/nodes/node-00003/proxy/configz', { timeoutMs: 300 });
    const took = performance.now() - t0;
    assert.ok(!hang.ok);
    assert.match(hang.error, /timeout after 300 ms/);
    assert.ok(took >= 290 && took < 800, `took ${took} ms`);

    const garbage = await client.get('/api/v1/nodes/node-00004/proxy/configz');
    assert.ok(garbage.ok);
    assert.ok(garbage.body.length > 64);
    assert.throws(() => JSON.parse(garbage.body.toString()));
  });

  it('caps the body size', async () => {
    const r = await client.get('/api/v1/nodes?limit=100', { maxBytes: 1000 });
    assert.ok(!r.ok);
    assert.match(r.error, /too large/);
  });

  it('reuses connections: far fewer TLS handshakes than requests', async () => {
    const c = await connect({ kubeconfig: sim.kubeconfigPath, maxSockets: 8 });
    try {
      const h0 = sim.handshakes();
      const r0 = sim.requests();
      const names = Array.from({ length: 400 }, (_, i) => `node-${String(5 + i).padStart(5, '0')}`);
      let ok = 0;
      for await (const r of mapLimit(names, 16, (n) => c.get(`/api/v1/nodes/${n}/proxy/configz`))) if (r.ok) ok++;
      assert.equal(ok, 400);
      assert.equal(sim.requests() - r0, 400);
      const hs = sim.handshakes() - h0;
      assert.ok(hs <= 8, `${hs} handshakes for 400 requests`);
    } finally {
      c.close();
    }
  });
});

describe('mapLimit', () => {
  it('never runs more than limit at once and yields every result', async () => {
    let inFlight = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const v of mapLimit(Array.from({ length: 50 }, (_, i) => i), 7, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (x * 7) % 5));
      inFlight--;
      return x * 2;
    })) out.push(v);
    assert.equal(peak, 7);
    assert.deepEqual(out.sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it('throws the first rejection and stops launching; break stops too', async () => {
    let started = 0;
    await assert.rejects(async () => {
      for await (const _ of mapLimit(Array.from({ length: 100 }, (_, i) => i), 4, async (x) => {
        started++;
        if (x === 5) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 5));
        return x;
      })) { /* consume */ }
    }, /boom/);
    assert.ok(started < 20, `started ${started}`);
    started = 0;
    for await (const _ of mapLimit(Array.from({ length: 100 }, (_, i) => i), 3, async (x) => { started++; return x; })) break;
    assert.ok(started <= 4, `started ${started}`);
    await assert.rejects(mapLimit([1], 0, async (x) => x).next(), RangeError);
  });
});

describe('list bounds and the run signal (hostile API server)', () => {
  const item = (i: number) => ({ metadata: { name: `x-${i}` } });

  async function withSim<T>(override: Hostile, fn: (sim: ApiServerSim) => Promise<T>): Promise<T> {
    const sim = await startApiServerSim({ nodes: 1, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok', override });
    try {
      return await fn(sim);
    } finally {
      await sim.close();
    }
  }
  const drain = async (it: AsyncGenerator<unknown>): Promise<number> => {
    let n = 0;
    for await (const _ of it) n++;
    return n;
  };

  it('stops at the page bound, the item bound and an oversized token, each a cut ApiError naming it', async () => {
    await withSim(endlessContinue('/api/v1/pods', item, 3), async (sim) => {
      const c = await connect({ kubeconfig: sim.kubeconfigPath });
      try {
        await assert.rejects(drain(c.list('/api/v1/pods', { maxPages: 5 })), (e: unknown) => e instanceof ApiError && e.cut && /stopped after 5 pages \(15 items\)/.test(e.message));
        await assert.rejects(drain(c.list('/api/v1/pods', { maxItems: 7 })), (e: unknown) => e instanceof ApiError && e.cut && /stopped at 7 items/.test(e.message));
        await assert.rejects(drain(c.list('/api/v1/pods', { maxContinueBytes: 4 })), (e: unknown) => e instanceof ApiError && e.cut && /continue token of \d+ bytes/.test(e.message));
      } finally {
        c.close();
      }
    });
  });

  it('leaving a list early stops its request; the run signal stops a list and every get, with its reason', async () => {
    await withSim(all(ignoresLimit('/api/v1/pods', 50 * 1024 * 1024, item), silent('/api/v1/namespaces')), async (sim) => {
      const run = new AbortController();
      const c = await connect({ kubeconfig: sim.kubeconfigPath, signal: run.signal, timeoutMs: 60_000 });
      try {
        let n = 0;
        for await (const _ of c.list('/api/v1/pods')) if (++n === 3) break;
        assert.equal(n, 3);
        assert.ok((await c.get('/version')).ok, 'the client still works');
        setTimeout(() => run.abort(new Error('the run deadline passed')), 300);
        const t0 = performance.now();
        await assert.rejects(drain(c.list('/api/v1/namespaces')), (e: unknown) => e instanceof ApiError && e.cut && /the run deadline passed/.test(e.message));
        assert.ok(performance.now() - t0 < 2000);
        const r = await c.get('/version');
        assert.ok(!r.ok && /not sent: the run deadline passed/.test(r.error));
      } finally {
        c.close();
      }
    });
  });
});

// The simulator against kubelet-facts §1–§3: the statuses and the exact bodies per mode. Requests
// are sent with node:https/node:http directly, so the simulator is checked independently of the
// scanner's client. Loopback only (127.77.1.x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import { X509Certificate } from 'node:crypto';
import { mintCa, mintClientCert, simOptions, simAttributes, startKubeletSim, type KubeletSim, type KubeletSimOptions } from './kubelet-sim.ts';

interface Raw { status: number; body: string; headers: http.IncomingHttpHeaders }

function raw(sim: KubeletSim, method: string, path: string, o: { port?: number; plain?: boolean; token?: string; cert?: string; key?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: sim.host,
      port: o.port ?? sim.ports.secure,
      method,
      path,
      agent: false,
      rejectUnauthorized: false,
      headers: o.token ? { Authorization: `Bearer ${o.token}` } : {},
      ...(o.cert ? { cert: o.cert, key: o.key } : {}),
    };
    const req = (o.plain ? http : https).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}


async function withSim(opts: KubeletSimOptions, fn: (sim: KubeletSim) => Promise<void>): Promise<void> {
  const sim = await startKubeletSim(opts);
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

test('§3 attributes: verbs from methods, subresources by path prefix, fine-grained lists first', () => {
  assert.deepEqual(simAttributes('GET', '/pods', true), { verb: 'get', subresources: ['pods', 'proxy'] });
  assert.deepEqual(simAttributes('GET', '/pods', false), { verb: 'get', subresources: ['proxy'] });
  assert.deepEqual(simAttributes('GET', '/runningpods/', true), { verb: 'get', subresources: ['pods', 'proxy'] });
  assert.deepEqual(simAttributes('GET', '/healthz/ping', true), { verb: 'get', subresources: ['healthz', 'proxy'] });
  assert.deepEqual(simAttributes('GET', '/configz', true), { verb: 'get', subresources: ['configz', 'proxy'] });
  assert.deepEqual(simAttributes('GET', '/stats/summary', true), { verb: 'get', subresources: ['stats'] });
  assert.deepEqual(simAttributes('GET', '/metrics/cadvisor', true), { verb: 'get', subresources: ['metrics'] });
  assert.deepEqual(simAttributes('GET', '/logs/', true), { verb: 'get', subresources: ['log'] });
  assert.deepEqual(simAttributes('POST', '/checkpoint/a/b/c', true), { verb: 'create', subresources: ['checkpoint'] });
  assert.deepEqual(simAttributes('PUT', '/debug/flags/v', true), { verb: 'update', subresources: ['proxy'] });
  assert.deepEqual(simAttributes('HEAD', '/pods', false), { verb: '', subresources: ['proxy'] });
  // prefix match is exact or followed by '/'
  assert.deepEqual(simAttributes('GET', '/podsx', true), { verb: 'get', subresources: ['proxy'] });
  assert.deepEqual(simAttributes('GET', '/metricsfoo', true), { verb: 'get', subresources: ['proxy'] });
});

test('anonymous off: 401 `Unauthorized` exactly, for every path including unknown ones', async () => {
  await withSim(simOptions('127.77.1.1'), async (sim) => {
    for (const p of ['/pods', '/nonexistent/path', '/exec/a/b/c', '/healthz']) {
      const r = await raw(sim, 'GET', p);
      assert.equal(r.status, 401, p);
      assert.equal(r.body, 'Unauthorized', p);
    }
    assert.ok(sim.requests.every((q) => q.user === undefined));
  });
});

test('anonymous + Webhook, fine-grained: the 1.32+ 403 body with a newline and the attribute list; the policy decides', async () => {
  await withSim(simOptions('127.77.1.2', { anonymous: true, policy: (_u, _v, s) => s === 'stats' }), async (sim) => {
    const pods = await raw(sim, 'GET', '/pods');
    assert.equal(pods.status, 403);
    assert.equal(pods.body, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n');
    const run = await raw(sim, 'POST', '/run/default/x/y');
    assert.equal(run.body, 'Forbidden (user=system:anonymous, verb=create, resource=nodes, subresource(s)=[proxy])\n');
    const unknown = await raw(sim, 'GET', '/no/such/route');
    assert.equal(unknown.status, 403, 'the filter runs before routing');
    const stats = await raw(sim, 'GET', '/stats/summary');
    assert.equal(stats.status, 200);
    assert.ok(JSON.parse(stats.body).node);
  });
});

test('fine-grained off: the old single-subresource 403 body without a newline; the 1.32 list format with the gate off lists [proxy]', async () => {
  await withSim(simOptions('127.77.1.3', { anonymous: true, fineGrained: false }), async (sim) => {
    const r = await raw(sim, 'GET', '/pods');
    assert.equal(r.status, 403);
    assert.equal(r.body, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)');
  });
  await withSim(simOptions('127.77.1.4', { anonymous: true, fineGrained: false, listFormat: true }), async (sim) => {
    const r = await raw(sim, 'GET', '/pods');
    assert.equal(r.body, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[proxy])\n');
  });
});

test('fine-grained: a subject with only nodes/proxy still gets /pods (the second attribute allows)', async () => {
  await withSim(simOptions('127.77.1.5', { anonymous: true, policy: (_u, v, s) => v === 'get' && s === 'proxy' }), async (sim) => {
    assert.equal((await raw(sim, 'GET', '/pods')).status, 200);
    assert.equal((await raw(sim, 'GET', '/metrics')).status, 403);
  });
});

test('anonymous + AlwaysAllow: the routes of §2, safe answers for pods that do not exist', async () => {
  await withSim(simOptions('127.77.1.6', { anonymous: true, authorization: 'AlwaysAllow' }), async (sim) => {
    const pods = await raw(sim, 'GET', '/pods');
    assert.equal(pods.status, 200);
    const list = JSON.parse(pods.body) as { kind: string; items: unknown[] };
    assert.equal(list.kind, 'PodList');
    assert.equal(list.items.length, 2);
    assert.equal((await raw(sim, 'POST', '/pods')).status, 405, '/pods is GET only');
    const metrics = await raw(sim, 'GET', '/metrics');
    assert.match(metrics.body, /kubernetes_build_info\{[^}]*git_version="v1\.31\.4"/);
    const configz = JSON.parse((await raw(sim, 'GET', '/configz')).body) as { kubeletconfig: { authorization: { mode: string } } };
    assert.equal(configz.kubeletconfig.authorization.mode, 'AlwaysAllow');
    assert.equal((await raw(sim, 'GET', '/healthz')).body, 'ok');
    assert.deepEqual(await raw(sim, 'POST', '/run/kube-system/nope/c').then((r) => [r.status, r.body]), [404, 'pod does not exist']);
    assert.deepEqual(await raw(sim, 'GET', '/exec/kube-system/nope/c?command=true').then((r) => [r.status, r.body]), [400, 'you must specify at least 1 of stdin, stdout, stderr']);
    assert.deepEqual(await raw(sim, 'GET', '/exec/kube-system/nope/c?command=true&stdout=1').then((r) => [r.status, r.body]), [404, 'pod does not exist']);
    assert.deepEqual(await raw(sim, 'GET', '/portForward/kube-system/nope').then((r) => [r.status, r.body]), [404, 'pod does not exist']);
    assert.deepEqual(await raw(sim, 'GET', '/containerLogs/kube-system/nope/c').then((r) => [r.status, r.body]), [404, 'pod "nope" does not exist']);
    assert.deepEqual(await raw(sim, 'POST', '/checkpoint/kube-system/nope/c').then((r) => [r.status, r.body]), [404, 'pod does not exist']);
    assert.equal((await raw(sim, 'GET', '/runningpods/')).status, 200);
    assert.equal((await raw(sim, 'GET', '/logs/')).status, 200);
    assert.equal((await raw(sim, 'GET', '/debug/pprof/')).status, 200);
    assert.equal((await raw(sim, 'GET', '/no/such/route')).status, 404);
    // nothing above touched an existing pod or had an effect
    assert.ok(sim.requests.every((q) => q.effect === undefined));
    // an exec on an existing pod without an upgrade is refused, and no effect is recorded
    assert.equal((await raw(sim, 'GET', '/exec/default/web-sim-5d9c8/web?command=id&stdout=1')).status, 400);
    assert.ok(sim.requests.every((q) => q.effect === undefined));
    // a run on an existing pod is recorded as an effect (what the probes must never do)
    await raw(sim, 'POST', '/run/default/web-sim-5d9c8/web?cmd=id');
    assert.equal(sim.requests.at(-1)?.effect, 'run');
  });
});

test('debugging handlers off: 405 `Debug endpoints are disabled.` + newline; /configz 404', async () => {
  await withSim(simOptions('127.77.1.7', { anonymous: true, authorization: 'AlwaysAllow', debuggingHandlers: false }), async (sim) => {
    for (const p of ['/run/a/b/c', '/exec/a/b/c', '/attach/a/b/c', '/portForward/a/b', '/containerLogs/a/b/c', '/runningpods/', '/debug/pprof/', '/logs/']) {
      const r = await raw(sim, p.startsWith('/run') ? 'POST' : 'GET', p);
      assert.equal(r.status, 405, p);
      assert.equal(r.body, 'Debug endpoints are disabled.\n', p);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    }
    assert.equal((await raw(sim, 'GET', '/configz')).status, 404);
    assert.equal((await raw(sim, 'GET', '/pods')).status, 200);
  });
});

test('credentials: a token maps to its user; an unknown token or a foreign client cert is a 401, never anonymous', async () => {
  const ca = mintCa('sim-client-ca', 'ec');
  const good = mintClientCert(ca, 'kube-apiserver-kubelet-client', 'system:masters');
  const foreign = mintClientCert(mintCa('someone-else', 'ec'), 'mallory');
  await withSim(
    simOptions('127.77.1.8', { anonymous: true, clientCA: ca.cert, tokens: { 'tok-alice': 'alice' }, policy: (u) => u === 'alice' || u === 'kube-apiserver-kubelet-client' }),
    async (sim) => {
      assert.equal((await raw(sim, 'GET', '/pods', { token: 'tok-alice' })).status, 200);
      const bad = await raw(sim, 'GET', '/pods', { token: 'tok-wrong' });
      assert.deepEqual([bad.status, bad.body], [401, 'Unauthorized']);
      assert.equal((await raw(sim, 'GET', '/pods', { cert: good.cert, key: good.key })).status, 200);
      assert.equal(sim.requests.at(-1)?.user, 'kube-apiserver-kubelet-client');
      assert.equal((await raw(sim, 'GET', '/pods', { cert: foreign.cert, key: foreign.key })).status, 401);
      assert.equal((await raw(sim, 'GET', '/pods')).status, 403, 'no credentials: anonymous, denied by the policy');
    },
  );
});

test('§1: read-only port without auth (debug routes 405), healthz port serves only /healthz', async () => {
  await withSim(simOptions('127.77.1.9', { readOnlyPort: true, healthz: true }), async (sim) => {
    assert.ok(sim.ports.readOnly && sim.ports.healthz);
    const pods = await raw(sim, 'GET', '/pods', { port: sim.ports.readOnly, plain: true });
    assert.equal(pods.status, 200);
    const exec = await raw(sim, 'GET', '/exec/a/b/c', { port: sim.ports.readOnly, plain: true });
    assert.deepEqual([exec.status, exec.body], [405, 'Debug endpoints are disabled.\n']);
    assert.equal((await raw(sim, 'POST', '/checkpoint/a/b/c', { port: sim.ports.readOnly, plain: true })).status, 404);
    assert.equal((await raw(sim, 'GET', '/healthz', { port: sim.ports.healthz, plain: true })).body, 'ok');
    assert.equal((await raw(sim, 'GET', '/pods', { port: sim.ports.healthz, plain: true })).status, 404);
    // the secure port still wants credentials
    assert.equal((await raw(sim, 'GET', '/pods')).status, 401);
  });
});

test('serving certificates: self-signed, CA-signed (IP SAN), and the kubelet leaf + -ca@ pair', async () => {
  await withSim(simOptions('127.77.1.10'), async (sim) => {
    const x = new X509Certificate(sim.servingCert.chain);
    assert.equal(x.subject, x.issuer);
    assert.match(x.subjectAltName ?? '', /IP Address:127\.77\.1\.10/);
  });
  await withSim(simOptions('127.77.1.11', { cert: 'ca-signed' }), async (sim) => {
    const x = new X509Certificate(sim.servingCert.chain);
    assert.ok(sim.servingCert.ca);
    assert.ok(x.verify(new X509Certificate(sim.servingCert.ca).publicKey));
    assert.notEqual(x.subject, x.issuer);
  });
  await withSim(simOptions('127.77.1.12', { cert: 'kubelet-self-signed' }), async (sim) => {
    const x = new X509Certificate(sim.servingCert.chain);
    assert.match(x.issuer, /CN=sim-node-ca@\d+/);
  });
});

test('a busy port falls back to a random one', async () => {
  const a = await startKubeletSim(simOptions('127.77.1.13'));
  try {
    const b = await startKubeletSim(simOptions('127.77.1.13'));
    try {
      assert.notEqual(a.ports.secure, b.ports.secure);
      assert.equal((await raw(b, 'GET', '/pods')).status, 401);
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
});

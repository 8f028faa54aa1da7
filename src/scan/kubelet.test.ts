// The kubelet probes against simulated kubelets (test/scan/kubelet-sim.ts) on distinct loopback
// addresses (127.77.2.x): the classification of kubelet-facts §3, the reachable groups, the TLS
// details, and — after every test — that no probe sent anything that could run or change something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describeCertificate, fineGrainedFrom, gateOf, KUBELET_PROBE_REQUESTS, parseForbidden, PROBE_POD, probeHealthz, probeKubelet, probeReadOnly } from './kubelet.ts';
import type { Endpoint } from './types.ts';
import { mintCa, mintClientCert, simOptions, SIM_POD_NAMES, SIM_SECRET_VALUES, startKubeletSim, type KubeletSim, type KubeletSimOptions } from '../../test/scan/kubelet-sim.ts';


/** No request a real kubelet would turn into an effect: no PUT/PATCH/DELETE, no Upgrade, no existing pod. */
function assertHarmless(sim: KubeletSim): void {
  assert.ok(sim.requests.length > 0);
  for (const r of sim.requests) {
    assert.ok(r.method === 'GET' || r.method === 'POST', `${r.method} ${r.url}`);
    assert.equal(r.upgrade, false, `Upgrade on ${r.url}`);
    assert.equal(r.effect, undefined, `effect ${r.effect} on ${r.url}`);
    for (const pod of SIM_POD_NAMES) assert.ok(!r.url.includes(pod), `existing pod ${pod} in ${r.url}`);
    if (/^\/(run|exec|attach|portForward|containerLogs|checkpoint)\//.test(r.path)) assert.ok(r.path.includes(`/${PROBE_POD}`), r.url);
    if (r.path.startsWith('/run/')) assert.ok(!/[?&]cmd=/.test(r.url), r.url);
  }
}

/** Nothing secret is kept in the endpoint: env values of the pods, the token, bodies of /pods. */
function assertNoSecrets(ep: Endpoint, extra: string[] = []): void {
  const text = JSON.stringify(ep);
  for (const s of [...SIM_SECRET_VALUES, ...extra]) assert.ok(!text.includes(s), `secret ${s} kept`);
  for (const p of ep.probes.filter((q) => q.path === '/pods' && q.status === 200)) assert.match(p.bodyPreview ?? '', /^\(\d+\+? bytes, not kept\)$/);
}

async function withSim(opts: KubeletSimOptions, fn: (sim: KubeletSim) => Promise<void>): Promise<void> {
  const sim = await startKubeletSim(opts);
  try {
    await fn(sim);
    assertHarmless(sim);
  } finally {
    await sim.close();
  }
}

const ALL = ['pods', 'runningpods', 'stats', 'metrics', 'logs', 'containerLogs', 'configz', 'checkpoint', 'debug/pprof', 'debug/flags', 'exec', 'attach', 'run', 'portForward', 'healthz'];

test('parsing: both 403 formats, gates, and what the format says about fine-grained authorization', () => {
  const list = parseForbidden('Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n');
  assert.deepEqual(list, { user: 'system:anonymous', verb: 'get', resource: 'nodes', subresources: ['pods', 'proxy'], format: 'list' });
  const single = parseForbidden('Forbidden (user=system:serviceaccount:mon:agent, verb=create, resource=nodes, subresource=proxy)');
  assert.deepEqual(single, { user: 'system:serviceaccount:mon:agent', verb: 'create', resource: 'nodes', subresources: ['proxy'], format: 'single' });
  assert.equal(parseForbidden('Forbidden'), undefined);
  assert.equal(gateOf(401, 'Unauthorized'), 'unauthenticated');
  assert.equal(gateOf(403, 'x'), 'forbidden');
  assert.equal(gateOf(405, 'Debug endpoints are disabled.\n'), 'disabled');
  assert.equal(gateOf(405, '405: Method Not Allowed'), 'passed');
  assert.equal(gateOf(404, '404: Page Not Found'), 'no-route');
  assert.equal(gateOf(404, 'pod does not exist'), 'passed');
  assert.equal(gateOf(400, 'you must specify at least 1 of stdin, stdout, stderr'), 'passed');
  assert.equal(gateOf(500, 'Authorization error (user=a, verb=get, resource=nodes, subresource=proxy)'), 'authz-error');
  assert.equal(fineGrainedFrom([{ path: '/pods', denial: list! }]), true);
  assert.equal(fineGrainedFrom([{ path: '/pods', denial: single! }]), false);
  const proxyOnly = parseForbidden('Forbidden (user=u, verb=get, resource=nodes, subresource(s)=[proxy])\n')!;
  assert.equal(fineGrainedFrom([{ path: '/pods', denial: proxyOnly }]), false, '1.32+ format, gate off: /pods would have been [pods proxy]');
  assert.equal(fineGrainedFrom([{ path: '/exec/a/b/c', denial: proxyOnly }]), null, 'exec stays on proxy either way');
  assert.equal(fineGrainedFrom([]), null);
});

test('anonymous off: 401 ⇒ anonymous false, authorization unknown, nothing further sent', async () => {
  await withSim(simOptions('127.77.2.1'), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.state, 'open');
    assert.equal(ep.anonymous, false);
    assert.equal(ep.authorization, null);
    assert.deepEqual(ep.reachable, []);
    assert.equal(ep.identity, 'anonymous');
    assert.deepEqual(ep.probes.map((p) => [p.method, p.path, p.status, p.bodyPreview]), [['GET', '/pods', 401, 'Unauthorized']]);
    assert.equal(sim.requests.length, 1);
    assert.match(ep.notes.join(' '), /anonymous authentication is off/);
  });
});

test('anonymous + Webhook allowing only stats: 403 body parsed, reachable [stats]', async () => {
  await withSim(simOptions('127.77.2.2', { anonymous: true, policy: (_u, v, s) => v === 'get' && s === 'stats' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.anonymous, true);
    assert.equal(ep.authorization, 'Webhook');
    assert.equal(ep.user, 'system:anonymous');
    assert.equal(ep.fineGrained, true);
    assert.deepEqual(ep.reachable, ['stats']);
    const pods = ep.probes.find((p) => p.path === '/pods');
    assert.equal(pods?.bodyPreview, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\\n');
    // the exec-like routes were probed and refused
    assert.deepEqual(ep.probes.filter((p) => /^\/(exec|attach|run|portForward)\//.test(p.path)).map((p) => p.status), [403, 403, 403, 403]);
    assertNoSecrets(ep);
  });
});

test('fine-grained: the old format ⇒ false; the 1.32 list format with the gate off ⇒ false; pods allowed while proxy is denied ⇒ true', async () => {
  await withSim(simOptions('127.77.2.3', { anonymous: true, fineGrained: false }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.fineGrained, false);
    assert.equal(ep.authorization, 'Webhook');
    assert.equal(ep.probes[0]?.bodyPreview, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)');
  });
  await withSim(simOptions('127.77.2.4', { anonymous: true, fineGrained: false, listFormat: true }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.fineGrained, false);
  });
  // pods etc. allowed, only proxy-only routes denied with [proxy]: the format proves 1.32+, not the gate
  await withSim(simOptions('127.77.2.5', { anonymous: true, fineGrained: true, policy: (_u, _v, s) => s !== 'proxy' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.fineGrained, true, 'a subject allowed pods but not proxy: /pods passed through the pods attribute');
    assert.match(ep.notes.join(' '), /fine-grained authorization inferred/);
    assert.ok(ep.reachable.includes('pods') && !ep.reachable.includes('exec'));
  });
});

test('anonymous + AlwaysAllow: critical, everything reachable (debug/flags inferred), the version from /metrics', async () => {
  await withSim(simOptions('127.77.2.6', { anonymous: true, authorization: 'AlwaysAllow' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.anonymous, true);
    assert.equal(ep.authorization, 'AlwaysAllow');
    assert.equal(ep.fineGrained, null, 'no 403 ever: the gate cannot be told');
    assert.deepEqual(ep.reachable, ALL);
    assert.equal(ep.version, 'v1.31.4');
    assert.match(ep.notes.join(' '), /debug\/flags was inferred, never requested/);
    assert.ok(!sim.requests.some((r) => r.path.startsWith('/debug/flags')));
    assert.deepEqual(ep.probes.find((p) => p.path.startsWith('/run/'))?.status, 404);
    assert.deepEqual(ep.probes.find((p) => p.path.startsWith('/exec/'))?.status, 400);
    assertNoSecrets(ep);
  });
});

test('GET /pods served without credentials but later denials: Webhook, not AlwaysAllow', async () => {
  await withSim(simOptions('127.77.2.18', { anonymous: true, policy: (_u, v, s) => v === 'get' && (s === 'pods' || s === 'stats') }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.anonymous, true);
    assert.equal(ep.authorization, 'Webhook');
    assert.equal(ep.user, 'system:anonymous');
    assert.deepEqual(ep.reachable, ['pods', 'runningpods', 'stats']);
    assert.equal(ep.fineGrained, true, 'the pods attribute allowed /pods while GET nodes/proxy was denied');
    assert.match(ep.notes.join(' '), /not AlwaysAllow/);
  });
});

test('AlwaysAllow with debugging handlers off: exec and friends authorized but not reachable', async () => {
  await withSim(simOptions('127.77.2.7', { anonymous: true, authorization: 'AlwaysAllow', debuggingHandlers: false }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, {});
    assert.equal(ep.authorization, 'AlwaysAllow');
    assert.deepEqual(ep.reachable, ['pods', 'stats', 'metrics', 'healthz']);
    assert.match(ep.notes.join(' '), /debugging handlers are off/);
    assert.equal(ep.probes.find((p) => p.path.startsWith('/exec/'))?.status, 405);
    assert.equal(ep.probes.find((p) => p.path === '/configz')?.status, 404);
  });
});

test('a token mapped to a user with get on nodes/proxy: exec, attach, portForward reachable, run (create) not', async () => {
  const token = 'tok-monitoring-agent-0123456789';
  await withSim(simOptions('127.77.2.8', { tokens: { [token]: 'system:serviceaccount:mon:agent' }, policy: (u, v, s) => u === 'system:serviceaccount:mon:agent' && v === 'get' && s === 'proxy' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { identity: { token, label: 'bearer token (sha256 abcd1234…)' } });
    assert.equal(ep.anonymous, false);
    assert.equal(ep.authorization, 'Webhook');
    assert.equal(ep.identity, 'bearer token (sha256 abcd1234…)');
    assert.equal(ep.user, 'system:serviceaccount:mon:agent');
    assert.deepEqual(ep.reachable, ['pods', 'runningpods', 'containerLogs', 'configz', 'debug/pprof', 'debug/flags', 'exec', 'attach', 'portForward', 'healthz']);
    assert.match(ep.notes.join(' '), /verb update on nodes\/proxy, which was not proved/);
    assert.ok(sim.requests.filter((r) => r.user === 'system:serviceaccount:mon:agent').length >= 14);
    assertNoSecrets(ep, [token]);
  });
  await withSim(simOptions('127.77.2.9', { anonymous: true, tokens: { other: 'x' } }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { identity: { token, label: 'bad token' } });
    assert.equal(ep.anonymous, true);
    assert.deepEqual(ep.reachable, []);
    assert.match(ep.notes.join(' '), /the identity bad token was refused \(401 Unauthorized\)/);
    // the refused token once; every group without credentials (anonymous is on): what anyone gets
    assert.equal(sim.requests.filter((r) => r.status === 401).length, 1, 'one refused request with the token');
    assert.equal(sim.requests.length, 1 + KUBELET_PROBE_REQUESTS.length, 'the anonymous classification, one refused request, the anonymous probes');
    assert.deepEqual(ep.anonymousReachable, []);
    assert.equal(ep.anonymousUser, 'system:anonymous');
  });
});

test('an identity on a kubelet that also serves anonymous requests: both reaches, each from its own requests (issue 10)', async () => {
  const token = 'tok-agent-reach-0123456789abcdef';
  const agent = 'system:serviceaccount:mon:agent';
  // anonymous may read stats only; the agent may do everything
  const policy = (u: string, v: string, s: string) => u === agent || (u === 'system:anonymous' && v === 'get' && s === 'stats');
  await withSim(simOptions('127.77.2.14', { anonymous: true, tokens: { [token]: agent }, policy }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { identity: { token, label: 'bearer token (sha256 feed…)' } });
    assert.equal(ep.anonymous, true);
    assert.equal(ep.authorization, 'Webhook');
    assert.equal(ep.user, undefined, 'the agent was never denied, so no 403 named it; never the anonymous user');
    assert.equal(ep.anonymousUser, 'system:anonymous');
    assert.ok(ep.reachable.includes('exec') && ep.reachable.includes('pods'), JSON.stringify(ep.reachable));
    assert.deepEqual(ep.anonymousReachable, ['stats']);
    // every anonymous fact rests on requests that carried nothing: the simulator saw them as system:anonymous
    const anon = sim.requests.filter((r) => r.user === 'system:anonymous');
    assert.equal(anon.length, KUBELET_PROBE_REQUESTS.length);
    assert.ok(sim.requests.filter((r) => r.user === agent).length >= KUBELET_PROBE_REQUESTS.length);
    assertNoSecrets(ep, [token]);
  });
  // anonymous off: nothing more is sent without credentials than the classification
  await withSim(simOptions('127.77.2.15', { tokens: { [token]: agent }, policy }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { identity: { token, label: 't' } });
    assert.equal(ep.anonymous, false);
    assert.deepEqual(ep.anonymousReachable, []);
    assert.equal(sim.requests.filter((r) => r.user === undefined || r.status === 401).length, 1);
  });
});

test('a client-certificate identity signed by the kubelet client CA; a foreign certificate is refused', async () => {
  const ca = mintCa('kubelet-guard-test-client-ca', 'ec');
  const admin = mintClientCert(ca, 'kube-apiserver-kubelet-client', 'system:masters');
  const foreign = mintClientCert(mintCa('not-the-cluster-ca', 'ec'), 'mallory');
  await withSim(simOptions('127.77.2.10', { clientCA: ca.cert, policy: (u) => u === 'kube-apiserver-kubelet-client' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { identity: { cert: admin.cert, key: admin.key, label: 'client certificate CN=kube-apiserver-kubelet-client' } });
    assert.equal(ep.anonymous, false);
    assert.equal(ep.authorization, null, 'allowed everything: AlwaysAllow or an all-allowing Webhook');
    assert.deepEqual(ep.reachable, ALL);
    assert.match(ep.notes.join(' '), /every probe passed authorization/);
    assert.ok(sim.requests.slice(1).every((r) => r.user === 'kube-apiserver-kubelet-client'));
    assert.ok(!JSON.stringify(ep).includes('PRIVATE KEY'));
    const bad = await probeKubelet(sim.host, sim.ports.secure, { identity: { cert: foreign.cert, key: foreign.key, label: 'mallory' } });
    assert.deepEqual(bad.reachable, []);
    assert.match(bad.notes.join(' '), /refused \(401/);
  });
});

test('TLS: a self-signed serving cert, Go-like protocols and no weak suites', async () => {
  await withSim(simOptions('127.77.2.11'), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { tlsDetail: true });
    const t = ep.tls!;
    assert.equal(t.selfSigned, true);
    assert.equal(t.keyType, 'rsa');
    assert.equal(t.keyBits, 2048);
    assert.ok(t.sans?.includes('IP Address:127.77.2.11'));
    assert.equal(t.subject, 'CN=sim-node');
    assert.ok(t.notAfter && Date.parse(t.notAfter) > Date.now());
    assert.match(t.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.deepEqual(t.protocols, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(t.weakCiphers, []);
    assert.equal(t.weakCiphersUntold, undefined, 'every weak suite answered: 3DES and RC4 by a hand-made ClientHello');
    assert.ok(ep.probes.some((p) => p.method === 'TLS' && /DES-CBC3-SHA/.test(p.path) && p.bodyPreview === '(refused)'));
    assert.equal(t.clientCertRequested, true);
    // TLS probes carry no credentials and ask only /healthz
    assert.ok(ep.probes.filter((p) => p.bodyPreview?.startsWith('(TLS probe')).every((p) => p.path === '/healthz'));
  });
});

test('TLS: a CA-signed (serverTLSBootstrap-like) cert is not self-signed; the kubelet leaf + -ca@ pair is', async () => {
  await withSim(simOptions('127.77.2.12', { cert: 'ca-signed' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { tlsDetail: true });
    assert.equal(ep.tls?.selfSigned, false);
    assert.equal(ep.tls?.keyType, 'ec');
    assert.equal(ep.tls?.keyBits, 256);
    assert.equal(ep.tls?.issuer, 'CN=kubernetes');
  });
  await withSim(simOptions('127.77.2.13', { cert: 'kubelet-self-signed' }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { tlsDetail: true });
    assert.equal(ep.tls?.selfSigned, true);
    assert.match(ep.notes.join(' '), /self-generated pair.*sim-node-ca@\d+.*sent with it/);
  });
});

test('TLS: a kubelet that accepts TLS 1.0/1.1 and CBC-SHA1 / RSA-key-exchange suites', async () => {
  await withSim(simOptions('127.77.2.14', { tls: { minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' } }), async (sim) => {
    const ep = await probeKubelet(sim.host, sim.ports.secure, { tlsDetail: true });
    assert.deepEqual(ep.tls?.protocols, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    for (const c of ['AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'AES128-GCM-SHA256']) assert.ok(ep.tls?.weakCiphers?.includes(c), c);
    assert.ok(!ep.tls?.weakCiphers?.includes('ECDHE-ECDSA-AES128-SHA'), 'an RSA certificate cannot do ECDSA suites');
  });
});

test('read-only port open: pods, stats, metrics and healthz without authentication; the CVE-2025-0426 checkpoint', async () => {
  await withSim(simOptions('127.77.2.15', { readOnlyPort: true }), async (sim) => {
    const ep = await probeReadOnly(sim.host, sim.ports.readOnly!);
    assert.equal(ep.service, 'kubelet-read-only');
    assert.equal(ep.state, 'open');
    assert.deepEqual(ep.reachable, ['pods', 'stats', 'metrics', 'healthz']);
    assert.equal(ep.version, 'v1.31.4');
    assertNoSecrets(ep);
  });
  await withSim(simOptions('127.77.2.16', { readOnlyPort: true, readOnlyCheckpoint: true }), async (sim) => {
    const ep = await probeReadOnly(sim.host, sim.ports.readOnly!);
    assert.ok(ep.reachable.includes('checkpoint'));
    assert.match(ep.notes.join(' '), /CVE-2025-0426/);
  });
});

test('healthz port; closed ports', async () => {
  await withSim(simOptions('127.77.2.17', { healthz: true }), async (sim) => {
    const ep = await probeHealthz(sim.host, sim.ports.healthz!);
    assert.equal(ep.service, 'kubelet-healthz');
    assert.deepEqual(ep.reachable, ['healthz']);
    assert.equal(ep.probes[0]?.bodyPreview, 'ok');
    // the healthz port is no kubelet API: the read-only probe says so
    const ro = await probeReadOnly(sim.host, sim.ports.healthz!);
    assert.deepEqual(ro.reachable, ['healthz']);
    assert.match(ro.notes.join(' '), /answered 404, not the kubelet's pod list/);
  });
  const closed = await probeKubelet('127.77.2.99', 1, { tlsDetail: true });
  assert.equal(closed.state, 'closed');
  assert.equal(closed.anonymous, null);
  assert.equal(closed.tls, undefined);
  assert.equal((await probeReadOnly('127.77.2.99', 1)).state, 'closed');
  assert.equal((await probeHealthz('127.77.2.99', 1)).state, 'closed');
});

test('hostile 403/500 bodies: a long body is not a kubelet message and costs no backtracking', () => {
  const t0 = performance.now();
  for (const pad of [', verb=x, resource=y, subresource(s)=[', ', verb=x, resource=y, subresource=']) {
    const body = `Forbidden (user=${pad.repeat(2000)}`;
    assert.equal(parseForbidden(body), undefined);
    assert.equal(gateOf(500, `Authorization error (user=${pad.repeat(2000)}`), 'passed');
  }
  assert.ok(performance.now() - t0 < 100, `took ${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(parseForbidden('Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)'), { user: 'system:anonymous', verb: 'get', resource: 'nodes', subresources: ['proxy'], format: 'single' });
});

test('describeCertificate: a self-signed claim must be proved either way (issue 10: a pass makes the title true)', () => {
  // names only: the kubelet's throwaway `<host>-ca@<ts>` issuer is its own pair, not a CA's certificate
  assert.equal(describeCertificate({ subject: 'CN=node-1@1700000000', issuer: 'CN=node-1-ca@1700000000' }).info.selfSigned, true);
  assert.equal(describeCertificate({ subject: 'CN=node-1', issuer: 'CN=kubernetes' }).info.selfSigned, false);
  // a leaf whose issuer has its own name, signed by another key: neither self-signed nor shown CA-signed
  const ca = mintCa('same-name', 'ec');
  const leaf = mintClientCert(ca, 'same-name');
  const raw = new X509Certificate(leaf.cert).raw;
  const d = describeCertificate({ raw });
  assert.equal(d.info.selfSigned, undefined);
  assert.match(d.notes.join(' '), /names itself as its issuer, but its signature does not verify/);
  assert.equal(describeCertificate({ raw: new X509Certificate(ca.cert).raw }).info.selfSigned, true);
});

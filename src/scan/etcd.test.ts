// The etcd probe against a real etcd (Debian `etcd-server`, 3.4) on loopback, in three modes: plain
// HTTP, TLS, and TLS with --client-cert-auth. The test's setup writes ONE key with etcdctl; the probe
// itself never writes. Without an etcd binary (or if it does not start), the etcd tests skip.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayPrefixes, probeEtcd, sampleKey } from './etcd.ts';
import type { Endpoint } from './types.ts';
import { ETCD_MISSING, freePort, haveTool, KEY, mintCerts, openssl, startEtcd, VALUE, type Certs, type Etcd, type Mode } from '../../test/scan/real-etcd.ts';

const HOST = '127.0.0.1';
const T = { connect: 1000, tls: 1000, headers: 2000, body: 2000 };

/** the probe never wrote: only GETs and the keys-only range read */
function assertReadOnly(ep: Endpoint): void {
  for (const p of ep.probes) {
    if (p.method === 'GET') assert.match(p.path, /^\/(version|health|members)$/);
    else {
      assert.equal(p.method, 'POST');
      assert.match(p.path, /^\/v3(beta|alpha)?\/kv\/range$/);
    }
  }
  assert.ok(!JSON.stringify(ep).includes(VALUE), 'a value never reaches the result');
  assert.ok(!JSON.stringify(ep).includes('PRIVATE KEY'), 'key material never reaches the result');
}

// --- real etcd -----------------------------------------------------------------------------------

let certs: Certs | undefined;
let certError: string | undefined;
const instances = new Map<Mode, Etcd>();
const startErrors = new Map<Mode, string>();

before(async () => {
  if (ETCD_MISSING) return;
  try {
    certs = mintCerts();
  } catch (e) {
    certError = `certificates could not be minted: ${(e as Error).message}`;
    return;
  }
  const c = certs;
  await Promise.all(
    (['plain', 'tls', 'mtls', 'auth', 'both'] as const).map(async (mode) => {
      try {
        instances.set(mode, await startEtcd(mode, c));
      } catch (e) {
        startErrors.set(mode, `etcd (${mode}) could not be started here, test skipped: ${(e as Error).message}`);
      }
    }),
  );
});

after(async () => {
  await Promise.all([...instances.values()].map((e) => e.stop()));
  instances.clear();
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

/** the instance, or undefined after t.skip with the reason */
function etcdFor(t: TestContext, mode: Mode): Etcd | undefined {
  const reason = ETCD_MISSING ?? certError ?? startErrors.get(mode);
  const e = instances.get(mode);
  if (!e) {
    t.skip(reason ?? `etcd (${mode}) not running`);
    return undefined;
  }
  t.diagnostic(`etcd ${mode}: healthy ${e.startMs} ms after spawn`);
  return e;
}

async function timed(t: TestContext, what: string, p: Promise<Endpoint>): Promise<Endpoint> {
  const t0 = performance.now();
  const ep = await p;
  t.diagnostic(`${what}: ${Math.round(performance.now() - t0)} ms, ${ep.probes.length} requests`);
  return ep;
}

describe('probeEtcd on a real etcd', { skip: ETCD_MISSING ?? false }, () => {
  test('plain HTTP: no TLS, no certificate, keys readable, the first key named', async (t) => {
    const e = etcdFor(t, 'plain');
    if (!e) return;
    const ep = await timed(t, 'probe plain', probeEtcd(HOST, e.clientPort, { timeouts: T }));
    assert.equal(ep.state, 'open');
    assert.equal(ep.service, 'etcd');
    assert.equal(ep.identity, 'anonymous');
    assert.equal(ep.tls, undefined);
    assert.equal(ep.etcd?.tls, false);
    assert.equal(ep.etcd?.clientCertRequired, false);
    assert.equal(ep.etcd?.health, 'true');
    assert.match(ep.etcd?.version ?? '', /^3\.\d+\.\d+/);
    assert.equal(ep.version, ep.etcd?.version);
    assert.equal(ep.etcd?.keysReadable, true);
    assert.equal(ep.etcd?.sampleKey, KEY);
    // TLS first (reset by etcd's cmux), then plain /version, /health, one range read
    assert.deepEqual(ep.probes.map((p) => `${p.method} ${p.path}`), ['GET /version', 'GET /version', 'GET /health', 'POST /v3/kv/range']);
    assert.ok(ep.probes[0]?.error, 'the TLS attempt failed');
    assert.equal(ep.probes[1]?.status, 200);
    assertReadOnly(ep);
  });

  test('TLS without client auth: TLS, no certificate required, keys readable', async (t) => {
    const e = etcdFor(t, 'tls');
    if (!e) return;
    const ep = await timed(t, 'probe tls', probeEtcd(HOST, e.clientPort, { timeouts: T }));
    assert.equal(ep.state, 'open');
    assert.equal(ep.service, 'etcd');
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.clientCertRequired, false);
    assert.equal(ep.etcd?.health, 'true');
    assert.equal(ep.etcd?.keysReadable, true);
    assert.equal(ep.etcd?.sampleKey, KEY);
    assert.equal(ep.tls?.clientCertRequested, false);
    assert.match(ep.tls?.subject ?? '', /etcd-server/);
    assert.equal(ep.etcd?.plainHttp, false, 'a plain-HTTP request to the TLS-only port was refused');
    assert.deepEqual(ep.probes.map((p) => `${p.method} ${p.path}`), ['GET /version', 'GET /version', 'GET /health', 'POST /v3/kv/range']);
    assertReadOnly(ep);
  });

  test('TLS and plain HTTP on the same port (http:// and https:// in listen-client-urls): both told, the keys read over plain HTTP where etcd answers', async (t) => {
    const e = etcdFor(t, 'both');
    if (!e) return;
    const ep = await timed(t, 'probe both', probeEtcd(HOST, e.clientPort, { timeouts: T }));
    assert.equal(ep.service, 'etcd');
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.plainHttp, true);
    // etcd 3.4's gateway on a port shared by both schemes answers the range read with 503 in about 2
    // runs of 3 (measured: "use of closed network connection" inside etcd): read, or not told, never "refused"
    assert.notEqual(ep.etcd?.keysReadable, false, JSON.stringify(ep.notes));
    if (ep.etcd?.keysReadable === true) assert.equal(ep.etcd.sampleKey, KEY);
    assert.match(ep.notes.join(' '), /also serves plain HTTP/);
    assertReadOnly(ep);
  });

  test('TLS with --client-cert-auth, no identity: a certificate is required, nothing readable', async (t) => {
    const e = etcdFor(t, 'mtls');
    if (!e) return;
    const ep = await timed(t, 'probe mtls anonymous', probeEtcd(HOST, e.clientPort, { timeouts: T }));
    assert.equal(ep.state, 'open');
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.clientCertRequired, true);
    assert.equal(ep.etcd?.keysReadable, false);
    assert.equal(ep.etcd?.sampleKey, undefined);
    assert.equal(ep.identity, 'anonymous');
    assert.equal(ep.tls?.clientCertRequested, true);
    assert.match(ep.probes[0]?.error ?? '', /certificate/i, 'the refusal is a certificate alert');
    assert.equal(ep.etcd?.plainHttp, false);
    assert.deepEqual(ep.probes.map((p) => `${p.method} ${p.path}`), ['GET /version', 'GET /version'], 'TLS without a certificate, then plain HTTP');
    assertReadOnly(ep);
  });

  test('TLS with --client-cert-auth and the client certificate as identity: keys readable', async (t) => {
    const e = etcdFor(t, 'mtls');
    if (!e || !certs) return;
    const identity = { cert: readFileSync(certs.clientCert, 'utf8'), key: readFileSync(certs.clientKey, 'utf8') };
    const ep = await timed(t, 'probe mtls with identity', probeEtcd(HOST, e.clientPort, { timeouts: T, identity }));
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.clientCertRequired, true);
    assert.equal(ep.etcd?.health, 'true');
    assert.equal(ep.etcd?.keysReadable, true);
    assert.equal(ep.etcd?.sampleKey, KEY);
    assert.equal(ep.identity, 'client certificate (CN=root)');
    assertReadOnly(ep);
  });

  test('TLS with --client-cert-auth and a certificate from another CA: refused', async (t) => {
    const e = etcdFor(t, 'mtls');
    if (!e || !certs) return;
    const dir = mkdtempSync(join(tmpdir(), 'kg-etcd-other-'));
    try {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=intruder'], dir);
      const identity = { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
      const ep = await probeEtcd(HOST, e.clientPort, { timeouts: T, identity });
      assert.equal(ep.etcd?.clientCertRequired, true);
      assert.equal(ep.etcd?.keysReadable, false);
      assert.equal(ep.identity, 'anonymous');
      assert.ok(ep.notes.some((n) => /given client certificate was refused/.test(n)), ep.notes.join('\n'));
      assertReadOnly(ep);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("etcd's own auth enabled (plain HTTP): the range read is refused, /version and /health still answer", async (t) => {
    const e = etcdFor(t, 'auth');
    if (!e) return;
    const ep = await timed(t, 'probe auth', probeEtcd(HOST, e.clientPort, { timeouts: T }));
    assert.equal(ep.etcd?.tls, false);
    assert.equal(ep.etcd?.clientCertRequired, false);
    assert.equal(ep.etcd?.health, 'true');
    assert.equal(ep.etcd?.keysReadable, false);
    assert.equal(ep.etcd?.sampleKey, undefined);
    assert.equal(ep.probes.at(-1)?.status, 400);
    assert.ok(ep.notes.some((n) => /range read refused: HTTP 400 \(etcdserver: user name is empty\)/.test(n)), ep.notes.join('\n'));
    assertReadOnly(ep);
  });

  test('peer port, plain: /version answers, /members lists the member', async (t) => {
    const e = etcdFor(t, 'plain');
    if (!e) return;
    const ep = await timed(t, 'probe peer plain', probeEtcd(HOST, e.peerPort, { timeouts: T, peer: true }));
    assert.equal(ep.service, 'etcd-peer');
    assert.equal(ep.etcd?.tls, false);
    assert.equal(ep.etcd?.clientCertRequired, false);
    assert.match(ep.version ?? '', /^3\./);
    assert.ok(ep.notes.some((n) => /\/members lists 1 member/.test(n)), ep.notes.join('\n'));
    assert.ok(!ep.probes.some((p) => p.method === 'POST'), 'no range read on a peer port');
    assertReadOnly(ep);
  });

  test('peer port, TLS without peer client auth: TLS, no certificate required', async (t) => {
    const e = etcdFor(t, 'tls');
    if (!e) return;
    const ep = await probeEtcd(HOST, e.peerPort, { timeouts: T, peer: true });
    assert.equal(ep.service, 'etcd-peer');
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.clientCertRequired, false);
    assert.match(ep.version ?? '', /^3\./);
    assertReadOnly(ep);
  });

  test('peer port with --peer-client-cert-auth: a certificate is required', async (t) => {
    const e = etcdFor(t, 'mtls');
    if (!e) return;
    const ep = await probeEtcd(HOST, e.peerPort, { timeouts: T, peer: true });
    assert.equal(ep.service, 'etcd-peer');
    assert.equal(ep.etcd?.tls, true);
    assert.equal(ep.etcd?.clientCertRequired, true);
    assertReadOnly(ep);
  });

  test('a peer port probed as a client port is recognised as a peer port', async (t) => {
    const e = etcdFor(t, 'plain');
    if (!e) return;
    const ep = await probeEtcd(HOST, e.peerPort, { timeouts: T });
    assert.equal(ep.service, 'etcd-peer');
    assert.equal(ep.etcd?.keysReadable, null);
    assertReadOnly(ep);
  });
});

// --- no etcd needed ------------------------------------------------------------------------------

describe('probeEtcd without etcd', () => {
  test('a closed port: state closed, one attempt', async () => {
    const port = await freePort();
    const ep = await probeEtcd(HOST, port, { timeouts: T });
    assert.equal(ep.state, 'closed');
    assert.equal(ep.etcd, undefined);
    assert.equal(ep.probes.length, 1);
  });

  test('an HTTP server that is not etcd: service other, nothing but GET /version', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    });
    server.on('connection', (s) => s.on('error', () => {}));
    server.on('clientError', (_e, s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, HOST, r));
    try {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const ep = await probeEtcd(HOST, port, { timeouts: T });
      assert.equal(ep.service, 'other');
      assert.equal(ep.etcd, undefined);
      assert.ok(ep.notes.some((n) => /plain HTTP did not answer like etcd/.test(n)), ep.notes.join('\n'));
      assert.deepEqual(seen, ['GET /version']);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('a TLS server that completes the handshake and then stays silent: one bounded attempt, no plain retry', async (t) => {
    if (!haveTool('openssl', ['version'])) return t.skip('openssl is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'kg-etcd-silent-'));
    const sockets: net.Socket[] = [];
    let server: tls.Server | undefined;
    try {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=silent', '-addext', 'subjectAltName=IP:127.0.0.1'], dir);
      const srv = tls.createServer({ cert: readFileSync(join(dir, 'c.pem')), key: readFileSync(join(dir, 'k.pem')) }, (s) => {
        sockets.push(s);
        s.on('error', () => {});
      });
      server = srv;
      srv.on('tlsClientError', () => {});
      await new Promise<void>((r) => srv.listen(0, HOST, r));
      const port = (srv.address() as net.AddressInfo).port;
      const t0 = performance.now();
      const ep = await probeEtcd(HOST, port, { timeouts: { ...T, headers: 300 } });
      const ms = performance.now() - t0;
      assert.ok(ms < 1500, `bounded by the headers timeout (${Math.round(ms)} ms)`);
      assert.equal(ep.probes.length, 1);
      assert.match(ep.probes[0]?.error ?? '', /^headers-timeout/);
      assert.equal(ep.etcd?.tls, true);
      assert.equal(ep.etcd?.clientCertRequired, null);
      assert.equal(ep.tls?.subject, 'CN=silent');
      assert.equal(ep.tls?.selfSigned, true);
    } finally {
      for (const s of sockets) s.destroy();
      if (server) await new Promise((r) => server!.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('gateway prefixes by version', () => {
    assert.deepEqual(gatewayPrefixes('3.2.32'), ['/v3alpha']);
    assert.deepEqual(gatewayPrefixes('3.3.27'), ['/v3beta', '/v3alpha']);
    assert.deepEqual(gatewayPrefixes('3.4.23'), ['/v3', '/v3beta']);
    assert.deepEqual(gatewayPrefixes('3.5.17'), ['/v3', '/v3beta']);
    assert.deepEqual(gatewayPrefixes(undefined), ['/v3', '/v3beta', '/v3alpha']);
  });

  test('sample keys are decoded, cleaned and cut at 100 characters', () => {
    assert.equal(sampleKey(Buffer.from('/registry/pods/a').toString('base64')), '/registry/pods/a');
    assert.equal(sampleKey(Buffer.from('a\nb\u0000c').toString('base64')), 'a?b?c');
    assert.equal(sampleKey(Buffer.from('k'.repeat(500)).toString('base64')).length, 100);
  });
});

test('a hostile etcd: a 10 MB range answer in one-byte chunks is cut at 64 KiB and unknown; member names cut and printable', async () => {
  const members = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ name: i < 10 ? `m${i}\u001b[2J${'x'.repeat(3000)}` : `m${i}`, clientURLs: [] })));
  const server = http.createServer((req, res) => {
    res.on('error', () => {});
    if (req.url === '/version') return res.end('{"etcdserver":"3.5.17","etcdcluster":"3.5.0"}');
    if (req.url === '/members') return res.end(members);
    if (req.url === '/health') return res.end('{"health":"true"}');
    // the range read: 10 MB of a key list, one byte per chunk of chunked encoding
    res.writeHead(200, { 'content-type': 'application/json' });
    const one = (n: number): void => {
      for (let i = 0; i < 4096 && n > 0; i++, n--) if (!res.write('k')) return void res.once('drain', () => one(n - 1));
      if (n > 0) setImmediate(() => one(n));
      else res.end();
    };
    res.write('{"kvs":[{"key":"');
    one(10_000_000);
  });
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.49', resolve));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const t0 = performance.now();
    const client = await probeEtcd('127.0.0.49', port, { timeouts: { connect: 1000, tls: 1000, headers: 1000, body: 5000 } });
    assert.ok(performance.now() - t0 < 15_000);
    assert.equal(client.service, 'etcd');
    assert.equal(client.etcd?.keysReadable, null, JSON.stringify(client.notes));
    const peer = await probeEtcd('127.0.0.49', port, { peer: true, timeouts: { connect: 1000, tls: 1000, headers: 1000, body: 5000 } });
    const note = peer.notes.find((n) => n.startsWith('peer GET /members')) ?? '';
    assert.match(note, /lists 1000 member\(s\): m0\?\[2Jx+, m1/);
    assert.ok(!/\u001b/.test(note) && note.length < 1200, note.slice(0, 300));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

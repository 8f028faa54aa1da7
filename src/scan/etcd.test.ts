// The etcd probe against a real etcd (Debian `etcd-server`, 3.4) on loopback, in three modes: plain
// HTTP, TLS, and TLS with --client-cert-auth. The test's setup writes ONE key with etcdctl; the probe
// itself never writes. Without an etcd binary (or if it does not start), the etcd tests skip.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayPrefixes, probeEtcd, sampleKey } from './etcd.ts';
import type { Endpoint } from './types.ts';

const HOST = '127.0.0.1';
const KEY = '/registry/secrets/kube-system/bootstrap-token-abcdef';
const VALUE = 'value-the-probe-must-never-read';
const T = { connect: 1000, tls: 1000, headers: 2000, body: 2000 };

/** plain HTTP, TLS, TLS + --client-cert-auth, plain HTTP with etcd's own auth (RBAC) enabled */
type Mode = 'plain' | 'tls' | 'mtls' | 'auth';

interface Certs {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

interface Etcd {
  mode: Mode;
  clientPort: number;
  peerPort: number;
  startMs: number;
  stop: () => Promise<void>;
}

// --- environment ---------------------------------------------------------------------------------

function haveTool(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

const ETCD_MISSING = !haveTool('etcd', ['--version'])
  ? 'etcd is not installed (apt-get install etcd-server etcd-client): real-etcd tests skipped'
  : !haveTool('etcdctl', ['version'])
    ? 'etcdctl is not installed (apt-get install etcd-client): real-etcd tests skipped'
    : !haveTool('openssl', ['version'])
      ? 'openssl is not installed: real-etcd tests skipped'
      : undefined;

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** a CA, a server certificate (EC P-256, IP SAN 127.0.0.1) and a client certificate (CN=root) */
function mintCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'kg-etcd-certs-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubelet-guard-test-etcd-ca'], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', 'etcd-server'], ['client', 'root']] as const) {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
  }
  const f = (n: string) => join(dir, n);
  return { dir, ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** the test's own health check (not the probe): GET /health until {"health":"true"} */
function healthOnce(e: { mode: Mode; clientPort: number }, certs: Certs): Promise<boolean> {
  return new Promise((resolve) => {
    const opts = { host: HOST, port: e.clientPort, path: '/health', timeout: 500, agent: false as const };
    const done = (res: http.IncomingMessage) => {
      let b = '';
      res.on('data', (d: Buffer) => (b += d.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && b.includes('"true"')));
      res.on('error', () => resolve(false));
    };
    const req =
      e.mode === 'plain' || e.mode === 'auth'
        ? http.get(opts, done)
        : https.get({ ...opts, ca: readFileSync(certs.ca), ...(e.mode === 'mtls' ? { cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } : {}) }, done);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function etcdctlTls(mode: Mode, certs: Certs): string[] {
  if (mode === 'plain' || mode === 'auth') return [];
  const base = ['--cacert', certs.ca];
  return mode === 'mtls' ? [...base, '--cert', certs.clientCert, '--key', certs.clientKey] : base;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ETCD')) env[k] = v;
  return env;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function startEtcd(mode: Mode, certs: Certs): Promise<Etcd> {
  const dataDir = mkdtempSync(join(tmpdir(), `kg-etcd-${mode}-`));
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const scheme = mode === 'plain' || mode === 'auth' ? 'http' : 'https';
  const clientUrl = `${scheme}://${HOST}:${clientPort}`;
  const peerUrl = `${scheme}://${HOST}:${peerPort}`;
  const args = [
    '--name', 'kg-test',
    '--data-dir', dataDir,
    '--listen-client-urls', clientUrl,
    '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `kg-test=${peerUrl}`,
    '--heartbeat-interval', '10',
    '--election-timeout', '100',
    '--logger', 'zap',
    '--log-outputs', 'stderr',
    '--log-level', 'error',
  ];
  if (scheme === 'https') {
    args.push('--cert-file', certs.serverCert, '--key-file', certs.serverKey, '--peer-cert-file', certs.serverCert, '--peer-key-file', certs.serverKey);
  }
  if (mode === 'mtls') {
    args.push('--client-cert-auth', '--trusted-ca-file', certs.ca, '--peer-client-cert-auth', '--peer-trusted-ca-file', certs.ca);
  }
  const t0 = performance.now();
  const child = spawn('etcd', args, { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  // last resort if the test process ends without the after hook (a crash): never leave etcd behind
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitExit(child, 2000);
      }
    }
    process.removeListener('exit', onExit);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const e = { mode, clientPort };
    let healthy = false;
    while (!healthy && performance.now() - t0 < 15_000) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`etcd exited (${child.exitCode ?? child.signalCode})`);
      healthy = await healthOnce(e, certs);
      if (!healthy) await new Promise((r) => setTimeout(r, 20));
    }
    if (!healthy) throw new Error('etcd not healthy within 15 s');
    const startMs = Math.round(performance.now() - t0);
    // Test setup (never the probe): ONE key, so the range read has something to find.
    const etcdctl = (...words: string[]) => {
      const r = spawnSync('etcdctl', ['--endpoints', clientUrl, ...etcdctlTls(mode, certs), ...words], {
        env: { ...cleanEnv(), ETCDCTL_API: '3' },
        encoding: 'utf8',
        timeout: 10_000,
      });
      if (r.status !== 0) throw new Error(`etcdctl ${words[0]} failed: ${r.stderr || r.error?.message}`);
    };
    etcdctl('put', KEY, VALUE);
    if (mode === 'auth') {
      etcdctl('user', 'add', 'root:kg-test-password');
      etcdctl('user', 'grant-role', 'root', 'root');
      etcdctl('auth', 'enable');
    }
    return { mode, clientPort, peerPort, startMs, stop };
  } catch (err) {
    await stop();
    const said = log.trim().split('\n').slice(-3).join(' ').replace(/\s+/g, ' ').slice(-300);
    throw new Error(`${(err as Error).message}${said ? ` (etcd said: ${said})` : ''}`, { cause: err });
  }
}

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
    (['plain', 'tls', 'mtls', 'auth'] as const).map(async (mode) => {
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
    assert.deepEqual(ep.probes.map((p) => `${p.method} ${p.path}`), ['GET /version', 'GET /health', 'POST /v3/kv/range']);
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
    assert.deepEqual(ep.probes.map((p) => `${p.method} ${p.path}`), ['GET /version']);
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

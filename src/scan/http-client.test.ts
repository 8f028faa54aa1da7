// The scanner's HTTP(S) client against real servers on loopback (127.0.0.0/8 and ::1 only): plain
// HTTP, HTTPS with a certificate minted here by openssl, servers that ask for or require a client
// certificate, a redirect that must not be followed, the body and header caps, and every phase's
// deadline measured. Every server socket has an 'error' handler; everything is closed at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import fc from 'fast-check';
import { httpRequest, sawCertificateRequest } from './http-client.ts';
import type { HttpRequest, HttpResult } from './http-contract.ts';
import { afterRequestHead } from '../../test/scan/hostile.ts';
import { backlogFull } from '../../test/support/backlog-full.ts';

const H = '127.0.0.1';
const noop = (): void => {};

// ---- certificates --------------------------------------------------------------------------------

interface Certs {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function mintCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'kg-http-client-'));
  try {
    const ossl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    ossl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kg-test-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const who of ['server', 'client']) {
      ossl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/O=kg-test/CN=kg-test-${who}`);
      ossl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${who}.crt`, '-extfile', `${who}.ext`);
    }
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- servers ---------------------------------------------------------------------------------------

interface Running {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

const open: Running[] = [];

/** Listens on host:0; every socket gets an 'error' handler and is destroyed by close(). */
async function serve(server: net.Server, host = H): Promise<Running> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  server.on('connection', (s: net.Socket) => {
    count++;
    sockets.add(s);
    s.on('error', noop);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: tls.TLSSocket) => s.on('error', noop));
  server.on('tlsClientError', noop);
  server.on('clientError', (_e: Error, s: net.Socket) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      server.on('error', noop);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  let closed: Promise<void> | undefined;
  const running: Running = {
    port,
    connections: () => count,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })),
  };
  open.push(running);
  return running;
}

/** A raw TCP server: `onSocket` writes whatever bytes it likes. */
function rawServer(onSocket: (s: net.Socket) => void, host = H): Promise<Running> {
  return serve(net.createServer(onSocket), host);
}

function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.on('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

let certs: Certs;
const get = (port: number, more: Partial<HttpRequest> = {}): Promise<HttpResult> => httpRequest({ host: H, port, tls: false, method: 'GET', path: '/', ...more });
function ok(r: HttpResult): Extract<HttpResult, { ok: true }> {
  if (!r.ok) assert.fail(`expected a response, got ${r.error}: ${r.detail}`);
  return r;
}
function err(r: HttpResult): Extract<HttpResult, { ok: false }> {
  if (r.ok) assert.fail(`expected an error, got status ${r.res.status}`);
  return r;
}

before(() => {
  certs = mintCerts();
});

after(async () => {
  await Promise.all(open.map((s) => s.close()));
});

// ---- plain HTTP --------------------------------------------------------------------------------------

describe('plain HTTP', () => {
  test('a GET gets status, headers and body; no Accept-Encoding is sent, the Host header is right, the connection closes', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const srv = await serve(
      http.createServer((rq, rs) => {
        seen = rq.headers;
        rs.writeHead(200, { 'Content-Type': 'application/json', 'X-Twice': ['a', 'b'] });
        rs.end('{"kind":"PodList"}');
      }),
    );
    const r = ok(await get(srv.port, { path: '/pods?x=1', headers: { 'User-Agent': 'kubelet-guard-test' } }));
    assert.equal(r.res.status, 200);
    assert.equal(r.res.body.toString(), '{"kind":"PodList"}');
    assert.equal(r.res.truncated, false);
    assert.equal(r.res.headers['content-type'], 'application/json');
    assert.equal(r.res.tls, undefined);
    assert.equal(seen['accept-encoding'], undefined);
    assert.equal(seen['host'], `${H}:${srv.port}`);
    assert.equal(seen['connection'], 'close');
    assert.equal(seen['user-agent'], 'kubelet-guard-test');
    assert.ok(r.ms >= 0 && r.ms < 2000);
  });

  test('no credential ever goes over plain HTTP: no token, no Authorization, Proxy-Authorization or Cookie header', async () => {
    const srv = await serve(http.createServer((rq, rs) => rs.end(JSON.stringify([rq.headers.authorization, rq.headers['proxy-authorization'], rq.headers.cookie, rq.headers['x-kept']]))));
    const r = ok(await get(srv.port, { auth: { token: 'abc.def-123' }, headers: { authorization: 'Basic eA==', 'Proxy-Authorization': 'Basic eA==', Cookie: 'a=b', 'x-kept': '1' } }));
    assert.equal(r.res.body.toString(), '[null,null,null,"1"]');
  });

  test('a POST body is sent with its length', async () => {
    const srv = await serve(
      http.createServer((rq, rs) => {
        const parts: Buffer[] = [];
        rq.on('data', (d: Buffer) => parts.push(d));
        rq.on('end', () => rs.end(`${rq.method} ${rq.headers['content-length']} ${Buffer.concat(parts).toString()}`));
      }),
    );
    const r = ok(await get(srv.port, { method: 'POST', body: 'hello' }));
    assert.equal(r.res.body.toString(), 'POST 5 hello');
  });

  test('a 302 to another address is returned as is and never followed', async () => {
    const target = await serve(http.createServer((_rq, rs) => rs.end('followed')), '127.0.0.2');
    const srv = await serve(
      http.createServer((_rq, rs) => {
        rs.writeHead(302, { Location: `http://127.0.0.2:${target.port}/pods` });
        rs.end('moved');
      }),
    );
    const r = ok(await get(srv.port));
    assert.equal(r.res.status, 302);
    assert.equal(r.res.headers.location, `http://127.0.0.2:${target.port}/pods`);
    assert.equal(r.res.body.toString(), 'moved');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(target.connections(), 0);
  });

  test('a 101 answer is reported, never switched to', async () => {
    const srv = await rawServer((s) => afterRequestHead(s, () => s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nrest')));
    const r = ok(await get(srv.port));
    assert.equal(r.res.status, 101);
    assert.equal(r.res.body.length, 0);
  });

  test('a refused port is "refused"; an invalid request touches no network', async () => {
    const srv = await serve(http.createServer(noop));
    const port = srv.port;
    await srv.close();
    const r = err(await get(port));
    assert.equal(r.error, 'refused');
    for (const bad of [{ path: 'no-slash' }, { path: '/a b' }, { method: 'GE T' }, { headers: { 'X-A': 'a\r\nInjected: 1' } }, { auth: { token: 'x\ny' } }, { port: 0 }, { host: '[::1]' }]) {
      const b = err(await get(port, bad));
      assert.equal(b.error, 'aborted');
      assert.match(b.detail, /^invalid request/);
      assert.doesNotMatch(b.detail, /Injected|x\ny/);
    }
  });

  test('an SSH banner is "not-http", and the detail shows what was said', async () => {
    const srv = await rawServer((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
    const r = err(await get(srv.port));
    assert.equal(r.error, 'not-http');
    assert.match(r.detail, /SSH-2\.0-OpenSSH/);
  });

  test('a reset mid-body is "reset" and says how many bytes arrived', async () => {
    const srv = await rawServer((s) =>
      afterRequestHead(s, () => {
        s.write(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1234)}`);
        setTimeout(() => s.resetAndDestroy(), 100);
      }),
    );
    const r = err(await get(srv.port));
    assert.equal(r.error, 'reset');
    assert.match(r.detail, /1234 bytes/);
  });

  test('a close before any answer is "reset"', async () => {
    const srv = await rawServer((s) => afterRequestHead(s, () => s.end()));
    const r = err(await get(srv.port));
    assert.equal(r.error, 'reset');
  });
});

// ---- caps ------------------------------------------------------------------------------------------

describe('caps', () => {
  test('the body is cut at maxBodyBytes: truncated, not an error; a body of exactly the cap is whole', async () => {
    const srv = await serve(http.createServer((rq, rs) => rs.end('y'.repeat(Number(rq.url?.slice(1))))));
    const big = ok(await get(srv.port, { path: '/100000', maxBodyBytes: 1000 }));
    assert.equal(big.res.truncated, true);
    assert.equal(big.res.body.length, 1000);
    const exact = ok(await get(srv.port, { path: '/1000', maxBodyBytes: 1000 }));
    assert.equal(exact.res.truncated, false);
    assert.equal(exact.res.body.length, 1000);
    const deflt = ok(await get(srv.port, { path: `/${2 * 1024 * 1024}` }));
    assert.equal(deflt.res.truncated, true);
    assert.equal(deflt.res.body.length, 1024 * 1024);
  });

  test('property: body length is min(size, cap) and truncated iff size > cap', async () => {
    const srv = await serve(http.createServer((rq, rs) => rs.end('z'.repeat(Number(rq.url?.slice(1))))));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 70000 }), fc.integer({ min: 0, max: 70000 }), async (size, cap) => {
        const r = ok(await get(srv.port, { path: `/${size}`, maxBodyBytes: cap }));
        assert.equal(r.res.body.length, Math.min(size, cap));
        assert.equal(r.res.truncated, size > cap);
      }),
      { numRuns: 40 },
    );
  });

  test('headers above maxHeaderBytes (default 16 KiB) are "headers-too-large"; a larger cap lets them in', async () => {
    const srv = await rawServer((s) => afterRequestHead(s, () => s.end(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(20000)}\r\nContent-Length: 2\r\n\r\nok`)));
    const r = err(await get(srv.port));
    assert.equal(r.error, 'headers-too-large');
    const big = ok(await get(srv.port, { maxHeaderBytes: 64 * 1024 }));
    assert.equal(big.res.body.toString(), 'ok');
  });
});

// ---- TLS -------------------------------------------------------------------------------------------

describe('TLS', () => {
  test('a bearer token goes in the Authorization header over TLS (and replaces one given in headers)', async () => {
    const srv = await serve(https.createServer({ key: certs.serverKey, cert: certs.serverCert }, (rq, rs) => rs.end(rq.headers.authorization ?? 'none')));
    const r = ok(await get(srv.port, { tls: true, auth: { token: 'abc.def-123' }, headers: { authorization: 'Basic eA==' } }));
    assert.equal(r.res.body.toString(), 'Bearer abc.def-123');
    const anon = ok(await get(srv.port, { tls: true }));
    assert.equal(anon.res.body.toString(), 'none');
  });

  test('https with a minted certificate: inspected, not trusted; leaf and chain recorded', async () => {
    const srv = await serve(https.createServer({ key: certs.serverKey, cert: certs.serverCert + certs.ca }, (_rq, rs) => rs.end('secure')));
    const r = ok(await get(srv.port, { tls: true }));
    assert.equal(r.res.body.toString(), 'secure');
    const t = r.res.tls!;
    assert.equal(t.protocol, 'TLSv1.3');
    assert.ok(t.cipher);
    assert.equal(t.authorized, false);
    assert.equal(t.clientCertRequested, false);
    const leaf = new X509Certificate(certs.serverCert);
    const ca = new X509Certificate(certs.ca);
    assert.equal(t.peer?.subject, 'O=kg-test, CN=kg-test-server');
    assert.equal(t.peer?.issuer, 'CN=kg-test-ca');
    assert.deepEqual(t.peer?.sans, ['IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'DNS:localhost']);
    assert.equal(t.peer?.fingerprint256, leaf.fingerprint256);
    assert.ok(t.peer?.raw?.equals(leaf.raw));
    assert.equal(t.peer?.notAfter, new Date(leaf.validTo).toISOString());
    assert.equal(t.peer?.notBefore, new Date(leaf.validFrom).toISOString());
    // the self-signed CA points to itself: the chain stops there
    assert.equal(t.peer?.chain?.length, 1);
    assert.ok(t.peer?.chain?.[0]?.equals(ca.raw));
  });

  test('TLS 1.2 and old-protocol options are passed through', async () => {
    const srv = await serve(https.createServer({ key: certs.serverKey, cert: certs.serverCert }, (_rq, rs) => rs.end('ok')));
    const r = ok(await get(srv.port, { tls: true, tlsOptions: { maxVersion: 'TLSv1.2' } }));
    assert.equal(r.res.tls?.protocol, 'TLSv1.2');
    assert.equal(r.res.tls?.clientCertRequested, false);
    const old = err(await get(srv.port, { tls: true, tlsOptions: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' } }));
    assert.equal(old.error, 'tls-error');
  });

  test('large bodies over TLS arrive whole, also when the end of the body is the end of the connection', async () => {
    const big = Buffer.alloc(300 * 1024, 'q');
    const srv = await serve(
      tls.createServer({ key: certs.serverKey, cert: certs.serverCert }, (s) => {
        s.on('error', noop);
        afterRequestHead(s, () => {
          s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
          s.end(big);
        });
      }),
    );
    for (let i = 0; i < 5; i++) {
      const r = ok(await get(srv.port, { tls: true }));
      assert.equal(r.res.truncated, false);
      assert.ok(r.res.body.equals(big), `round ${i}: ${r.res.body.length} bytes`);
    }
  });

  test('a handshake that never completes carries no TLS facts', async () => {
    const srv = await rawServer((s) => s.resume());
    const r = err(await get(srv.port, { tls: true, timeouts: { tls: 100 } }));
    assert.equal(r.error, 'tls-timeout');
    assert.equal(r.tls, undefined);
  });

  test('speaking TLS to plain HTTP is a "tls-error"', async () => {
    const srv = await serve(http.createServer((_rq, rs) => rs.end('plain')));
    const r = err(await get(srv.port, { tls: true }));
    assert.equal(r.error, 'tls-error');
  });

  test('a server that requires a client certificate: refused without one (TLS 1.3 and 1.2), served with one', async () => {
    let who = '';
    const srv = await serve(
      https.createServer({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: true }, (rq, rs) => {
        who = (rq.socket as tls.TLSSocket).getPeerCertificate().subject?.CN as string;
        rs.end('hello client');
      }),
    );
    for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
      const r = err(await get(srv.port, { tls: true, tlsOptions: { maxVersion } }));
      assert.equal(r.error, 'tls-error', maxVersion);
      assert.equal(r.tls?.clientCertRequested, true, maxVersion);
      assert.ok(r.tls?.peer?.fingerprint256, `${maxVersion}: the server certificate is recorded even so`);
    }
    const r = ok(await get(srv.port, { tls: true, auth: { cert: certs.clientCert, key: certs.clientKey } }));
    assert.equal(r.res.body.toString(), 'hello client');
    assert.equal(who, 'kg-test-client');
    assert.equal(r.res.tls?.clientCertRequested, true);
  });

  test('a server that asks for a client certificate without requiring one: seen in TLS 1.2, 1.3, every 1.3 suite and after a HelloRetryRequest', async () => {
    const cases: Array<{ name: string; server: tls.TlsOptions; client: HttpRequest['tlsOptions'] }> = [
      { name: 'TLS 1.2', server: {}, client: { maxVersion: 'TLSv1.2' } },
      { name: 'AES-128-GCM', server: { ciphers: 'TLS_AES_128_GCM_SHA256' }, client: {} },
      { name: 'AES-256-GCM', server: { ciphers: 'TLS_AES_256_GCM_SHA384' }, client: {} },
      { name: 'CHACHA20', server: { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, client: {} },
      { name: 'HelloRetryRequest', server: { ecdhCurve: 'P-384' }, client: {} },
    ];
    for (const c of cases) {
      for (const requestCert of [true, false]) {
        const srv = await serve(https.createServer({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert, rejectUnauthorized: false, ...c.server }, (_rq, rs) => rs.end('ok')));
        const r = ok(await get(srv.port, { tls: true, tlsOptions: c.client }));
        assert.equal(r.res.tls?.clientCertRequested, requestCert, `${c.name} requestCert=${requestCert}`);
        await srv.close();
      }
    }
  });

  test('sawCertificateRequest never throws and says undefined on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.string(), { maxLength: 3 }), (bytes, keylog) => {
        const v = sawCertificateRequest(Buffer.from(bytes), keylog);
        assert.ok(v === undefined || typeof v === 'boolean');
      }),
      { numRuns: 500 },
    );
    assert.equal(sawCertificateRequest(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), []), undefined);
    assert.equal(sawCertificateRequest(Buffer.alloc(0), []), undefined);
  });
});

// ---- deadlines ---------------------------------------------------------------------------------------

describe('per-phase deadlines (300 ms each; fired within 250–1500 ms on a loaded machine)', () => {
  const D = 300;
  const within = (ms: number, label: string): void => assert.ok(ms >= D - 50 && ms <= 1500, `${label} fired at ${ms} ms for a ${D} ms deadline`);

  test('connect: a SYN that is never answered → connect-timeout', async (t) => {
    const full = await backlogFull();
    if (!full) {
      t.skip('python3 is not available to hold a full accept queue');
      return;
    }
    try {
      const r = err(await get(full.port, { timeouts: { connect: D } }));
      assert.equal(r.error, 'connect-timeout');
      within(r.ms, 'connect');
      t.diagnostic(`connect: deadline ${D} ms → fired at ${r.ms} ms`);
    } finally {
      await full.close();
    }
  });

  test('tls: a TCP server that never answers the ClientHello → tls-timeout', async (t) => {
    const srv = await rawServer((s) => s.resume());
    const r = err(await get(srv.port, { tls: true, timeouts: { tls: D } }));
    assert.equal(r.error, 'tls-timeout');
    within(r.ms, 'tls');
    t.diagnostic(`tls: deadline ${D} ms → fired at ${r.ms} ms`);
  });

  test('headers: a server that reads the request and says nothing → headers-timeout (over HTTP and over TLS)', async (t) => {
    const srv = await rawServer((s) => s.resume());
    const r = err(await get(srv.port, { timeouts: { headers: D } }));
    assert.equal(r.error, 'headers-timeout');
    within(r.ms, 'headers');
    t.diagnostic(`headers: deadline ${D} ms → fired at ${r.ms} ms`);
    const tsrv = await serve(tls.createServer({ key: certs.serverKey, cert: certs.serverCert }, (s) => s.resume()));
    const tr = err(await get(tsrv.port, { tls: true, timeouts: { headers: D } }));
    assert.equal(tr.error, 'headers-timeout');
    assert.equal(tr.tls?.protocol, 'TLSv1.3', 'what the handshake showed comes with the error');
    within(tr.ms, 'headers over TLS');
    t.diagnostic(`headers over TLS: deadline ${D} ms → fired at ${tr.ms} ms`);
  });

  test('body: headers, then a body that never ends → body-timeout, counted from the headers', async (t) => {
    let headersAt = 0;
    const t0 = performance.now();
    const srv = await rawServer((s) =>
      afterRequestHead(s, () => {
        // the headers come after 200 ms: the body deadline starts then, not at the request
        setTimeout(() => {
          headersAt = performance.now() - t0;
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
        }, 200);
      }),
    );
    const r = err(await get(srv.port, { timeouts: { headers: D, body: D } }));
    assert.equal(r.error, 'body-timeout');
    assert.match(r.detail, /3 bytes/);
    const bodyMs = Math.round(r.ms - headersAt);
    within(bodyMs, 'body');
    t.diagnostic(`body: deadline ${D} ms → fired ${bodyMs} ms after the headers (${r.ms} ms in all)`);
  });

  test('the deadlines are per phase: a slow answer within each phase passes', async () => {
    const srv = await rawServer((s) =>
      afterRequestHead(s, () => {
        setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n'), 200);
        setTimeout(() => s.end('done'), 400);
      }),
    );
    const r = ok(await get(srv.port, { timeouts: { headers: D, body: D } }));
    assert.equal(r.res.body.toString(), 'done');
  });

  test('an abort signal stops the request at once, in any phase; an aborted signal opens no connection', async (t) => {
    const srv = await rawServer((s) => s.resume());
    for (const tlsOn of [false, true]) {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const r = err(await get(srv.port, { tls: tlsOn, signal: ac.signal, timeouts: { tls: 5000, headers: 5000 } }));
      assert.equal(r.error, 'aborted');
      assert.ok(r.ms >= 80 && r.ms < 1000, `aborted at ${r.ms} ms`);
      t.diagnostic(`abort at 100 ms (${tlsOn ? 'TLS handshake' : 'headers'}) → returned at ${r.ms} ms`);
    }
    const before = srv.connections();
    const r = err(await get(srv.port, { signal: AbortSignal.abort() }));
    assert.equal(r.error, 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(srv.connections(), before);
  });
});

// ---- IPv6 ------------------------------------------------------------------------------------------

describe('IPv6 (::1)', () => {
  test('http and https to ::1, host given without brackets', async (t) => {
    if (!(await ipv6Available())) {
      t.skip('no ::1 on this machine');
      return;
    }
    let host = '';
    const srv = await serve(
      http.createServer((rq, rs) => {
        host = rq.headers.host ?? '';
        rs.end('v6');
      }),
      '::1',
    );
    const r = ok(await httpRequest({ host: '::1', port: srv.port, tls: false, method: 'GET', path: '/' }));
    assert.equal(r.res.body.toString(), 'v6');
    assert.equal(host, `[::1]:${srv.port}`);
    const tsrv = await serve(https.createServer({ key: certs.serverKey, cert: certs.serverCert }, (_rq, rs) => rs.end('v6s')), '::1');
    const tr = ok(await httpRequest({ host: '::1', port: tsrv.port, tls: true, method: 'GET', path: '/' }));
    assert.equal(tr.res.body.toString(), 'v6s');
    assert.ok(tr.res.tls?.peer?.sans?.includes('IP Address:0:0:0:0:0:0:0:1'));
  });
});

// ---- nothing left open ----------------------------------------------------------------------------

test('after all requests and servers are closed, no TCP socket is left', async () => {
  await Promise.all(open.map((s) => s.close()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const left = process.getActiveResourcesInfo().filter((r) => /TCP|TLS/i.test(r));
  assert.deepEqual(left, []);
});

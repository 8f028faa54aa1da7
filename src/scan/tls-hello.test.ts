// The hand-made ClientHello (tls-hello.ts) against a real TLS stack (Node's OpenSSL) on loopback,
// and against raw servers that answer as a kubelet configured with 3DES or RC4 would (no OpenSSL
// here can serve them: that is why the probe exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { clientHello, offerSuite, readAnswer } from './tls-hello.ts';
import { mintServingCert } from '../../test/scan/kubelet-sim.ts';

const HOST = '127.0.0.1';
const T = { connect: 1000, tls: 2000 };

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, HOST, () => resolve((server.address() as net.AddressInfo).port)));
}

/** the cipher suites a ClientHello offers */
function offered(hello: Buffer): number[] {
  const hs = hello.subarray(5);
  const sid = hs[4 + 2 + 32]!;
  const at = 4 + 2 + 32 + 1 + sid;
  const len = hs.readUInt16BE(at);
  const out: number[] = [];
  for (let i = 0; i < len; i += 2) out.push(hs.readUInt16BE(at + 2 + i));
  return out;
}

/** a ServerHello record choosing `suite` (enough of one for the probe: it never reads further) */
function serverHello(suite: number): Buffer {
  const body = Buffer.concat([Buffer.from([0x03, 0x03]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([suite >> 8, suite & 0xff]), Buffer.from([0, 0, 0])]);
  const hs = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0, hs.length]), hs]);
}

test('a real TLS server (OpenSSL): the suite it allows is accepted, one it does not is refused', async () => {
  const cert = mintServingCert('self-signed', HOST, 'hello-test');
  const server = tls.createServer({ key: cert.key, cert: cert.chain, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' }, (s) => s.end());
  server.on('tlsClientError', () => {});
  const port = await listen(server);
  try {
    const rsaCbc = await offerSuite(HOST, port, 0x002f, T); // TLS_RSA_WITH_AES_128_CBC_SHA = AES128-SHA
    assert.equal(rsaCbc.accepted, true, JSON.stringify(rsaCbc));
    const gcm = await offerSuite(HOST, port, 0x009c, T); // AES128-GCM-SHA256: not allowed here
    assert.equal(gcm.accepted, false, JSON.stringify(gcm));
    const des = await offerSuite(HOST, port, 0x000a, T); // 3DES: this OpenSSL cannot even serve it
    assert.equal(des.accepted, false, JSON.stringify(des));
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('a server that chooses 3DES or RC4 (as a kubelet with them in tlsCipherSuites would): accepted; another suite or an alert: refused', async () => {
  const accepts = new Set([0x000a, 0xc011]);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', (d: Buffer) => {
      const suite = offered(d)[0]!;
      s.end(accepts.has(suite) ? serverHello(suite) : Buffer.from([0x15, 0x03, 0x03, 0, 2, 2, 40])); // fatal handshake_failure
    });
  });
  const port = await listen(server);
  try {
    assert.equal((await offerSuite(HOST, port, 0x000a, T)).accepted, true);
    assert.equal((await offerSuite(HOST, port, 0xc011, T)).accepted, true);
    assert.equal((await offerSuite(HOST, port, 0x0005, T)).accepted, false);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('no TLS answer is no verdict: silence, garbage, a refused connection', async () => {
  const silent = net.createServer((s) => {
    s.on('error', () => {});
    s.resume(); // reads (and drops) the hello, so the client's close is seen
  });
  const garbage = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  });
  const [p1, p2] = [await listen(silent), await listen(garbage)];
  try {
    assert.equal((await offerSuite(HOST, p1, 0x000a, { connect: 1000, tls: 200 })).accepted, undefined);
    assert.equal((await offerSuite(HOST, p2, 0x000a, T)).accepted, undefined);
    const gone = net.createServer();
    const closedPort = await listen(gone);
    await new Promise((r) => gone.close(r));
    assert.equal((await offerSuite(HOST, closedPort, 0x000a, T)).accepted, undefined);
  } finally {
    await Promise.all([silent, garbage].map((s) => new Promise((r) => s.close(r))));
  }
});

test('the ClientHello offers exactly the suite asked (and the renegotiation SCSV); the answer parser', () => {
  assert.deepEqual(offered(clientHello(0xc012)), [0xc012, 0x00ff]);
  assert.equal(readAnswer(serverHello(0xc012), 0xc012), true);
  assert.equal(readAnswer(serverHello(0xc013), 0xc012), false);
  assert.equal(readAnswer(Buffer.from([0x15, 3, 3, 0, 2, 2, 40]), 0xc012), false);
  assert.equal(readAnswer(Buffer.from([0x16, 3]), 0xc012), 'more');
  assert.equal(readAnswer(Buffer.from('HTTP/1.1 400'), 0xc012), 'not-tls');
});

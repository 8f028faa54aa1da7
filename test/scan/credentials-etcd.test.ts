// Where `scan` sends credentials, continued (issue 10, §3: "the same audit for etcd and the healthz
// port"). etcd has its own CA (kubeadm: /etc/kubernetes/pki/etcd): the kubelet identity (a token, a
// client certificate, a kubeconfig user) is never shown to it; only --etcd-cert/--etcd-key is, and
// only in the TLS handshake of an etcd that asks for a certificate. The healthz port (plain HTTP)
// gets no Authorization header, whatever the identity. Two witnesses on loopback: a recording TLS
// "etcd" that sees every client certificate and every decrypted request byte, and the real etcd
// (mutual TLS) where it is installed. test/scan/credentials.test.ts covers the plain-HTTP ports.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintCa, mintClientCert, mintServingCert, simOptions, startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { ETCD_MISSING, mintCerts, startEtcd, type Certs, type Etcd } from './real-etcd.ts';
import { runCli } from '../run-cli.ts';

const TOKEN = 'kg-etcd-test-token-Pw3zL8qN6cV1';
const KUBE_USER = 'kube-client-cert-user';

interface Conn {
  /** the client certificate's subject CN when one was presented */
  clientCn?: string;
  /** every decrypted byte the client sent */
  bytes: Buffer[];
}

/** A TLS "etcd" that asks for a client certificate, answers a client that shows one, and resets one that does not (as etcd --client-cert-auth does). */
function startRecordingEtcd(host: string, port: number): Promise<{ conns: Conn[]; server: tls.Server }> {
  const serving = mintServingCert('self-signed', host, 'recording-etcd');
  const conns: Conn[] = [];
  const server = tls.createServer({ key: serving.key, cert: serving.chain, requestCert: true, rejectUnauthorized: false }, (s) => {
    const peer = s.getPeerCertificate();
    const conn: Conn = { bytes: [], ...(peer && peer.subject ? { clientCn: String(peer.subject.CN) } : {}) };
    conns.push(conn);
    s.on('error', () => {});
    if (!conn.clientCn) return void s.destroy(); // certificate required
    s.on('data', (d: Buffer) => {
      conn.bytes.push(d);
      const all = Buffer.concat(conn.bytes).toString('latin1');
      if (!all.includes('\r\n\r\n')) return;
      const body = all.startsWith('GET /version') ? '{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}' : all.startsWith('GET /health') ? '{"health":"true"}' : '{"kvs":[],"count":"0"}';
      s.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ conns, server }));
  });
}

/** A plain server on the healthz port that keeps every byte. */
function startHealthzCapture(host: string): Promise<{ bytes: Buffer[]; server: net.Server }> {
  const bytes: Buffer[] = [];
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      bytes.push(d);
      if (Buffer.concat(bytes).includes('\r\n\r\n')) s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(10248, host, () => resolve({ bytes, server }));
  });
}

let host = '';
let etcd: { conns: Conn[]; server: tls.Server }[] = [];
let healthz: { bytes: Buffer[]; server: net.Server } | undefined;
let sim: KubeletSim;
let dir = '';
let kubeClient: { cert: string; key: string };
let etcdClient: { cert: string; key: string };
let etcdCa: { cert: string; key: string };

before(async () => {
  for (let i = 1; i <= 20 && host === ''; i++) {
    const h = `127.0.78.${i}`;
    try {
      etcd = [await startRecordingEtcd(h, 2379), await startRecordingEtcd(h, 2380)];
      healthz = await startHealthzCapture(h);
      host = h;
    } catch {
      await Promise.all(etcd.map((e) => new Promise((r) => e.server.close(r))));
      etcd = [];
      if (healthz) await new Promise((r) => healthz!.server.close(r));
      healthz = undefined;
    }
  }
  assert.ok(host, 'no free 127.0.78.x address for 2379, 2380 and 10248');
  const kubeCa = mintCa('kg-test-kubelet-client-ca');
  kubeClient = mintClientCert(kubeCa, KUBE_USER);
  etcdCa = mintCa('kg-test-etcd-ca');
  etcdClient = mintClientCert(etcdCa, 'kube-apiserver-etcd-client');
  // the kubelet trusts BOTH CAs: had the etcd certificate been shown to it, it would have authenticated it
  sim = await startKubeletSim(simOptions(host, { tokens: { [TOKEN]: 'scanner' }, clientCA: kubeCa.cert + etcdCa.cert, policy: () => true, ports: { secure: 10250 } }));
  dir = mkdtempSync(join(tmpdir(), 'kg-creds-etcd-'));
  writeFileSync(join(dir, 'token'), TOKEN + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'k.crt'), kubeClient.cert);
  writeFileSync(join(dir, 'k.key'), kubeClient.key, { mode: 0o600 });
  writeFileSync(join(dir, 'e.crt'), etcdClient.cert);
  writeFileSync(join(dir, 'e.key'), etcdClient.key, { mode: 0o600 });
  writeFileSync(
    join(dir, 'kc-cert'),
    `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\nclusters:\n- name: k\n  cluster:\n    server: https://${host}:6443\nusers:\n- name: u\n  user:\n    client-certificate-data: ${Buffer.from(kubeClient.cert).toString('base64')}\n    client-key-data: ${Buffer.from(kubeClient.key).toString('base64')}\n`,
    { mode: 0o600 },
  );
});

after(async () => {
  await sim?.close();
  await Promise.all(etcd.map((e) => new Promise((r) => e.server.close(r))));
  if (healthz) await new Promise((r) => healthz!.server.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function reset(): void {
  for (const e of etcd) e.conns.length = 0;
  if (healthz) healthz.bytes.length = 0;
  sim.requests.length = 0;
}

interface Rep {
  endpoints: Array<{ port: number; service: string; identity: string; etcd?: { clientCertRequired: boolean | null; keysReadable?: boolean | null } }>;
}

async function scan(ports: string, ...args: string[]): Promise<Rep> {
  const r = await runCli('scan', host, '--ports', ports, ...args, '--format', 'json', '--no-progress');
  assert.notEqual(r.code, 2, r.err);
  return JSON.parse(r.out) as Rep;
}

const IDENTITIES: Array<{ name: string; args: () => string[] }> = [
  { name: '--token', args: () => ['--token', TOKEN] },
  { name: '--token-file', args: () => ['--token-file', join(dir, 'token')] },
  { name: '--cert/--key', args: () => ['--cert', join(dir, 'k.crt'), '--key', join(dir, 'k.key')] },
  { name: '--kubeconfig (client certificate)', args: () => ['--kubeconfig', join(dir, 'kc-cert')] },
];

for (const id of IDENTITIES) {
  test(`${id.name}: etcd (client and peer port) sees no certificate and no Authorization; healthz no Authorization; the kubelet gets the identity`, async () => {
    reset();
    const rep = await scan('10250,10248,2379,2380', ...id.args());
    for (const e of etcd) {
      assert.ok(e.conns.length >= 1, 'the etcd stand-in was probed');
      for (const c of e.conns) {
        assert.equal(c.clientCn, undefined, `a client certificate (CN=${c.clientCn}) was shown to etcd`);
        assert.doesNotMatch(Buffer.concat(c.bytes).toString('latin1'), /authorization:|bearer/i);
      }
    }
    const hz = Buffer.concat(healthz!.bytes).toString('latin1');
    assert.match(hz, /^GET \/healthz /);
    assert.doesNotMatch(hz, /^(proxy-)?authorization:|^cookie:|bearer/im);
    assert.ok(!hz.includes(TOKEN));
    for (const port of [2379, 2380]) {
      const ep = rep.endpoints.find((e) => e.port === port)!;
      assert.equal(ep.identity, 'anonymous');
      assert.equal(ep.etcd?.clientCertRequired, true);
    }
    // the kubelet did get it (the identity was usable)
    assert.ok(sim.requests.some((q) => q.user === 'scanner' || q.user === KUBE_USER), JSON.stringify(sim.requests.map((q) => q.user)));
  });
}

test('--etcd-cert/--etcd-key: shown to etcd in its handshake only, never to the kubelet; no Authorization anywhere', async () => {
  reset();
  const rep = await scan('10250,10248,2379,2380', '--etcd-cert', join(dir, 'e.crt'), '--etcd-key', join(dir, 'e.key'));
  const shown = etcd.flatMap((e) => e.conns.map((c) => c.clientCn)).filter((cn) => cn !== undefined);
  assert.ok(shown.length >= 2 && shown.every((cn) => cn === 'kube-apiserver-etcd-client'), JSON.stringify(shown));
  for (const e of etcd) for (const c of e.conns) assert.doesNotMatch(Buffer.concat(c.bytes).toString('latin1'), /authorization:|bearer/i);
  assert.equal(rep.endpoints.find((e) => e.port === 2379)!.identity, 'client certificate (CN=kube-apiserver-etcd-client)');
  // the kubelet was probed without credentials only
  assert.ok(sim.requests.length > 0);
  assert.ok(!sim.requests.some((q) => q.user === 'kube-apiserver-etcd-client'), 'the etcd certificate was shown to the kubelet');
  const k = rep.endpoints.find((e) => e.port === 10250)!;
  assert.equal(k.identity, 'anonymous');
});

test('--etcd-cert without --etcd-key, or a file that is no certificate: a usage error', async () => {
  for (const args of [['--etcd-cert', join(dir, 'e.crt')], ['--etcd-key', join(dir, 'e.key')], ['--etcd-cert', join(dir, 'token'), '--etcd-key', join(dir, 'e.key')]]) {
    const r = await runCli('scan', host, '--ports', '2379', ...args, '--no-progress');
    assert.equal(r.code, 2, r.out);
    assert.ok(!r.err.includes('PRIVATE KEY') && !r.err.includes(TOKEN), r.err);
  }
});

// ---- the real etcd, with --client-cert-auth, on the etcd ports of another loopback address ----

let real: { etcd: Etcd; certs: Certs } | undefined;
let realSkip: string | undefined = ETCD_MISSING;

async function realEtcd(t: TestContext): Promise<{ etcd: Etcd; certs: Certs } | undefined> {
  if (!real && !realSkip) {
    for (let i = 1; i <= 10 && !real; i++) {
      const h = `127.0.79.${i}`;
      const certs = mintCerts(h);
      try {
        real = { etcd: await startEtcd('mtls', certs, { host: h, clientPort: 2379, peerPort: 2380 }), certs };
      } catch (e) {
        rmSync(certs.dir, { recursive: true, force: true });
        realSkip = `etcd could not be started on 127.0.79.x:2379: ${(e as Error).message}`;
      }
    }
    if (real) realSkip = undefined;
  }
  if (!real) t.skip(realSkip);
  return real;
}

after(async () => {
  if (real) {
    await real.etcd.stop();
    rmSync(real.certs.dir, { recursive: true, force: true });
  }
});

test('real etcd with --client-cert-auth: the kubeconfig certificate is never tried; --etcd-cert reads a key name', async (t) => {
  const r = await realEtcd(t);
  if (!r) return;
  const scanReal = async (...args: string[]) => {
    const out = await runCli('scan', r.etcd.host, '--ports', '2379', ...args, '--format', 'json', '--no-progress');
    assert.notEqual(out.code, 2, out.err);
    return (JSON.parse(out.out) as { endpoints: Array<{ identity: string; probes: unknown[]; notes: string[]; etcd?: { clientCertRequired: boolean | null; keysReadable?: boolean | null; sampleKey?: string } }> }).endpoints[0]!;
  };
  const kube = await scanReal('--kubeconfig', join(dir, 'kc-cert'));
  assert.equal(kube.etcd?.clientCertRequired, true);
  assert.equal(kube.etcd?.keysReadable, false);
  assert.equal(kube.identity, 'anonymous');
  // TLS without a certificate (refused), then plain HTTP (refused): never a handshake with the kubeconfig's certificate
  assert.equal(kube.probes.length, 2, JSON.stringify(kube.probes));
  assert.ok(!kube.notes.some((n) => /given client certificate/.test(n)), kube.notes.join('\n'));
  const own = await scanReal('--etcd-cert', r.certs.clientCert, '--etcd-key', r.certs.clientKey);
  assert.equal(own.identity, 'client certificate (CN=root)');
  assert.equal(own.etcd?.keysReadable, true);
  assert.ok(!JSON.stringify(own).includes(readFileSync(r.certs.clientKey, 'utf8').split('\n')[1]!), 'no key material in the report');
});

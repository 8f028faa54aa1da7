// Where `scan` sends the user's credential (issue 10, §3): only over TLS, only to the kubelet's
// secure port. Capturing plain-HTTP servers on loopback (127.0.0.0/8 only) stand in for the
// read-only port (10255), the healthz port (10248) and a plain-HTTP etcd (2379, 2380); every byte
// each received is kept, and no request may carry an Authorization header, a cookie, the token or
// the client certificate. The TLS kubelet (the simulator) must still receive the identity.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintCa, mintClientCert, mintServingCert, simOptions, startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { runCli } from '../run-cli.ts';
import https from 'node:https';
import { httpRequest } from '../../src/scan/http-client.ts';
import { probeKubelet } from '../../src/scan/kubelet.ts';

const TOKEN = 'kg-test-token-Zq8rW3nV5xT1yB7m';
const CERT_USER = 'scanner-cert';

type Role = 'read-only' | 'healthz' | 'etcd';
interface Capture {
  role: Role;
  port: number;
  /** every connection's bytes, as received */
  conns: Buffer[][];
  /** request lines seen (for the test's own sanity checks) */
  lines: string[];
}

const POD_LIST = JSON.stringify({
  kind: 'PodList',
  apiVersion: 'v1',
  items: [{ metadata: { name: 'web-0', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }],
});

function answer(role: Role, method: string, path: string): { status: number; body: string } {
  if (role === 'healthz') return path === '/healthz' ? { status: 200, body: 'ok' } : { status: 404, body: '404 page not found\n' };
  if (role === 'etcd') {
    if (path === '/version') return { status: 200, body: '{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}' };
    if (path === '/health') return { status: 200, body: '{"health":"true","reason":""}' };
    if (path === '/members') return { status: 200, body: '[]' };
    if (method === 'POST' && path.endsWith('/kv/range')) return { status: 200, body: '{"header":{"revision":"2"},"kvs":[{"key":"L3JlZ2lzdHJ5L2E="}],"count":"1"}' };
    return { status: 404, body: '404 page not found\n' };
  }
  if (path === '/pods' || path === '/pods/') return { status: 200, body: POD_LIST };
  if (path === '/metrics') return { status: 200, body: 'kubernetes_build_info{git_version="v1.31.4",platform="linux/amd64"} 1\n' };
  if (path === '/stats/summary') return { status: 200, body: '{"node":{"nodeName":"n"}}' };
  if (path === '/healthz') return { status: 200, body: 'ok' };
  return { status: 404, body: '404 page not found\n' };
}

/** A plain-HTTP server that keeps every byte: one request per connection, then close. A TLS ClientHello is dropped. */
function startCapture(host: string, port: number, role: Role): Promise<{ cap: Capture; server: net.Server }> {
  const cap: Capture = { role, port, conns: [], lines: [] };
  const server = net.createServer((s) => {
    const chunks: Buffer[] = [];
    cap.conns.push(chunks);
    let answered = false;
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (answered) return;
      const all = Buffer.concat(chunks);
      if (all[0] === 0x16) return void s.destroy(); // TLS first (etcd): not this server
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = all.subarray(0, end).toString('latin1');
      const len = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
      const chunked = /^transfer-encoding:\s*chunked/im.test(head);
      const rest = all.subarray(end + 4);
      if (chunked ? !rest.includes('0\r\n\r\n') : rest.length < len) return;
      answered = true;
      const [method = '', path = ''] = head.split('\r\n')[0]!.split(' ');
      cap.lines.push(`${method} ${path}`);
      const a = answer(role, method, path.split('?')[0]!);
      s.end(`HTTP/1.1 ${a.status} X\r\nContent-Type: ${a.body.startsWith('{') || a.body.startsWith('[') ? 'application/json' : 'text/plain'}\r\nContent-Length: ${Buffer.byteLength(a.body)}\r\nConnection: close\r\n\r\n${a.body}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ cap, server }));
  });
}

let host = '';
let sim: KubeletSim;
const captures: Capture[] = [];
const servers: net.Server[] = [];
let dir = '';
let client: { cert: string; key: string };

before(async () => {
  // the real port numbers: the scan tells the read-only, healthz and etcd ports by number
  for (let i = 1; i <= 20 && host === ''; i++) {
    const h = `127.0.77.${i}`;
    const got: Array<{ cap: Capture; server: net.Server }> = [];
    try {
      for (const [port, role] of [[10255, 'read-only'], [10248, 'healthz'], [2379, 'etcd'], [2380, 'etcd']] as const) got.push(await startCapture(h, port, role));
      host = h;
      for (const g of got) {
        captures.push(g.cap);
        servers.push(g.server);
      }
    } catch {
      await Promise.all(got.map((g) => new Promise((r) => g.server.close(r))));
    }
  }
  assert.ok(host, 'no free 127.0.77.x address for 10255, 10248, 2379 and 2380');
  const ca = mintCa('kg-test-client-ca');
  client = mintClientCert(ca, CERT_USER);
  sim = await startKubeletSim(
    simOptions(host, { tokens: { [TOKEN]: 'scanner' }, clientCA: ca.cert, policy: (u) => u === 'scanner' || u === CERT_USER, ports: { secure: 10250 } }),
  );
  dir = mkdtempSync(join(tmpdir(), 'kg-creds-'));
  writeFileSync(join(dir, 'token'), TOKEN + '\n', { mode: 0o600 });
  const kubeconfig = (user: string) =>
    `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\nclusters:\n- name: k\n  cluster:\n    server: https://${host}:6443\nusers:\n- name: u\n  user:\n${user}`;
  writeFileSync(join(dir, 'kc-token'), kubeconfig(`    token: ${TOKEN}\n`), { mode: 0o600 });
  writeFileSync(
    join(dir, 'kc-cert'),
    kubeconfig(`    client-certificate-data: ${Buffer.from(client.cert).toString('base64')}\n    client-key-data: ${Buffer.from(client.key).toString('base64')}\n`),
    { mode: 0o600 },
  );
});

after(async () => {
  await sim?.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const c of captures) {
    c.conns.length = 0;
    c.lines.length = 0;
  }
  if (sim) sim.requests.length = 0;
});

interface Rep {
  endpoints: Array<{ port: number; service: string; identity: string; reachable: string[]; collected?: { pods?: { count: number } }; etcd?: { tls: boolean } }>;
}

async function scan(...identity: string[]): Promise<{ code: number; rep: Rep }> {
  const ports = [sim.ports.secure, 10255, 10248, 2379, 2380].join(',');
  const r = await runCli('scan', host, '--ports', ports, ...identity, '--format', 'json', '--no-progress');
  assert.notEqual(r.code, 2, r.err);
  return { code: r.code, rep: JSON.parse(r.out) };
}

/** What must never cross plain HTTP: a credential header, a cookie, the token, the certificate or its key. */
function assertNothingLeaked(secrets: string[], probed: readonly Role[] = ['read-only', 'healthz', 'etcd']): void {
  let requests = 0;
  for (const c of captures) {
    for (const conn of c.conns) {
      const text = Buffer.concat(conn).toString('latin1');
      const where = `${c.role} :${c.port}: ${JSON.stringify(text.slice(0, 300))}`;
      assert.doesNotMatch(text, /^(?:proxy-)?authorization:/im, `an Authorization header over plain HTTP to ${where}`);
      assert.doesNotMatch(text, /^cookie:/im, `a cookie over plain HTTP to ${where}`);
      assert.doesNotMatch(text, /bearer/i, `a bearer credential over plain HTTP to ${where}`);
      for (const s of secrets) assert.ok(!text.includes(s), `the credential went over plain HTTP to ${where}`);
    }
    requests += c.lines.length;
  }
  // the plain ports were really probed
  for (const role of probed) assert.ok(captures.some((c) => c.role === role && c.lines.length > 0), `no request reached the ${role} stand-in`);
  assert.ok(requests > 0);
}

/** pieces of a PEM that would show it was sent: its base64 lines */
const pemPieces = (pem: string) => pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')).slice(0, 3);

const secure = (rep: Rep) => rep.endpoints.find((e) => e.port === sim.ports.secure)!;
const readOnly = (rep: Rep) => rep.endpoints.find((e) => e.port === 10255)!;

function assertTokenReachedTls(rep: Rep, user: string): void {
  assert.ok(sim.requests.some((q) => q.server === 'secure' && q.user === user), `the TLS kubelet never saw ${user}: ${JSON.stringify(sim.requests.map((q) => [q.path, q.user, q.status]))}`);
  const ep = secure(rep);
  assert.equal(ep.service, 'kubelet');
  assert.ok(ep.reachable.includes('pods') && ep.reachable.includes('exec'), JSON.stringify(ep.reachable));
  assert.notEqual(ep.identity, 'anonymous');
}

test('--token --collect: the token goes to the TLS kubelet only; /pods of the read-only port is read without it', async () => {
  const { rep } = await scan('--token', TOKEN, '--collect');
  assertNothingLeaked([TOKEN]);
  assertTokenReachedTls(rep, 'scanner');
  assert.ok((secure(rep).collected?.pods?.count ?? 0) >= 1, JSON.stringify(secure(rep).collected));
  // --collect still reads the read-only port (anonymously, as it never authenticates)
  assert.equal(readOnly(rep).collected?.pods?.count, 1, JSON.stringify(readOnly(rep).collected));
  assert.ok(captures.find((c) => c.role === 'read-only')!.lines.filter((l) => l === 'GET /pods').length >= 2);
});

test('--token without --collect: nothing over plain HTTP carries it', async () => {
  const { rep } = await scan('--token', TOKEN);
  assertNothingLeaked([TOKEN]);
  assertTokenReachedTls(rep, 'scanner');
});

test('--token-file --collect', async () => {
  const { rep } = await scan('--token-file', join(dir, 'token'), '--collect');
  assertNothingLeaked([TOKEN]);
  assertTokenReachedTls(rep, 'scanner');
});

test('--kubeconfig (a token user) --collect', async () => {
  const { rep } = await scan('--kubeconfig', join(dir, 'kc-token'), '--collect');
  assertNothingLeaked([TOKEN]);
  assertTokenReachedTls(rep, 'scanner');
});

test('--kubeconfig (a client-certificate user) --collect: the certificate is shown only in the kubelet TLS handshake', async () => {
  const { rep } = await scan('--kubeconfig', join(dir, 'kc-cert'), '--collect');
  assertNothingLeaked([...pemPieces(client.cert), ...pemPieces(client.key)]);
  assertTokenReachedTls(rep, CERT_USER);
  // plain etcd: the certificate is no credential there
  const etcd = rep.endpoints.find((e) => e.port === 2379)!;
  assert.equal(etcd.etcd?.tls, false);
  assert.equal(etcd.identity, 'anonymous');
});

test('--cert/--key --collect', async () => {
  writeFileSync(join(dir, 'c.crt'), client.cert);
  writeFileSync(join(dir, 'c.key'), client.key, { mode: 0o600 });
  const { rep } = await scan('--cert', join(dir, 'c.crt'), '--key', join(dir, 'c.key'), '--collect');
  assertNothingLeaked([...pemPieces(client.cert), ...pemPieces(client.key)]);
  assertTokenReachedTls(rep, CERT_USER);
});

// ---- the rule itself, below the command ----

test('the HTTP client never puts a credential on a plain-HTTP request, whatever it is asked', async () => {
  const ro = captures.find((c) => c.role === 'read-only')!;
  const r = await httpRequest({
    host,
    port: ro.port,
    tls: false,
    method: 'POST',
    path: '/pods',
    headers: { Authorization: `Bearer ${TOKEN}`, 'proxy-authorization': `Basic ${TOKEN}`, COOKIE: `session=${TOKEN}`, accept: 'application/json' },
    body: 'x',
    auth: { token: TOKEN, cert: client.cert, key: client.key },
  });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(ro.conns.length, 1);
  const text = Buffer.concat(ro.conns[0]!).toString('latin1');
  assert.match(text, /^accept: application\/json/im); // the other headers are kept
  assertNothingLeaked([TOKEN, ...pemPieces(client.cert)], ['read-only']);
  // over TLS the same token reaches the kubelet
  const s = await httpRequest({ host, port: sim.ports.secure, tls: true, method: 'GET', path: '/pods', auth: { token: TOKEN } });
  assert.ok(s.ok && s.res.status === 200, JSON.stringify(s.ok ? s.res.status : s));
  assert.ok(sim.requests.some((q) => q.user === 'scanner'));
});

test('a TLS port that does not answer like a kubelet auth filter never gets the identity', async () => {
  const serving = mintServingCert('self-signed', host, 'not-a-kubelet');
  const seen: Array<string | undefined> = [];
  const server = https.createServer({ key: serving.key, cert: serving.chain }, (req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(418, { 'content-type': 'text/plain' }).end('I am a teapot');
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const ep = await probeKubelet(host, port, { identity: { token: TOKEN, label: 'a test token' } });
    assert.equal(ep.service, 'other');
    assert.equal(ep.identity, 'anonymous');
    assert.ok(seen.length >= 1);
    assert.deepEqual(seen.filter((a) => a !== undefined), [], 'the token was sent to a port not known to authenticate');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

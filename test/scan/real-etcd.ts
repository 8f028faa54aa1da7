// A real etcd (Debian `etcd-server`, 3.4) on loopback for the tests, in four modes: plain HTTP, TLS,
// TLS with --client-cert-auth, plain HTTP with etcd's own auth. The setup writes ONE key with
// etcdctl (never the probe). Shared by src/scan/etcd.test.ts and the scan's credential tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KEY = '/registry/secrets/kube-system/bootstrap-token-abcdef';
export const VALUE = 'value-the-probe-must-never-read';

/** plain HTTP, TLS, TLS + --client-cert-auth, plain HTTP with etcd's own auth (RBAC) enabled */
/** 'both': plain HTTP and TLS on the same client port (listen-client-urls with http:// and https://) */
export type Mode = 'plain' | 'tls' | 'mtls' | 'auth' | 'both';

export interface Certs {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export interface Etcd {
  host: string;
  mode: Mode;
  clientPort: number;
  peerPort: number;
  startMs: number;
  stop: () => Promise<void>;
}

// --- environment ---------------------------------------------------------------------------------

export function haveTool(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

export const ETCD_MISSING = !haveTool('etcd', ['--version'])
  ? 'etcd is not installed (apt-get install etcd-server etcd-client): real-etcd tests skipped'
  : !haveTool('etcdctl', ['version'])
    ? 'etcdctl is not installed (apt-get install etcd-client): real-etcd tests skipped'
    : !haveTool('openssl', ['version'])
      ? 'openssl is not installed: real-etcd tests skipped'
      : undefined;

export function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** a CA, a server certificate (EC P-256, IP SAN 127.0.0.1) and a client certificate (CN=root) */
export function mintCerts(host = '127.0.0.1'): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'kg-etcd-certs-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubelet-guard-test-etcd-ca'], dir);
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=IP:${host}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', 'etcd-server'], ['client', 'root']] as const) {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
  }
  const f = (n: string) => join(dir, n);
  return { dir, ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, host, () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** the test's own health check (not the probe): GET /health until {"health":"true"} */
function healthOnce(e: { mode: Mode; host: string; clientPort: number }, certs: Certs): Promise<boolean> {
  return new Promise((resolve) => {
    const opts = { host: e.host, port: e.clientPort, path: '/health', timeout: 500, agent: false as const };
    const done = (res: http.IncomingMessage) => {
      let b = '';
      res.on('data', (d: Buffer) => (b += d.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && b.includes('"true"')));
      res.on('error', () => resolve(false));
    };
    const req =
      e.mode === 'plain' || e.mode === 'auth' || e.mode === 'both'
        ? http.get(opts, done)
        : https.get({ ...opts, ca: readFileSync(certs.ca), ...(e.mode === 'mtls' ? { cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } : {}) }, done);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function etcdctlTls(mode: Mode, certs: Certs): string[] {
  if (mode === 'plain' || mode === 'auth') return [];
  if (mode === 'both') return ['--cacert', certs.ca];
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

/** etcd on `host` (default 127.0.0.1), on the given ports or free ones. */
export async function startEtcd(mode: Mode, certs: Certs, at: { host?: string; clientPort?: number; peerPort?: number } = {}): Promise<Etcd> {
  const HOST = at.host ?? '127.0.0.1';
  const dataDir = mkdtempSync(join(tmpdir(), `kg-etcd-${mode}-`));
  const clientPort = at.clientPort ?? (await freePort(HOST));
  let peerPort = at.peerPort ?? (await freePort(HOST));
  while (peerPort === clientPort) peerPort = await freePort(HOST);
  const scheme = mode === 'plain' || mode === 'auth' ? 'http' : 'https';
  const clientUrl = `${mode === 'both' ? 'http' : scheme}://${HOST}:${clientPort}`;
  const listenClient = mode === 'both' ? `${clientUrl},https://${HOST}:${clientPort}` : clientUrl;
  const peerUrl = `${scheme}://${HOST}:${peerPort}`;
  const args = [
    '--name', 'kg-test',
    '--data-dir', dataDir,
    '--listen-client-urls', listenClient,
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
    const e = { mode, host: HOST, clientPort };
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
      // 'both': etcdctl's gRPC goes over the https:// side (its plain h2c side refused it here, under load)
      const r = spawnSync('etcdctl', ['--endpoints', mode === 'both' ? `https://${HOST}:${clientPort}` : clientUrl, ...etcdctlTls(mode, certs), ...words], {
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
    return { host: HOST, mode, clientPort, peerPort, startMs, stop };
  } catch (err) {
    await stop();
    const said = log.trim().split('\n').slice(-3).join(' ').replace(/\s+/g, ' ').slice(-300);
    throw new Error(`${(err as Error).message}${said ? ` (etcd said: ${said})` : ''}`, { cause: err });
  }
}


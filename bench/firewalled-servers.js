// The simulated kubelets and etcds of bench/scan-firewalled.js, run by it INSIDE its network
// namespace (`ip netns exec NAME node bench/firewalled-servers.js CONFIG.json`):
//   10250 TLS answering 401 Unauthorized to everything (an anonymous-auth-off kubelet);
//   10248 plain HTTP, /healthz → ok; 10255 plain HTTP, /pods → a pod list;
//   2379 etcd: 'tls-client-cert' as kubeadm runs it (TLS 1.3, a client certificate required: the
//   handshake completes and the server then sends the alert "certificate required"; a plain HTTP
//   request is cut at once),
//   or 'plain' (no TLS, no auth: /version, /health and the v3 gateway's range read answer anyone).
// Prints "ready N" once every port listens; exits when its standard input closes, so it never
// outlives the benchmark, even one killed with SIGKILL.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { harden, json, kubeletHealthz, kubeletReadOnly, kubeletSecure, listen, text } from './support.js';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const tlsOpts = { key: fs.readFileSync(config.key), cert: fs.readFileSync(config.cert) };
const servers = [];

process.stdin.on('data', () => {});
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
function stop() {
  for (const s of servers) {
    s.closeAllConnections?.();
    s.close();
  }
  process.exit(0);
}

function etcdPlain(req, res) {
  if (req.url === '/version') json(res, 200, { etcdserver: '3.5.17', etcdcluster: '3.5.0' });
  else if (req.url === '/health') json(res, 200, { health: 'true', reason: '' });
  else if (req.method === 'POST' && req.url === '/v3/kv/range') {
    req.resume();
    req.on('end', () => json(res, 200, { header: { cluster_id: '1', member_id: '1', revision: '42', raft_term: '2' }, kvs: [{ key: Buffer.from('/registry/bench').toString('base64') }], count: '1' }));
  } else text(res, 404, '404 page not found\n');
}

/** etcd over TLS with --client-cert-auth: a plain HTTP request on it is cut at once (reset), as a TLS-only etcd port does. */
function etcdTls() {
  return harden(https.createServer({ ...tlsOpts, ca: tlsOpts.cert, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (_req, res) => json(res, 200, { etcdserver: '3.5.17', etcdcluster: '3.5.0' })));
}

let n = 0;
for (const s of config.servers) {
  for (const { port, kind } of s.ports) {
    const srv =
      kind === 'kubelet' ? harden(https.createServer(tlsOpts, kubeletSecure))
      : kind === 'kubelet-healthz' ? harden(http.createServer(kubeletHealthz))
      : kind === 'kubelet-read-only' ? harden(http.createServer(kubeletReadOnly))
      : s.etcd === 'plain' ? harden(http.createServer(etcdPlain))
      : etcdTls();
    await listen(srv, port, s.host);
    servers.push(srv);
    n++;
  }
}
process.stdout.write(`ready ${n}\n`);

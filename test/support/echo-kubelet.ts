// A hostile kubelet for the output-layer tests: it answers like a kubelet (401 without credentials,
// so the scan classifies it) and echoes the caller's bearer token — and any text the test gives —
// in every answer: the /metrics build-info line (which becomes the endpoint's version), a 403 body
// naming it as the user, a Status message, a body preview. HTTPS with an openssl-minted certificate;
// loopback only.
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mintServingCert } from '../scan/kubelet-sim.ts';

export interface EchoKubelet {
  host: string;
  port: number;
  /** changes the text put in the answers */
  setExtra(extra: string): void;
  close(): Promise<void>;
}

export interface EchoOptions {
  host: string;
  /** text put in the answers besides the caller's token (a hostile version string, a pod name) */
  extra?: string;
}

export async function startEchoKubelet(o: EchoOptions): Promise<EchoKubelet> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(o.host)) throw new Error('loopback only');
  const { key, chain } = mintServingCert('self-signed', o.host, 'echo-node');
  const sockets = new Set<Socket>();
  let extraText = o.extra ?? '';
  const server = https.createServer({ key, cert: chain }, (req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^Bearer\s+/, '');
    const extra = extraText;
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (auth === '') return send(401, 'Unauthorized');
    if (path === '/pods') {
      return send(200, JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [{
        metadata: { name: `web-${extra}`, namespace: 'default' },
        spec: { containers: [{ name: 'c', image: `img:${token}`, env: [{ name: 'API_TOKEN', value: token }] }] },
      }] }), 'application/json');
    }
    if (path === '/metrics') {
      return send(200, `# token ${token} ${extra}\nkubernetes_build_info{git_version="v1.31.4-${token}${extra}",major="1",minor="31"} 1\n`);
    }
    if (path === '/configz') {
      return send(403, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `forbidden: token ${token} ${extra} may not read configz`, code: 403 }), 'application/json');
    }
    if (path === '/stats/summary' || path.startsWith('/logs')) return send(500, `internal error for ${auth} ${extra}: ${token}`);
    return send(403, `Forbidden (user=${token}${extra}, verb=get, resource=nodes, subresource(s)=[proxy])`);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, o.host, () => resolve());
  });
  return {
    host: o.host,
    port: (server.address() as AddressInfo).port,
    setExtra(extra) {
      extraText = extra;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

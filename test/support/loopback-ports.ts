// Ports on loopback addresses for the connect tests: one that accepts (and drops each connection at
// once) and one that nothing listens on. Every listener made is closed by closeListeners().
import net from 'node:net';

const servers: net.Server[] = [];

/** a listener on `host` (a free port); its port */
export async function listen(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** a port nothing listens on: one that was listened on and closed */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** closes every listener listen() made */
export async function closeListeners(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
}

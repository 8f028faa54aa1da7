// No open port lost to a busy event loop (issue 15, item 3): thousands of connects pending to
// loopback listeners while the process busy-waits far past their tiny connect timeout. Every
// connect completed in the kernel; none may be reported "filtered" because its timer ran before its
// 'connect' event. Network: 127.0.0.0/8 only. No timed assertion: only the verdicts are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { tcpConnect, tcpConnectHandle, tcpConnectSocket, type TcpConnect } from './tcp-connect.ts';
import { sweep } from './engine.ts';
import type { Connect } from './connect-timing.ts';

interface Listener {
  host: string;
  port: number;
  server: net.Server;
}

/** `n` listeners on distinct 127.0.x.y addresses (each with a backlog no test fills). */
async function listeners(n: number): Promise<Listener[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const host = `127.0.${151 + Math.floor(i / 200)}.${1 + (i % 200)}`;
      const server = net.createServer((s) => {
        s.on('error', () => {});
        s.destroy();
      });
      return new Promise<Listener>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port: 0, backlog: 4096 }, () => resolve({ host, port: (server.address() as net.AddressInfo).port, server }));
      });
    }),
  );
}

/** Blocks the event loop: no timer, no I/O callback runs meanwhile. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

const viaHandle: TcpConnect = (host, port, ms) => tcpConnectHandle(host, port, ms) ?? assert.fail('the handle is not usable here');
for (const [name, connect] of [['libuv\'s handle', viaHandle], ['net.Socket', tcpConnectSocket]] as const) {
  test(`tcpConnect through ${name}: a connect that completed while the event loop was blocked is open, not filtered`, async () => {
    const ls = await listeners(16);
    try {
      const perListener = 128; // 2,048 connects pending at once, 128 a listener (well under the backlog)
      const pending: Array<Promise<{ state: string }>> = [];
      for (let k = 0; k < perListener; k++) for (const l of ls) pending.push(connect(l.host, l.port, 5));
      // the connects are issued by now or on the next tick (net.Socket); block right after them,
      // before any poll: every 5 ms timer expires while the handshakes complete in the kernel
      process.nextTick(() => busyWait(400));
      const results = await Promise.all(pending);
      const notOpen = results.filter((r) => r.state !== 'open');
      assert.equal(notOpen.length, 0, `${notOpen.length} of ${results.length} open ports reported ${JSON.stringify(notOpen[0])}`);
    } finally {
      await Promise.all(ls.map((l) => new Promise((r) => l.server.close(r))));
    }
  });
}

/** listeners on `hosts`, all on one port (the first one's, chosen by the kernel) */
async function onOnePort(hosts: string[]): Promise<{ port: number; servers: net.Server[] }> {
  const servers: net.Server[] = [];
  let port = 0;
  for (const host of hosts) {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, backlog: 4096 }, () => resolve());
    });
    port = (server.address() as net.AddressInfo).port;
    servers.push(server);
  }
  return { port, servers };
}

test('sweep: every open port found with 4,096 connects in flight, a 5 ms connect timeout, no retry and a saturated event loop', async () => {
  // 512 addresses × 8 ports = 4,096 probes, all in flight at once; 64 listeners (every 8th address)
  const addresses = Array.from({ length: 512 }, (_, i) => `127.0.${161 + (i >> 8)}.${i & 255}`);
  const listening = addresses.filter((_, i) => i % 8 === 3);
  const { port, servers } = await onOnePort(listening);
  const ports = Array.from({ length: 8 }, (_, k) => port + k).filter((p) => p <= 65535);
  // no retry here (connect-timing.ts adds one): this proves the verdict itself is right.
  // The loop is saturated: every turn that issues connects (first tries and retries alike) then
  // spins 100 ms before it can poll, so every 5 ms timer is due before any 'connect' is dispatched
  let spinQueued = false;
  const busyConnect: Connect = (host, p, ms) => {
    const c = tcpConnect(host, p, ms);
    if (!spinQueued) {
      spinQueued = true;
      process.nextTick(() => {
        spinQueued = false;
        busyWait(100);
      });
    }
    return c;
  };
  const found = new Set<string>();
  let r: Awaited<ReturnType<typeof sweep>>;
  try {
    r = await sweep({
      addresses,
      ports,
      concurrency: 4096,
      probe: async (host, p) => ((await busyConnect(host, p, 5)).state === 'open' ? `${host}:${p}` : undefined),
      onResult: (k) => found.add(k),
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  }
  const expected = listening.map((h) => `${h}:${port}`);
  const missing = expected.filter((k) => !found.has(k));
  assert.deepEqual(missing, [], `${missing.length} of ${expected.length} open ports lost (called filtered)`);
  assert.equal(found.size, expected.length);
  assert.equal(r.done, addresses.length * ports.length);
  assert.ok(r.peakInFlight.probes >= 2048, `only ${r.peakInFlight.probes} connects were in flight at once`);
});

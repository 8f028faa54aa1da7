// No open port lost to a busy event loop (issue 15, item 3): thousands of connects pending to
// loopback listeners while the process busy-waits far past their tiny connect timeout. Every
// connect completed in the kernel; none may be reported "filtered" because its timer ran before its
// 'connect' event. Network: 127.0.0.0/8 only. No timed assertion: only the verdicts are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { tcpConnect } from './http-client.ts';

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

test('tcpConnect: a connect that completed while the event loop was blocked is open, not filtered', async () => {
  const ls = await listeners(16);
  try {
    const perListener = 128; // 2,048 connects pending at once, 128 a listener (well under the backlog)
    const pending: Array<Promise<{ state: string }>> = [];
    for (let k = 0; k < perListener; k++) for (const l of ls) pending.push(tcpConnect(l.host, l.port, 5));
    // the connects are issued on the next tick; block right after them, before any poll: every
    // 5 ms timer expires while the handshakes complete in the kernel
    process.nextTick(() => busyWait(400));
    const results = await Promise.all(pending);
    const notOpen = results.filter((r) => r.state !== 'open');
    assert.equal(notOpen.length, 0, `${notOpen.length} of ${results.length} open ports reported ${JSON.stringify(notOpen[0])}`);
  } finally {
    await Promise.all(ls.map((l) => new Promise((r) => l.server.close(r))));
  }
});

// The sweep's TCP connect, both ways (libuv's handle and net.Socket), against real listeners on
// loopback (127.0.0.0/8 and ::1 only): every case gives the same verdict through each, so a Node
// whose tcp_wrap changes fails here, not in a user's scan.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadTcpWrap, tcpConnect, tcpConnectHandle, tcpConnectSocket, type TcpConnect } from './tcp-connect.ts';
import { backlogFull } from '../../test/support/backlog-full.ts';
import { closeListeners, closedPort, listen } from '../../test/support/loopback-ports.ts';

const H = '127.0.0.1';
after(closeListeners);

async function ipv6(): Promise<boolean> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen({ host: '::1', port: 0 }, () => s.close(() => resolve(true)));
  });
}

const handle: TcpConnect = (host, port, ms, opts) => {
  const c = tcpConnectHandle(host, port, ms, opts);
  assert.ok(c, `the handle took ${host}`);
  return c;
};

test('the scan connects through libuv\'s handle on this Node (the fast path is the one measured)', () => {
  assert.notEqual(loadTcpWrap(), null);
});

for (const [name, connect] of [['handle', handle], ['net.Socket', tcpConnectSocket]] as const) {
  describe(`tcpConnect through ${name}`, () => {
    test('open, closed (refused), a self-connect (closed) and an invalid port (filtered)', async () => {
      const open = await connect(H, await listen(), 1000);
      assert.equal(open.state, 'open');
      assert.equal(open.timedOut, undefined);
      const port = await closedPort();
      const closed = await connect(H, port, 1000);
      assert.deepEqual([closed.state, closed.detail], ['closed', 'connection refused']);
      // bind the local end to the same address and port: TCP simultaneous open connects to itself
      const self = await connect(H, port, 1000, { localAddress: H, localPort: port });
      assert.equal(self.state, 'closed');
      assert.match(self.detail ?? '', /self-connect/);
      const bad = await connect(H, 70000, 1000);
      assert.equal(bad.state, 'filtered');
      assert.match(bad.detail ?? '', /invalid port/);
    });

    test('a SYN that is never answered: filtered, timed out (worth a retry)', async (t) => {
      const full = await backlogFull();
      if (!full) {
        t.skip('python3 is not available to hold a full accept queue');
        return;
      }
      try {
        const c = await connect(H, full.port, 200);
        assert.deepEqual([c.state, c.timedOut, c.detail], ['filtered', true, 'no answer within 200 ms']);
        assert.ok(c.ms >= 150, `timed out after ${c.ms} ms`);
      } finally {
        await full.close();
      }
    });

    test('::1: open and closed', async (t) => {
      if (!(await ipv6())) {
        t.skip('no ::1 on this machine');
        return;
      }
      assert.equal((await connect('::1', await listen('::1'), 1000)).state, 'open');
      assert.equal((await connect('::1', await closedPort('::1'), 1000)).state, 'closed');
    });
  });
}

test('both ways agree on 300 ports, a third of them listening, connected all at once', async () => {
  const hosts = Array.from({ length: 100 }, (_, i) => `127.0.171.${1 + i}`);
  const cases: Array<{ host: string; port: number }> = [];
  for (const host of hosts) {
    cases.push({ host, port: await listen(host) });
    cases.push({ host, port: await closedPort(host) });
    cases.push({ host, port: 1 + (cases.length % 1000) });
  }
  const viaHandle = await Promise.all(cases.map((c) => handle(c.host, c.port, 2000)));
  const viaSocket = await Promise.all(cases.map((c) => tcpConnectSocket(c.host, c.port, 2000)));
  assert.deepEqual(viaHandle.map((r) => r.state), viaSocket.map((r) => r.state));
  assert.equal(viaHandle.filter((r) => r.state === 'open').length, 100);
});

test('a name is not the handle\'s: net.connect resolves it', async () => {
  assert.equal(tcpConnectHandle('localhost', 1, 1000), undefined);
  assert.equal((await tcpConnect('localhost', await listen(H), 1000)).state, 'open');
});

test('where process.binding would warn (--pending-deprecation) it is not used, and connects still work', () => {
  const url = new URL('./tcp-connect.ts', import.meta.url).href;
  const script = `import { loadTcpWrap, tcpConnect } from ${JSON.stringify(url)};
const r = await tcpConnect('127.0.0.1', 1, 1000);
console.log(JSON.stringify({ wrap: loadTcpWrap(), state: r.state }));`;
  const run = spawnSync(process.execPath, ['--pending-deprecation', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { wrap: null, state: 'closed' });
  assert.doesNotMatch(run.stderr, /DEP0111|DeprecationWarning/);
});

test('no TCP handle is left open', async () => {
  await closeListeners();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(process.getActiveResourcesInfo().filter((r) => /TCP/i.test(r)), []);
});

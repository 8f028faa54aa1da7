// The connects made in worker threads, against real listeners on loopback (127.0.0.0/8 only): the
// same verdicts as in the main thread, a thread that dies loses no connect, and the CLI's bundle
// runs the threads' code (it is run from its source, so minifying must not break it).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectsOnDemand, defaultConnectThreads, startConnectThreads } from './connect-threads.ts';
import { tcpConnect } from './tcp-connect.ts';
import { backlogFull } from '../../test/support/backlog-full.ts';
import { closeListeners, closedPort, listen } from '../../test/support/loopback-ports.ts';

const H = '127.0.0.1';
after(closeListeners);

test('the default: one thread per CPU, at most 4, and none on one CPU or for a small sweep', () => {
  assert.equal(defaultConnectThreads(196_608, 2), 2);
  assert.equal(defaultConnectThreads(196_608, 64), 4);
  assert.equal(defaultConnectThreads(196_608, 1), 0);
  assert.equal(defaultConnectThreads(4095, 8), 0);
});

test('through the threads: the verdicts of the main thread on 300 ports, a third of them listening', async () => {
  const threads = startConnectThreads(2);
  assert.ok(threads);
  try {
    const cases: Array<{ host: string; port: number }> = [];
    for (let i = 0; i < 100; i++) {
      const host = `127.0.181.${1 + i}`;
      cases.push({ host, port: await listen(host) }, { host, port: await closedPort(host) }, { host, port: 1 + i });
    }
    const viaThreads = await Promise.all(cases.map((c) => threads.connect(c.host, c.port, 2000)));
    const here = await Promise.all(cases.map((c) => tcpConnect(c.host, c.port, 2000)));
    assert.deepEqual(viaThreads.map((r) => [r.state, r.detail]), here.map((r) => [r.state, r.detail]));
    assert.equal(viaThreads.filter((r) => r.state === 'open').length, 100);
    assert.equal(threads.failed, 0);
  } finally {
    await threads.close();
  }
});

test('through the threads: a SYN never answered is filtered and timed out; names and bound ends stay here', async (t) => {
  const threads = startConnectThreads(1)!;
  try {
    const full = await backlogFull();
    if (full) {
      try {
        const c = await threads.connect(H, full.port, 200);
        assert.deepEqual([c.state, c.timedOut, c.detail], ['filtered', true, 'no answer within 200 ms']);
      } finally {
        await full.close();
      }
    } else t.diagnostic('python3 is not available to hold a full accept queue: the timeout case is left out');
    assert.equal((await threads.connect('localhost', await listen(), 1000)).state, 'open');
    const port = await closedPort();
    const self = await threads.connect(H, port, 1000, { localAddress: H, localPort: port });
    assert.deepEqual([self.state, self.detail], ['closed', 'TCP self-connect: nothing listens on the port']);
    assert.match((await threads.connect(H, 70000, 1000)).detail ?? '', /invalid port/);
  } finally {
    await threads.close();
  }
});

test('a thread that dies: its pending connects are made in the main thread, none lost or left waiting', async () => {
  // a thread that exits at its first batch, with every connect of it pending
  const threads = startConnectThreads(2, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));")!;
  try {
    const port = await listen();
    const results = await Promise.all(Array.from({ length: 50 }, () => threads.connect(H, port, 1000)));
    assert.deepEqual(new Set(results.map((r) => r.state)), new Set(['open']));
    assert.equal(threads.failed, 2);
    assert.equal((await threads.connect(H, port, 1000)).state, 'open'); // no thread left: the main thread
  } finally {
    await threads.close();
  }
});

test('close: a connect still pending is answered, and no thread or socket is left', async (t) => {
  const threads = startConnectThreads(1)!;
  const full = await backlogFull();
  if (!full) {
    await threads.close();
    t.skip('python3 is not available to hold a full accept queue');
    return;
  }
  try {
    const pending = threads.connect(H, full.port, 60_000);
    await new Promise((r) => setTimeout(r, 100));
    await threads.close();
    assert.equal((await pending).state, 'filtered');
  } finally {
    await full.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(process.getActiveResourcesInfo().filter((r) => /Worker|MessagePort/.test(r)), []);
});

/** Keeps the event loop busy `ms` (no timer, no I/O meanwhile), then lets the starter's tick run. */
async function busyThenTick(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
  await new Promise((r) => setTimeout(r, 300));
}

test('on demand: the threads start once the sweep is CPU-bound on answers, not where connects wait, nor near its end', async () => {
  const bound = connectsOnDemand(2, { immediate: false, probes: 100_000 });
  const waiting = connectsOnDemand(2, { immediate: false, probes: 100_000 });
  const ending = connectsOnDemand(2, { immediate: false, probes: 6095 });
  try {
    assert.equal(bound.threads(), 0);
    for (let i = 0; i < 2000; i++) {
      bound.observe(true); // a LAN: answered at once
      waiting.observe(i % 10 < 3); // a firewalled network: 7 of 10 dropped
      ending.observe(true);
    }
    await busyThenTick(400);
    assert.equal(bound.threads(), 2);
    assert.equal(waiting.threads(), 0);
    assert.equal(ending.threads(), 0);
    const port = await listen();
    assert.equal((await bound.connect(H, port, 1000)).state, 'open');
    assert.equal((await waiting.connect(H, port, 1000)).state, 'open');
  } finally {
    await Promise.all([bound.close(), waiting.close(), ending.close()]);
  }
});

test('on demand: --threads starts them at once; 0 never', async () => {
  const asked = connectsOnDemand(1, { immediate: true, probes: 0 });
  const none = connectsOnDemand(0, { immediate: true, probes: 100_000 });
  try {
    assert.equal(asked.threads(), 1);
    for (let i = 0; i < 2000; i++) none.observe(true);
    await busyThenTick(400);
    assert.equal(none.threads(), 0);
  } finally {
    await Promise.all([asked.close(), none.close()]);
  }
});

test('the CLI (its bundle, after npm run build) sweeps through the threads and finds the open port', async () => {
  const port = await listen('127.0.182.7');
  const bin = fileURLToPath(new URL('../../bin/kubelet-guard.js', import.meta.url));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'scan', '127.0.182.0/24', '--ports', String(port), '--threads', '2', '--format', 'jsonl', '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let o = '';
    let e = '';
    child.stdout.on('data', (d: Buffer) => (o += d));
    child.stderr.on('data', (d: Buffer) => (e += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 || code === 1) resolve(o);
      else reject(new Error(`exit ${code}: ${e}`));
    });
  });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { endpoint?: { host: string; port: number }; summary?: { probes: number; timing: { threads: number } } });
  assert.deepEqual(lines.filter((l) => l.endpoint).map((l) => `${l.endpoint!.host}:${l.endpoint!.port}`), [`127.0.182.7:${port}`]);
  const summary = lines.find((l) => l.summary)!.summary!;
  assert.equal(summary.probes, 256);
  assert.equal(summary.timing.threads, 2);
});

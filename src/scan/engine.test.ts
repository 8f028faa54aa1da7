// The sweep engine and the progress line. Network: loopback only (127.0.0.1), and only in the
// one test that connects for real; every other test uses fake probes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { spreadPairs, sweep, ProbeCeilingError, type SweepProgress } from './engine.ts';
import { createProgressWriter, formatProgressLine } from './progress.ts';
import { iterateAddresses, countAddresses, parseTargetSpec, type TargetSet } from './targets.ts';

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `127.0.${Math.floor(i / 256)}.${i % 256}`);
const target = (spec: string): TargetSet => {
  const r = parseTargetSpec(spec);
  assert.ok(r.ok);
  return r.target;
};

/** A tiny TCP connect for the loopback test (the real one is src/scan/http-client.ts). A socket
 *  connected to itself (TCP simultaneous open in the ephemeral range) is not an open port. */
function connect(host: string, port: number, signal: AbortSignal): Promise<'open' | 'closed'> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const done = (v: 'open' | 'closed' | Error) => {
      s.destroy();
      signal.removeEventListener('abort', onAbort);
      if (v instanceof Error) reject(v);
      else resolve(v);
    };
    const onAbort = () => done(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('connect', () => done(s.localPort === port && s.localAddress === s.remoteAddress ? 'closed' : 'open'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'closed' : e));
  });
}

test('concurrency never exceeds the limit, and reaches it', async () => {
  let inFlight = 0;
  let max = 0;
  let results = 0;
  const r = await sweep({
    addresses: hosts(200),
    ports: [1, 2, 3],
    concurrency: 7,
    probe: async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await sleep(Math.random() * 3);
      inFlight--;
      return Math.random() < 0.5 ? 'x' : undefined;
    },
    onResult: () => results++,
  });
  assert.equal(r.done, 600);
  assert.equal(r.results, results);
  assert.equal(max, 7);
  assert.equal(inFlight, 0);
});

test('the rate limit is respected (±30%)', async () => {
  const rate = 200;
  const starts: number[] = [];
  const r = await sweep({
    addresses: hosts(150),
    ports: [10250],
    concurrency: 50,
    ratePerSecond: rate,
    probe: async () => {
      starts.push(performance.now());
      return undefined;
    },
    onResult: () => {},
  });
  assert.equal(r.done, 150);
  // the bucket allows a burst of ~50 ms worth at the start: measure after it
  const measured = (starts.length - 1 - 10) / (((starts.at(-1) ?? 0) - (starts[10] ?? 0)) / 1000);
  assert.ok(measured > rate * 0.7 && measured < rate * 1.3, `measured ${measured.toFixed(1)}/s for ${rate}/s`);
  const overall = r.done / (r.elapsedMs / 1000);
  assert.ok(overall < rate * 1.3, `overall ${overall.toFixed(1)}/s`);
});

test('results come in completion order, not issue order, and each exactly once', async () => {
  const order: string[] = [];
  const r = await sweep({
    addresses: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'],
    ports: [10250, 10255],
    concurrency: 8,
    probe: async (host, port) => {
      await sleep(host === '127.0.0.1' && port === 10250 ? 80 : Math.random() * 10);
      return `${host}:${port}`;
    },
    onResult: (x) => order.push(x),
  });
  assert.equal(r.done, 8);
  assert.equal(order.at(-1), '127.0.0.1:10250', 'the slow first probe finishes last and holds nothing up');
  assert.deepEqual([...order].sort(), ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].flatMap((h) => [`${h}:10250`, `${h}:10255`]).sort());
});

test('results stream out while the sweep runs', async () => {
  let finished = false;
  let seenBeforeEnd = 0;
  const p = sweep({
    addresses: hosts(50),
    ports: [1],
    concurrency: 5,
    probe: async (h) => {
      await sleep(2);
      return h;
    },
    onResult: () => {
      if (!finished) seenBeforeEnd++;
    },
  });
  const r = await p;
  finished = true;
  assert.equal(r.results, 50);
  assert.equal(seenBeforeEnd, 50);
  // and the first result arrives long before the last probe starts
  let firstAt = 0;
  let lastStart = 0;
  await sweep({
    addresses: hosts(100),
    ports: [1],
    concurrency: 4,
    probe: async () => {
      lastStart = performance.now();
      await sleep(1);
      return 1;
    },
    onResult: () => {
      firstAt ||= performance.now();
    },
  });
  assert.ok(firstAt > 0 && firstAt < lastStart);
});

test('an abort stops the sweep early; probes in flight get their signal aborted', async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  let started = 0;
  let startedAfterAbort = 0;
  let abortedSignals = 0;
  const r = await sweep({
    addresses: iterateAddresses([target('127.0.0.0/16')]),
    ports: [10250, 10255, 10248],
    concurrency: 16,
    signal: ac.signal,
    probe: (_h, _p, signal) => {
      started++;
      if (ac.signal.aborted) startedAfterAbort++;
      if (started === 100) ac.abort();
      // probes that honour their signal, and three that ignore it entirely (hang)
      return new Promise((resolve) => {
        if (started === 4 || started === 40 || started === 90) return;
        const t = setTimeout(() => resolve(undefined), 5);
        signal.addEventListener('abort', () => {
          abortedSignals++;
          clearTimeout(t);
          resolve(undefined);
        });
      });
    },
    onResult: () => {},
  });
  assert.equal(r.aborted, true);
  assert.ok(performance.now() - t0 < 1000, 'hanging probes do not hold up an abort');
  assert.ok(r.done < 100, `done ${r.done}`);
  assert.equal(startedAfterAbort, 0);
  assert.ok(abortedSignals > 0);
  // already aborted: nothing runs
  const r2 = await sweep({ addresses: ['127.0.0.1'], ports: [1], concurrency: 1, signal: AbortSignal.abort(), probe: async () => assert.fail('no probe'), onResult: () => {} });
  assert.deepEqual({ done: r2.done, aborted: r2.aborted }, { done: 0, aborted: true });
});

test('a throwing probe does not stop the sweep', async () => {
  const errors: string[] = [];
  let results = 0;
  const r = await sweep({
    addresses: hosts(30),
    ports: [1, 2],
    concurrency: 4,
    probe: (h, p) => {
      if (p === 1 && h.endsWith('.3')) throw new Error('sync throw');
      if (p === 2) return Promise.reject(new Error('async throw'));
      return Promise.resolve(h);
    },
    onResult: () => results++,
    onProbeError: (_h, _p, e) => errors.push((e as Error).message),
  });
  assert.equal(r.done, 60);
  assert.equal(r.errors, 31);
  assert.equal(results, 29);
  assert.equal(errors.filter((e) => e === 'sync throw').length, 1);
});

test('a hanging probe is cut by the ceiling: its signal fires and the sweep finishes', async () => {
  let sawReason: unknown;
  const t0 = performance.now();
  const r = await sweep({
    addresses: ['127.0.0.1', '127.0.0.2'],
    ports: [1],
    concurrency: 2,
    probeCeilingMs: 50,
    probe: (h, _p, signal) => {
      if (h === '127.0.0.1') {
        signal.addEventListener('abort', () => (sawReason = signal.reason));
        return new Promise(() => {}); // never settles, ignores the signal
      }
      return Promise.resolve(h);
    },
    onResult: () => {},
  });
  assert.ok(performance.now() - t0 < 1000);
  assert.deepEqual({ done: r.done, ceilingHits: r.ceilingHits, results: r.results }, { done: 2, ceilingHits: 1, results: 1 });
  assert.ok(sawReason instanceof ProbeCeilingError);
});

test('an onResult that throws stops the sweep and rejects it', async () => {
  let probes = 0;
  await assert.rejects(
    sweep({
      addresses: hosts(1000),
      ports: [1],
      concurrency: 4,
      probe: async (h) => (probes++, h),
      onResult: () => {
        throw new Error('EPIPE');
      },
    }),
    /EPIPE/,
  );
  assert.ok(probes < 10);
});

test('ports are spread across a window of hosts, host-major between windows', () => {
  const got = [...spreadPairs(['a', 'b', 'c', 'd', 'e'], [1, 2], 2)].map((x) => `${x.host}${x.port}`);
  assert.deepEqual(got, ['a1', 'b1', 'a2', 'b2', 'c1', 'd1', 'c2', 'd2', 'e1', 'e2']);
});

test('progress: at most every 100 ms, and a final call with the totals', async () => {
  const calls: Array<SweepProgress & { t: number }> = [];
  const r = await sweep({
    addresses: iterateAddresses([target('127.0.0.0/24')]),
    addressCount: countAddresses([target('127.0.0.0/24')]),
    ports: [1, 2],
    concurrency: 8,
    probe: async (h, p) => {
      await sleep(3);
      return p === 1 && h.endsWith('.7') ? h : undefined;
    },
    isFound: () => true,
    onResult: () => {},
    onProgress: (p) => calls.push({ ...p, t: performance.now() }),
  });
  assert.equal(r.done, 512);
  assert.ok(calls.length >= 3, `${calls.length} calls`);
  for (let i = 1; i < calls.length - 1; i++) assert.ok(calls[i]!.t - calls[i - 1]!.t >= 90, `calls ${i - 1} and ${i} too close`);
  const last = calls.at(-1)!;
  assert.deepEqual({ done: last.done, total: last.total, open: last.open, found: last.found }, { done: 512, total: 512, open: 1, found: 1 });
  assert.ok(calls.slice(1, -1).some((c) => c.rate > 0 && c.etaSeconds !== null));
});

test('memory stays flat: 127.0.0.0/16 × 3 ports with a no-op probe', () => {
  // Measured in a child process: node:test enables async_hooks (init and destroy) for every
  // promise created inside a test, which keeps each one alive past the young generation and
  // grows the heap by ~200 MiB for this sweep. The CLI runs without those hooks, as the child does.
  const engine = new URL('./engine.ts', import.meta.url).href;
  const targets = new URL('./targets.ts', import.meta.url).href;
  const code = `
    const { sweep } = await import(${JSON.stringify(engine)});
    const { iterateAddresses, countAddresses, parseTargetSpec } = await import(${JSON.stringify(targets)});
    const sets = [parseTargetSpec('127.0.0.0/16').target];
    const before = process.memoryUsage().rss;
    let peak = before;
    const r = await sweep({
      addresses: iterateAddresses(sets), addressCount: countAddresses(sets), ports: [10250, 10255, 10248],
      concurrency: 512, probe: async () => undefined, onResult: () => {},
      onProgress: () => { peak = Math.max(peak, process.memoryUsage().rss); },
    });
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    console.log(JSON.stringify({ done: r.done, growth: peak - before }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const { done, growth } = JSON.parse(child.stdout) as { done: number; growth: number };
  assert.equal(done, 65536 * 3);
  assert.ok(growth / 2 ** 20 < 50, `rss grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
});

test('a real loopback sweep finds the listening port and only it', async (t) => {
  const server = net.createServer((s) => s.on('error', () => {}).end());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  t.after(() => server.close());
  const open = (server.address() as net.AddressInfo).port;
  const closedServer = net.createServer();
  await new Promise<void>((res) => closedServer.listen(0, '127.0.0.1', res));
  const closed = (closedServer.address() as net.AddressInfo).port;
  await new Promise((res) => closedServer.close(res));
  const found: string[] = [];
  const r = await sweep({
    addresses: ['127.0.0.1'],
    ports: [open, closed],
    concurrency: 2,
    probeCeilingMs: 2000,
    probe: async (h, p, signal) => ((await connect(h, p, signal)) === 'open' ? `${h}:${p}` : undefined),
    onResult: (x) => found.push(x),
  });
  assert.equal(r.done, 2);
  assert.deepEqual(found, [`127.0.0.1:${open}`]);
});

test('progress line: TTY only, throttled to 10 per second, cleared at the end', () => {
  const p: SweepProgress = { done: 98_304, total: 196_608, open: 150, found: 50, rate: 12_345.6, etaSeconds: 8 };
  const line = formatProgressLine(p, 100);
  assert.match(line, /^scan \[#+-+\] 98,304\/196,608 50\.0% {2}open 150 {2}kubelets 50 {2}12,346\/s {2}ETA 8s$/);
  assert.ok(line.length <= 99);
  assert.ok(formatProgressLine(p, 30).length <= 29);
  assert.match(formatProgressLine({ ...p, total: 0, etaSeconds: null }, 100), /98,304 probes .* ETA \?$/);

  const writes: string[] = [];
  let now = 0;
  const tty = createProgressWriter({ isTTY: true, columns: 100, write: (s) => (writes.push(s), true) }, () => now);
  tty.update(p);
  now = 50;
  tty.update(p); // dropped: too soon
  now = 100;
  tty.update(p);
  tty.finish();
  tty.update(p); // after finish: ignored
  assert.equal(writes.length, 3);
  assert.equal(writes.at(-1), '\r\x1b[2K');

  const piped: string[] = [];
  const pipe = createProgressWriter({ isTTY: false, write: (s) => (piped.push(s), true) });
  pipe.update(p);
  pipe.finish();
  assert.deepEqual(piped, []);
});

test('two pools: connects go on while every classification slot is busy; neither pool exceeds its size', async () => {
  const CONNECTS = 50;
  const CLASSIFY = 3;
  let probes = 0;
  let maxProbes = 0;
  let classifying = 0;
  let maxClassifying = 0;
  let whileSaturated = 0; // probes finished while all classification slots were taken
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let fellBack = false;
  const guard = setTimeout(() => {
    fellBack = true;
    open();
  }, 20_000); // only against a hang: the assertion below is on what happened, not when
  const classified: string[] = [];
  const r = await sweep({
    addresses: hosts(2000),
    ports: [10250],
    concurrency: CONNECTS,
    classifyConcurrency: CLASSIFY,
    probe: async (host) => {
      maxProbes = Math.max(maxProbes, ++probes);
      await new Promise((res) => setImmediate(res));
      probes--;
      if (classifying === CLASSIFY && ++whileSaturated >= 300) open();
      return Number(host.split('.')[3]) % 20 === 0 ? host : undefined;
    },
    classify: async (host, _port, found: string) => {
      maxClassifying = Math.max(maxClassifying, ++classifying);
      await gate;
      classifying--;
      return `${found} classified`;
    },
    onResult: (x) => classified.push(x),
  });
  clearTimeout(guard);
  assert.equal(fellBack, false, 'connects stopped while the classifications were busy');
  assert.equal(maxProbes, CONNECTS);
  assert.equal(maxClassifying, CLASSIFY);
  assert.equal(r.done, 2000);
  assert.equal(classified.length, hosts(2000).filter((h) => Number(h.split('.')[3]) % 20 === 0).length);
  assert.ok(classified.every((c) => c.endsWith(' classified')));
  assert.deepEqual(r.peakInFlight, { probes: CONNECTS, classifications: CLASSIFY });
});

test('two pools: an abort while connects wait for a classification slot ends the sweep', async () => {
  const ac = new AbortController();
  let signals = 0;
  const r = await sweep({
    addresses: hosts(500),
    ports: [1],
    concurrency: 20,
    classifyConcurrency: 2,
    signal: ac.signal,
    probe: async (host) => host,
    classify: (_h, _p, _f: string, signal) =>
      new Promise<undefined>((resolve) => {
        if (++signals === 2) setImmediate(() => ac.abort());
        signal.addEventListener('abort', () => resolve(undefined), { once: true });
      }),
    onResult: () => {},
  });
  assert.equal(r.aborted, true);
  assert.equal(r.done, 0);
});

test('two pools: a classification that throws or hangs is counted like a probe; its ceiling is its own', async () => {
  const errors: string[] = [];
  const r = await sweep({
    addresses: hosts(6),
    ports: [1],
    concurrency: 6,
    classifyConcurrency: 6,
    probeCeilingMs: 200,
    probe: async (host) => host,
    classify: async (host, _p, _f: string, signal) => {
      const i = Number(host.split('.')[3]);
      if (i === 1) throw new Error('bad answer');
      if (i === 2) return new Promise<string>(() => {}); // never settles: cut by the ceiling
      void signal;
      return host;
    },
    onResult: () => {},
    onProbeError: (h) => errors.push(h),
  });
  assert.equal(r.done, 6);
  assert.equal(r.results, 4);
  assert.equal(r.errors, 1);
  assert.equal(r.ceilingHits, 1);
  assert.deepEqual(errors, ['127.0.0.1']);
});

test('adaptive: probes that wait (on the network) raise the number in flight; answers at once keep it at the start', async () => {
  const waiting = await sweep({
    addresses: hosts(3000),
    ports: [1],
    concurrency: 1024,
    adaptive: { from: 16 },
    probe: () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 300)),
    onResult: () => {},
  });
  assert.equal(waiting.done, 3000);
  assert.ok(waiting.peakInFlight.probes > 16, `peak ${waiting.peakInFlight.probes}`);
  assert.ok(waiting.peakInFlight.probes <= 1024);
  const immediate = await sweep({
    addresses: hosts(20000),
    ports: [1],
    concurrency: 1024,
    adaptive: { from: 16 },
    probe: async () => undefined,
    onResult: () => {},
  });
  assert.equal(immediate.done, 20000);
  assert.equal(immediate.peakInFlight.probes, 16);
});

test('adaptive: only as many probes start as the cap allows, and an abort ends the sweep', async () => {
  const ac = new AbortController();
  let started = 0;
  const r = await sweep({
    addresses: hosts(500),
    ports: [1],
    concurrency: 100,
    adaptive: { from: 2 },
    signal: ac.signal,
    probe: (_h, _p, signal) =>
      new Promise<undefined>((resolve) => {
        if (++started === 2) setImmediate(() => ac.abort());
        signal.addEventListener('abort', () => resolve(undefined), { once: true });
      }),
    onResult: () => {},
  });
  assert.equal(r.aborted, true);
  assert.equal(started, 2);
});

// The scanner's HTTP client against hostile servers (test/scan/hostile.ts), each on its own
// 127.0.0.x: every request returns within its phase's timeout + 1 s with the right error kind or a
// truncated result, nothing is followed or inflated, and the process's memory (rss) grows by less than
// 100 MB over the whole suite. Loopback only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { BODY_BUDGET_BYTES, bodyBudget, httpRequest } from '../../src/scan/http-client.ts';
import type { HttpErrorKind, HttpRequest, HttpResult, Timeouts } from '../../src/scan/http-contract.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureScript } from '../support/measured.ts';
import { GZIP_BOMB_INFLATED_BYTES, HOSTILE_KINDS, INVALID_JSON, ONE_BYTE_CHUNKS_BYTES, ONE_BYTE_WRITES_BYTES, RESET_AFTER_BYTES, gzipBomb, startHostile, type HostileKind, type HostileServer } from './hostile.ts';

const T: Timeouts = { connect: 1000, tls: 1000, headers: 1000, body: 1000 };
const MB = 1024 * 1024;
const started: HostileServer[] = [];
let rss0 = 0;

async function start(kind: HostileKind, host: string): Promise<HostileServer> {
  const s = await startHostile(kind, host);
  started.push(s);
  return s;
}

function request(s: HostileServer, more: Partial<HttpRequest> = {}): Promise<HttpResult> {
  return httpRequest({ host: s.host, port: s.port, tls: s.tls, method: 'GET', path: '/pods', timeouts: T, ...more });
}

/** What each hostile server must produce, and the phase deadline that bounds it. */
const EXPECT: Record<HostileKind, { error?: HttpErrorKind; budget: number; more?: Partial<HttpRequest>; check?: (r: HttpResult, s: HostileServer) => Promise<void> | void }> = {
  'endless-body': { error: 'body-timeout', budget: T.body },
  'drip-headers': { error: 'headers-timeout', budget: T.headers },
  'gzip-bomb': {
    budget: T.body,
    check: async (r) => {
      assert.ok(r.ok);
      const bomb = await gzipBomb();
      assert.equal(r.res.status, 200);
      assert.equal(r.res.headers['content-encoding'], 'gzip');
      assert.equal(r.res.truncated, false);
      // the bytes as sent: never inflated to the 10 MB inside
      assert.ok(r.res.body.equals(bomb));
      assert.ok(r.res.body.length < 64 * 1024 && r.res.body.length < GZIP_BOMB_INFLATED_BYTES / 100);
      assert.deepEqual([...r.res.body.subarray(0, 2)], [0x1f, 0x8b]);
    },
  },
  'huge-header': { error: 'headers-too-large', budget: T.headers },
  'invalid-json': {
    budget: T.body,
    check: (r) => {
      assert.ok(r.ok);
      assert.equal(r.res.status, 200);
      assert.equal(r.res.body.toString(), INVALID_JSON);
      assert.throws(() => JSON.parse(r.res.body.toString()));
    },
  },
  'tls-stall': { error: 'tls-timeout', budget: T.tls },
  'ssh-banner': {
    error: 'not-http',
    budget: T.headers,
    check: (r) => {
      assert.ok(!r.ok);
      assert.match(r.detail, /SSH-2\.0-OpenSSH/);
    },
  },
  redirect: {
    budget: T.headers,
    check: async (r, s) => {
      assert.ok(r.ok);
      assert.equal(r.res.status, 302);
      assert.equal(r.res.headers.location, `http://${s.redirectTarget?.host}:${s.redirectTarget?.port}/pods`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(s.redirectTarget?.hits(), 0, 'the redirect was followed');
    },
  },
  'reset-mid-body': {
    error: 'reset',
    budget: T.body,
    check: (r) => {
      assert.ok(!r.ok);
      assert.match(r.detail, new RegExp(`${RESET_AFTER_BYTES} bytes`));
    },
  },
  silent: { error: 'headers-timeout', budget: T.headers },
  // a byte at a time: capped by the bytes held, whatever the number of pieces (the full bodies,
  // measured in a child, are in the memory tests below)
  'one-byte-chunks': {
    budget: T.body,
    more: { maxBodyBytes: 16 * 1024 },
    check: (r) => {
      assert.ok(r.ok);
      assert.equal(r.res.truncated, true);
      assert.equal(r.res.body.length, 16 * 1024);
      assert.ok(r.res.body.every((b) => b === 0x78));
    },
  },
  'one-byte-writes': {
    budget: T.body,
    more: { maxBodyBytes: 256 }, // a round trip of the event loop a byte: client and server share it here
    check: (r) => {
      assert.ok(r.ok);
      assert.equal(r.res.truncated, true);
      assert.equal(r.res.body.length, 256);
    },
  },
};

async function probe(kind: HostileKind, host: string): Promise<HttpResult> {
  const s = await start(kind, host);
  const want = EXPECT[kind];
  const t0 = performance.now();
  const r = await request(s, want.more);
  const took = performance.now() - t0;
  assert.ok(took < want.budget + 1000, `${kind}: returned after ${Math.round(took)} ms (budget ${want.budget} ms + 1 s)`);
  if (want.error) {
    assert.equal(r.ok, false, `${kind}: expected ${want.error}`);
    if (!r.ok) assert.equal(r.error, want.error, `${kind}: ${r.detail}`);
  } else {
    assert.equal(r.ok, true, `${kind}: ${r.ok ? '' : `${r.error}: ${r.detail}`}`);
  }
  await want.check?.(r, s);
  await s.close();
  return r;
}

before(async () => {
  await gzipBomb(); // made once, before the baseline
  rss0 = process.memoryUsage().rss;
});

after(async () => {
  await Promise.all(started.map((s) => s.close()));
});

describe('each hostile server, alone on its own 127.0.0.x', () => {
  HOSTILE_KINDS.forEach((kind, i) => {
    test(kind, async (t) => {
      const r = await probe(kind, `127.0.0.${20 + i}`);
      t.diagnostic(`${kind}: ${r.ok ? `status ${r.res.status}, ${r.res.body.length} bytes${r.res.truncated ? ', truncated' : ''}` : `${r.error} (${r.detail})`} in ${r.ms} ms`);
    });
  });

  test('endless-body with a small maxBodyBytes: truncated, not an error, and fast', async () => {
    const s = await start('endless-body', '127.0.0.40');
    const r = await request(s, { maxBodyBytes: 5 });
    assert.ok(r.ok);
    assert.equal(r.res.truncated, true);
    assert.equal(r.res.body.toString(), 'xxxxx');
    assert.ok(r.ms < T.body, `took ${r.ms} ms`);
  });

  test('every hostile server spoken to with TLS: a TLS error or timeout, in time', async () => {
    await Promise.all(
      HOSTILE_KINDS.map(async (kind) => {
        const s = await start(kind, '127.0.0.41');
        const t0 = performance.now();
        const r = await request(s, { tls: true });
        const took = performance.now() - t0;
        assert.ok(took < T.tls + 1000, `${kind} over TLS: ${Math.round(took)} ms`);
        assert.equal(r.ok, false);
        if (!r.ok) assert.ok(['tls-error', 'tls-timeout'].includes(r.error), `${kind} over TLS: ${r.error} ${r.detail}`);
        await s.close();
      }),
    );
  });
});

describe('all at once', () => {
  test('every hostile server, three clients each, concurrently: each returns in time', async () => {
    const servers = await Promise.all(HOSTILE_KINDS.map((kind, i) => start(kind, `127.0.0.${60 + i}`)));
    const t0 = performance.now();
    const results = await Promise.all(
      servers.flatMap((s, i) =>
        [0, 1, 2].map(async () => {
          const r = await request(s, EXPECT[HOSTILE_KINDS[i]!].more);
          return { kind: HOSTILE_KINDS[i]!, r, took: performance.now() - t0 };
        }),
      ),
    );
    for (const { kind, r, took } of results) {
      const want = EXPECT[kind];
      assert.ok(took < want.budget + 1000, `${kind}: ${Math.round(took)} ms`);
      if (want.error) assert.equal(r.ok ? 'ok' : r.error, want.error, kind);
      else assert.ok(r.ok, kind);
    }
    await Promise.all(servers.map((s) => s.close()));
  });
});

describe('IPv6', () => {
  test('every hostile server on ::1', async (t) => {
    const v6 = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.on('error', () => resolve(false));
      s.listen(0, '::1', () => s.close(() => resolve(true)));
    });
    if (!v6) {
      t.skip('no ::1 on this machine');
      return;
    }
    for (const kind of HOSTILE_KINDS) await probe(kind, '::1');
  });
});

describe('the body budget shared by every request in flight', () => {
  test('24 requests that may each keep 16 MiB: at most 8 at a time, the rest wait without a deadline running', async () => {
    const s = await start('endless-body', '127.0.0.47');
    const ctl = new AbortController();
    const t0 = performance.now();
    const all = Array.from({ length: 24 }, () => request(s, { maxBodyBytes: 16 * MB, timeouts: { ...T, body: 300 } }));
    const late = request(s, { maxBodyBytes: 16 * MB, signal: ctl.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = bodyBudget();
    assert.equal(now.reserved, BODY_BUDGET_BYTES);
    assert.equal(now.waiting, 17);
    assert.equal(s.connections(), 8);
    ctl.abort();
    const aborted = await late;
    assert.ok(!aborted.ok && aborted.error === 'aborted' && /waiting for the body budget/.test(aborted.detail), JSON.stringify(aborted));
    const results = await Promise.all(all);
    for (const r of results) assert.equal(r.ok ? 'ok' : r.error, 'body-timeout'); // each had its whole 300 ms
    assert.ok(performance.now() - t0 >= 900, 'three rounds of 300 ms');
    assert.equal(s.connections(), 24);
    assert.deepEqual(bodyBudget(), { reserved: 0, waiting: 0 });
  });
});

describe('bodies a byte at a time, read whole by a child and measured', () => {
  const FETCH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fetch-body.ts');
  // before the body was held in one growing buffer: 1,341 MiB and 19 s for the 3 MiB body
  test('3 MiB in one-byte chunks under the /pods cap (16 MiB): whole, in bounded memory', async (t) => {
    const s = await start('one-byte-chunks', '127.0.0.45');
    const r = await measureScript(FETCH, [s.host, String(s.port), '/pods', String(16 * MB), '60000'], { killAfterMs: 90_000 });
    t.diagnostic(`${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMiB ?? -1)} MiB: ${r.out.trim()}`);
    assert.equal(r.killed, false);
    const got = JSON.parse(r.out);
    assert.deepEqual([got.ok, got.status, got.bytes, got.truncated, got.allX], [true, 200, ONE_BYTE_CHUNKS_BYTES, false, true], r.out + r.err);
    assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < 500, `peak RSS ${r.peakRssMiB} MiB`);
  });
  test('256 KiB in one-byte TCP writes: whole, in bounded memory', async (t) => {
    const s = await start('one-byte-writes', '127.0.0.46');
    const r = await measureScript(FETCH, [s.host, String(s.port), '/pods', String(16 * MB), '60000'], { killAfterMs: 90_000 });
    t.diagnostic(`${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMiB ?? -1)} MiB: ${r.out.trim()}`);
    const got = JSON.parse(r.out);
    assert.deepEqual([got.ok, got.bytes, got.truncated, got.allX], [true, ONE_BYTE_WRITES_BYTES, false, true], r.out + r.err);
    assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < 500, `peak RSS ${r.peakRssMiB} MiB`);
  });
});

test('memory: rss grew by less than 100 MB over the suite; no socket is left', async (t) => {
  await Promise.all(started.map((s) => s.close()));
  const grown = process.memoryUsage().rss - rss0;
  t.diagnostic(`rss grew by ${(grown / MB).toFixed(1)} MB`);
  assert.ok(grown < 100 * MB, `rss grew by ${(grown / MB).toFixed(1)} MB`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(
    process.getActiveResourcesInfo().filter((r) => /TCP|TLS/i.test(r)),
    [],
  );
});

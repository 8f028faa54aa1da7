// The connect timeout learnt from answers (RTT estimator), per network, and the one retry before
// "filtered". No network, no clock: fake connects that answer with given verdicts and times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConnectTiming, RttEstimator, connectWithRetry, networkKey, CONNECT_TIMEOUT_FLOOR_MS, INITIAL_CONNECT_TIMEOUT_MS, type Connect } from './connect-timing.ts';
import type { TcpConnectResult } from './tcp-connect.ts';

const rtt = fc.double({ min: 0, max: 5000, noNaN: true });
const bounds = fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 5000 })).map(([floor, extra]) => ({ floor, initial: floor + extra }));

test('RTT estimator: the timeout is always within [floor, initial], whatever the answers', () => {
  fc.assert(
    fc.property(bounds, fc.array(fc.oneof(rtt, fc.constantFrom(NaN, -1, Infinity)), { maxLength: 200 }), ({ floor, initial }, samples) => {
      const e = new RttEstimator(initial, floor);
      assert.equal(e.timeoutMs(), initial); // conservative until an answer came
      for (const s of samples) {
        e.observe(s);
        const t = e.timeoutMs();
        assert.ok(t >= floor && t <= initial, `${t} outside [${floor}, ${initial}]`);
      }
    }),
  );
});

test('RTT estimator: an answer slower than the timeout never tightens it; one at the smoothed RTT never loosens it', () => {
  fc.assert(
    fc.property(bounds, fc.array(rtt, { minLength: 1, maxLength: 100 }), fc.double({ min: 0, max: 5000, noNaN: true }), ({ floor, initial }, history, extra) => {
      const e = new RttEstimator(initial, floor);
      for (const s of history) e.observe(s);
      const before = e.timeoutMs();
      const slow = new RttEstimator(initial, floor);
      for (const s of history) slow.observe(s);
      slow.observe(before + extra);
      assert.ok(slow.timeoutMs() >= before, `slow answer ${before + extra}: ${before} → ${slow.timeoutMs()}`);
    }),
  );
  fc.assert(
    fc.property(bounds, rtt, fc.integer({ min: 1, max: 50 }), ({ floor, initial }, r, n) => {
      // the same answer time again and again: the timeout only comes down, towards max(floor, r)
      const e = new RttEstimator(initial, floor);
      e.observe(r);
      let last = e.timeoutMs();
      for (let i = 0; i < n; i++) {
        e.observe(r);
        const t = e.timeoutMs();
        assert.ok(t <= last, `repeated ${r}: ${last} → ${t}`);
        last = t;
      }
    }),
  );
});

test('RTT estimator: loopback-fast answers bring the timeout down to the floor; a slow network keeps a long one', () => {
  const fast = new RttEstimator(INITIAL_CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_FLOOR_MS);
  for (let i = 0; i < 20; i++) fast.observe(0.2);
  assert.equal(fast.timeoutMs(), CONNECT_TIMEOUT_FLOOR_MS);
  const far = new RttEstimator(INITIAL_CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_FLOOR_MS);
  for (let i = 0; i < 20; i++) far.observe(180 + (i % 2) * 40);
  assert.ok(far.timeoutMs() > 220 && far.timeoutMs() < INITIAL_CONNECT_TIMEOUT_MS, String(far.timeoutMs()));
});

test('networkKey: the /24 of an IPv4 address, the /64 of an IPv6 one, a name as itself', () => {
  assert.equal(networkKey('10.1.2.3'), '10.1.2');
  assert.equal(networkKey('10.1.2.250'), '10.1.2');
  assert.equal(networkKey('2001:db8::1'), '2001:db8:0:0');
  assert.equal(networkKey('2001:0db8:0:0:ffff::1'), '2001:db8:0:0');
  assert.equal(networkKey('::1'), '0:0:0:0');
  assert.equal(networkKey('Node-1.example.com'), 'name:node-1.example.com');
});

test('per network: answers from one /24 tighten its timeout, a /24 with none uses the sweep-wide one', () => {
  const t = new ConnectTiming();
  assert.equal(t.timeoutFor('10.0.0.1'), INITIAL_CONNECT_TIMEOUT_MS);
  for (let i = 0; i < 30; i++) t.observe(`10.0.0.${i}`, 1);
  assert.equal(t.timeoutFor('10.0.0.200'), CONNECT_TIMEOUT_FLOOR_MS);
  for (let i = 0; i < 30; i++) t.observe(`10.9.9.${i}`, 300);
  assert.ok(t.timeoutFor('10.9.9.1') > 300, String(t.timeoutFor('10.9.9.1')));
  assert.equal(t.timeoutFor('10.0.0.7'), CONNECT_TIMEOUT_FLOOR_MS); // the slow network did not loosen the fast one
  const global = t.timeoutFor('10.5.5.5'); // no answer from 10.5.5.0/24 yet: the sweep's own
  assert.ok(global >= CONNECT_TIMEOUT_FLOOR_MS && global <= INITIAL_CONNECT_TIMEOUT_MS);
  // bounded: thousands of networks do not grow the map past its cap
  for (let i = 0; i < 10_000; i++) t.observe(`11.${i >> 8}.${i & 255}.1`, 1);
  assert.ok(t.networkCount <= 4096);
});

test('fixed (--connect-timeout): no adaptation', () => {
  const t = new ConnectTiming({ fixedMs: 250 });
  for (let i = 0; i < 30; i++) t.observe('10.0.0.1', 1);
  assert.equal(t.timeoutFor('10.0.0.1'), 250);
  assert.equal(t.retryTimeoutFor('10.0.0.1', 250), 250);
});

/** a fake connect answering from a script, recording the timeouts asked */
function scripted(answers: TcpConnectResult[]): { connect: Connect; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    connect: async (_h, _p, ms) => {
      asked.push(ms);
      const a = answers.shift();
      assert.ok(a, 'more connects than scripted');
      return a;
    },
  };
}
const TIMEOUT: TcpConnectResult = { state: 'filtered', ms: 100, detail: 'no answer', timedOut: true };

test('retry once: a timed-out connect is tried again, with twice its timeout, and an answer then counts', async () => {
  const t = new ConnectTiming();
  for (let i = 0; i < 30; i++) t.observe('10.0.0.1', 1); // the /24's timeout is at the floor
  const s = scripted([TIMEOUT, { state: 'open', ms: 150 }]);
  const r = await connectWithRetry('10.0.0.9', 10250, t, s.connect);
  assert.equal(r.state, 'open');
  assert.equal(r.attempts, 2);
  assert.deepEqual(s.asked, [CONNECT_TIMEOUT_FLOOR_MS, 2 * CONNECT_TIMEOUT_FLOOR_MS]);
  assert.deepEqual(t.stats, { retried: 1, recovered: 1, filtered: 0 });
});

test('retry once: two timeouts make "filtered", and no third try; the retry timeout never exceeds the initial', async () => {
  const t = new ConnectTiming();
  const s = scripted([TIMEOUT, TIMEOUT]);
  const r = await connectWithRetry('10.0.0.9', 10250, t, s.connect);
  assert.equal(r.state, 'filtered');
  assert.equal(r.attempts, 2);
  assert.deepEqual(s.asked, [INITIAL_CONNECT_TIMEOUT_MS, INITIAL_CONNECT_TIMEOUT_MS]);
  assert.deepEqual(t.stats, { retried: 1, recovered: 0, filtered: 1 });
});

test('no retry for an answer (open, refused) or a no-route error; answers teach the timeout, errors do not', async () => {
  const t = new ConnectTiming();
  for (const a of [{ state: 'closed', ms: 2 }, { state: 'open', ms: 2 }, { state: 'filtered', ms: 1, detail: 'EHOSTUNREACH' }] as TcpConnectResult[]) {
    const s = scripted([a]);
    const r = await connectWithRetry('10.0.0.9', 10250, t, s.connect);
    assert.equal(r.state, a.state);
    assert.equal(r.attempts, 1);
    assert.equal(s.asked.length, 1);
  }
  assert.deepEqual(t.stats, { retried: 0, recovered: 0, filtered: 1 });
  assert.ok(t.timeoutFor('10.0.0.1') < INITIAL_CONNECT_TIMEOUT_MS);
});

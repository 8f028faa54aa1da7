// The two pools fitted to the open-file limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFileLimit, scanPools, MAX_CONNECTS, MAX_CLASSIFICATIONS } from './pools.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            20000                20000                files
`;

test('openFileLimit: the soft limit from /proc/self/limits; undefined when unreadable', () => {
  assert.equal(openFileLimit(() => LIMITS), 20000);
  assert.equal(openFileLimit(() => LIMITS.replace('20000                20000', 'unlimited            unlimited')), Number.MAX_SAFE_INTEGER);
  assert.equal(openFileLimit(() => 'nothing'), undefined);
  assert.equal(openFileLimit(() => {
    throw new Error('ENOENT');
  }), undefined);
  const here = openFileLimit();
  assert.ok(here === undefined || here > 0);
});

test('scanPools: 4,096 connects and 256 classifications when the limit allows, within half of it always', () => {
  assert.deepEqual(scanPools(undefined, 20000), { connects: MAX_CONNECTS, classifications: MAX_CLASSIFICATIONS, fdLimit: 20000, fdLimitRead: true, clamped: false });
  for (const limit of [64, 256, 1024, 4096, 8192, 20000, 1 << 20]) {
    const p = scanPools(undefined, limit);
    assert.ok(p.connects >= 1 && p.classifications >= 1);
    assert.ok(p.connects + 4 * p.classifications <= Math.max(2, limit / 2) + 4, `limit ${limit}: ${JSON.stringify(p)}`);
  }
  const unknown = scanPools(undefined, undefined);
  assert.equal(unknown.fdLimitRead, false);
  assert.ok(unknown.connects + 4 * unknown.classifications <= 512);
});

test('scanPools: --concurrency sets the connects (and caps the classifications), lowered only to fit the limit', () => {
  assert.deepEqual(scanPools(1, 20000), { connects: 1, classifications: 1, fdLimit: 20000, fdLimitRead: true, clamped: false });
  assert.equal(scanPools(1024, 20000).connects, 1024);
  assert.equal(scanPools(1024, 20000).classifications, 256);
  const low = scanPools(4096, 1024);
  assert.equal(low.clamped, true);
  assert.ok(low.connects < 512);
});

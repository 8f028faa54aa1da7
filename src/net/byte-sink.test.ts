import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteSink } from './byte-sink.ts';

test('ByteSink: holds what it was given, refuses what would exceed its cap', () => {
  const g = new ByteSink(100, 4);
  for (let i = 0; i < 100; i++) assert.ok(g.append(Buffer.from([i])));
  assert.equal(g.length, 100);
  assert.deepEqual([...g.view()], Array.from({ length: 100 }, (_, i) => i));
  assert.equal(g.append(Buffer.from([1])), false);
  g.reset();
  assert.equal(g.length, 0);
});

test('ByteSink: a chunk past the cap keeps what fits; text() decodes what is held; reset(keep) lets a large buffer go', () => {
  const g = new ByteSink(8);
  assert.equal(g.append(Buffer.from('héllo, world')), false);
  assert.equal(g.length, 8);
  assert.equal(g.text(), 'héllo, ');
  const big = new ByteSink(1 << 20, 16);
  assert.ok(big.append(Buffer.alloc(500_000, 0x61)));
  big.reset(1024);
  assert.equal(big.length, 0);
  assert.ok(big.append(Buffer.from('ab')));
  assert.equal(big.text(), 'ab');
});

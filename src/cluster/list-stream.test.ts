// The list page parser: any list, cut anywhere, gives the items JSON.parse gives, one at a time;
// broken JSON is an error; an item or the skeleton over its bound stops the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ListPageParser, ListStreamError } from './list-stream.ts';

const LIMITS = { maxItemBytes: 1 << 20, maxSkeletonBytes: 1 << 20 };

function parse(text: string, cuts: number[], limits = LIMITS): { items: unknown[]; skeleton: Record<string, unknown> } {
  const items: unknown[] = [];
  const p = new ListPageParser(limits, (it) => items.push(it));
  const buf = Buffer.from(text, 'utf8');
  let at = 0;
  for (const c of [...cuts.map((x) => Math.floor(x * buf.length)).sort((a, b) => a - b), buf.length]) {
    p.write(buf.subarray(at, Math.max(at, c)));
    at = Math.max(at, c);
  }
  return { items, skeleton: p.end() };
}

test('property: any list cut anywhere gives its items and its metadata', () => {
  fc.assert(fc.property(
    fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 20 }),
    fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
    fc.boolean(),
    (items, cont, cuts, pretty) => {
      const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(cont !== undefined ? { continue: cont } : {}) }, items, trailer: { items: ['x'] } };
      const text = pretty ? JSON.stringify(list, null, 2) : JSON.stringify(list);
      const r = parse(text, cuts);
      assert.deepEqual(r.items, JSON.parse(JSON.stringify(items)));
      assert.deepEqual(r.skeleton.metadata, list.metadata);
      assert.deepEqual(r.skeleton.items, []);
      assert.deepEqual(r.skeleton.trailer, { items: ['x'] });
    },
  ), { numRuns: 300 });
});

test('broken lists are errors, never a silent partial list', () => {
  const bad = ['', '[]', 'null', '{"items":[1,,2]}', '{"items":[1 2]}', '{"items":[1,]}', '{"items":[{"a":1}', '{"items":[{"a":}]}',
    '{"items":[],"items":[]}', '{"items":[]} x', '{"items":[]', '{"kind":"x",}'];
  for (const text of bad) assert.throws(() => parse(text, [0.5]), ListStreamError, text);
  assert.deepEqual(parse('{"items":[1,"a\\"]",{"b":"]}"}],"metadata":{}}', [0.3, 0.6]).items, [1, 'a"]', { b: ']}' }]);
});

test('an item over its bound, or a skeleton over its bound, stops the page', () => {
  const big = JSON.stringify({ items: [{ a: 'x'.repeat(5000) }] });
  assert.throws(() => parse(big, [0.1, 0.2], { maxItemBytes: 1000, maxSkeletonBytes: 1000 }), /item 1 is over 1000 bytes/);
  const meta = JSON.stringify({ metadata: { junk: 'y'.repeat(5000) }, items: [] });
  assert.throws(() => parse(meta, [0.5], { maxItemBytes: 1000, maxSkeletonBytes: 1000 }), /metadata is over 1000 bytes/);
});

test('a page of many items in one-byte chunks: every item, in order', () => {
  const items = Array.from({ length: 300 }, (_, i) => ({ metadata: { name: `n-${i}` } }));
  const text = JSON.stringify({ items, metadata: { continue: 'abc' } });
  const got: unknown[] = [];
  const p = new ListPageParser(LIMITS, (it) => got.push(it));
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i++) p.write(buf.subarray(i, i + 1));
  assert.deepEqual(got, items);
  assert.equal((p.end().metadata as { continue: string }).continue, 'abc');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Finding } from '../checks/types.ts';
import { startJsonStream } from './cluster-json.ts';

const f = (i: number): Finding => ({ check: `c${i}`, title: 't "quoted"\nline', section: 'cis-4.2', cis: [], status: 'pass', severity: 'low', message: `m${i}`, evidence: [{ note: 'n' }] });

class Slow extends Writable {
  chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 16 });
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.chunks.push(c.toString());
    setImmediate(cb);
  }
}

test('the streamed document is the JSON of the whole report, pretty-printed alike', async () => {
  for (const n of [0, 1, 3]) {
    const out = new Slow();
    const s = await startJsonStream(out, { tool: { name: 'x' }, cluster: { server: 'https://a', nodes: 2 } });
    for (let i = 0; i < n; i++) await s.finding(f(i));
    await s.end({ nodes: [{ name: 'a' }], summary: { pass: n } });
    const text = out.chunks.join('');
    const whole = { tool: { name: 'x' }, cluster: { server: 'https://a', nodes: 2 }, findings: Array.from({ length: n }, (_, i) => f(i)), nodes: [{ name: 'a' }], summary: { pass: n } };
    assert.deepEqual(JSON.parse(text), whole);
    assert.equal(text, JSON.stringify(whole, null, 2) + '\n');
  }
});

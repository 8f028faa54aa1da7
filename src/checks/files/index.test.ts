import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';

test('CIS 4.1 checks in benchmark order, unique ids, section cis-4.1', () => {
  assert.deepEqual(checks.map((c) => c.meta.cis[0]), ['4.1.1', '4.1.2', '4.1.3', '4.1.4', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.1.9', '4.1.10']);
  assert.equal(new Set(checks.map((c) => c.meta.id)).size, checks.length);
  for (const c of checks) {
    assert.equal(c.meta.section, 'cis-4.1');
    assert.match(c.meta.id, /^file-[a-z0-9-]+$/);
    assert.match(c.meta.remediation, /^(chmod|chown) /);
  }
});

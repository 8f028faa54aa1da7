import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';

test('API-server checks in CIS 1.2 order, unique ids, section control-plane', () => {
  assert.deepEqual(checks.map((c) => c.meta.cis[0]), ['1.2.1', '1.2.4', '1.2.5', '1.2.6', '1.2.7', '1.2.8', '1.2.14']);
  assert.equal(new Set(checks.map((c) => c.meta.id)).size, checks.length);
  for (const c of checks) {
    assert.equal(c.meta.section, 'control-plane');
    assert.match(c.meta.id, /^apiserver-[a-z0-9-]+$/);
  }
});

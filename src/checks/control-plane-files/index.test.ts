import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';

test('CIS 1.1 checks in benchmark order, unique ids, section cis-1.1', () => {
  assert.deepEqual(checks.map((c) => c.meta.cis[0]), ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '1.1.11', '1.1.12', '1.1.13', '1.1.14', '1.1.15', '1.1.16', '1.1.17', '1.1.18', '1.1.19', '1.1.20', '1.1.21']);
  assert.equal(new Set(checks.map((c) => c.meta.id)).size, checks.length);
  for (const c of checks) {
    assert.equal(c.meta.section, 'cis-1.1');
    assert.match(c.meta.id, /^cp-file-[a-z0-9-]+$/);
    assert.match(c.meta.remediation, /^(chmod|chown) /);
  }
});

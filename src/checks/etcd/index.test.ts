import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';

test('etcd checks: CIS 2.1–2.7 in order, then the listeners; unique ids, section etcd', () => {
  assert.deepEqual(checks.map((c) => c.meta.cis[0] ?? c.meta.id), ['2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', 'etcd-client-plain-http', 'etcd-metrics-plain-http']);
  assert.equal(new Set(checks.map((c) => c.meta.id)).size, checks.length);
  for (const c of checks) {
    assert.equal(c.meta.section, 'etcd');
    assert.match(c.meta.id, /^etcd-[a-z0-9-]+$/);
  }
});

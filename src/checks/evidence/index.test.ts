import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checks } from './index.ts';

test('evidence checks, in order, section kubelet-evidence, ids kubelet-*', () => {
  assert.deepEqual(checks.map((c) => c.meta.id), ['kubelet-found', 'kubelet-evidence-complete', 'kubelet-config-accepted', 'kubelet-config-warnings']);
  for (const c of checks) assert.equal(c.meta.section, 'kubelet-evidence');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { renderChecksDoc } from '../scripts/checks-doc.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';

test('docs/checks.md is up to date (run: node scripts/checks-doc.ts)', () => {
  assert.equal(fs.readFileSync('docs/checks.md', 'utf8'), renderChecksDoc());
});

test('check ids are unique and every check has the metadata a report needs', () => {
  const ids = NODE_CHECKS.map((c) => c.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const { meta } of NODE_CHECKS) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9.]+)*$/, meta.id);
    assert.ok(meta.title && meta.rationale && meta.remediation, meta.id);
    for (const c of meta.cis) assert.match(c, /^\d+(\.\d+){1,2}$/, meta.id); // CIS 2.1 … 2.7 have two parts
  }
});

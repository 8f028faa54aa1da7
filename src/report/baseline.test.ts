import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BaselineSet, parseBaseline } from './baseline.ts';
import type { Finding } from '../checks/types.ts';

const f = (check: string, status: Finding['status'], subject?: string, over: Partial<Finding> = {}): Finding => ({
  check, title: 't', section: 'cis-4.2', cis: [], status, severity: 'high', message: 'm', evidence: [], ...(subject ? { subject } : {}), ...over,
});
const report = (findings: unknown, command = 'node', schemaVersion: unknown = '1') => JSON.stringify({ schemaVersion, inputs: { command, options: {} }, findings });

test('a bad baseline says why', () => {
  const err = (text: string) => {
    const r = parseBaseline(text, 'node');
    assert.ok('error' in r);
    return r.error;
  };
  assert.match(err('{'), /^not JSON/);
  assert.match(err('[]'), /expected a JSON object/);
  assert.match(err(report([], 'node', '2')), /schemaVersion "2": expected "1"/);
  assert.match(err(report([], 'scan')), /a report of kubelet-guard scan, not of node/);
  assert.match(err(report('x')), /no findings array/);
  assert.match(err(report([{ check: 1 }])), /findings\[0\]: expected check, status and severity/);
});

test('identity is check and subject: a new message, line or severity is unchanged; passes are not marked; gone is resolved', () => {
  const b = parseBaseline(report([f('a', 'fail'), f('b', 'fail', '/x'), f('c', 'unknown'), f('d', 'pass'), f('e', 'fail', '/old')]), 'node');
  assert.ok('findings' in b);
  assert.equal(b.findings.length, 4, 'only failed and unknown findings are the baseline');
  const set = new BaselineSet('prev.json', b.findings);
  assert.equal(set.apply(f('a', 'fail', undefined, { message: 'other words', evidence: [{ file: '/y', line: 40 }], severity: 'critical' })).baseline, 'unchanged');
  assert.equal(set.apply(f('b', 'fail', '/x')).baseline, 'unchanged');
  assert.equal(set.apply(f('b', 'fail', '/z')).baseline, 'new', 'another subject is another finding');
  assert.equal(set.apply(f('d', 'fail')).baseline, 'new', 'it passed in the baseline: a new failure');
  assert.equal(set.apply(f('c', 'pass')).baseline, undefined);
  const s = set.summary();
  assert.deepEqual([s.new, s.unchanged], [2, 2]);
  assert.deepEqual(s.resolved.map((r) => [r.check, r.subject ?? '']), [['c', ''], ['e', '/old']]);
});

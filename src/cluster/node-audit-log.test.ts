// The node audit Job's log is written by a node that may be compromised: only a well-formed report
// of checks this build knows, with statuses and severities those checks can give, is believed; its
// titles and sections are ours; every finding carries the Job as its provenance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNodeAuditLog } from './node-audit-log.ts';
import { NODE_CHECKS } from '../checks/index.ts';

const PROV = 'from the node audit Job kubelet-guard/kubelet-guard-abcd1234-0 (image x)';
const check = NODE_CHECKS.find((c) => c.meta.id === 'kubelet-anonymous-auth')!.meta;
const f = (over: Record<string, unknown> = {}) => ({ check: check.id, title: 'All good, trust me', section: 'rbac', cis: ['9.9'], subject: undefined,
  status: 'fail', severity: check.severity, message: 'anonymous auth is on', evidence: [{ setting: 'authentication.anonymous.enabled', value: true, source: { kind: 'file' } }], ...over });
const report = (findings: unknown[], more: Record<string, unknown> = {}) => JSON.stringify({ tool: { name: 'kubelet-guard', version: '0.1.0' }, findings, ...more }, null, 2) + '\n';
const parse = (text: string | Uint8Array) => parseNodeAuditLog(typeof text === 'string' ? Buffer.from(text) : text, 'node-a', PROV);

test('a report: findings about the node, our title and section, the Job as first evidence, values as text', () => {
  const r = parse(report([f()]));
  assert.ok(!('error' in r), JSON.stringify(r));
  const [x] = r.findings;
  assert.equal(x!.title, check.title);
  assert.equal(x!.section, check.section);
  assert.deepEqual(x!.cis, check.cis);
  assert.equal(x!.subject, 'node-a');
  assert.equal(x!.message, 'node-a: anonymous auth is on');
  assert.deepEqual(x!.evidence, [{ note: PROV }, { setting: 'authentication.anonymous.enabled', note: 'value: true' }]);
  assert.equal(r.version, '0.1.0');
  assert.equal(r.incomplete, undefined);
});

test('its own standard-error lines around the report are taken as the reason it is incomplete; anything else is not', () => {
  const r = parse(`kubelet-guard node: incomplete: no kubelet found\n${report([], { incomplete: 'no kubelet found under /host' })}`);
  assert.ok(!('error' in r));
  assert.equal(r.incomplete, 'no kubelet found under /host; incomplete: no kubelet found');
  assert.match((parse(`hello\n${report([])}`) as { error: string }).error, /more than the node audit's JSON report/);
});

test('not a report: empty, not UTF-8, not JSON, the wrong tool, too many of anything', () => {
  const bad: Array<[string | Uint8Array, RegExp]> = [
    ['', /empty/],
    [Buffer.from([0x7b, 0x0a, 0xff, 0x0a, 0x7d]), /not UTF-8/],
    ['{\n"tool": \n}\n', /not valid JSON/],
    [report([]).replace('kubelet-guard', 'kube-bench'), /tool\.name/],
    [JSON.stringify({ tool: { name: 'kubelet-guard', version: '1' }, findings: {} }, null, 2), /findings is not a list/],
    [report([f({ evidence: Array(201).fill({}) })]), /over 200 items/],
    [report([f({ message: 'x'.repeat(20_000) })]), /over 16384 characters/],
    [report([f({ evidence: [{ line: -1 }] })]), /not a line number/],
  ];
  for (const [text, why] of bad) {
    const r = parse(text);
    assert.ok('error' in r, String(text).slice(0, 60));
    assert.match(r.error, why);
  }
});

test('a log cannot invent checks, statuses or severities, nor disagree with itself', () => {
  assert.match((parse(report([f({ check: 'everything-is-fine', status: 'pass' })])) as { error: string }).error, /no node check is called "everything-is-fine"/);
  assert.match((parse(report([f({ status: 'excellent' })])) as { error: string }).error, /not a status/);
  assert.match((parse(report([f({ severity: 'info' })])) as { error: string }).error, /cannot have severity "info"/);
  assert.match((parse(report([f(), f({ status: 'pass' })])) as { error: string }).error, /disagree \(fail\/critical and pass\/critical\)|disagree/);
  // the same verdict twice is no contradiction
  assert.ok(!('error' in parse(report([f(), f()]))));
});

test('terminal escapes in the log stay text here: the output layer makes them inert', () => {
  const r = parse(report([f({ message: '\x1b]0;pwned\x07ok', subject: '\x1b[2J' })]));
  assert.ok(!('error' in r));
  assert.equal(r.findings[0]!.subject, 'node-a \x1b[2J');
});

test('a value nested too deep to print is that node\'s unreadable report, never a crash of the run', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  const text = report([f()]).replace('"evidence": [', `"evidence": [{ "value": ${deep} }, `);
  const r = parse(text);
  assert.ok('error' in r, 'an error, not a throw');
});

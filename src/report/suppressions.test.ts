import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covers, globMatch, isExpired, parseIgnoreFile, SuppressionSet, suppressionWarnings, utcDay } from './suppressions.ts';
import type { Finding } from '../checks/types.ts';

const known = (id: string) => ['kubelet-anonymous-auth', 'cert-not-expired', 'file-kubelet-config-perms'].includes(id);
const parse = (text: string) => parseIgnoreFile(text, 'ig.yaml', known);
const errorOf = (text: string): string => {
  const r = parse(text);
  assert.ok('error' in r, `expected an error for ${JSON.stringify(text)}`);
  return r.error;
};

const finding = (over: Partial<Finding> = {}): Finding => ({
  check: 'kubelet-anonymous-auth', title: 't', section: 'cis-4.2', cis: [], status: 'fail', severity: 'critical', message: 'm', evidence: [], ...over,
});

test('a good file: every key, with the line of each entry; an empty file suppresses nothing', () => {
  const r = parse([
    '# accepted',
    '- check: kubelet-anonymous-auth',
    '  reason: lab nodes',
    '  node: "lab-*"',
    '  expires: 2026-12-31',
    '- check: cert-not-expired',
    '  subject: /var/lib/kubelet/pki/*.crt',
    '  file: /var/lib/*',
    '  reason: "rotated by the vendor"',
    '  expires: "2027-01-01"',
  ].join('\n'));
  assert.ok('entries' in r);
  assert.deepEqual(r.entries, [
    { source: 'ig.yaml:2', check: 'kubelet-anonymous-auth', reason: 'lab nodes', node: 'lab-*', expires: '2026-12-31' },
    { source: 'ig.yaml:6', check: 'cert-not-expired', reason: 'rotated by the vendor', subject: '/var/lib/kubelet/pki/*.crt', file: '/var/lib/*', expires: '2027-01-01' },
  ]);
  assert.deepEqual(parse(''), { entries: [] });
  assert.deepEqual(parse('# nothing yet\n'), { entries: [] });
});

test('each error names the file, the line and what was expected', () => {
  assert.match(errorOf('check: kubelet-anonymous-auth\n'), /^ig\.yaml:1: expected a list of suppressions/);
  assert.match(errorOf('- reason: x\n'), /^ig\.yaml:1: the suppression has no check/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n'), /^ig\.yaml:1: the suppression has no reason; every suppression says why/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: "  "\n'), /^ig\.yaml:2: reason: expected a non-empty string/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: x\n\n- check: no-such-check\n  reason: zz\n'), /^ig\.yaml:4: unknown check "no-such-check"/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: x\n  expires: 2026-02-30\n'), /^ig\.yaml:3: expires: expected a date YYYY-MM-DD, found "2026-02-30"/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: x\n  expires: tomorrow\n'), /^ig\.yaml:3: expires: expected a date/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: x\n  severity: low\n'), /^ig\.yaml:3: unknown key "severity"/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: [a]\n'), /^ig\.yaml:2: reason: expected a string/);
  assert.match(errorOf('- kubelet-anonymous-auth\n'), /^ig\.yaml:1: expected a suppression/);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: a\n  reason: b\n'), /^ig\.yaml:3: \[0\]\.reason is set twice \(also line 2\)/);
  assert.match(errorOf('- check: [\n'), /^ig\.yaml(:\d+)?: /);
  assert.match(errorOf('- check: kubelet-anonymous-auth\n  reason: x\n---\n- check: cert-not-expired\n'), /^ig\.yaml:3: only one YAML document/);
});

test('hostile input: the decoder bounds apply (huge, deep, alias bombs), never a hang or a crash', () => {
  const huge = '- check: kubelet-anonymous-auth\n  reason: x\n  subject: [' + 'a,'.repeat(400_000) + 'a]\n';
  assert.match(errorOf(huge), /YAML tokens; the audit analyses at most/);
  assert.match(errorOf('- '.repeat(5000) + 'x\n'), /^ig\.yaml/);
  assert.match(errorOf('['.repeat(300) + ']'.repeat(300) + '\n'), /^ig\.yaml/);
  // a billion laughs: aliases expanded into a reason
  const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  assert.match(errorOf(laughs.join('\n') + '\n'), /^ig\.yaml/);
  // an alias for a reason is resolved, as go-yaml does
  const r = parse('- check: kubelet-anonymous-auth\n  reason: &why lab\n- check: cert-not-expired\n  reason: *why\n');
  assert.ok('entries' in r);
  assert.equal(r.entries[1]!.reason, 'lab');
  assert.match(errorOf(`- check: kubelet-anonymous-auth\n  reason: x\n  subject: "${'a'.repeat(2000)}"\n`), /subject: longer than 1024/);
});

test('globMatch: * any run (slashes too), ? one character, the rest literal; linear on hostile patterns', () => {
  assert.ok(globMatch('lab-*', 'lab-node-1'));
  assert.ok(globMatch('*', ''));
  assert.ok(globMatch('/etc/*/kubelet.conf', '/etc/kubernetes/x/kubelet.conf'));
  assert.ok(globMatch('node-?', 'node-7'));
  assert.ok(!globMatch('node-?', 'node-17'));
  assert.ok(!globMatch('lab-*', 'prod-lab-1'));
  assert.ok(globMatch('a.b', 'a.b'));
  assert.ok(!globMatch('a.b', 'axb'), 'a dot is a dot, not a regex');
  assert.ok(!globMatch('[ab]', 'a'), 'no classes: brackets are literal');
  assert.ok(globMatch('[ab]', '[ab]'));
  // the pattern that makes a backtracking matcher exponential
  const t = 'a'.repeat(5000);
  // (an exponential matcher would not return within the test's run; this one does at most pattern × text steps)
  assert.ok(!globMatch('*a*a*a*a*a*a*a*a*a*b', t));
});

test('matching: check, subject, node and file patterns all must hold', () => {
  const s = { check: 'cert-not-expired', subject: '/var/lib/kubelet/pki/*', reason: 'r', source: 'ig.yaml:1' };
  const f = finding({ check: 'cert-not-expired', subject: '/var/lib/kubelet/pki/kubelet.crt', evidence: [{ file: '/var/lib/kubelet/pki/kubelet.crt', line: 1 }] });
  assert.ok(covers(s, f, 'n1'));
  assert.ok(!covers({ ...s, check: 'kubelet-anonymous-auth' }, f, 'n1'));
  assert.ok(!covers({ ...s, subject: '/etc/*' }, f, 'n1'));
  assert.ok(!covers(s, { ...f, subject: undefined }, 'n1'), 'a subject pattern never matches a finding without one');
  assert.ok(covers({ ...s, node: 'n?' }, f, 'n1'));
  assert.ok(!covers({ ...s, node: 'lab-*' }, f, 'n1'));
  assert.ok(!covers({ ...s, node: '*' }, f, undefined));
  assert.ok(covers({ ...s, file: '/var/lib/kubelet/*' }, f, 'n1'));
  assert.ok(!covers({ ...s, file: '/etc/*' }, f, 'n1'));
});

test('expiry: the day is passed in; in force through its expiry day, expired the day after', () => {
  assert.equal(utcDay(new Date('2026-12-31T23:59:59Z')), '2026-12-31');
  assert.ok(!isExpired({ expires: '2026-12-31' }, '2026-12-31'));
  assert.ok(isExpired({ expires: '2026-12-31' }, '2027-01-01'));
  assert.ok(!isExpired({}, '9999-12-31'));
});

test('a set: the first entry in force suppresses; an expired one does not and is reported; an unused one is stale', () => {
  const r = parse([
    '- check: kubelet-anonymous-auth', '  reason: old', '  expires: 2020-01-01',
    '- check: kubelet-anonymous-auth', '  reason: lab', '  node: "lab-*"',
    '- check: cert-not-expired', '  reason: never matches',
  ].join('\n'));
  assert.ok('entries' in r);
  const set = new SuppressionSet(r.entries, '2026-06-01');
  const a = set.apply(finding(), 'lab-1');
  assert.deepEqual(a.suppressed, { reason: 'lab', source: 'ig.yaml:4' });
  assert.equal(a.status, 'fail', 'a suppressed finding keeps its status');
  assert.equal(set.apply(finding(), 'prod-1').suppressed, undefined, 'only the expired entry covers it: not suppressed');
  const n = set.notes();
  assert.deepEqual(n.expired.map((e) => [e.source, e.matches]), [['ig.yaml:1', 2]]);
  assert.deepEqual(n.stale.map((e) => e.source), ['ig.yaml:7']);
  const w = suppressionWarnings(n);
  assert.match(w[0]!, /expired on 2020-01-01 \(ig\.yaml:1, kubelet-anonymous-auth\).*2 findings count again/);
  assert.match(w[1]!, /stale suppression \(ig\.yaml:7, cert-not-expired\)/);
});

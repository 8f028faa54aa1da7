import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../checks/types.ts';
import { formatJunit, xmlEscape } from './junit.ts';
import { assertJunit, xpathString, xmllintJunit } from '../../test/report/xmllint.ts';

const finding = (over: Partial<Finding>): Finding => ({
  check: 'kubelet-anonymous-auth', title: 'Anonymous off', section: 'cis-4.2', cis: ['4.2.1'], status: 'fail', severity: 'critical', message: 'anonymous auth is on', evidence: [], ...over,
});
const junit = (findings: Finding[], extra: { incomplete?: string; redact?: (t: string) => string } = {}) =>
  formatJunit({ command: 'node', target: 'node-1', generatedAt: '2026-12-06T16:00:01.234Z', findings, ...extra });

test('a suite per section with counts and a timestamp; fail, unknown, not-applicable, pass', (t) => {
  const xml = junit([
    finding({ evidence: [{ setting: 'authentication.anonymous.enabled', value: true, source: { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: 7 } }], remediation: 'In /var/lib/kubelet/config.yaml line 7: set `authentication.anonymous.enabled` to `false`', fixes: [{ kind: 'config-set', file: '/var/lib/kubelet/config.yaml', line: 7, path: ['authentication', 'anonymous', 'enabled'], value: false }] }),
    finding({ check: 'kubelet-tls-cert-files', status: 'unknown', severity: 'high', message: 'cannot read /x: permission denied' }),
    finding({ check: 'kubelet-rotate-certificates', status: 'not-applicable', message: 'no TLS bootstrap' }),
    finding({ check: 'kubelet-read-only-port', status: 'pass', message: 'off' }),
    finding({ check: 'file-kubelet-config-perms', section: 'cis-4.1', subject: '/var/lib/kubelet/config.yaml', status: 'pass', message: 'ok' }),
  ]);
  assertJunit(t, xml);
  assert.match(xml, /<testsuites name="kubelet-guard node node-1" tests="5" failures="1" errors="0" skipped="2" time="0">/);
  // sections in the report's order: 4.1 before 4.2
  assert.match(xml, /<testsuite name="cis-4\.1" id="0" package="kubelet-guard\.node" hostname="node-1" timestamp="2026-12-06T16:00:01" tests="1" failures="0" errors="0" skipped="0" time="0">/);
  assert.match(xml, /<testsuite name="cis-4\.2" id="1" [^>]* tests="4" failures="1" errors="0" skipped="2" /);
  assert.match(xml, /<property name="generatedAt" value="2026-12-06T16:00:01\.234Z"\/>/);
  assert.match(xml, /<testcase classname="cis-4\.1" name="file-kubelet-config-perms \/var\/lib\/kubelet\/config\.yaml" time="0"\/>/);
  assert.match(xml, /<testcase classname="cis-4\.2" name="kubelet-read-only-port" time="0"\/>/);
  assert.match(xml, /<failure message="anonymous auth is on" type="critical">kubelet-anonymous-auth: Anonymous off\nseverity: critical \(CIS 4\.2\.1\)\nanonymous auth is on\nevidence: \/var\/lib\/kubelet\/config\.yaml:7 authentication\.anonymous\.enabled = true\nfix: In \/var\/lib\/kubelet\/config\.yaml line 7: set `authentication\.anonymous\.enabled` to `false`\nkubelet-guard fix makes this change/);
  assert.match(xml, /<skipped message="unknown \(the evidence could not be read, so no verdict\): cannot read \/x: permission denied"\/>/);
  assert.match(xml, /<skipped message="not applicable: no TLS bootstrap"\/>/);
});

test('an incomplete audit is an error testcase, never an empty green report', (t) => {
  const xml = junit([], { incomplete: 'no kubelet found under --root /x' });
  assertJunit(t, xml);
  assert.match(xml, /<testsuites [^>]*tests="1" failures="0" errors="1"/);
  assert.match(xml, /<error message="no kubelet found under --root \/x" type="incomplete">/);
});

test('hostile names, paths and messages: escaped, every character XML 1.0 forbids shown as an escape, still valid', (t) => {
  const evil = 'a<b>&c"d\'e]]>f\x01g\x1b[31mh\uFFFEi\uFFFFj\uD800k\u202el\tm\nn\ro';
  const xml = junit([
    finding({ subject: evil, message: evil, evidence: [{ file: `/etc/${evil}`, line: 3, note: evil }], remediation: evil }),
    finding({ check: 'static-pod-privileged', section: 'static-pods', subject: `<![CDATA[${evil}]]>`, status: 'unknown', message: evil }),
    finding({ check: 'kubelet-found', section: 'kubelet-evidence', subject: evil, status: 'pass', message: evil }),
  ]);
  assertJunit(t, xml);
  // nothing XML forbids is written raw (tab, LF and CR only from the writer's own layout: LF)
  assert.doesNotMatch(xml, /[\x00-\x08\x0b\x0c\x0e-\x1f\uFFFE\uFFFF\uD800-\uDFFF\r\t]/);
  assert.ok(!xml.includes('<![CDATA['), 'no CDATA section: the attacker\'s one is text');
  assert.ok(!xml.includes(']]>'), ']]> never raw');
  assert.ok(!/<b>|<!\[/.test(xml));
  const shown = 'a<b>&c"d\'e]]>f\\x01g\\x1b[31mh\\ufffei\\uffffj\\ud800k\\u202el\\tm\\nn\\ro';
  if ('skip' in xmllintJunit('<x/>')) return;
  assert.equal(xpathString(xml, '//testsuite[@name="cis-4.2"]/testcase/failure/@message'), shown);
  assert.equal(xpathString(xml, '//testsuite[@name="static-pods"]/testcase/skipped/@message'), `unknown (the evidence could not be read, so no verdict): ${shown}`);
  assert.match(xpathString(xml, '//testsuite[@name="cis-4.2"]/testcase/failure'), new RegExp(`evidence: /etc/${shown.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:3`));
});

test('the run\'s redaction comes before escaping: a secret holding & and < is matched and its marker escaped', () => {
  const secret = 'tok&<en';
  const xml = junit([finding({ message: `header Authorization: Bearer ${secret}` })], { redact: (s) => s.replaceAll(secret, '<redacted>') });
  assert.ok(!xml.includes('tok&amp;&lt;en') && !xml.includes(secret));
  assert.match(xml, /Bearer &lt;redacted&gt;/);
});

test('xmlEscape escapes the five XML specials', () => {
  assert.equal(xmlEscape(`<a href="x" b='y'>&</a>`), '&lt;a href=&quot;x&quot; b=&apos;y&apos;&gt;&amp;&lt;/a&gt;');
});

test('a suppressed failure is a skipped testcase with its reason and source, not a failure of the build', () => {
  const x = junit([finding({ status: 'fail', message: 'open', suppressed: { reason: 'lab node', source: '.kubelet-guard-ignore.yaml:2' } })]);
  assert.match(x, /<skipped message="suppressed \(\.kubelet-guard-ignore\.yaml:2\): lab node; open"\/>/);
  assert.match(x, /<testsuites [^>]*failures="0" errors="0" skipped="1"/);
  assert.doesNotMatch(x, /<failure/);
});

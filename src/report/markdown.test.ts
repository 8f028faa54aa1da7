import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import type { Finding } from '../checks/types.ts';
import { summarize } from '../checks/run.ts';
import { codeBlock, codeSpan, formatMarkdown, MARKDOWN_LIMIT } from './markdown.ts';

const finding = (over: Partial<Finding>): Finding => ({
  check: 'kubelet-anonymous-auth', title: 'Anonymous off', section: 'cis-4.2', cis: ['4.2.1'], status: 'fail', severity: 'critical', message: 'anonymous auth is on', evidence: [], ...over,
});
const md = (findings: Finding[], extra: { limit?: number; command?: 'node' | 'scan' | 'cluster'; target?: string; redact?: (t: string) => string } = {}) =>
  formatMarkdown({ command: extra.command ?? 'node', target: extra.target ?? 'node-1', findings, summary: summarize(findings), ...(extra.limit ? { limit: extra.limit } : {}), ...(extra.redact ? { redact: extra.redact } : {}) });

// as GitHub renders a comment: raw HTML allowed, bare URLs autolinked
const render = (s: string) => new MarkdownIt({ html: true, linkify: true }).render(s);
/** The elements the writer makes; anything else in the rendered page came from a payload. */
const OURS = new Set(['h2', 'h3', 'p', 'strong', 'em', 'code', 'pre', 'ul', 'li', 'br']);
/** The opening tags of rendered HTML, in order. */
const tagsOf = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());

test('title, summary, failures worst first with evidence file:line and the exact fix, then unknowns with reasons', () => {
  const out = md([
    finding({ check: 'kubelet-read-only-port', severity: 'medium', message: 'port 10255 open' }),
    finding({ evidence: [{ setting: 'authentication.anonymous.enabled', value: true, source: { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: 7 } }], remediation: 'set it to false', fixes: [{ kind: 'config-set', file: '/var/lib/kubelet/config.yaml', line: 7, path: ['authentication', 'anonymous', 'enabled'], value: false }] }),
    finding({ check: 'kubelet-tls-cert-files', status: 'unknown', severity: 'high', message: 'cannot read /x: permission denied' }),
    finding({ check: 'kubelet-seccomp-default', status: 'pass' }),
  ]);
  const lines = out.split('\n');
  assert.equal(lines[0], '## kubelet-guard node report: `node-1`');
  assert.ok(out.includes('**2 failed** (critical 1, medium 1) · **1 unknown** · 1 passed · 0 not applicable'));
  assert.ok(out.indexOf('**1. CRITICAL** `kubelet-anonymous-auth`') < out.indexOf('**2. MEDIUM** `kubelet-read-only-port`'));
  assert.ok(out.includes('Evidence: `/var/lib/kubelet/config.yaml:7 authentication.anonymous.enabled = true`'));
  assert.ok(out.includes('```text\nanonymous auth is on\nFix: set it to false\n```'));
  assert.ok(out.includes('`kubelet-guard fix` makes this change'));
  assert.ok(out.includes('### Unknown (1)') && out.includes('- `kubelet-tls-cert-files`: `cannot read /x: permission denied`'));
  assert.ok(!out.includes('left out'));
});

test('code spans and blocks hold any backtick run literally', () => {
  for (const s of ['a', '`', 'a``b', '```', ' x ', '`a`', '']) {
    const html = render(codeSpan(s));
    const inner = /<code>([\s\S]*)<\/code>/.exec(html)?.[1];
    assert.equal(inner?.replace(/&quot;/g, '"'), s === '' ? ' ' : s, `${JSON.stringify(s)} → ${html}`);
  }
  const html = render(codeBlock(['```', 'x ```` y', '~~~']));
  assert.match(html, /^<pre><code class="language-text">```\nx ```` y\n~~~\n<\/code><\/pre>\n$/);
});

test('a hostile report: no payload becomes markup (HTML, links, images, headings, lists, tables, emphasis)', () => {
  const payloads = [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))', '![x](https://evil.example/p.png)',
    'https://evil.example/steal', 'www.evil.example', 'mail@evil.example', '<https://evil.example>', '&lt;b&gt; &#60;i&#62;',
    '\n# heading\n- list\n| a | b |\n|---|---|', '**bold** _em_ ~~del~~', '``` fence', '`` `code` ``', '$x^2$', '\u202egnp.exe', '\x1b]52;c;aGk=\x07', '<!-- c -->', ']]>',
  ];
  const evil = payloads.join(' ');
  const findings = [
    finding({ subject: evil, message: evil, remediation: evil, noFix: evil, evidence: [{ file: `/etc/${evil}`, line: 1, note: evil, setting: evil, value: evil }] }),
    finding({ check: evil, title: evil, severity: 'high', message: evil }),
    finding({ check: 'kubelet-tls-cert-files', status: 'unknown', subject: evil, message: evil }),
  ];
  const out = md(findings, { target: evil });
  const html = render(out);
  const tags = new Set(tagsOf(html));
  for (const tg of tags) assert.ok(OURS.has(tg), `an element the writer did not make: <${tg}> in\n${html}`);
  assert.ok(!tags.has('a') && !tags.has('img') && !tags.has('table'));
  assert.equal(tagsOf(html).filter((x) => x === 'h2').length, 1);
  assert.equal(tagsOf(html).filter((x) => x === 'h3').length, 2);
  // no line of the payload starts a line of the Markdown
  for (const l of out.split('\n')) assert.ok(!/^(# heading|- list|\| a)/.test(l), l);
  assert.ok(!/[\x00-\x08\x0b-\x1f\u202e]/.test(out));
  assert.ok(out.includes('\\u202egnp.exe') && out.includes('\\x1b]52;c;aGk=\\x07'));
});

test('under GitHub\'s comment limit (65,536 UTF-16 code units): a large cluster report is cut with a count and where to get the whole', () => {
  const nodes = 2000;
  const findings: Finding[] = [];
  for (let i = 0; i < nodes; i++) {
    // astral characters count twice in UTF-16, as GitHub counts
    findings.push(finding({ subject: `node-${i}-😀😀😀`, message: `anonymous auth is on on node-${i} ${'x'.repeat(200)}`, evidence: [{ file: '/var/lib/kubelet/config.yaml', line: 7 }], remediation: 'set authentication.anonymous.enabled to false' }));
    findings.push(finding({ check: 'kubelet-tls-cert-files', status: 'unknown', subject: `node-${i}`, message: 'configz forbidden' }));
  }
  const out = md(findings, { command: 'cluster', target: 'https://127.0.0.1:6443' });
  assert.ok(out.length <= MARKDOWN_LIMIT && out.length < 65_536, `${out.length}`);
  const shown = (out.match(/^\*\*\d+\. CRITICAL\*\*/gm) ?? []).length;
  assert.ok(shown > 50 && shown < nodes, `${shown}`);
  assert.ok(out.includes(`_${nodes - shown} failed finding(s) left out to stay under GitHub's comment size limit; the whole report: \`kubelet-guard cluster … -f json\``), out.slice(-400));
  assert.ok(out.includes(`- … and ${nodes - 50} more unknown`));
  // a tiny limit still holds: the head, the count of what was left out
  const small = md(findings, { limit: 2000 });
  assert.ok(small.length <= 2000, `${small.length}`);
  assert.match(small, /_\d+ failed finding\(s\)( and \d+ unknown)? left out/);
});

test('the run\'s redaction comes before escaping', () => {
  const secret = 'tok`en&';
  const out = md([finding({ message: `Bearer ${secret}` })], { redact: (s) => s.replaceAll(secret, '<redacted>') });
  assert.ok(!out.includes('tok`en') && out.includes('Bearer <redacted>'));
  assert.ok(!render(out).includes('<redacted>'), 'the marker is text, not a tag');
});

test('a suppressed failure is listed apart with its reason, never among the failures to act on', () => {
  const text = md([finding({ status: 'fail', check: 'kubelet-read-only-port', message: 'open', suppressed: { reason: 'lab node', source: 'ignore.yaml:2' } })]);
  assert.doesNotMatch(text, /### Failed/);
  assert.match(text, /### Suppressed \(1\): failed, accepted in the ignore file\n\n- `kubelet-read-only-port`: `lab node \(ignore\.yaml:2\)`/);
});

// A hostile report in headless Chromium: markup, event handlers, javascript: URLs, U+2028/9 and
// bidi controls planted in node and pod names, file paths, messages, evidence, fixes and the
// effective configuration render as text. No payload runs (the global each would set stays
// unset, no dialog opens), no element of theirs exists, nothing is requested, and the filters
// still find the hostile node's findings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Finding } from '../src/checks/types.ts';
import type { NodeReport } from '../src/report/model.ts';
import { clusterHtml, nodeHtml, scanHtml, type ClusterReportJson, type ScanReportJson } from '../src/report/html.ts';
import { escapeAttr, escapeHtml } from '../src/report/html-escape.ts';
import { inert } from '../src/report/terminal.ts';
import { runCli } from './run-cli.ts';
import { chromiumSkip, filter, idsWhere, launch, open, visibleIds, type Opened } from './html-chromium.ts';

/** Each payload, if it ran, would set window.__pwned (or open a dialog, or fetch). */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  "'><svg onload=window.__pwned=3>",
  'javascript:window.__pwned=4',
  '</title></style></textarea></script><script>window.__pwned=5;alert(5)</script>',
  '<a href="javascript:window.__pwned=6" id="clickme">click</a>',
  '<iframe src="https://example.com/"></iframe><link rel=stylesheet href="https://example.com/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=7"><base href="https://example.com/">',
  '<style>body{background:url(https://example.com/p)}</style>',
  '<!-- <select onfocus=window.__pwned=8 autofocus>',
  '&lt;script&gt;window.__pwned=9&lt;/script&gt;',
  'line\u2028separator\u2029paragraph',
  'evil\u202Egpj.exe \u2066isolate\u2069 \u200Fmark',
];
const ALL = PAYLOADS.join(' ');

let browser: Browser; // launched once; undefined (and the tests skipped) without Chromium
before(async () => {
  browser = (await launch())!;
});
after(async () => {
  await browser?.close();
});

const poison = (s: string, i: number) => `${s} ${PAYLOADS[i % PAYLOADS.length]}`;

function poisonFinding(f: Finding, i: number): Finding {
  return {
    ...f,
    title: poison(f.title, i),
    subject: poison(f.subject ?? 'pod', i + 1),
    message: poison(f.message, i + 2),
    setting: poison(f.setting ?? 'x', i + 3),
    cis: [poison('4.2.1', i + 4)],
    remediation: poison(f.remediation ?? 'fix', i + 5),
    ...(f.status === 'fail' ? { noFix: poison('no fix', i + 6), fixes: i % 2 === 0 ? [{ kind: 'mode', file: poison('/etc/x', i + 7), mode: 0o600 }] : [] } : {}),
    evidence: [...f.evidence, { file: poison('/var/lib/kubelet/config.yaml', i + 8), line: 3, setting: poison('k', i + 9), value: poison('v', i + 10), note: ALL, source: { kind: 'config-file', file: poison('/f', i + 11), line: 1, detail: poison('--flag=', i + 12) } }],
  };
}

/** What no payload may achieve, whatever the page shows. */
async function assertInert(o: Opened, label: string): Promise<void> {
  // interact too: focus every focusable element, click every link, use every filter
  const links = await o.page.$$('a');
  for (const a of links.slice(0, 30)) await a.click({ timeout: 2000 }).catch(() => undefined);
  for (const sel of await o.page.$$('select')) {
    const values = await sel.$$eval('option', (os) => os.map((x) => (x as HTMLOptionElement).value));
    for (const v of values.slice(0, 20)) await sel.selectOption({ value: v });
  }
  assert.equal(await o.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, `${label}: a payload ran`);
  assert.deepEqual(o.dialogs, [], `${label}: a dialog opened`);
  assert.deepEqual(o.requests, [o.url], `${label}: a request was made`);
  assert.deepEqual(o.problems, [], label);
  const dom = await o.page.evaluate(() => ({
    scripts: document.scripts.length,
    foreign: document.querySelectorAll('img,svg,iframe,link,base,object,embed,textarea,meta[http-equiv=refresh],style ~ style,body style,#clickme').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
    hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href')!).filter((h) => !/^#[\w-]+$/.test(h)),
    styles: document.querySelectorAll('style').length,
  }));
  assert.deepEqual(dom, { scripts: 1, foreign: 0, handlers: [], hrefs: [], styles: 1 }, label);
  // shown as text, bidi and separators as visible escapes (never raw)
  const text = (await o.page.textContent('body'))!;
  assert.ok(text.includes('<script>window.__pwned=1</script>'), `${label}: the payload is shown as text`);
  assert.ok(text.includes('"><img src=x onerror="window.__pwned=2">'));
  assert.ok(text.includes('&lt;script&gt;window.__pwned=9'), 'an entity in the input is shown as typed, not decoded');
  assert.ok(!/[\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F]/.test(text), `${label}: a raw bidi control or separator`);
  assert.ok(text.includes('evil\\u202egpj.exe') && text.includes('line\\u2028separator'));
}

test('escaping: text and attribute forms leave no markup, no quote and no raw control', () => {
  for (const p of PAYLOADS) {
    for (const e of [escapeHtml(p), escapeAttr(p)]) {
      assert.doesNotMatch(e, /[<>"'\u2028\u2029\u202A-\u202E\u2066-\u2069]/, p);
    }
    assert.doesNotMatch(escapeAttr(p), /[`=]/);
  }
  assert.equal(escapeHtml('a & b <c> "d" \'e\''), 'a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;');
});

test('node: a report poisoned everywhere renders as text and runs nothing', { skip: chromiumSkip }, async () => {
  const r = await runCli('node', '--root', 'examples/nodes/insecure', '--format', 'json', '--fail-on', 'none');
  const rep = JSON.parse(r.out) as NodeReport;
  rep.target = poison(rep.target, 0);
  rep.incomplete = ALL;
  rep.kubelet.configFile = poison('/var/lib/kubelet/config.yaml', 1);
  rep.kubelet.version = { value: poison('1.33', 2), source: poison('/var/lib/dpkg/status', 3) };
  rep.kubelet.unit = { file: poison('/etc/systemd/system/kubelet.service', 4), dropIns: [ALL] };
  rep.kubelet.argv = [{ text: ALL, file: poison('/etc/default/kubelet', 5), line: 1 }];
  rep.effectiveConfig[ALL] = { value: ALL, source: { kind: 'flag', file: ALL, line: 2, detail: ALL } };
  rep.effectiveConfig['staticPodURLHeader'] = { value: { [ALL]: [ALL] }, source: { kind: 'config-file' } };
  rep.findings = rep.findings.map(poisonFinding);
  const html = nodeHtml(rep);
  assert.equal(html.split('<script').length - 1, 1, 'one script element in the source: ours');
  assert.ok(!html.includes('javascript:window') || !/href="javascript/i.test(html));
  const o = await open(browser, html);
  try {
    assert.equal((await visibleIds(o.page)).length, rep.findings.length);
    await assertInert(o, 'node');
  } finally {
    await o.close();
  }
});

test('cluster: hostile node names (markup, quotes, spaces, bidi) are text, and the node filter still finds their findings', { skip: chromiumSkip }, async () => {
  // the shape of a real cluster report, with names a hostile API server could give
  const names = ['node-a', `<script>window.__pwned=1</script>`, `"><img src=x onerror="window.__pwned=2">`, 'evil\u202Egpj.exe', 'with space', 'n:node-a', '*'];
  const finding = (subject: string | undefined, status: Finding['status'], check = 'kubelet-anonymous-auth'): Finding => ({
    check, title: 'The kubelet\'s secure API rejects anonymous requests', section: 'cis-4.2', cis: ['4.2.1'], status, severity: status === 'fail' ? 'critical' : 'high',
    message: poison('anonymous', names.length), evidence: [{ setting: 'authentication.anonymous.enabled', value: true, note: ALL }],
    remediation: ALL, ...(subject !== undefined ? { subject } : {}), ...(status === 'fail' ? { noFix: ALL } : {}),
  });
  const findings: Finding[] = [
    ...names.map((n, i) => finding(n, i % 2 === 0 ? 'fail' : 'pass')),
    ...names.map((n) => finding(`${n} ${PAYLOADS[0]}`, 'unknown', 'static-pods-hidden')),
    finding(`ServiceAccount/default/${PAYLOADS[1]}`, 'fail', 'rbac-kubelet-access'),
    finding(undefined, 'fail', 'namespace-pod-security'),
  ];
  const counts = (st: Finding['status']) => findings.filter((f) => f.status === st).length;
  const rep: ClusterReportJson = {
    tool: { name: 'kubelet-guard', version: PAYLOADS[2]! },
    cluster: { server: `https://${PAYLOADS[3]}`, nodes: names.length },
    incomplete: ALL,
    nodes: names.map((name, i) => ({ name, version: PAYLOADS[i]!, configz: i === 3 ? ALL : 'ok', staticPods: [ALL], summary: { pass: 0, fail: i % 2 === 0 ? 1 : 0, unknown: 1, 'not-applicable': 0 } })),
    findings,
    summary: { pass: counts('pass'), fail: counts('fail'), unknown: counts('unknown'), 'not-applicable': 0, failBySeverity: { critical: counts('fail'), high: 0, medium: 0, low: 0, info: 0 } },
    rbacFails: { [ALL]: 3 },
  };
  const o = await open(browser, clusterHtml(rep));
  try {
    await filter(o.page, 'owner', '');
    // a hostile name is one node: its own findings, not those of a node whose name it begins with or mimics
    const options = await o.page.$$eval('#filter-owner option', (os) => os.map((x) => (x as HTMLOptionElement).value).slice(2));
    assert.equal(options.length, names.length);
    for (const [i, v] of options.entries()) {
      const n = names[i]!;
      const want = idsWhere(findings, (f) => f.subject === n || f.subject === `${n} ${PAYLOADS[0]}`);
      assert.deepEqual((await filter(o.page, 'owner', v)).sort((a, b) => a - b), want, JSON.stringify(n));
    }
    assert.deepEqual((await filter(o.page, 'owner', '*')).sort((a, b) => a - b), idsWhere(findings, (f) => f.subject === undefined || f.subject.startsWith('ServiceAccount/')));
    await filter(o.page, 'owner', '');
    const rows = await o.page.$$eval('#matrix tbody th', (ths) => ths.map((th) => th.textContent));
    assert.equal(rows.length, names.length);
    assert.ok(rows.includes('<script>window.__pwned=1</script>') && rows.includes('evil\\u202egpj.exe'));
    await assertInert(o, 'cluster');
  } finally {
    await o.close();
  }
});

test('scan: hostile answers (versions, users, TLS names, hosts) are text', { skip: chromiumSkip }, async () => {
  const rep: ScanReportJson = {
    tool: { name: 'kubelet-guard', version: '0.1.0' },
    scan: { targets: 1, ports: [10250], probes: 1, open: 1, elapsedMs: 12 },
    endpoints: [{ host: ALL, port: 10250, service: 'kubelet', state: 'open', anonymous: true, authorization: 'AlwaysAllow', user: ALL, reachable: ['pods', 'exec'], version: ALL, identity: ALL, probes: [], notes: [ALL] }],
    findings: [poisonFinding({ check: 'exposure-kubelet-anonymous-alwaysallow', title: 'x', section: 'exposure', cis: [], status: 'fail', severity: 'critical', message: 'open', evidence: [], subject: `${ALL}:10250` }, 0)],
    summary: { pass: 0, fail: 1, unknown: 0, 'not-applicable': 0, failBySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 } },
  };
  rep.findings[0]!.subject = `${ALL}:10250`;
  const o = await open(browser, scanHtml(rep));
  try {
    assert.deepEqual(await filter(o.page, 'owner', inert(`n:${ALL}`)), [1], 'the option value is the name as shown');
    await filter(o.page, 'owner', '');
    await assertInert(o, 'scan');
  } finally {
    await o.close();
  }
});

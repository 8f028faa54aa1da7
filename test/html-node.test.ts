// The HTML report of every example node, in real headless Chromium: it loads from file:// with no
// console error and no request but its own document, the counts equal the JSON's summary, each
// filter shows exactly the findings the JSON says, keyboard-only filtering works, everything is
// visible without JavaScript and in print, and it passes through the output layer unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { SECTIONS, SEVERITIES, type Status } from '../src/checks/types.ts';
import type { NodeReport } from '../src/report/model.ts';
import { nodeHtml } from '../src/report/html.ts';
import { describeFix } from '../src/fix/describe.ts';
import { createOutput } from '../src/report/output.ts';
import { inert } from '../src/report/terminal.ts';
import { runCli } from './run-cli.ts';
import { chromiumSkip, filter, idsWhere, launch, open, visibleIds } from './html-chromium.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const EXAMPLES = fs.readdirSync('examples/nodes', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const STATUSES: Status[] = ['fail', 'unknown', 'pass', 'not-applicable'];

let browser: Browser; // launched once; undefined (and the tests skipped) without Chromium
before(async () => {
  browser = (await launch())!;
});
after(async () => {
  await browser?.close();
});

async function report(example: string): Promise<NodeReport> {
  const r = await runCli('node', '--root', `examples/nodes/${example}`, '--format', 'json', '--fail-on', 'none');
  assert.ok(r.code === 0 || r.code === 3, r.err);
  return JSON.parse(r.out) as NodeReport;
}

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

test('the examples exist', () => {
  assert.ok(EXAMPLES.length >= 6, EXAMPLES.join(', '));
});

for (const example of EXAMPLES) {
  test(`${example}: loads offline with no request and no console error; counts and filters equal the JSON`, { skip: chromiumSkip }, async (t) => {
    const rep = await report(example);
    const html = nodeHtml(rep);
    const o = await open(browser, html);
    try {
      assert.deepEqual(o.requests, [o.url], 'no request but the document itself');
      assert.deepEqual(o.problems, []);
      assert.deepEqual(o.dialogs, []);
      t.diagnostic(`${example}: ${html.length} bytes of HTML for ${rep.findings.length} findings; loaded in ${o.loadMs.toFixed(0)} ms`);

      // the summary's counts are the JSON's
      const text = async (sel: string) => (await o.page.textContent(sel))?.trim();
      for (const s of STATUSES) assert.equal(await text(`#count-${s}`), String(rep.summary[s]), s);
      for (const v of SEVERITIES) assert.equal(await text(`#count-sev-${v}`), String(rep.summary.failBySeverity[v]), v);
      assert.equal(await text('#count-total'), String(rep.findings.length));
      // the worst failures first: the summary lists failures, most severe first
      const worst = await o.page.$$eval('#worst li a', (as) => as.map((a) => a.getAttribute('href')!));
      const failed = rep.findings.filter((f) => f.status === 'fail');
      assert.equal(worst.length, Math.min(10, failed.length));
      const ranks = worst.map((href) => SEVERITIES.indexOf(rep.findings[Number(href.slice(3)) - 1]!.severity));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
      if (failed.length > 0) assert.equal(ranks[0], Math.min(...failed.map((f) => SEVERITIES.indexOf(f.severity))));

      // every finding once; the filters show exactly the JSON's findings
      const all = idsWhere(rep.findings, () => true);
      assert.deepEqual(sorted(await visibleIds(o.page)), all);
      assert.equal(await text('#shown'), `${all.length} of ${all.length} findings shown`);
      for (const v of SEVERITIES) {
        assert.deepEqual(sorted(await filter(o.page, 'severity', v)), idsWhere(rep.findings, (f) => f.severity === v), `severity ${v}`);
      }
      await filter(o.page, 'severity', '');
      for (const s of STATUSES) {
        assert.deepEqual(sorted(await filter(o.page, 'status', s)), idsWhere(rep.findings, (f) => f.status === s), `status ${s}`);
      }
      await filter(o.page, 'status', '');
      const sections = await o.page.$$eval('#filter-section option', (os) => os.map((x) => (x as HTMLOptionElement).value).filter((v) => v !== ''));
      assert.deepEqual(sorted(sections.map((s) => Object.keys(SECTIONS).indexOf(s))), sorted([...new Set(rep.findings.map((f) => Object.keys(SECTIONS).indexOf(f.section)))]));
      for (const s of sections) {
        assert.deepEqual(sorted(await filter(o.page, 'section', s)), idsWhere(rep.findings, (f) => f.section === s), `section ${s}`);
      }
      // together: failed and critical in one section
      await filter(o.page, 'status', 'fail');
      const both = await filter(o.page, 'severity', 'critical');
      assert.deepEqual(sorted(both), idsWhere(rep.findings, (f) => f.status === 'fail' && f.severity === 'critical' && f.section === sections.at(-1)));
      assert.equal(await text('#shown'), `${both.length} of ${all.length} findings shown`);
      // a section with nothing shown is hidden with its heading
      const shownGroups = await o.page.$$eval('[data-group]', (gs) => gs.filter((g) => !(g as HTMLElement).hidden).length);
      assert.equal(shownGroups, both.length > 0 ? 1 : 0);
      if (both.length > 0) {
        const total = rep.findings.filter((f) => f.section === sections.at(-1)).length;
        const count = await o.page.$eval('[data-group]:not([hidden]) [data-count]', (e) => e.textContent);
        assert.equal(count, both.length === total ? `(${total})` : `(${both.length} of ${total})`);
      }
      await o.page.click('#show-all');
      assert.deepEqual(sorted(await visibleIds(o.page)), all);

      // each failure: its message, its fix (the remediation and each change), or why there is none
      for (const [i, f] of rep.findings.entries()) {
        const body = (await o.page.textContent(`#f-${i + 1}`))!;
        assert.ok(body.includes(inert(f.message)), `#f-${i + 1} message`);
        assert.ok(body.includes(inert(f.title)));
        if (f.status !== 'fail') continue;
        if (f.remediation) assert.ok(body.includes(inert(f.remediation)), `${f.check}: remediation`);
        else for (const x of f.fixes ?? []) assert.ok(body.includes(inert(describeFix(x))), `${f.check}: ${x.kind}`);
        if (f.fixes?.length) assert.ok(body.includes('kubelet-guard fix makes'), `${f.check}: automatic`);
        if (!f.fixes?.length) assert.ok(body.includes('No automatic fix') && (f.noFix === undefined || body.includes(inert(f.noFix))), `${f.check}: noFix`);
        for (const e of f.evidence) if (e.file) assert.ok(body.includes(e.line !== undefined ? `${e.file}:${e.line}` : e.file), `${f.check}: evidence file`);
      }

      // the effective configuration, each value with its source
      const keys = Object.keys(rep.effectiveConfig);
      assert.equal(await o.page.$$eval('#effective-config tbody tr', (rs) => rs.length).catch(() => 0), keys.length);
      for (const [k, s] of Object.entries(rep.effectiveConfig)) {
        if (!s.source.file) continue;
        const row = await o.page.$$eval('#effective-config tbody tr', (rs, key) => rs.find((r) => r.querySelector('th')!.textContent === key)?.textContent ?? '', k);
        assert.ok(row.includes(`${s.source.file}${s.source.line !== undefined ? `:${s.source.line}` : ''}`), `${k}: ${row}`);
        assert.ok(row.includes(s.source.kind));
      }
    } finally {
      await o.close();
    }
  });
}

test('keyboard only: Tab to a filter, choose with the keys, the focus is visible, Show all with Enter', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-control-plane-insecure');
  const o = await open(browser, nodeHtml(rep));
  try {
    const focused = () => o.page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
    // from the top of the page: the skip link first, then the severity filter
    await o.page.keyboard.press('Tab');
    assert.equal(await o.page.evaluate(() => document.activeElement?.textContent), 'Skip to the findings');
    let seen = '';
    for (let i = 0; i < 40 && seen !== 'filter-status'; i++) {
      await o.page.keyboard.press('Tab');
      seen = String(await focused());
    }
    assert.equal(seen, 'filter-status', 'Tab reaches the status filter');
    const outline = await o.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'the focus is visible');
    // typing the first letter chooses the option, as in any native select
    await o.page.keyboard.type('F');
    assert.equal(await o.page.inputValue('#filter-status'), 'fail');
    assert.deepEqual(sorted(await visibleIds(o.page)), idsWhere(rep.findings, (f) => f.status === 'fail'));
    await o.page.keyboard.press('Shift+Tab'); // back to severity
    assert.equal(await focused(), 'filter-severity');
    await o.page.keyboard.type('c');
    assert.equal(await o.page.inputValue('#filter-severity'), 'critical');
    assert.deepEqual(sorted(await visibleIds(o.page)), idsWhere(rep.findings, (f) => f.status === 'fail' && f.severity === 'critical'));
    // Tab on to the reset button and press it with the keyboard
    for (let i = 0; i < 5 && (await focused()) !== 'show-all'; i++) await o.page.keyboard.press('Tab');
    assert.equal(await focused(), 'show-all');
    await o.page.keyboard.press('Enter');
    assert.equal(await visibleIds(o.page).then((v) => v.length), rep.findings.length);
    assert.deepEqual(o.problems, []);
  } finally {
    await o.close();
  }
});

test('a worst-failure link to a finding the filters hide shows it', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-control-plane-insecure');
  const o = await open(browser, nodeHtml(rep));
  try {
    await filter(o.page, 'status', 'pass');
    const href = (await o.page.getAttribute('#worst li a', 'href'))!;
    assert.equal(await o.page.isVisible(href), false);
    await o.page.focus('#worst li a');
    await o.page.keyboard.press('Enter');
    assert.equal(await o.page.isVisible(href), true);
    assert.equal(await o.page.inputValue('#filter-status'), '');
    assert.equal((await visibleIds(o.page)).length, rep.findings.length);
    assert.deepEqual(o.problems, []);
  } finally {
    await o.close();
  }
});

test('without JavaScript every finding is visible and the dead filter form is not shown', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-worker');
  const o = await open(browser, nodeHtml(rep), { javaScript: false });
  try {
    assert.equal((await visibleIds(o.page)).length, rep.findings.length);
    assert.equal(await o.page.isVisible('#filters'), false);
    assert.deepEqual(o.requests, [o.url]);
  } finally {
    await o.close();
  }
});

test('in print: filters hidden, every finding shown even when filtered on screen', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-worker');
  const o = await open(browser, nodeHtml(rep));
  try {
    await filter(o.page, 'status', 'fail');
    await o.page.emulateMedia({ media: 'print' });
    assert.equal(await o.page.isVisible('#filters'), false);
    assert.equal((await visibleIds(o.page)).length, rep.findings.length);
    const pdf = await o.page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'it prints');
  } finally {
    await o.close();
  }
});

test('semantic and accessible: lang, headings in order, table headers scoped, status in words', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-control-plane-insecure');
  const o = await open(browser, nodeHtml(rep));
  try {
    assert.equal(await o.page.getAttribute('html', 'lang'), 'en');
    const levels = await o.page.$$eval('h1,h2,h3,h4,h5,h6', (hs) => hs.map((x) => Number(x.tagName[1])));
    assert.equal(levels[0], 1);
    for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `heading h${levels[i]} after h${levels[i - 1]}`);
    assert.equal(await o.page.$$eval('th:not([scope])', (ts) => ts.length), 0);
    for (const sel of ['header', 'main', 'footer', 'section', 'table']) assert.ok(await o.page.$(sel), sel);
    // every filter has a label; every finding says its status in a word, not by colour alone
    assert.equal(await o.page.$$eval('select', (ss) => ss.filter((s) => (s as HTMLSelectElement).labels.length === 0).length), 0);
    const words = await o.page.$$eval('[data-finding] .badge', (bs) => bs.map((b) => b.textContent));
    assert.equal(words.length, rep.findings.length);
    for (const w of words) assert.match(w ?? '', /^[✗?✓–] (FAIL|UNKNOWN|PASS|N\/A)$/);
    // the policy: nothing but the page's own hashed style and script
    const csp = await o.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    assert.equal(await o.page.isVisible('#filters'), true, 'the hashed script ran');
  } finally {
    await o.close();
  }
});

test('secrets: redacted before escaping with the invocation redaction, and by the output layer even without it', { skip: chromiumSkip }, async () => {
  const rep = await report('kubeadm-worker');
  // a password holding the characters HTML escapes: once escaped it no longer matches its raw form
  const secret = `pa&ss<wo"rd>'0123`;
  rep.findings[0]!.evidence.push({ note: `password ${secret}` });
  rep.findings[0]!.message += ` (${secret})`;
  const writeThrough = (html: string) => {
    let written = '';
    const out = createOutput({ out: { write: (s: string) => ((written += s), true) }, err: { write: () => true } });
    out.secrets.add(secret);
    out.out.write(html);
    return { written, secrets: out.secrets };
  };
  // the way to wire it: nodeHtml(report, { redact: (t) => io.secrets.redact(t) }) written to io.out
  const secrets = writeThrough('').secrets;
  const wired = writeThrough(nodeHtml(rep, { redact: (t) => secrets.redact(t) })).written;
  // the output layer alone (a writer wired without the option)
  const bare = writeThrough(nodeHtml(rep)).written;
  for (const [name, html] of [['wired', wired], ['output layer only', bare]] as const) {
    assert.ok(!html.includes(secret) && !html.includes('pa&amp;ss&lt;wo&quot;rd&gt;&#39;0123'), `${name}: the secret is gone`);
    const o = await open(browser, html);
    try {
      assert.deepEqual(o.problems, [], name);
      assert.deepEqual(o.requests, [o.url]);
      assert.equal(await o.page.isVisible('#filters'), true, `${name}: the script hash still matches`);
      const body = (await o.page.textContent('body'))!;
      assert.ok(!body.includes(secret) && !body.includes('0123'), name);
      // the marker is seen: as text when the writer redacted, as the element the CSS shows otherwise
      if (name === 'wired') assert.ok(body.includes('password <redacted>'), name);
      else assert.equal(await o.page.$eval('#f-1 redacted', (e) => getComputedStyle(e, '::before').content), '"<redacted>"');
    } finally {
      await o.close();
    }
  }
  // with no secret, the output layer leaves the page byte for byte as written
  const clean = nodeHtml(await report('kubeadm-worker'));
  assert.equal(writeThrough(clean).written, clean);
});

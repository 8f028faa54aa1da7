// The JUnit and Markdown reports of every command, end to end through the CLI: each JUnit file
// validated by xmllint against schemas/junit.xsd and its counts checked against the JSON of the
// same run; each Markdown rendered (markdown-it, as GitHub: raw HTML on, bare URLs linked) to no
// element the writer did not make, under GitHub's comment limit. Inputs: every example node
// (--root), a scan of kubelet simulators on loopback (real TLS), clusters from the API-server simulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { runCli } from '../run-cli.ts';
import { startKubeletSim, type KubeletSim } from '../scan/kubelet-sim.ts';
import { startApiServerSim, type ApiServerSim } from '../cluster/apiserver-sim.ts';
import { assertJunit, xmllintJunit, xpathString } from './xmllint.ts';
import { MARKDOWN_LIMIT } from '../../src/report/markdown.ts';
import type { Finding } from '../../src/checks/types.ts';

const EXAMPLES = path.join(import.meta.dirname, '../../examples/nodes');
const examples = fs.readdirSync(EXAMPLES).filter((n) => fs.statSync(path.join(EXAMPLES, n)).isDirectory());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-junit-md-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Rep { findings: Finding[]; summary: { pass: number; fail: number; unknown: number; 'not-applicable': number } }

const OURS = new Set(['h2', 'h3', 'p', 'strong', 'em', 'code', 'pre', 'ul', 'li', 'br']);

/** The JUnit counts equal the JSON's: a testcase per finding, failures = fail, skipped = unknown + not applicable. */
function checkJunit(t: { skip: (m: string) => void }, xml: string, rep: Rep, all = true): void {
  assertJunit(t, xml);
  const cases = (xml.match(/<testcase /g) ?? []).length;
  const failures = (xml.match(/<failure /g) ?? []).length;
  const skipped = (xml.match(/<skipped /g) ?? []).length;
  if (all) assert.equal(cases, rep.findings.length);
  assert.equal(failures, rep.summary.fail);
  assert.equal(skipped, rep.summary.unknown + rep.summary['not-applicable']);
  assert.match(xml, new RegExp(`<testsuites [^>]*failures="${rep.summary.fail}" errors="\\d+" skipped="${rep.summary.unknown + rep.summary['not-applicable']}"`));
  if (!('skip' in xmllintJunit('<x/>'))) {
    // the per-suite counts add up to the root's (read by xmllint, not by a regular expression)
    assert.equal(Number(xpathString(xml, 'sum(//testsuite/@failures)')), rep.summary.fail);
    assert.equal(Number(xpathString(xml, 'count(//testcase)')), cases);
  }
}

function checkMarkdown(md: string, rep: Rep): void {
  assert.ok(md.length <= MARKDOWN_LIMIT, `${md.length} UTF-16 code units`);
  const html = new MarkdownIt({ html: true, linkify: true }).render(md);
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)) assert.ok(OURS.has(m[1]!.toLowerCase()), `<${m[1]}> in the rendered Markdown`);
  assert.ok(md.includes(`**${rep.summary.fail} failed**`));
  assert.ok(md.includes(`**${rep.summary.unknown} unknown**`));
  const listed = (md.match(/^\*\*\d+\. (CRITICAL|HIGH|MEDIUM|LOW|INFO)\*\*/gm) ?? []).length;
  const left = /_(\d+) failed finding\(s\)/.exec(md);
  assert.equal(listed + (left ? Number(left[1]) : 0), rep.summary.fail, 'each failure listed or counted as left out');
}

describe('node: every example', () => {
  for (const name of examples) {
    test(`${name}: JUnit valid against schemas/junit.xsd with the JSON's counts; Markdown inert and complete`, async (t) => {
      const root = path.join(EXAMPLES, name);
      const junitFile = path.join(tmp, `${name}.xml`);
      const mdFile = path.join(tmp, `${name}.md`);
      const r = await runCli('node', '--root', root, '--fail-on', 'none', '-o', 'json=-', '-o', `junit=${junitFile}`, '-o', `markdown=${mdFile}`);
      assert.equal(r.code, 0, r.err);
      const rep = JSON.parse(r.out) as Rep;
      const xml = fs.readFileSync(junitFile, 'utf8');
      checkJunit(t, xml, rep);
      // a failure carries its evidence's file:line and the exact fix
      const f = rep.findings.find((x) => x.status === 'fail' && x.remediation && x.evidence.some((e) => e.source?.file && e.source.line));
      if (f) {
        const e = f.evidence.find((x) => x.source?.file && x.source.line)!;
        const at = `${e.source!.file}:${e.source!.line}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        assert.ok(xml.includes(`evidence: ${at}`), `${f.check} ${at}`);
      }
      const md = fs.readFileSync(mdFile, 'utf8');
      checkMarkdown(md, rep);
      assert.match(md, /^## kubelet-guard node report: `/);
    });
  }
});

describe('scan: kubelet simulators on loopback', () => {
  const sims: KubeletSim[] = [];
  before(async () => {
    sims.push(await startKubeletSim({ host: '127.0.115.1', anonymous: true, authorization: 'AlwaysAllow', fineGrained: true, debuggingHandlers: true, readOnlyPort: true, healthz: true, cert: 'self-signed' }));
    sims.push(await startKubeletSim({ host: '127.0.115.2', anonymous: false, authorization: 'Webhook', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'ca-signed' }));
  });
  after(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  test('JUnit valid with the JSON\'s counts; Markdown inert, failures listed', async (t) => {
    const ports = [...new Set(sims.flatMap((s) => [s.ports.secure, s.ports.readOnly, s.ports.healthz]).filter((p): p is number => p !== undefined))].join(',');
    const junitFile = path.join(tmp, 'scan.xml');
    const mdFile = path.join(tmp, 'scan.md');
    const r = await runCli('scan', '127.0.115.1-2', '--ports', ports, '--no-progress', '-o', 'json=-', '-o', `junit=${junitFile}`, '-o', `markdown=${mdFile}`);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as Rep;
    assert.ok(rep.summary.fail > 0);
    const xml = fs.readFileSync(junitFile, 'utf8');
    checkJunit(t, xml, rep);
    assert.match(xml, /<testsuite name="exposure" /);
    assert.match(xml, /<testcase classname="exposure" name="exposure-kubelet-anonymous-alwaysallow 127\.0\.115\.1:\d+" time="0">\n\s*<failure [^>]*type="critical"/);
    const md = fs.readFileSync(mdFile, 'utf8');
    checkMarkdown(md, rep);
    assert.match(md, /`exposure-kubelet-anonymous-alwaysallow`/);
  });
});

describe('cluster: the API-server simulator', () => {
  let sim: ApiServerSim;
  let big: ApiServerSim;
  before(async () => {
    sim = await startApiServerSim({ nodes: 4, podsPerNode: 3, bindings: 6, namespaces: 3, kubeletVersion: 'v1.31.4',
      configz: (i) => (i === 2 ? 'forbidden' : 'ok'), anonymousOn: (i) => i === 1 });
    big = await startApiServerSim({ nodes: 400, podsPerNode: 1, bindings: 4, namespaces: 2, kubeletVersion: 'v1.31.4', configz: () => 'ok', anonymousOn: () => true });
  });
  after(async () => {
    await sim?.close();
    await big?.close();
  });

  test('JUnit: a suite per section, the node in each testcase name, every finding a testcase; Markdown inert; no token', async (t) => {
    const junitFile = path.join(tmp, 'cluster.xml');
    const mdFile = path.join(tmp, 'cluster.md');
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '-o', 'json=-', '-o', `junit=${junitFile}`, '-o', `markdown=${mdFile}`);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as Rep;
    const xml = fs.readFileSync(junitFile, 'utf8');
    checkJunit(t, xml, rep);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(suites).size, suites.length, 'one suite per section');
    assert.match(xml, /<testcase classname="[^"]+" name="node-configz [^"]*node[^"]*" time="0">\n\s*<skipped message="unknown/);
    const md = fs.readFileSync(mdFile, 'utf8');
    checkMarkdown(md, rep);
    for (const text of [xml, md]) assert.ok(!text.includes(sim.token));
  });

  test('a large cluster: the Markdown stays under GitHub\'s limit and counts what it left out', async (t) => {
    const mdFile = path.join(tmp, 'big.md');
    const junitFile = path.join(tmp, 'big.xml');
    const r = await runCli('cluster', '--kubeconfig', big.kubeconfigPath, '--no-progress', '-o', 'json=-', '-o', `markdown=${mdFile}`, '-o', `junit=${junitFile}`);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as Rep;
    const md = fs.readFileSync(mdFile, 'utf8');
    assert.ok(md.length > MARKDOWN_LIMIT * 0.8 && md.length <= MARKDOWN_LIMIT, `${md.length}`);
    assert.match(md, /_\d+ failed finding\(s\)( and \d+ unknown)? left out to stay under GitHub's comment size limit/);
    checkMarkdown(md, rep);
    checkJunit(t, fs.readFileSync(junitFile, 'utf8'), rep);
  });
});

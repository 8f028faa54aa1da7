// Screenshots of the HTML report for the README: the kubeadm worker and the insecure control-plane
// examples, and a cluster audit of the API-server simulator (8 nodes, 2 with anonymous auth on, 1
// whose configuration cannot be read), rendered by Debian's chromium through playwright-core.
//   node scripts/html-screenshots.ts            (writes docs/html-report-*.png)
// The reports are made in-process, as the tests make them; no network beyond loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { clusterHtml, nodeHtml, type ClusterReportJson } from '../src/report/html.ts';
import type { NodeReport } from '../src/report/model.ts';
import { runCli } from '../test/run-cli.ts';
import { startApiServerSim } from '../test/cluster/apiserver-sim.ts';

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const WIDTH = 1200;

async function shoot(browser: Browser, html: string, out: string, opts: { failedOnly?: boolean; until?: string; maxHeight: number }): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-shot-'));
  try {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, html);
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 }, offline: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    if (opts.failedOnly) await page.selectOption('#filter-status', 'fail');
    const bottom = opts.until ? await page.$eval(opts.until, (e) => e.getBoundingClientRect().bottom + window.scrollY + 16) : opts.maxHeight;
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: WIDTH, height: Math.min(bottom, opts.maxHeight) } });
    await context.close();
    console.log(`${out}: ${fs.statSync(out).size} bytes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function nodeReport(example: string): Promise<NodeReport> {
  const r = await runCli('node', '--root', `examples/nodes/${example}`, '--format', 'json', '--fail-on', 'none');
  if (r.code !== 0) throw new Error(`${example}: exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as NodeReport;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  await shoot(browser, nodeHtml(await nodeReport('kubeadm-worker')), 'docs/html-report-worker.png', { failedOnly: true, maxHeight: 1500 });
  await shoot(browser, nodeHtml(await nodeReport('kubeadm-control-plane-insecure')), 'docs/html-report-control-plane.png', { failedOnly: true, maxHeight: 1500 });
  const anon = new Set([2, 5]);
  const sim = await startApiServerSim({
    nodes: 8, podsPerNode: 4, bindings: 10, namespaces: 3, kubeletVersion: 'v1.31.4',
    configz: (i) => (i === 3 ? 'forbidden' : 'ok'), anonymousOn: (i) => anon.has(i),
  });
  try {
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--no-progress');
    const rep = JSON.parse(r.out) as ClusterReportJson;
    // the simulator's address changes from run to run; the picture need not
    rep.cluster.server = 'https://192.0.2.10:6443';
    await shoot(browser, clusterHtml(rep), 'docs/html-report-cluster.png', { until: '#matrix', maxHeight: 1700 });
  } finally {
    await sim.close();
  }
} finally {
  await browser.close();
}

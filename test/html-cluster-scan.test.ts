// The HTML report of a real cluster audit (the API-server simulator) and a real scan (kubelet
// simulators on loopback), in headless Chromium: no request, no console error, the counts equal
// the JSON's, the node (host) filter shows exactly each node's findings, and the nodes × checks
// matrix marks exactly the nodes with a failure as open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SEVERITIES, type Finding, type Status } from '../src/checks/types.ts';
import { clusterHtml, scanHtml, type ClusterReportJson, type ScanReportJson } from '../src/report/html.ts';
import { startApiServerSim, type ApiServerSim, type ConfigzMode } from './cluster/apiserver-sim.ts';
import { startKubeletSim, type KubeletSim } from './scan/kubelet-sim.ts';
import { runCli } from './run-cli.ts';
import { chromiumSkip, filter, idsWhere, launch, open, visibleIds } from './html-chromium.ts';

const NODES = 8;
const ANON = new Set([2, 5]);
const MODES: Record<number, ConfigzMode> = { 3: 'forbidden', 6: 'unavailable' };
const nodeName = (i: number) => `node-${String(i).padStart(5, '0')}`;
const STATUSES: Status[] = ['fail', 'unknown', 'pass', 'not-applicable'];
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

let browser: Browser; // launched once; undefined (and the tests skipped) without Chromium
let sim: ApiServerSim;
const kubelets: KubeletSim[] = [];
before(async () => {
  browser = (await launch())!;
  sim = await startApiServerSim({
    nodes: NODES, podsPerNode: 4, bindings: 10, namespaces: 3, kubeletVersion: 'v1.31.4',
    configz: (i) => MODES[i] ?? 'ok', anonymousOn: (i) => ANON.has(i),
  });
  kubelets.push(await startKubeletSim({ host: '127.0.77.1', anonymous: true, authorization: 'AlwaysAllow', fineGrained: true, debuggingHandlers: true, readOnlyPort: true, healthz: true, cert: 'self-signed' }));
  kubelets.push(await startKubeletSim({ host: '127.0.77.2', anonymous: false, authorization: 'Webhook', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'ca-signed' }));
});
after(async () => {
  await browser?.close();
  await sim?.close();
  await Promise.all(kubelets.map((k) => k.close()));
});

async function commonChecks(rep: { findings: Finding[]; summary: ClusterReportJson['summary'] }, o: Awaited<ReturnType<typeof open>>): Promise<void> {
  assert.deepEqual(o.requests, [o.url], 'no request but the document itself');
  assert.deepEqual(o.problems, []);
  assert.deepEqual(o.dialogs, []);
  const text = async (sel: string) => (await o.page.textContent(sel))?.trim();
  for (const s of STATUSES) assert.equal(await text(`#count-${s}`), String(rep.summary[s]), s);
  for (const v of SEVERITIES) assert.equal(await text(`#count-sev-${v}`), String(rep.summary.failBySeverity[v]), v);
  assert.deepEqual(sorted(await visibleIds(o.page)), idsWhere(rep.findings, () => true));
  for (const s of STATUSES) assert.deepEqual(sorted(await filter(o.page, 'status', s)), idsWhere(rep.findings, (f) => f.status === s), s);
  await filter(o.page, 'status', '');
  for (const v of SEVERITIES) assert.deepEqual(sorted(await filter(o.page, 'severity', v)), idsWhere(rep.findings, (f) => f.severity === v), v);
  await filter(o.page, 'severity', '');
  for (const s of new Set(rep.findings.map((f) => f.section))) assert.deepEqual(sorted(await filter(o.page, 'section', s)), idsWhere(rep.findings, (f) => f.section === s), s);
  await filter(o.page, 'section', '');
}

test('cluster: counts, the node filter and the nodes × checks matrix equal the JSON', { skip: chromiumSkip }, async (t) => {
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--timeout', '2000', '--no-progress');
  assert.equal(r.code, 1, r.err);
  const rep = JSON.parse(r.out) as ClusterReportJson;
  assert.equal(rep.nodes.length, NODES);
  const html = clusterHtml(rep);
  const o = await open(browser, html);
  try {
    t.diagnostic(`cluster of ${NODES} nodes: ${html.length} bytes of HTML for ${rep.findings.length} findings; loaded in ${o.loadMs.toFixed(0)} ms`);
    await commonChecks(rep, o);
    const ownerOf = (f: Finding) => rep.nodes.find((n) => f.subject === n.name || f.subject?.startsWith(`${n.name} `))?.name;
    // each node: exactly its findings; and those of no one node
    for (const n of rep.nodes) {
      const own = idsWhere(rep.findings, (f) => ownerOf(f) === n.name);
      assert.ok(own.length > 0, n.name);
      assert.deepEqual(sorted(await filter(o.page, 'owner', `n:${n.name}`)), own, n.name);
    }
    const clusterWide = idsWhere(rep.findings, (f) => ownerOf(f) === undefined);
    assert.ok(clusterWide.length > 0, 'RBAC and workload findings');
    assert.deepEqual(sorted(await filter(o.page, 'owner', '*')), clusterWide);
    // a node and a status together
    await filter(o.page, 'owner', `n:${nodeName(2)}`);
    assert.deepEqual(sorted(await filter(o.page, 'status', 'fail')), idsWhere(rep.findings, (f) => ownerOf(f) === nodeName(2) && f.status === 'fail'));

    // the matrix: a row per node; OPEN exactly where the node has a failure (the anonymous ones),
    // the unreadable ones say so; each cell in words
    const rows = await o.page.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => ({ name: tr.querySelector('th')!.textContent, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()) })));
    assert.deepEqual(rows.map((x) => x.name), rep.nodes.map((n) => n.name));
    const open_ = rows.filter((x) => x.cells[0]!.startsWith('✗ OPEN')).map((x) => x.name);
    assert.deepEqual(open_, rep.nodes.filter((n) => n.summary.fail > 0).map((n) => n.name));
    for (const i of ANON) assert.ok(open_.includes(nodeName(i)), `${nodeName(i)} is open`);
    for (const i of Object.keys(MODES).map(Number)) {
      const row = rows.find((x) => x.name === nodeName(i))!;
      assert.match(row.cells[2]!, /^\? /, `${nodeName(i)}: configuration unread`);
      assert.ok(!row.cells.slice(3).some((c) => c.startsWith('✓')), 'an unreadable node never shows a pass');
    }
    const checks = await o.page.$$eval('#matrix thead th.chk', (ths) => ths.map((th) => th.textContent));
    const anonCol = checks.indexOf('kubelet-anonymous-auth');
    assert.ok(anonCol >= 0);
    for (const x of rows) {
      const cell = x.cells[3 + anonCol]!;
      const i = Number(x.name!.slice(5));
      if (ANON.has(i)) assert.match(cell, /^✗ FAIL /);
      else if (MODES[i]) assert.doesNotMatch(cell, /FAIL|PASS/);
      else assert.equal(cell, '✓ PASS');
    }
  } finally {
    await o.close();
  }
});

test('scan: counts, the host filter and the endpoints equal the JSON', { skip: chromiumSkip }, async (t) => {
  const ports = [...new Set(kubelets.flatMap((k) => [k.ports.secure, k.ports.readOnly, k.ports.healthz]).filter((p): p is number => p !== undefined))].join(',');
  const r = await runCli('scan', '127.0.77.1-2', '--ports', ports, '--format', 'json', '--no-progress');
  assert.equal(r.code, 1, r.err);
  const json = JSON.parse(r.out) as Omit<ScanReportJson, 'scan'> & { scan: Omit<ScanReportJson['scan'], 'targets'> & { targets: number } };
  // the JSON contract's targets is a number; the HTML writer takes it as the registry gives it (report/formats.ts)
  const rep: ScanReportJson = json;
  const html = scanHtml(rep);
  const o = await open(browser, html);
  try {
    t.diagnostic(`scan of 2 kubelets: ${html.length} bytes of HTML for ${rep.findings.length} findings; loaded in ${o.loadMs.toFixed(0)} ms`);
    await commonChecks(rep, o);
    for (const host of ['127.0.77.1', '127.0.77.2']) {
      const own = idsWhere(rep.findings, (f) => f.subject === host || !!f.subject?.startsWith(`${host}:`) || !!f.subject?.startsWith(`${host} `));
      assert.ok(own.length > 0, host);
      assert.deepEqual(sorted(await filter(o.page, 'owner', `n:${host}`)), own, host);
    }
    assert.equal(await o.page.$$eval('#endpoints tbody tr', (trs) => trs.length), rep.endpoints.length);
    assert.ok(rep.findings.some((f) => f.status === 'fail' && f.severity === 'critical'));
    assert.equal((await o.page.textContent('#worst li'))?.startsWith('critical'), true);
  } finally {
    await o.close();
  }
});

// Benchmark profiles end to end through the CLI: the EKS example numbered by the CIS EKS Benchmark
// (chosen from the distribution found), the kubeadm examples by CIS Kubernetes v1.12, any example
// with --benchmark cis-gke; each report format says the profile and shows its ids or "beyond
// benchmark" (JSON against the schema, SARIF against SARIF 2.1.0, JUnit against its XSD, Markdown,
// HTML, the table); fix, cluster and `checks --benchmark` likewise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.ts';
import { assertSarifSchema, assertSchema } from './report/validate.ts';
import { assertJunit } from './report/xmllint.ts';
import { startApiServerSim, type ApiServerSim } from './cluster/apiserver-sim.ts';
import type { Finding } from '../src/checks/types.ts';
import type { BenchmarkChoice } from '../src/profiles/index.ts';

const EXAMPLES = path.join(import.meta.dirname, '../examples/nodes');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-profiles-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Rep { benchmark?: BenchmarkChoice; findings: Finding[]; inputs: { options: Record<string, unknown> } }
interface Rule { id: string; properties: { tags: string[]; cis: string[]; benchmark?: Finding['benchmark'] }; help: { markdown: string } }
interface Sarif { runs: Array<{ tool: { driver: { rules: Rule[] } }; properties: { benchmark?: BenchmarkChoice } }> }

/** Every output of one node audit: JSON (schema-checked), SARIF, JUnit, Markdown, HTML and the table. */
async function audit(example: string, ...extra: string[]) {
  const base = path.join(tmp, `${example}${extra.join('')}`);
  const r = await runCli('node', '--root', path.join(EXAMPLES, example), '--fail-on', 'none', ...extra,
    '-o', 'json=-', '-o', `sarif=${base}.sarif`, '-o', `junit=${base}.xml`, '-o', `markdown=${base}.md`, '-o', `html=${base}.html`, '-o', `table=${base}.txt`);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out) as Rep;
  assertSchema('node-report', rep);
  const read = (ext: string) => fs.readFileSync(`${base}.${ext}`, 'utf8');
  const sarif = JSON.parse(read('sarif')) as Sarif;
  assertSarifSchema(sarif);
  return { rep, sarif, junit: read('xml'), md: read('md'), html: read('html'), table: read('txt') };
}
const find = (rep: Rep, check: string) => rep.findings.find((f) => f.check === check)!;

describe('node', () => {
  test('eks-al2023: cis-eks chosen from the distribution found; renumbered ids and beyond-benchmark findings in every format', async (t) => {
    const { rep, sarif, junit, html, table } = await audit('eks-al2023');
    let { md } = await audit('eks-al2023');
    assert.deepEqual(rep.benchmark, { profile: 'cis-eks', title: 'CIS Amazon EKS Benchmark v1.8.0', version: '1.8.0', chosenBy: 'distribution', reason: 'the distribution found: Amazon EKS (Amazon Linux 2023, nodeadm)' });
    assert.deepEqual(find(rep, 'kubelet-anonymous-auth').benchmark, { profile: 'cis-eks', ids: ['3.2.1'] });
    assert.deepEqual(find(rep, 'kubelet-anonymous-auth').cis, ['4.2.1'], 'cis keeps the CIS Kubernetes v1.12 ids');
    const rotate = find(rep, 'kubelet-rotate-certificates');
    assert.equal(rotate.status, 'fail');
    assert.deepEqual(rotate.benchmark, { profile: 'cis-eks', ids: ['3.2.8'] });
    // EKS 3.1.1 accepts 644: the check (600) still runs, beyond the benchmark, never as 3.1.1
    const perms = find(rep, 'file-kubelet-kubeconfig-perms');
    assert.equal(perms.status, 'fail');
    assert.deepEqual(perms.benchmark, { profile: 'cis-eks', ids: [], beyond: true });
    assert.ok(rep.findings.every((f) => f.benchmark?.profile === 'cis-eks'));
    assert.ok(rep.findings.every((f) => (f.benchmark!.ids.length === 0) === (f.benchmark!.beyond === true)));

    assert.match(table, /benchmark: CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\), chosen by the distribution found/);
    assert.match(table, /FAIL {2}3\.2\.8 +medium +Client certificate rotation/);
    assert.match(table, /FAIL {2}beyond +medium +The kubelet's --kubeconfig file has mode 600/);
    assert.doesNotMatch(table, /^CIS 4\.2 Kubelet$/m, 'no CIS Kubernetes section numbers under EKS');

    const rules = sarif.runs[0]!.tool.driver.rules;
    const rRotate = rules.find((x) => x.id === 'kubelet-rotate-certificates')!;
    assert.ok(rRotate.properties.tags.includes('cis-eks-3.2.8') && !rRotate.properties.tags.includes('CIS-4.2.10'));
    assert.match(rRotate.help.markdown, /CIS Amazon EKS Benchmark v1\.8\.0: 3\.2\.8/);
    assert.doesNotMatch(rRotate.help.markdown, /CIS Kubernetes Benchmark v1\.12/);
    const rPerms = rules.find((x) => x.id === 'file-kubelet-kubeconfig-perms')!;
    assert.ok(rPerms.properties.tags.includes('beyond-benchmark'));
    assert.deepEqual(rPerms.properties.benchmark, { profile: 'cis-eks', ids: [], beyond: true });
    assert.match(rPerms.help.markdown, /Beyond the benchmark: the CIS Amazon EKS Benchmark v1\.8\.0 has no control/);
    assert.equal(sarif.runs[0]!.properties.benchmark?.profile, 'cis-eks');

    assertJunit(t, junit);
    assert.match(junit, /<property name="benchmark" value="CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\), chosen by the distribution found/);
    assert.match(junit, /severity: medium \(cis-eks 3\.2\.8\)/);
    assert.match(junit, /severity: medium \(beyond benchmark \(cis-eks has no control for this check\)\)/);

    md = md.replace(/\\(.)/g, '$1'); // as rendered: Markdown's escapes taken out
    assert.match(md, /Benchmark: CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\)/);
    assert.match(md, /`kubelet-rotate-certificates` .*\(cis-eks 3\.2\.8\)/);
    assert.match(md, /`file-kubelet-kubeconfig-perms` .*\(beyond benchmark \(cis-eks has no control for this check\)\)/);
    assert.doesNotMatch(md, /CIS 4\.2\.10/);

    assert.match(html, /<dt>Benchmark<\/dt><dd>CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\), chosen by the distribution found/);
    assert.match(html, /cis-eks 3\.2\.8/);
    assert.match(html, /beyond benchmark \(cis-eks has no control for this check\)/);
  });

  for (const example of ['kubeadm-worker', 'kubeadm-control-plane']) {
    test(`${example}: CIS Kubernetes v1.12, its ids the checks' own`, async () => {
      const { rep, table, sarif } = await audit(example);
      assert.equal(rep.benchmark?.profile, 'cis-kubernetes');
      assert.equal(rep.benchmark?.chosenBy, 'distribution');
      for (const f of rep.findings) assert.deepEqual(f.benchmark?.ids, f.cis, f.check);
      assert.match(table, /^CIS 4\.2 Kubelet$/m);
      assert.match(table, /benchmark: CIS Kubernetes Benchmark v1\.12 \(cis-kubernetes\)/);
      for (const r of sarif.runs[0]!.tool.driver.rules) for (const id of r.properties.cis) assert.ok(r.properties.tags.includes(`CIS-${id}`), r.id);
    });
  }

  test('--benchmark cis-gke on a kubeadm node: chosen by the flag; the kubelet checks beyond it, its file controls renumbered', async () => {
    const { rep, table } = await audit('kubeadm-worker', '--benchmark', 'cis-gke');
    assert.deepEqual(rep.benchmark, { profile: 'cis-gke', title: 'CIS Google Kubernetes Engine (GKE) Benchmark v1.9.0', version: '1.9.0', chosenBy: 'flag', reason: '--benchmark cis-gke' });
    assert.equal(rep.inputs.options['benchmark'], 'cis-gke');
    assert.deepEqual(find(rep, 'kubelet-anonymous-auth').benchmark, { profile: 'cis-gke', ids: [], beyond: true });
    assert.deepEqual(find(rep, 'file-kubelet-kubeconfig-owner').benchmark, { profile: 'cis-gke', ids: ['3.1.2'] });
    assert.deepEqual(find(rep, 'file-kubelet-config-owner').benchmark, { profile: 'cis-gke', ids: ['3.1.4'] });
    assert.match(table, /PASS {2}3\.1\.2 /);
    assert.match(table, /PASS {2}beyond +critical +The kubelet's secure API rejects anonymous requests/);
  });

  test('--distribution given: its profile, said as given; --benchmark still wins over it (the JSON valid with both inputs)', async () => {
    const given = await audit('kubeadm-worker', '--distribution', 'eks-al2023');
    assert.equal(given.rep.benchmark?.reason, 'the distribution given (--distribution): Amazon EKS (Amazon Linux 2023, nodeadm)');
    assert.equal(given.rep.benchmark?.profile, 'cis-eks');
    const both = await audit('kubeadm-worker', '--distribution', 'eks-al2023', '--benchmark', 'cis-k3s');
    assert.equal(both.rep.benchmark?.chosenBy, 'flag');
    assert.deepEqual(find(both.rep, 'kubelet-anonymous-auth').benchmark, { profile: 'cis-k3s', ids: ['4.2.1'] });
    assert.deepEqual(find(both.rep, 'file-client-ca-perms').benchmark, { profile: 'cis-k3s', ids: [], beyond: true }, 'K3s 4.1.7 asks 600, the check 644');
  });

  test('--benchmark with no such profile: a usage error naming the profiles', async () => {
    const r = await runCli('node', '--root', path.join(EXAMPLES, 'kubeadm-worker'), '--benchmark', 'cis-nope');
    assert.equal(r.code, 2);
    assert.match(r.err, /cis-nope/);
    assert.match(r.err, /cis-eks/);
  });
});

test('fix: the plan lists its findings with the profile\'s ids, beyond benchmark where it has none', async () => {
  const text = await runCli('fix', '--root', path.join(EXAMPLES, 'eks-al2023'));
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Benchmark: CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\), chosen by the distribution found/m);
  assert.match(text.out, /kubelet-rotate-certificates \[cis-eks 3\.2\.8\]/);
  assert.match(text.out, /file-kubelet-kubeconfig-perms \(\/var\/lib\/kubelet\/kubeconfig\) \[beyond benchmark\]/);
  const json = await runCli('fix', '--root', path.join(EXAMPLES, 'eks-al2023'), '--format', 'json', '--benchmark', 'cis-kubernetes');
  const plan = JSON.parse(json.out) as { benchmark: BenchmarkChoice; fixed: Array<{ check: string; benchmark: Finding['benchmark'] }>; manual: Array<{ check: string; benchmark: Finding['benchmark'] }> };
  assert.equal(plan.benchmark.chosenBy, 'flag');
  assert.deepEqual(plan.fixed.find((f) => f.check === 'file-kubelet-kubeconfig-perms')?.benchmark, { profile: 'cis-kubernetes', ids: ['4.1.5'] });
  assert.deepEqual(plan.manual.find((f) => f.check === 'kubelet-rotate-certificates')?.benchmark, { profile: 'cis-kubernetes', ids: ['4.2.10'] });
});

test('checks --benchmark cis-eks: each check with its ids or beyond benchmark, and the controls no check judges, with why', async () => {
  const json = await runCli('checks', '--benchmark', 'cis-eks', '--format', 'json');
  assert.equal(json.code, 0, json.err);
  const cat = JSON.parse(json.out) as { benchmark: { profile: string; version: string; controls: Array<{ id: string; unmapped?: string }> }; checks: Array<{ id: string; benchmark: Finding['benchmark'] }> };
  assertSchema('checks', cat);
  assert.equal(cat.benchmark.version, '1.8.0');
  assert.deepEqual(cat.checks.find((c) => c.id === 'kubelet-anonymous-auth')?.benchmark, { profile: 'cis-eks', ids: ['3.2.1'] });
  assert.deepEqual(cat.checks.find((c) => c.id === 'kubelet-seccomp-default')?.benchmark, { profile: 'cis-eks', ids: [], beyond: true });
  assert.match(cat.benchmark.controls.find((c) => c.id === '3.1.3')?.unmapped ?? '', /644/);
  const table = await runCli('checks', '--benchmark', 'cis-eks');
  assert.match(table.out, /under CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\)/);
  assert.match(table.out, /kubelet-anonymous-auth {2}critical cis-eks 3\.2\.1/);
  assert.match(table.out, /kubelet-seccomp-default {2}low beyond benchmark/);
  assert.match(table.out, /Controls of cis-eks no check judges \(2 of the 13 listed\)\n {2}3\.1\.1 {2}Ensure that the kubeconfig file permissions are set to 644 or more restrictive \(Automated\)\n {4}not mapped: the control accepts mode 644/);
  for (const p of ['cis-kubernetes', 'cis-gke', 'cis-aks', 'cis-k3s', 'cis-rke2', 'cis-openshift']) {
    const r = await runCli('checks', '--benchmark', p, '--format', 'json');
    assertSchema('checks', JSON.parse(r.out));
  }
});

describe('cluster', () => {
  let sim: ApiServerSim;
  before(async () => {
    sim = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.31.4', configz: () => 'ok', anonymousOn: (i) => i === 1 });
  });
  after(async () => {
    await sim?.close();
  });
  test('one profile for the whole report: cis-kubernetes by default, --benchmark cis-eks renumbers', async () => {
    const def = JSON.parse((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '-f', 'json')).out) as Rep;
    assertSchema('cluster-report', def);
    assert.equal(def.benchmark?.profile, 'cis-kubernetes');
    assert.equal(def.benchmark?.chosenBy, 'default');
    const tableFile = path.join(tmp, 'cluster-eks.txt');
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--benchmark', 'cis-eks', '-o', 'json=-', '-o', `table=${tableFile}`);
    const rep = JSON.parse(r.out) as Rep;
    assertSchema('cluster-report', rep);
    assert.equal(rep.benchmark?.chosenBy, 'flag');
    const anon = rep.findings.find((f) => f.check === 'kubelet-anonymous-auth' && f.status === 'fail')!;
    assert.deepEqual(anon.benchmark, { profile: 'cis-eks', ids: ['3.2.1'] });
    assert.deepEqual(rep.findings.find((f) => f.check === 'rbac-kubelet-access')?.benchmark, { profile: 'cis-eks', ids: [], beyond: true });
    const table = fs.readFileSync(tableFile, 'utf8');
    assert.match(table, /benchmark: CIS Amazon EKS Benchmark v1\.8\.0 \(cis-eks\), chosen by --benchmark cis-eks/);
    assert.match(table, /FAIL {2}3\.2\.1 +critical +The kubelet's secure API rejects anonymous requests/);
    assert.match(table, /FAIL {2}beyond +(critical|high|medium|low) /);
  });
});

// Every report format of every command, end to end through the CLI, checked by real validators:
// the JSON reports against the repository's schemas (schemas/*.schema.json, ajv), the SARIF logs
// against the SARIF 2.1.0 schema (ajv) and Microsoft's SARIF multitool (its `validate` verb, with
// GitHub code scanning's rules). Inputs: every example node (--root), a scan of kubelet simulators
// on loopback (127.0.113.0/24, real TLS), and a cluster from the API-server simulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { runCli } from '../run-cli.ts';
import { startKubeletSim, type KubeletSim } from '../scan/kubelet-sim.ts';
import { startApiServerSim, type ApiServerSim } from '../cluster/apiserver-sim.ts';
import { assertSarifSchema, assertSchema, multitoolValidate, type MultitoolResult } from './validate.ts';
import { findingFile, FINGERPRINT_KEY, NODE_ROOT } from '../../src/report/sarif.ts';
import type { Finding } from '../../src/checks/types.ts';

const EXAMPLES = path.join(import.meta.dirname, '../../examples/nodes');
const examples = fs.readdirSync(EXAMPLES).filter((n) => fs.statSync(path.join(EXAMPLES, n)).isDirectory());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-reports-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; helpUri?: string; properties: Record<string, unknown>; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string } }> } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string; ruleIndex: number; level: string; message: { text: string };
      locations: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; logicalLocations?: Array<{ name: string }> }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

/** The multitool's errors and warnings: none expected. A skip (another OS) is said, not hidden. */
function assertMultitool(t: { skip: (m: string) => void }, log: unknown): void {
  const r = multitoolValidate(log);
  if ('skip' in r) return t.skip(r.skip);
  assert.deepEqual((r as MultitoolResult[]).map((x) => `${x.ruleId} ${x.level}: ${x.message.text ?? `${x.message.id} ${x.message.arguments?.join(' | ')}`}`), []);
}

/** Numbers are numbers: no field of the report holds a number written as a string where the schema says number. */
function assertHeader(rep: { schemaVersion: string; generatedAt: string; tool: { name: string; version: string }; inputs: { command: string } }, command: string): void {
  assert.equal(rep.schemaVersion, '1');
  assert.equal(rep.tool.name, 'kubelet-guard');
  assert.equal(rep.tool.version, pkg.version);
  assert.ok(!Number.isNaN(Date.parse(rep.generatedAt)));
  assert.equal(rep.inputs.command, command);
}

describe('node: every example', () => {
  for (const name of examples) {
    test(`${name}: JSON matches schemas/node-report.schema.json; SARIF valid, each file finding on its line`, async (t) => {
      const root = path.join(EXAMPLES, name);
      const sarifFile = path.join(tmp, `${name}.sarif`);
      const r = await runCli('node', '--root', root, '--fail-on', 'none', '-o', 'json=-', '-o', `sarif=${sarifFile}`);
      assert.equal(r.code, 0, r.err);
      const rep = JSON.parse(r.out) as { schemaVersion: string; generatedAt: string; tool: { name: string; version: string }; inputs: { command: string; options: Record<string, unknown> }; findings: Finding[]; summary: { fail: number; unknown: number } };
      assertSchema('node-report', rep);
      assertHeader(rep, 'node');
      assert.equal(rep.inputs.options['root'], root);
      assert.equal(rep.inputs.options['failOn'], 'none');

      const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as SarifLog;
      assertSarifSchema(log);
      assert.equal(log.runs.length, 1);
      const run = log.runs[0]!;
      assert.equal(run.tool.driver.name, 'kubelet-guard');
      assert.equal(run.tool.driver.version, pkg.version);
      const open = rep.findings.filter((f) => f.status === 'fail' || f.status === 'unknown');
      assert.equal(run.results.length, open.length);
      assert.equal(open.length, rep.summary.fail + rep.summary.unknown);
      if (run.results.some((x) => x.locations[0]?.physicalLocation)) {
        assert.equal(run.originalUriBaseIds?.[NODE_ROOT]?.uri, `${pathToFileURL(path.resolve(root)).href}/`);
      }
      open.forEach((f, i) => {
        const res = run.results[i]!;
        assert.equal(res.ruleId, f.check);
        assert.equal(run.tool.driver.rules[res.ruleIndex]?.id, f.check);
        assert.ok(res.message.text.includes(f.message), f.check);
        if (f.status === 'unknown') assert.equal(res.level, 'note');
        else assert.equal(res.level, { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[f.severity]);
        if (f.status === 'fail' && f.remediation) assert.ok(res.message.text.includes(f.remediation), f.check);
        // every finding with a file and line in its evidence lands on that line
        const e = f.evidence.find((x) => (x.file && x.line) || (x.source?.file && x.source.line));
        const phys = res.locations[0]?.physicalLocation;
        if (e) {
          assert.ok(phys, `${f.check}: no physical location`);
          assert.equal(phys.artifactLocation.uriBaseId, NODE_ROOT);
          assert.equal(`/${decodeURIComponent(phys.artifactLocation.uri)}`, e.file && e.line ? e.file : e.source!.file);
          assert.equal(phys.region.startLine, e.file && e.line ? e.line : e.source!.line);
        }
        if (phys) assert.ok(!phys.artifactLocation.uri.startsWith('/'), 'relative to the node root');
        else assert.ok(res.locations[0]?.logicalLocations?.length, `${f.check}: a logical location`);
        assert.match(res.partialFingerprints[FINGERPRINT_KEY] ?? '', /^[0-9a-f]{64}$/);
      });
      for (const rule of run.tool.driver.rules) {
        assert.match(rule.helpUri ?? '', new RegExp(`^https://github\\.com/kubelet-guard/kubelet-guard/blob/main/docs/checks\\.md#${rule.id.replace(/\./g, '\\.')}$`));
        assert.ok(rule.fullDescription.text.length > 0 && rule.help.markdown.includes(rule.shortDescription.text));
        assert.ok(['critical', 'high', 'medium', 'low', 'info'].includes(rule.properties['severity'] as string));
        if (rule.properties['severity'] !== 'info') assert.match(rule.properties['security-severity'] as string, /^\d+\.\d$/);
        assert.ok((rule.properties['tags'] as string[]).includes('security'));
      }
      assertMultitool(t, log);
    });
  }

  test('fingerprints are stable across runs and machines (another root folder), never tied to a line', async () => {
    const name = 'insecure';
    const copy = path.join(tmp, 'elsewhere', name);
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    execFileSync('cp', ['-a', path.join(EXAMPLES, name), copy]); // owners and modes too (setup-examples.js set them)
    const fp = async (root: string) => {
      const r = await runCli('node', '--root', root, '--fail-on', 'none', '-f', 'sarif');
      return (JSON.parse(r.out) as SarifLog).runs[0]!.results.map((x) => `${x.ruleId} ${x.partialFingerprints[FINGERPRINT_KEY]}`);
    };
    const a = await fp(path.join(EXAMPLES, name));
    assert.ok(a.length > 5);
    assert.deepEqual(await fp(path.join(EXAMPLES, name)), a);
    assert.deepEqual(await fp(copy), a);
    assert.equal(new Set(a).size, a.length, 'one fingerprint per finding');
  });

  test('the file of each finding: evidence first (its line), then what its fix changes', () => {
    const f = (evidence: Finding['evidence'], fixes?: Finding['fixes']): Finding => ({ check: 'x', title: 'x', section: 'cis-4.2', cis: [], status: 'fail', severity: 'high', message: 'm', evidence, ...(fixes ? { fixes } : {}) });
    assert.deepEqual(findingFile(f([{ setting: 'a', source: { kind: 'config-file', file: '/c.yaml', line: 7 } }])), { file: '/c.yaml', line: 7 });
    assert.deepEqual(findingFile(f([{ file: '/etc/x', note: 'mode' }, { file: '/u', line: 3 }])), { file: '/u', line: 3 });
    assert.deepEqual(findingFile(f([{ setting: 'a', source: { kind: 'config-default' } }], [{ kind: 'config-set', file: '/var/lib/kubelet/config.yaml', path: ['a'], value: true }])), { file: '/var/lib/kubelet/config.yaml' });
    assert.deepEqual(findingFile(f([], [{ kind: 'dropin-create', file: '/d/99.conf', content: '', mode: 0o644 }])), undefined);
    assert.equal(findingFile(f([{ setting: 'a', source: { kind: 'configz' } }])), undefined);
  });
});

describe('scan: kubelet simulators on loopback', () => {
  const sims: KubeletSim[] = [];
  before(async () => {
    sims.push(await startKubeletSim({ host: '127.0.113.1', anonymous: true, authorization: 'AlwaysAllow', fineGrained: true, debuggingHandlers: true, readOnlyPort: true, healthz: true, cert: 'self-signed' }));
    sims.push(await startKubeletSim({ host: '127.0.113.2', anonymous: false, authorization: 'Webhook', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'ca-signed' }));
  });
  after(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });
  const ports = () => [...new Set(sims.flatMap((s) => [s.ports.secure, s.ports.readOnly, s.ports.healthz]).filter((p): p is number => p !== undefined))].join(',');

  test('JSON matches schemas/scan-report.schema.json; SARIF with logical locations is valid; jsonl to a file; one sweep', async (t) => {
    const sarifFile = path.join(tmp, 'scan.sarif');
    const jsonlFile = path.join(tmp, 'scan.jsonl');
    const token = 'scan-token-never-in-a-report-1234';
    const r = await runCli('scan', '127.0.113.1-2', '--ports', ports(), '--collect', '--no-progress', '--token', token,
      '-o', 'json=-', '-o', `sarif=${sarifFile}`, '-o', `jsonl=${jsonlFile}`);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as { scan: { targets: unknown; probes: unknown }; endpoints: unknown[]; findings: Finding[]; inputs: { command: string; options: Record<string, unknown> } } & Parameters<typeof assertHeader>[0];
    assertSchema('scan-report', rep);
    assertHeader(rep, 'scan');
    assert.equal(rep.scan.targets, 2);
    assert.equal(typeof rep.scan.probes, 'number');
    assert.equal(rep.inputs.options['identity'], 'token');
    assert.equal(rep.inputs.options['collect'], true);
    assert.ok(rep.endpoints.length >= 3);
    for (const text of [r.out, fs.readFileSync(sarifFile, 'utf8'), fs.readFileSync(jsonlFile, 'utf8')]) assert.ok(!text.includes(token));

    // jsonl, written whole to its file: one line per endpoint (and host), the summary last, counting the same probes
    const lines = fs.readFileSync(jsonlFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { endpoint?: unknown; summary?: { probes: number; open: number } });
    assert.equal(lines.filter((l) => l.endpoint).length, rep.endpoints.length);
    assert.equal(lines.at(-1)?.summary?.probes, rep.scan.probes, 'the sweep ran once');

    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as SarifLog;
    assertSarifSchema(log);
    const results = log.runs[0]!.results;
    assert.equal(results.length, rep.findings.filter((f) => f.status === 'fail' || f.status === 'unknown').length);
    assert.ok(results.length > 0);
    for (const x of results) {
      assert.equal(x.locations[0]?.physicalLocation, undefined, 'a network finding has no file');
      assert.match(x.locations[0]?.logicalLocations?.[0]?.name ?? '', /^127\.0\.113\.[12](:\d+)?/);
    }
    assert.ok(results.some((x) => x.ruleId === 'exposure-kubelet-anonymous-alwaysallow' && x.level === 'error'));
    assertMultitool(t, log);
  });
});

describe('cluster: the API-server simulator', () => {
  let sim: ApiServerSim;
  before(async () => {
    sim = await startApiServerSim({ nodes: 4, podsPerNode: 3, bindings: 6, namespaces: 3, kubeletVersion: 'v1.31.4',
      configz: (i) => (i === 2 ? 'forbidden' : 'ok'), anonymousOn: (i) => i === 1 });
  });
  after(async () => {
    await sim?.close();
  });

  test('JSON matches schemas/cluster-report.schema.json; SARIF valid; table, JSON and SARIF from one audit', async (t) => {
    const sarifFile = path.join(tmp, 'cluster.sarif');
    const tableFile = path.join(tmp, 'cluster.txt');
    const before = sim.requests();
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '-o', 'json=-', '-o', `sarif=${sarifFile}`, '-o', `table=${tableFile}`);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as { cluster: { nodes: number }; findings: Finding[]; inputs: { options: Record<string, unknown> } } & Parameters<typeof assertHeader>[0];
    assertSchema('cluster-report', rep);
    assertHeader(rep, 'cluster');
    assert.equal(rep.cluster.nodes, 4);
    assert.equal(rep.inputs.options['kubeconfig'], sim.kubeconfigPath);
    assert.ok(!r.out.includes(sim.token) && !fs.readFileSync(sarifFile, 'utf8').includes(sim.token));

    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as SarifLog;
    assertSarifSchema(log);
    const open = rep.findings.filter((f) => f.status === 'fail' || f.status === 'unknown');
    assert.equal(log.runs[0]!.results.length, open.length);
    assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'rbac-kubelet-access'));
    assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'node-configz' && x.level === 'note' && x.message.text.startsWith('unknown')));
    assertMultitool(t, log);

    const table = fs.readFileSync(tableFile, 'utf8');
    assert.match(table, /^kubelet-guard cluster: /);
    assert.ok(!/\x1b\[/.test(table), 'no colour in a file');
    // one audit: the simulator saw one node list, not three
    const lists = sim.requests() - before;
    const again = sim.requests();
    await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '-f', 'json');
    assert.equal(sim.requests() - again, lists, 'three outputs cost the requests of one');
  });
});

test('kubelet-guard checks --format json: the catalogue matches schemas/checks.schema.json, every id anchored in docs/checks.md', async () => {
  const r = await runCli('checks', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const cat = JSON.parse(r.out) as { checks: Array<{ id: string; docs: string; commands: string[] }> };
  assertSchema('checks', cat);
  const doc = fs.readFileSync(path.join(import.meta.dirname, '../../docs/checks.md'), 'utf8');
  for (const c of cat.checks) {
    assert.equal(c.docs, `docs/checks.md#${c.id}`);
    assert.ok(doc.includes(`<a id="${c.id}"></a>`), c.id);
  }
  assert.equal(new Set(cat.checks.map((c) => c.id)).size, cat.checks.length, 'ids are unique');
  for (const cmd of ['node', 'scan', 'cluster']) assert.ok(cat.checks.some((c) => c.commands.includes(cmd)), cmd);
  assert.ok(cat.checks.some((c) => c.id === 'rbac-kubelet-access' && c.commands.join() === 'cluster'));
  assert.ok(cat.checks.some((c) => c.id === 'kubelet-anonymous-auth' && ['node', 'scan', 'cluster'].every((x) => c.commands.includes(x))));

  const table = await runCli('checks');
  assert.equal(table.code, 0);
  assert.match(table.out, /kubelet-anonymous-auth/);
  assert.match(table.out, /rbac-kubelet-access/);
});

test('the schemas refuse what would break a reader: a count as a string, a missing header, an unknown field, a credential-shaped option', async () => {
  const r = await runCli('node', '--root', path.join(EXAMPLES, 'kubeadm-worker'), '--fail-on', 'none', '-f', 'json');
  const good = JSON.parse(r.out) as Record<string, unknown> & { summary: Record<string, unknown>; findings: Array<Record<string, unknown>>; inputs: { options: Record<string, unknown> } };
  assertSchema('node-report', good);
  const broken: Array<[string, (x: typeof good) => void]> = [
    ['a count as a string', (x) => (x.summary['pass'] = String(x.summary['pass']))],
    ['no schemaVersion', (x) => delete x['schemaVersion']],
    ['another schemaVersion', (x) => (x['schemaVersion'] = '2')],
    ['an unknown top-level field', (x) => (x['extra'] = 1)],
    ['a finding with an unknown status', (x) => (x.findings[0]!['status'] = 'ok')],
    ['a line as a string', (x) => (x.findings.find((f) => (f['evidence'] as unknown[]).length > 0)!['evidence'] = [{ file: '/x', line: '3' }])],
    ['a fix of an unknown kind', (x) => (x.findings[0]!['fixes'] = [{ kind: 'shell', file: '/x', command: 'rm -rf /' }])],
    ['an option the node command has not', (x) => (x.inputs.options['token'] = 'secret')],
  ];
  for (const [what, breakIt] of broken) {
    const x = structuredClone(good);
    breakIt(x);
    assert.throws(() => assertSchema('node-report', x), /node-report: /, what);
  }
});

// Suppressions, --skip/--check and baselines through the CLI on the example nodes (report/triage.ts):
// a suppressed finding stays in every format and stops counting for --fail-on; expired and stale
// entries are warned about; a baseline from a real earlier run marks new, unchanged and resolved.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../run-cli.ts';
import { assertSarifSchema, assertSchema, multitoolValidate } from './validate.ts';

/** Microsoft's SARIF multitool: no error, no warning (a skip on another OS is said). */
function assertMultitool(t: { skip: (m: string) => void }, log: unknown): void {
  const r = multitoolValidate(log);
  if ('skip' in r) return t.skip(r.skip);
  assert.deepEqual(r.map((x) => `${x.ruleId} ${x.level}`), []);
}
import type { NodeReport } from '../../src/report/model.ts';

const EXAMPLES = path.join(import.meta.dirname, '../../examples/nodes');
const WORKER = path.join(EXAMPLES, 'kubeadm-worker');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-triage-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function ignoreFile(text: string): string {
  const f = path.join(tmp, `ignore-${n++}.yaml`);
  fs.writeFileSync(f, text);
  return f;
}
const json = (out: string) => JSON.parse(out) as NodeReport;

// kubeadm-worker fails two high checks (exit 1 at the default --fail-on high)
const ACCEPT_BOTH = `- check: kubelet-tls-cert-files
  reason: serving certificates come from our CSR approver (SEC-12)
  expires: 2999-12-31
- check: cert-serving-ca-signed
  file: "/var/lib/kubelet/pki/*"
  reason: self-signed until the approver ships
`;

test('a suppression turns exit 1 into exit 0, and the finding is still in table, JSON, SARIF and HTML', async (ctx) => {
  const plain = await runCli('node', '--root', WORKER);
  assert.equal(plain.code, 1);
  const file = ignoreFile(ACCEPT_BOTH);
  const d = fs.mkdtempSync(path.join(tmp, 'all-'));
  const r = await runCli('node', '--root', WORKER, '--ignore-file', file, '-o', 'table=-', '-o', `json=${d}/r.json`, '-o', `sarif=${d}/r.sarif`, '-o', `html=${d}/r.html`);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Suppressed \(reported, not counted for --fail-on\)/);
  assert.match(r.out, /FAIL [^\n]*A serving certificate[\s\S]*suppressed: serving certificates come from our CSR approver \(SEC-12\)/);
  assert.match(r.out, /2 suppressed/);
  const rep = json(fs.readFileSync(`${d}/r.json`, 'utf8'));
  assertSchema('node-report', rep);
  const t = rep.findings.find((f) => f.check === 'kubelet-tls-cert-files')!;
  assert.equal(t.status, 'fail');
  assert.deepEqual(t.suppressed, { reason: 'serving certificates come from our CSR approver (SEC-12)', expires: '2999-12-31', source: `${file}:1` });
  assert.equal(rep.findings.find((f) => f.check === 'cert-serving-ca-signed' && f.status === 'fail')!.suppressed?.source, `${file}:4`);
  assert.deepEqual(rep.suppressions, { expired: [], stale: [] });
  const sarif = JSON.parse(fs.readFileSync(`${d}/r.sarif`, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification: string }> }> }> };
  assertSarifSchema(sarif);
  assertMultitool(ctx, sarif);
  const res = sarif.runs[0]!.results.find((x) => x.ruleId === 'kubelet-tls-cert-files')!;
  assert.deepEqual(res.suppressions?.map((s) => [s.kind, s.justification]), [['external', 'serving certificates come from our CSR approver (SEC-12)']]);
  const html = fs.readFileSync(`${d}/r.html`, 'utf8');
  assert.match(html, /<strong>Suppressed<\/strong> \(not counted for --fail-on\): self-signed until the approver ships/);
});

test('an expired suppression no longer suppresses: a warning on stderr and in the report; a stale one is named', async () => {
  const file = ignoreFile(`- check: kubelet-tls-cert-files
  reason: was accepted last year
  expires: 2001-01-31
- check: cert-serving-ca-signed
  reason: accepted
- check: kubelet-anonymous-auth
  node: "some-other-node-*"
  reason: lab nodes only
`);
  const r = await runCli('node', '--root', WORKER, '--ignore-file', file, '-f', 'json');
  assert.equal(r.code, 1, 'kubelet-tls-cert-files counts again');
  assert.match(r.err, new RegExp(`warning: suppression expired on 2001-01-31 \\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1, kubelet-tls-cert-files\\): it no longer suppresses \\(1 finding counts again\\)`));
  assert.match(r.err, /warning: stale suppression \(.*:6, kubelet-anonymous-auth\): it matched no finding; remove it/);
  const rep = json(r.out);
  assertSchema('node-report', rep);
  assert.equal(rep.findings.find((f) => f.check === 'kubelet-tls-cert-files')!.suppressed, undefined);
  assert.deepEqual(rep.suppressions?.expired.map((e) => [e.check, e.expires, e.matches]), [['kubelet-tls-cert-files', '2001-01-31', 1]]);
  assert.deepEqual(rep.suppressions?.stale.map((e) => [e.check, e.source]), [['kubelet-anonymous-auth', `${file}:6`]]);
  const sarif = JSON.parse((await runCli('node', '--root', WORKER, '--ignore-file', file, '-f', 'sarif')).out) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications?: Array<{ message: { text: string } }> }> }> };
  assertSarifSchema(sarif);
  assert.deepEqual(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications?.map((x) => x.message.text.split(' (')[0]), ['suppression expired on 2001-01-31', 'stale suppression']);
  const html = (await runCli('node', '--root', WORKER, '--ignore-file', file, '-f', 'html')).out;
  assert.match(html, /<ul class="notes"><li>suppression expired on 2001-01-31 [^<]*<\/li><li>stale suppression [^<]*<\/li><\/ul>/);
  const table = await runCli('node', '--root', WORKER, '--ignore-file', file);
  assert.match(table.out, /Suppressions to review\n\s+EXPIRED .*kubelet-tls-cert-files: expired on 2001-01-31/);
});

test('the ignore file: usage errors name the file and line; the default file in the working folder is read, its absence is fine', async () => {
  const missing = await runCli('node', '--root', WORKER, '--ignore-file', path.join(tmp, 'nope.yaml'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--ignore-file .*nope\.yaml: no such file or directory/);
  const bad = ignoreFile('- check: kubelet-anonymous-auth\n  reason: x\n- check: kubelet-anonymus-auth\n  reason: typo\n');
  const b = await runCli('node', '--root', WORKER, '--ignore-file', bad);
  assert.equal(b.code, 2);
  assert.match(b.err, /ignore-\d+\.yaml:3: unknown check "kubelet-anonymus-auth"/);
  assert.equal(b.out, '', 'no report on a usage error');
  const cwd = process.cwd();
  const dir = fs.mkdtempSync(path.join(tmp, 'cwd-'));
  try {
    process.chdir(dir);
    assert.equal((await runCli('node', '--root', WORKER)).code, 1, 'no default file: nothing suppressed');
    fs.writeFileSync(path.join(dir, '.kubelet-guard-ignore.yaml'), ACCEPT_BOTH);
    const r = await runCli('node', '--root', WORKER, '-f', 'json');
    assert.equal(r.code, 0);
    assert.equal(json(r.out).findings.find((f) => f.check === 'kubelet-tls-cert-files')!.suppressed?.source, '.kubelet-guard-ignore.yaml:1');
  } finally {
    process.chdir(cwd);
  }
});

test('--skip and --check: the checks left out are not reported at all (unlike a suppression); an unknown id is a usage error', async () => {
  const skip = await runCli('node', '--root', WORKER, '-f', 'json', '--skip', 'kubelet-tls-cert-files,cert-serving-ca-signed');
  assert.equal(skip.code, 0);
  const s = json(skip.out);
  assertSchema('node-report', s);
  assert.ok(!s.findings.some((f) => f.check === 'kubelet-tls-cert-files' || f.check === 'cert-serving-ca-signed'));
  assert.equal(s.inputs.options['skip'], 'kubelet-tls-cert-files,cert-serving-ca-signed');
  const only = await runCli('node', '--root', WORKER, '-f', 'json', '--check', 'kubelet-anonymous-auth', '--check', 'kubelet-read-only-port');
  assert.equal(only.code, 0);
  assert.deepEqual([...new Set(json(only.out).findings.map((f) => f.check))].sort(), ['kubelet-anonymous-auth', 'kubelet-read-only-port']);
  const unknown = await runCli('node', '--root', WORKER, '--skip', 'no-such-check');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--skip no-such-check: no such check/);
  const wrong = await runCli('node', '--root', WORKER, '--check', 'hidden-static-pods');
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--check hidden-static-pods: kubelet-guard node reports no finding of this check/);
});

test('a baseline from a real earlier run: unchanged (a moved line too), new after a change, resolved after a fix; --fail-on-new', async (t) => {
  const root = path.join(tmp, 'worker');
  fs.cpSync(WORKER, root, { recursive: true });
  const base = path.join(tmp, 'base.json');
  const first = await runCli('node', '--root', root, '-o', `json=${base}`);
  assert.equal(first.code, 1);
  const before = json(fs.readFileSync(base, 'utf8'));
  const open = before.findings.filter((f) => f.status === 'fail' || f.status === 'unknown').length;

  // the same node, a comment added on top of the config: every line moves, nothing is new
  const config = path.join(root, 'var/lib/kubelet/config.yaml');
  fs.writeFileSync(config, `# moved\n# down\n${fs.readFileSync(config, 'utf8')}`);
  const same = await runCli('node', '--root', root, '-f', 'json', '--baseline', base);
  assert.equal(same.code, 1);
  const s = json(same.out);
  assertSchema('node-report', s);
  assert.deepEqual([s.baseline?.new, s.baseline?.unchanged, s.baseline?.resolved.length], [0, open, 0]);
  assert.equal((await runCli('node', '--root', root, '--baseline', base, '--fail-on-new')).code, 0, 'only old failures: --fail-on-new passes');

  // a new high failure (the read-only port opened) and a fix (a PID limit set)
  fs.writeFileSync(config, `${fs.readFileSync(config, 'utf8')}readOnlyPort: 10255\npodPidsLimit: 4096\n`);
  const changed = await runCli('node', '--root', root, '-f', 'json', '--baseline', base, '--fail-on-new');
  assert.equal(changed.code, 1, 'a new high failure fails --fail-on-new');
  const c = json(changed.out);
  assertSchema('node-report', c);
  assert.deepEqual(c.findings.filter((f) => f.baseline === 'new').map((f) => f.check), ['kubelet-read-only-port']);
  assert.deepEqual(c.baseline?.resolved.map((f) => f.check), ['kubelet-pod-pids-limit']);
  const table = await runCli('node', '--root', root, '--baseline', base);
  assert.match(table.out, /kubelet-read-only-port\) NEW/);
  assert.match(table.out, /Resolved since the baseline \(1\)\n\s+GONE\s+kubelet-pod-pids-limit/);
  assert.ok(table.out.replace(/\s+/g, ' ').includes(`: 1 new, ${open - 1} unchanged, 1 resolved`), 'the summary counts (the line may wrap)');
  assert.match((await runCli('node', '--root', root, '-f', 'html', '--baseline', base)).out, /<li>baseline [^<]*: 1 new, \d+ unchanged, 1 resolved \(kubelet-pod-pids-limit\)<\/li>/);
  const skipped = json((await runCli('node', '--root', root, '-f', 'json', '--baseline', base, '--skip', 'kubelet-pod-pids-limit')).out);
  assert.deepEqual(skipped.baseline?.resolved, [], 'a skipped check is not looked at: not resolved');
  const sarif = await runCli('node', '--root', root, '-f', 'sarif', '--baseline', base);
  const log = JSON.parse(sarif.out) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
  assertSarifSchema(log);
  assertMultitool(t, log);
  assert.equal(log.runs[0]!.results.find((x) => x.ruleId === 'kubelet-read-only-port')!.baselineState, 'new');
  assert.ok(log.runs[0]!.results.filter((x) => x.ruleId !== 'kubelet-read-only-port').every((x) => x.baselineState === 'unchanged'));
});

test('a bad baseline is a usage error that says why; --fail-on-new needs one', async () => {
  const scanReport = path.join(tmp, 'scan.json');
  fs.writeFileSync(scanReport, JSON.stringify({ schemaVersion: '1', inputs: { command: 'scan', options: {} }, findings: [] }));
  const r = await runCli('node', '--root', WORKER, '--baseline', scanReport);
  assert.equal(r.code, 2);
  assert.match(r.err, /--baseline .*scan\.json: a report of kubelet-guard scan, not of node/);
  const notJson = path.join(tmp, 'x.json');
  fs.writeFileSync(notJson, 'FAIL table');
  assert.match((await runCli('node', '--root', WORKER, '--baseline', notJson)).err, /not JSON/);
  const alone = await runCli('node', '--root', WORKER, '--fail-on-new');
  assert.equal(alone.code, 2);
  assert.match(alone.err, /--fail-on-new needs --baseline FILE/);
});

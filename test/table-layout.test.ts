// The terminal tables' layout: the failures first, most severe first, each with its fix; then the
// rest by section; not-applicable listed only with --all; a summary naming the worst failures;
// lines wrapped to the terminal's width (100 when not a TTY) without splitting a path or a command,
// even with hostile long names; `unknown` in a colour no severity has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { runCli, runCliOn } from './run-cli.ts';
import { CONFIG, GOOD_CONFIG, kubeadmTree } from './node-tree.ts';
import { SEVERITIES, type Finding, type Severity } from '../src/checks/types.ts';
import { summarize } from '../src/checks/run.ts';
import type { NodeReport } from '../src/report/model.ts';
import { formatScanTable } from '../src/report/scan-table.ts';
import { formatClusterTable } from '../src/report/cluster-table.ts';
import { units, visibleWidth } from '../src/report/wrap.ts';

const SGR = /\u001b\[[0-9;]*m/g;
const plain = (s: string) => s.replace(SGR, '');

/** The FAIL rows of the "Failed" block, in order: [severity, check]. */
function failedBlock(out: string): Array<[string, string]> {
  const block = out.split('\n\n').find((b) => b.startsWith('Failed, most severe first')) ?? '';
  return [...block.matchAll(/^ {2}FAIL {2}\S+ +(\w+) [\s\S]*?\((\S+)\)$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** The summary line, its continuation lines joined. */
const summaryOf = (out: string) => /^Summary: .*(\n {2}.*)*/m.exec(out)![0].replace(/\n +/g, ' ');

test('node: the failures first, most severe first, each with its fix; every failure listed once', async () => {
  const r = await runCliOn({ columns: 400 }, 'node', '--root', 'examples/nodes/insecure', '--no-color', '--fail-on', 'none');
  const json = JSON.parse((await runCli('node', '--root', 'examples/nodes/insecure', '--format', 'json', '--fail-on', 'none')).out) as NodeReport;
  const failed = failedBlock(r.out);
  assert.equal(failed.length, json.summary.fail);
  const ranks = failed.map(([sev]) => SEVERITIES.indexOf(sev as Severity));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'critical → info');
  assert.equal(failed[0]![0], 'critical');
  // each failure is listed in the Failed block only, with its fix
  assert.equal((r.out.match(/^ {2}FAIL /gm) ?? []).length, json.summary.fail);
  const block = r.out.split('\n\n').find((b) => b.startsWith('Failed'))!;
  const rows = block.split(/\n(?= {2}FAIL )/).slice(1);
  for (const row of rows) assert.match(row, /\n {4}fix: /, row);
  // then the rest by section, as before: passes and unknowns, no N/A
  assert.match(r.out, /^CIS 4\.2 Kubelet$/m);
  assert.doesNotMatch(r.out, /^ {2}N\/A /m);
  assert.match(summaryOf(r.out), new RegExp(`^Summary: ${json.summary.fail} failed — critical: kubelet-anonymous-auth, kubelet-authorization-mode, kubelet-api-open-to-anyone(, \\+\\d+ more)? \\(\\d+ critical, .*\\); ${json.summary.pass} passed, ${json.summary.unknown} unknown, ${json.summary['not-applicable']} not applicable \\(not listed; --all lists them\\)$`));
});

test('node: --all lists the not-applicable findings; --quiet keeps its meaning; JSON holds everything', async () => {
  const all = await runCliOn({ columns: 400 }, 'node', '--root', 'examples/nodes/kubeadm-worker', '--no-color', '--all');
  const json = JSON.parse((await runCli('node', '--root', 'examples/nodes/kubeadm-worker', '--format', 'json')).out) as NodeReport;
  const na = json.findings.filter((f) => f.status === 'not-applicable').length;
  assert.ok(na > 0);
  assert.equal((all.out.match(/^ {2}N\/A /gm) ?? []).length, na);
  assert.match(summaryOf(all.out), new RegExp(`${na} not applicable$`));
  const quiet = await runCliOn({ columns: 400 }, 'node', '--root', 'examples/nodes/kubeadm-worker', '--no-color', '--quiet', '--all');
  assert.doesNotMatch(quiet.out, /^ {2}(PASS|N\/A) /m);
  assert.match(quiet.out, /^ {2}FAIL /m);
  assert.match(summaryOf(quiet.out), new RegExp(`${na} not applicable \\(not listed\\)$`));
  // the JSON is the same with or without --all
  const jsonAll = JSON.parse((await runCli('node', '--root', 'examples/nodes/kubeadm-worker', '--format', 'json', '--all')).out) as NodeReport;
  assert.deepEqual({ ...jsonAll, generatedAt: '' }, { ...json, generatedAt: '' });
});

test('unknown has its own colour, apart from every severity colour; none without a TTY or with --no-color', async () => {
  const root = kubeadmTree({ [CONFIG]: `${GOOD_CONFIG}staticPodPath: /etc/kubernetes/manifests\n` });
  fs.mkdirSync(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/kubernetes/manifests/bad.yaml'), 'kind: Pod\nmetadata: [\n');
  const r = await runCli('node', '--root', root, '--color', '--fail-on', 'none');
  const unkn = /(\u001b\[[0-9;]*m)+UNKN/.exec(r.out);
  assert.ok(unkn, 'an UNKN mark');
  const unknownCodes = unkn[0].match(/\d+(?=m)/g)!.filter((c) => c !== '1');
  for (const sev of ['medium', 'high', 'critical']) {
    const m = new RegExp(`((?:\\u001b\\[[0-9;]*m)+)${sev}`).exec(r.out);
    if (!m) continue;
    const codes = m[1]!.match(/\d+(?=m)/g)!.filter((c) => c !== '1');
    for (const c of unknownCodes) assert.ok(!codes.includes(c), `unknown and ${sev} share colour ${c}`);
  }
  const none = await runCliOn({ columns: 120 }, 'node', '--root', root, '--no-color', '--fail-on', 'none');
  assert.doesNotMatch(none.out, /\u001b/);
});

/** A line is no wider than the terminal, or it is one unit (a path, a command) that cannot be cut. */
function assertFits(out: string, width: number): void {
  for (const line of out.split('\n')) {
    if (visibleWidth(line) <= width) continue;
    assert.equal(units(line.trimStart()).length, 1, `a line of ${visibleWidth(line)} columns at width ${width}: ${JSON.stringify(line)}`);
  }
}

test('wrapped at 40, 80, 100 and 200 columns, with hostile long names: nothing split, nothing lost, nothing forged', async () => {
  const longName = `${'very-long-drop-in-name-'.repeat(8)}x  PASS  4.2.1   high     FORGED-ROW`;
  const root = kubeadmTree({
    [CONFIG]: `${GOOD_CONFIG}readOnlyPort: 10255\nstaticPodPath: /etc/kubernetes/manifests\n`,
    [`/etc/systemd/system/kubelet.service.d/${longName.replace(/ /g, '_')}.conf`]: '[Service]\nEnvironment="X=1"\n',
    [`/etc/kubernetes/manifests/${'p'.repeat(150)}.yaml`]: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${longName}"\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n`,
  });
  const wide = await runCliOn({ columns: 100_000 }, 'node', '--root', root, '--no-color', '--fail-on', 'none', '--all');
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const paths = words(wide.out).filter((w) => /\/|--|=/.test(w));
  assert.ok(paths.some((p) => p.includes('p'.repeat(150))), 'the long manifest path is shown');
  for (const width of [40, 80, 100, 200]) {
    const r = await runCliOn({ columns: width }, 'node', '--root', root, '--no-color', '--fail-on', 'none', '--all');
    assertFits(r.out, width);
    // no character lost or added: the same words, only the whitespace differs
    assert.equal(r.out.replace(/\s+/g, ''), wide.out.replace(/\s+/g, ''));
    // every path, flag and setting is whole on one line
    const lines = r.out.split('\n');
    for (const p of paths) assert.ok(lines.some((l) => l.includes(p)), `${p} split at width ${width}`);
    for (const l of lines) assert.ok(!/^\s*(PASS\s+)?4\.2\.1\s+high\s+FORGED-ROW/.test(l), `a forged row at ${width}: ${l}`);
  }
  // not a TTY: 100 columns
  assertFits((await runCli('node', '--root', root, '--fail-on', 'none')).out, 100);
});

const finding = (check: string, status: Finding['status'], severity: Severity, subject?: string): Finding => ({
  check, title: `${check} title`, section: 'kubelet-api', cis: [], status, severity, message: `${check} message`, evidence: [], remediation: `fix ${check}`, ...(subject ? { subject } : {}),
});

test('property: scan and cluster tables list the failures most severe first, then the unknown ones; the summary names the worst', () => {
  const arb = fc.array(fc.tuple(fc.constantFrom('fail', 'unknown', 'pass', 'not-applicable'), fc.constantFrom(...SEVERITIES)), { maxLength: 12 });
  fc.assert(
    fc.property(arb, fc.integer({ min: 40, max: 200 }), (spec, width) => {
      const fs = spec.map(([st, sev], i) => finding(`check-${i}`, st as Finding['status'], sev));
      const scan = formatScanTable({ endpoints: [], findings: fs, summary: { targets: '1', ports: [10250], probes: 1, open: 0, elapsedMs: 1 } }, { color: false, width });
      const shown = fs.filter((f) => f.status === 'fail' || f.status === 'unknown');
      const cluster = formatClusterTable({ tool: { name: 'kubelet-guard', version: '0' }, cluster: { server: 'https://127.0.0.1', nodes: 0 }, nodes: [], findings: shown, summary: summarize(fs) }, { color: false, width });
      const expected = [
        ...fs.filter((f) => f.status === 'fail').sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)),
        ...fs.filter((f) => f.status === 'unknown'),
      ].map((f) => f.check);
      for (const out of [scan, cluster]) {
        assert.deepEqual([...plain(out).matchAll(/\((check-\d+)\)$/gm)].map((m) => m[1]), expected);
        const worst = fs.filter((f) => f.status === 'fail').sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))[0];
        const summary = summaryOf(out);
        if (worst) assert.match(summary, new RegExp(` failed — ${worst.severity}: ${worst.check}\\b`));
        else assert.doesNotMatch(summary, / — /);
        assertFits(out, width);
      }
    }),
    { numRuns: 300 },
  );
});

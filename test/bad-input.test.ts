// The bad-input corpus: each case gets a clear message (file, line, what was expected), the right
// verdicts (unknown where evidence is hidden, never pass), and no crash, hang or unbounded memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { RootFs, type ReadResult } from '../src/sources/root-fs.ts';
import { runChecks } from '../src/checks/run.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { reportHeader } from '../src/report/contract.ts';
import type { Finding } from '../src/checks/types.ts';
import { CONFIG, DROPIN, kubeadmTree, nodeTree, UNIT } from './node-tree.ts';

function audit(root: string, fsOverride?: RootFs) {
  const facts = gatherNodeFacts({ root, fs: fsOverride, now: new Date('2026-11-23T00:00:00Z') });
  return { facts, findings: runChecks(NODE_CHECKS, facts) };
}
const byId = (fs: Finding[], id: string) => fs.filter((f) => f.check === id);
const status = (fs: Finding[], id: string) => byId(fs, id)[0]?.status;

/** The kubelet-setting checks that must not pass when the config is hidden or refused. */
const SETTING_CHECKS = ['kubelet-anonymous-auth'];

function assertRefused(root: string, messagePattern: RegExp, line?: number) {
  const { findings, facts } = audit(root);
  const refused = byId(findings, 'kubelet-config-accepted').filter((f) => f.status === 'fail');
  assert.ok(refused.length > 0, 'a kubelet-config-accepted failure');
  assert.match(refused[0]!.message, messagePattern);
  assert.equal(refused[0]!.evidence[0]?.file, CONFIG);
  if (line !== undefined) assert.equal(refused[0]!.evidence[0]?.line, line);
  for (const id of SETTING_CHECKS) assert.equal(status(findings, id), 'unknown', id);
  assert.equal(facts.kubelet.effective['authentication.anonymous.enabled']?.value, null);
  return findings;
}

test('invalid YAML: refused with its line, settings unknown', () => {
  assertRefused(kubeadmTree({ [CONFIG]: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: false\n' }), /invalid YAML/);
});

test('a YAML alias bomb is refused, quickly and in bounded memory', () => {
  let bomb = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 20; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  assertRefused(kubeadmTree({ [CONFIG]: bomb }), /alias/i);
  assert.ok(performance.now() - t0 < 10_000, 'fast');
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'bounded memory');
});

test('a 50 MB config file is not read: unknown, with the size in the message', () => {
  const root = kubeadmTree();
  const host = path.join(root, CONFIG);
  fs.writeFileSync(host, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n');
  fs.truncateSync(host, 50 * 1024 * 1024); // sparse: 50 MB of NULs without writing them
  const { findings } = audit(root);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
  assert.match(byId(findings, 'kubelet-anonymous-auth')[0]!.message, /too large to read: 52428800 bytes/);
});

test('a binary config file is refused', () => {
  assertRefused(kubeadmTree({ [CONFIG]: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0xff, 0xfe]) }), /NUL bytes|UTF-8/);
});

test('non-UTF-8 bytes are refused with their line', () => {
  const bytes = Buffer.concat([Buffer.from('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: /etc/'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
  assertRefused(kubeadmTree({ [CONFIG]: bytes }), /invalid UTF-8/, 3);
});

test('symlink loops: unknown (too many levels of symbolic links), no hang', () => {
  const root = kubeadmTree();
  fs.rmSync(path.join(root, CONFIG));
  fs.symlinkSync('config-b.yaml', path.join(root, CONFIG));
  fs.symlinkSync('config.yaml', path.join(root, '/var/lib/kubelet/config-b.yaml'));
  const { findings } = audit(root);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
  assert.match(byId(findings, 'kubelet-anonymous-auth')[0]!.message, /too many levels of symbolic links/);
});

test('symlinks that try to leave --root stay inside it', () => {
  const outside = nodeTree({ '/x/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n' });
  const root = kubeadmTree();
  fs.rmSync(path.join(root, CONFIG));
  // relative, climbing far above the root, then into the outside tree's path
  const rel = path.relative(path.join(root, 'var/lib/kubelet'), path.join(outside, 'x/config.yaml'));
  fs.symlinkSync(rel, path.join(root, CONFIG));
  const { findings, facts } = audit(root);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown'); // not found inside the root
  assert.notEqual(facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  // absolute, naming the outside tree by its host path
  fs.rmSync(path.join(root, CONFIG));
  fs.symlinkSync(path.join(outside, 'x/config.yaml'), path.join(root, CONFIG));
  assert.equal(status(audit(root).findings, 'kubelet-anonymous-auth'), 'unknown');
});

test('a file the tool may not read: unknown, permission denied', () => {
  const root = kubeadmTree();
  // As root every file is readable, so the denial is simulated at the filesystem boundary; as
  // another user a real chmod 000 is used.
  let reader: RootFs | undefined;
  if (process.getuid?.() === 0) {
    reader = new (class extends RootFs {
      override read(p: string, max?: number): ReadResult {
        return p === CONFIG ? { ok: false, path: p, code: 'EACCES', error: 'permission denied' } : super.read(p, max);
      }
    })(root);
  } else {
    fs.chmodSync(path.join(root, CONFIG), 0o000);
  }
  const { findings } = audit(root, reader);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
  assert.match(byId(findings, 'kubelet-anonymous-auth')[0]!.message, /permission denied/);
  if (!reader) assert.equal(status(findings, 'kubelet-evidence-complete'), 'unknown');
});

test('a unit file with an unterminated quote: reported with file and line, no kubelet found from it', () => {
  const root = kubeadmTree({ [DROPIN]: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet "--config=/var/lib/kubelet/config.yaml\n' });
  const { findings, facts } = audit(root);
  const diag = facts.kubelet.diagnostics.find((d) => d.file === DROPIN && d.line === 3);
  assert.ok(diag, JSON.stringify(facts.kubelet.diagnostics));
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
});

test('garbage lines in an env file: reported with file and line; the good lines still count', () => {
  const root = kubeadmTree({ '/etc/default/kubelet': 'garbage line\n=novalue\n9BAD=x\nKUBELET_EXTRA_ARGS=--read-only-port=0\n' });
  const { facts } = audit(root);
  assert.ok(facts.kubelet.diagnostics.some((d) => d.file === '/etc/default/kubelet' && d.line === 1), JSON.stringify(facts.kubelet.diagnostics));
  assert.equal(facts.kubelet.effective['readOnlyPort']?.source.kind, 'flag');
});

test('binary bytes in an env file: systemd rejects the whole file (skipped, since it is optional)', () => {
  const root = kubeadmTree({ '/etc/default/kubelet': Buffer.from('\u0000\u0001KUBELET_EXTRA_ARGS=--read-only-port=0\n\u00ff\n', 'latin1') });
  const { facts } = audit(root);
  assert.ok(facts.kubelet.diagnostics.some((d) => d.file === '/etc/default/kubelet'), JSON.stringify(facts.kubelet.diagnostics));
  assert.notEqual(facts.kubelet.effective['readOnlyPort']?.source.kind, 'flag');
});

test('no kubelet at all: every kubelet check is unknown, none passes', () => {
  const root = nodeTree({ '/etc/hostname': 'empty-node\n' });
  const { findings } = audit(root);
  assert.equal(status(findings, 'kubelet-found'), 'unknown');
  for (const f of findings) {
    if (f.section === 'cis-4.2' || f.section === 'kubelet-api') assert.equal(f.status, 'unknown', f.check);
  }
});

test('a masked unit and a unit that is a directory do not crash', () => {
  const root = kubeadmTree();
  fs.rmSync(path.join(root, UNIT));
  fs.mkdirSync(path.join(root, UNIT));
  const { findings } = audit(root);
  assert.ok(findings.length > 0);
});

test('an env file that feeds the command line but cannot be read: every setting is unknown', () => {
  const root = kubeadmTree({ '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--anonymous-auth=true\n' });
  const reader = new (class extends RootFs {
    override read(p: string, max?: number): ReadResult {
      return p === '/etc/default/kubelet' ? { ok: false, path: p, code: 'EACCES', error: 'permission denied' } : super.read(p, max);
    }
  })(root);
  const { findings } = audit(root, reader);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
  assert.match(byId(findings, 'kubelet-anonymous-auth')[0]!.message, /command line could not be read.*\/etc\/default\/kubelet/);
});

test('secrets never reach the JSON report: header values, URL credentials, token-like flags', async () => {
  const { buildNodeReport } = await import('../src/report/model.ts');
  const root = kubeadmTree({
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--manifest-url=https://puller:hunter2@10.0.0.5/pods?token=s3cr3t --manifest-url-header Authorization:Bearer-TOPSECRET\n',
    [CONFIG]: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodURLHeader:\n  X-Api-Key: ["ALSO-SECRET"]\n',
  });
  const { facts, findings } = audit(root);
  const { formatTable } = await import('../src/report/table.ts');
  const report = buildNodeReport(facts, findings, reportHeader('node', {}));
  const json = JSON.stringify(report);
  const table = formatTable(report, { color: false, showConfig: true });
  for (const secret of ['hunter2', 's3cr3t', 'TOPSECRET', 'ALSO-SECRET']) {
    assert.ok(!json.includes(secret), `json: ${secret}`);
    assert.ok(!table.includes(secret), `table: ${secret}`);
  }
  assert.ok(json.includes('10.0.0.5'), 'the host is still shown');
});

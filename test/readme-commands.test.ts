// The documentation's commands work as written, and its text points at nothing outside this
// repository. Every command line in a code block of README.md or examples/**/*.md that runs the CLI
// on a bundled example (or is in the README's first steps, `npx kubelet-guard …`) is run: it must
// not be a usage error (2) nor an audit that audited nothing (3). User-facing text — the README,
// docs/, the examples' READMEs, the CLI's help, and its reports on every example — never cites the
// maintainers' notes (`../shared/…`, "kubelet-facts", "§3").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from './run-cli.ts';
import { EXAMPLES } from '../scripts/readme-samples.ts';

function markdownFiles(): string[] {
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.md') ? [path.join(d, e.name)] : []));
  return ['README.md', ...walk('docs'), ...walk('examples')];
}

/** The command lines of a markdown file's code blocks. */
function codeLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)) out.push(...m[1]!.split('\n'));
  return out;
}

/** A shell line's words (no comment); quotes kept together. */
function words(line: string): string[] {
  const noComment = line.replace(/\s+#.*$/, '');
  return [...noComment.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const commands = markdownFiles().flatMap((file) =>
  codeLines(fs.readFileSync(file, 'utf8'))
    .filter((l) => /^(npx )?kubelet-guard /.test(l) && (l.startsWith('npx ') || /examples\//.test(l)))
    .map((line) => ({ file, line })),
);

test('the documentation shows commands on the bundled examples', () => {
  assert.ok(commands.length >= 5, JSON.stringify(commands));
  assert.ok(commands.some((c) => c.line.startsWith('npx kubelet-guard node --root examples/nodes/')));
});

for (const { file, line } of commands) {
  test(`${file}: ${line}`, async () => {
    const args = words(line).slice(line.startsWith('npx ') ? 2 : 1);
    const r = await runCli(...args);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    assert.ok(r.out.length > 0, 'it printed something');
  });
}

test('npx kubelet-guard runs the checkout\'s CLI on the project\'s Node', () => {
  const r = spawnSync('npx', ['--no-install', 'kubelet-guard', 'node', '--root', 'examples/nodes/kubeadm-worker', '--fail-on', 'none'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Summary: /m);
});

const OUTSIDE = /\.\.\/shared|kubelet-facts|§/;

test('no user-facing text cites notes outside this repository', async () => {
  const hits: string[] = [];
  const look = (where: string, text: string) => {
    for (const [i, l] of text.split('\n').entries()) if (OUTSIDE.test(l)) hits.push(`${where}:${i + 1}: ${l.trim().slice(0, 120)}`);
  };
  for (const f of markdownFiles()) look(f, fs.readFileSync(f, 'utf8'));
  look('examples/cluster/auditor-rbac.yaml', fs.readFileSync('examples/cluster/auditor-rbac.yaml', 'utf8'));
  for (const cmd of [[], ['node'], ['scan'], ['cluster'], ['explain'], ['rbac-for']]) look(`kubelet-guard ${cmd.join(' ')} --help`, (await runCli(...cmd, '--help')).out);
  for (const name of EXAMPLES) {
    for (const format of ['table', 'json']) {
      const r = await runCli('node', '--root', `examples/nodes/${name}`, '--format', format, '--all', '--show-config', '--fail-on', 'none');
      look(`node --root examples/nodes/${name} (${format})`, r.out + r.err);
    }
  }
  for (const [m, p] of [['GET', '/exec/ns/pod/c'], ['GET', '/pods'], ['POST', '/checkpoint/ns/p/c'], ['GET', '/containerLogs/ns/p/c']]) look(`explain ${m} ${p}`, (await runCli('explain', m!, p!)).out);
  assert.deepEqual(hits, []);
});

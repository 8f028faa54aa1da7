// Test support for the distributions' example nodes: the node audit
// of an example tree (or of a copy of it, changed the way a user would break it), as JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeReport } from '../../src/report/model.ts';
import type { NodeFacts } from '../../src/facts/types.ts';
import type { Finding } from '../../src/checks/types.ts';
import { NODE_CHECKS } from '../../src/checks/index.ts';
import { runChecks } from '../../src/checks/run.ts';
import { gatherNodeFacts, type NodeOptions } from '../../src/sources/node.ts';
import { runCli } from '../run-cli.ts';
import { tempDir } from '../support/tmp.ts';

export const EXAMPLES = fileURLToPath(new URL('../../examples/nodes/', import.meta.url));

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

export async function audit(root: string, ...extra: string[]): Promise<NodeReport> {
  const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none', ...extra);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as NodeReport;
}

export const example = (name: string, ...extra: string[]) => audit(path.join(EXAMPLES, name), ...extra);

/** The node audit in this process: the facts and the findings (a test's own RootFs, version or distribution). */
export function auditFacts(root: string, opts: Omit<NodeOptions, 'root'> = {}): { facts: NodeFacts; findings: Finding[] } {
  const facts = gatherNodeFacts({ root, now: new Date('2026-11-23T00:00:00Z'), ...opts });
  return { facts, findings: runChecks(NODE_CHECKS, facts) };
}

/** A copy of an example node with modes, owners and symlinks (GNU cp -a). */
export function copyOf(name: string): string {
  const dst = tempDir(`kg-${name}-`);
  const r = spawnSync('cp', ['-a', `${path.join(EXAMPLES, name)}/.`, dst], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dst;
}

/** Rewrites a node file of a copied tree, keeping its mode: by a function, or replacing `from` with `to`. */
export function edit(root: string, nodePath: string, change: ((text: string) => string) | string | RegExp, to = ''): void {
  const host = path.join(root, nodePath);
  const before = fs.readFileSync(host, 'utf8');
  const after = typeof change === 'function' ? change(before) : before.replace(change, to);
  assert.notEqual(after, before, `${nodePath} unchanged`);
  fs.writeFileSync(host, after);
}

/** The 1-based line of the first line of a node file that contains `needle`. */
export function lineOf(root: string, nodePath: string, needle: string): number {
  const i = fs.readFileSync(path.join(root, nodePath), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${nodePath}`);
  return i + 1;
}

export const findingOf = (r: NodeReport, check: string, subject?: string) =>
  r.findings.find((f) => f.check === check && (subject === undefined || f.subject === subject));
export const verdict = (r: NodeReport, check: string, subject?: string) => findingOf(r, check, subject)?.status;

/** Replaces a node file with a folder: it exists but cannot be read as a file (systemd skips such a drop-in). */
export function unreadable(root: string, nodePath: string): void {
  const host = path.join(root, nodePath);
  fs.rmSync(host);
  fs.mkdirSync(host);
}

/** Makes a node file larger than the audit reads (1 MiB): it exists, but what it says is not known. */
export function oversized(root: string, nodePath: string): void {
  const host = path.join(root, nodePath);
  fs.appendFileSync(host, `\n#${'x'.repeat(2 * 1024 * 1024)}\n`);
}

// -o/--output through the CLI: several formats from one audit, files written whole, usage errors
// (exit 2) that name what the command writes, and today's defaults and exit codes unchanged.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../run-cli.ts';
import { nodeHtml } from '../../src/report/html.ts';
import type { NodeReport } from '../../src/report/model.ts';

const ROOT = path.join(import.meta.dirname, '../../examples/nodes/insecure');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-outputs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('node: sarif, table and json files and json on standard output from one audit; the exit code of a plain run', async () => {
  const plain = await runCli('node', '--root', ROOT);
  const d = fs.mkdtempSync(path.join(tmp, 'many-'));
  const r = await runCli('node', '--root', ROOT, '--output', `sarif=${d}/node.sarif`, '-o', 'json=-', '-o', `table=${d}/node.txt`, '-o', `json=${d}/node.json`);
  assert.equal(r.code, plain.code);
  assert.equal(r.code, 1);
  // one audit: the JSON on standard output and in the file are the same bytes, generatedAt included
  assert.equal(fs.readFileSync(`${d}/node.json`, 'utf8'), r.out);
  assert.equal((JSON.parse(fs.readFileSync(`${d}/node.sarif`, 'utf8')) as { version: string }).version, '2.1.0');
  // the table file is the table of a plain run (no terminal: no colour, the default width)
  assert.equal(fs.readFileSync(`${d}/node.txt`, 'utf8'), plain.out);
  assert.deepEqual(fs.readdirSync(d).sort(), ['node.json', 'node.sarif', 'node.txt'], 'no temporary file left');
});

test('html: the HTML writer (report/html.ts) of the same audit, one line in the registry per command', async () => {
  const d = fs.mkdtempSync(path.join(tmp, 'html-'));
  const r = await runCli('node', '--root', ROOT, '-o', `html=${d}/node.html`, '-o', 'json=-');
  assert.equal(r.code, 1);
  const html = fs.readFileSync(`${d}/node.html`, 'utf8');
  assert.equal(html, nodeHtml(JSON.parse(r.out) as NodeReport), 'the HTML of the JSON on standard output: one audit');
  assert.match(html, /^<!DOCTYPE html>/);
});

test('a bare FILE is in the -f format; with -o, standard output gets only what -o names', async () => {
  const f = path.join(tmp, 'bare.json');
  const r = await runCli('node', '--root', ROOT, '-f', 'json', '-o', f);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal((JSON.parse(fs.readFileSync(f, 'utf8')) as { schemaVersion: string }).schemaVersion, '1');
  const s = await runCli('node', '--root', ROOT, '-f', 'sarif', '--fail-on', 'none');
  assert.equal(s.code, 0);
  assert.equal((JSON.parse(s.out) as { runs: unknown[] }).runs.length, 1);
});

test('usage errors exit 2 before the audit, name the formats the command writes, and create no file', async () => {
  const d = fs.mkdtempSync(path.join(tmp, 'usage-'));
  const cases: Array<[string[], RegExp]> = [
    [['node', '--root', ROOT, '-o', `jsonl=${d}/x.jsonl`], /--output jsonl=.*: kubelet-guard node writes table, json, html, sarif, junit, markdown, not jsonl/],
    [['node', '--root', ROOT, '-o', `html5=${d}/x.html`], /kubelet-guard node writes table, json, html, sarif, junit, markdown, not html5/],
    [['node', '--root', ROOT, '-o', 'json=-', '-o', 'sarif=-'], /only one report can go to standard output/],
    [['node', '--root', ROOT, '-o', `json=${d}/same`, '-o', `sarif=${d}/same`], /is given twice/],
    [['node', '--root', ROOT, '-o', `json=${d}/missing/r.json`], /r\.json: cannot write in .*missing: no such file or directory/],
    [['node', '--root', ROOT, '-o', `json=${d}`], /not a regular file/],
    [['scan', '127.0.0.1', '--ports', '9', '-o', `xml=${d}/s.xml`], /kubelet-guard scan writes table, json, jsonl, html, sarif, junit, markdown, not xml/],
    [['cluster', '--kubeconfig', path.join(d, 'none'), '-o', `jsonl=${d}/c`], /kubelet-guard cluster writes table, json, html, sarif, junit, markdown, not jsonl/],
    [['node', '--root', ROOT, '--format', 'jsonl'], /argument 'jsonl' is invalid\. Allowed choices are table, json, html, sarif, junit, markdown/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, msg);
    assert.equal(r.out, '', 'no report');
  }
  assert.deepEqual(fs.readdirSync(d), []);
});

test('scan: jsonl stays a stream on standard output by default; -o jsonl=FILE writes it whole', async () => {
  const r = await runCli('scan', '127.0.113.250', '--ports', '9', '--connect-timeout', '200', '--no-progress', '-f', 'jsonl');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(Object.keys(JSON.parse(r.out.trim().split('\n').at(-1)!) as object), ['summary']);
  const f = path.join(tmp, 'scan.jsonl');
  const w = await runCli('scan', '127.0.113.250', '--ports', '9', '--connect-timeout', '200', '--no-progress', '-o', `jsonl=${f}`, '-o', 'table=-');
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /^kubelet-guard scan: 1 address/);
  assert.match(fs.readFileSync(f, 'utf8'), /^\{"summary":\{"targets":1,/);
});

test('--help names -o and the formats of each command', async () => {
  for (const [cmd, formats] of [['node', 'table, json, html, sarif, junit, markdown'], ['scan', 'table, json, jsonl, html, sarif, junit, markdown'], ['cluster', 'table, json, html, sarif, junit, markdown']] as const) {
    const r = await runCli(cmd, '--help');
    assert.match(r.out, /-o, --output <\[format=\]file>/);
    assert.ok(r.out.replace(/\s+/g, ' ').includes(`FORMAT (${formats})`), `${cmd}: ${r.out}`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { openOutputs } from './output-files.ts';
import { Secrets } from './secrets.ts';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kg-out-'));
const io = (secrets = new Secrets()) => ({ out: new PassThrough(), err: new PassThrough(), secrets });

test('a file is written through the output layer: registered secrets redacted, terminal-unsafe characters escaped', () => {
  const d = dir();
  const secrets = new Secrets();
  secrets.add('hunter2-the-token');
  const o = openOutputs([{ format: 'json', file: path.join(d, 'r.json') }], io(secrets));
  o.outputs[0]!.stream.write('{"a": "hunter2-the-token", "b": "x\u009b\u202ey"}\n');
  assert.equal(o.commit(), undefined);
  const text = fs.readFileSync(path.join(d, 'r.json'), 'utf8');
  assert.ok(!text.includes('hunter2'));
  assert.match(text, /<redacted>/);
  assert.equal(text.includes('\u009b') || text.includes('\u202e'), false);
  assert.equal((JSON.parse(text) as { b: string }).b, 'x\u009b\u202ey', 'JSON stays exact');
});

test('nothing reaches the target before commit; an existing file is replaced whole and keeps its mode; no temporary file is left', () => {
  const d = dir();
  const target = path.join(d, 'report.sarif');
  fs.writeFileSync(target, 'OLD REPORT, LONGER THAN THE NEW ONE\n'.repeat(100));
  fs.chmodSync(target, 0o600);
  const o = openOutputs([{ format: 'sarif', file: target }], io());
  o.outputs[0]!.stream.write('{"new":');
  assert.match(fs.readFileSync(target, 'utf8'), /^OLD REPORT/, 'half a report is never visible');
  o.outputs[0]!.stream.write('true}\n');
  assert.equal(o.commit(), undefined);
  o.abort(); // after commit: nothing to do
  assert.equal(fs.readFileSync(target, 'utf8'), '{"new":true}\n');
  assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(d), ['report.sarif']);
});

test('abort (an error, an exception) leaves the target as it was and removes the temporary file', () => {
  const d = dir();
  const target = path.join(d, 'r.json');
  fs.writeFileSync(target, 'previous');
  const o = openOutputs([{ format: 'json', file: target }, { format: 'table', file: undefined }], io());
  o.outputs[0]!.stream.write('partial');
  o.abort();
  assert.equal(fs.readFileSync(target, 'utf8'), 'previous');
  assert.deepEqual(fs.readdirSync(d), ['r.json']);
});

test('a folder that does not exist, or a target that is a folder, fails at open, naming the file; nothing is created', () => {
  const d = dir();
  assert.throws(() => openOutputs([{ format: 'json', file: path.join(d, 'nope', 'r.json') }], io()), /r\.json: cannot write in .*nope: no such file or directory/);
  fs.mkdirSync(path.join(d, 'sub'));
  const good = path.join(d, 'good.json');
  assert.throws(() => openOutputs([{ format: 'json', file: good }, { format: 'sarif', file: path.join(d, 'sub') }], io()), /sub: not a regular file/);
  assert.deepEqual(fs.readdirSync(d).sort(), ['sub'], 'the first file opened was dropped too');
});

test('a temporary name planted as a symlink is never followed (O_EXCL): each open makes a fresh name', () => {
  const d = dir();
  const a = openOutputs([{ format: 'json', file: path.join(d, 'r.json') }], io());
  const b = openOutputs([{ format: 'json', file: path.join(d, 'r.json') }], io());
  assert.equal(fs.readdirSync(d).filter((n) => n.endsWith('.tmp')).length, 2);
  a.abort();
  b.abort();
  assert.deepEqual(fs.readdirSync(d), []);
});

test('a process that exits in the middle (process.exit skips finally) leaves no temporary file and the target untouched', () => {
  const d = dir();
  const target = path.join(d, 'r.json');
  fs.writeFileSync(target, 'previous');
  const script = `import { openOutputs } from ${JSON.stringify(new URL('./output-files.ts', import.meta.url).href)};
    const o = openOutputs([{ format: 'json', file: ${JSON.stringify(target)} }], { out: process.stdout, err: process.stderr });
    o.outputs[0].stream.write('half a report');
    process.exit(141);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 141, r.stderr);
  assert.deepEqual(fs.readdirSync(d), ['r.json']);
  assert.equal(fs.readFileSync(target, 'utf8'), 'previous');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FORMATS, formatsOf, selectOutputs } from './formats.ts';

test('no -o: the -f format to standard output, as always', () => {
  assert.deepEqual(selectOutputs('node', 'table', undefined), [{ format: 'table', file: undefined }]);
  assert.deepEqual(selectOutputs('scan', 'jsonl', []), [{ format: 'jsonl', file: undefined }]);
});

test('-o FORMAT=FILE, FORMAT=-, a bare FILE in the -f format, - alone', () => {
  assert.deepEqual(selectOutputs('node', 'json', ['sarif=node.sarif', 'json=-', 'out.json']), [
    { format: 'sarif', file: 'node.sarif' }, { format: 'json', file: undefined }, { format: 'json', file: 'out.json' },
  ]);
  assert.deepEqual(selectOutputs('cluster', 'sarif', ['-']), [{ format: 'sarif', file: undefined }]);
  // a file whose name holds "=" after a path: not a format
  assert.deepEqual(selectOutputs('node', 'json', ['./a=b.json', 'dir/x=y']), [{ format: 'json', file: './a=b.json' }, { format: 'json', file: 'dir/x=y' }]);
  assert.deepEqual(selectOutputs('node', 'json', ['sarif=a=b']), [{ format: 'sarif', file: 'a=b' }]);
});

test('a format the command cannot write is a usage error naming the ones it can', () => {
  assert.deepEqual(selectOutputs('node', 'json', ['jsonl=x']), { error: `--output jsonl=x: kubelet-guard node writes ${formatsOf('node').join(', ')}, not jsonl` });
  assert.match((selectOutputs('cluster', 'json', ['xml=r.xml']) as { error: string }).error, /kubelet-guard cluster writes table, json, html, sarif.*not xml/);
  assert.match((selectOutputs('node', 'jsonl', undefined) as { error: string }).error, /--format jsonl: kubelet-guard node writes/);
});

test('one report at most on standard output; a file at most once; a name is needed', () => {
  assert.match((selectOutputs('node', 'json', ['json=-', 'sarif=-']) as { error: string }).error, /only one report can go to standard output \(json and sarif/);
  assert.match((selectOutputs('node', 'json', ['-', 'table=-']) as { error: string }).error, /only one/);
  assert.match((selectOutputs('node', 'json', ['sarif=r.out', `json=${path.resolve('r.out')}`]) as { error: string }).error, /r\.out is given twice/);
  assert.match((selectOutputs('node', 'json', ['sarif=']) as { error: string }).error, /no file name \(use sarif=- for standard output\)/);
});

test('the registry: every command writes table, json, html, sarif, junit and markdown; streamed formats have no writer', () => {
  for (const c of ['node', 'scan', 'cluster'] as const) for (const f of ['table', 'json', 'html', 'sarif', 'junit', 'markdown']) assert.ok(f in FORMATS[c], `${c} ${f}`);
  assert.equal('write' in FORMATS.scan.jsonl, false);
  assert.equal('write' in FORMATS.cluster.json, false);
});

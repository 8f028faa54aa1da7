// The command line itself: what it does with no command, an unknown one, --help and --version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli.ts';

test('no command: the help on standard error, exit 2 (nothing was audited)', async () => {
  const r = await runCli();
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^Usage: kubelet-guard \[options\] \[command\]/);
  assert.match(r.err, /\n {2}node \[options\]/);
});

test('an unknown command: exit 2 with the usage hint; --help and --version: exit 0 on standard output', async () => {
  const bad = await runCli('bogus');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command 'bogus'/);
  const help = await runCli('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: kubelet-guard/);
  const version = await runCli('--version');
  assert.equal(version.code, 0);
  assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
});

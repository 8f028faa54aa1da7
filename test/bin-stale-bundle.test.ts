// The bin in a checkout never runs a bundle older than the sources (`npm ci` does not build, and a
// pull or a checkout after the last build would run yesterday's code, or crash on a missing export).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './support/tmp.ts';

function checkout(): string {
  const dir = tempDir('kg-bin-');
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'src', 'report'), { recursive: true });
  fs.copyFileSync('bin/kubelet-guard.js', path.join(dir, 'bin', 'kubelet-guard.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  const says = (what: string) => `export async function runProcess() { process.stdout.write('${what}'); }\n`;
  fs.writeFileSync(path.join(dir, 'dist', 'kubelet-guard.js'), says('bundle'));
  fs.writeFileSync(path.join(dir, 'src', 'cli.ts'), says('sources'));
  fs.writeFileSync(path.join(dir, 'src', 'report', 'table.ts'), 'export {};\n');
  return dir;
}

const run = (dir: string) => spawnSync(process.execPath, [path.join(dir, 'bin', 'kubelet-guard.js')], { encoding: 'utf8' }).stdout;
const age = (file: string, seconds: number) => {
  const t = new Date(Date.now() - seconds * 1000);
  fs.utimesSync(file, t, t);
};

test('a checkout runs its bundle when it is newer than every source file', () => {
  const dir = checkout();
  for (const f of ['src/cli.ts', 'src/report/table.ts']) age(path.join(dir, f), 60);
  assert.equal(run(dir), 'bundle');
});

test('a checkout runs its sources when any source file, however deep, is newer than the bundle', () => {
  const dir = checkout();
  age(path.join(dir, 'dist', 'kubelet-guard.js'), 60);
  age(path.join(dir, 'src', 'cli.ts'), 120);
  assert.equal(run(dir), 'sources', 'src/report/table.ts is newer');
});

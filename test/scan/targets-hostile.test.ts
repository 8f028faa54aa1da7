// Hostile and huge targets lists, measured in a child (wall time and peak RSS): a file of 5 million
// lines is streamed into the plan, never held (issue 9, class 5); a device is never opened and
// /dev/zero on standard input ends at once (class 4). Loopback only: every address in these files is
// in 127.0.0.0/8, and the one CLI run probes a port nothing listens on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { CLI, measureScript, runMeasured } from '../support/measured.ts';

const READER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'read-targets.ts');
const LINES = 5_000_000;
const MIB_LIMIT = 500;
let dir = '';

/** Writes `lines` lines made by `line(i)`, 100,000 at a time. */
function writeLines(file: string, lines: number, line: (i: number) => string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < lines; i += 100_000) {
      const block: string[] = [];
      for (let j = i; j < Math.min(lines, i + 100_000); j++) block.push(line(j));
      fs.writeSync(fd, block.join('\n') + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
}

const loopback = (n: number): string => `127.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-targets-'));
  // 5 million distinct loopback addresses (every third one of 127.0.0.0/8), with ranges and comments
  writeLines(path.join(dir, 'distinct.txt'), LINES, (i) => (i % 10 === 0 ? `${loopback(3 * i)}-${(3 * i) & 255} # node ${i}` : loopback(3 * i)));
  // 5 million lines that all name the same four loopback addresses
  writeLines(path.join(dir, 'few.txt'), LINES, (i) => ['127.0.0.1', '127.0.0.1-4', '127.0.0.2/31, 127.0.0.3 # a comment'][i % 3]!);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('5 million distinct loopback targets: streamed into the plan, counted and walked in bounded memory', async () => {
  const r = await measureScript(READER, [`@${path.join(dir, 'distinct.txt')}`], { killAfterMs: 120_000 });
  assert.equal(r.killed, false, `killed after ${Math.round(r.ms)} ms`);
  assert.equal(r.code, 0, r.err + r.out);
  assert.deepEqual(JSON.parse(r.out), { count: String(LINES), walked: LINES });
  assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < MIB_LIMIT, `peak RSS ${r.peakRssMiB} MiB`);
  console.log(`distinct: ${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMiB)} MiB`);
});

test('scan @FILE of 5 million lines naming four loopback addresses: four probes, bounded memory', async () => {
  const r = await runMeasured(['scan', `@${path.join(dir, 'few.txt')}`, '--ports', '9', '--connect-timeout', '200', '--timeout', '200', '--format', 'jsonl', '--no-progress'], { killAfterMs: 120_000 });
  assert.equal(r.killed, false, `killed after ${Math.round(r.ms)} ms`);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}').summary;
  assert.equal(summary.targets, 4); // a number (the JSON contract: numbers are numbers)
  assert.equal(summary.probes, 4);
  assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < MIB_LIMIT, `peak RSS ${r.peakRssMiB} MiB`);
  console.log(`few: ${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMiB)} MiB`);
});

test('scan without --allow-large-sweep stops reading at the line that passes the guard', async () => {
  const r = await runMeasured(['scan', `@${path.join(dir, 'distinct.txt')}`, '--no-progress'], { killAfterMs: 30_000 });
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /distinct\.txt:\d+: the targets cover at least 65,537 addresses, more than 65,536 \(an IPv4 \/16\): pass --allow-large-sweep/);
  assert.ok(r.ms < 10_000, `took ${Math.round(r.ms)} ms`);
});

test('/dev/zero: refused as a device by name, ended at once on standard input', async () => {
  const named = await runMeasured(['scan', '@/dev/zero', '--no-progress'], { killAfterMs: 10_000 });
  assert.equal(named.killed, false);
  assert.equal(named.code, 2);
  assert.match(named.err, /\/dev\/zero: cannot read: is a character device, not a file of targets/);
  // `scan - < /dev/zero`: the device itself as standard input, read until the first chunk
  const zero = fs.openSync('/dev/zero', 'r');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'scan', '-', '--no-progress'], { stdio: [zero, 'pipe', 'pipe'], timeout: 10_000, encoding: 'utf8' });
    assert.equal(r.signal, null, `killed after ${Math.round(performance.now() - t0)} ms`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /stdin:1: a NUL byte: binary data, not a list of targets/);
  } finally {
    fs.closeSync(zero);
  }
  const line = await runMeasured(['scan', '--targets-file', '-', '--no-progress'], { killAfterMs: 10_000, stdin: 'a'.repeat(1 << 20) });
  assert.equal(line.code, 2);
  assert.match(line.err, /stdin:1: line longer than 4096 bytes; expected one target a line/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLocalFile, statLocalFile } from './local-file.ts';

test('readLocalFile: regular files and FIFOs are read; devices and directories refused by type, never opened; size capped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-local-'));
  try {
    fs.writeFileSync(path.join(dir, 'token'), 'abc\n');
    assert.equal(readLocalFile(path.join(dir, 'token')), 'abc\n');
    assert.throws(() => readLocalFile('/dev/zero'), /^Error: is a character device, expected a regular file \(devices are never opened\)$/);
    assert.throws(() => readLocalFile(dir), /^Error: is a directory, expected a regular file$/);
    fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(2048, 'a'));
    assert.throws(() => readLocalFile(path.join(dir, 'big'), 1024), /is 2048 bytes, more than the 1024 expected/);
    assert.throws(() => readLocalFile(path.join(dir, 'missing')), /ENOENT/);
    // a FIFO (`--token-file <(cmd)`): read to its end, within the cap
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf 'from-a-pipe' > '${fifo}'`]);
    assert.equal(readLocalFile(fifo), 'from-a-pipe');
    await new Promise((resolve) => writer.on('close', resolve));
    const endless = spawn('sh', ['-c', `exec yes > '${fifo}'`]); // exec: the kill below ends yes itself
    endless.on('error', () => {});
    assert.throws(() => readLocalFile(fifo, 1024 * 1024), /is more than the 1048576 bytes expected/);
    endless.kill();
    // a FIFO nothing writes to (a new one: yes may still hold the first until SIGPIPE): opened without blocking, given up within about a second
    const lonely = path.join(dir, 'lonely');
    execFileSync('mkfifo', [lonely]);
    const t0 = Date.now();
    assert.throws(() => readLocalFile(lonely), /^Error: is a FIFO that nothing wrote to within 1000 ms \(no writer\)$/);
    assert.ok(Date.now() - t0 < 3000);
    assert.throws(() => statLocalFile(lonely, 1024, { fifo: false }), /^Error: is a FIFO, expected a regular file$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Fault injection for src/fix/safe-write.ts (issue 12 item 4): a child applies a plan of several
// files (0 bytes to 3 MiB, growing and shrinking) and SIGKILLs itself before each step in turn,
// covering every step (a kill between two steps is the same as a kill before the later one; inside
// a step the kernel does the work: write(2) and rename(2) either happen or not for our purposes,
// and a half-written temp is only ever a temp). After each kill every file must be byte for byte
// wholly old or wholly new, with its mode, and anything else in the folder a temp of ours or a
// whole backup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isStrayTemp } from '../src/fix/safe-write.ts';

const child = fileURLToPath(new URL('./support/safe-write-child.ts', import.meta.url));
const MiB = 1024 * 1024;

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

// name -> [old, new]
const files: Record<string, [Buffer, Buffer]> = {
  'a-empty.conf': [bytes(0, 1), bytes(5000, 2)],
  'b-one.conf': [bytes(1, 3), bytes(0, 4)],
  'c-mid.conf': [bytes(100_003, 5), bytes(2.5 * MiB, 6)],
  'd-big.conf': [bytes(3 * MiB + 7, 7), bytes(17, 8)],
};

function setup(): { root: string; fresh: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-kill-'));
  const dir = path.join(root, 'etc/kubernetes');
  const fresh = path.join(root, 'new');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(fresh);
  for (const [name, [old, neu]] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), old, { mode: 0o640 });
    fs.chmodSync(path.join(dir, name), 0o640);
    fs.writeFileSync(path.join(fresh, name), neu);
  }
  return { root, fresh, dir };
}

function run(root: string, fresh: string, killAt?: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, KG_ROOT: root, KG_NEW: fresh };
  if (killAt !== undefined) env.KG_KILL_AT = String(killAt);
  return spawnSync(process.execPath, [child], { env, encoding: 'utf8' });
}

test('kill -9 before every step: each file wholly old or wholly new, no byte lost', () => {
  const first = setup();
  const done = run(first.root, first.fresh);
  assert.equal(done.status, 0, done.stderr);
  const steps = Number(done.stdout.trim());
  assert.ok(steps > 40, `only ${steps} steps`);
  for (const [name, [, neu]] of Object.entries(files)) assert.ok(fs.readFileSync(path.join(first.dir, name)).equals(neu), name);
  fs.rmSync(first.root, { recursive: true });

  const seen = { old: 0, new: 0, temps: 0 };
  for (let k = 0; k < steps; k++) {
    const { root, fresh, dir } = setup();
    const r = run(root, fresh, k);
    assert.equal(r.signal, 'SIGKILL', `step ${k}: ${r.stderr}`);
    for (const [name, [old, neu]] of Object.entries(files)) {
      const got = fs.readFileSync(path.join(dir, name));
      const isOld = got.equals(old);
      assert.ok(isOld || got.equals(neu), `step ${k}: ${name} is neither old nor new (${got.length} bytes)`);
      seen[isOld ? 'old' : 'new']++;
      assert.equal(fs.statSync(path.join(dir, name)).mode & 0o7777, 0o640, `step ${k}: ${name} mode`);
    }
    for (const extra of fs.readdirSync(dir).filter((n) => !(n in files))) {
      if (isStrayTemp(extra)) {
        seen.temps++;
        continue;
      }
      const m = /^(.+)\.kubelet-guard-20261206140509\.bak$/.exec(extra);
      assert.ok(m && m[1]! in files, `step ${k}: unexpected file ${extra}`);
      assert.ok(fs.readFileSync(path.join(dir, extra)).equals(files[m[1]!]![0]), `step ${k}: backup ${extra} is not whole`);
    }
    fs.rmSync(root, { recursive: true });
  }
  // the kills landed on both sides of the renames and left temps behind
  assert.ok(seen.old > 0 && seen.new > 0 && seen.temps > 0, JSON.stringify(seen));
});

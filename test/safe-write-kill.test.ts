// Fault injection for src/fix/safe-write.ts (issue 12 item 4): a child applies a plan of edited
// files (0 bytes to 3 MiB, growing and shrinking, one with a new owner), a created file, a file mode
// change and a folder mode (and, as root, owner) change, and SIGKILLs itself before each step in
// turn, covering every step (a kill between two steps is the same as a kill before the later one;
// inside a step the kernel does the work: write(2), rename(2), link(2), fchmod(2) either happen or
// not for our purposes, and a half-written temp is only ever a temp). After each kill every edited
// file must be byte for byte wholly old or wholly new, with the mode and owner that go with its
// content; the created file absent or whole (with its mode and owner); each mode and owner the old
// or the new; and anything else in the tree a temp of ours or a whole backup.
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
const isRoot = process.getuid?.() === 0;
const me = { uid: process.getuid!(), gid: process.getgid!() };

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

// edited files under /etc/kubernetes: name -> [old, new]
const files: Record<string, [Buffer, Buffer]> = {
  'a-empty.conf': [bytes(0, 1), bytes(5000, 2)],
  'b-one.conf': [bytes(1, 3), bytes(0, 4)],
  'c-mid.conf': [bytes(100_003, 5), bytes(2.5 * MiB, 6)],
  'd-big.conf': [bytes(3 * MiB + 7, 7), bytes(17, 8)],
};
// b-one.conf gets a new owner (as root: another uid and gid; otherwise our own, which still runs the steps)
const bOwner = isRoot ? { uid: 1234, gid: 5678 } : me;
const created = { node: '/etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf', bytes: bytes(MiB + 3, 9), mode: 0o600, owner: isRoot ? { uid: 2222, gid: 3333 } : me };
const kubeconfig = { node: '/etc/kubernetes/kubelet.conf', bytes: bytes(300, 10), old: 0o644, new: 0o600 };
const etcd = { node: '/var/lib/etcd', old: 0o755, new: 0o700, owner: isRoot ? { uid: 1234, gid: 1234 } : me };

function setup(): { root: string; plan: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-kill-'));
  const dir = path.join(root, 'etc/kubernetes');
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-kill-new-'));
  fs.mkdirSync(path.join(dir, 'kubelet.conf.d'), { recursive: true });
  fs.mkdirSync(path.join(root, etcd.node), { recursive: true });
  fs.chmodSync(path.join(root, etcd.node), etcd.old);
  fs.writeFileSync(path.join(root, etcd.node, 'member'), 'data');
  fs.writeFileSync(path.join(root, kubeconfig.node), kubeconfig.bytes);
  fs.chmodSync(path.join(root, kubeconfig.node), kubeconfig.old);
  const writes: object[] = [];
  for (const [name, [old, neu]] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), old);
    fs.chmodSync(path.join(dir, name), 0o640);
    fs.writeFileSync(path.join(fresh, name), neu);
    writes.push({ path: `/etc/kubernetes/${name}`, contentFile: path.join(fresh, name), ...(name === 'b-one.conf' ? bOwner : {}) });
  }
  fs.writeFileSync(path.join(fresh, 'created'), created.bytes);
  // the create sits between the edits, so kills land on both sides of it with edits pending
  writes.splice(2, 0, { path: created.node, contentFile: path.join(fresh, 'created'), create: true, mode: created.mode, ...created.owner });
  const attrs = [{ path: kubeconfig.node, mode: kubeconfig.new }, { path: etcd.node, mode: etcd.new, ...etcd.owner }];
  const plan = path.join(fresh, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ writes, attrs }));
  return { root, plan, dir };
}

function run(root: string, plan: string, killAt?: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, KG_ROOT: root, KG_PLAN: plan };
  if (killAt !== undefined) env.KG_KILL_AT = String(killAt);
  return spawnSync(process.execPath, [child], { env, encoding: 'utf8' });
}

/** Every name in the tree, relative to root, folders with a trailing slash. */
function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(r + '/', ...walk(root, r));
    else out.push(r);
  }
  return out;
}

const owner = (p: string) => ({ uid: fs.statSync(p).uid, gid: fs.statSync(p).gid });
const mode = (p: string) => fs.statSync(p).mode & 0o7777;

test('kill -9 before every step: each file wholly old or new, a create absent or whole, each mode/owner old or new', () => {
  const first = setup();
  const done = run(first.root, first.plan);
  assert.equal(done.status, 0, done.stderr);
  const steps = Number(done.stdout.trim());
  assert.ok(steps > 60, `only ${steps} steps`);
  for (const [name, [, neu]] of Object.entries(files)) assert.ok(fs.readFileSync(path.join(first.dir, name)).equals(neu), name);
  assert.ok(fs.readFileSync(path.join(first.root, created.node)).equals(created.bytes));
  assert.equal(mode(path.join(first.root, kubeconfig.node)), kubeconfig.new);
  assert.equal(mode(path.join(first.root, etcd.node)), etcd.new);
  fs.rmSync(first.root, { recursive: true });
  fs.rmSync(path.dirname(first.plan), { recursive: true });

  const seen = { old: 0, new: 0, temps: 0, createdAbsent: 0, createdWhole: 0, kcOld: 0, kcNew: 0, etcdOld: 0, etcdNew: 0 };
  for (let k = 0; k < steps; k++) {
    const { root, plan, dir } = setup();
    const r = run(root, plan, k);
    assert.equal(r.signal, 'SIGKILL', `step ${k}: ${r.stderr}`);
    for (const [name, [old, neu]] of Object.entries(files)) {
      const f = path.join(dir, name);
      const got = fs.readFileSync(f);
      const isOld = got.equals(old);
      assert.ok(isOld || got.equals(neu), `step ${k}: ${name} is neither old nor new (${got.length} bytes)`);
      seen[isOld ? 'old' : 'new']++;
      assert.equal(mode(f), 0o640, `step ${k}: ${name} mode`);
      // the owner goes with the content: old content, old owner (ours); new content, the planned one
      assert.deepEqual(owner(f), name === 'b-one.conf' && !isOld ? bOwner : me, `step ${k}: ${name} owner`);
    }
    // the created file: absent, or whole with its mode and owner (never partial under its name)
    const c = path.join(root, created.node);
    if (fs.existsSync(c)) {
      assert.ok(fs.readFileSync(c).equals(created.bytes), `step ${k}: the created file is not whole`);
      assert.deepEqual([mode(c), owner(c)], [created.mode, created.owner], `step ${k}: the created file's mode/owner`);
      seen.createdWhole++;
    } else seen.createdAbsent++;
    // attribute changes: each old or new; content and inode kept
    const kc = path.join(root, kubeconfig.node);
    assert.ok([kubeconfig.old, kubeconfig.new].includes(mode(kc)), `step ${k}: kubeconfig mode ${mode(kc).toString(8)}`);
    seen[mode(kc) === kubeconfig.old ? 'kcOld' : 'kcNew']++;
    assert.ok(fs.readFileSync(kc).equals(kubeconfig.bytes), `step ${k}: kubeconfig content`);
    const ed = path.join(root, etcd.node);
    assert.ok([etcd.old, etcd.new].includes(mode(ed)), `step ${k}: etcd mode ${mode(ed).toString(8)}`);
    const eo = owner(ed);
    assert.ok([JSON.stringify(me), JSON.stringify(etcd.owner)].includes(JSON.stringify(eo)), `step ${k}: etcd owner ${JSON.stringify(eo)}`);
    // chown comes before chmod: a new mode never sits with the old owner
    if (mode(ed) === etcd.new) assert.deepEqual(eo, etcd.owner, `step ${k}: etcd mode changed before its owner`);
    seen[mode(ed) === etcd.old ? 'etcdOld' : 'etcdNew']++;
    // nothing else in the tree but temps of ours and whole backups of the edited files
    const expected = new Set(['etc/', 'etc/kubernetes/', 'etc/kubernetes/kubelet.conf.d/', 'etc/kubernetes/kubelet.conf', 'var/', 'var/lib/', 'var/lib/etcd/', 'var/lib/etcd/member', created.node.slice(1), ...Object.keys(files).map((n) => `etc/kubernetes/${n}`)]);
    for (const extra of walk(root).filter((n) => !expected.has(n))) {
      if (isStrayTemp(path.basename(extra))) {
        seen.temps++;
        continue;
      }
      const m = /^etc\/kubernetes\/(.+)\.kubelet-guard-20261206140509\.bak$/.exec(extra);
      assert.ok(m && m[1]! in files, `step ${k}: unexpected file ${extra}`);
      assert.ok(fs.readFileSync(path.join(root, extra)).equals(files[m[1]!]![0]), `step ${k}: backup ${extra} is not whole`);
      assert.deepEqual(owner(path.join(root, extra)), me, `step ${k}: backup ${extra} owner`);
    }
    fs.rmSync(root, { recursive: true });
    fs.rmSync(path.dirname(plan), { recursive: true });
  }
  // the kills landed on both sides of every rename, link and mode change, and left temps behind
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `${k}: ${JSON.stringify(seen)}`);
});

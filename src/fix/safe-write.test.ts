import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { applyWrites, isStrayTemp } from './safe-write.ts';

const now = new Date(Date.UTC(2026, 11, 6, 14, 5, 9));
const isRoot = process.getuid?.() === 0;

function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-safe-write-'));
  fs.mkdirSync(path.join(root, 'etc/kubernetes'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'old a\n', { mode: 0o640 });
  fs.writeFileSync(path.join(root, 'etc/kubernetes/b.conf'), 'old b\n', { mode: 0o600 });
  fs.chmodSync(path.join(root, 'etc/kubernetes/a.conf'), 0o640);
  return root;
}
const names = (dir: string) => fs.readdirSync(dir).sort();

test('writes each file, keeps mode, backs up as FILE.kubelet-guard-YYYYMMDDHHMMSS.bak', () => {
  const root = tree();
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'new a\n' }, { path: '/etc/kubernetes/b.conf', content: Buffer.from('new b\n'), mode: 0o644 }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  const dir = path.join(root, 'etc/kubernetes');
  assert.equal(fs.readFileSync(path.join(dir, 'a.conf'), 'utf8'), 'new a\n');
  assert.equal(fs.statSync(path.join(dir, 'a.conf')).mode & 0o7777, 0o640);
  assert.equal(fs.statSync(path.join(dir, 'b.conf')).mode & 0o7777, 0o644);
  assert.deepEqual(names(dir), ['a.conf', 'a.conf.kubelet-guard-20261206140509.bak', 'b.conf', 'b.conf.kubelet-guard-20261206140509.bak']);
  assert.equal(fs.readFileSync(path.join(dir, 'a.conf.kubelet-guard-20261206140509.bak'), 'utf8'), 'old a\n');
  // the backup keeps the original's mode (it may hold secrets)
  assert.equal(fs.statSync(path.join(dir, 'a.conf.kubelet-guard-20261206140509.bak')).mode & 0o7777, 0o640);
  assert.equal(r.written[0]!.backup, path.join(dir, 'a.conf.kubelet-guard-20261206140509.bak'));
});

test('owner kept on the new file and the backup', { skip: isRoot ? false : 'chown to another uid needs root' }, () => {
  const root = tree();
  const f = path.join(root, 'etc/kubernetes/a.conf');
  fs.chownSync(f, 1234, 5678);
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'x' }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  for (const p of [f, r.written[0]!.backup]) {
    const st = fs.statSync(p);
    assert.deepEqual([st.uid, st.gid], [1234, 5678], p);
  }
});

test('backupDir mirrors the node path', () => {
  const root = tree();
  const bdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-backups-'));
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }], { root, now, backupDir: bdir });
  assert.ok(r.ok, JSON.stringify(r));
  const b = path.join(bdir, 'etc/kubernetes/a.conf.kubelet-guard-20261206140509.bak');
  assert.equal(r.written[0]!.backup, b);
  assert.equal(fs.readFileSync(b, 'utf8'), 'old a\n');
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
});

test('a symlink is edited where it points, inside the root; the link stays a link', () => {
  const root = tree();
  fs.mkdirSync(path.join(root, 'var/lib/kubelet'), { recursive: true });
  fs.writeFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), 'old');
  // absolute target: a node path, so it resolves under the root (as in a chroot), not on the host
  fs.symlinkSync('/var/lib/kubelet/config.yaml', path.join(root, 'etc/kubernetes/link.yaml'));
  const r = applyWrites([{ path: '/etc/kubernetes/link.yaml', content: 'new' }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.written[0]!.target, '/var/lib/kubelet/config.yaml');
  assert.ok(fs.lstatSync(path.join(root, 'etc/kubernetes/link.yaml')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), 'utf8'), 'new');
});

test('a link climbing out of the root never reaches the host file', () => {
  const root = tree();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-outside-'));
  fs.writeFileSync(path.join(outside, 'victim'), 'host file');
  const rel = path.relative(path.join(root, 'etc/kubernetes'), path.join(outside, 'victim'));
  fs.symlinkSync(rel, path.join(root, 'etc/kubernetes/escape.conf'));
  const r = applyWrites([{ path: '/etc/kubernetes/escape.conf', content: 'pwned' }, { path: '/etc/kubernetes/a.conf', content: 'n' }], { root, now });
  assert.equal(r.ok, false);
  assert.equal(fs.readFileSync(path.join(outside, 'victim'), 'utf8'), 'host file');
  assert.deepEqual(names(outside), ['victim']);
  assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
  // a folder swapped for a link to the host is refused the same way
  fs.symlinkSync(outside, path.join(root, 'etc/out'));
  const r2 = applyWrites([{ path: '/etc/out/victim', content: 'pwned' }], { root, now });
  assert.equal(r2.ok, false);
  assert.equal(fs.readFileSync(path.join(outside, 'victim'), 'utf8'), 'host file');
});

test('non-regular targets are refused: folder, FIFO, device', () => {
  const root = tree();
  fs.mkdirSync(path.join(root, 'etc/kubernetes/dir'));
  execFileSync('mkfifo', [path.join(root, 'etc/kubernetes/fifo')]);
  fs.symlinkSync('/dev/null', path.join(root, 'etc/kubernetes/dev-link'));
  const cases: [string, RegExp][] = [['/etc/kubernetes/dir', /folder/], ['/etc/kubernetes/fifo', /FIFO/], ['/etc/kubernetes/missing', /./]];
  if (isRoot) {
    fs.mkdirSync(path.join(root, 'dev'));
    execFileSync('mknod', [path.join(root, 'dev/null'), 'c', '1', '3']);
    cases.push(['/etc/kubernetes/dev-link', /device/]);
  }
  for (const [p, why] of cases) {
    const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: p, content: 'x' }], { root, now });
    assert.equal(r.ok, false, p);
    if (!r.ok) {
      assert.equal(r.file, p);
      assert.match(r.error, why, p);
    }
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
  }
  assert.ok(!names(path.join(root, 'etc/kubernetes')).some((n) => n.includes('kubelet-guard')));
});

test('the same file twice in a plan is refused', () => {
  const root = tree();
  fs.symlinkSync('a.conf', path.join(root, 'etc/kubernetes/alias'));
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: '1' }, { path: '/etc/kubernetes/alias', content: '2' }], { root, now });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /twice/);
});

test('a failure at any step of phase 1 leaves every file unchanged and nothing behind', () => {
  // Collect the steps of a successful run, then fail each one in turn.
  const steps: [string, string][] = [];
  applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: '/etc/kubernetes/b.conf', content: 'n' }], { root: tree(), now, hook: (s, f) => steps.push([s, f]) });
  const phase1 = steps.slice(0, steps.findIndex(([s]) => s === 'rename'));
  assert.ok(phase1.length > 20, String(phase1.length));
  for (let i = 0; i < phase1.length; i++) {
    const root = tree();
    let n = 0;
    const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: '/etc/kubernetes/b.conf', content: 'n' }], {
      root,
      now,
      hook: () => {
        if (n++ === i) throw new Error('injected');
      },
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.file, r.step, r.error], [phase1[i]![1], phase1[i]![0], 'injected']);
    assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf'], `step ${i}`);
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/b.conf'), 'utf8'), 'old b\n');
  }
});

test('a read-only folder for the second file: nothing written, the reason names file and step', { skip: isRoot ? 'root writes to a read-only folder' : false }, () => {
  const root = tree();
  fs.mkdirSync(path.join(root, 'ro'));
  fs.writeFileSync(path.join(root, 'ro/c.conf'), 'old c');
  fs.chmodSync(path.join(root, 'ro'), 0o555);
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: '/ro/c.conf', content: 'n' }], { root, now });
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual([r.file, r.step], ['/ro/c.conf', 'backup-open']);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
});

test('an edit made between reading and replacing is not overwritten', () => {
  const root = tree();
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }], {
    root,
    now,
    hook: (s) => {
      if (s === 'recheck') fs.appendFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'edit');
    },
  });
  assert.equal(r.ok, false);
  assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\nedit');
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
});

test('a failure in phase 2 says how many files were replaced; no temp left, backups kept', () => {
  const root = tree();
  let renames = 0;
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'new a\n' }, { path: '/etc/kubernetes/b.conf', content: 'new b\n' }], {
    root,
    now,
    hook: (s) => {
      if (s === 'rename' && renames++ === 1) throw new Error('injected');
    },
  });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual([r.file, r.step, r.written.map((w) => w.path)], ['/etc/kubernetes/b.conf', 'rename', ['/etc/kubernetes/a.conf']]);
    assert.match(r.error, /1 of 2 files were replaced/);
  }
  const dir = path.join(root, 'etc/kubernetes');
  assert.equal(fs.readFileSync(path.join(dir, 'a.conf'), 'utf8'), 'new a\n');
  assert.equal(fs.readFileSync(path.join(dir, 'b.conf'), 'utf8'), 'old b\n');
  assert.deepEqual(names(dir), ['a.conf', 'a.conf.kubelet-guard-20261206140509.bak', 'b.conf', 'b.conf.kubelet-guard-20261206140509.bak']);
});

test('an existing backup of the same second is never replaced', () => {
  const root = tree();
  const bak = path.join(root, 'etc/kubernetes/a.conf.kubelet-guard-20261206140509.bak');
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }], {
    root,
    now,
    hook: (s) => {
      if (s === 'backup-link') fs.writeFileSync(bak, 'earlier backup'); // appears after the early check
    },
  });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /EEXIST/);
  assert.equal(fs.readFileSync(bak, 'utf8'), 'earlier backup');
  assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'a.conf.kubelet-guard-20261206140509.bak', 'b.conf']);
});

test('stray temp names are recognisable', () => {
  assert.ok(isStrayTemp('.a.conf.kubelet-guard-123-0a1b2c3d.tmp'));
  assert.ok(!isStrayTemp('a.conf'));
  assert.ok(!isStrayTemp('a.conf.kubelet-guard-20261206140509.bak'));
});

// As root (CI) the refusals a non-root user meets are checked in a child that drops to nobody.
test('not root: another uid cannot be kept, a read-only folder fails phase 1; nothing written', { skip: isRoot ? false : 'needs root to drop to another uid' }, () => {
  const root = tree();
  fs.chmodSync(root, 0o755);
  for (const d of ['etc', 'etc/kubernetes']) fs.chmodSync(path.join(root, d), 0o777);
  fs.chmodSync(path.join(root, 'etc/kubernetes/a.conf'), 0o666);
  fs.chownSync(path.join(root, 'etc/kubernetes/a.conf'), 65534, 65534);
  fs.chownSync(path.join(root, 'etc/kubernetes/b.conf'), 1234, 1234);
  fs.chmodSync(path.join(root, 'etc/kubernetes/b.conf'), 0o644);
  fs.mkdirSync(path.join(root, 'ro'), { mode: 0o555 });
  fs.writeFileSync(path.join(root, 'ro/c.conf'), 'old c');
  fs.chownSync(path.join(root, 'ro/c.conf'), 65534, 65534);
  const mod = new URL('./safe-write.ts', import.meta.url).href;
  const script = `process.setgid(65534); process.setuid(65534);
    const { applyWrites } = await import(${JSON.stringify(mod)});
    const now = new Date();
    const out = [];
    for (const second of ['/etc/kubernetes/b.conf', '/ro/c.conf']) {
      const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: second, content: 'n' }], { root: ${JSON.stringify(root)}, now });
      out.push([r.ok, r.file, r.step, r.error]);
    }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as [boolean, string, string, string][];
  assert.deepEqual(out[0]!.slice(0, 3), [false, '/etc/kubernetes/b.conf', 'backup-chown']);
  assert.match(out[0]![3], /cannot keep the owner uid 1234 without root/);
  assert.deepEqual(out[1]!.slice(0, 3), [false, '/ro/c.conf', 'backup-open']);
  assert.match(out[1]![3], /EACCES/);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
  assert.deepEqual(names(path.join(root, 'ro')), ['c.conf']);
  assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
});

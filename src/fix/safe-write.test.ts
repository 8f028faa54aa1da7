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

test('a failure at any step of phase 1 leaves every file, create and mode unchanged and nothing behind', () => {
  // Collect the steps of a successful run (two edits, a create, a file and a folder mode), then fail each one in turn.
  const plan = [
    { path: '/etc/kubernetes/a.conf', content: 'n' },
    { path: '/etc/kubernetes/new.conf', content: 'c', create: true as const, mode: 0o600 },
    { path: '/etc/kubernetes/b.conf', content: 'n', mode: 0o644 },
  ];
  const attrs = (root: string) => {
    fs.writeFileSync(path.join(root, 'etc/kubeconfig'), 'k', { mode: 0o644 });
    fs.chmodSync(path.join(root, 'etc/kubeconfig'), 0o644);
    fs.chmodSync(path.join(root, 'etc'), 0o755);
    return [{ path: '/etc/kubeconfig', mode: 0o600 }, { path: '/etc', mode: 0o700 }];
  };
  const steps: [string, string][] = [];
  const first = tree();
  assert.ok(applyWrites(plan, { root: first, now, hook: (s, f) => steps.push([s, f]) }, attrs(first)).ok);
  const phase1 = steps.slice(0, steps.findLastIndex(([s]) => s === 'recheck') + 1);
  assert.ok(phase1.length > 30, String(phase1.length));
  for (const s of ['check-new', 'attr-check', 'attr-probe']) assert.ok(phase1.some(([x]) => x === s), s);
  for (let i = 0; i < phase1.length; i++) {
    const root = tree();
    const at = attrs(root);
    let n = 0;
    const r = applyWrites(plan, {
      root,
      now,
      hook: () => {
        if (n++ === i) throw new Error('injected');
      },
    }, at);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.file, r.step, r.error, r.written, r.created, r.attrs], [phase1[i]![1], phase1[i]![0], 'injected', [], [], []]);
    assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf'], `step ${i}`);
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/b.conf'), 'utf8'), 'old b\n');
    assert.equal(fs.statSync(path.join(root, 'etc/kubeconfig')).mode & 0o7777, 0o644);
    assert.equal(fs.statSync(path.join(root, 'etc')).mode & 0o7777, 0o755);
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

// --- creates ---

test('create: a new file in an existing folder, with its mode; no backup; the result says created', () => {
  const root = tree();
  fs.mkdirSync(path.join(root, 'etc/kubernetes/kubelet.conf.d'));
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'new a\n' }, { path: '/etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf', content: 'drop-in\n', create: true, mode: 0o600 }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  const f = path.join(root, 'etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf');
  assert.equal(fs.readFileSync(f, 'utf8'), 'drop-in\n');
  assert.equal(fs.statSync(f).mode & 0o7777, 0o600);
  assert.deepEqual(names(path.dirname(f)), ['99-kubelet-guard.conf']);
  assert.deepEqual(r.written.map((w) => w.path), ['/etc/kubernetes/a.conf']);
  assert.deepEqual(r.created, [{ path: '/etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf', target: '/etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf', attrs: { mode: 0o600, uid: process.getuid!(), gid: process.getgid!() } }]);
  assert.deepEqual(r.attrs, []);
});

test('create: a name that exists (file, dangling symlink) is refused; nothing written', () => {
  const root = tree();
  fs.symlinkSync('/nowhere', path.join(root, 'etc/kubernetes/dangling.conf'));
  for (const [p, why] of [['/etc/kubernetes/b.conf', /already exists \(a regular file\)/], ['/etc/kubernetes/dangling.conf', /already exists \(a symlink\)/]] as const) {
    const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }, { path: p, content: 'x', create: true, mode: 0o600 }], { root, now });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.deepEqual([r.file, r.step], [p, 'check-new']);
      assert.match(r.error, why);
    }
    assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf', 'dangling.conf']);
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/b.conf'), 'utf8'), 'old b\n');
  }
});

test('create: refused without a mode, in a missing folder, under a non-folder, or at a folder path', () => {
  const root = tree();
  const cases: [string, number | undefined, RegExp][] = [
    ['/etc/kubernetes/x.conf', undefined, /needs a planned mode/],
    ['/etc/missing/x.conf', 0o600, /./],
    ['/etc/kubernetes/a.conf/x', 0o600, /./],
    ['/etc/kubernetes/', 0o600, /not a path to a file/],
    ['etc/kubernetes/x.conf', 0o600, /not a path to a file/],
    ['/etc/kubernetes/..', 0o600, /not a path to a file/],
  ];
  for (const [p, mode, why] of cases) {
    const r = applyWrites([{ path: p, content: 'x', create: true, mode }], { root, now });
    assert.equal(r.ok, false, p);
    if (!r.ok) assert.match(r.error, why, p);
  }
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
  assert.deepEqual(names(path.join(root, 'etc')), ['kubernetes']);
});

test('create: a folder that is a symlink leading out of the root never reaches the host', () => {
  const root = tree();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-outside-'));
  // absolute: resolved under the root (where it does not exist); relative: `..` stops at the root
  fs.symlinkSync(outside, path.join(root, 'etc/abs'));
  fs.symlinkSync(path.relative(path.join(root, 'etc'), outside), path.join(root, 'etc/rel'));
  for (const p of ['/etc/abs/new.conf', '/etc/rel/new.conf']) {
    const r = applyWrites([{ path: p, content: 'pwned', create: true, mode: 0o644 }], { root, now });
    assert.equal(r.ok, false, p);
    assert.deepEqual(names(outside), [], p);
  }
  // inside the root, a folder symlink is followed: the file is made where it points
  fs.mkdirSync(path.join(root, 'etc/real'));
  fs.symlinkSync('/etc/real', path.join(root, 'etc/kubernetes/conf.d'));
  const r = applyWrites([{ path: '/etc/kubernetes/conf.d/new.conf', content: 'ok', create: true, mode: 0o644 }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.created[0]!.target, '/etc/real/new.conf');
  assert.equal(fs.readFileSync(path.join(root, 'etc/real/new.conf'), 'utf8'), 'ok');
  // the folder is walked as written: conf.d/.. is the link's parent, /etc, not /etc/kubernetes
  const r2 = applyWrites([{ path: '/etc/kubernetes/conf.d/../up.conf', content: 'up', create: true, mode: 0o644 }], { root, now });
  assert.ok(r2.ok, JSON.stringify(r2));
  assert.equal(r2.created[0]!.target, '/etc/up.conf');
  assert.ok(fs.existsSync(path.join(root, 'etc/up.conf')));
});

test('create: a file that appears before the link is never replaced (EEXIST), the edits before it stay made', () => {
  const root = tree();
  const f = path.join(root, 'etc/kubernetes/new.conf');
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'new a\n' }, { path: '/etc/kubernetes/new.conf', content: 'ours', create: true, mode: 0o600 }], {
    root,
    now,
    hook: (s) => {
      if (s === 'link') fs.writeFileSync(f, 'theirs');
    },
  });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual([r.step, r.created, r.written.map((w) => w.path)], ['link', [], ['/etc/kubernetes/a.conf']]);
    assert.match(r.error, /EEXIST.*1 of 1 files were replaced, 0 of 1 created/);
  }
  assert.equal(fs.readFileSync(f, 'utf8'), 'theirs');
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'a.conf.kubelet-guard-20261206140509.bak', 'b.conf', 'new.conf']);
  // a name that appears after phase 1's check but before the recheck: refused before anything changes
  const root2 = tree();
  const r2 = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'new a\n' }, { path: '/etc/kubernetes/new.conf', content: 'ours', create: true, mode: 0o600 }], {
    root: root2,
    now,
    hook: (s, file) => {
      if (s === 'recheck' && file === '/etc/kubernetes/new.conf') fs.symlinkSync('/etc/kubernetes/b.conf', path.join(root2, 'etc/kubernetes/new.conf'));
    },
  });
  assert.equal(r2.ok, false);
  if (!r2.ok) assert.match(r2.error, /exists now/);
  assert.equal(fs.readFileSync(path.join(root2, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
  assert.equal(fs.readFileSync(path.join(root2, 'etc/kubernetes/b.conf'), 'utf8'), 'old b\n');
  assert.deepEqual(names(path.join(root2, 'etc/kubernetes')), ['a.conf', 'b.conf', 'new.conf']);
});

test('create: the same name twice, or an edit and a create of one file, is refused', () => {
  const root = tree();
  const r = applyWrites([{ path: '/etc/kubernetes/n.conf', content: '1', create: true, mode: 0o600 }, { path: '/etc/kubernetes/./n.conf', content: '2', create: true, mode: 0o600 }], { root, now });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /twice/);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
});

test('create with an owner; an edit with a new owner (the backup keeps the old one)', { skip: isRoot ? false : 'chown to another uid needs root' }, () => {
  const root = tree();
  const a = path.join(root, 'etc/kubernetes/a.conf');
  fs.chownSync(a, 1234, 5678);
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'x', uid: 4321, gid: 8765 }, { path: '/etc/kubernetes/n.conf', content: 'n', create: true, mode: 0o640, uid: 1111, gid: 2222 }], { root, now });
  assert.ok(r.ok, JSON.stringify(r));
  const own = (p: string) => [fs.statSync(p).uid, fs.statSync(p).gid];
  assert.deepEqual(own(a), [4321, 8765]);
  assert.equal(fs.statSync(a).mode & 0o7777, 0o640);
  assert.deepEqual(own(r.written[0]!.backup), [1234, 5678]);
  assert.deepEqual(own(path.join(root, 'etc/kubernetes/n.conf')), [1111, 2222]);
  assert.deepEqual(r.created[0]!.attrs, { mode: 0o640, uid: 1111, gid: 2222 });
  // only the gid planned: the uid stays the original's
  const r2 = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'y', gid: 99 }], { root, now: new Date(now.getTime() + 1000) });
  assert.ok(r2.ok, JSON.stringify(r2));
  assert.deepEqual(own(a), [4321, 99]);
});

test('a mode, uid or gid that is not one is refused before anything is done', () => {
  const root = tree();
  for (const bad of [{ mode: 0o10000 }, { mode: -1 }, { mode: 1.5 }, { uid: -1 }, { gid: 0xffffffff }]) {
    const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n', ...bad }], { root, now });
    assert.equal(r.ok, false, JSON.stringify(bad));
    const r2 = applyWrites([], { root, now }, [{ path: '/etc/kubernetes/b.conf', ...bad }]);
    assert.equal(r2.ok, false, JSON.stringify(bad));
  }
  const r3 = applyWrites([], { root, now }, [{ path: '/etc/kubernetes/b.conf' }]);
  assert.match(!r3.ok ? r3.error : '', /no mode or owner/);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf']);
});

// --- attribute changes ---

test('attrs: a file mode and a folder mode change in place (same inode, content kept), before and after listed', () => {
  const root = tree();
  const kc = path.join(root, 'etc/kubernetes/a.conf');
  const data = path.join(root, 'var/lib/etcd');
  fs.mkdirSync(data, { recursive: true, mode: 0o755 });
  fs.chmodSync(data, 0o755);
  const ino = fs.statSync(kc).ino;
  const me = { uid: process.getuid!(), gid: process.getgid!() };
  const r = applyWrites([{ path: '/etc/kubernetes/b.conf', content: 'new b\n' }], { root, now }, [{ path: '/etc/kubernetes/a.conf', mode: 0o600 }, { path: '/var/lib/etcd', mode: 0o700 }]);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(fs.statSync(kc).mode & 0o7777, 0o600);
  assert.equal(fs.statSync(kc).ino, ino);
  assert.equal(fs.readFileSync(kc, 'utf8'), 'old a\n');
  assert.equal(fs.statSync(data).mode & 0o7777, 0o700);
  assert.deepEqual(r.attrs, [
    { path: '/etc/kubernetes/a.conf', target: '/etc/kubernetes/a.conf', type: 'file', before: { mode: 0o640, ...me }, after: { mode: 0o600, ...me } },
    { path: '/var/lib/etcd', target: '/var/lib/etcd', type: 'dir', before: { mode: 0o755, ...me }, after: { mode: 0o700, ...me } },
  ]);
  // no backup or temp for an attribute change
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf', 'b.conf.kubelet-guard-20261206140509.bak']);
});

test('attrs: chown etcd:etcd of a folder, chown before chmod (a setgid bit planned survives)', { skip: isRoot ? false : 'chown to another uid needs root' }, () => {
  const root = tree();
  const data = path.join(root, 'var/lib/etcd');
  fs.mkdirSync(data, { recursive: true });
  fs.chmodSync(data, 0o755);
  const f = path.join(root, 'usr/bin/tool');
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, 'bin');
  fs.chmodSync(f, 0o755);
  const r = applyWrites([], { root, now }, [{ path: '/var/lib/etcd', mode: 0o700, uid: 1234, gid: 1234 }, { path: '/usr/bin/tool', mode: 0o2755, gid: 42 }]);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual([fs.statSync(data).uid, fs.statSync(data).gid, fs.statSync(data).mode & 0o7777], [1234, 1234, 0o700]);
  assert.deepEqual([fs.statSync(f).gid, fs.statSync(f).mode & 0o7777], [42, 0o2755]);
  assert.deepEqual(r.attrs[0]!.after, { mode: 0o700, uid: 1234, gid: 1234 });
  assert.deepEqual(r.attrs[0]!.before, { mode: 0o755, uid: 0, gid: 0 });
});

test('attrs: a symlink is followed inside the root (the link stays); one put there since is refused', () => {
  const root = tree();
  fs.symlinkSync('a.conf', path.join(root, 'etc/kubernetes/link.conf'));
  const r = applyWrites([], { root, now }, [{ path: '/etc/kubernetes/link.conf', mode: 0o600 }]);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.attrs[0]!.target, '/etc/kubernetes/a.conf');
  assert.equal(fs.statSync(path.join(root, 'etc/kubernetes/a.conf')).mode & 0o7777, 0o600);
  assert.ok(fs.lstatSync(path.join(root, 'etc/kubernetes/link.conf')).isSymbolicLink());
  // between resolution and the check, and between phase 1 and phase 2, a file swapped for a symlink
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-outside-'));
  fs.writeFileSync(path.join(outside, 'victim'), 'v', { mode: 0o644 });
  fs.chmodSync(path.join(outside, 'victim'), 0o644);
  for (const at of ['attr-check', 'recheck', 'attr-open']) {
    const root2 = tree();
    const b = path.join(root2, 'etc/kubernetes/b.conf');
    const r2 = applyWrites([], {
      root: root2,
      now,
      hook: (s, file) => {
        if (s === at && file === '/etc/kubernetes/b.conf') {
          fs.rmSync(b);
          fs.symlinkSync(path.join(outside, 'victim'), b);
        }
      },
    }, [{ path: '/etc/kubernetes/a.conf', mode: 0o600 }, { path: '/etc/kubernetes/b.conf', mode: 0o666 }]);
    assert.equal(r2.ok, false, at);
    if (!r2.ok) assert.equal(r2.step, at);
    assert.equal(fs.statSync(path.join(outside, 'victim')).mode & 0o7777, 0o644, at);
    // phase 1 refusals leave a.conf as it was; a phase-2 one says a.conf was changed
    assert.equal(fs.statSync(path.join(root2, 'etc/kubernetes/a.conf')).mode & 0o7777, at === 'attr-open' ? 0o600 : 0o640, at);
    if (!r2.ok && at === 'attr-open') assert.deepEqual(r2.attrs.map((a) => a.path), ['/etc/kubernetes/a.conf']);
  }
});

test('attrs: a FIFO, a socket-like or a device is refused, never opened', () => {
  const root = tree();
  execFileSync('mkfifo', [path.join(root, 'etc/kubernetes/fifo')]);
  const cases: [string, RegExp][] = [['/etc/kubernetes/fifo', /FIFO/], ['/etc/kubernetes/missing', /./]];
  if (isRoot) {
    execFileSync('mknod', [path.join(root, 'etc/kubernetes/null'), 'c', '1', '3']);
    cases.push(['/etc/kubernetes/null', /device/]);
  }
  for (const [p, why] of cases) {
    const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }], { root, now }, [{ path: '/etc/kubernetes/b.conf', mode: 0o640 }, { path: p, mode: 0o600 }]);
    assert.equal(r.ok, false, p);
    if (!r.ok) assert.match(r.error, why, p);
    assert.equal(fs.statSync(path.join(root, 'etc/kubernetes/b.conf')).mode & 0o7777, 0o600);
    assert.equal(fs.readFileSync(path.join(root, 'etc/kubernetes/a.conf'), 'utf8'), 'old a\n');
  }
});

test('attrs: a file whose mode, owner or inode changed between phase 1 and 2 is refused', () => {
  const b = (root: string) => path.join(root, 'etc/kubernetes/b.conf');
  const changes: [string, (root: string) => void][] = [
    ['mode', (root) => fs.chmodSync(b(root), 0o604)],
    ['inode', (root) => {
      fs.writeFileSync(b(root) + '.x', 'other', { mode: 0o600 });
      fs.renameSync(b(root) + '.x', b(root));
    }],
  ];
  for (const [what, change] of changes) {
    for (const at of ['recheck', 'attr-open']) {
      const root = tree();
      const r = applyWrites([], { root, now, hook: (s) => s === at && change(root) }, [{ path: '/etc/kubernetes/b.conf', mode: 0o644 }]);
      assert.equal(r.ok, false, `${what} at ${at}`);
      if (!r.ok) assert.match(r.error, /changed|replaced/, `${what} at ${at}`);
      assert.notEqual(fs.statSync(b(root)).mode & 0o7777, 0o644, `${what} at ${at}`);
    }
  }
});

test('attrs: a plan that writes a file and changes its attributes is refused (merge them into the write)', () => {
  const root = tree();
  fs.symlinkSync('a.conf', path.join(root, 'etc/kubernetes/alias'));
  const r = applyWrites([{ path: '/etc/kubernetes/a.conf', content: 'n' }], { root, now }, [{ path: '/etc/kubernetes/alias', mode: 0o600 }]);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual([r.file, r.step], ['/etc/kubernetes/alias', 'attr-resolve']);
    assert.match(r.error, /writes \/etc\/kubernetes\/a.conf and changes its attributes/);
  }
  const r2 = applyWrites([], { root, now }, [{ path: '/etc/kubernetes/b.conf', mode: 0o600 }, { path: '/etc/kubernetes/b.conf', uid: 0 }]);
  assert.match(!r2.ok ? r2.error : '', /twice/);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'alias', 'b.conf']);
  assert.equal(fs.statSync(path.join(root, 'etc/kubernetes/a.conf')).mode & 0o7777, 0o640);
});

// As root (CI) the ownership rules an unprivileged user meets are checked in a child dropped to nobody.
test('not root: creates and mode/owner changes the kernel would refuse fail in phase 1; nothing changed', { skip: isRoot ? false : 'needs root to drop to another uid' }, () => {
  const root = tree();
  fs.chmodSync(root, 0o755);
  for (const d of ['etc', 'etc/kubernetes']) fs.chmodSync(path.join(root, d), 0o777);
  const own = (p: string, uid: number, m: number) => {
    fs.chownSync(path.join(root, p), uid, uid);
    fs.chmodSync(path.join(root, p), m);
  };
  own('etc/kubernetes/a.conf', 65534, 0o644);
  own('etc/kubernetes/b.conf', 1234, 0o644);
  fs.writeFileSync(path.join(root, 'etc/kubernetes/sgid'), 's');
  own('etc/kubernetes/sgid', 65534, 0o644);
  fs.chownSync(path.join(root, 'etc/kubernetes/sgid'), 65534, 0);
  fs.chmodSync(path.join(root, 'etc/kubernetes/sgid'), 0o2644);
  const mod = new URL('./safe-write.ts', import.meta.url).href;
  const script = `process.setgroups([]); process.setgid(65534); process.setuid(65534);
    const { applyWrites } = await import(${JSON.stringify(mod)});
    const root = ${JSON.stringify(root)};
    const now = new Date();
    const create = { path: '/etc/kubernetes/n.conf', content: 'n', create: true, mode: 0o600 };
    const out = [];
    for (const [writes, attrs] of [
      [[create], [{ path: '/etc/kubernetes/b.conf', mode: 0o600 }]],
      [[create], [{ path: '/etc/kubernetes/a.conf', uid: 1234 }]],
      [[create], [{ path: '/etc/kubernetes/a.conf', gid: 0 }]],
      [[create], [{ path: '/etc/kubernetes/sgid', mode: 0o2600 }]],
      [[{ ...create, uid: 1234 }], []],
      [[{ path: '/etc/kubernetes/a.conf', content: 'x', uid: 1234 }], []],
      [[create], [{ path: '/etc/kubernetes/a.conf', mode: 0o600 }]],
    ]) {
      const r = applyWrites(writes, { root, now }, attrs);
      out.push([r.ok, r.file, r.step, r.error, r.ok ? r.created : null, r.ok ? r.attrs : null]);
    }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as [boolean, string, string, string, unknown, unknown][];
  const want: [string, string, RegExp][] = [
    ['/etc/kubernetes/b.conf', 'attr-check', /owned by uid 1234 without root/],
    ['/etc/kubernetes/a.conf', 'attr-check', /cannot give it to uid 1234 without root/],
    ['/etc/kubernetes/a.conf', 'attr-check', /gid 0, a group this user is not in/],
    ['/etc/kubernetes/sgid', 'attr-check', /setgid/],
    ['/etc/kubernetes/n.conf', 'temp-chown', /cannot give the file to uid 1234 without root/],
    ['/etc/kubernetes/a.conf', 'temp-chown', /cannot give the file to uid 1234 without root/],
  ];
  want.forEach(([file, step, why], i) => {
    assert.deepEqual(out[i]!.slice(0, 3), [false, file, step], String(i));
    assert.match(out[i]![3], why, String(i));
  });
  // the last plan is allowed: nobody's own file gets 0600; the create gets nobody's owner
  const last = out[want.length]!;
  assert.equal(last[0], true, last[3]);
  assert.deepEqual(last[4], [{ path: '/etc/kubernetes/n.conf', target: '/etc/kubernetes/n.conf', attrs: { mode: 0o600, uid: 65534, gid: 65534 } }]);
  assert.deepEqual(last[5], [{ path: '/etc/kubernetes/a.conf', target: '/etc/kubernetes/a.conf', type: 'file', before: { mode: 0o644, uid: 65534, gid: 65534 }, after: { mode: 0o600, uid: 65534, gid: 65534 } }]);
  assert.deepEqual(names(path.join(root, 'etc/kubernetes')), ['a.conf', 'b.conf', 'n.conf', 'sgid']);
  assert.equal(fs.statSync(path.join(root, 'etc/kubernetes/sgid')).mode & 0o7777, 0o2644);
  assert.equal(fs.statSync(path.join(root, 'etc/kubernetes/b.conf')).mode & 0o7777, 0o644);
});

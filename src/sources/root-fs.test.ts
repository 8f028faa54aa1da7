import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { RootFs, normalize } from './root-fs.ts';
import { tempDir } from '../../test/support/tmp.ts';

function tree(): { root: string; outside: string } {
  const base = tempDir('kg-rootfs-');
  const root = path.join(base, 'node');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'etc/kubernetes'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'host file');
  fs.writeFileSync(path.join(root, 'etc/kubernetes/kubelet.conf'), 'inside');
  fs.writeFileSync(path.join(root, 'secret'), 'root-level file');
  return { root, outside };
}

test('absolute and relative symlinks resolve inside the root, never outside', () => {
  const { root, outside } = tree();
  fs.symlinkSync('/etc/kubernetes/kubelet.conf', path.join(root, 'abs'));
  fs.symlinkSync('../../../../../../secret', path.join(root, 'etc/kubernetes/rel'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'hostpath')); // a host path: read as a node path
  fs.symlinkSync('/', path.join(root, 'etc/kubernetes/up'));
  const r = new RootFs(root);
  const text = (p: string) => {
    const x = r.read(p);
    return x.ok ? x.bytes.toString() : x.code;
  };
  assert.equal(text('/abs'), 'inside');
  assert.equal(text('/etc/kubernetes/rel'), 'root-level file');
  assert.equal(text('/../../secret'), 'root-level file');
  assert.equal(text('/etc/kubernetes/up/../../secret'), 'root-level file');
  assert.equal(text('/hostpath'), 'ENOENT'); // resolved as <root>/<base>/outside/secret, which is not there
});

test('symlink loops end in ELOOP, not a hang', () => {
  const { root } = tree();
  fs.symlinkSync('b', path.join(root, 'a'));
  fs.symlinkSync('a', path.join(root, 'b'));
  fs.symlinkSync('self', path.join(root, 'self'));
  const r = new RootFs(root);
  assert.equal((r.read('/a') as { code: string }).code, 'ELOOP');
  assert.equal((r.read('/self') as { code: string }).code, 'ELOOP');
  assert.equal(r.stat('/a').exists, null);
  assert.equal(r.stat('/a').error, 'too many levels of symbolic links');
});

test("stat, lstat, size limit, directories, FIFOs and missing files are data", async () => {
  const { root } = tree();
  fs.writeFileSync(path.join(root, 'big'), Buffer.alloc(2048));
  fs.symlinkSync('/etc/kubernetes/kubelet.conf', path.join(root, 'link'));
  const r = new RootFs(root);
  assert.equal(r.stat('/link').type, 'file');
  assert.equal(r.stat('/link', { follow: false }).type, 'symlink');
  assert.equal(r.stat('/nope').exists, false);
  assert.equal(r.stat('/etc/kubernetes/kubelet.conf/x').exists, false); // ENOTDIR
  const big = r.read('/big', 1024);
  assert.equal(big.ok, false);
  assert.equal((big as { code: string }).code, 'EFBIG');
  assert.equal((r.read('/etc') as { code: string }).code, 'EISDIR');
  try {
    (await import('node:child_process')).execFileSync('mkfifo', [path.join(root, 'fifo')]);
    assert.equal((r.read('/fifo') as { code: string }).code, 'ENOTFILE');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // no mkfifo here
  }
});

test('property: any path stays inside the root', () => {
  const { root } = tree();
  fs.symlinkSync('../../..', path.join(root, 'etc/kubernetes/dots'));
  const r = new RootFs(root);
  fc.assert(fc.property(fc.array(fc.constantFrom('..', '.', 'etc', 'kubernetes', 'dots', 'secret', '', 'x'), { maxLength: 12 }), (parts) => {
    const p = parts.join('/');
    const x = r.read(p);
    if (x.ok) assert.notEqual(x.bytes.toString(), 'host file');
    assert.ok(normalize(p).startsWith('/'));
  }));
});

// ---- Resolution with the folder cache equals a plain walk from the root -----------------------

/** The chroot walk written plainly: every path from the root, component by component, no cache. */
function referenceResolve(root: string, nodePath: string, followLast = true): { ok: true; node: string } | { ok: false; code: string } {
  const pending = nodePath.split('/').filter((s) => s !== '');
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    if (!followLast && pending.length === 0) {
      done.push(part);
      break;
    }
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(root, ...done, part));
    } catch (e) {
      return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
    }
    if (st.isSymbolicLink()) {
      if (++hops > 40) return { ok: false, code: 'ELOOP' };
      const target = fs.readlinkSync(path.join(root, ...done, part));
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter((s) => s !== ''));
      continue;
    }
    if (pending.length > 0 && !st.isDirectory()) return { ok: false, code: 'ENOTDIR' };
    done.push(part);
  }
  return { ok: true, node: '/' + done.join('/') };
}

const NAME = fc.constantFrom('a', 'b', 'c');
const LINK_PART = fc.constantFrom('a', 'b', 'c', '..', '.', '');
type Entry = { path: string[]; kind: 'dir' | 'file' | 'link'; target: string };
const ENTRY: fc.Arbitrary<Entry> = fc.record({
  path: fc.array(NAME, { minLength: 1, maxLength: 4 }),
  kind: fc.constantFrom('dir', 'file', 'link'),
  target: fc.tuple(fc.boolean(), fc.array(LINK_PART, { maxLength: 5 })).map(([abs, ps]) => (abs ? '/' : '') + ps.join('/')),
});
const QUERY = fc.tuple(fc.boolean(), fc.array(fc.constantFrom('a', 'b', 'c', '..', '.', 'x'), { minLength: 0, maxLength: 7 })).map(([abs, ps]) => (abs ? '/' : '') + ps.join('/'));

/**
 * Creates one entry without ever following a symlink on the host (each parent is lstat'ed a real
 * folder, or made): a tree of random links must not write outside its temporary folder.
 */
function build(root: string, e: Entry): void {
  let host = root;
  for (const part of e.path.slice(0, -1)) {
    host = path.join(host, part);
    const st = fs.lstatSync(host, { throwIfNoEntry: false });
    if (st === undefined) fs.mkdirSync(host);
    else if (!st.isDirectory()) return; // a link or a file took the place: skip this entry
  }
  host = path.join(host, e.path[e.path.length - 1]!);
  if (fs.lstatSync(host, { throwIfNoEntry: false }) !== undefined) return;
  if (e.kind === 'dir') fs.mkdirSync(host);
  else if (e.kind === 'file') fs.writeFileSync(host, '/' + e.path.join('/'), { flag: 'wx' }); // its canonical path, as no link was followed
  else fs.symlinkSync(e.target === '' ? '.' : e.target, host);
}

test('property: resolution (with its folder cache) equals a plain walk from the root, on random trees of symlinks', () => {
  const base = tempDir('kg-rootfs-prop-');
  let n = 0;
  fc.assert(
    fc.property(fc.array(ENTRY, { maxLength: 14 }), fc.array(QUERY, { minLength: 1, maxLength: 40 }), (entries, queries) => {
      const root = path.join(base, String(n++), 'node');
      fs.mkdirSync(root, { recursive: true });
      fs.writeFileSync(path.join(root, '..', 'outside'), 'outside the root');
      for (const e of entries) build(root, e);
      const r = new RootFs(root); // one reader for all queries: the cache carries over between them
      for (const q of [...queries, ...queries]) {
        const want = referenceResolve(root, q);
        const got = r.realpath(q);
        if (want.ok) assert.deepEqual(got, { ok: true, path: want.node }, `realpath ${q}`);
        else assert.equal(got.ok ? 'ok' : got.code, want.code, `realpath ${q}`);
        const read = r.read(q);
        if (read.ok) assert.ok(want.ok && read.bytes.toString() === want.node, `read ${q} gives the file at ${want.ok ? want.node : want.code}`);
        const l = r.stat(q, { follow: false });
        const wantL = referenceResolve(root, q, false);
        if (wantL.ok) {
          const real = (() => {
            try {
              return fs.lstatSync(path.join(root, wantL.node));
            } catch {
              return undefined;
            }
          })();
          assert.equal(l.exists, real !== undefined, `lstat ${q}`);
        }
      }
    }),
    { numRuns: 150 },
  );
});

test('entries: streamed, only kept names, their own types, bytewise order, and a said cut past max', () => {
  const { root } = tree();
  const d = path.join(root, 'd');
  fs.mkdirSync(d);
  for (const n of ['b.conf', 'a.conf', 'B.conf', 'x.txt']) fs.writeFileSync(path.join(d, n), '');
  fs.mkdirSync(path.join(d, 'sub'));
  fs.symlinkSync('/etc', path.join(d, 'link.conf'));
  const r = new RootFs(root);
  const all = r.entries('/d', (n, t) => n.endsWith('.conf') || t === 'dir');
  assert.deepEqual(all.ok && all.entries, [
    { name: 'B.conf', type: 'file' },
    { name: 'a.conf', type: 'file' },
    { name: 'b.conf', type: 'file' },
    { name: 'link.conf', type: 'symlink' },
    { name: 'sub', type: 'dir' },
  ]);
  assert.equal(all.ok && all.truncated, undefined);
  const cut = r.entries('/d', () => true, 3);
  assert.equal(cut.ok && cut.entries.length, 3);
  assert.equal(cut.ok && cut.truncated, true);
  const exact = r.entries('/d', () => true, 6);
  assert.equal(exact.ok && exact.truncated, undefined);
  assert.equal((r.entries('/d/x.txt') as { code: string }).code, 'ENOTDIR');
});

test('a path of PATH_MAX bytes or more is ENAMETOOLONG at once, as the kernel says', () => {
  const r = new RootFs(tree().root);
  assert.equal((r.read('/x/..'.repeat(1000)) as { code: string }).code, 'ENAMETOOLONG');
  assert.match(r.stat('/a'.repeat(2048)).error ?? '', /^file name too long$/);
  assert.equal(r.stat('/a'.repeat(2047)).exists, false);
});

test('a folder swapped for a symlink out of the root after it was resolved: the read is refused, not followed', () => {
  const { root, outside } = tree();
  fs.mkdirSync(path.join(root, 'd'));
  fs.writeFileSync(path.join(root, 'd/secret'), 'inside');
  const r = new RootFs(root);
  assert.equal((r.read('/d/secret') as { bytes: Buffer }).bytes.toString(), 'inside'); // /d is now a known folder
  fs.rmSync(path.join(root, 'd'), { recursive: true });
  fs.symlinkSync(outside, path.join(root, 'd')); // an attacker changes the tree during the audit
  const x = r.read('/d/secret');
  assert.equal(x.ok, false);
  assert.equal((x as { code: string }).code, 'ECHANGED');
  const l = r.entries('/d');
  assert.equal(l.ok, false, 'the outside folder is not listed'); // O_NOFOLLOW|O_DIRECTORY on the symlink: ENOTDIR
});

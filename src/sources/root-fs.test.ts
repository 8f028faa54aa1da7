import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RootFs, normalize } from './root-fs.ts';

function tree(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-rootfs-'));
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
  assert.match(r.stat('/a').error!, /ELOOP/);
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

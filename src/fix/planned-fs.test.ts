// The planned node in memory: the real files with the plan laid over them, read through RootFs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../test/support/tmp.ts';
import { PlannedFs } from './planned-fs.ts';

function tree(): string {
  const root = tempDir('kg-planned-fs-');
  fs.mkdirSync(path.join(root, 'etc/k'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/k/a.yaml'), 'a: 1\n', { mode: 0o644 });
  fs.chmodSync(path.join(root, 'etc/k/a.yaml'), 0o644);
  fs.symlinkSync('a.yaml', path.join(root, 'etc/k/link.yaml'));
  return root;
}

test('planned content, mode and owner are what the audit reads; the disk is untouched', () => {
  const root = tree();
  const p = new PlannedFs(root, new Map([['/etc/k/a.yaml', { bytes: Buffer.from('a: 2\n'), mode: 0o600, uid: 0, gid: 0 }]]));
  const r = p.read('/etc/k/a.yaml');
  assert.ok(r.ok);
  assert.equal(r.bytes.toString(), 'a: 2\n');
  const st = p.stat('/etc/k/a.yaml');
  assert.equal(st.mode, 0o600);
  assert.equal(st.size, 5);
  assert.equal(fs.readFileSync(path.join(root, 'etc/k/a.yaml'), 'utf8'), 'a: 1\n');
  assert.equal(fs.statSync(path.join(root, 'etc/k/a.yaml')).mode & 0o777, 0o644);
});

test('a symlink reads its planned target; lstat of the link itself stays a link', () => {
  const root = tree();
  const p = new PlannedFs(root, new Map([['/etc/k/a.yaml', { bytes: Buffer.from('a: 3\n') }]]));
  const r = p.read('/etc/k/link.yaml');
  assert.ok(r.ok);
  assert.equal(r.bytes.toString(), 'a: 3\n');
  assert.equal(p.stat('/etc/k/link.yaml', { follow: false }).type, 'symlink');
});

test('a created file exists, is listed in its folder in bytewise order, and resolves', () => {
  const root = tree();
  const p = new PlannedFs(root, new Map([['/etc/k/~new.conf', { bytes: Buffer.from('x: 1\n'), created: true, mode: 0o600 }]]));
  assert.equal(p.stat('/etc/k/~new.conf').exists, true);
  assert.equal(p.stat('/etc/k/~new.conf').mode, 0o600);
  const l = p.list('/etc/k');
  assert.ok(l.ok);
  assert.deepEqual(l.names, ['a.yaml', 'link.yaml', '~new.conf']);
  assert.deepEqual(p.realpath('/etc/k/~new.conf'), { ok: true, path: '/etc/k/~new.conf' });
  const r = p.read('/etc/k/~new.conf');
  assert.ok(r.ok);
  assert.equal(r.bytes.toString(), 'x: 1\n');
  assert.equal(fs.existsSync(path.join(root, 'etc/k/~new.conf')), false);
});

test('a planned content over the read limit is refused as the real file would be', () => {
  const root = tree();
  const p = new PlannedFs(root, new Map([['/etc/k/a.yaml', { bytes: Buffer.alloc(100) }]]));
  const r = p.read('/etc/k/a.yaml', 10);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'EFBIG');
});

test('paths the plan does not touch read as they are', () => {
  const root = tree();
  const p = new PlannedFs(root, new Map());
  assert.equal(p.stat('/etc/k/a.yaml').mode, 0o644);
  assert.equal(p.stat('/etc/k/none').exists, false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { excessWords, judgeFile, MODE_600, MODE_644, octal, ROOT_OWNER, shellWord } from './file-stat.ts';

const T = { path: '/etc/x.conf', role: 'test file', whenMissing: 'nothing needs it' };
const at = (st: Record<string, unknown>) => factsFrom({ config: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n', files: { '/etc/x.conf': st } });

test('600 or stricter: every bit outside owner rw fails, setuid/setgid/sticky included', () => {
  for (const m of [0o600, 0o400, 0o200, 0o000]) assert.equal(judgeFile(at({ mode: m, uid: 0, gid: 0 }), T, MODE_600).status, 'pass', octal(m));
  for (const m of [0o700, 0o640, 0o604, 0o610, 0o4600, 0o2600, 0o1600, 0o666]) assert.equal(judgeFile(at({ mode: m, uid: 0, gid: 0 }), T, MODE_600).status, 'fail', octal(m));
});

test('644 or stricter', () => {
  for (const m of [0o644, 0o640, 0o600, 0o444, 0o400]) assert.equal(judgeFile(at({ mode: m, uid: 0, gid: 0 }), T, MODE_644).status, 'pass', octal(m));
  for (const m of [0o664, 0o646, 0o744, 0o755, 0o4644]) assert.equal(judgeFile(at({ mode: m, uid: 0, gid: 0 }), T, MODE_644).status, 'fail', octal(m));
});

test('evidence note and exact remediation', () => {
  const r = judgeFile(at({ mode: 0o644, uid: 0, gid: 0 }), T, MODE_600);
  assert.equal(r.subject, '/etc/x.conf');
  assert.deepEqual(r.evidence, [{ file: '/etc/x.conf', note: 'mode 0644, owner 0:0' }]);
  assert.equal(r.remediation, 'chmod 600 /etc/x.conf');
  assert.match(r.message, /the group can read, others can read/);
  const o = judgeFile(at({ mode: 0o600, uid: 1000, gid: 0 }), T, ROOT_OWNER);
  assert.equal(o.status, 'fail');
  assert.equal(o.remediation, 'chown root:root /etc/x.conf');
  assert.match(o.message, /owned by 1000:0: user 1000 is not root/);
  assert.equal(judgeFile(at({ mode: 0o600, uid: 0, gid: 5 }), T, ROOT_OWNER).status, 'fail');
  assert.equal(judgeFile(at({ mode: 0o777, uid: 0, gid: 0 }), T, ROOT_OWNER).status, 'pass');
});

test('unknown: not examined, stat error, no mode or owner', () => {
  const none = judgeFile(factsFrom({}), T, MODE_600);
  assert.equal(none.status, 'unknown');
  assert.match(none.message, /not examined/);
  const err = judgeFile(at({ exists: null, error: 'EACCES: permission denied' }), T, MODE_600);
  assert.equal(err.status, 'unknown');
  assert.match(err.message, /EACCES/);
  assert.equal(judgeFile(at({ uid: 0, gid: 0 }), T, MODE_600).status, 'unknown');
  assert.equal(judgeFile(at({ mode: 0o600 }), T, ROOT_OWNER).status, 'unknown');
});

test('not-applicable: the file does not exist, with the reason it matters', () => {
  const r = judgeFile(at({ exists: false }), T, MODE_600);
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /does not exist; nothing needs it/);
});

test('helpers', () => {
  assert.equal(octal(0o4755), '4755');
  assert.equal(octal(0o600), '0600');
  assert.equal(excessWords(0o4777, 0o600), 'setuid is set, the owner can execute, the group can read, write and execute, others can read, write and execute');
  assert.equal(shellWord('/etc/a b'), `'/etc/a b'`);
  assert.equal(shellWord(`/etc/it's`), `'/etc/it'\\''s'`);
  assert.equal(shellWord('/var/lib/kubelet/config.yaml'), '/var/lib/kubelet/config.yaml');
});

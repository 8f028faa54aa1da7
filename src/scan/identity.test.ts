import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readIdentity } from './identity.ts';

const files: Record<string, string> = {
  '/t': 'abc.def.ghi\n',
  '/empty': '\n',
  '/kc-token': 'current-context: c\ncontexts:\n- name: c\n  context: {user: u}\nusers:\n- name: u\n  user: {token: sekret-token}\n',
  '/kc-exec': 'current-context: c\ncontexts:\n- name: c\n  context: {user: u}\nusers:\n- name: u\n  user:\n    exec: {command: aws}\n',
  '/kc-bad': 'users: [\n',
};
const read = (p: string) => {
  if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return files[p]!;
};

test('anonymous, token, token file; the label never holds the secret', () => {
  assert.equal(readIdentity({}, read), undefined);
  const t = readIdentity({ token: 'sekret-token' }, read)!;
  assert.equal(t.token, 'sekret-token');
  assert.doesNotMatch(t.label, /sekret/);
  assert.equal(readIdentity({ tokenFile: '/t' }, read)?.token, 'abc.def.ghi');
});

test('kubeconfig: the current context user token; exec plugins are refused with a way out', () => {
  const k = readIdentity({ kubeconfig: '/kc-token' }, read)!;
  assert.equal(k.token, 'sekret-token');
  assert.doesNotMatch(k.label, /sekret/);
  assert.throws(() => readIdentity({ kubeconfig: '/kc-exec' }, read), /exec plugin.*--token-file/);
  assert.throws(() => readIdentity({ kubeconfig: '/kc-bad' }, read), /not valid YAML/);
});

test('bad input: clear messages', () => {
  assert.throws(() => readIdentity({ token: 'a', tokenFile: '/t' }, read), /give one identity/);
  assert.throws(() => readIdentity({ tokenFile: '/empty' }, read), /is empty/);
  assert.throws(() => readIdentity({ tokenFile: '/missing' }, read), /no such file or directory/);
  assert.throws(() => readIdentity({ cert: '/t' }, read), /go together/);
  assert.throws(() => readIdentity({ cert: '/t', key: '/t' }, read), /not a PEM certificate/);
});

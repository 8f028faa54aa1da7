// What the CLI prints about a failed read or connection is in words ("no such file or directory",
// "connection refused (127.0.0.1:PORT)"), never a bare errno code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCli } from './run-cli.ts';
import { tempDir } from './support/tmp.ts';

const ERRNO = /\bE(NOENT|ACCES|PERM|LOOP|NOTDIR|ISDIR|CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN|PIPE|MFILE)\b/;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test('scan: a targets file that does not exist', async () => {
  for (const args of [['@/nonexistent/targets'], ['--targets-file', '/nonexistent/targets', '127.0.0.1']]) {
    const r = await runCli('scan', ...args, '--no-progress');
    assert.equal(r.code, 2);
    assert.match(r.err, /\/nonexistent\/targets: cannot read: no such file or directory/);
    assert.doesNotMatch(r.err + r.out, ERRNO);
  }
});

test('cluster: an API server that refuses the connection, and one whose name does not resolve', async () => {
  const port = await closedPort();
  const dir = tempDir('kg-words-');
  const kc = path.join(dir, 'kubeconfig');
  for (const server of [`https://127.0.0.1:${port}`, 'https://nonexistent.invalid:6443']) {
    fs.writeFileSync(kc, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: abc}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`);
    const r = await runCli('cluster', '--kubeconfig', kc, '--no-progress', '--timeout', '3000');
    assert.equal(r.code, 3, r.err);
    assert.doesNotMatch(r.err + r.out, ERRNO, r.err);
    assert.match(r.err, server.includes('127.0.0.1') ? /connection refused \(127\.0\.0\.1:\d+\)/ : /(host name not found|name resolution) \(nonexistent\.invalid\)/);
  }
});

test('node: --root that does not exist', async () => {
  const r = await runCli('node', '--root', '/nonexistent/kg-root');
  assert.equal(r.code, 2);
  assert.match(r.err, /no such file or directory/);
  assert.doesNotMatch(r.err, ERRNO);
});

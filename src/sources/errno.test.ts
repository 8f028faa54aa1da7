// Errors in words: what the user reads says "connection refused", not ECONNREFUSED.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import dns from 'node:dns/promises';
import { spawn } from 'node:child_process';
import { errorWords, errnoWords, reasonOf } from './errno.ts';

const CODE = /\bE[A-Z_]{3,}\b/;

test('file system errors: the meaning, no code, no path (the caller names the path)', () => {
  for (const f of [() => fs.readFileSync('/nonexistent/kg'), () => fs.readdirSync('/etc/hostname'), () => fs.readFileSync('/')]) {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    const w = errorWords(err);
    assert.doesNotMatch(w, CODE, w);
    assert.equal(w, reasonOf(err));
  }
  assert.equal(errorWords(Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT', syscall: 'open', path: '/x' })), 'no such file or directory');
});

test('network errors: the meaning with the address or host', async () => {
  const refused = await new Promise<unknown>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => net.connect(port, '127.0.0.1').on('error', resolve));
    });
  });
  assert.match(errorWords(refused), /^connection refused \(127\.0\.0\.1:\d+\)$/);
  const notFound = await dns.lookup('nonexistent.invalid').catch((e: unknown) => e);
  assert.match(errorWords(notFound), /^(host name not found|temporary failure in name resolution) \(nonexistent\.invalid\)$/);
  // a message in words of its own is kept, after the meaning
  assert.equal(errorWords(Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' })), 'connection reset by peer: Client network socket disconnected before secure TLS connection was established');
});

test('a program that cannot be run: the meaning with the program', async () => {
  const err = await new Promise<unknown>((resolve) => spawn('/nonexistent-kg-plugin').on('error', resolve));
  assert.equal(errorWords(err), 'no such file or directory (/nonexistent-kg-plugin)');
});

test('not a system error: its message; an unknown code is still no bare code', () => {
  assert.equal(errorWords(new Error('bad thing')), 'bad thing');
  assert.equal(errorWords('text'), 'text');
  assert.equal(errnoWords('EWEIRD'), 'I/O error (EWEIRD)');
});

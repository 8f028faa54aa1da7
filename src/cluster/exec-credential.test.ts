// Exec credential plugins run with a deadline, as client-go runs them: KUBERNETES_EXEC_INFO, the
// answer checked as exec.go checks it, capped output, and the whole process group killed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExecCredential, runExecPlugin } from './exec-credential.ts';

const V1 = 'client.authentication.k8s.io/v1';
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-exec-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function script(body: string): string {
  const p = join(dir, `p-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

test('the ExecCredential is checked as client-go checks it', () => {
  const ok = (status: object, apiVersion = V1) => JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
  assert.deepEqual(parseExecCredential(ok({ token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' }), V1), { token: 't', expiresAt: Date.parse('2030-01-01T00:00:00Z') });
  assert.throws(() => parseExecCredential(ok({ token: 't' }, 'client.authentication.k8s.io/v1beta1'), V1), /configured to use API version .*v1, plugin returned version/);
  assert.throws(() => parseExecCredential(JSON.stringify({ apiVersion: V1, kind: 'ExecCredential' }), V1), /didn't return a status field/);
  assert.throws(() => parseExecCredential(ok({}), V1), /didn't return a token or cert\/key pair/);
  assert.throws(() => parseExecCredential(ok({ clientCertificateData: 'c' }), V1), /only certificate or key, not both/);
  assert.throws(() => parseExecCredential('not json', V1), /not JSON/);
});

test('KUBERNETES_EXEC_INFO says what client-go says, non-interactive; the kubeconfig env is passed', async () => {
  const p = script(`printf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"%s"}}' "$(printf '%s' "$KUBERNETES_EXEC_INFO|$EXTRA" | base64 -w0)"`);
  const r = await runExecPlugin({ command: p, apiVersion: V1, env: [{ name: 'EXTRA', value: 'x1' }] }, { timeoutMs: 5000 });
  const [info, extra] = Buffer.from(r.token ?? '', 'base64').toString().split('|');
  assert.deepEqual(JSON.parse(info ?? ''), { apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } });
  assert.equal(extra, 'x1');
});

test('a plugin that writes forever is killed at the output bound; one that fails says why', async () => {
  await assert.rejects(runExecPlugin({ command: script('exec yes'), apiVersion: V1 }, { timeoutMs: 10_000 }), /wrote over 1048576 bytes; killed/);
  await assert.rejects(runExecPlugin({ command: script('echo "no credentials for you" >&2; exit 3'), apiVersion: V1 }, { timeoutMs: 5000 }), /exited with 3: no credentials for you/);
  await assert.rejects(runExecPlugin({ command: join(dir, 'missing'), apiVersion: V1 }, { timeoutMs: 5000 }), /: no such file or directory \(/);
  await assert.rejects(runExecPlugin({ command: script('true'), apiVersion: 'client.authentication.k8s.io/v1alpha1' }, { timeoutMs: 5000 }), /apiVersion "client.authentication.k8s.io\/v1alpha1" is not one of/);
});

test('the deadline and the run signal stop a plugin that never exits', async () => {
  const t0 = performance.now();
  await assert.rejects(runExecPlugin({ command: script('exec sleep 100'), apiVersion: V1 }, { timeoutMs: 300 }), /did not exit within 300 ms/);
  assert.ok(performance.now() - t0 < 3000);
  const run = new AbortController();
  setTimeout(() => run.abort(new Error('the run deadline passed')), 200);
  await assert.rejects(runExecPlugin({ command: script('exec sleep 100'), apiVersion: V1 }, { timeoutMs: 60_000, signal: run.signal }), /stopped: the run deadline passed/);
});

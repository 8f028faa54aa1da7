// A reader that goes away (`kubelet-guard … | head -c1`) must not make the tool print a stack trace:
// every command and format stops quietly with exit code 141 (128 + SIGPIPE, as kubectl and other
// programs killed by SIGPIPE exit) once a write fails, or exits with its usual code when all its
// output was written before the reader left. Real child processes (bin/kubelet-guard.js, which runs
// dist/ when built: `npm run build` first), real pipes, loopback servers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEchoKubelet, type EchoKubelet } from './support/echo-kubelet.ts';
import { startApiServerSim, type ApiServerSim } from './cluster/apiserver-sim.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'kubelet-guard.js');
const EXAMPLE = path.join(ROOT, 'examples', 'nodes', 'kubeadm-worker');
const EXIT_PIPE_CLOSED = 141;

interface Closed { code: number | null; signal: NodeJS.Signals | null; err: string; bytes: number }

/**
 * Runs the CLI with its stdout read by `reader`: 'closed' closes the pipe before the child writes
 * anything; 'one-byte' keeps one byte of the first chunk and then closes it.
 */
function runClosed(args: string[], reader: 'closed' | 'one-byte'): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let bytes = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.stdout.on('error', () => {});
    if (reader === 'closed') child.stdout.destroy();
    else {
      child.stdout.once('data', (d: Buffer) => {
        bytes = Math.min(1, d.length);
        child.stdout.destroy();
      });
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, err, bytes });
    });
  });
}

let echo: EchoKubelet;
let sim: ApiServerSim;
before(async () => {
  echo = await startEchoKubelet({ host: '127.0.0.1' });
  sim = await startApiServerSim({ nodes: 40, podsPerNode: 2, bindings: 10, namespaces: 3, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
});
after(async () => {
  await echo.close();
  await sim.close();
});

function commands(): Array<{ args: string[]; usual: number }> {
  const scan = [echo.host, '--ports', String(echo.port), '--token', 'kg-epipe-token-1', '--collect', '--fail-on', 'none'];
  const cluster = ['--kubeconfig', sim.kubeconfigPath, '--fail-on', 'none'];
  return [
    { args: ['node', '--root', EXAMPLE, '--fail-on', 'none'], usual: 0 },
    { args: ['node', '--root', EXAMPLE, '--fail-on', 'none', '--show-config'], usual: 0 },
    { args: ['node', '--root', EXAMPLE, '--fail-on', 'none', '--format', 'json'], usual: 0 },
    { args: ['explain', 'GET', '/exec/ns/pod/c'], usual: 0 },
    { args: ['explain', 'GET', '/pods', '--format', 'json'], usual: 0 },
    { args: ['rbac-for', '/pods', '/metrics'], usual: 0 },
    { args: ['scan', ...scan], usual: 0 },
    { args: ['scan', ...scan, '--format', 'json'], usual: 0 },
    { args: ['scan', ...scan, '--format', 'jsonl'], usual: 0 },
    { args: ['cluster', ...cluster], usual: 0 },
    { args: ['cluster', ...cluster, '--format', 'json'], usual: 0 },
    { args: ['--help'], usual: 0 },
  ];
}

test('every command and format, its stdout closed before it writes: no stack trace, exit 141', async () => {
  for (const { args } of commands()) {
    const r = await runClosed(args, 'closed');
    assert.equal(r.err, '', `${args.join(' ')}: stderr ${r.err}`);
    assert.equal(r.signal, null, args.join(' '));
    assert.equal(r.code, EXIT_PIPE_CLOSED, `${args.join(' ')}: exit ${r.code}`);
  }
});

test('every command and format, read for one byte: quiet, and exit 141 or the usual code', async () => {
  for (const { args, usual } of commands()) {
    const r = await runClosed(args, 'one-byte');
    assert.equal(r.bytes, 1, args.join(' '));
    assert.equal(r.err, '', `${args.join(' ')}: stderr ${r.err}`);
    assert.ok(r.code === EXIT_PIPE_CLOSED || r.code === usual, `${args.join(' ')}: exit ${r.code}`);
  }
});

test('a large streamed report (cluster --format json) read for one byte stops at once with 141', async () => {
  const r = await runClosed(['cluster', '--kubeconfig', sim.kubeconfigPath, '--fail-on', 'none', '--format', 'json'], 'one-byte');
  assert.equal(r.err, '');
  assert.equal(r.code, EXIT_PIPE_CLOSED);
});

test('`kubelet-guard node --root examples/nodes/kubeadm-worker | head -c1` in a shell: one byte, nothing on stderr', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" node --root "${EXAMPLE}" --format json | head -c1; echo " \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.stderr, '');
  const m = /^\{ (\d+)\n$/.exec(r.stdout);
  assert.ok(m, JSON.stringify(r.stdout));
  assert.ok(['141', '0', '1'].includes(m[1]!), `exit ${m[1]}`);
});

test('standard error closed too (a usage error with 2>&1 | head -c1): quiet', async () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" node --root /nonexistent-kg 2>&1 | head -c1; echo " \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
  assert.match(r.stdout, /^k (2|141)\n$/);
});

// What the scan benchmarks share (bench/scan.js, bench/scan-firewalled.js and the servers it runs
// in its namespace, bench/firewalled-servers.js): the simulated kubelet's answers, a server that a
// scanner's resets cannot crash, and a runner that times a scanner under GNU time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

// --- the simulated kubelet ---------------------------------------------------------------------

export const text = (res, status, body, type = 'text/plain; charset=utf-8') => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};
export const json = (res, status, v) => text(res, status, JSON.stringify(v), 'application/json');

/** 10250 over TLS, anonymous authentication off: 401 to everything */
export function kubeletSecure(_req, res) {
  text(res, 401, 'Unauthorized');
}
/** 10248: /healthz */
export function kubeletHealthz(req, res) {
  if (req.url === '/healthz') text(res, 200, 'ok');
  else text(res, 404, '404 page not found\n');
}
/** 10255, the read-only port: /pods answers anyone */
export function kubeletReadOnly(req, res) {
  if (req.url === '/pods' || req.url === '/pods/') json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'web-0', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] }, status: { phase: 'Running' } }] });
  else if (req.url === '/healthz') text(res, 200, 'ok');
  else text(res, 404, '404 page not found\n');
}

/** A server a scanner cannot crash (its RSTs, TLS garbage, half requests) nor hold open for long. */
export function harden(srv) {
  srv.on('connection', (s) => s.on('error', () => {}));
  srv.on('tlsClientError', () => {});
  srv.on('clientError', (_e, s) => s.destroy());
  srv.keepAliveTimeout = 1000;
  srv.headersTimeout = 5000;
  srv.requestTimeout = 5000;
  return srv;
}

export function listen(srv, port, host) {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen({ port, host, backlog: 1024 }, () => {
      srv.off('error', reject);
      resolve();
    });
  });
}

// --- the runner ----------------------------------------------------------------------------------

/**
 * Runs argv (through `wrap`, e.g. into a network namespace) under GNU time, in its own process
 * group (a timeout kills the scanner, not only GNU time), calling onLine for each stdout line (never
 * buffering the output). Resolves with the exit code, the wall time (GNU time's, else the clock
 * around the child), peak RSS and user + system CPU (GNU time's, else undefined), at most 100 kB of
 * stderr, and whether it timed out. `running` holds the process groups alive, for a cleanup.
 */
export function timed(argv, onLine, { cwd, dir, timeoutMs, wrap = (a) => a, running = new Set() }) {
  return new Promise((resolve) => {
    const timeFile = path.join(dir, `time-${Math.random().toString(36).slice(2)}`);
    const full = wrap(fs.existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%e %M %U %S', '-o', timeFile, ...argv] : argv);
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
    running.add(child.pid);
    let carry = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      carry += chunk;
      let nl;
      while ((nl = carry.indexOf('\n')) >= 0) {
        onLine(carry.slice(0, nl));
        carry = carry.slice(nl + 1);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      if (stderr.length < 100_000) stderr += c;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child.pid);
      if (carry) onLine(carry);
      let wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      let rssMiB;
      let cpuS;
      try {
        // a non-zero exit puts "Command exited with non-zero status N" on a line before
        const [e, m, u, s] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        if (Number.isFinite(e)) wallS = e;
        if (Number.isFinite(m)) rssMiB = m / 1024;
        if (Number.isFinite(u) && Number.isFinite(s)) cpuS = u + s;
      } catch {
        // no GNU time: the wall clock around the child, no RSS or CPU
      }
      resolve({ code, wallS, wallMs: wallS * 1000, rssMiB, cpuS, stderr, timedOut });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child.pid);
      resolve({ code: -1, wallS: 0, wallMs: 0, rssMiB: undefined, cpuS: undefined, stderr: String(e), timedOut: false });
    });
  });
}

/** SIGKILL to a process group (a child spawned detached), if it is still there. */
export function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

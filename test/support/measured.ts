// Runs the CLI (or any Node script) as a child process and measures what the goals are
// about: wall time and peak RSS (the child's own getrusage maxRSS, written at exit by a preload).
// Used by the hostile-input tests as hang and memory guards, with generous bounds.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CLI = path.resolve(HERE, '../../bin/kubelet-guard.js');
const PRELOAD = path.join(HERE, 'max-rss-preload.mjs');

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
  /** peak resident set of the child in MiB, or undefined when it died before its exit hook */
  peakRssMiB?: number;
  /** true when the run was killed at killAfterMs */
  killed: boolean;
}

export interface MeasureOptions {
  /** kill the child after this long (a hang guard); default 60 s */
  killAfterMs?: number;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
  /** keep at most this many characters of stdout and stderr each (the rest is counted, not kept) */
  keepChars?: number;
}

/** `kubelet-guard ARGS…` in a child: exit code, output, wall time and peak RSS. */
export function runMeasured(args: string[], opts: MeasureOptions = {}): Promise<Measured> {
  return measureScript(CLI, args, opts);
}

export function measureScript(script: string, args: string[], opts: MeasureOptions = {}): Promise<Measured> {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kg-rss-')), 'rss');
  const keep = opts.keepChars ?? 1_000_000;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--max-semi-space-size=8', '--import', PRELOAD, script, ...args], {
      env: { ...process.env, ...opts.env, KG_MAX_RSS_FILE: rssFile },
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { if (out.length < keep) out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (err.length < keep) err += d.toString(); });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, opts.killAfterMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let peakRssMiB: number | undefined;
      try {
        peakRssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
      } catch { /* killed before its exit hook */ }
      fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
      resolve({ code, signal, out, err, ms: performance.now() - t0, peakRssMiB, killed });
    });
  });
}

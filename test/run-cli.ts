// Runs the CLI in-process as `kubelet-guard ARGS...`, with standard output and error collected.
import { PassThrough } from 'node:stream';
import { main } from '../src/cli.ts';

export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(['node', 'kubelet-guard', ...args], { out, err });
  return { code, out: o, err: e };
}

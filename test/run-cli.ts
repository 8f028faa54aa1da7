// Runs the CLI in-process as `kubelet-guard ARGS...`, with standard output and error collected.
import { PassThrough } from 'node:stream';
import { main } from '../src/cli.ts';

export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCliOn({}, ...args);
}

/** runCli with standard output as a terminal of `columns` columns (the table is wrapped to it). */
export async function runCliOn(tty: { columns?: number }, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = Object.assign(new PassThrough(), tty.columns !== undefined ? { isTTY: true, columns: tty.columns } : {});
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(['node', 'kubelet-guard', ...args], { out, err });
  return { code, out: o, err: e };
}

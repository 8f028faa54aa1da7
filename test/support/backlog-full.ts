// A loopback listener whose accept queue is full (python3, backlog 0, one connection held): the
// kernel drops the next SYN, so a connect to it hangs as one to a firewalled port does.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const H = '127.0.0.1';
const noop = (): void => {};

/** A listener with a full accept queue (python, backlog 0): the next SYN is dropped, connect hangs. */
export async function backlogFull(): Promise<{ port: number; close: () => Promise<void> } | undefined> {
  let py: ChildProcess;
  try {
    py = spawn('python3', ['-c', "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()"], { stdio: ['pipe', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  py.on('error', noop);
  py.stdin?.on('error', noop);
  const port = await new Promise<number | undefined>((resolve) => {
    py.once('error', () => resolve(undefined));
    py.once('exit', () => resolve(undefined));
    py.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  const exited = new Promise<void>((resolve) => {
    py.once('close', () => resolve());
    py.once('error', () => resolve());
  });
  const stop = async (): Promise<void> => {
    py.stdin?.end();
    py.kill();
    await exited;
  };
  if (!port) {
    await stop();
    return undefined;
  }
  // fill the queue (one connection with backlog 0)
  const filler = net.connect({ host: H, port });
  filler.on('error', noop);
  await new Promise<void>((resolve) => {
    filler.once('connect', () => resolve());
    filler.once('error', () => resolve());
  });
  return {
    port,
    close: async () => {
      filler.destroy();
      await stop();
    },
  };
}

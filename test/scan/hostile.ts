// Hostile servers for the scanner's tests: each one answers the way a broken or malicious endpoint
// might (a body that never ends, headers dripped a byte a second, a gzip bomb, a 10 MB header,
// invalid JSON, a TLS handshake that never completes, an SSH banner, a redirect to another address,
// a reset mid-body, silence). Raw node:net servers writing HTTP by hand, so that every byte and its
// timing is under control. Loopback only; every server and socket has an 'error' handler; close()
// stops every timer and destroys every socket.
import net from 'node:net';
import { createGzip } from 'node:zlib';

export type HostileKind =
  /** 200, chunked, one byte every 50 ms, forever */
  | 'endless-body'
  /** a complete, small response, dripped one byte a second */
  | 'drip-headers'
  /** Content-Encoding: gzip, 10 MB of zeros compressed (about 10 KB on the wire) */
  | 'gzip-bomb'
  /** a single 10 MB header line, streamed with backpressure */
  | 'huge-header'
  /** 200 application/json with a body that is not valid JSON, on every path (/pods included) */
  | 'invalid-json'
  /** accepts TCP, reads the ClientHello, never answers: for tls: true */
  | 'tls-stall'
  /** an OpenSSH banner on connect */
  | 'ssh-banner'
  /** 302 to http://127.0.0.2:<port>/pods (127.0.0.3 when the server is on 127.0.0.2), where a counting server listens */
  | 'redirect'
  /** 200 with Content-Length 1 MiB, 1000 bytes of body, then a TCP reset */
  | 'reset-mid-body'
  /** accepts TCP, reads the request, never answers */
  | 'silent'
  /** 200, chunked, a 3 MiB body in one-byte chunks (18 MiB on the wire): the client's parser sees
   *  three million one-byte pieces, however TCP coalesces the writes */
  | 'one-byte-chunks'
  /** 200 with Content-Length 256 KiB, the body written one byte per TCP segment (no Nagle, each
   *  write waits for the previous one to reach the kernel) */
  | 'one-byte-writes';

export const HOSTILE_KINDS: readonly HostileKind[] = ['endless-body', 'drip-headers', 'gzip-bomb', 'huge-header', 'invalid-json', 'tls-stall', 'ssh-banner', 'redirect', 'reset-mid-body', 'silent', 'one-byte-chunks', 'one-byte-writes'];

export interface HostileServer {
  host: string;
  port: number;
  /** whether a client should speak TLS to it (tls-stall) */
  tls: boolean;
  /** TCP connections accepted so far */
  connections(): number;
  /** redirect: the address the Location points to, and how many connections it got (must stay 0) */
  redirectTarget?: { host: string; port: number; hits(): number };
  close(): Promise<void>;
}

export const GZIP_BOMB_INFLATED_BYTES = 10 * 1024 * 1024;
export const HUGE_HEADER_BYTES = 10 * 1024 * 1024;
export const RESET_AFTER_BYTES = 1000;
export const INVALID_JSON = '{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"nginx","namespace":"default"},"spec":{"containers":[{"name":"nginx",';
export const ONE_BYTE_CHUNKS_BYTES = 3 * 1024 * 1024;
export const ONE_BYTE_WRITES_BYTES = 256 * 1024;
export const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';

let bomb: Promise<Buffer> | undefined;

/** 10 MB of zeros, gzipped, made once by streaming one 64 KiB buffer (never 10 MB in memory). */
export function gzipBomb(): Promise<Buffer> {
  bomb ??= new Promise<Buffer>((resolve, reject) => {
    const gz = createGzip({ level: 9 });
    const out: Buffer[] = [];
    gz.on('data', (d: Buffer) => out.push(d));
    gz.on('end', () => resolve(Buffer.concat(out)));
    gz.on('error', reject);
    const zeros = Buffer.alloc(64 * 1024);
    let left = GZIP_BOMB_INFLATED_BYTES;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, zeros.length);
        left -= n;
        if (!gz.write(zeros.subarray(0, n))) {
          gz.once('drain', pump);
          return;
        }
      }
      gz.end();
    };
    pump();
  });
  return bomb;
}

interface Base {
  server: net.Server;
  port: number;
  connections(): number;
  /** registers a timer or interval to clear on close */
  timers: Set<NodeJS.Timeout>;
  close(): Promise<void>;
}

/** A TCP server on host:0 whose sockets all get an 'error' handler and are destroyed by close(). */
async function listen(host: string, onSocket: (s: net.Socket, timers: Set<NodeJS.Timeout>) => void): Promise<Base> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onSocket(s, timers);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error): void => reject(e);
    server.once('error', onErr);
    server.listen(0, host, () => {
      server.off('error', onErr);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    connections: () => count,
    timers,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })),
  };
}

/** Calls `then` once the request head (up to the blank line, or 64 KiB) has arrived; keeps reading after. */
export function afterRequestHead(s: net.Socket, then: () => void): void {
  let seen = '';
  const onData = (d: Buffer): void => {
    seen += d.toString('latin1');
    if (seen.includes('\r\n\r\n') || seen.length > 65536) {
      s.off('data', onData);
      s.resume();
      then();
    }
  };
  s.on('data', onData);
}

const alive = (s: net.Socket): boolean => !s.destroyed && s.writable;

/** Repeats `fn` every `ms` until the socket closes or the server is closed. */
function every(s: net.Socket, timers: Set<NodeJS.Timeout>, ms: number, fn: () => boolean): void {
  const iv = setInterval(() => {
    if (!alive(s) || !fn()) {
      clearInterval(iv);
      timers.delete(iv);
    }
  }, ms);
  timers.add(iv);
  s.on('close', () => {
    clearInterval(iv);
    timers.delete(iv);
  });
}

function later(s: net.Socket, timers: Set<NodeJS.Timeout>, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    timers.delete(t);
    if (alive(s)) fn();
  }, ms);
  timers.add(t);
}

export async function startHostile(kind: HostileKind, host = '127.0.0.1'): Promise<HostileServer> {
  let redirectTarget: Base | undefined;
  let targetHost = '';
  if (kind === 'redirect') {
    targetHost = host === '127.0.0.2' ? '127.0.0.3' : '127.0.0.2';
    redirectTarget = await listen(targetHost, (s) => afterRequestHead(s, () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nfollowed')));
  }
  const gz = kind === 'gzip-bomb' ? await gzipBomb() : undefined;

  const base = await listen(host, (s, timers) => {
    switch (kind) {
      case 'endless-body':
        afterRequestHead(s, () => {
          s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
          every(s, timers, 50, () => {
            s.write('1\r\nx\r\n');
            return true;
          });
        });
        return;
      case 'drip-headers':
        afterRequestHead(s, () => {
          const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok');
          let i = 0;
          s.write(answer.subarray(i, ++i));
          every(s, timers, 1000, () => {
            s.write(answer.subarray(i, ++i));
            return i < answer.length;
          });
        });
        return;
      case 'gzip-bomb':
        afterRequestHead(s, () => {
          const body = gz ?? Buffer.alloc(0);
          s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`);
          s.end(body);
        });
        return;
      case 'huge-header':
        afterRequestHead(s, () => {
          const chunk = Buffer.alloc(64 * 1024, 'a');
          let left = HUGE_HEADER_BYTES;
          s.write('HTTP/1.1 200 OK\r\nX-Huge: ');
          const pump = (): void => {
            while (left > 0 && alive(s)) {
              const n = Math.min(left, chunk.length);
              left -= n;
              if (!s.write(chunk.subarray(0, n))) {
                s.once('drain', pump);
                return;
              }
            }
            if (alive(s)) s.end('\r\nContent-Length: 0\r\n\r\n');
          };
          pump();
        });
        return;
      case 'invalid-json':
        afterRequestHead(s, () => s.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(INVALID_JSON)}\r\nConnection: close\r\n\r\n${INVALID_JSON}`));
        return;
      case 'tls-stall':
      case 'silent':
        s.resume();
        return;
      case 'ssh-banner':
        s.write(SSH_BANNER);
        // what sshd says to a client that does not speak SSH
        s.once('data', () => s.end('Invalid SSH identification string.\r\n'));
        return;
      case 'redirect':
        afterRequestHead(s, () => s.end(`HTTP/1.1 302 Found\r\nLocation: http://${targetHost}:${redirectTarget!.port}/pods\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
        return;
      case 'one-byte-chunks':
        afterRequestHead(s, () => {
          s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
          const block = Buffer.from('1\r\nx\r\n'.repeat(64 * 1024 / 6));
          const per = block.length / 6;
          let left = ONE_BYTE_CHUNKS_BYTES;
          const pump = (): void => {
            while (left > 0 && alive(s)) {
              const n = Math.min(left, per);
              left -= n;
              if (!s.write(block.subarray(0, n * 6))) {
                s.once('drain', pump);
                return;
              }
            }
            if (alive(s)) s.end('0\r\n\r\n');
          };
          pump();
        });
        return;
      case 'one-byte-writes':
        s.setNoDelay(true);
        afterRequestHead(s, () => {
          s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${ONE_BYTE_WRITES_BYTES}\r\nConnection: close\r\n\r\n`);
          const x = Buffer.from('x');
          let left = ONE_BYTE_WRITES_BYTES;
          const next = (): void => {
            if (left-- > 0 && alive(s)) s.write(x, () => setImmediate(next));
            else if (alive(s)) s.end();
          };
          next();
        });
        return;
      case 'reset-mid-body':
        afterRequestHead(s, () => {
          s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
          s.write('x'.repeat(RESET_AFTER_BYTES));
          later(s, timers, 50, () => s.resetAndDestroy());
        });
        return;
    }
  });

  const target = redirectTarget;
  return {
    host,
    port: base.port,
    tls: kind === 'tls-stall',
    connections: base.connections,
    ...(target ? { redirectTarget: { host: targetHost, port: target.port, hits: target.connections } } : {}),
    close: async () => {
      await Promise.all([base.close(), target?.close()]);
    },
  };
}

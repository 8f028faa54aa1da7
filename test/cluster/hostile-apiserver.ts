// Hostile API-server behaviours, plugged into the simulator (apiserver-sim.ts `override`): a
// `continue` token that repeats or never ends, a server that accepts and never answers, one that
// drips bytes, a body sent one byte per TLS record, a page that ignores `limit` (generated as it is
// sent, never built in memory), and a Status with a huge message. Each stops when its response is
// closed, so the simulator's close() ends them.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Hostile = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/** Several hostile behaviours, each for its own path (the first that takes a request answers it). */
export function all(...modes: Hostile[]): Hostile {
  return (req, res, url) => modes.some((m) => m(req, res, url));
}

function page(items: string, cont: string | undefined): string {
  return `{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"${cont ? `,"continue":${JSON.stringify(cont)}` : ''}},"items":[${items}]}`;
}

function json(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Every page of `path` answers `perPage` items and the same continue token. */
export function repeatingContinue(path: string, item: (i: number) => object, perPage = 10): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    json(res, 200, page(Array.from({ length: perPage }, (_, i) => JSON.stringify(item(i))).join(','), 'the-same-token'));
    return true;
  };
}

/** Every page of `path` answers `perPage` items and a new continue token, forever. */
export function endlessContinue(path: string, item: (i: number) => object, perPage = 500): Hostile {
  let n = 0;
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    const items: string[] = [];
    for (let i = 0; i < perPage; i++) items.push(JSON.stringify(item(n++)));
    json(res, 200, page(items.join(','), `token-${n}`));
    return true;
  };
}

/** Accepts the request on `path` and never answers. */
export function silent(path: string): Hostile {
  return (_req, _res, url) => url.pathname === path;
}

/** Answers `path` with a list's first bytes, then one byte every `everyMs`, forever. */
export function drip(path: string, everyMs = 50): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"kind":"List","items":[');
    const t = setInterval(() => res.write(' '), everyMs);
    res.on('close', () => clearInterval(t));
    return true;
  };
}

/** Answers `path` with `body`, one byte per write (one TLS record each), honouring backpressure. */
export function oneByteChunks(path: string, body: () => string): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    const b = Buffer.from(body());
    res.writeHead(200, { 'content-type': 'application/json' });
    let i = 0;
    let closed = false;
    res.on('close', () => { closed = true; });
    const pump = (): void => {
      while (!closed && i < b.length) {
        if (!res.write(b.subarray(i, ++i))) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
    return true;
  };
}

/** Answers `path` (whatever its `limit`) with one page of about `bytes` of generated items, no continue. */
export function ignoresLimit(path: string, bytes: number, item: (i: number) => object): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[');
    let sent = 0;
    let i = 0;
    let closed = false;
    res.on('close', () => { closed = true; });
    const pump = (): void => {
      while (!closed && sent < bytes) {
        let chunk = '';
        while (chunk.length < 64 * 1024) chunk += (i > 0 ? ',' : '') + JSON.stringify(item(i++));
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end(']}');
    };
    pump();
    return true;
  };
}

/** Answers `path` with `code` and a Status whose message is `messageBytes` long. */
export function hugeStatus(path: string, code: number, messageBytes: number): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    json(res, code, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: 'Forbidden', message: `forbidden: ${'A'.repeat(messageBytes)}` }));
    return true;
  };
}

/** Answers `path` with `count` generated items in pages of `perPage`, with continue tokens, and then ends (a large, honest list). */
export function manyItems(path: string, count: number, item: (i: number) => object, perPage = 500): Hostile {
  return (_req, res, url) => {
    if (url.pathname !== path) return false;
    const start = Number(url.searchParams.get('continue') ?? '0');
    const end = Math.min(count, start + perPage);
    const items: string[] = [];
    for (let i = start; i < end; i++) items.push(JSON.stringify(item(i)));
    json(res, 200, page(items.join(','), end < count ? String(end) : undefined));
    return true;
  };
}

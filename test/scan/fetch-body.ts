// A child for the body tests' memory guards: one request through the scanner's HTTP client
// (`fetch-body.ts HOST PORT PATH MAXBYTES [BODY_TIMEOUT_MS]`), printing what came back, not the body.
import { httpRequest } from '../../src/scan/http-client.ts';

const [host = '127.0.0.1', port = '0', path = '/', max = '1048576', bodyMs = '20000'] = process.argv.slice(2);
const t = Number(bodyMs);
const r = await httpRequest({ host, port: Number(port), tls: false, method: 'GET', path, maxBodyBytes: Number(max), timeouts: { connect: 2000, tls: 2000, headers: 5000, body: t } });
const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
process.stdout.write(JSON.stringify(r.ok ? { ok: true, status: r.res.status, bytes: r.res.body.length, truncated: r.res.truncated, allX: r.res.body.every((b) => b === 0x78), ms: r.ms, rss } : { ok: false, error: r.error, detail: r.detail, ms: r.ms, rss }) + '\n');

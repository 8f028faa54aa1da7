// Issue 10, end to end through the CLI against one simulated kubelet that answers on its three ports
// (10250, 10255, 10248) of one loopback address: its CVEs judged once for the host from what all
// the ports told; a scan identity's reach never reported as anonymous; and the jsonl summary line
// counting exactly what the json report counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simOptions, startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { runCli } from '../run-cli.ts';
import { summarize } from '../../src/checks/run.ts';
import type { Finding } from '../../src/checks/types.ts';

const TOKEN = 'kg-host-test-token-Hq7pX2mV9wR4';
const AGENT = 'system:serviceaccount:mon:agent';
const sims: KubeletSim[] = [];
let multi: KubeletSim; // one kubelet, three ports: anonymous on (Webhook: stats only), the agent may do everything
let closed: KubeletSim; // anonymous off, the agent may do everything
let dir = '';

/** A simulator on the first 127.0.64.x where 10250, 10255 and 10248 are free (the scan tells the ports by number). */
async function onStandardPorts(o: Parameters<typeof simOptions>[1], from: number): Promise<KubeletSim> {
  for (let i = from; i < from + 20; i++) {
    const s = await startKubeletSim(simOptions(`127.0.64.${i}`, { ...o, ports: { secure: 10250, readOnly: 10255, healthz: 10248 } }));
    if (s.ports.secure === 10250 && (!o?.readOnlyPort || s.ports.readOnly === 10255) && (!o?.healthz || s.ports.healthz === 10248)) return s;
    await s.close();
  }
  throw new Error('no 127.0.64.x with 10250, 10255 and 10248 free');
}

before(async () => {
  const policy = (u: string, v: string, s: string) => u === AGENT || (u === 'system:anonymous' && v === 'get' && s === 'stats');
  multi = await onStandardPorts({ anonymous: true, tokens: { [TOKEN]: AGENT }, policy, readOnlyPort: true, readOnlyCheckpoint: true, healthz: true, version: 'v1.31.2' }, 1);
  closed = await onStandardPorts({ tokens: { [TOKEN]: AGENT }, policy, version: 'v1.31.2' }, 40);
  sims.push(multi, closed);
  dir = mkdtempSync(join(tmpdir(), 'kg-scan-host-'));
  writeFileSync(join(dir, 'token'), TOKEN + '\n', { mode: 0o600 });
});
after(async () => {
  await Promise.all(sims.map((s) => s.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Rep {
  endpoints: Array<{ host: string; port: number; service: string; anonymous?: boolean; reachable: string[]; anonymousReachable?: string[]; identity: string }>;
  findings: Finding[];
  summary: ReturnType<typeof summarize>;
}

async function scanJson(host: string, ...extra: string[]): Promise<Rep> {
  const r = await runCli('scan', host, '--ports', '10250,10255,10248', '--format', 'json', '--no-progress', ...extra);
  assert.notEqual(r.code, 2, r.err);
  return JSON.parse(r.out) as Rep;
}

test('one kubelet on three ports: each CVE judged once for the host, from the union of its ports', async () => {
  const rep = await scanJson(multi.host, '--token-file', join(dir, 'token'), '--collect');
  assert.deepEqual(rep.endpoints.map((e) => e.port).sort(), [10248, 10250, 10255]);
  const cves = rep.findings.filter((f) => f.check === 'exposure-kubelet-cve');
  assert.ok(cves.length > 3, JSON.stringify(cves.map((f) => f.subject)));
  const subjects = cves.map((f) => f.subject!);
  assert.equal(new Set(subjects).size, subjects.length, `a CVE twice: ${subjects.join(', ')}`);
  for (const s of subjects) assert.match(s, new RegExp(`^${multi.host.replace(/\./g, '\\.')} CVE-`), 'subject: the host, not a port');
  // the live config (configz, read on 10250) and the read-only port's own answer agree: exposed
  const checkpoint = cves.find((f) => f.subject === `${multi.host} CVE-2025-0426`)!;
  assert.equal(checkpoint.status, 'fail', checkpoint.message);
});

test('without --collect: the read-only port seen serving /checkpoint decides CVE-2025-0426 once', async () => {
  const rep = await scanJson(multi.host);
  const checkpoint = rep.findings.filter((f) => f.check === 'exposure-kubelet-cve' && f.subject?.endsWith('CVE-2025-0426'));
  assert.equal(checkpoint.length, 1);
  assert.equal(checkpoint[0]!.status, 'fail', checkpoint[0]!.message);
});

test('an identity\'s reach is not "anonymous": the findings about anonymous requests rest on requests without credentials', async () => {
  const rep = await scanJson(multi.host, '--token-file', join(dir, 'token'));
  const secure = rep.endpoints.find((e) => e.port === 10250)!;
  assert.ok(secure.reachable.includes('exec'), 'the agent reaches exec');
  assert.deepEqual(secure.anonymousReachable, ['stats']);
  const anon = rep.findings.find((f) => f.check === 'exposure-kubelet-anonymous' && f.subject === `${multi.host}:10250`)!;
  assert.equal(anon.status, 'fail');
  assert.equal(anon.severity, 'high', 'anonymous requests reach stats only: not command execution');
  assert.match(anon.message, /as system:anonymous, and RBAC grants that user stats:/);
  assert.doesNotMatch(anon.message, /mon:agent|exec/);
  const exec = rep.findings.find((f) => f.check === 'exposure-kubelet-exec-reachable' && f.subject === `${multi.host}:10250`)!;
  assert.equal(exec.status, 'fail');
  assert.match(exec.message, /the identity bearer token/);
  const always = rep.findings.find((f) => f.check === 'exposure-kubelet-anonymous-alwaysallow' && f.subject === `${multi.host}:10250`)!;
  assert.equal(always.status, 'pass');

  // anonymous off, the token served: nothing says the kubelet accepts anonymous requests
  const shut = await scanJson(closed.host, '--token-file', join(dir, 'token'));
  const ep = shut.endpoints.find((e) => e.port === 10250)!;
  assert.equal(ep.anonymous, false);
  assert.deepEqual(ep.anonymousReachable, []);
  assert.ok(ep.reachable.includes('exec'));
  for (const id of ['exposure-kubelet-anonymous', 'exposure-kubelet-anonymous-alwaysallow']) {
    const f = shut.findings.find((x) => x.check === id)!;
    assert.equal(f.status, 'pass', `${id}: ${f.message}`);
  }
  const table = await runCli('scan', closed.host, '--ports', '10250', '--token-file', join(dir, 'token'), '--no-progress', '--no-color');
  assert.match(table.out, /anonymous off/);
  assert.doesNotMatch(table.out, /anonymous on/);
});

test('the jsonl summary line counts what the json report counts, for the same scan', async () => {
  for (const extra of [[], ['--token-file', join(dir, 'token'), '--collect']]) {
    const hosts = `${multi.host},${closed.host}`.split(',');
    const json = await runCli('scan', ...hosts, '--ports', '10250,10255,10248', '--format', 'json', '--no-progress', ...extra);
    const jsonl = await runCli('scan', ...hosts, '--ports', '10250,10255,10248', '--format', 'jsonl', '--no-progress', ...extra);
    const rep = JSON.parse(json.out) as Rep;
    const lines = jsonl.out.trim().split('\n').map((l) => JSON.parse(l) as { endpoint?: unknown; host?: string; findings?: Finding[]; summary?: { findings: unknown; open: number; probes: number } });
    const last = lines.at(-1)!;
    assert.ok(last.summary);
    assert.deepEqual(last.summary.findings, rep.summary);
    assert.equal(last.summary.open, rep.endpoints.length);
    // and the findings streamed are the json report's, line by line
    const streamed = lines.flatMap((l) => l.findings ?? []);
    assert.deepEqual(summarize(streamed), rep.summary);
    assert.equal(streamed.length, rep.findings.length);
    // each host's CVE verdicts come once, on a host line after that host's endpoints
    const hostLines = lines.filter((l) => l.host !== undefined);
    assert.deepEqual(hostLines.map((l) => l.host).sort(), hosts.sort());
    assert.equal(json.code, jsonl.code);
  }
});

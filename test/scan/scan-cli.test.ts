// `kubelet-guard scan` end to end, through the CLI, against kubelet simulators on distinct
// loopback addresses (127.0.0.0/8 only): classification, streaming, --collect, exit codes, and
// that no probe ever asked a kubelet to run anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIM_SECRET_VALUES, startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { runCli } from '../run-cli.ts';

const sims: KubeletSim[] = [];
let open: KubeletSim; // anonymous + AlwaysAllow, read-only port on
let webhook: KubeletSim; // anonymous + Webhook, only stats allowed
let closed: KubeletSim; // anonymous off

before(async () => {
  open = await startKubeletSim({ host: '127.0.61.1', anonymous: true, authorization: 'AlwaysAllow', fineGrained: true, debuggingHandlers: true, readOnlyPort: true, healthz: true, cert: 'self-signed' });
  webhook = await startKubeletSim({ host: '127.0.61.2', anonymous: true, authorization: 'Webhook', policy: (_u, verb, sub) => verb === 'get' && sub === 'stats', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'ca-signed' });
  closed = await startKubeletSim({ host: '127.0.61.3', anonymous: false, authorization: 'Webhook', fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'ca-signed' });
  sims.push(open, webhook, closed);
});
after(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

const run = (...args: string[]) => runCli('scan', ...args);

const portsOf = (s: KubeletSim) => [s.ports.secure, s.ports.readOnly, s.ports.healthz].filter((p): p is number => p !== undefined);

test('three kubelets, classified exactly; the open one is a critical failure', async () => {
  const ports = [...new Set(sims.flatMap(portsOf))].join(',');
  const r = await run('127.0.61.1-3', '--ports', ports, '--format', 'json', '--no-progress');
  assert.equal(r.code, 1, r.err);
  const rep = JSON.parse(r.out);
  const secure = (host: string, port: number) => rep.endpoints.find((e: { host: string; port: number }) => e.host === host && e.port === port);
  const a = secure('127.0.61.1', open.ports.secure);
  assert.equal(a.service, 'kubelet');
  assert.equal(a.anonymous, true);
  assert.equal(a.authorization, 'AlwaysAllow');
  assert.ok(a.reachable.includes('exec') && a.reachable.includes('pods'));
  const b = secure('127.0.61.2', webhook.ports.secure);
  assert.equal(b.anonymous, true);
  assert.equal(b.authorization, 'Webhook');
  assert.deepEqual(b.reachable, ['stats']);
  const c = secure('127.0.61.3', closed.ports.secure);
  assert.equal(c.anonymous, false);
  assert.deepEqual(c.reachable, []);
  assert.ok(rep.findings.some((f: { check: string; status: string; severity: string }) => f.check === 'exposure-kubelet-anonymous-alwaysallow' && f.status === 'fail' && f.severity === 'critical'));
  assert.ok(rep.findings.some((f: { check: string; status: string }) => f.check === 'exposure-kubelet-read-only-port' && f.status === 'fail'));
  // never a request that would run something, on any simulator
  for (const s of sims) {
    for (const q of s.requests) {
      assert.ok(q.method === 'GET' || q.method === 'POST', `${q.method} ${q.path}`);
      assert.ok(!q.upgrade, `upgrade on ${q.path}`);
    }
  }
});

test('--collect: what an attacker gets, secrets as fingerprints only; /configz runs the node checks', async () => {
  const r = await run('127.0.61.1', '--ports', String(open.ports.secure), '--collect', '--format', 'json', '--no-progress');
  const rep = JSON.parse(r.out);
  const ep = rep.endpoints[0];
  assert.ok(ep.collected.pods.count >= 1, JSON.stringify(ep.collected));
  assert.ok(ep.collected.pods.secretEnv.length >= 1);
  for (const secret of SIM_SECRET_VALUES) assert.ok(!r.out.includes(secret), `leaked ${secret}`);
  assert.match(ep.version ?? '', /1\.31\.4/);
  assert.ok(ep.collected.configz.effective, JSON.stringify(ep.collected.configz));
  assert.ok(rep.findings.some((f: { check: string; subject?: string }) => f.check === 'kubelet-anonymous-auth' && f.subject?.startsWith('127.0.61.1')));
});

test('jsonl streams one line per endpoint and a summary; usage errors exit 2', async () => {
  const r = await run('127.0.61.1-3', '--ports', [open.ports.secure, webhook.ports.secure].join(','), '--format', 'jsonl');
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length >= 3);
  assert.ok(lines.at(-1).summary);
  // adaptive timing and two pools by default; --connect-timeout and --concurrency override them
  const timing = lines.at(-1).summary.timing;
  assert.equal(timing.connectTimeout, 'adaptive');
  assert.ok(timing.connects >= timing.classifications && timing.classifications >= 1, JSON.stringify(timing));
  assert.ok(timing.eventLoopDelayMs.max >= 0);
  const fixed = await run('127.0.61.1-3', '--ports', String(open.ports.secure), '--format', 'jsonl', '--connect-timeout', '700', '--concurrency', '8');
  const fixedTiming = JSON.parse(fixed.out.trim().split('\n').at(-1)!).summary.timing;
  assert.equal(fixedTiming.connectTimeout, 700);
  assert.equal(fixedTiming.connects, 8);
  assert.equal(fixedTiming.classifications, 8);
  assert.equal((await run('127.0.61.1', '--concurrency', '0')).code, 2);
  // a small sweep connects in the main thread; --threads outside 0..16 is a usage error that says so
  assert.equal(timing.threads, 0);
  for (const bad of ['17', '-1', 'two']) {
    const r = await run('127.0.61.1', '--threads', bad);
    assert.equal(r.code, 2);
    assert.match(r.err, /--threads .*: expected a whole number from 0 to 16/);
  }
  assert.equal((await run('10.0.0.0/8', '--no-progress')).code, 2); // over the sweep guard
  assert.equal((await run('300.1.2.3')).code, 2);
  assert.equal((await run()).code, 2);
  assert.equal((await run('127.0.61.1', '--cert', '/nonexistent')).code, 2);
});

test('hostile servers on the scanned ports: the sweep finishes in its time, nothing followed, nothing kept', async () => {
  const { HOSTILE_KINDS, startHostile } = await import('./hostile.ts');
  const servers = await Promise.all(HOSTILE_KINDS.map((k, i) => startHostile(k, `127.0.63.${i + 1}`)));
  try {
    const ports = [...new Set(servers.map((s) => s.port))].join(',');
    const t0 = performance.now();
    const r = await run(`127.0.63.1-${servers.length}`, '--ports', ports, '--timeout', '800', '--connect-timeout', '500', '--format', 'json', '--no-progress');
    const ms = performance.now() - t0;
    const rep = JSON.parse(r.out);
    assert.ok(ms < 20_000, `took ${ms} ms`);
    assert.ok(rep.endpoints.length >= servers.length - 1, `found ${rep.endpoints.length}`);
    for (const ep of rep.endpoints) assert.notEqual(ep.service, 'kubelet', `${ep.host}:${ep.port} is no kubelet`);
    const redirect = servers.find((s) => s.redirectTarget);
    assert.equal(redirect?.redirectTarget?.hits(), 0, 'a redirect was followed');
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

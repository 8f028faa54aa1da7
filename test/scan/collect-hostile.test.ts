// `scan --collect` against kubelets whose answers are huge in other ways than size: a PodList of
// millions of objects or nested millions deep, a /metrics line that made the version pattern cubic,
// lines by the million, a configz with 60,000 feature gates or nested 500,000 deep. Each is bounded
// (refused before it is parsed, or read in linear time), the affected facts say why, and the CLI
// run is measured in a child: finished, peak RSS under 500 MiB. Loopback only (127.0.64.x).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubeletSim, type KubeletSim } from './kubelet-sim.ts';
import { runMeasured } from '../support/measured.ts';

const sims: KubeletSim[] = [];
const N = 500_000;

before(async () => {
  const gates = Array.from({ length: 60_000 }, (_, i) => `"Gate${i}":true`).join(',');
  const common = { anonymous: true, authorization: 'AlwaysAllow' as const, fineGrained: true, debuggingHandlers: true, readOnlyPort: false, healthz: false, cert: 'self-signed' as const };
  sims.push(
    await startKubeletSim({
      ...common,
      host: '127.0.64.1',
      bodies: {
        pods: `{"kind":"PodList","items":[${'{},'.repeat(5_000_000)}{}]}`,
        metrics: 'kubernetes_build_info{'.repeat(180_000),
        configz: `{"kubeletconfig":{"featureGates":{${gates}}}}`,
      },
    }),
    await startKubeletSim({
      ...common,
      host: '127.0.64.2',
      bodies: {
        pods: `{"kind":"PodList","items":${'['.repeat(4_000_000)}${']'.repeat(4_000_000)}}`,
        metrics: `${'a\n'.repeat(1_900_000)}kubernetes_build_info{git_version="v1.31.9",platform="linux/amd64"} 1\n`,
        configz: `{"kubeletconfig":{"logging":${'{"a":'.repeat(N)}1${'}'.repeat(N)}}}`,
      },
    }),
  );
});
after(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

test('hostile /pods, /metrics and /configz under --collect: bounded time and memory, facts say why', async () => {
  const ports = [...new Set(sims.map((s) => s.ports.secure))].join(',');
  const r = await runMeasured(['scan', '127.0.64.1-2', '--ports', ports, '--collect', '--format', 'json', '--no-progress', '--timeout', '20000'], { killAfterMs: 90_000 });
  assert.equal(r.killed, false, `killed after ${Math.round(r.ms)} ms`);
  assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < 500, `peak RSS ${r.peakRssMiB} MiB`);
  const rep = JSON.parse(r.out);
  const ep = (host: string) => rep.endpoints.find((e: { host: string; service: string }) => e.host === host && e.service === 'kubelet');
  const a = ep('127.0.64.1');
  const b = ep('127.0.64.2');
  assert.ok(a && b, r.out.slice(0, 2000));
  assert.match(a.collected.pods.error, /^the \/pods answer holds more than 1,000,000 JSON objects and lists \(\d+ bytes\): not analysed$/);
  assert.equal(a.version, undefined);
  assert.match(a.collected.metrics.error, /no readable git_version|no kubernetes_build_info/);
  assert.match(a.collected.configz.effective.featureGates.unknown, /configz lists 60,000 feature gates; a kubelet knows a few hundred/);
  assert.ok(!Object.keys(a.collected.configz.effective).some((k) => k.startsWith('featureGates.')));
  assert.match(b.collected.pods.error, /nests JSON deeper than 1000 levels/);
  assert.equal(b.version, 'v1.31.9');
  assert.match(b.collected.configz.error, /nests JSON deeper than 1000 levels/);
  // the facts that could not be read are unknown, never a pass
  const secrets = rep.findings.filter((f: { subject?: string; check: string }) => f.subject?.startsWith('127.0.64.') && f.check === 'exposure-secrets-in-pods');
  assert.equal(secrets.length, 2);
  for (const f of secrets) {
    assert.equal(f.status, 'unknown', `${f.subject}: ${f.status}`);
    assert.match(f.message, /could not be analysed: the \/pods answer (holds more than|nests JSON deeper)/);
  }
  console.log(`hostile collect: ${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMiB)} MiB`);
});

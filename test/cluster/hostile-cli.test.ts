// `kubelet-guard cluster` against a hostile API server (loopback), through the real CLI in a child
// process with a kill guard (test/support/measured.ts runs dist/: `npm run build` first): each case
// must finish in bounded time, not be killed, stay under 500 MiB peak RSS, write valid JSON, and
// make what it could not read `unknown` with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured, type Measured } from '../support/measured.ts';
import { startApiServerSim, type ApiServerSim, type ApiServerSimSpec } from './apiserver-sim.ts';
import * as H from './hostile-apiserver.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const MAX_RSS_MIB = 500;
const BASE: ApiServerSimSpec = { nodes: 3, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok' };

interface F { check: string; status: string; subject?: string; message: string }
interface Report { findings: F[]; summary: { unknown: number } }

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const pod = (i: number) => ({ metadata: { name: `p-${i}`, namespace: 'default' }, spec: { nodeName: 'node-00000', containers: [{ name: 'c', image: 'x' }] } });
const binding = (i: number) => ({
  metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [{ kind: 'User', name: `user-${i}-${'x'.repeat(100)}` }],
});

/** Runs the CLI against a simulator with `override`, asserting the guards every hostile case shares. */
async function against(override: H.Hostile, args: string[], opts: { maxMs: number; spec?: Partial<ApiServerSimSpec>; keepChars?: number }): Promise<{ r: Measured; rep: Report }> {
  const sim = await startApiServerSim({ ...BASE, ...opts.spec, override });
  let r: Measured;
  try {
    // --fail-on none: the simulator's own findings fail (exit 1 wins over 3); the exit code shows incompleteness
    r = await runMeasured(['cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', ...args], { killAfterMs: opts.maxMs + 30_000, keepChars: opts.keepChars ?? 20_000_000 });
  } finally {
    await sim.close();
  }
  assert.equal(r.killed, false, `killed after ${r.ms} ms: ${r.err.slice(0, 500)}`);
  assert.ok(r.ms < opts.maxMs, `took ${Math.round(r.ms)} ms`);
  assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < MAX_RSS_MIB, `peak RSS ${r.peakRssMiB} MiB`);
  let rep: Report;
  try {
    rep = JSON.parse(r.out) as Report;
  } catch (e) {
    assert.fail(`not JSON (${(e as Error).message}), exit ${r.code}: ${r.err.slice(0, 500)}`);
  }
  assert.equal(rep.summary.unknown, rep.findings.filter((f) => f.status === 'unknown').length);
  return { r, rep };
}

const unknownOf = (rep: Report, check: string) => rep.findings.filter((f) => f.check === check && f.status === 'unknown');
const noRbacVerdicts = (rep: Report) => assert.deepEqual(rep.findings.filter((f) => f.check.startsWith('rbac-') && f.status !== 'unknown').map((f) => f.check), []);

describe('pagination that ends', () => {
  test('a continue token that repeats: the list stops at once, unknown, exit 3', async () => {
    const { r, rep } = await against(H.repeatingContinue('/api/v1/pods', pod), [], { maxMs: 20_000 });
    assert.equal(r.code, 3, r.err);
    assert.match(unknownOf(rep, 'workload-bypass')[0]?.message ?? '', /\/api\/v1\/pods: page 2 repeats a continue token the API server gave before/);
    // the nodes were still audited, and their static pods were not compared with a partial pod list
    assert.ok(rep.findings.some((f) => f.check === 'kubelet-anonymous-auth' && f.status === 'pass'));
    assert.equal(unknownOf(rep, 'hidden-static-pods').length, 3);
  });

  // (the page bound, an oversized token and an RBAC list cut short: src/cluster/fetch.test.ts and the 200 MB RBAC page below)
  test('a continue token that never ends: stopped at the item bound, unknown, bounded memory', async () => {
    const { r, rep } = await against(H.endlessContinue('/api/v1/pods', pod), [], { maxMs: 90_000 });
    assert.equal(r.code, 3, r.err);
    assert.match(unknownOf(rep, 'workload-bypass')[0]?.message ?? '', /stopped at 1000000 items, the bound on one list/);
  });
});

describe('deadlines everywhere', () => {
  test('a list request accepted and never answered: --timeout ends it, unknown', async () => {
    const { r, rep } = await against(H.silent('/api/v1/namespaces'), ['--timeout', '1500'], { maxMs: 15_000 });
    assert.equal(r.code, 3, r.err); // a list not read: the audit is incomplete
    assert.match(r.err, /incomplete: lists that could not be read: \/api\/v1\/namespaces \(GET \/api\/v1\/namespaces: timeout after 1500 ms\)/);
    assert.match(unknownOf(rep, 'namespace-pod-security')[0]?.message ?? '', /could not read \/api\/v1\/namespaces: GET \/api\/v1\/namespaces: timeout after 1500 ms/);
  });

  test('a list dripped one byte at a time: --timeout bounds the whole request, not each byte', async () => {
    const { rep } = await against(H.drip(`${RBAC}/clusterroles`, 20), ['--timeout', '1500'], { maxMs: 15_000 });
    assert.match(unknownOf(rep, 'rbac-kubelet-access')[0]?.message ?? '', /clusterroles: timeout after 1500 ms/);
    noRbacVerdicts(rep);
  });

  test('the run deadline: nodes not examined are unknown, the report is whole, exit 3', async () => {
    const { r, rep } = await against(() => false, ['--timeout', '600000', '--deadline', '3s', '--concurrency', '2'], {
      maxMs: 20_000, spec: { nodes: 6, configz: () => 'hang' },
    });
    assert.equal(r.code, 3, r.err);
    assert.ok(r.ms > 2500, `${r.ms} ms`);
    const nodes = unknownOf(rep, 'node-configz');
    assert.equal(nodes.length, 6);
    assert.ok(nodes.every((f) => /the run deadline \(--deadline 3s\) passed/.test(f.message)), JSON.stringify(nodes));
    assert.equal(nodes.filter((f) => /not examined/.test(f.message)).length, 4);
    assert.match(unknownOf(rep, 'cluster-run-deadline')[0]?.message ?? '', /the run deadline \(--deadline 3s\) passed after [\d.]+ s: 4 of 6 nodes were not examined/);
  });
});

describe('memory bounded by what is held', () => {
  test('a 1 MB body in one-byte TLS records: read whole, memory by bytes held', async () => {
    const podList = () => JSON.stringify({ kind: 'PodList', items: Array.from({ length: 1200 }, (_, i) => ({ ...pod(i), padding: 'p'.repeat(700) })) });
    const { rep } = await against(H.oneByteChunks('/api/v1/nodes/node-00000/proxy/pods', podList), ['--timeout', '120000'], { maxMs: 120_000 });
    // read and compared: no unknown for the node's static pods
    assert.deepEqual(unknownOf(rep, 'hidden-static-pods').map((f) => f.subject), []);
  });

  test('a 200 MB pod page that ignores limit: streamed item by item, read whole', async () => {
    const { rep } = await against(H.ignoresLimit('/api/v1/pods', 200 * 1024 * 1024, (i) => ({ ...pod(i), padding: 'q'.repeat(500) })), [], { maxMs: 120_000 });
    assert.deepEqual(unknownOf(rep, 'workload-bypass'), []);
  });

  test('a 200 MB RBAC page that ignores limit: what is kept is bounded, the list unknown', async () => {
    const { r, rep } = await against(H.ignoresLimit(`${RBAC}/clusterrolebindings`, 200 * 1024 * 1024, binding), [], { maxMs: 120_000 });
    assert.equal(r.code, 3, r.err);
    assert.match(unknownOf(rep, 'rbac-kubelet-access')[0]?.message ?? '', /the objects the audit keeps in memory went over 67108864 bytes/);
    noRbacVerdicts(rep);
  });

  test('pods whose kept parts are huge (mirror pods with 1 MB names): the kept bound stops the list, unknown', async () => {
    const mirror = (i: number) => ({ metadata: { name: `m-${i}-${'n'.repeat(1024 * 1024)}`, namespace: 'kube-system', annotations: { 'kubernetes.io/config.mirror': `h${i}` } }, spec: { nodeName: 'node-00000' } });
    const { r, rep } = await against(H.ignoresLimit('/api/v1/pods', 300 * 1024 * 1024, mirror), [], { maxMs: 120_000 });
    assert.equal(r.code, 3, r.err);
    assert.match(unknownOf(rep, 'workload-bypass')[0]?.message ?? '', /the objects the audit keeps in memory went over 67108864 bytes/);
  });

  test('a Status with a huge message: quoted cut short, or not read at all', async () => {
    const { rep } = await against(H.all(H.hugeStatus('/api/v1/nodes', 403, 50_000), H.hugeStatus('/api/v1/namespaces', 500, 20 * 1024 * 1024)), [], { maxMs: 20_000 });
    const nodes = unknownOf(rep, 'cluster-nodes')[0]?.message ?? '';
    assert.match(nodes, /HTTP 403: forbidden: A{900,1000}… \(\d+ more characters\)/);
    assert.ok(nodes.length < 2000, `${nodes.length} characters`);
    assert.match(unknownOf(rep, 'namespace-pod-security')[0]?.message ?? '', /HTTP 500 \(an answer over 65536 bytes, not read\)/);
  });
});

describe('exec credential plugins with a deadline', () => {
  function kubeconfigWith(sim: ApiServerSim, script: string): string {
    const plugin = join(dir, `plugin-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(plugin, script);
    chmodSync(plugin, 0o755);
    const kc = JSON.parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: unknown[]; contexts: unknown[]; 'current-context': string };
    kc.users.push({ name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } });
    kc.contexts.push({ name: 'exec', context: { cluster: 'sim', user: 'exec' } });
    kc['current-context'] = 'exec';
    const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, JSON.stringify(kc));
    return path;
  }
  /** running: in the process table and not a zombie (a killed orphan may wait for a reaper) */
  const alive = (pid: number): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };

  test('a plugin that never exits: killed with what it started at --timeout, a clear message, exit 2', async () => {
    const sim = await startApiServerSim(BASE);
    const pidFile = join(dir, 'sleeper.pid');
    try {
      const kc = kubeconfigWith(sim, `#!/bin/sh\nsleep 1000 &\necho $! > "${pidFile}"\nwait\n`);
      const r = await runMeasured(['cluster', '--kubeconfig', kc, '--format', 'json', '--timeout', '1500'], { killAfterMs: 30_000 });
      assert.equal(r.killed, false);
      assert.ok(r.ms < 10_000, `${r.ms} ms`);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /exec credential plugin ".*plugin-.*\.sh" did not exit within 1500 ms \(--timeout\); killed/);
      assert.ok(existsSync(pidFile));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await new Promise((res) => setTimeout(res, 200));
      assert.equal(alive(pid), false, 'the plugin\'s own child was killed too');
    } finally {
      await sim.close();
    }
  });

  test('a plugin that hangs when its expired token is refreshed: the lists are unknown with the reason, the report whole', async () => {
    const sim = await startApiServerSim(BASE);
    const counter = join(dir, 'calls');
    try {
      const kc = kubeconfigWith(sim, `#!/bin/sh
n=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${counter}"
if [ $n -gt 1 ]; then exec sleep 1000; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"wrong"}}'
`);
      const r = await runMeasured(['cluster', '--kubeconfig', kc, '--format', 'json', '--timeout', '1000'], { killAfterMs: 60_000 });
      assert.equal(r.killed, false);
      assert.ok(r.ms < 30_000, `${r.ms} ms`);
      const rep = JSON.parse(r.out) as Report;
      assert.match(unknownOf(rep, 'cluster-nodes')[0]?.message ?? '', /HTTP 401, and new credentials could not be had: exec credential plugin .* did not exit within 1000 ms/);
      noRbacVerdicts(rep);
    } finally {
      await sim.close();
    }
  });
});

describe('findings volume', () => {
  test('100,000 ClusterRoleBindings that each reach nodes/proxy: finished, bounded memory, one failed finding for the role that names its subjects', async () => {
    // 100,000 bindings of ~550 bytes: RBAC input just under the 64 MiB bound on kept lists (before: 638 MiB peak, one finding per binding)
    const N = 100_000;
    const reaching = (i: number) => ({
      metadata: { name: `crb-proxy-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-proxy-reader' },
      subjects: [{ kind: 'User', name: `user-${i}-${'x'.repeat(400)}` }],
    });
    const { r, rep } = await against(H.manyItems(`${RBAC}/clusterrolebindings`, N, reaching), [], { maxMs: 180_000 });
    console.error(`100,000 bindings reaching nodes/proxy: ${Math.round(r.ms)} ms, peak RSS ${r.peakRssMiB} MiB`);
    assert.equal(r.code, 0, r.err);
    const access = rep.findings.filter((f) => f.check === 'rbac-kubelet-access' && f.status === 'fail');
    assert.ok(access.length > 0);
    // one finding for the role's 100,000 subjects: the first named, the rest counted
    const grouped = access.filter((f) => f.subject === 'ClusterRole/node-proxy-reader');
    assert.equal(grouped.length, 1);
    assert.ok(!access.some((f) => f !== grouped[0] && f.message.includes('user-')));
    assert.match(grouped[0]!.message, /^100000 subjects may get nodes\/proxy through ClusterRole node-proxy-reader: User\/user-0-x+ \(ClusterRoleBinding\/crb-proxy-0\), .* and 99990 more; /);
  });

  test('50,000 ClusterRoles reaching nodes/proxy, each bound once: every finding streamed (JSON) or counted (table), bounded memory', async () => {
    // no role shared, so nothing to group: streamed to the JSON writer, counted in the table (before: 411 MiB JSON, 656 MiB and 20 MB of table)
    const N = 50_000;
    const role = (i: number) => ({ metadata: { name: `proxy-role-${i}` }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] });
    const bound = (i: number) => ({
      metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `proxy-role-${i}` },
      subjects: [{ kind: 'User', name: `user-${i}-${'x'.repeat(100)}` }],
    });
    const hostile = H.all(H.manyItems(`${RBAC}/clusterroles`, N, role), H.manyItems(`${RBAC}/clusterrolebindings`, N, bound));
    const { r, rep } = await against(hostile, [], { maxMs: 180_000, keepChars: 300_000_000 });
    console.error(`50,000 roles each bound once, JSON: ${Math.round(r.ms)} ms, peak RSS ${r.peakRssMiB} MiB`);
    assert.equal(r.code, 0, r.err);
    const access = rep.findings.filter((f) => f.check === 'rbac-kubelet-access' && f.status === 'fail' && f.subject?.startsWith('User/user-'));
    assert.equal(access.length, N);

    const sim = await startApiServerSim({ ...BASE, override: hostile });
    let t: Measured;
    try {
      t = await runMeasured(['cluster', '--kubeconfig', sim.kubeconfigPath, '--fail-on', 'none', '--no-color'], { killAfterMs: 210_000, keepChars: 20_000_000 });
    } finally {
      await sim.close();
    }
    console.error(`50,000 roles each bound once, table: ${Math.round(t.ms)} ms, peak RSS ${t.peakRssMiB} MiB, ${t.out.length} characters`);
    assert.equal(t.killed, false);
    assert.ok(t.peakRssMiB !== undefined && t.peakRssMiB < MAX_RSS_MIB, `peak RSS ${t.peakRssMiB} MiB`);
    assert.match(t.out, /RBAC findings: kubelet API access 5000\d,/);
    assert.match(t.out, /… and 4\d{4} more failed rbac-kubelet-access findings, not shown here \(all are in --format json\)/);
    assert.ok(t.out.length < 2_000_000, `${t.out.length} characters of table`);
  });
});

// A finding's severity is the check's own (docs/checks.md) unless the check documents the other
// severities it may give, each with when (CheckMeta.emits, listed under its section's table). This
// runs every node check over the example nodes (through the node command's fact gathering) and
// over built facts that reach the overriding branches (plain etcd listeners, trusted CAs, insecure
// static pods), and every scan check over probed endpoints, and asserts every severity a result
// carries is the check's own or documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { checks as SCAN_CHECKS } from '../src/checks/scan/index.ts';
import { isHostCheck } from '../src/checks/scan/types.ts';
import { evaluateSafely } from '../src/checks/run.ts';
import type { CheckMeta, CheckResult, Severity } from '../src/checks/types.ts';
import type { NodeFacts } from '../src/facts/types.ts';
import type { Endpoint } from '../src/scan/types.ts';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { factsFrom, KUBEADM_CONFIG } from '../src/checks/fixtures.ts';
import { component, kubeadmArgs, withControlPlane } from '../src/checks/control-plane/test-support.ts';
import { endpoint } from '../src/checks/scan/test-support.ts';
import { certs, serving } from '../src/checks/certs/test-support.ts';
import { manifest, pod, withManifests } from '../src/checks/static-pods/test-support.ts';
import { L, liveFacts } from '../src/checks/listeners/test-support.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const allowed = (m: CheckMeta): Set<Severity> => new Set([m.severity, ...(m.emits ?? []).map((e) => e.severity)]);

/** Every severity a result carried, by check id (to show that the overriding branches were reached). */
const seen = new Map<string, Set<Severity>>();
function judge(meta: CheckMeta, results: CheckResult[], where: string): void {
  for (const r of results) {
    if (r.severity === undefined) continue;
    assert.ok(allowed(meta).has(r.severity), `${meta.id} gave ${r.severity} (${r.status}) on ${where}, neither its own ${meta.severity} nor documented in meta.emits: ${r.message}`);
    if (r.severity !== meta.severity) (seen.get(meta.id) ?? seen.set(meta.id, new Set()).get(meta.id)!).add(r.severity);
  }
}
const runAll = (facts: NodeFacts, where: string) => {
  for (const c of NODE_CHECKS) judge(c.meta, evaluateSafely(c.meta, () => c.evaluate(facts)), where);
};

test('meta.emits: each entry another severity than the check\'s own, once, with when it applies', () => {
  for (const { meta } of [...NODE_CHECKS, ...SCAN_CHECKS]) {
    const sev = (meta.emits ?? []).map((e) => e.severity);
    assert.equal(new Set(sev).size, sev.length, meta.id);
    for (const e of meta.emits ?? []) {
      assert.notEqual(e.severity, meta.severity, meta.id);
      assert.ok(e.when.length >= 20, `${meta.id}: say when ${e.severity} applies`);
    }
  }
});

test('every example node: each finding has its check\'s severity or a documented one', () => {
  const dir = 'examples/nodes';
  const nodes = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory());
  assert.ok(nodes.length >= 5);
  for (const n of nodes) runAll(gatherNodeFacts({ root: path.join(dir, n) }), `examples/nodes/${n}`);
});

test('built facts that reach the overriding branches: severities are documented', () => {
  const etcd: Array<Record<string, string | null>> = [
    { 'listen-client-urls': 'http://127.0.0.1:2379' }, { 'listen-client-urls': 'https://127.0.0.1:2379,http://0.0.0.0:2379' }, { 'listen-client-urls': null },
    { 'client-cert-auth': null }, { 'client-cert-auth': null, 'trusted-ca-file': null }, { 'client-cert-auth': null, 'trusted-ca-file': null, 'listen-client-urls': 'https://127.0.0.1:2379' },
    { 'listen-peer-urls': 'http://192.168.0.150:2380' }, { 'listen-peer-urls': null }, { 'peer-client-cert-auth': null }, { 'peer-client-cert-auth': null, 'peer-trusted-ca-file': null },
    { 'auto-tls': 'true' }, { 'peer-auto-tls': 'true' }, { 'auto-tls': 'true', 'cert-file': null, 'key-file': null }, { 'listen-metrics-urls': 'http://0.0.0.0:2381' },
  ];
  for (const change of etcd) {
    const facts = factsFrom({ config: KUBEADM_CONFIG, patch: withControlPlane({ components: [component('etcd', kubeadmArgs('etcd', change)), component('kube-apiserver', kubeadmArgs('kube-apiserver', { 'authorization-mode': 'AlwaysAllow' }))] }) });
    runAll(facts, `etcd ${JSON.stringify(change)}`);
  }
  for (const config of [KUBEADM_CONFIG, KUBEADM_CONFIG.replace('enabled: false', 'enabled: true').replace('mode: Webhook', 'mode: AlwaysAllow')]) runAll(factsFrom({ config }), 'a kubelet config');
  // certificates expired, not yet valid, about to expire
  for (const c of [serving({ notAfter: '2020-01-01T00:00:00.000Z' }), serving({ notBefore: '2099-01-01T00:00:00.000Z' }), serving({ notAfter: new Date(Date.now() + 5 * 86_400_000).toISOString() })]) {
    runAll(factsFrom({ config: KUBEADM_CONFIG, patch: certs(c) }), `certificate ${c.notBefore}–${c.notAfter}`);
  }
  // static pods: a runtime socket, credentials, an unmounted volume, capabilities, host namespaces
  const spec = (vol: string, mount: boolean, caps: string) => `  hostPID: ${caps === 'SYS_PTRACE'}\n  hostIPC: true\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      capabilities:\n        add: [${caps}]\n${mount ? '    volumeMounts:\n    - name: v\n      mountPath: /h\n' : ''}  volumes:\n  - name: v\n    hostPath:\n      path: ${vol}\n`;
  const pods = [
    ['/run/containerd/containerd.sock', true, 'SYS_ADMIN'], ['/var/lib/etcd', true, 'NET_RAW'], ['/var/lib/kubelet', false, 'SYS_PTRACE'], ['/etc/kubernetes', true, 'SYSLOG'],
  ] as const;
  runAll(withManifests(pods.map(([v, m, c], i) => manifest(`p${i}.yaml`, pod(`p${i}`, spec(v, m, c)), { type: 'file', mode: i === 3 ? 0o644 : 0o600, uid: 0, gid: 0 }))), 'static pods');
  // listeners: etcd beyond loopback (plain, TLS without client certificates, unknown), kubelet ports that drift from the configuration
  for (const change of [{ 'listen-client-urls': 'http://0.0.0.0:2379' }, { 'client-cert-auth': null, 'trusted-ca-file': null }, {}] as Array<Record<string, string | null>>) {
    runAll(liveFacts([L('tcp', '0.0.0.0', 2379, 900, 'etcd'), L('tcp', '0.0.0.0', 10255, 812, 'kubelet'), L('tcp', '127.0.0.1', 10248, 812, 'kubelet')], { config: KUBEADM_CONFIG }, withControlPlane({ components: [component('etcd', kubeadmArgs('etcd', change))] })), `listeners ${JSON.stringify(change)}`);
  }
  runAll(liveFacts([L('tcp', '127.0.0.1', 10255, 812, 'kubelet')]), 'listeners: loopback read-only port');
  runAll(liveFacts([L('tcp', '0.0.0.0', 2379)]), 'listeners: no etcd facts');
  // kubelet config diagnostics: an unknown field (low), a second YAML document (info)
  runAll(factsFrom({ config: `${KUBEADM_CONFIG}\nreadOnlyPorts: 0\n---\nkind: Other\n` }), 'config diagnostics');
  // the etcd severities above were reached, not merely allowed
  const reached = {
    'etcd-cert-file': ['critical', 'medium'], 'etcd-client-cert-auth': ['medium', 'low'], 'etcd-client-plain-http': ['medium'], 'etcd-peer-client-cert-auth': ['medium', 'low'], 'etcd-auto-tls': ['low'],
    'cert-not-expired': ['medium'], 'static-pod-host-mounts': ['high', 'low'], 'static-pod-capabilities': ['critical', 'low'], 'static-pod-manifest-perms': ['medium'], 'static-pod-host-namespaces': ['medium'],
    'listener-etcd': ['critical', 'info'], 'listener-kubelet-ports': ['low'], 'kubelet-config-warnings': ['info'],
  };
  for (const [id, want] of Object.entries(reached)) {
    assert.deepEqual([...(seen.get(id) ?? [])].sort(), want.sort(), id);
  }
});

test('scan checks over probed endpoints: severities are documented', () => {
  const eps: Endpoint[] = [
    endpoint({ anonymous: true, authorization: 'AlwaysAllow' }),
    endpoint({ anonymous: true, authorization: 'Webhook', reachable: ['exec', 'pods'] }),
    endpoint({ anonymous: true, authorization: 'Webhook', reachable: ['pods'] }),
    endpoint({ anonymous: false, version: '1.30.0' }),
    endpoint({ anonymous: false, version: '1.24.0' }),
    ...[true, false].flatMap((tls) => [true, false, null].flatMap((cc) => [true, false, null].map((keys) => ({ tls, cc, keys })))).flatMap(({ tls, cc, keys }) => [
      endpoint({ port: 2379, service: 'etcd', etcd: { tls, clientCertRequired: cc, keysReadable: keys } }),
      endpoint({ port: 2380, service: 'etcd-peer', etcd: { tls, clientCertRequired: cc, keysReadable: keys } }),
    ]),
  ];
  for (const ep of eps) for (const c of SCAN_CHECKS) judge(c.meta, evaluateSafely(c.meta, () => (isHostCheck(c) ? c.evaluateHost(ep.host, [ep]) : c.evaluate(ep))), `${ep.service} ${JSON.stringify(ep.etcd ?? { anonymous: ep.anonymous })}`);
  for (const [id, want] of Object.entries({ 'exposure-kubelet-anonymous': ['critical'], 'exposure-etcd-no-client-auth': ['high'], 'exposure-etcd-peer-exposed': ['critical', 'medium'] })) {
    assert.deepEqual([...(seen.get(id) ?? [])].sort(), want.sort(), id);
  }
});

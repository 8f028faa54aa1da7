// Issue 10 §1: a check's title is a claim, and a pass must make it true. For every node-side worker
// check (sections kubelet-evidence, cis-4.1, cis-4.2, cis-4.3, kubelet-api, certificates, versions,
// static-pods, runtime-sockets, listeners): a passing case, and an assertion, read from the facts
// themselves and not from the check's own logic, of the very thing its title claims. A new check in
// these sections without an entry here fails the last test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateFact, Listener, NodeFacts, SettingValue } from '../facts/types.ts';
import { gatherNodeFacts } from '../sources/node.ts';
import { NODE_CHECKS } from './index.ts';
import type { Check, CheckResult, Section } from './types.ts';
import { factsFrom, KUBEADM_CONFIG } from './fixtures.ts';
import { certs, client, clientCA, serving } from './certs/test-support.ts';
import { STRONG_SUITES } from './kubelet/tls-cipher-suites.ts';
import { KUBELET_PID, L } from './listeners/test-support.ts';
import { KNOWN_CVES } from './versions/cves.ts';
import { inRange, parseVersion } from './versions/semver.ts';

const SECTIONS: Section[] = ['kubelet-evidence', 'cis-4.1', 'cis-4.2', 'cis-4.3', 'kubelet-api', 'certificates', 'versions', 'static-pods', 'runtime-sockets', 'listeners'];
/** In these sections, but whose wording another task owns (issue 10, helper E). */
const ELSEWHERE: Record<string, string> = {
  'kubelet-config-accepted': 'kubelet validation per version (issue 10, helper E)',
  'kubelet-event-qps': 'event-QPS policy wording (issue 10, helper E)',
};

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
/** kubeadm's config plus everything a hardened worker adds. */
const HARDENED = `${KUBEADM_CONFIG}tlsCertFile: /etc/kubernetes/pki/kubelet-serving.crt
tlsPrivateKeyFile: /etc/kubernetes/pki/kubelet-serving.key
tlsCipherSuites: [${STRONG_SUITES.join(', ')}]
podPidsLimit: 4096
seccompDefault: true
protectKernelDefaults: true
readOnlyPort: 0
`;

const eff = (f: NodeFacts, k: string): SettingValue | undefined => (f.kubelet.effective[k]?.unknown ? undefined : f.kubelet.effective[k]?.value);
const kubelet = (config = HARDENED, more: Parameters<typeof factsFrom>[0] = {}) => factsFrom({ config, ...more });

/** A hardened kubeadm control-plane node read by the real source (files, certificates, static pods, sockets). */
let example: NodeFacts | undefined;
const controlPlane = (): NodeFacts => (example ??= gatherNodeFacts({ root: 'examples/nodes/kubeadm-control-plane' }));

/** Live facts: the kubelet (pid 812) listening as kubeadm configures it, pid 1's network namespace read. */
function live(listeners: Listener[], config = HARDENED): NodeFacts {
  return factsFrom({
    config,
    patch: (f) => {
      f.mode = 'live';
      f.kubelet.invocation!.from = 'process';
      f.kubelet.invocation!.pid = KUBELET_PID;
      f.listeners = { available: true, listeners, sameNetnsAsInit: true };
    },
  });
}
const KUBEADM_LISTENERS = [L('tcp6', '::', 10250, KUBELET_PID, 'kubelet'), L('tcp', '127.0.0.1', 10248, KUBELET_PID, 'kubelet'), L('tcp', '127.0.0.1', 10249, 900, 'kube-proxy'), L('tcp', '127.0.0.1', 2379, 700, 'etcd')];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/;
const KUBEADM_PODS = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);
const isKubeadmPod = (name: string, ns: string) => ns === 'kube-system' && [...KUBEADM_PODS].some((c) => name === c || name.startsWith(`${c}-`));
const pods = (f: NodeFacts) => (f.staticPods?.manifests ?? []).filter((m) => !m.ignored).flatMap((m) => m.pods.map((p) => ({ m, p })));
const modeOk = (mode: number | undefined, max: number) => mode !== undefined && (mode & ~max) === 0;
const certsOf = (f: NodeFacts): Array<Pick<CertificateFact, 'notBefore' | 'notAfter' | 'keyType' | 'keyBits'>> =>
  f.certificates.filter((c) => c.error === undefined).flatMap((c) => [c, ...(c.chain ?? [])]);

interface Case {
  facts: () => NodeFacts;
  /** the title's claim, asserted from the facts */
  claim: (f: NodeFacts, results: CheckResult[]) => void;
  /** statuses besides pass this passing case may also give for some subjects (e.g. a CVE of another component) */
  also?: CheckResult['status'][];
}

/** Every file result's subject has the mode (or root owner) its title claims. */
const fileMode = (max: number): Case['claim'] => (f, rs) => {
  assert.ok(rs.length > 0);
  for (const r of rs) assert.ok(r.subject && modeOk(f.files[r.subject]?.mode, max), `${r.subject} mode ${f.files[r.subject!]?.mode?.toString(8)}`);
};
const rootOwned: Case['claim'] = (f, rs) => {
  assert.ok(rs.length > 0);
  for (const r of rs) assert.ok(r.subject && f.files[r.subject]?.uid === 0 && f.files[r.subject]?.gid === 0, `${r.subject} owner`);
};
/** An optional debugging handler: off, or behind anonymous-off and Webhook. */
const guarded = (setting: string): Case['claim'] => (f) =>
  assert.ok(eff(f, 'enableDebuggingHandlers') === false || eff(f, setting) === false || (eff(f, 'authentication.anonymous.enabled') === false && eff(f, 'authorization.mode') === 'Webhook'));

const CASES: Record<string, Case> = {
  // ── kubelet evidence ──
  'kubelet-found': { facts: () => kubelet(), claim: (f) => assert.ok(f.kubelet.invocation && !f.kubelet.missing) },
  'kubelet-evidence-complete': {
    facts: () => live(KUBEADM_LISTENERS),
    claim: (f) => {
      assert.ok(f.privileged && f.unreadable.length === 0);
      assert.ok(f.listeners?.sameNetnsAsInit === true && !f.listeners.unknown && !(f.listeners.incomplete ?? []).length);
    },
  },
  'kubelet-config-warnings': { facts: () => kubelet(), claim: (f) => assert.deepEqual(f.kubelet.diagnostics.filter((d) => !d.fatal), []) },

  // ── CIS 4.1 ──
  'file-kubelet-service-perms': { facts: controlPlane, claim: fileMode(0o600) },
  'file-kubelet-service-owner': { facts: controlPlane, claim: rootOwned },
  'file-kube-proxy-kubeconfig-perms': { facts: () => withKubeProxyFile(0o600), claim: fileMode(0o600) },
  'file-kube-proxy-kubeconfig-owner': { facts: () => withKubeProxyFile(0o600), claim: rootOwned },
  'file-kubelet-kubeconfig-perms': { facts: controlPlane, claim: fileMode(0o600) },
  'file-kubelet-kubeconfig-owner': { facts: controlPlane, claim: rootOwned },
  'file-client-ca-perms': { facts: controlPlane, claim: fileMode(0o644) },
  'file-client-ca-owner': { facts: controlPlane, claim: rootOwned },
  'file-kubelet-config-perms': { facts: controlPlane, claim: fileMode(0o600) },
  'file-kubelet-config-owner': { facts: controlPlane, claim: rootOwned },

  // ── CIS 4.2 ──
  'kubelet-anonymous-auth': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'authentication.anonymous.enabled'), false) },
  'kubelet-authorization-mode': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'authorization.mode'), 'Webhook') },
  'kubelet-client-ca-file': { facts: () => kubelet(), claim: (f) => assert.ok(typeof eff(f, 'authentication.x509.clientCAFile') === 'string' && eff(f, 'authentication.x509.clientCAFile') !== '') },
  'kubelet-read-only-port': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'readOnlyPort'), 0) },
  'kubelet-streaming-idle-timeout': {
    facts: () => kubelet(HARDENED, { version: '1.23.17' }),
    claim: (f) => assert.ok(typeof eff(f, 'streamingConnectionIdleTimeout') === 'string' && !/^0[a-z]*$/.test(String(eff(f, 'streamingConnectionIdleTimeout')))),
  },
  'kubelet-iptables-util-chains': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'makeIPTablesUtilChains'), true) },
  'kubelet-hostname-override': { facts: () => kubelet(), claim: (f) => assert.equal(String(eff(f, '--hostname-override') ?? '').trim(), '') },
  'kubelet-tls-cert-files': {
    facts: () => kubelet(),
    claim: (f) => assert.ok((eff(f, 'tlsCertFile') !== '' && eff(f, 'tlsPrivateKeyFile') !== '') || eff(f, 'serverTLSBootstrap') === true),
  },
  'kubelet-rotate-certificates': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'rotateCertificates'), true) },
  'kubelet-rotate-server-certificate-gate': { facts: () => kubelet(HARDENED, { version: '1.33.4' }), claim: (f) => assert.notEqual(eff(f, 'featureGates.RotateKubeletServerCertificate'), false) },
  'kubelet-tls-cipher-suites': { facts: () => kubelet(), claim: (f) => assert.ok((eff(f, 'tlsCipherSuites') as string[]).every((s) => STRONG_SUITES.includes(s))) },
  'kubelet-pod-pids-limit': { facts: () => kubelet(), claim: (f) => assert.ok(Number(eff(f, 'podPidsLimit')) > 0 && eff(f, 'cgroupsPerQOS') === true) },
  'kubelet-seccomp-default': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'seccompDefault'), true) },

  // ── CIS 4.3 ──
  'kube-proxy-metrics-localhost': {
    facts: () => kubelet(HARDENED, { patch: (f) => { f.kubeProxy = { present: true, source: 'test', metricsBindAddress: { value: '127.0.0.1:10249', source: { kind: 'flag', detail: '--metrics-bind-address=127.0.0.1:10249' } } }; } }),
    claim: (f) => assert.match(f.kubeProxy.metricsBindAddress!.value, /^(127\.0\.0\.1|\[::1\]):\d+$/),
  },

  // ── kubelet API exposure ──
  'kubelet-protect-kernel-defaults': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'protectKernelDefaults'), true) },
  'kubelet-webhook-authz-without-token-authn': { facts: () => kubelet(), claim: (f) => assert.ok(eff(f, 'authorization.mode') !== 'Webhook' || eff(f, 'authentication.webhook.enabled') === true) },
  'kubelet-debugging-handlers': { facts: () => kubelet(), claim: guarded('enableDebuggingHandlers') },
  'kubelet-profiling-handler': { facts: () => kubelet(), claim: guarded('enableProfilingHandler') },
  'kubelet-debug-flags-handler': { facts: () => kubelet(), claim: guarded('enableDebugFlagsHandler') },
  'kubelet-system-log-handler': { facts: () => kubelet(), claim: guarded('enableSystemLogHandler') },
  'kubelet-healthz-bind-address': { facts: () => kubelet(), claim: (f) => assert.ok(eff(f, 'healthzPort') === 0 || LOOPBACK.test(String(eff(f, 'healthzBindAddress')))) },
  'kubelet-static-pod-url': { facts: () => kubelet(), claim: (f) => assert.equal(eff(f, 'staticPodURL'), '') },
  'kubelet-api-open-to-anyone': {
    facts: () => kubelet(),
    claim: (f) => assert.ok(!(eff(f, 'authentication.anonymous.enabled') === true && eff(f, 'authorization.mode') === 'AlwaysAllow' && eff(f, 'enableServer') === true)),
  },

  // ── certificates ──
  'cert-serving-ca-signed': {
    facts: () => kubelet(HARDENED, { patch: certs(serving(), client(), clientCA()) }),
    claim: (f) => {
      const s = f.certificates.find((c) => c.role === 'serving')!;
      assert.ok(s.selfSigned === false && s.issuer !== s.subject);
    },
  },
  'cert-not-expired': {
    facts: () => kubelet(HARDENED, { patch: certs(serving(), client(), clientCA()) }),
    claim: (f) => {
      const now = Date.parse(f.now);
      for (const c of certsOf(f)) assert.ok(Date.parse(c.notBefore!) <= now && Date.parse(c.notAfter!) - now > 30 * 86_400_000);
    },
  },
  'cert-strong-key': {
    facts: () => kubelet(HARDENED, { patch: certs(serving(), client(), clientCA()) }),
    claim: (f) => {
      for (const c of certsOf(f)) assert.ok((c.keyType === 'rsa' && c.keyBits! >= 2048) || (c.keyType === 'ec' && c.keyBits! >= 256) || c.keyType === 'ed25519');
    },
  },
  'cert-key-file-private': {
    facts: () => kubelet(HARDENED, { patch: certs(serving(), client(), clientCA()) }),
    claim: (f) => {
      for (const c of f.certificates.filter((x) => x.key)) assert.ok(modeOk(c.key!.mode, 0o600) && c.key!.uid === 0);
    },
  },
  'cert-client-ca-present': {
    facts: () => kubelet(HARDENED, { patch: certs(serving(), client(), clientCA()) }),
    claim: (f) => {
      const ca = f.certificates.find((c) => c.role === 'client-ca' && c.path === eff(f, 'authentication.x509.clientCAFile'));
      assert.ok(ca && ca.error === undefined && ca.subject);
    },
  },

  // ── versions ──
  'cve-known-kubelet-vulnerabilities': {
    facts: () => kubelet(HARDENED, { version: '1.36.0', patch: (f) => { f.os = { value: 'linux', source: 'test' }; } }),
    also: ['not-applicable'],
    claim: (f, rs) => {
      const v = parseVersion(f.kubelet.version!.value)!;
      for (const r of rs.filter((x) => x.status === 'pass')) {
        const cve = KNOWN_CVES.find((c) => c.id === r.subject)!;
        const affected = cve.affected.some((a) => inRange(v, a));
        assert.ok(!affected || cve.condition?.(f, v).exposed === false, `${cve.id} passes while the kubelet is exposed`);
      }
    },
  },

  // ── static pods ──
  'static-pod-host-mounts': {
    facts: controlPlane,
    claim: (f) => {
      const sensitive = /^\/(etc\/kubernetes|var\/lib\/kubelet|var\/lib\/etcd|run|var\/run)(\/|$)/;
      for (const { p } of pods(f)) for (const hp of p.hostPaths) if (sensitive.test(hp.path)) assert.ok(isKubeadmPod(p.name, p.namespace), `${p.name} mounts ${hp.path}`);
    },
  },
  'static-pod-privileged': { facts: controlPlane, claim: (f) => assert.ok(pods(f).every(({ p }) => p.containers.every((c) => !c.privileged))) },
  'static-pod-capabilities': { facts: controlPlane, claim: (f) => assert.ok(pods(f).every(({ p }) => p.containers.every((c) => c.capabilitiesAdd.length === 0))) },
  'static-pod-host-namespaces': {
    facts: controlPlane,
    claim: (f) => assert.ok(pods(f).every(({ p }) => !p.hostPID && !p.hostIPC && (!p.hostNetwork || isKubeadmPod(p.name, p.namespace)))),
  },
  'static-pod-writable-host-paths': {
    facts: controlPlane,
    claim: (f) => assert.ok(pods(f).every(({ p }) => isKubeadmPod(p.name, p.namespace) || p.hostPaths.every((hp) => hp.mounts.every((m) => m.readOnly)))),
  },
  'static-pod-namespace': { facts: controlPlane, claim: (f) => assert.ok(pods(f).every(({ p }) => ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(p.namespace || 'default'))) },
  'static-pod-manifest-perms': {
    facts: controlPlane,
    claim: (f) => {
      const sp = f.staticPods!;
      assert.ok(sp.stat && (sp.stat.mode! & 0o022) === 0 && sp.stat.uid === 0 && sp.stat.gid === 0);
      for (const m of sp.manifests.filter((x) => !x.ignored)) assert.ok(modeOk(m.stat.mode, 0o600) && m.stat.uid === 0 && m.stat.gid === 0, m.path);
    },
  },
  'static-pod-manifest-decodes': {
    facts: controlPlane,
    also: ['not-applicable'], // entries the kubelet never reads (dot files) are listed as such
    claim: (f) => {
      const read = f.staticPods!.manifests.filter((m) => !m.ignored);
      assert.ok(read.every((m) => m.error === undefined && m.pods.length === 1 && !m.extraDocuments));
      const names = read.map((m) => `${m.pods[0]!.namespace || 'default'}/${m.pods[0]!.name}`);
      assert.equal(new Set(names).size, names.length);
    },
  },

  // ── runtime sockets ──
  'runtime-socket-access': {
    facts: controlPlane,
    claim: (f) => {
      for (const s of (f.runtimeSockets?.sockets ?? []).filter((x) => x.stat.exists === true)) {
        const { mode = 0o777, uid, gid } = s.stat;
        assert.ok(s.stat.type === 'socket' && uid === 0 && (mode & 0o002) === 0, s.path);
        assert.ok((mode & 0o020) === 0 || (gid === 0 && (s.groupMembers ?? ['x']).every((m) => m === 'root')), s.path);
      }
    },
  },
  'runtime-socket-is-socket': { facts: controlPlane, claim: (f) => assert.ok((f.runtimeSockets?.sockets ?? []).filter((s) => s.stat.exists === true).every((s) => s.stat.type === 'socket')) },

  // ── listeners ──
  'listener-kubelet-ports': {
    facts: () => live(KUBEADM_LISTENERS),
    claim: (f) => {
      const on = (p: number) => f.listeners!.listeners.filter((l) => l.port === p);
      assert.ok(on(10250).length > 0 && on(10250).every((l) => l.pid === KUBELET_PID && ['::', '0.0.0.0'].includes(l.address)));
      assert.ok(on(10248).length > 0 && on(10248).every((l) => l.pid === KUBELET_PID && LOOPBACK.test(l.address)));
      assert.equal(on(10255).length, 0);
      assert.equal(eff(f, 'readOnlyPort'), 0);
    },
  },
  'listener-read-only-port': { facts: () => live(KUBEADM_LISTENERS), claim: (f) => assert.equal(f.listeners!.listeners.filter((l) => l.port === 10255).length, 0) },
  'listener-kube-proxy-metrics': {
    facts: () => live(KUBEADM_LISTENERS),
    claim: (f) => assert.ok(f.listeners!.listeners.filter((l) => l.port === 10249).every((l) => LOOPBACK.test(l.address))),
  },
  'listener-etcd': { facts: () => live(KUBEADM_LISTENERS), claim: (f) => assert.ok(f.listeners!.listeners.filter((l) => l.port === 2379 || l.port === 2380).every((l) => LOOPBACK.test(l.address))) },
};

function withKubeProxyFile(mode: number): NodeFacts {
  const p = '/var/lib/kube-proxy/kubeconfig';
  return kubelet(HARDENED, {
    files: { [p]: { type: 'file', mode, uid: 0, gid: 0 } },
    patch: (f) => {
      f.kubeProxy = { present: true, source: 'kube-proxy.service', kubeconfig: p };
    },
  });
}

const inScope = NODE_CHECKS.filter((c) => SECTIONS.includes(c.meta.section));
const byId = new Map<string, Check>(inScope.map((c) => [c.meta.id, c]));

for (const [id, c] of Object.entries(CASES)) {
  test(`${id}: a pass makes its title true`, () => {
    const check = byId.get(id);
    assert.ok(check, `${id} is not a check of these sections`);
    const facts = c.facts();
    const r = check.evaluate(facts);
    const rs = Array.isArray(r) ? r : [r];
    const allowed = ['pass', ...(c.also ?? [])];
    assert.ok(rs.some((x) => x.status === 'pass'), `${id}: no pass (${rs.map((x) => `${x.status}: ${x.message}`).join(' | ')})`);
    for (const x of rs) assert.ok(allowed.includes(x.status), `${id} ${x.subject ?? ''}: ${x.status}: ${x.message}`);
    c.claim(facts, rs.filter((x) => x.status === 'pass'));
  });
}

test('every check of these sections has a pass case here (or is owned by another task)', () => {
  const missing = inScope.map((c) => c.meta.id).filter((id) => !(id in CASES) && !(id in ELSEWHERE));
  assert.deepEqual(missing, [], `add a case to src/checks/titles-worker.test.ts for: ${missing.join(', ')}`);
  for (const id of Object.keys(ELSEWHERE)) assert.ok(byId.has(id), `${id} is no longer a check`);
});

test('the serving-certificate titles: CIS 4.2.9 claims the configuration only; cert-serving-ca-signed claims the certificate', () => {
  assert.doesNotMatch(byId.get('kubelet-tls-cert-files')!.meta.title, /CA-signed|self-signed|valid|expire|strong/i);
  assert.match(byId.get('cert-serving-ca-signed')!.meta.title, /signed by a CA, not self-signed/);
  // one fact (the kubelet's self-generated pair), one severity
  assert.equal(byId.get('kubelet-tls-cert-files')!.meta.severity, byId.get('cert-serving-ca-signed')!.meta.severity);
  void HDR;
});

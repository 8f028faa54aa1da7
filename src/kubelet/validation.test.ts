import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Arg } from '../facts/types.ts';
import { parseConfigDoc } from './config-file.ts';
import { computeEffectiveConfig } from './effective-config.ts';
import { parsePflags } from './pflag.ts';
import { minorOf, refusalDiagnostics, validateKubelet, type Refusal } from './validation.ts';

const CONFIG = '/var/lib/kubelet/config.yaml';
const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const KUBECONFIG = '--kubeconfig=/etc/kubernetes/kubelet.conf';

/** The refusals for a config file's text and flags (from /etc/default/kubelet line 1), as the node source builds them. */
function refusals(config: string | undefined, flags: string[] = [KUBECONFIG], version?: string): Refusal[] {
  const argv: Arg[] = flags.map((text) => ({ text, file: '/etc/default/kubelet', line: 1 }));
  const parsed = parsePflags(argv);
  const doc = config === undefined ? undefined : parseConfigDoc(Buffer.from(config), CONFIG, 'config-file');
  const effective = computeEffectiveConfig({ flags: parsed.flags, configFile: doc ? { path: CONFIG, doc } : undefined, dropIns: [] });
  return validateKubelet({ effective, flags: parsed.flags, version });
}
const only = (rs: Refusal[], setting: string) => rs.filter((r) => r.setting === setting);

test('a valid kubeadm-like config and a flags-only kubelet are accepted', () => {
  assert.deepEqual(refusals(`${HDR}authorization:\n  mode: Webhook\ncgroupDriver: systemd\n`, [KUBECONFIG], '1.33.4'), []);
  assert.deepEqual(refusals(undefined, ['--anonymous-auth=false'], '1.30.0'), []);
});

test('eventRecordQPS -1 is refused, at its file and line (validation.go)', () => {
  const [r, ...rest] = refusals(`${HDR}eventRecordQPS: -1\n`);
  assert.equal(rest.length, 0);
  assert.equal(r?.setting, 'eventRecordQPS');
  assert.equal(r?.file, CONFIG);
  assert.equal(r?.line, 3);
  assert.match(r!.message, /eventRecordQPS \(--event-qps\) -1 must not be a negative number/);
  assert.equal(r?.versions, undefined);
});

test('authorization.mode RBAC is refused (BuildAuthz: unknown mode); an explicit empty flag too', () => {
  const [r] = refusals(`${HDR}authorization:\n  mode: RBAC\n`);
  assert.equal(r?.setting, 'authorization.mode');
  assert.equal(r?.line, 4);
  assert.match(r!.message, /unknown authorization mode RBAC/);
  assert.match(only(refusals(undefined, ['--authorization-mode=']), 'authorization.mode')[0]!.message, /no authorization mode specified/);
});

test('webhook authentication or authorization without --kubeconfig is refused (standalone: no client)', () => {
  const rs = refusals(`${HDR}authorization:\n  mode: Webhook\n`, []);
  assert.match(only(rs, 'authentication.webhook.enabled')[0]!.message, /cannot use webhook authentication/);
  assert.match(only(rs, 'authorization.mode')[0]!.message, /cannot use webhook authorization/);
  // the flag defaults (no --config) are AlwaysAllow without webhook: nothing to refuse
  assert.deepEqual(refusals(undefined, []), []);
});

test('an unknown TLS cipher suite name and an unknown TLS version are refused (InitializeTLS)', () => {
  const rs = refusals(`${HDR}tlsCipherSuites:\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_WITH_AES_999_GCM\ntlsMinVersion: TLS1.2\n`);
  assert.match(only(rs, 'tlsCipherSuites')[0]!.message, /Cipher suite TLS_ECDHE_RSA_WITH_AES_999_GCM not supported/);
  assert.equal(only(rs, 'tlsCipherSuites')[0]!.line, 3);
  assert.match(only(rs, 'tlsMinVersion')[0]!.message, /unknown tls version "TLS1\.2"/);
  // legacy CHACHA20 names and insecure-but-known names are accepted (only logged by the kubelet)
  assert.deepEqual(refusals(`${HDR}tlsCipherSuites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305, TLS_RSA_WITH_3DES_EDE_CBC_SHA]\ntlsMinVersion: VersionTLS13\n`), []);
});

test('feature gates per version: removed, not yet known, locked, case; unknown version names the versions', () => {
  const cfg = `${HDR}featureGates:\n  DynamicKubeletConfig: false\n`;
  const removed = refusals(cfg, [KUBECONFIG], '1.30.2');
  assert.equal(removed[0]?.setting, 'featureGates.DynamicKubeletConfig');
  assert.equal(removed[0]?.line, 4);
  assert.match(removed[0]!.message, /unrecognized feature gate: DynamicKubeletConfig \(removed in 1\.26\)/);
  assert.deepEqual(refusals(cfg, [KUBECONFIG], '1.25.9'), []);
  assert.equal(refusals(cfg)[0]?.versions, '1.26 and later');

  assert.match(refusals(`${HDR}featureGates:\n  KubeletFineGrainedAuthz: true\n`, [KUBECONFIG], '1.31.0')[0]!.message, /unrecognized feature gate: KubeletFineGrainedAuthz \(introduced in 1\.32\)/);
  assert.match(refusals(`${HDR}featureGates:\n  KubeletFineGrainedAuthz: false\n`, [KUBECONFIG], '1.36.0')[0]!.message, /cannot set feature gate KubeletFineGrainedAuthz to false, feature is locked to true/);
  assert.deepEqual(refusals(`${HDR}featureGates:\n  KubeletFineGrainedAuthz: false\n`, [KUBECONFIG], '1.35.0'), []);
  assert.match(refusals(`${HDR}featureGates:\n  rotateKubeletServerCertificate: true\n`, [KUBECONFIG], '1.33.0')[0]!.message, /case-sensitive: RotateKubeletServerCertificate/);

  // on the command line: the flag's file and line
  const flag = refusals(`${HDR}`, [KUBECONFIG, '--feature-gates=DynamicKubeletConfig=true'], '1.31.0');
  assert.equal(flag[0]?.file, '/etc/default/kubelet');
});

test('a gate the compact table does not hold is not decided: it depends on whether this version knows it', () => {
  const [r] = refusals(`${HDR}featureGates:\n  SomeGateNotInTheTable: true\n`, [KUBECONFIG], '1.33.0');
  assert.equal(r?.versions, '1.33 that does not know the gate');
  assert.match(r!.message, /not in kubelet-guard's table/);
  // a node's config naming Object.prototype's members finds no spec either: never silently accepted
  for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
    const [p] = refusals(`${HDR}featureGates:\n  ${name}: true\n`, [KUBECONFIG], '1.33.0');
    assert.equal(p?.versions, '1.33 that does not know the gate', name);
  }
});

test('a flag the version removed: --container-runtime is an unknown flag on 1.27+', () => {
  const on127 = refusals(undefined, [KUBECONFIG, '--container-runtime=remote'], '1.27.0');
  assert.equal(on127.length, 1);
  assert.equal(on127[0]?.setting, '--container-runtime');
  assert.match(on127[0]!.message, /unknown flag: --container-runtime \(removed from the kubelet in 1\.27\)/);
  assert.equal(on127[0]?.file, '/etc/default/kubelet');
  assert.deepEqual(refusals(undefined, [KUBECONFIG, '--container-runtime=remote'], '1.26.5'), []);
  assert.equal(refusals(undefined, [KUBECONFIG, '--container-runtime=remote'])[0]?.versions, '1.27 and later');
});

test('gated settings follow the gate default of the version (serverTLSBootstrap, enableSystemLogQuery, image pull policy)', () => {
  assert.match(refusals(`${HDR}serverTLSBootstrap: true\nfeatureGates:\n  RotateKubeletServerCertificate: false\n`, [KUBECONFIG], '1.30.0')[0]!.message, /requires feature gate RotateKubeletServerCertificate/);
  assert.deepEqual(refusals(`${HDR}serverTLSBootstrap: true\n`, [KUBECONFIG], '1.30.0'), []);
  assert.match(refusals(`${HDR}enableSystemLogQuery: true\n`, [KUBECONFIG], '1.33.0')[0]!.message, /requires feature gate NodeLogQuery/);
  assert.deepEqual(refusals(`${HDR}enableSystemLogQuery: true\nfeatureGates:\n  NodeLogQuery: true\n`, [KUBECONFIG], '1.33.0'), []);
  const policy = `${HDR}imagePullCredentialsVerificationPolicy: AlwaysVerify\n`;
  assert.match(refusals(policy, [KUBECONFIG], '1.34.0')[0]!.message, /requires feature gate KubeletEnsureSecretPulledImages/);
  assert.deepEqual(refusals(policy, [KUBECONFIG], '1.35.0'), []);
  assert.equal(refusals(policy)[0]?.versions, 'before 1.35');
});

test('ranges and enums of validation.go', () => {
  const rs = refusals(`${HDR}imageGCHighThresholdPercent: 50\nimageGCLowThresholdPercent: 60\nhairpinMode: bridge\nport: 70000\nreadOnlyPort: 0\nhealthzPort: 0\noomScoreAdj: -1001\ncontainerLogMaxFiles: 1\nregistryPullQPS: -1\nenforceNodeAllocatable: [pods, kube-reserved]\n`);
  const settings = rs.map((r) => r.setting).sort();
  assert.deepEqual(settings, ['containerLogMaxFiles', 'enforceNodeAllocatable', 'hairpinMode', 'imageGCLowThresholdPercent', 'oomScoreAdj', 'port', 'registryPullQPS']);
  // a zero the defaulter replaces is not refused (port 0 in the file becomes 10250)
  assert.deepEqual(refusals(`${HDR}port: 0\neventBurst: 0\n`), []);
});

test('diagnostics: fatal, coded, with versions only when the version decides', () => {
  const argv: Arg[] = [{ text: '--container-runtime=remote', file: '/etc/default/kubelet', line: 2 }, { text: KUBECONFIG }];
  const parsed = parsePflags(argv);
  const effective = computeEffectiveConfig({ flags: parsed.flags, dropIns: [] });
  const [d] = refusalDiagnostics({ effective, flags: parsed.flags });
  assert.equal(d?.code, 'flag-removed');
  assert.equal(d?.fatal, true);
  assert.equal(d?.versions, '1.27 and later');
  assert.equal(d?.line, 2);
});

test('minorOf reads the kubelet version forms the sources give', () => {
  assert.equal(minorOf('1.33.4'), 33);
  assert.equal(minorOf('v1.31.2-eks-1234'), 31);
  assert.equal(minorOf('garbage'), undefined);
  assert.equal(minorOf(undefined), undefined);
});

test('property: any config text, flags and version never make validation throw', () => {
  const keys = ['eventRecordQPS', 'port', 'authorization:\n  mode', 'tlsCipherSuites', 'featureGates', 'enforceNodeAllocatable', 'imageMaximumGCAge', 'cpuCFSQuotaPeriod', 'hairpinMode'];
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.integer().map(String), fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)), fc.constant('[a, b]'), fc.constant('{A: true}'), fc.constant('-5s'))), { maxLength: 6 }),
    fc.array(fc.constantFrom('--container-runtime=x', '--feature-gates=A=true', '--tls-cipher-suites=FOO', KUBECONFIG, '--event-qps=-3'), { maxLength: 4 }),
    fc.option(fc.string({ maxLength: 10 })),
    (fields, flags, version) => {
      const text = HDR + fields.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
      const rs = refusals(text, flags, version ?? undefined);
      for (const r of rs) assert.equal(typeof r.message, 'string');
    },
  ), { numRuns: 300 });
});

test('a kubelet build that only warns on unknown gates (OpenShift) refuses none of them, but still a locked one', () => {
  const build = (config: string, version: string, extra: Partial<Parameters<typeof validateKubelet>[0]>) => {
    const parsed = parsePflags([{ text: KUBECONFIG, file: '/etc/default/kubelet', line: 1 }]);
    const doc = parseConfigDoc(Buffer.from(config), CONFIG, 'config-file');
    const effective = computeEffectiveConfig({ flags: parsed.flags, configFile: { path: CONFIG, doc }, dropIns: [] });
    return validateKubelet({ effective, flags: parsed.flags, version, ...extra });
  };
  const gates = `${HDR}featureGates:\n  AdminNetworkPolicy: true\n  DynamicKubeletConfig: true\n  nodeswap: true\n  NodeSwap: false\n`;
  // upstream: an unknown gate, a removed one, a case variant, and a locked one (1.34)
  const upstream = build(gates, '1.34.1', {}).map((r) => r.setting).sort();
  assert.deepEqual(upstream, ['featureGates.AdminNetworkPolicy', 'featureGates.DynamicKubeletConfig', 'featureGates.NodeSwap', 'featureGates.nodeswap']);
  assert.deepEqual(build(gates, '1.34.1', { unknownFeatureGates: 'warn' }).map((r) => r.setting), ['featureGates.NodeSwap']);
});

test('a kubelet build whose gate default differs (OpenShift: NodeLogQuery on) accepts what needs it', () => {
  const conf = `${HDR}enableSystemLogQuery: true\n`;
  assert.match(refusals(conf, [KUBECONFIG], '1.33.2').map((r) => r.message).join('\n'), /requires feature gate NodeLogQuery/);
  const parsed = parsePflags([{ text: KUBECONFIG, file: '/etc/default/kubelet', line: 1 }]);
  const doc = parseConfigDoc(Buffer.from(conf), CONFIG, 'config-file');
  const effective = computeEffectiveConfig({ flags: parsed.flags, configFile: { path: CONFIG, doc }, dropIns: [] });
  assert.deepEqual(validateKubelet({ effective, flags: parsed.flags, version: '1.33.2', gateDefaults: { NodeLogQuery: true } }), []);
  // an explicit false still wins over the build's default
  const off = parseConfigDoc(Buffer.from(`${conf}featureGates:\n  NodeLogQuery: false\n`), CONFIG, 'config-file');
  const eff2 = computeEffectiveConfig({ flags: parsed.flags, configFile: { path: CONFIG, doc: off }, dropIns: [] });
  assert.equal(validateKubelet({ effective: eff2, flags: parsed.flags, version: '1.33.2', gateDefaults: { NodeLogQuery: true } }).length, 1);
});

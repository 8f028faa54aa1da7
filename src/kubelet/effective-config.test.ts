import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../checks/fixtures.ts';

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const eff = (spec: Parameters<typeof factsFrom>[0]) => factsFrom(spec).kubelet.effective;

test('no --config: the legacy flag defaults (anonymous on, AlwaysAllow, read-only port 10255)', () => {
  const e = eff({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] });
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: true, source: { kind: 'flag-default' } });
  assert.equal(e['authorization.mode']?.value, 'AlwaysAllow');
  assert.equal(e['readOnlyPort']?.value, 10255);
  assert.equal(e['authentication.webhook.enabled']?.value, false);
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '4h0m0s');
  assert.equal(e['--kubeconfig']?.value, '/etc/kubernetes/kubelet.conf');
});

test('with --config: v1beta1 defaults, and a zero written in the file is replaced by the defaulter', () => {
  const e = eff({ config: KUBEADM_CONFIG });
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.kind, 'config-default');
  const idle = e['streamingConnectionIdleTimeout']!;
  assert.equal(idle.value, '4h0m0s');
  assert.equal(idle.source.kind, 'config-default');
  assert.equal(idle.source.line, 21);
  assert.equal(e['authentication.webhook.cacheTTL']?.value, '2m0s');
  assert.equal(e['authorization.webhook.cacheUnauthorizedTTL']?.value, '30s');
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: { kind: 'config-file', file: '/var/lib/kubelet/config.yaml', line: 5 } });
});

test('pointer fields keep an explicit zero or false; authorization.mode "" becomes Webhook', () => {
  const e = eff({ config: HEAD + 'makeIPTablesUtilChains: false\neventRecordQPS: 0\nhealthzPort: 0\nauthorization:\n  mode: ""\npodPidsLimit: -5\n' });
  assert.equal(e['makeIPTablesUtilChains']?.value, false);
  assert.equal(e['makeIPTablesUtilChains']?.source.kind, 'config-file');
  assert.equal(e['eventRecordQPS']?.value, 0);
  assert.equal(e['healthzPort']?.value, 0);
  assert.equal(e['authorization.mode']?.value, 'Webhook');
  assert.equal(e['podPidsLimit']?.value, -1);
});

test('drop-ins: merged in order, after defaulting, never defaulted', () => {
  const e = eff({
    config: KUBEADM_CONFIG,
    dropIns: [HEAD + 'streamingConnectionIdleTimeout: 0s\nreadOnlyPort: 10255\n', HEAD + 'readOnlyPort: 0\nfeatureGates:\n  A: true\n'],
  });
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '0s');
  assert.deepEqual(e['streamingConnectionIdleTimeout']?.source, { kind: 'drop-in', file: '/etc/kubernetes/kubelet.conf.d/10.conf', line: 3 });
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.file, '/etc/kubernetes/kubelet.conf.d/11.conf');
});

test('drop-ins without --config patch the flag defaults: the insecure legacy values stay', () => {
  const e = eff({ dropIns: [HEAD + 'readOnlyPort: 0\n'] });
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['authentication.anonymous.enabled']?.value, true);
  assert.equal(e['authorization.mode']?.value, 'AlwaysAllow');
});

test('explicit flags win over file and drop-ins; --streaming-connection-idle-timeout=0 really is 0', () => {
  const e = eff({
    config: KUBEADM_CONFIG,
    dropIns: [HEAD + 'readOnlyPort: 0\n'],
    flags: ['--read-only-port=10255', '--streaming-connection-idle-timeout=0', '--anonymous-auth'],
  });
  assert.equal(e['readOnlyPort']?.value, 10255);
  assert.deepEqual(e['readOnlyPort']?.source, { kind: 'flag', file: '/etc/default/kubelet', line: 1, detail: '--read-only-port=10255' });
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '0s');
  assert.equal(e['authentication.anonymous.enabled']?.value, true);
});

test('feature gates merge key by key: flag keys override, file-only keys stay', () => {
  const e = eff({
    config: HEAD + 'featureGates:\n  RotateKubeletServerCertificate: true\n  Other: true\n',
    flags: ['--feature-gates=RotateKubeletServerCertificate=false,New=true'],
  });
  assert.deepEqual(e['featureGates']?.value, { RotateKubeletServerCertificate: false, Other: true, New: true });
  assert.equal(e['featureGates.RotateKubeletServerCertificate']?.source.kind, 'flag');
  assert.equal(e['featureGates.Other']?.source.kind, 'config-file');
});

test('seccompDefault: the flag and the config field are ORed', () => {
  assert.equal(eff({ config: HEAD + 'seccompDefault: true\n', flags: ['--seccomp-default=false'] })['seccompDefault']?.value, true);
  assert.equal(eff({ config: HEAD, flags: ['--seccomp-default'] })['seccompDefault']?.value, true);
});

test('a refused --config makes every setting unknown except the ones explicit flags decide', () => {
  const e = eff({ config: 'apiVersion: v1\nkind: Pod\n', flags: ['--read-only-port=0'] });
  assert.equal(e['authentication.anonymous.enabled']?.value, null);
  assert.match(e['authentication.anonymous.enabled']!.unknown!, /refuses its --config file/);
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.unknown, undefined);
});

test('a refused drop-in makes the settings it names unknown', () => {
  const e = eff({ config: KUBEADM_CONFIG, dropIns: ['apiVersion: v1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n'] });
  assert.match(e['readOnlyPort']!.unknown!, /refuses the drop-in/);
  assert.equal(e['authentication.anonymous.enabled']?.value, false);
});

test('an invalid flag value makes its setting unknown', () => {
  const e = eff({ config: KUBEADM_CONFIG, flags: ['--read-only-port=abc'] });
  assert.match(e['readOnlyPort']!.unknown!, /invalid/);
});

test('repeated stringSlice flags append (pflag)', () => {
  const e = eff({ config: KUBEADM_CONFIG, flags: ['--tls-cipher-suites=A,B', '--tls-cipher-suites=C'] });
  assert.deepEqual(e['tlsCipherSuites']?.value, ['A', 'B', 'C']);
});

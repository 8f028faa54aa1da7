// OpenShift 4 on RHCOS (issue 14): detection from os-release (ID="rhcos") and the machine-config
// daemon's state, the kubelet's command line without the kubenswrapper exec wrapper, the MCO's
// rendered kubelet.conf with its provenance, OpenShift's kubelet build (unknown feature gates warn,
// NodeLogQuery on), and fixes that never touch a rendered file but name the KubeletConfig instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Finding } from '../../src/checks/types.ts';
import { makePlan } from '../../src/fix/plan.ts';
import { RootFs, type ReadResult } from '../../src/sources/root-fs.ts';
import { kubeletConfigExample, openshiftInstead, openshiftKubeletMinor } from '../../src/distros/openshift.ts';
import { auditFacts, copyOf, edit } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'openshift-worker'], { stdio: 'inherit' });
const EX = fileURLToPath(new URL('../../examples/nodes/openshift-worker', import.meta.url));
const CONFIG = '/etc/kubernetes/kubelet.conf';
const UNIT = '/etc/systemd/system/kubelet.service';

const audit = auditFacts;
const one = (fs: Finding[], id: string) => fs.find((f) => f.check === id);

const copy = () => copyOf('openshift-worker');

test('detected from os-release (ID="rhcos") and the machine-config-daemon, OpenShift 4.20, kubelet 1.33', () => {
  const { facts } = audit(EX);
  assert.equal(facts.distribution?.name, 'openshift');
  assert.deepEqual(facts.distribution?.version, { value: '4.20', source: '/etc/os-release' });
  assert.ok(facts.distribution?.evidence.includes('/etc/os-release matches ^ID="?(?:rhcos|scos)"?$'));
  assert.ok(facts.distribution?.evidence.includes('/etc/machine-config-daemon exists'));
  assert.deepEqual(facts.kubelet.version, { value: '1.33', source: '/etc/os-release (OPENSHIFT_VERSION 4.N ships Kubernetes 1.(N+13))' });
});

test('OKD (ID="scos") is OpenShift too; without OPENSHIFT_VERSION the RHCOS build is the version', () => {
  const root = copy();
  for (const f of ['/usr/lib/os-release']) {
    edit(root, f, /^ID="rhcos"$/m, 'ID="scos"');
    edit(root, f, /^OPENSHIFT_VERSION=.*\n/m, '');
  }
  const { facts } = audit(root);
  assert.equal(facts.distribution?.name, 'openshift');
  assert.deepEqual(facts.distribution?.version, { value: '420.96.202611040917-0', source: '/etc/os-release' });
  assert.equal(facts.kubelet.version, undefined); // not guessed
});

test('OpenShift 4.N ships Kubernetes 1.(N+13) from 4.12 on; nothing else is mapped', () => {
  assert.equal(openshiftKubeletMinor('OPENSHIFT_VERSION="4.12"\n'), '1.25');
  assert.equal(openshiftKubeletMinor('OPENSHIFT_VERSION="4.20"\n'), '1.33');
  assert.equal(openshiftKubeletMinor('OPENSHIFT_VERSION="4.11"\n'), undefined);
  assert.equal(openshiftKubeletMinor('OPENSHIFT_VERSION="5.1"\n'), undefined);
  assert.equal(openshiftKubeletMinor('NAME=x\n'), undefined);
});

test('--distribution openshift overrides detection', () => {
  const kubeadm = fileURLToPath(new URL('../../examples/nodes/kubeadm-worker', import.meta.url));
  const d = audit(kubeadm, { distribution: 'openshift' }).facts.distribution;
  assert.equal(d?.name, 'openshift');
  assert.equal(d?.overridden, true);
});

test('the command line: kubenswrapper is dropped, the kubelet\'s own argv keeps its file and line', () => {
  const { facts } = audit(EX);
  const inv = facts.kubelet.invocation!;
  assert.equal(inv.unit?.file, UNIT);
  assert.deepEqual(inv.argv[0], { text: '/usr/bin/kubelet', file: UNIT, line: 18 });
  assert.ok(!inv.argv.some((a) => a.text.includes('kubenswrapper')));
  assert.equal(facts.kubelet.configFile, CONFIG);
  const e = facts.kubelet.effective;
  assert.deepEqual(e['--kubeconfig'], { value: '/var/lib/kubelet/kubeconfig', source: { kind: 'flag', file: UNIT, line: 21, detail: '--kubeconfig=/var/lib/kubelet/kubeconfig' } });
  // ${KUBELET_NODE_NAME} from /etc/kubernetes/node.env (the AWS drop-in 20-node-env.conf)
  assert.equal(e['--hostname-override']?.value, 'ip-10-0-58-133.us-east-2.compute.internal');
  // ${KUBELET_LOG_LEVEL} from 20-logging.conf
  assert.equal(inv.argv.at(-1)?.text, '--v=2');
  // no positional argument is left (the kubelet refuses one)
  assert.equal(one(audit(EX).findings, 'kubelet-config-accepted')?.status, 'pass');
});

test('a wrapper not followed by the kubelet is not dropped', () => {
  const root = copy();
  edit(root, UNIT, '    /usr/bin/kubelet \\\n', '    /usr/bin/something-else \\\n');
  assert.equal(audit(root).facts.kubelet.invocation?.argv[0]?.text, '/usr/local/bin/kubenswrapper');
});

test('effective config: the MCO\'s kubelet.conf, zero durations defaulted, values and sources', () => {
  const e = audit(EX).facts.kubelet.effective;
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: { kind: 'config-file', file: CONFIG, line: 4 } });
  assert.deepEqual(e['authentication.x509.clientCAFile'], { value: '/etc/kubernetes/kubelet-ca.crt', source: { kind: 'config-file', file: CONFIG, line: 8 } });
  // not written: v1beta1 defaults of a --config file
  assert.equal(e['authentication.webhook.enabled']?.value, true);
  assert.equal(e['authentication.webhook.enabled']?.source.kind, 'config-default');
  assert.equal(e['authorization.mode']?.value, 'Webhook');
  assert.equal(e['authorization.mode']?.source.kind, 'config-default');
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.kind, 'config-default');
  // the encoder writes "0s"; the kubelet's defaulter replaces it
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '4h0m0s');
  assert.deepEqual(e['streamingConnectionIdleTimeout']?.source, { kind: 'config-default', file: CONFIG, line: 65, detail: 'the file writes "0s"; the v1beta1 defaulter replaces it' });
  assert.deepEqual(e['rotateCertificates'], { value: true, source: { kind: 'config-file', file: CONFIG, line: 58 } });
});

test('verdicts of the key checks', () => {
  const { findings } = audit(EX);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-client-ca-file', 'kubelet-config-accepted', 'kubelet-rotate-certificates', 'kubelet-tls-cipher-suites', 'kubelet-found']) {
    assert.equal(one(findings, id)?.status, 'pass', id);
  }
  assert.equal(one(findings, 'kubelet-seccomp-default')?.status, 'fail');
  const conf = findings.find((f) => f.check === 'file-kubelet-config-perms' && f.subject === CONFIG)!;
  assert.equal(conf.status, 'fail'); // the template writes 0644
  assert.match(conf.remediation ?? '', /machine-config-daemon checks it at every start/);
});

test('OpenShift\'s kubelet: unknown gates only warn, NodeLogQuery is on; an upstream kubelet refuses both', () => {
  assert.equal(one(audit(EX).findings, 'kubelet-config-accepted')?.status, 'pass');
  const upstream = audit(EX, { distribution: 'generic', kubeletVersion: '1.33.2' });
  assert.equal(one(upstream.findings, 'kubelet-config-accepted')?.status, 'fail');
  const refused = upstream.facts.kubelet.diagnostics.filter((d) => d.fatal).map((d) => d.message).join('\n');
  assert.match(refused, /enableSystemLogQuery true: invalid configuration: enableSystemLogQuery requires feature gate NodeLogQuery/);
  assert.match(refused, /featureGates\.AdminNetworkPolicy: .*not in kubelet-guard's table/);
  // (and without the OpenShift model the wrapper is a positional argument the kubelet refuses)
  assert.match(refused, /unexpected argument "\/usr\/bin\/kubelet"/);
  // a gate OpenShift's kubelet knows but cannot set is still refused (locked in 1.34)
  const locked = one(audit(EX, { kubeletVersion: '1.34.1' }).findings, 'kubelet-config-accepted')!;
  assert.equal(locked.status, 'fail');
  assert.match(locked.message, /NodeSwap/);
});

test('misconfigured: anonymous auth on and the read-only port open in kubelet.conf fail at that line; the fix is a KubeletConfig', () => {
  const root = copy();
  edit(root, CONFIG, /anonymous:\n {4}enabled: false/, 'anonymous:\n    enabled: true');
  edit(root, CONFIG, /^podPidsLimit: 4096$/m, 'podPidsLimit: 4096\nreadOnlyPort: 10255');
  const { findings } = audit(root);
  const anon = one(findings, 'kubelet-anonymous-auth')!;
  assert.equal(anon.status, 'fail');
  assert.ok(anon.evidence.some((ev) => ev.file === CONFIG && ev.line === 4), JSON.stringify(anon.evidence));
  assert.match(anon.remediation ?? '', /^\/etc\/kubernetes\/kubelet\.conf is not the place to change it: the machine-config-operator renders this file/);
  assert.match(anon.remediation ?? '', /kind: KubeletConfig, .*kubeletConfig: \{authentication: \{anonymous: \{enabled: false\}\}\}\}\}/);
  const port = one(findings, 'kubelet-read-only-port')!;
  assert.equal(port.status, 'fail');
  assert.ok(port.evidence.some((ev) => ev.file === CONFIG && ev.line === 57), JSON.stringify(port.evidence));
  assert.match(port.remediation ?? '', /kubeletConfig: \{readOnlyPort: 0\}/);
  const plan = makePlan({ root, fs: new RootFs(root) });
  assert.deepEqual(plan.changes, []);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port']) {
    assert.match(plan.manual.find((x) => x.check === id)?.why ?? '', /^\/etc\/kubernetes\/kubelet\.conf is not the place to change it: the machine-config-operator renders this file.*KubeletConfig/, id);
  }
});

test('the KubeletConfig example is one line of YAML that parses to the resource', () => {
  type KubeletConfigObject = { apiVersion: string; kind: string; spec: { machineConfigPoolSelector: unknown; kubeletConfig: unknown } };
  const obj = parse(kubeletConfigExample('authentication.anonymous.enabled', false)) as KubeletConfigObject;
  assert.equal(obj.kind, 'KubeletConfig');
  assert.equal(obj.apiVersion, 'machineconfiguration.openshift.io/v1');
  assert.deepEqual(obj.spec.machineConfigPoolSelector, { matchLabels: { 'pools.operator.machineconfiguration.openshift.io/worker': '' } });
  assert.deepEqual(obj.spec.kubeletConfig, { authentication: { anonymous: { enabled: false } } });
  assert.deepEqual((parse(kubeletConfigExample('streamingConnectionIdleTimeout', '5m0s')) as KubeletConfigObject).spec.kubeletConfig, { streamingConnectionIdleTimeout: '5m0s' });
  // fields a KubeletConfig may not set say so instead
  assert.match(openshiftInstead({ key: 'featureGates.NodeSwap', value: true }), /FeatureGate resource/);
  assert.match(openshiftInstead({ key: 'tlsCipherSuites', value: [] }), /tlsSecurityProfile/);
  assert.match(openshiftInstead({ meta: 'mode' }), /MachineConfig/);
});

test('fix on the example: nothing changed, every failure refused with where its change belongs', () => {
  const plan = makePlan({ root: EX, fs: new RootFs(EX) });
  assert.deepEqual(plan.changes, []);
  const managed = plan.findings.filter((x) => x.status === 'fail' && /machine-config/.test(x.noFix ?? ''));
  assert.ok(managed.length > 0);
  for (const f of managed) assert.ok(plan.manual.some((r) => r.check === f.check && r.subject === f.subject && /machine-config/.test(r.why)), f.check);
});

test('unknown, never pass: kubelet.conf unreadable', () => {
  const reader = new (class extends RootFs {
    override read(p: string, max?: number): ReadResult {
      return p === CONFIG ? { ok: false, path: p, code: 'EACCES', error: 'permission denied' } : super.read(p, max);
    }
  })(EX);
  const { findings } = audit(EX, { fs: reader });
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-authorization-mode']) assert.equal(one(findings, id)?.status, 'unknown', id);
});

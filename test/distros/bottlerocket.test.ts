// Bottlerocket (issue 14): detection from os-release and the kubelet-config template, the kubelet's
// command line from kubelet.service plus the rendered exec-start drop-in, the effective config with
// its provenance, and fixes that never touch a rendered file but name the setting instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/checks/types.ts';
import { makePlan } from '../../src/fix/plan.ts';
import { RootFs, type ReadResult } from '../../src/sources/root-fs.ts';
import { bottlerocketInstead } from '../../src/distros/bottlerocket.ts';
import { auditFacts, copyOf, edit } from './example-node.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js', 'bottlerocket', 'kubeadm-worker'], { stdio: 'inherit' });
const EX = fileURLToPath(new URL('../../examples/nodes/bottlerocket', import.meta.url));
const CONFIG = '/etc/kubernetes/kubelet/config';
const EXEC_START = '/etc/systemd/system/kubelet.service.d/exec-start.conf';

const audit = auditFacts;
const one = (fs: Finding[], id: string) => fs.find((f) => f.check === id);

const copy = () => copyOf('bottlerocket');

test('detected from os-release (ID=bottlerocket) and the kubelet-config template, with its version', () => {
  const { facts } = audit(EX);
  assert.equal(facts.distribution?.name, 'bottlerocket');
  assert.deepEqual(facts.distribution?.version, { value: '1.26.1', source: '/etc/os-release' });
  assert.deepEqual(facts.distribution?.evidence, [
    '/etc/os-release matches ^ID="?bottlerocket"?$',
    '/usr/lib/os-release matches ^ID="?bottlerocket"?$',
    '/usr/share/templates/kubelet-config exists',
  ]);
  // VARIANT_ID=aws-k8s-1.31 names the kubelet's minor version; CVE verdicts need the patch release
  assert.deepEqual(facts.kubelet.version, { value: '1.31', source: "/etc/os-release (VARIANT_ID names the kubelet's minor version)" });
});

test('one mark is enough; none left: not Bottlerocket; another ID is not Bottlerocket', () => {
  const root = copy();
  fs.rmSync(path.join(root, 'etc/os-release'));
  assert.equal(audit(root).facts.distribution?.name, 'bottlerocket'); // /usr/lib/os-release still says so
  edit(root, '/usr/lib/os-release', /^ID=bottlerocket$/m, 'ID=fedora');
  const t = audit(root).facts.distribution;
  assert.equal(t?.name, 'bottlerocket');
  assert.deepEqual(t?.evidence, ['/usr/share/templates/kubelet-config exists']);
  fs.rmSync(path.join(root, 'usr/share/templates/kubelet-config'));
  assert.notEqual(audit(root).facts.distribution?.name, 'bottlerocket');
});

test('--distribution bottlerocket overrides detection', () => {
  const kubeadm = fileURLToPath(new URL('../../examples/nodes/kubeadm-worker', import.meta.url));
  const d = audit(kubeadm, { distribution: 'bottlerocket' }).facts.distribution;
  assert.equal(d?.name, 'bottlerocket');
  assert.equal(d?.overridden, true);
  assert.deepEqual(d?.evidence, ['--distribution bottlerocket']);
});

test('the command line: kubelet.service under the read-only /usr, ExecStart from the rendered exec-start drop-in', () => {
  const { facts } = audit(EX);
  const inv = facts.kubelet.invocation!;
  assert.equal(inv.from, 'systemd-unit');
  assert.equal(inv.unit?.file, '/usr/lib/systemd/system/kubelet.service');
  assert.ok(inv.unit?.dropIns.includes(EXEC_START));
  assert.equal(inv.argv[0]?.text, '/usr/bin/kubelet');
  assert.equal(facts.kubelet.configFile, CONFIG);
  const e = facts.kubelet.effective;
  assert.deepEqual(e['--kubeconfig'], { value: '/etc/kubernetes/kubelet/kubeconfig', source: { kind: 'flag', file: EXEC_START, line: 5, detail: '--kubeconfig /etc/kubernetes/kubelet/kubeconfig' } });
  // ${NODE_IP} from the rendered EnvironmentFile /etc/kubernetes/kubelet/env
  assert.equal(e['--node-ip']?.value, '192.168.71.24');
  assert.equal(e['--hostname-override']?.source.line, 13);
});

test('effective config: the rendered template, values and sources', () => {
  const e = audit(EX).facts.kubelet.effective;
  const at = (line: number) => ({ kind: 'config-file', file: CONFIG, line });
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: at(7) });
  assert.deepEqual(e['authentication.webhook.enabled'], { value: true, source: at(10) });
  assert.deepEqual(e['authentication.x509.clientCAFile'], { value: '/etc/kubernetes/pki/ca.crt', source: at(12) });
  assert.deepEqual(e['authorization.mode'], { value: 'Webhook', source: at(14) });
  assert.deepEqual(e['readOnlyPort'], { value: 0, source: at(32) });
  assert.deepEqual(e['seccompDefault'], { value: false, source: at(38) });
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '4h0m0s');
  assert.equal(e['streamingConnectionIdleTimeout']?.source.kind, 'config-default');
});

test('verdicts of the key checks', () => {
  const { findings } = audit(EX);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-client-ca-file', 'kubelet-config-accepted', 'kubelet-found', 'kubelet-evidence-complete']) {
    assert.equal(one(findings, id)?.status, 'pass', id);
  }
  assert.equal(one(findings, 'kubelet-seccomp-default')?.status, 'fail');
  // every failing fix is in a rendered or read-only file: the remediation names where it belongs
  const seccomp = one(findings, 'kubelet-seccomp-default')!;
  assert.match(seccomp.remediation ?? '', /^\/etc\/kubernetes\/kubelet\/config is not the place to change it: Bottlerocket renders this file from its settings/);
  assert.match(seccomp.remediation ?? '', /`apiclient set settings\.kubernetes\.seccomp-default=true`/);
  const unit = findings.find((f) => f.check === 'file-kubelet-service-perms' && f.subject === '/usr/lib/systemd/system/kubelet.service')!;
  assert.equal(unit.status, 'fail');
  assert.match(unit.remediation ?? '', /read-only root filesystem \(verified by dm-verity\)/);
});

test('misconfigured: anonymous auth on and the read-only port open in the rendered config fail at that file and line; the fix names the settings', () => {
  const root = copy();
  // what a hand edit (or a custom template) would leave in the rendered file
  edit(root, CONFIG, /anonymous:\n {4}enabled: false/, 'anonymous:\n    enabled: true');
  edit(root, CONFIG, /^readOnlyPort: 0$/m, 'readOnlyPort: 10255');
  const { findings } = audit(root);
  const anon = one(findings, 'kubelet-anonymous-auth')!;
  assert.equal(anon.status, 'fail');
  assert.ok(anon.evidence.some((ev) => ev.file === CONFIG && ev.line === 7), JSON.stringify(anon.evidence));
  assert.match(anon.remediation ?? '', /settings\.kubernetes\.standalone-mode decides it .*`apiclient set settings\.kubernetes\.standalone-mode=false`/);
  const port = one(findings, 'kubelet-read-only-port')!;
  assert.equal(port.status, 'fail');
  assert.ok(port.evidence.some((ev) => ev.file === CONFIG && ev.line === 32), JSON.stringify(port.evidence));
  assert.match(port.remediation ?? '', /no Bottlerocket setting writes readOnlyPort: the kubelet-config template fixes it/);
  // fix proposes no edit of a rendered file, and says why for each
  const plan = makePlan({ root, fs: new RootFs(root) });
  assert.deepEqual(plan.changes, []);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port']) {
    const r = plan.manual.find((x) => x.check === id);
    assert.ok(r, id);
    assert.match(r.why, /^\/etc\/kubernetes\/kubelet\/config is not the place to change it: Bottlerocket renders this file/);
  }
});

test('fix on the example: nothing changed, every failure refused with where its change belongs', () => {
  const plan = makePlan({ root: EX, fs: new RootFs(EX) });
  assert.deepEqual(plan.changes, []);
  const failing = plan.findings.filter((f) => f.status === 'fail');
  assert.ok(failing.length > 0);
  for (const f of failing) assert.ok(plan.manual.some((r) => r.check === f.check && r.subject === f.subject && r.why.length > 40), f.check);
});

test('instead: each kubelet key maps to its setting, or says there is none', () => {
  assert.match(bottlerocketInstead({ key: 'eventRecordQPS', value: 5 }), /apiclient set settings\.kubernetes\.event-qps=5/);
  assert.match(bottlerocketInstead({ key: 'podPidsLimit', value: 4096 }), /settings\.kubernetes\.pod-pids-limit=4096/);
  assert.match(bottlerocketInstead({ key: 'tlsCipherSuites', value: ['TLS_AES_128_GCM_SHA256'] }), /no Bottlerocket setting writes tlsCipherSuites: the kubelet-config template fixes it/);
  assert.match(bottlerocketInstead({ key: 'streamingConnectionIdleTimeout', value: '5m' }), /leaves it at the kubelet's default/);
  assert.match(bottlerocketInstead({ key: 'authorization.mode', value: 'Webhook' }), /standalone-mode=false/);
  assert.match(bottlerocketInstead({ key: 'evictionHard.memory.available', value: '5%' }), /the setting is settings\.kubernetes\.eviction-hard/);
  assert.match(bottlerocketInstead({ flag: 'register-with-taints', value: 'a=b:NoSchedule' }), /settings\.kubernetes\.node-taints/);
  assert.match(bottlerocketInstead({ flag: 'containerd', value: '/x' }), /no Bottlerocket setting writes --containerd/);
  // a value with shell or TOML meaning is quoted as JSON
  assert.match(bottlerocketInstead({ key: 'clusterDomain', value: 'a b' }), /cluster-domain="a b"/);
});

test('unknown, never pass: the rendered config unreadable, or missing', () => {
  const reader = new (class extends RootFs {
    override read(p: string, max?: number): ReadResult {
      return p === CONFIG ? { ok: false, path: p, code: 'EACCES', error: 'permission denied' } : super.read(p, max);
    }
  })(EX);
  const denied = audit(EX, { fs: reader }).findings;
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-authorization-mode']) assert.equal(one(denied, id)?.status, 'unknown', id);
  const root = copy();
  fs.rmSync(path.join(root, CONFIG));
  const gone = audit(root).findings;
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port']) assert.notEqual(one(gone, id)?.status, 'pass', id);
  assert.equal(one(gone, 'kubelet-config-accepted')?.status, 'fail'); // the kubelet refuses a missing --config
});

test('hostile os-release: a huge file or control bytes neither detect nor leak', () => {
  const root = copy();
  fs.rmSync(path.join(root, 'etc/os-release'));
  fs.writeFileSync(path.join(root, 'etc/os-release'), `ID=bottlerocket\nVERSION_ID=\u001b[31mevil\nVARIANT_ID=aws-k8s-1.31\n${'x'.repeat(70 * 1024)}`);
  const { facts } = audit(root);
  assert.equal(facts.distribution?.name, 'bottlerocket'); // from /usr/lib/os-release and the template
  assert.ok(!facts.distribution?.evidence.some((e) => e.startsWith('/etc/os-release')));
  assert.equal(facts.distribution?.version?.source, '/usr/lib/os-release'); // the escape is no version
  assert.doesNotMatch(JSON.stringify(facts.distribution), /\u001b/);
});

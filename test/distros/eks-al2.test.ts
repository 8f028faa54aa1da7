// EKS on Amazon Linux 2 (src/distros/eks-al2.ts) on examples/nodes/eks-al2, from awslabs/amazon-eks-ami
// templates/al2: bootstrap.sh's unit, drop-ins and jq-edited kubelet-config.json, with provenance;
// no version on the node; --kubelet-extra-args as the place of a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, copyOf, edit, example, findingOf, lineOf, oversized, unreadable, verdict } from './example-node.ts';

const ARGS = '/etc/systemd/system/kubelet.service.d/10-kubelet-args.conf';
const EXTRA = '/etc/systemd/system/kubelet.service.d/30-kubelet-extra-args.conf';
const CONFIG = '/etc/kubernetes/kubelet/kubelet-config.json';

test('eks-al2: detected by the bootstrap drop-in, the AMI unit copy and kubelet-config.json; no version (release file has none)', async () => {
  const r = await example('eks-al2');
  assert.equal(r.distribution?.name, 'eks-al2');
  assert.deepEqual(r.distribution?.evidence, [`${ARGS} exists`, '/etc/eks/containerd/kubelet-containerd.service exists', `${CONFIG} exists`]);
  assert.equal(r.distribution?.version, undefined);
  assert.equal(r.kubelet.version, undefined);
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities', 'CVE-2024-10220'), 'unknown');
  // the flag a 1.35 kubelet refuses is named, with its line, not passed over
  const acc = r.findings.find((f) => f.check === 'kubelet-config-accepted' && f.status === 'unknown');
  assert.equal(acc?.subject, `${ARGS}:2`);
});

test('eks-al2: the unit, KUBELET_ARGS and KUBELET_EXTRA_ARGS, and kubelet-config.json, with provenance', async () => {
  const r = await example('eks-al2');
  const e = r.effectiveConfig;
  assert.deepEqual(r.kubelet.unit, { file: '/etc/systemd/system/kubelet.service', dropIns: [ARGS, EXTRA] });
  assert.equal(r.kubelet.configFile, CONFIG);
  assert.deepEqual(e['--config']?.source, { kind: 'flag', file: '/etc/systemd/system/kubelet.service', line: 11, detail: '--config /etc/kubernetes/kubelet/kubelet-config.json' });
  assert.deepEqual(e['--hostname-override'], { value: 'ip-10-0-10-220.us-west-2.compute.internal', source: { kind: 'flag', file: ARGS, line: 2, detail: '--hostname-override=ip-10-0-10-220.us-west-2.compute.internal' } });
  assert.deepEqual(e['--node-ip']?.source, { kind: 'flag', file: ARGS, line: 2, detail: '--node-ip=10.0.10.220' });
  const labels = r.kubelet.argv?.find((a) => a.text.startsWith('--node-labels='));
  assert.deepEqual({ file: labels?.file, line: labels?.line }, { file: EXTRA, line: 2 });
  assert.deepEqual(e['authentication.anonymous.enabled'], { value: false, source: { kind: 'config-file', file: CONFIG, line: 7 } });
  assert.deepEqual(e['readOnlyPort'], { value: 0, source: { kind: 'config-file', file: CONFIG, line: 26 } });
  assert.equal(e['cgroupDriver']?.value, 'systemd'); // bootstrap.sh's jq edit for containerd
  assert.equal(e['serverTLSBootstrap']?.value, true);
  assert.equal(e['maxPods']?.value, 29);
});

test('eks-al2: verdicts', async () => {
  const r = await example('eks-al2');
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-client-ca-file', 'kubelet-protect-kernel-defaults', 'kubelet-tls-cert-files', 'cert-serving-ca-signed']) assert.equal(verdict(r, id), 'pass', id);
  assert.equal(verdict(r, 'kubelet-tls-cipher-suites'), 'fail'); // TLS_RSA_* in the AMI's list
  assert.equal(verdict(r, 'kubelet-hostname-override'), 'fail'); // bootstrap.sh sets the EC2 private DNS name
  assert.equal(verdict(r, 'file-kubelet-config-perms'), 'fail'); // 0644
  const f = findingOf(r, 'file-kubelet-config-perms')!;
  assert.equal(f.fixes, undefined);
  assert.match(f.noFix ?? '', /bootstrap\.sh.*launch template's user data.*chmod after it/);
});

test('eks-al2 misconfigured: --read-only-port=10255 in --kubelet-extra-args fails at the 30-kubelet-extra-args.conf line', async () => {
  const root = copyOf('eks-al2');
  edit(root, EXTRA, (t) => t.replace("ON_DEMAND'", "ON_DEMAND --read-only-port=10255'"));
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['readOnlyPort'], { value: 10255, source: { kind: 'flag', file: EXTRA, line: 2, detail: '--read-only-port=10255' } });
  const f = findingOf(r, 'kubelet-read-only-port')!;
  assert.equal(f.status, 'fail');
  assert.match(f.message, /30-kubelet-extra-args\.conf:2/);
  assert.match(f.noFix ?? '', /--kubelet-extra-args/);
});

test('eks-al2 misconfigured: anonymous enabled in kubelet-config.json fails at its line', async () => {
  const root = copyOf('eks-al2');
  edit(root, CONFIG, (t) => t.replace('"enabled": false', '"enabled": true'));
  const line = lineOf(root, CONFIG, '"enabled": true');
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['authentication.anonymous.enabled']?.source, { kind: 'config-file', file: CONFIG, line });
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'fail');
});

test('eks-al2 unknown: a drop-in too large to read, or an unreadable kubelet-config.json, never passes', async () => {
  for (const [file, spoil] of [[EXTRA, oversized], [CONFIG, unreadable]] as const) {
    const root = copyOf('eks-al2');
    spoil(root, file);
    const r = await audit(root);
    for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-authorization-mode']) assert.equal(verdict(r, id), 'unknown', `${file}: ${id}`);
  }
});

// EKS on Amazon Linux 2023 (src/distros/eks-al2023.ts): detection, the kubelet version the AMI
// records (/etc/eks/kubelet-version.txt), a misconfigured copy, unknowns, and nodeadm's NodeConfig
// as the place of a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, copyOf, edit, example, findingOf, lineOf, unreadable, verdict } from './example-node.ts';

const CONFIG = '/etc/kubernetes/kubelet/config.json';

test('eks-al2023: detected by nodeadm files; the kubelet version from the AMI build', async () => {
  const r = await example('eks-al2023');
  assert.equal(r.distribution?.name, 'eks-al2023');
  assert.deepEqual(r.distribution?.evidence, ['/etc/eks/kubelet/environment exists', '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf exists']);
  assert.deepEqual(r.distribution?.version, { value: '1.33.5-eks-3025e55', source: '/etc/eks/kubelet-version.txt' });
  assert.deepEqual(r.kubelet.version, { value: '1.33.5', source: '/etc/eks/kubelet-version.txt' });
  assert.equal(verdict(r, 'kubelet-config-accepted'), 'pass'); // --config-dir and the DRA gate are known to 1.33
  assert.ok(r.findings.filter((f) => f.check === 'cve-known-kubelet-vulnerabilities').every((f) => f.status !== 'unknown'));
});

test('eks-al2023: without the version file the version is unknown, never guessed', async () => {
  const root = copyOf('eks-al2023');
  unreadable(root, '/etc/eks/kubelet-version.txt');
  const r = await audit(root);
  assert.equal(r.kubelet.version, undefined);
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities', 'CVE-2024-10220'), 'unknown');
});

test('eks-al2023 misconfigured: readOnlyPort 10255 in config.json fails at its line, and the fix belongs in the NodeConfig', async () => {
  const root = copyOf('eks-al2023');
  edit(root, CONFIG, (t) => t.replace('"readOnlyPort": 0', '"readOnlyPort": 10255'));
  const line = lineOf(root, CONFIG, '"readOnlyPort"');
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['readOnlyPort'], { value: 10255, source: { kind: 'config-file', file: CONFIG, line } });
  const f = findingOf(r, 'kubelet-read-only-port')!;
  assert.equal(f.status, 'fail');
  assert.match(f.message, new RegExp(`${CONFIG.replaceAll('/', '\\/').replaceAll('.', '\\.')}:${line}\\b`));
  assert.equal(f.fixes, undefined);
  assert.match(f.noFix ?? '', /nodeadm .*spec\.kubelet\.config/);
});

test('eks-al2023 unknown: an unreadable environment file never passes', async () => {
  const root = copyOf('eks-al2023');
  unreadable(root, '/etc/eks/kubelet/environment');
  const r = await audit(root);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-hostname-override']) assert.equal(verdict(r, id), 'unknown', id);
});

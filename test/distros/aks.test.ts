// AKS (src/distros/aks.ts) on examples/nodes/aks: detection, the command line AgentBaker builds
// (kubelet.service + /etc/default/kubelet + drop-ins + /etc/default/kubeletconfig.json) with the
// provenance of each setting, the verdicts, a misconfigured copy, unknowns, and where a fix belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, copyOf, edit, example, findingOf, lineOf, unreadable, verdict } from './example-node.ts';

test('aks: detected by AgentBaker files; no version on the node (never guessed)', async () => {
  const r = await example('aks');
  assert.equal(r.distribution?.name, 'aks');
  assert.deepEqual(r.distribution?.evidence, [
    '/opt/azure/containers/kubelet.sh exists',
    '/etc/systemd/system/kubelet.service.d/10-containerd-base-flag.conf exists',
    '/etc/default/kubeletconfig.json exists',
  ]);
  assert.equal(r.distribution?.version, undefined);
  assert.equal(r.kubelet.version, undefined);
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities', 'CVE-2024-10220'), 'unknown');
});

test('aks: the effective configuration keeps its layers (config JSON, drop-ins, KUBELET_FLAGS)', async () => {
  const r = await example('aks');
  const e = r.effectiveConfig;
  assert.equal(r.kubelet.from, 'systemd-unit');
  assert.equal(r.kubelet.configFile, '/etc/default/kubeletconfig.json');
  // --config comes from the drop-in 10-componentconfig.conf (KUBELET_CONFIG_FILE_FLAGS)
  assert.deepEqual(e['--config']?.source, { kind: 'flag', file: '/etc/systemd/system/kubelet.service.d/10-componentconfig.conf', line: 2, detail: '--config /etc/default/kubeletconfig.json' });
  // --kubeconfig twice, the same value: from the TLS bootstrap drop-in, then from KUBELET_FLAGS (last wins)
  assert.equal(e['--kubeconfig']?.value, '/var/lib/kubelet/kubeconfig');
  assert.equal(e['--kubeconfig']?.source.file, '/etc/default/kubelet');
  assert.equal(e['--node-ip']?.source.file, '/etc/default/kubelet');
  assert.equal(e['--node-ip']?.source.line, 1);
  // every word of the command line with the file and line systemd took it from
  const word = (text: string) => r.kubelet.argv?.find((a) => a.text === text);
  assert.deepEqual(word('/opt/bin/kubelet'), { text: '/opt/bin/kubelet', file: '/etc/systemd/system/kubelet.service', line: 26 });
  assert.equal(word('--container-runtime-endpoint=unix:///run/containerd/containerd.sock')?.file, '/etc/systemd/system/kubelet.service.d/10-containerd-base-flag.conf');
  assert.equal(word('--cgroup-driver=systemd')?.file, '/etc/systemd/system/kubelet.service.d/10-cgroupv2.conf');
  assert.deepEqual(word('--node-ip=10.224.0.4'), { text: '--node-ip=10.224.0.4', file: '/etc/default/kubelet', line: 1 });
  // AgentBaker marshals --anonymous-auth=false as "anonymous": {} (omitempty): the v1beta1 default decides
  assert.equal(e['authentication.anonymous.enabled']?.value, false);
  assert.equal(e['authentication.anonymous.enabled']?.source.kind, 'config-default');
  assert.equal(e['authorization.mode']?.value, 'Webhook');
  assert.deepEqual(e['authorization.mode']?.source, { kind: 'config-file', file: '/etc/default/kubeletconfig.json', line: 30 });
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.kind, 'config-default');
  assert.equal(e['protectKernelDefaults']?.value, true);
  assert.deepEqual(e['protectKernelDefaults']?.source, { kind: 'config-file', file: '/etc/default/kubeletconfig.json', line: 51 });
  assert.equal(e['serverTLSBootstrap']?.value, true);
  assert.equal(e['authentication.x509.clientCAFile']?.value, '/etc/kubernetes/certs/ca.crt');
});

test('aks: verdicts', async () => {
  const r = await example('aks');
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-client-ca-file', 'kubelet-protect-kernel-defaults', 'kubelet-rotate-certificates', 'kubelet-tls-cert-files', 'cert-serving-ca-signed', 'kubelet-config-accepted']) {
    assert.equal(verdict(r, id), 'pass', id);
  }
  assert.equal(verdict(r, 'file-kubelet-service-perms', '/etc/systemd/system/kubelet.service'), 'pass'); // 0600 by cloud-init
  assert.equal(verdict(r, 'file-kubelet-service-perms', '/etc/systemd/system/kubelet.service.d/10-containerd-base-flag.conf'), 'fail'); // tee, 0644
  assert.equal(verdict(r, 'kubelet-tls-cipher-suites'), 'fail'); // TLS_RSA_* in the RP's list
  assert.equal(verdict(r, 'kubelet-pod-pids-limit'), 'fail'); // --pod-max-pids=-1
  // every failure on an AgentBaker file says where the change belongs, and fix proposes nothing there
  const pids = findingOf(r, 'kubelet-pod-pids-limit')!;
  assert.equal(pids.fixes, undefined);
  assert.match(pids.noFix ?? '', /^\/etc\/default\/kubeletconfig\.json is not the place to change it: AKS writes this file/);
  assert.match(pids.remediation ?? '', /az aks nodepool add --kubelet-config FILE.*podMaxPids/);
});

test('aks: --distribution overrides detection; a plain kubelet.service then gets the edit', async () => {
  const r = await example('aks', '--distribution', 'generic');
  assert.equal(r.distribution?.name, 'generic');
  assert.equal(r.distribution?.overridden, true);
  assert.ok(findingOf(r, 'kubelet-pod-pids-limit')?.fixes?.length);
  const k = await example('kubeadm-worker', '--distribution', 'aks');
  assert.equal(k.distribution?.name, 'aks');
  assert.deepEqual(k.distribution?.evidence, ['--distribution aks']);
});

test('aks misconfigured: --anonymous-auth=true appended to KUBELET_FLAGS fails at /etc/default/kubelet:1', async () => {
  const root = copyOf('aks');
  edit(root, '/etc/default/kubelet', (t) => t.replace(/^(KUBELET_FLAGS=.*)$/m, '$1 --anonymous-auth=true'));
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['authentication.anonymous.enabled'], { value: true, source: { kind: 'flag', file: '/etc/default/kubelet', line: 1, detail: '--anonymous-auth=true' } });
  const f = findingOf(r, 'kubelet-anonymous-auth')!;
  assert.equal(f.status, 'fail');
  assert.match(f.message, /\/etc\/default\/kubelet:1/);
  assert.equal(f.fixes, undefined);
  assert.match(f.noFix ?? '', /AKS writes this file when it provisions the node/);
});

test('aks misconfigured: readOnlyPort 10255 in the config JSON fails at its line', async () => {
  const root = copyOf('aks');
  edit(root, '/etc/default/kubeletconfig.json', (t) => t.replace('"address": "0.0.0.0",', '"address": "0.0.0.0",\n    "readOnlyPort": 10255,'));
  const line = lineOf(root, '/etc/default/kubeletconfig.json', '"readOnlyPort"');
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['readOnlyPort']?.source, { kind: 'config-file', file: '/etc/default/kubeletconfig.json', line });
  assert.match(findingOf(r, 'kubelet-read-only-port')!.message, new RegExp(`/etc/default/kubeletconfig\\.json:${line}\\b`));
});

test('aks unknown: an unreadable KUBELET_FLAGS file or config JSON never passes', async () => {
  for (const file of ['/etc/default/kubelet', '/etc/default/kubeletconfig.json']) {
    const root = copyOf('aks');
    unreadable(root, file);
    const r = await audit(root);
    for (const id of ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-authorization-mode']) {
      assert.equal(verdict(r, id), 'unknown', `${file}: ${id}`);
    }
  }
});

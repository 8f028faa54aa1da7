// GKE (src/distros/gke.ts) on examples/nodes/gke, built from the GCE reference in kubernetes/kubernetes
// cluster/gce: detection and version from the kube-env, KUBELET_OPTS and kubelet-config.yaml with
// provenance, the reference's readOnlyPort 10255 failing at its line, a misconfigured copy, unknowns,
// and the node pool as the place of every fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../../src/sources/root-fs.ts';
import { kubeletVersionFromFile } from '../../src/sources/launch/version-file.ts';
import { gke } from '../../src/distros/gke.ts';
import { audit, copyOf, edit, example, findingOf, lineOf, unreadable, verdict } from './example-node.ts';

test('gke: detected by the kube-env and kubelet-config.yaml; version from the kube-env release URL', async () => {
  const r = await example('gke');
  assert.equal(r.distribution?.name, 'gke');
  assert.deepEqual(r.distribution?.evidence, ['/home/kubernetes/kube-env exists', '/home/kubernetes/kubelet-config.yaml exists']);
  assert.deepEqual(r.distribution?.version, { value: '1.31.5-gke.1023000', source: '/home/kubernetes/kube-env' });
  assert.deepEqual(r.kubelet.version, { value: '1.31.5', source: '/home/kubernetes/kube-env' });
  // the kube-env holds credentials on a real node: nothing of it but the version is reported
  assert.ok(!JSON.stringify(r).includes('readonly '));
});

test('gke: KUBELET_OPTS and kubelet-config.yaml, each setting with its file and line', async () => {
  const r = await example('gke');
  const e = r.effectiveConfig;
  assert.equal(r.kubelet.configFile, '/home/kubernetes/kubelet-config.yaml');
  assert.deepEqual(e['--config']?.source, { kind: 'flag', file: '/etc/default/kubelet', line: 1, detail: '--config /home/kubernetes/kubelet-config.yaml' });
  assert.equal(e['--cert-dir']?.value, '/var/lib/kubelet/pki/');
  assert.equal(e['--kubeconfig']?.source.file, '/etc/default/kubelet');
  assert.deepEqual(e['readOnlyPort'], { value: 10255, source: { kind: 'config-file', file: '/home/kubernetes/kubelet-config.yaml', line: 7 } });
  // the reference sets no authentication/authorization fields but the client CA: v1beta1 defaults decide
  assert.equal(e['authentication.anonymous.enabled']?.value, false);
  assert.equal(e['authentication.anonymous.enabled']?.source.kind, 'config-default');
  assert.equal(e['authentication.webhook.enabled']?.value, true);
  assert.equal(e['authorization.mode']?.value, 'Webhook');
  assert.equal(e['authorization.mode']?.source.kind, 'config-default');
  assert.deepEqual(e['authentication.x509.clientCAFile'], { value: '/etc/srv/kubernetes/pki/ca-certificates.crt', source: { kind: 'config-file', file: '/home/kubernetes/kubelet-config.yaml', line: 17 } });
  assert.equal(e['enableDebuggingHandlers']?.value, true);
  const word = (text: string) => r.kubelet.argv?.find((a) => a.text === text);
  assert.deepEqual(word('/home/kubernetes/bin/kubelet'), { text: '/home/kubernetes/bin/kubelet', file: '/etc/systemd/system/kubelet.service', line: 10 });
  assert.equal(word('--cgroup-driver=systemd')?.file, '/etc/default/kubelet');
});

test('gke: verdicts (the reference opens the read-only port; the files say what they say)', async () => {
  const r = await example('gke');
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-client-ca-file', 'kubelet-config-accepted']) assert.equal(verdict(r, id), 'pass', id);
  const ro = findingOf(r, 'kubelet-read-only-port')!;
  assert.equal(ro.status, 'fail');
  assert.match(ro.message, /\/home\/kubernetes\/kubelet-config\.yaml:7/);
  assert.equal(ro.fixes, undefined);
  assert.match(ro.noFix ?? '', /GKE's node startup .* writes this file again at every boot/);
  assert.match(ro.remediation ?? '', /--system-config-from-file=FILE.*insecureKubeletReadonlyPortEnabled/);
  assert.match(ro.remediation ?? '', /--no-enable-insecure-kubelet-readonly-port/);
  assert.equal(verdict(r, 'cert-serving-ca-signed'), 'fail'); // no tlsCertFile, no serverTLSBootstrap: self-signed
  // --cert-dir=/var/lib/kubelet/pki/ (trailing slash, as util.sh writes it): the kubelet joins the path
  assert.match(findingOf(r, 'kubelet-tls-cert-files')!.message, /serves \/var\/lib\/kubelet\/pki\/kubelet\.crt,/);
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities', 'CVE-2025-0426'), 'fail'); // 1.31.5 with 10255 open
  assert.equal(verdict(r, 'file-kubelet-kubeconfig-perms'), 'pass');
  assert.equal(verdict(r, 'file-client-ca-perms'), 'pass'); // umask 077 in create-node-pki
});

test('gke: --distribution generic audits the same files, and proposes the edit a plain node would get', async () => {
  const r = await example('gke', '--distribution', 'generic');
  assert.equal(r.distribution?.overridden, true);
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'fail');
  assert.ok(findingOf(r, 'kubelet-read-only-port')?.fixes?.length);
});

test('gke misconfigured: authorization AlwaysAllow added to kubelet-config.yaml fails at its line', async () => {
  const root = copyOf('gke');
  edit(root, '/home/kubernetes/kubelet-config.yaml', (t) => `${t}authorization:\n  mode: AlwaysAllow\n`);
  const line = lineOf(root, '/home/kubernetes/kubelet-config.yaml', 'mode: AlwaysAllow');
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['authorization.mode'], { value: 'AlwaysAllow', source: { kind: 'config-file', file: '/home/kubernetes/kubelet-config.yaml', line } });
  const f = findingOf(r, 'kubelet-authorization-mode')!;
  assert.equal(f.status, 'fail');
  assert.match(f.message, new RegExp(`/home/kubernetes/kubelet-config\\.yaml:${line}\\b`));
});

test('gke misconfigured: --anonymous-auth=true in KUBELET_OPTS fails at /etc/default/kubelet:1', async () => {
  const root = copyOf('gke');
  edit(root, '/etc/default/kubelet', (t) => t.replace('--cgroup-driver=systemd"', '--cgroup-driver=systemd --anonymous-auth=true"'));
  const r = await audit(root);
  assert.deepEqual(r.effectiveConfig['authentication.anonymous.enabled']?.source, { kind: 'flag', file: '/etc/default/kubelet', line: 1, detail: '--anonymous-auth=true' });
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'fail');
});

test('gke unknown: an unreadable kubelet-config.yaml never passes; an unreadable kube-env leaves the version unknown', async () => {
  const root = copyOf('gke');
  unreadable(root, '/home/kubernetes/kubelet-config.yaml');
  const r = await audit(root);
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode']) assert.equal(verdict(r, id), 'unknown', id);
  const v = copyOf('gke');
  unreadable(v, '/home/kubernetes/kube-env');
  const rv = await audit(v);
  assert.equal(rv.distribution?.name, 'gke'); // still detected (the folder exists, and kubelet-config.yaml)
  assert.equal(rv.kubelet.version, undefined);
  assert.equal(verdict(rv, 'cve-known-kubelet-vulnerabilities', 'CVE-2025-0426'), 'unknown');
});

test('gke hostile kube-env: only a plain version is taken, from a bounded read', () => {
  const root = copyOf('gke');
  const host = path.join(root, 'home/kubernetes/kube-env');
  const fs_ = new RootFs(root);
  const source = gke.version?.[0] as { file: string; pattern: RegExp };
  fs.writeFileSync(host, 'readonly SERVER_BINARY_TAR_URL=https://x/v1.31.5\u001b[31m/k.tar.gz\n');
  assert.equal(kubeletVersionFromFile(fs_, source), undefined);
  fs.writeFileSync(host, 'readonly SERVER_BINARY_TAR_URL=https://x/v99999.1.1/k.tar.gz\n');
  assert.equal(kubeletVersionFromFile(fs_, source), undefined);
  fs.writeFileSync(host, `readonly KUBELET_KEY=${'A'.repeat(2 * 1024 * 1024)}\nreadonly SERVER_BINARY_TAR_URL=https://x/v1.31.5/k.tar.gz\n`);
  assert.equal(kubeletVersionFromFile(fs_, source), undefined); // over the 1 MiB bound: not read at all
  fs.writeFileSync(host, 'readonly SERVER_BINARY_TAR_URL=https://x/v1.30.2-gke.7/k.tar.gz\n');
  assert.deepEqual(kubeletVersionFromFile(fs_, source), { value: '1.30.2', source: '/home/kubernetes/kube-env' });
});

// End to end: the CLI on the bundled example nodes, through its JSON, plus exit codes and output
// rules. The expected verdicts are the ones examples/nodes/README.md explains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { NodeReport } from '../src/report/model.ts';
import { runCli, runCliOn } from './run-cli.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });


async function report(example: string): Promise<NodeReport> {
  const r = await runCli('node', '--root', `examples/nodes/${example}`, '--format', 'json', '--fail-on', 'none');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as NodeReport;
}

const verdict = (r: NodeReport, check: string, subject?: string) =>
  r.findings.find((f) => f.check === check && (subject === undefined || f.subject === subject))?.status;

test('kubeadm-worker: secure by config file and its defaults, with provenance', async () => {
  const r = await report('kubeadm-worker');
  const e = r.effectiveConfig;
  assert.equal(r.kubelet.from, 'systemd-unit');
  assert.equal(r.kubelet.configFile, '/var/lib/kubelet/config.yaml');
  assert.deepEqual(r.kubelet.version, { value: '1.33.4', source: '/var/lib/dpkg/status (package kubelet)' });
  assert.equal(e['authentication.anonymous.enabled']?.value, false);
  assert.equal(e['authentication.anonymous.enabled']?.source.kind, 'config-file');
  assert.equal(e['readOnlyPort']?.value, 0);
  assert.equal(e['readOnlyPort']?.source.kind, 'config-default');
  // kubeadm writes 0s; the defaulter replaces the zero
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '4h0m0s');
  assert.equal(e['streamingConnectionIdleTimeout']?.source.kind, 'config-default');
  assert.equal(e['streamingConnectionIdleTimeout']?.source.file, '/var/lib/kubelet/config.yaml');
  assert.equal(e['--kubeconfig']?.value, '/etc/kubernetes/kubelet.conf');
  assert.equal(e['--kubeconfig']?.source.file, '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'pass');
  assert.equal(verdict(r, 'kubelet-authorization-mode'), 'pass');
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'pass');
  assert.equal(verdict(r, 'cert-serving-ca-signed'), 'fail');
  assert.equal(verdict(r, 'kube-proxy-metrics-localhost'), 'not-applicable');
  assert.equal(verdict(r, 'kubelet-config-accepted'), 'pass');
  // paths are node paths, never prefixed with --root
  assert.ok(!JSON.stringify(r).includes('examples/nodes/kubeadm-worker/'));
});

test('legacy-flags: no --config, so the legacy flag defaults open the kubelet (kube-bench passes 4.2.4 here)', async () => {
  const r = await report('legacy-flags');
  assert.equal(r.kubelet.configFile, undefined);
  assert.deepEqual(r.effectiveConfig['readOnlyPort'], { value: 10255, source: { kind: 'flag-default' } });
  assert.equal(verdict(r, 'kubelet-anonymous-auth'), 'fail');
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'fail');
  assert.equal(verdict(r, 'kubelet-authorization-mode'), 'pass'); // --authorization-mode=Webhook
  assert.equal(verdict(r, 'kube-proxy-metrics-localhost'), 'fail');
  assert.equal(r.kubelet.version, undefined);
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities'), 'unknown');
});

test('eks-al2023: config.json plus its drop-in, merged', async () => {
  const r = await report('eks-al2023');
  assert.equal(r.kubelet.configFile, '/etc/kubernetes/kubelet/config.json');
  assert.deepEqual(r.kubelet.dropIns, ['/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf']);
  const idle = r.effectiveConfig['streamingConnectionIdleTimeout'];
  assert.equal(idle?.source.kind, 'drop-in');
  assert.equal(verdict(r, 'kubelet-read-only-port'), 'pass');
  assert.equal(verdict(r, 'kubelet-hostname-override'), 'fail');
});

test('insecure: flags override a config file that looks secure; a drop-in zero is not defaulted', async () => {
  const r = await report('insecure');
  const e = r.effectiveConfig;
  assert.equal(e['authentication.anonymous.enabled']?.value, true);
  assert.deepEqual(e['authentication.anonymous.enabled']?.source, { kind: 'flag', file: '/etc/default/kubelet', line: 1, detail: '--anonymous-auth=true' });
  assert.equal(e['readOnlyPort']?.value, 10255);
  assert.equal(e['streamingConnectionIdleTimeout']?.value, '0s');
  assert.equal(e['streamingConnectionIdleTimeout']?.source.kind, 'drop-in');
  for (const id of ['kubelet-anonymous-auth', 'kubelet-authorization-mode', 'kubelet-read-only-port', 'kubelet-api-open-to-anyone', 'kubelet-static-pod-url', 'cert-not-expired', 'cert-strong-key', 'cert-key-file-private', 'kubelet-iptables-util-chains']) {
    assert.equal(verdict(r, id), 'fail', id);
  }
  assert.equal(verdict(r, 'cve-known-kubelet-vulnerabilities', 'CVE-2025-0426'), 'fail');
  const fix = r.findings.find((f) => f.check === 'kubelet-anonymous-auth')?.remediation ?? '';
  assert.match(fix, /In \/etc\/default\/kubelet line 1: replace `--anonymous-auth=true` with `--anonymous-auth=false`/);
  // every failure carries a fix
  for (const f of r.findings) if (f.status === 'fail') assert.ok(f.remediation, f.check);
});

test('exit codes: 1 when something fails at or above --fail-on, 0 otherwise, 2 for usage errors', async () => {
  assert.equal((await runCli('node', '--root', 'examples/nodes/insecure', '--format', 'json')).code, 1);
  assert.equal((await runCli('node', '--root', 'examples/nodes/eks-al2023', '--format', 'json')).code, 0); // medium and low only
  assert.equal((await runCli('node', '--root', 'examples/nodes/eks-al2023', '--format', 'json', '--fail-on', 'medium')).code, 1);
  assert.equal((await runCli('node', '--root', 'examples/nodes/insecure', '--fail-on', 'none')).code, 0);
  const bad = await runCli('node', '--root', 'no/such/dir');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--root no\/such\/dir: no such file or directory: expected a folder/);
  assert.equal((await runCli('node', '--format', 'xml')).code, 2);
  assert.equal((await runCli('node', '--fail-on', 'sometimes')).code, 2);
  assert.equal((await runCli('frobnicate')).code, 2);
  assert.equal((await runCli('--version')).code, 0);
  assert.equal((await runCli('node', '--root', 'examples/nodes/insecure', '--kubelet-version', 'latest')).code, 2);
});

test('the table: grouped by section with a summary line; no colour unless asked', async () => {
  const r = await runCli('node', '--root', 'examples/nodes/kubeadm-worker');
  assert.doesNotMatch(r.out, /\u001b\[/); // not a TTY
  assert.match(r.out, /^CIS 4\.2 Kubelet$/m);
  // the summary, its wrapped lines joined: the worst failures named, the hidden not-applicable counted
  const summary = /^Summary: .*(\n {2}.*)*/m.exec(r.out)![0].replace(/\n +/g, ' ');
  assert.match(summary, /^Summary: \d+ failed — high: kubelet-tls-cert-files, cert-serving-ca-signed\b.*; \d+ passed, \d+ unknown, \d+ not applicable \(not listed; --all lists them\)$/);
  const colour = await runCli('node', '--root', 'examples/nodes/kubeadm-worker', '--color');
  assert.match(colour.out, /\u001b\[/);
  const quiet = await runCli('node', '--root', 'examples/nodes/kubeadm-worker', '--quiet');
  assert.doesNotMatch(quiet.out, /PASS/);
  // on a terminal 200 columns wide (--no-color: a TTY would colour), each setting on one line
  const config = await runCliOn({ columns: 200 }, 'node', '--root', 'examples/nodes/kubeadm-worker', '--show-config', '--quiet', '--no-color');
  assert.match(config.out, /^ {2}streamingConnectionIdleTimeout +"4h0m0s" +config-default \/var\/lib\/kubelet\/config\.yaml:\d+ \(the file writes "0s"; the v1beta1 defaulter replaces it\)$/m);
  assert.match(config.out, /^ {2}readOnlyPort +0 +config-default$/m);
});

test('the installed bin runs, and NO_COLOR is honoured even with a TTY decision forced off', () => {
  const r = spawnSync(process.execPath, ['bin/kubelet-guard.js', 'node', '--root', 'examples/nodes/kubeadm-worker', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 1, r.stderr); // the self-signed serving certificate is a high failure
  const rep = JSON.parse(r.stdout) as NodeReport;
  assert.equal(rep.tool.name, 'kubelet-guard');
  for (const f of rep.findings) {
    assert.ok(['pass', 'fail', 'unknown', 'not-applicable'].includes(f.status));
    assert.ok(Array.isArray(f.cis) && typeof f.check === 'string' && typeof f.message === 'string' && Array.isArray(f.evidence));
  }
});

test('kubeadm-control-plane (hardened): the API-server kubelet path, etcd and the static pods pass', async () => {
  const r = await report('kubeadm-control-plane');
  for (const id of ['apiserver-anonymous-auth', 'apiserver-kubelet-client-cert', 'apiserver-kubelet-certificate-authority', 'apiserver-authorization-not-always-allow', 'apiserver-authorization-node', 'apiserver-authorization-rbac', 'apiserver-node-restriction', 'etcd-cert-file', 'etcd-client-cert-auth', 'etcd-peer-client-cert-auth', 'etcd-unique-ca', 'static-pod-host-mounts', 'static-pod-privileged']) {
    const fs = r.findings.filter((f) => f.check === id);
    assert.ok(fs.length > 0, id);
    assert.ok(fs.every((f) => f.status === 'pass'), `${id}: ${fs.map((f) => `${f.status} ${f.message}`).join(' | ')}`);
  }
  assert.equal(verdict(r, 'runtime-socket-access', '/var/run/containerd/containerd.sock'), 'pass'); // the kubelet's endpoint, through /var/run -> /run
  assert.equal(verdict(r, 'cp-file-pki-key-perms', '/etc/kubernetes/pki/ca.key'), 'pass');
});

test('kubeadm-control-plane-insecure: every bypass is found, with its file and line', async () => {
  const r = await report('kubeadm-control-plane-insecure');
  for (const id of ['apiserver-kubelet-certificate-authority', 'apiserver-authorization-not-always-allow', 'apiserver-node-restriction', 'etcd-client-cert-auth', 'etcd-client-plain-http', 'static-pod-host-mounts', 'static-pod-privileged', 'static-pod-host-namespaces', 'static-pod-manifest-decodes', 'runtime-socket-access', 'cp-file-apiserver-manifest-perms', 'cp-file-admin-conf-perms', 'cp-file-etcd-data-dir-perms', 'cp-file-pki-key-perms']) {
    assert.ok(r.findings.some((f) => f.check === id && f.status === 'fail'), id);
  }
  const sock = r.findings.find((f) => f.check === 'runtime-socket-access' && f.status === 'fail');
  assert.match(sock?.message ?? '', /docker.*alice, bob/);
  const mount = r.findings.find((f) => f.check === 'static-pod-host-mounts' && f.status === 'fail');
  assert.equal(mount?.evidence[0]?.file, '/etc/kubernetes/manifests/backdoor.yaml');
  assert.ok(typeof mount?.evidence[0]?.line === 'number');
  assert.equal(verdict(r, 'static-pod-namespace', '/etc/kubernetes/manifests/backdoor.yaml#node-debugger'), 'unknown');
  for (const f of r.findings) if (f.status === 'fail') assert.ok(f.remediation, f.check);
});

test('worker nodes: the control-plane checks are not applicable, never passed', async () => {
  const r = await report('kubeadm-worker');
  for (const id of ['apiserver-kubelet-certificate-authority', 'etcd-client-cert-auth', 'cp-file-apiserver-manifest-perms']) {
    assert.equal(verdict(r, id), 'not-applicable', id);
  }
});

test('an old Node is refused with a plain message, not wrong verdicts', () => {
  // The bin's guard, exercised by faking the version it reads.
  const r = spawnSync(process.execPath, ['-e', "Object.defineProperty(process.versions, 'node', { value: '20.20.2' }); await import('./bin/kubelet-guard.js');", '--input-type=module'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /needs Node\.js 22\.18 or newer/);
});

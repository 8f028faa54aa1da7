import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerFact, HostPathMount, ManifestFact, NodeFacts, PodFact, StaticPodFacts } from '../facts/types.ts';
import { RootFs } from './root-fs.ts';
import { readStaticPods } from './static-pods.ts';
import { certificateFact, componentFromArgs, effective, lastFlag, readAsCSV, readControlPlane, sliceFlag } from './control-plane.ts';
import type { ControlPlaneFacts } from '../facts/types.ts';
import { nodeTree } from '../../test/node-tree.ts';
import { tempDir } from '../../test/support/tmp.ts';
import { factsFrom } from '../checks/fixtures.ts';
import { etcdUniqueCa } from '../checks/etcd/unique-ca.ts';
import { cpFileEtcdDataDirOwner } from '../checks/control-plane-files/etcd-data-dir-owner.ts';
import { APISERVER_YAML, ETCD_YAML, KUBEADM_APISERVER_ARGS, KUBEADM_ETCD_ARGS, MANIFESTS } from '../checks/control-plane/test-support.ts';

/** etcd.yaml as kubeadm (v1.33, cmd/kubeadm/app/phases/etcd/local.go) writes it; the first flag is on line 16. */
function etcdYaml(args: string[], extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://192.168.0.150:2379
  creationTimestamp: null
  labels:
    component: etcd
    tier: control-plane
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
${args.map((a) => `    - ${a}`).join('\n')}
${extra}    image: registry.k8s.io/etcd:3.5.21-0
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: 2381
        scheme: HTTP
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: etcd
    resources:
      requests:
        cpu: 100m
        memory: 100Mi
    volumeMounts:
    - mountPath: /var/lib/etcd
      name: etcd-data
    - mountPath: /etc/kubernetes/pki/etcd
      name: etcd-certs
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
  - hostPath:
      path: /etc/kubernetes/pki/etcd
      type: DirectoryOrCreate
    name: etcd-certs
  - hostPath:
      path: /var/lib/etcd
      type: DirectoryOrCreate
    name: etcd-data
status: {}
`;
}

/** kube-apiserver.yaml as kubeadm (cmd/kubeadm/app/phases/controlplane/manifests.go) writes it. */
function apiYaml(args: string[]): string {
  return `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 192.168.0.150:6443
  creationTimestamp: null
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
${args.map((a) => `    - ${a}`).join('\n')}
    image: registry.k8s.io/kube-apiserver:v1.33.1
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 192.168.0.150
        path: /livez
        port: 6443
        scheme: HTTPS
    name: kube-apiserver
    volumeMounts:
    - mountPath: /etc/ssl/certs
      name: ca-certs
      readOnly: true
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
      readOnly: true
  hostNetwork: true
  volumes:
  - hostPath:
      path: /etc/ssl/certs
      type: DirectoryOrCreate
    name: ca-certs
  - hostPath:
      path: /etc/kubernetes/pki
      type: DirectoryOrCreate
    name: k8s-certs
status: {}
`;
}

// StaticPodFacts built directly (the static pod parser is another module's job).
const mount = (volume: string, hostPath: string, container: string, mountPath: string): HostPathMount => ({ volume, path: hostPath, mounts: [{ container, mountPath, readOnly: false }] });
function pod(name: string, container: Partial<ContainerFact> & { name: string }, hostPaths: HostPathMount[], labels: Record<string, string> = { component: name, tier: 'control-plane' }): PodFact {
  return {
    name,
    namespace: 'kube-system',
    hostNetwork: true,
    hostPID: false,
    hostIPC: false,
    containers: [{ command: [], args: [], privileged: false, capabilitiesAdd: [], ...container }],
    hostPaths,
    labels,
  };
}
function manifest(p: string, pods: PodFact[]): ManifestFact {
  return { path: p, stat: { path: p, exists: true, type: 'file', mode: 0o600, uid: 0, gid: 0 }, pods };
}
const etcdPod = (args: string[], etcdData = '/var/lib/etcd', c: Partial<ContainerFact> = {}) =>
  pod('etcd', { name: 'etcd', command: ['etcd', ...args], ...c }, [mount('etcd-certs', '/etc/kubernetes/pki/etcd', 'etcd', '/etc/kubernetes/pki/etcd'), mount('etcd-data', etcdData, 'etcd', '/var/lib/etcd')]);
const apiPod = (args: string[]) =>
  pod('kube-apiserver', { name: 'kube-apiserver', command: ['kube-apiserver', ...args] }, [mount('ca-certs', '/etc/ssl/certs', 'kube-apiserver', '/etc/ssl/certs'), mount('k8s-certs', '/etc/kubernetes/pki', 'kube-apiserver', '/etc/kubernetes/pki')]);
const staticPods = (...manifests: ManifestFact[]): StaticPodFacts => ({ path: MANIFESTS, stat: { path: MANIFESTS, exists: true, type: 'dir' }, manifests, url: '' });

// Certificates minted with openssl: the cluster CA and a separate etcd CA, as kubeadm keeps them.
const work = tempDir('kg-cp-pki-');
function mintCA(cn: string): { crt: string; key: string; fingerprint: string } {
  const crt = path.join(work, `${cn}.crt`);
  const key = path.join(work, `${cn}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-subj', `/CN=${cn}`, '-days', '2'], { stdio: 'ignore' });
  const fp = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', crt]).toString().trim().split('=')[1]!;
  return { crt: fs.readFileSync(crt, 'utf8'), key: fs.readFileSync(key, 'utf8'), fingerprint: fp.toUpperCase() };
}
const clusterCA = mintCA('kubernetes');
const etcdCA = mintCA('etcd-ca');

/** The static pod facts the real reader gives for a tree's /etc/kubernetes/manifests. */
function realStaticPods(root: string): StaticPodFacts {
  return readStaticPods(new RootFs(root), { staticPodPath: { value: MANIFESTS, source: { kind: 'config-file' } }, staticPodURL: { value: '', source: { kind: 'config-default' } } });
}

function kubeadmTree(overrides: Record<string, string | Buffer> = {}): string {
  const root = nodeTree({
    [ETCD_YAML]: etcdYaml(KUBEADM_ETCD_ARGS),
    [APISERVER_YAML]: apiYaml(KUBEADM_APISERVER_ARGS),
    '/etc/kubernetes/pki/ca.crt': clusterCA.crt,
    '/etc/kubernetes/pki/ca.key': clusterCA.key,
    '/etc/kubernetes/pki/etcd/ca.crt': etcdCA.crt,
    '/etc/kubernetes/pki/etcd/ca.key': etcdCA.key,
    '/etc/kubernetes/admin.conf': 'apiVersion: v1\nkind: Config\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nsyslog:x:104:111::/home/syslog:/usr/sbin/nologin\n',
    '/etc/group': 'root:x:0:\n',
    '/var/lib/etcd/member/snap/db': 'not read',
    ...overrides,
  });
  fs.chmodSync(path.join(root, 'etc/kubernetes/pki/ca.key'), 0o600);
  return root;
}

test('kubeadm control plane: components from manifests, every flag with its YAML line', () => {
  const root = kubeadmTree();
  const { controlPlane: cp } = readControlPlane(new RootFs(root), realStaticPods(root), false);
  assert.deepEqual(cp.components.map((c) => [c.name, c.from, c.file, c.unknown]), [['etcd', 'manifest', ETCD_YAML, undefined], ['kube-apiserver', 'manifest', APISERVER_YAML, undefined]]);
  const etcd = cp.components[0]!;
  assert.equal(etcd.flags.length, KUBEADM_ETCD_ARGS.length);
  assert.deepEqual(lastFlag(etcd, 'client-cert-auth'), { name: 'client-cert-auth', value: 'true', text: '--client-cert-auth=true', file: ETCD_YAML, line: 18 });
  assert.equal(lastFlag(etcd, 'trusted-ca-file')?.line, 16 + KUBEADM_ETCD_ARGS.length - 1);
  const api = cp.components[1]!;
  assert.deepEqual(sliceFlag(api, 'authorization-mode')?.values, ['Node', 'RBAC']);
  assert.equal(lastFlag(api, 'authorization-mode')?.line, 18);
});

test('files: the manifests, the kubeconfigs, the PKI folder walked, the etcd data folder; no content read', () => {
  const { controlPlane: cp, files } = readControlPlane(new RootFs(kubeadmTree()), staticPods(manifest(ETCD_YAML, [etcdPod(KUBEADM_ETCD_ARGS)]), manifest(APISERVER_YAML, [apiPod(KUBEADM_APISERVER_ARGS)])), false);
  for (const p of [ETCD_YAML, APISERVER_YAML, '/etc/kubernetes/admin.conf', '/etc/kubernetes/pki', '/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/etcd', '/etc/kubernetes/pki/etcd/ca.crt', '/var/lib/etcd']) {
    assert.equal(files[p]?.exists, true, p);
    assert.ok(cp.files.includes(p), p);
  }
  assert.equal(files['/etc/kubernetes/pki/ca.key']?.mode, 0o600);
  assert.equal(files['/var/lib/etcd']?.type, 'dir');
  assert.equal(files['/etc/kubernetes/super-admin.conf']?.exists, false);
  const json = JSON.stringify(cp);
  assert.doesNotMatch(json, /PRIVATE KEY/);
  assert.doesNotMatch(json, /BEGIN/);
});

test('certificates: SHA-256 fingerprints (as openssl prints them) and subjects of the etcd CA and the cluster CA', () => {
  const { controlPlane: cp } = readControlPlane(new RootFs(kubeadmTree()), staticPods(manifest(ETCD_YAML, [etcdPod(KUBEADM_ETCD_ARGS)]), manifest(APISERVER_YAML, [apiPod(KUBEADM_APISERVER_ARGS)])), false);
  assert.deepEqual(cp.certificates['/etc/kubernetes/pki/etcd/ca.crt'], { fingerprint256: etcdCA.fingerprint, subject: 'CN=etcd-ca' });
  assert.deepEqual(cp.certificates['/etc/kubernetes/pki/ca.crt'], { fingerprint256: clusterCA.fingerprint, subject: 'CN=kubernetes' });
  assert.notEqual(etcdCA.fingerprint, clusterCA.fingerprint);
});

test('end to end: a separate etcd CA passes 2.7; the cluster CA copied into etcd/ca.crt fails it by fingerprint', () => {
  const sp = staticPods(manifest(ETCD_YAML, [etcdPod(KUBEADM_ETCD_ARGS)]), manifest(APISERVER_YAML, [apiPod(KUBEADM_APISERVER_ARGS)]));
  const facts = (root: string): NodeFacts => {
    const r = readControlPlane(new RootFs(root), sp, false);
    return factsFrom({ patch: (f) => Object.assign(f, { staticPods: sp, controlPlane: r.controlPlane, files: { ...f.files, ...r.files } }) });
  };
  const ok = etcdUniqueCa.evaluate(facts(kubeadmTree()));
  assert.equal(Array.isArray(ok) ? ok[0]!.status : ok.status, 'pass');
  const same = etcdUniqueCa.evaluate(facts(kubeadmTree({ '/etc/kubernetes/pki/etcd/ca.crt': clusterCA.crt })));
  const r = Array.isArray(same) ? same[0]! : same;
  assert.equal(r.status, 'fail');
  assert.match(r.message, new RegExp(`SHA-256 ${clusterCA.fingerprint}`));
  // the copy is no CA of etcd's own: the fix does not tell to replace the flag with itself
  assert.doesNotMatch(r.remediation ?? '', /with `--trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt`/);
  assert.match(r.remediation ?? '', /`--trusted-ca-file=<the etcd CA file>`.*holds the cluster CA's certificate/);
  // CIS 1.1.12 on this kubeadm node: root:root, no etcd user: passes, saying it deviates from the letter
  const owner = cpFileEtcdDataDirOwner.evaluate(facts(kubeadmTree()));
  const o = Array.isArray(owner) ? owner[0]! : owner;
  if (process.getuid?.() === 0) {
    assert.equal(o.status, 'pass');
    assert.match(o.message, /in spirit/);
  }
});

test('etcd account: read from /etc/passwd and /etc/group (names and ids only)', () => {
  const root = kubeadmTree({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\netcd:x:998:997:etcd user:/var/lib/etcd:/sbin/nologin\n', '/etc/group': 'etcd:x:997:\n' });
  const { controlPlane } = readControlPlane(new RootFs(root), staticPods(manifest(ETCD_YAML, [etcdPod(KUBEADM_ETCD_ARGS)])), false);
  assert.deepEqual((controlPlane as ControlPlaneFacts).etcdAccount, { user: { uid: 998, gid: 997 }, group: { gid: 997 } });
  const none = readControlPlane(new RootFs(kubeadmTree()), staticPods(manifest(ETCD_YAML, [etcdPod(KUBEADM_ETCD_ARGS)])), false).controlPlane as ControlPlaneFacts;
  assert.deepEqual(none.etcdAccount, {});
});

test('container paths become node paths through hostPath volumes', () => {
  const args = KUBEADM_ETCD_ARGS.map((a) => (a.startsWith('--data-dir=') ? '--data-dir=/var/lib/etcd/data' : a));
  const root = kubeadmTree({ [ETCD_YAML]: etcdYaml(args), '/mnt/fast/etcd/data/member/x': 'x' });
  const { files } = readControlPlane(new RootFs(root), staticPods(manifest(ETCD_YAML, [etcdPod(args, '/mnt/fast/etcd')])), false);
  assert.equal(files['/mnt/fast/etcd/data']?.exists, true);
  assert.equal(files['/var/lib/etcd/data'], undefined);
});

test('etcd environment: ETCD_* for a flag not on the command line counts, with its line; other variables are not kept', () => {
  const args = KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--client-cert-auth'));
  const env = `    env:\n    - name: ETCD_CLIENT_CERT_AUTH\n      value: "true"\n    - name: ETCD_INITIAL_CLUSTER_TOKEN\n      value: s3cr3t-token-value\n    - name: HTTP_PROXY\n      value: http://user:pw@proxy:3128\n`;
  const root = kubeadmTree({ [ETCD_YAML]: etcdYaml(args, env) });
  const { controlPlane: cp } = readControlPlane(new RootFs(root), realStaticPods(root), false);
  const etcd = cp.components[0]!;
  assert.deepEqual(effective(etcd, 'client-cert-auth')?.flag, { name: 'client-cert-auth', value: 'true', text: 'ETCD_CLIENT_CERT_AUTH=true', file: ETCD_YAML, line: 16 + args.length + 1 });
  const json = JSON.stringify(cp);
  assert.doesNotMatch(json, /s3cr3t|user:pw/);
});

test('etcd environment: a variable next to its flag stops etcd 3.5+ (unknown); envFrom makes absent settings unknown', () => {
  const env = `    env:\n    - name: ETCD_CLIENT_CERT_AUTH\n      value: "false"\n`;
  const bothRoot = kubeadmTree({ [ETCD_YAML]: etcdYaml(KUBEADM_ETCD_ARGS, env) });
  const both = readControlPlane(new RootFs(bothRoot), realStaticPods(bothRoot), false);
  assert.match(both.controlPlane.components[0]!.unknown ?? '', /conflicting environment variable/);
  const from = `    envFrom:\n    - configMapRef:\n        name: etcd-env\n`;
  const efRoot = kubeadmTree({ [ETCD_YAML]: etcdYaml(KUBEADM_ETCD_ARGS, from) });
  const ef = readControlPlane(new RootFs(efRoot), realStaticPods(efRoot), false);
  const flag = ef.controlPlane.components[0]!.flags.find((f) => f.name === '(environment)');
  assert.match(flag?.text ?? '', /envFrom/);
  assert.equal(flag?.line, 16 + KUBEADM_ETCD_ARGS.length);
});

test('command and args: command[1..] then args, lines from both lists', () => {
  const yaml = apiYaml([]).replace('    - kube-apiserver\n\n', '    - kube-apiserver\n    args:\n    - --authorization-mode=Node\n    - --authorization-mode=RBAC\n');
  const root = kubeadmTree({ [APISERVER_YAML]: yaml });
  const { controlPlane: cp } = readControlPlane(new RootFs(root), realStaticPods(root), false);
  const s = sliceFlag(cp.components.find((c) => c.name === 'kube-apiserver')!, 'authorization-mode');
  assert.deepEqual(s?.values, ['Node', 'RBAC']);
  assert.deepEqual(s?.flags.map((f) => f.line), [17, 18]);
});

test('detection: by command[0] basename or the component label; shells and a missing command are unknown, not guessed', () => {
  const byPath = pod('apiserver', { name: 'main', command: ['/usr/local/bin/kube-apiserver', '--anonymous-auth=false'] }, [], {});
  const byLabel = pod('kube-scheduler', { name: 'kube-scheduler', command: ['/bin/sh', '-c', 'exec kube-scheduler --profiling=false'] }, []);
  const noCmd = pod('etcd', { name: 'etcd', args: ['--client-cert-auth=true'] }, []);
  const other = pod('nginx', { name: 'nginx', command: ['nginx'] }, []);
  const { controlPlane: cp } = readControlPlane(new RootFs(nodeTree({ '/x': '' })), staticPods(manifest('/etc/kubernetes/manifests/a.yaml', [byPath, byLabel, noCmd, other])), false);
  assert.deepEqual(cp.components.map((c) => [c.name, c.unknown === undefined]), [['kube-apiserver', true], ['kube-scheduler', false], ['etcd', false]]);
  assert.match(cp.components[1]!.unknown ?? '', /shell script/);
  assert.equal(cp.components[0]!.flags[0]?.line, undefined); // the file is not there: no lines, values from the facts
});

test('live: components from /proc when no manifest names them, with their environment', () => {
  const cmdline = ['/usr/local/bin/etcd', '--client-cert-auth', '--listen-client-urls=http://0.0.0.0:2379', '--data-dir', '/srv/etcd'].join('\0') + '\0';
  const root = nodeTree({
    '/proc/4242/cmdline': cmdline,
    '/proc/4242/environ': 'PATH=/usr/bin\0ETCD_PEER_CLIENT_CERT_AUTH=true\0ETCD_SECRET=hunter2\0',
    '/proc/77/cmdline': 'bash\0',
    '/srv/etcd/member/x': '',
  });
  const { controlPlane: cp, files } = readControlPlane(new RootFs(root), undefined, true);
  assert.equal(cp.components.length, 1);
  const etcd = cp.components[0]!;
  assert.deepEqual([etcd.name, etcd.from, etcd.pid], ['etcd', 'process', 4242]);
  assert.equal(effective(etcd, 'client-cert-auth')?.value, 'true');
  assert.equal(effective(etcd, 'data-dir')?.flag.text, '--data-dir /srv/etcd');
  assert.equal(effective(etcd, 'peer-client-cert-auth')?.flag.text, 'ETCD_PEER_CLIENT_CERT_AUTH=true');
  assert.equal(files['/srv/etcd']?.exists, true);
  assert.doesNotMatch(JSON.stringify(cp), /hunter2/);
});

test('not a control-plane node: no components, no PKI walk, only the unit files looked up', () => {
  const { controlPlane: cp, files } = readControlPlane(new RootFs(nodeTree({ '/etc/kubernetes/kubelet.conf': 'x' })), staticPods(), false);
  assert.deepEqual(cp.components, []);
  assert.deepEqual(cp.certificates, {});
  assert.equal(files['/etc/kubernetes/pki'], undefined);
  assert.ok(Object.keys(files).every((p) => p.endsWith('.service')));
});

test('parsers: pflag bool and value forms, Go flag single dash and stops', () => {
  const api = componentFromArgs('kube-apiserver', ['--anonymous-auth', '--authorization_mode', 'Node,RBAC', '-v=2', '--profiling=false']);
  assert.deepEqual(api.flags.map((f) => [f.name, f.value]), [['anonymous-auth', 'true'], ['authorization-mode', 'Node,RBAC'], ['v', '2'], ['profiling', 'false']]);
  assert.match(componentFromArgs('kube-apiserver', ['--profiling=yes']).unknown ?? '', /invalid value "yes"/);
  const etcd = componentFromArgs('etcd', ['-client-cert-auth=1', '-data-dir', '/d', '--auto-tls=false']);
  assert.deepEqual(etcd.flags.map((f) => [f.name, f.value]), [['client-cert-auth', '1'], ['data-dir', '/d'], ['auto-tls', 'false']]);
  assert.match(componentFromArgs('etcd', ['--data-dir=/d', 'oops', '--client-cert-auth']).unknown ?? '', /"oops" is not a flag/);
  assert.match(componentFromArgs('etcd', ['--config-file=/etc/etcd.yml', '--client-cert-auth']).unknown ?? '', /config file \/etc\/etcd\.yml/);
  assert.deepEqual(readAsCSV('a,"b,c",d'), ['a', 'b,c', 'd']);
  assert.deepEqual(readAsCSV(''), []);
});

test('certificateFact: a bundle gives every fingerprint; a key file or garbage is an error, never content', () => {
  const root = nodeTree({ '/b.crt': clusterCA.crt + etcdCA.crt, '/k.pem': clusterCA.key, '/g': 'garbage' });
  const fsr = new RootFs(root);
  assert.equal(certificateFact(fsr, '/b.crt').fingerprint256, `${clusterCA.fingerprint},${etcdCA.fingerprint}`);
  assert.match(certificateFact(fsr, '/k.pem').error ?? '', /no CERTIFICATE block/);
  assert.equal(certificateFact(fsr, '/nope').error, 'missing');
  assert.match(certificateFact(fsr, '/g').error ?? '', /not a PEM certificate/);
});

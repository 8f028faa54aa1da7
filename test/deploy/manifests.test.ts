// deploy/: every manifest valid against the Kubernetes API's OpenAPI schema (k8s-schema.ts), the
// kustomizations rendered by the real `kubectl kustomize`, the security settings the manifests'
// comments and the README claim, and the pod's own command run on an example node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import pkg from '../../package.json' with { type: 'json' };
import type { NodeReport } from '../../src/report/model.ts';
import { runCli } from '../run-cli.ts';
import { schemaErrors, type KubeObject } from './k8s-schema.ts';
import { kubectl, skipWithoutKubectl } from './kubectl.ts';

spawnSync(process.execPath, ['scripts/setup-examples.js'], { stdio: 'inherit' });

const DEPLOY = 'deploy';
const KUSTOMIZATIONS = ['deploy/base', 'deploy/job'];
const IMAGE = `ghcr.io/kubelet-guard/kubelet-guard:${pkg.version}`;

type Obj = KubeObject & { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are walked as plain JSON */
type Any = any;

function parseYaml(text: string, where: string): Obj[] {
  return parseAllDocuments(text).flatMap((d) => {
    assert.deepEqual(d.errors, [], `${where}: ${d.errors.join('; ')}`);
    const v = d.toJS() as Obj | null;
    return v === null ? [] : [v];
  });
}

/** Every Kubernetes object in deploy/ (not the kustomizations themselves), by file. */
function manifestFiles(): Map<string, Obj[]> {
  const files = new Map<string, Obj[]>();
  for (const dir of fs.readdirSync(DEPLOY, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const f of fs.readdirSync(path.join(DEPLOY, dir))) {
      if (!/\.ya?ml$/.test(f) || f === 'kustomization.yaml') continue;
      const file = path.join(DEPLOY, dir, f);
      files.set(file, parseYaml(fs.readFileSync(file, 'utf8'), file));
    }
  }
  return files;
}

function render(dir: string): Obj[] {
  const r = kubectl(['kustomize', dir]);
  assert.equal(r.status, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  // no deprecation warning either: the kustomizations use only fields kustomize v2 and v5 both read
  assert.equal(r.stderr, '', `kubectl kustomize ${dir} warned`);
  return parseYaml(r.stdout, `kubectl kustomize ${dir}`);
}

const byKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind) as Any[];

test('every manifest in deploy/ is valid against the OpenAPI schema', async () => {
  const files = manifestFiles();
  assert.ok(files.size >= 4, [...files.keys()].join(', '));
  for (const [file, objs] of files) {
    assert.ok(objs.length > 0, file);
    for (const o of objs) assert.deepEqual(await schemaErrors(o), [], `${file}: ${String(o.kind)}`);
  }
});

test('the schema check catches a misspelt field, a wrong type, a bad enum value and a missing required field', async () => {
  const job = structuredClone(parseYaml(fs.readFileSync('deploy/job/job.yaml', 'utf8'), 'job.yaml')[0]!) as Any;
  const c = job.spec.template.spec.containers[0];

  const typo = structuredClone(job);
  const sc = typo.spec.template.spec.containers[0].securityContext;
  sc.readOnlyRootFileSystem = sc.readOnlyRootFilesystem;
  delete sc.readOnlyRootFilesystem;
  assert.deepEqual(await schemaErrors(typo), [
    'Job.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field (not in the OpenAPI definition V1SecurityContext)',
  ]);

  const misplaced = structuredClone(job);
  misplaced.spec.template.spec.tolerations[0].operater = 'Exists';
  assert.match((await schemaErrors(misplaced)).join('\n'), /tolerations\[0\]\.operater: unknown field/);

  const wrongType = structuredClone(job);
  wrongType.spec.template.spec.containers[0].volumeMounts[0].readOnly = 'true';
  assert.match((await schemaErrors(wrongType)).join('\n'), /^Job\.spec\.template\.spec\.containers\[0\]\.volumeMounts\[0\]\.readOnly must be boolean$/m);

  const badEnum = structuredClone(job);
  badEnum.spec.template.spec.securityContext.seccompProfile.type = 'RuntimeDefualt';
  assert.match((await schemaErrors(badEnum)).join('\n'), /^Job\.spec\.template\.spec\.securityContext\.seccompProfile\.type must be equal to one of the allowed values$/m);

  const noName = structuredClone(job);
  delete noName.spec.template.spec.containers[0].name;
  assert.match((await schemaErrors(noName)).join('\n'), /^Job\.spec\.template\.spec\.containers\[0\] must have required property name$/m);

  assert.deepEqual(await schemaErrors({ apiVersion: 'batch/v1', kind: 'Jobb', spec: c }), ['no OpenAPI definition for batch/v1 Jobb']);
});

test('kubectl kustomize renders both kustomizations, and every object it renders is valid', { skip: skipWithoutKubectl }, async () => {
  for (const dir of KUSTOMIZATIONS) {
    const objs = render(dir);
    for (const o of objs) {
      assert.deepEqual(await schemaErrors(o), [], `${dir}: ${String(o.kind)}`);
      assert.equal(o.kind === 'Namespace' ? o.metadata?.name : o.metadata?.namespace, 'kubelet-guard', `${dir}: ${String(o.kind)}`);
    }
    assert.deepEqual(objs.map((o) => o.kind).sort(), dir === 'deploy/base' ? ['DaemonSet', 'Namespace'] : ['Job', 'Namespace']);
  }
});

test('kustomize images: overrides the image (a mirror, pinned by digest)', { skip: skipWithoutKubectl }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-kustomize-'));
  try {
    fs.cpSync('deploy/base', tmp, { recursive: true });
    const k = path.join(tmp, 'kustomization.yaml');
    const digest = `sha256:${'ab'.repeat(32)}`;
    fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace(
      /- name: ghcr\.io\/kubelet-guard\/kubelet-guard\n {2}newTag: \S+\n/,
      `- name: ghcr.io/kubelet-guard/kubelet-guard\n  newName: registry.example/kubelet-guard\n  digest: ${digest}\n`,
    ));
    const ds = byKind(render(tmp), 'DaemonSet')[0];
    assert.equal(ds.spec.template.spec.initContainers[0].image, `registry.example/kubelet-guard@${digest}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/** The pod specs, from the files (the rendering adds nothing to them but the namespace and image). */
function podSpecs(): { job: Any; ds: Any; namespaces: Any[] } {
  const files = manifestFiles();
  const all = [...files.values()].flat();
  return {
    job: byKind(all, 'Job')[0].spec.template.spec,
    ds: byKind(all, 'DaemonSet')[0].spec.template.spec,
    namespaces: byKind(all, 'Namespace'),
  };
}

test('the audit pod: host / read-only, uid 0 without any capability, nothing else from the host', () => {
  const { job, ds } = podSpecs();
  for (const [what, spec, audit] of [['Job', job, job.containers[0]], ['DaemonSet', ds, ds.initContainers[0]]] as const) {
    assert.equal(audit.name, 'audit', what);
    assert.equal(audit.image, IMAGE, `${what}: the image is the package's version`);
    assert.deepEqual(audit.args.slice(0, 5), ['node', '--root', '/host', '--format', 'json'], what);
    // no host namespace, no API token, no service-link environment
    for (const k of ['hostPID', 'hostNetwork', 'hostIPC', 'hostUsers', 'serviceAccountName']) assert.equal(spec[k], undefined, `${what}: ${k}`);
    assert.equal(spec.automountServiceAccountToken, false, what);
    assert.equal(spec.enableServiceLinks, false, what);
    assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }], `${what}: every taint`);
    assert.deepEqual(spec.securityContext, { seccompProfile: { type: 'RuntimeDefault' } }, what);
    // one volume: the host's / ; mounted read-only (recursively where the runtime can), nowhere else
    assert.deepEqual(spec.volumes, [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }], what);
    assert.deepEqual(audit.volumeMounts, [{ name: 'host', mountPath: '/host', readOnly: true, recursiveReadOnly: 'IfPossible' }], what);
    assert.deepEqual(audit.securityContext, {
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    }, what);
    assert.ok(audit.resources.limits.memory, `${what}: a memory limit`);
  }
  // the DaemonSet's other container only keeps the pod: no volume, no capability, not root
  assert.equal(ds.containers.length, 1);
  const idle = ds.containers[0];
  assert.equal(idle.volumeMounts, undefined);
  assert.deepEqual(idle.securityContext.capabilities, { drop: ['ALL'] });
  assert.equal(idle.securityContext.runAsNonRoot, true);
  assert.equal(idle.securityContext.allowPrivilegeEscalation, false);
});

test('the Job and the DaemonSet run the same audit; the DaemonSet with --fail-on none (findings are in the log, not the pod state)', () => {
  const { job, ds } = podSpecs();
  const a = structuredClone(job.containers[0]);
  const b = structuredClone(ds.initContainers[0]);
  assert.deepEqual(b.args.slice(5), ['--fail-on', 'none']);
  b.args = b.args.slice(0, 5);
  assert.deepEqual(a, b);
  for (const k of ['tolerations', 'nodeSelector', 'securityContext', 'volumes', 'automountServiceAccountToken']) assert.deepEqual(job[k], ds[k], k);
});

test('the namespace enforces Pod Security "privileged" (a hostPath volume is beyond baseline); both copies are one', () => {
  const { namespaces } = podSpecs();
  assert.equal(namespaces.length, 2);
  for (const ns of namespaces) {
    assert.equal(ns.metadata.name, 'kubelet-guard');
    assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
  }
  assert.equal(fs.readFileSync('deploy/job/namespace.yaml', 'utf8'), fs.readFileSync('deploy/base/namespace.yaml', 'utf8'));
});

test("the kustomizations' image tag is the package's version", () => {
  for (const dir of KUSTOMIZATIONS) {
    const k = parseYaml(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'), dir)[0] as Any;
    const img = k.images.find((i: Any) => i.name === 'ghcr.io/kubelet-guard/kubelet-guard');
    assert.equal(img.newTag, pkg.version, dir);
  }
});

test("the pod's command on an example node: a JSON report; listeners are not seen offline (not-applicable), the kubelet comes from its unit", async () => {
  const { job, ds } = podSpecs();
  for (const args of [job.containers[0].args, ds.initContainers[0].args] as string[][]) {
    const r = await runCli(...args.map((a) => (a === '/host' ? 'examples/nodes/kubeadm-worker' : a)));
    const report = JSON.parse(r.out) as NodeReport;
    assert.equal(report.mode, 'offline');
    assert.equal(report.kubelet.from, 'systemd-unit');
    const listeners = report.findings.filter((f) => f.check.startsWith('listener-'));
    assert.ok(listeners.length >= 4);
    for (const f of listeners) assert.equal(f.status, 'not-applicable', `${f.check}: ${f.message}`);
    // the Job's exit code is the audit's (the kubeadm example has a high failure); the DaemonSet's is 0
    assert.equal(r.code, args.includes('none') ? 0 : 1, r.err);
  }
});

test("README's one-node command: kubectl patch --local names the Job's node, offline, and the result is valid", { skip: skipWithoutKubectl }, async () => {
  const r = kubectl(['patch', '--local', '-f', 'deploy/job/job.yaml', '--type', 'merge', '-p', '{"spec":{"template":{"spec":{"nodeName":"worker-1"}}}}', '-o', 'yaml'],
    { ...process.env, KUBECONFIG: path.join(os.tmpdir(), 'kg-no-kubeconfig') });
  assert.equal(r.status, 0, r.stderr);
  const [job] = parseYaml(r.stdout, 'kubectl patch --local') as Any[];
  assert.equal(job.spec.template.spec.nodeName, 'worker-1');
  assert.deepEqual(await schemaErrors(job), []);
  assert.match(fs.readFileSync('README.md', 'utf8'), /kubectl patch --local -f deploy\/job\/job\.yaml --type merge -p '\{"spec":\{"template":\{"spec":\{"nodeName":"NODE"\}\}\}\}' -o yaml \| kubectl apply -f -/);
});

// Bad-input corpus, YAML as Kubernetes reads it (issue 9, classes 1 and 5): merge keys give the
// verdict the kubelet's decoder (sigs.k8s.io/yaml on go-yaml v2) gives, with the file and line the
// merged value was written on; what go-yaml refuses is refused; what is too big for the audit is
// unknown, in bounded time and memory, with repeated warnings summarised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { runChecks } from '../src/checks/run.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import type { Finding } from '../src/checks/types.ts';
import { readIdentity } from '../src/scan/identity.ts';
import { CONFIG, kubeadmTree } from './node-tree.ts';
import { runMeasured } from './support/measured.ts';

function audit(root: string) {
  const facts = gatherNodeFacts({ root, now: new Date('2026-11-23T00:00:00Z') });
  return { facts, findings: runChecks(NODE_CHECKS, facts) };
}
const byId = (fs: Finding[], id: string) => fs.filter((f) => f.check === id);
const status = (fs: Finding[], id: string) => byId(fs, id)[0]?.status;
const evidenceAt = (fs: Finding[], id: string) => byId(fs, id).flatMap((f) => f.evidence).filter((e) => e.line !== undefined).map((e) => `${e.file}:${e.line}`);

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

// ---- Merge keys in the kubelet config ----------------------------------------------------------

test('config: <<: {anonymous: {enabled: true}} enables anonymous auth (FAIL at the merged line), not an unknown field', () => {
  const { findings, facts } = audit(kubeadmTree({
    [CONFIG]: `${HEAD}authentication:\n  <<: {anonymous: {enabled: true}}\n  webhook: {enabled: true}\nauthorization:\n  mode: Webhook\n`,
  }));
  assert.equal(facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'fail');
  assert.ok(evidenceAt(findings, 'kubelet-anonymous-auth').includes(`${CONFIG}:4`), evidenceAt(findings, 'kubelet-anonymous-auth').join(' '));
  assert.ok(!facts.kubelet.diagnostics.some((d) => /Symbol|unknown field "authentication\.<</.test(d.message)), 'no "Symbol(<<)" unknown field');
});

test('config: <<: *anchor at a nested level carries the line inside the anchor; AlwaysAllow merged from the top level', () => {
  const config = `${HEAD}x-open: &open\n  enabled: true\nx-authz: &authz\n  authorization:\n    mode: AlwaysAllow\n<<: *authz\nauthentication:\n  anonymous:\n    <<: *open\n`;
  const { findings, facts } = audit(kubeadmTree({ [CONFIG]: config }));
  assert.equal(facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.deepEqual(facts.kubelet.effective['authentication.anonymous.enabled']?.source, { kind: 'config-file', file: CONFIG, line: 4 });
  assert.equal(facts.kubelet.effective['authorization.mode']?.value, 'AlwaysAllow');
  assert.equal(facts.kubelet.effective['authorization.mode']?.source.line, 7);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'fail');
  assert.equal(status(findings, 'kubelet-authorization-mode'), 'fail');
  // The x- fields are unknown to the kubelet: ignored with a warning, as lenient decoding does.
  assert.ok(facts.kubelet.diagnostics.some((d) => d.code === 'config-unknown-field' && /"x-open"/.test(d.message)));
});

test('config: <<: [*a, *b] — the first map of the sequence wins (go-yaml applies them last to first)', () => {
  const on = `${HEAD}x-on: &on {enabled: true}\nx-off: &off {enabled: false}\nauthentication:\n  anonymous:\n    <<: [*on, *off]\n`;
  const off = `${HEAD}x-on: &on {enabled: true}\nx-off: &off {enabled: false}\nauthentication:\n  anonymous:\n    <<: [*off, *on]\n`;
  const a = audit(kubeadmTree({ [CONFIG]: on }));
  assert.equal(a.facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.equal(a.facts.kubelet.effective['authentication.anonymous.enabled']?.source.line, 3);
  assert.equal(status(a.findings, 'kubelet-anonymous-auth'), 'fail');
  const b = audit(kubeadmTree({ [CONFIG]: off }));
  assert.equal(b.facts.kubelet.effective['authentication.anonymous.enabled']?.value, false);
  assert.equal(b.facts.kubelet.effective['authentication.anonymous.enabled']?.source.line, 4);
});

test('config: an explicit key before << is overwritten by the merge; after << it wins (go-yaml writes in place)', () => {
  const before = `${HEAD}x-open: &open {enabled: true}\nauthentication:\n  anonymous:\n    enabled: false\n    <<: *open\n`;
  const after = `${HEAD}x-open: &open {enabled: true}\nauthentication:\n  anonymous:\n    <<: *open\n    enabled: false\n`;
  const a = audit(kubeadmTree({ [CONFIG]: before }));
  assert.equal(a.facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.equal(status(a.findings, 'kubelet-anonymous-auth'), 'fail');
  assert.ok(evidenceAt(a.findings, 'kubelet-anonymous-auth').includes(`${CONFIG}:3`));
  // The kubelet's strict decoding reports the key set twice, and falls back to lenient: a warning.
  assert.ok(a.facts.kubelet.diagnostics.some((d) => d.code === 'config-duplicate-field' && /merge key/.test(d.message)));
  const b = audit(kubeadmTree({ [CONFIG]: after }));
  assert.equal(b.facts.kubelet.effective['authentication.anonymous.enabled']?.value, false);
  assert.equal(b.facts.kubelet.effective['authentication.anonymous.enabled']?.source.line, 7);
});

test('config: a quoted "<<" is an ordinary (unknown) key; merging a scalar is refused as the kubelet refuses it', () => {
  const quoted = audit(kubeadmTree({ [CONFIG]: `${HEAD}authentication:\n  anonymous:\n    "<<": {enabled: true}\n` }));
  assert.notEqual(quoted.facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.ok(quoted.facts.kubelet.diagnostics.some((d) => d.code === 'config-unknown-field' && d.message.includes('"authentication.anonymous.<<"')));
  const scalar = audit(kubeadmTree({ [CONFIG]: `${HEAD}authentication:\n  anonymous:\n    <<: true\n` }));
  const refused = byId(scalar.findings, 'kubelet-config-accepted').find((f) => f.status === 'fail');
  assert.match(refused?.message ?? '', /map merge requires map or sequence of maps/);
  assert.equal(refused?.evidence[0]?.line, 5);
  assert.equal(status(scalar.findings, 'kubelet-anonymous-auth'), 'unknown');
});

test('drop-in: a merged anonymous: {enabled: true} in a --config-dir drop-in is applied, with the drop-in\'s line', () => {
  const dir = '/etc/kubernetes/kubelet.conf.d';
  const dropIn = `${dir}/50-open.conf`;
  const { findings, facts } = audit(kubeadmTree({
    '/etc/default/kubelet': `KUBELET_EXTRA_ARGS=--config-dir=${dir}\n`,
    [dropIn]: `${HEAD}x: &x {anonymous: {enabled: true}}\nauthentication:\n  <<: *x\n`,
  }));
  assert.equal(facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.deepEqual(facts.kubelet.effective['authentication.anonymous.enabled']?.source, { kind: 'drop-in', file: dropIn, line: 3 });
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'fail');
  assert.ok(evidenceAt(findings, 'kubelet-anonymous-auth').includes(`${dropIn}:3`));
});

// ---- Merge keys in a static pod manifest and a kubeconfig --------------------------------------

const MANIFESTS = '/etc/kubernetes/manifests';
const WITH_MANIFESTS = `${HEAD}authentication:\n  anonymous:\n    enabled: false\nstaticPodPath: ${MANIFESTS}\n`;

test('static pod: hostNetwork and privileged merged in through anchors are seen (merge over an explicit key; the first map of a sequence wins), at the lines they were written', () => {
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: sneaky, namespace: kube-system}
x-host: &host
  hostNetwork: true
x-priv: &priv
  securityContext: {privileged: true}
x-unpriv: &unpriv {securityContext: {privileged: false}}
spec:
  hostNetwork: false
  <<: *host
  containers:
  - name: c
    image: busybox
    <<: [*priv, *unpriv]
`;
  const { findings, facts } = audit(kubeadmTree({ [CONFIG]: WITH_MANIFESTS, [`${MANIFESTS}/sneaky.yaml`]: manifest }));
  const pod = facts.staticPods?.manifests[0]?.pods[0];
  assert.equal(pod?.hostNetwork, true);
  assert.equal(pod?.lines?.hostNetwork, 5);
  assert.equal(pod?.containers[0]?.privileged, true);
  assert.equal(pod?.containers[0]?.lines?.privileged, 7);
  assert.equal(status(findings, 'static-pod-host-namespaces'), 'fail');
  assert.equal(status(findings, 'static-pod-privileged'), 'fail');
  assert.ok(evidenceAt(findings, 'static-pod-privileged').includes(`${MANIFESTS}/sneaky.yaml:7`), evidenceAt(findings, 'static-pod-privileged').join(' '));
});

test('kubeconfig (scan --kubeconfig): the user merged in by <<: *anchor gives its token', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-kc-'));
  const kc = path.join(dir, 'config');
  fs.writeFileSync(kc, `apiVersion: v1
kind: Config
current-context: c
x-user: &u {token: merged-token-value}
contexts: [{name: c, context: {cluster: k, user: admin}}]
users:
- name: admin
  user:
    <<: *u
`);
  const id = readIdentity({ kubeconfig: kc }, (p) => fs.readFileSync(p, 'utf8'));
  assert.equal(id?.token, 'merged-token-value');
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---- Limits: what go-yaml refuses, what the audit does not build -------------------------------

test('config: nesting beyond go-yaml\'s 10,000 levels is refused with the line (the kubelet refuses it)', () => {
  const { findings } = audit(kubeadmTree({ [CONFIG]: `${HEAD}x: ${'['.repeat(10_001)}${']'.repeat(10_001)}\n` }));
  const refused = byId(findings, 'kubelet-config-accepted').find((f) => f.status === 'fail');
  assert.match(refused?.message ?? '', /exceeded max depth of 10000/);
  assert.equal(refused?.evidence[0]?.line, 3);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'unknown');
});

test('config: 30,000 unknown fields give 20 warnings and one that counts the rest', () => {
  const keys = Array.from({ length: 30_000 }, (_, i) => `unknown${i}: 1`).join('\n');
  const { facts, findings } = audit(kubeadmTree({ [CONFIG]: `${HEAD}authentication:\n  anonymous:\n    enabled: false\n${keys}\n` }));
  const unknown = facts.kubelet.diagnostics.filter((d) => d.code === 'config-unknown-field');
  assert.equal(unknown.length, 21);
  assert.match(unknown[20]!.message, /and 29980 more unknown fields in \/var\/lib\/kubelet\/config\.yaml/);
  assert.equal(unknown[20]!.line, 26);
  assert.equal(status(findings, 'kubelet-anonymous-auth'), 'pass');
});

interface HugeCase {
  name: string;
  files: Record<string, string>;
  check: string;
  status: 'unknown' | 'fail';
  message: RegExp;
}

const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: kube-system}\nspec:\n  containers: [{name: c, image: i}]\n';
const HUGE: HugeCase[] = [
  { name: 'a config with a 1,000,000-element flow sequence: not analysed, unknown', files: { [CONFIG]: `${HEAD}x: [${Array(1_000_000).fill('1').join(',')}]\n` }, check: 'kubelet-anonymous-auth', status: 'unknown', message: /config\.yaml is not analysed \(line 3\): the document holds about 200\d{4} YAML tokens/ },
  { name: 'a config nested 1,000,000 levels: refused as go-yaml refuses it', files: { [CONFIG]: `${HEAD}x: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n` }, check: 'kubelet-config-accepted', status: 'fail', message: /line 3\): invalid YAML: yaml: line 3: exceeded max depth of 10000/ },
  { name: 'a config with 100,000 unknown keys: analysed, 20 warnings and a count', files: { [CONFIG]: `${HEAD}${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n')}\n` }, check: 'kubelet-config-warnings', status: 'fail', message: /^and 99980 more unknown fields in \/var\/lib\/kubelet\/config\.yaml \(the next at line 23\)/ },
  { name: 'a manifest with a 1,000,000-element flow sequence: unknown', files: { [CONFIG]: WITH_MANIFESTS, [`${MANIFESTS}/x.yaml`]: `${pod}x: [${Array(1_000_000).fill('1').join(',')}]\n` }, check: 'static-pod-manifest-decodes', status: 'unknown', message: /x\.yaml: not analysed \(line 6\)/ },
  { name: 'a manifest nested 1,000,000 levels: refused', files: { [CONFIG]: WITH_MANIFESTS, [`${MANIFESTS}/x.yaml`]: `${pod}x: ${'{a: '.repeat(500_000)}1${'}'.repeat(500_000)}\n` }, check: 'static-pod-manifest-decodes', status: 'fail', message: /exceeded max depth of 10000/ },
];

for (const c of HUGE) {
  test(`${c.name} — in bounded time and memory (CLI)`, async () => {
    const root = kubeadmTree(c.files);
    const r = await runMeasured(['node', '--root', root, '--format', 'json'], { killAfterMs: 60_000 });
    fs.rmSync(root, { recursive: true, force: true });
    assert.equal(r.killed, false, 'finished');
    assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < 500, `peak RSS ${r.peakRssMiB} MiB`);
    const report = JSON.parse(r.out) as { findings: Finding[] };
    const found = byId(report.findings, c.check).filter((f) => f.status === c.status);
    assert.ok(found.some((f) => c.message.test(f.message)), `${c.check} ${c.status}: ${byId(report.findings, c.check).map((f) => `${f.status} ${f.message}`).join(' | ').slice(0, 600)}`);
    assert.ok(r.out.length < 1_000_000, `a report of ${r.out.length} characters`);
    assert.ok(byId(report.findings, 'kubelet-config-warnings').length <= 25, 'repeated warnings summarised');
    // Nothing the unread part could change passes: a file not analysed hides its own warnings too.
    if (/not analysed/.test(found[0]?.message ?? '') && c.files[CONFIG]!.length > 1_000_000) {
      assert.ok(byId(report.findings, 'kubelet-config-warnings').every((f) => f.status !== 'pass'));
      assert.equal(status(report.findings, 'kubelet-config-accepted'), 'unknown');
      assert.ok(byId(report.findings, 'kubelet-config-warnings').some((f) => f.status === 'unknown'));
    }
  });
}

test('a control-plane manifest too large to analyse: the API server checks are unknown, not "not applicable"', () => {
  const big = `apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, --anonymous-auth=true]\n    args: [${Array(250_000).fill('x').join(',')}]\n`;
  const { findings } = audit(kubeadmTree({ [CONFIG]: WITH_MANIFESTS, [`${MANIFESTS}/kube-apiserver.yaml`]: big }));
  assert.equal(status(findings, 'apiserver-anonymous-auth'), 'unknown');
  assert.match(byId(findings, 'apiserver-anonymous-auth')[0]!.message, /kube-apiserver\.yaml.*not analysed \(line 8\)/);
});

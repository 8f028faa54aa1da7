// Every benchmark profile (src/profiles) is valid data: its version and source are there, its ids
// well-formed and none listed twice, every control either mapped to checks that exist or listed
// with why not; the CIS Kubernetes profile is the checks' own meta; the choice of a profile and
// the marking of findings beyond it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES, chooseProfile, idsOf, profileNamed, sectionTitle, withBenchmark, benchmarkRef } from '../src/profiles/index.ts';
import { cisKubernetes } from '../src/profiles/cis-kubernetes.ts';
import { profileTitle } from '../src/profiles/types.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { catalogue } from '../src/report/catalogue.ts';
import { DISTRIBUTIONS } from '../src/distros/index.ts';
import type { Finding } from '../src/checks/types.ts';
import fs from 'node:fs';

const ID = /^\d+(\.\d+){1,2}$/;
const known = new Set(catalogue().map((c) => c.id));
const nodeIds = new Set(NODE_CHECKS.map((c) => c.meta.id));

for (const p of PROFILES) {
  test(`${p.name}: version, source, well-formed ids listed once, every control mapped to existing checks or said why not`, () => {
    assert.match(p.version, /^\d+\.\d+(\.\d+)?$/, 'a version');
    assert.match(p.benchmark, /^CIS /);
    assert.match(profileTitle(p), new RegExp(`^CIS .+ v${p.version.replace(/\./g, '\\.')}$`));
    assert.equal(p.source.repository, 'aquasecurity/kube-bench');
    assert.match(p.source.commit, /^[0-9a-f]{40}$/);
    assert.ok(p.source.files.length > 0 && p.source.files.every((f) => /^cfg\/[a-z0-9.-]+\/[a-z]+\.yaml$/.test(f)), 'the kube-bench files read');
    assert.ok(p.scope.length > 20, 'what the profile lists and leaves out');
    assert.ok(p.controls.length > 0);
    const seen = new Set<string>();
    for (const c of p.controls) {
      assert.match(c.id, ID, `${p.name} ${c.id}`);
      assert.ok(!seen.has(c.id), `${p.name}: ${c.id} listed twice`);
      seen.add(c.id);
      assert.ok((c.checks?.length ?? 0) > 0 !== (c.unmapped !== undefined), `${p.name} ${c.id}: either checks or why not, never both`);
      if (c.unmapped !== undefined) assert.ok(c.unmapped.length > 10, `${p.name} ${c.id}: says why`);
      for (const id of c.checks ?? []) assert.ok(known.has(id), `${p.name} ${c.id}: no check ${id}`);
      if (p.name !== 'cis-kubernetes') {
        assert.ok(c.title && !/\((automated|manual)\)/i.test(c.title), `${p.name} ${c.id}: its title, without the assessment`);
        for (const id of c.checks ?? []) assert.ok(nodeIds.has(id), `${p.name} ${c.id}: ${id} is no node check`);
      }
    }
    assert.ok(p.controls.some((c) => c.checks?.length), 'maps something');
  });
}

test('every distribution names a profile that exists, and every profile but the default is some distribution\'s', () => {
  for (const d of DISTRIBUTIONS) assert.ok(profileNamed(d.benchmark), `${d.name}: ${d.benchmark}`);
  for (const p of PROFILES) if (p.name !== 'cis-kubernetes') assert.ok(DISTRIBUTIONS.some((d) => d.benchmark === p.name), p.name);
  assert.equal(new Set(PROFILES.map((p) => p.name)).size, PROFILES.length);
});

test('cis-kubernetes is the checks\' own meta: each node check carries exactly its CIS v1.12 ids', () => {
  for (const { meta } of NODE_CHECKS) assert.deepEqual(idsOf(cisKubernetes, meta.id), meta.cis, meta.id);
  assert.deepEqual(idsOf(cisKubernetes, 'kubelet-anonymous-auth'), ['4.2.1']);
  assert.deepEqual(idsOf(cisKubernetes, 'etcd-unique-ca'), ['2.7']);
});

test('renumbered: the same kubelet check under each platform\'s benchmark, and left out where the benchmark has no such control', () => {
  const ids = (p: string, check: string) => idsOf(profileNamed(p)!, check);
  assert.deepEqual(ids('cis-eks', 'kubelet-anonymous-auth'), ['3.2.1']);
  assert.deepEqual(ids('cis-aks', 'kubelet-anonymous-auth'), ['3.2.1']);
  assert.deepEqual(ids('cis-openshift', 'kubelet-anonymous-auth'), ['4.2.2']);
  assert.deepEqual(ids('cis-k3s', 'kubelet-anonymous-auth'), ['4.2.1']);
  assert.deepEqual(ids('cis-gke', 'kubelet-anonymous-auth'), [], 'GKE v1.9.0 has no kubelet group');
  assert.deepEqual(ids('cis-gke', 'file-kubelet-kubeconfig-owner'), ['3.1.2']);
  assert.deepEqual(ids('cis-rke2', 'apiserver-node-restriction'), ['1.2.15']);
  assert.deepEqual(ids('cis-k3s', 'apiserver-node-restriction'), ['1.2.14']);
  assert.deepEqual(ids('cis-eks', 'kubelet-seccomp-default'), []);
  // a control whose threshold differs is never mapped: a file at 644 passes EKS 3.1.1 and fails the check
  assert.deepEqual(ids('cis-eks', 'file-kubelet-kubeconfig-perms'), []);
  assert.match(profileNamed('cis-eks')!.controls.find((c) => c.id === '3.1.1')!.unmapped!, /644.*600/);
  // …nor one that asks only part, or something else
  assert.deepEqual(ids('cis-openshift', 'kubelet-rotate-server-certificate-gate'), []);
  assert.deepEqual(ids('cis-openshift', 'kubelet-event-qps'), [], 'OpenShift 4.2.8 judges kubeAPIQPS');
  assert.deepEqual(ids('cis-openshift', 'apiserver-anonymous-auth'), [], 'OpenShift 1.2.1 asks the opposite');
});

test('the choice: --benchmark wins, then the distribution\'s own, then CIS Kubernetes; each says why', () => {
  const eks = { name: 'eks-al2023', title: 'Amazon EKS (AL2023)' };
  assert.deepEqual(chooseProfile(undefined, eks).choice, { profile: 'cis-eks', title: 'CIS Amazon EKS Benchmark v1.8.0', version: '1.8.0', chosenBy: 'distribution', reason: 'the distribution found: Amazon EKS (Amazon Linux 2023, nodeadm)' });
  assert.equal(chooseProfile(undefined, { ...eks, overridden: true }).choice.reason, 'the distribution given (--distribution): Amazon EKS (Amazon Linux 2023, nodeadm)');
  assert.deepEqual(chooseProfile('cis-gke', eks).choice, { profile: 'cis-gke', title: 'CIS Google Kubernetes Engine (GKE) Benchmark v1.9.0', version: '1.9.0', chosenBy: 'flag', reason: '--benchmark cis-gke' });
  assert.equal(chooseProfile(undefined, undefined).choice.chosenBy, 'default');
  assert.equal(chooseProfile(undefined, undefined).profile.name, 'cis-kubernetes');
  assert.equal(chooseProfile(undefined, { name: 'no-such', title: 'x' }).choice.chosenBy, 'default');
});

test('a finding under a profile: its ids, or beyond the benchmark said plainly; section headings lose CIS Kubernetes numbers under another profile', () => {
  const f: Finding = { check: 'kubelet-seccomp-default', title: 't', section: 'cis-4.2', cis: ['4.2.14'], status: 'fail', severity: 'low', message: 'm', evidence: [] };
  assert.deepEqual(withBenchmark(f, profileNamed('cis-eks')!).benchmark, { profile: 'cis-eks', ids: [], beyond: true });
  assert.deepEqual(withBenchmark(f, cisKubernetes).benchmark, { profile: 'cis-kubernetes', ids: ['4.2.14'] });
  assert.equal(benchmarkRef(withBenchmark(f, profileNamed('cis-eks')!)), 'beyond benchmark (cis-eks has no control for this check)');
  assert.equal(benchmarkRef(withBenchmark({ ...f, check: 'kubelet-anonymous-auth' }, profileNamed('cis-eks')!)), 'cis-eks 3.2.1');
  assert.equal(benchmarkRef(f), 'CIS 4.2.14', 'no profile (scan): the CIS v1.12 ids');
  assert.equal(withBenchmark(f, cisKubernetes).cis, f.cis, 'cis stays the CIS Kubernetes v1.12 ids');
  assert.equal(sectionTitle('cis-4.2', 'cis-kubernetes'), 'CIS 4.2 Kubelet');
  assert.equal(sectionTitle('cis-4.2', 'cis-eks'), 'Kubelet');
  assert.equal(sectionTitle('control-plane', 'cis-openshift'), 'API server: the kubelet path');
  assert.equal(sectionTitle('kubelet-api', 'cis-eks'), 'Kubelet API exposure');
});

test('the README\'s table of profiles is the data: each profile with its benchmark, version, kube-bench folder and counts', () => {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const p of PROFILES) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${p.name}\` |`));
    assert.ok(row, p.name);
    const folder = p.source.files[0]!.split('/')[1]!;
    assert.ok(row.includes(`| ${profileTitle(p)} | \`${folder}\` |`), row);
    const mapped = p.controls.filter((c) => c.checks?.length).length;
    if (p.name !== 'cis-kubernetes') assert.ok(row.includes(`${mapped} of ${p.controls.length}`), row);
  }
});

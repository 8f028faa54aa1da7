import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, KUBEADM_CONFIG } from '../fixtures.ts';
import type { CheckResult } from '../types.ts';
import type { NodeFacts } from '../../facts/types.ts';
import { knownVulnerabilities } from './known-vulnerabilities.ts';
import { KNOWN_CVES } from './cves.ts';

function result(spec: Parameters<typeof factsFrom>[0], id: string): CheckResult {
  const all = knownVulnerabilities.evaluate(factsFrom(spec));
  assert.ok(Array.isArray(all));
  assert.equal(all.length, KNOWN_CVES.length, 'one result per CVE');
  const r = all.find((x) => x.subject === id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

const READ_ONLY_ON = KUBEADM_CONFIG + 'readOnlyPort: 10255\n';

test('CVE-2025-0426 fail: affected version, read-only port open, ContainerCheckpoint on by default (1.31)', () => {
  const r = result({ config: READ_ONLY_ON, version: '1.31.2' }, 'CVE-2025-0426');
  assert.equal(r.status, 'fail');
  assert.equal(r.severity, 'medium');
  assert.match(r.message, /read-only port 10255 is open and ContainerCheckpoint is on by default in 1.31/);
  assert.match(r.remediation ?? '', /Upgrade the kubelet to 1\.31\.6 or newer/);
  assert.ok(r.evidence?.some((e) => e.setting === 'readOnlyPort' && e.line === 22));
});

test('CVE-2025-0426 fail: the flag default read-only port of a kubelet without --config (dpkg version style)', () => {
  const r = result({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'], version: '1.32.1-1.1' }, 'CVE-2025-0426');
  assert.equal(r.status, 'fail');
});

test('CVE-2025-0426 pass: affected version but readOnlyPort is 0 (kubeadm config)', () => {
  const r = result({ config: KUBEADM_CONFIG, version: 'v1.30.5' }, 'CVE-2025-0426');
  assert.equal(r.status, 'pass');
  assert.match(r.message, /avoids the flaw: the read-only port is off/);
});

test('CVE-2025-0426 pass: affected version, port open, but the gate is off explicitly', () => {
  const r = result({ config: READ_ONLY_ON + 'featureGates:\n  ContainerCheckpoint: false\n', version: '1.31.2' }, 'CVE-2025-0426');
  assert.equal(r.status, 'pass');
  assert.match(r.message, /ContainerCheckpoint=false is set explicitly/);
});

test('CVE-2025-0426 on 1.29: affected only with the alpha gate enabled', () => {
  assert.equal(result({ config: READ_ONLY_ON, version: '1.29.10' }, 'CVE-2025-0426').status, 'pass');
  assert.equal(result({ config: READ_ONLY_ON, version: '1.29.10', flags: ['--feature-gates=ContainerCheckpoint=true'] }, 'CVE-2025-0426').status, 'fail');
  assert.equal(result({ config: READ_ONLY_ON, version: '1.29.14', flags: ['--feature-gates=ContainerCheckpoint=true'] }, 'CVE-2025-0426').status, 'pass');
});

test('CVE-2025-0426 pass: fixed versions', () => {
  for (const v of ['1.30.10', '1.31.6', '1.32.2', '1.33.0', 'v1.36.1']) assert.equal(result({ config: READ_ONLY_ON, version: v }, 'CVE-2025-0426').status, 'pass', v);
});

test('CVE-2025-0426 unknown: affected version but the config file is refused', () => {
  const r = result({ config: 'apiVersion: v1\nkind: Pod\n', version: '1.31.2' }, 'CVE-2025-0426');
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /cannot be known/);
});

const LINUX = (f: NodeFacts) => { f.os = { value: 'linux', source: 'test' }; };
const WINDOWS = (f: NodeFacts) => { f.os = { value: 'windows', source: 'test' }; };
const all = (spec: Parameters<typeof factsFrom>[0]) => knownVulnerabilities.evaluate(factsFrom(spec)) as CheckResult[];

test('unknown: no version, for every kubelet CVE of the node\'s OS (Linux: Windows-only CVEs not listed)', () => {
  const rs = all({ config: KUBEADM_CONFIG, patch: LINUX });
  assert.deepEqual(rs.map((r) => r.subject), KNOWN_CVES.filter((c) => c.os !== 'windows').map((c) => c.id));
  for (const r of rs) {
    const cve = KNOWN_CVES.find((c) => c.id === r.subject)!;
    if (cve.component !== 'kubelet') assert.equal(r.status, 'not-applicable', r.subject);
    else {
      assert.equal(r.status, 'unknown', r.subject);
      assert.match(r.message, /kubelet version unknown \(give --kubelet-version\)/);
    }
  }
});

test('unknown: a version that cannot be read', () => {
  assert.equal(result({ config: KUBEADM_CONFIG, version: 'latest' }, 'CVE-2024-10220').status, 'unknown');
});

test('CVE-2024-9042 (Windows only): not listed on a Linux node, even on an affected version', () => {
  const rs = all({ config: KUBEADM_CONFIG, version: '1.32.0', patch: LINUX });
  assert.ok(!rs.some((r) => r.subject === 'CVE-2024-9042'));
  assert.ok(!rs.some((r) => KNOWN_CVES.find((c) => c.id === r.subject)?.os === 'windows'));
});

test('CVE-2024-9042 fail on a Windows node on an affected version; unknown when the OS is unknown; pass when fixed', () => {
  const w = all({ config: KUBEADM_CONFIG, version: '1.32.0', patch: WINDOWS }).find((r) => r.subject === 'CVE-2024-9042');
  assert.equal(w?.status, 'fail');
  const u = result({ config: KUBEADM_CONFIG, version: '1.32.0' }, 'CVE-2024-9042');
  assert.equal(u.status, 'unknown');
  assert.match(u.message, /affects only Windows nodes, and this node's OS is unknown/);
  assert.equal(result({ config: KUBEADM_CONFIG, version: '1.32.1' }, 'CVE-2024-9042').status, 'pass');
});

test('CVE-2025-4563: a kube-apiserver flaw, not decided by the kubelet version', () => {
  const r = result({ config: KUBEADM_CONFIG, version: '1.33.1' }, 'CVE-2025-4563');
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /kube-apiserver/);
});

test('CVE-2024-10220: unknown (needs a pod with a gitRepo volume) on 1.28.11 and 1.30.2, pass on 1.28.12 and 1.30.3', () => {
  for (const version of ['1.28.11', '1.30.2']) {
    const r = result({ config: KUBEADM_CONFIG, version }, 'CVE-2024-10220');
    assert.equal(r.status, 'unknown', version);
    assert.match(r.message, /exposed only if a pod on the node uses a gitRepo volume, which the node's configuration cannot show/);
    assert.match(r.remediation ?? '', /Upgrade the kubelet to/);
  }
  assert.equal(result({ config: KUBEADM_CONFIG, version: '1.28.12' }, 'CVE-2024-10220').status, 'pass');
  const r = result({ config: KUBEADM_CONFIG, version: '1.30.3' }, 'CVE-2024-10220');
  assert.equal(r.status, 'pass');
  assert.equal(r.severity, 'high');
});

test('CVE-2025-1767: no fix; before 1.33 and with GitRepoVolumeDriver unknown (needs a gitRepo pod), gate off or 1.36 pass', () => {
  const r = result({ config: KUBEADM_CONFIG, version: '1.32.9' }, 'CVE-2025-1767');
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /always on before 1\.33; exposed only if a pod on the node uses a gitRepo volume/);
  assert.equal(result({ config: KUBEADM_CONFIG, version: '1.34.2' }, 'CVE-2025-1767').status, 'pass');
  assert.equal(result({ config: KUBEADM_CONFIG + 'featureGates:\n  GitRepoVolumeDriver: true\n', version: '1.34.2' }, 'CVE-2025-1767').status, 'unknown');
  assert.equal(result({ config: KUBEADM_CONFIG, version: '1.36.0' }, 'CVE-2025-1767').status, 'pass');
});

test('CVE-2023-2431: unknown (needs a Localhost seccomp pod) on 1.27.1, pass on 1.27.2', () => {
  const r = result({ config: KUBEADM_CONFIG, version: '1.27.1' }, 'CVE-2023-2431');
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /seccompProfile type Localhost/);
  assert.equal(result({ config: KUBEADM_CONFIG, version: '1.27.2' }, 'CVE-2023-2431').status, 'pass');
});

test('no CVE of the table fails on a condition the node cannot show: every `needs` CVE is unknown, never fail', () => {
  for (const version of ['1.20.0', '1.27.1', '1.28.0', '1.30.2', '1.32.0']) {
    for (const r of all({ config: READ_ONLY_ON, version, patch: LINUX })) {
      if (KNOWN_CVES.find((c) => c.id === r.subject)?.needs) assert.notEqual(r.status, 'fail', `${r.subject} on ${version}`);
    }
  }
});

test('the CVE table is consistent: ranges parse, fixed versions are outside them, one fixed release per affected minor', async () => {
  const { parseVersion, inRange } = await import('./semver.ts');
  for (const cve of KNOWN_CVES) {
    for (const r of cve.affected) for (const b of [r.from, r.through, r.before]) if (b !== undefined) assert.ok(parseVersion(b), `${cve.id}: ${b}`);
    for (const f of cve.fixed) {
      const v = parseVersion(f);
      assert.ok(v, `${cve.id}: fixed ${f}`);
      assert.ok(!cve.affected.some((r) => inRange(v, r)), `${cve.id}: fixed ${f} lies in an affected range`);
    }
    for (const r of cve.affected) {
      if (!r.through) continue;
      const t = parseVersion(r.through)!;
      const next = `${t.major}.${t.minor}.${t.patch + 1}`;
      if (cve.fixed.length) assert.ok(cve.fixed.includes(next), `${cve.id}: no fixed release ${next} after ${r.through}`);
    }
    assert.match(cve.source, /^https:\/\/github\.com\/kubernetes\/kubernetes\/issues\/\d+$/);
  }
});

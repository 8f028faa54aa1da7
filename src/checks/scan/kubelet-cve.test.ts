import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configzToEffective } from '../../scan/collect.ts';
import type { CheckResult } from '../types.ts';
import { endpoint, hostAll, probe } from './test-support.ts';
import { kubeletCve as check } from './kubelet-cve.ts';

const bySubject = (rs: CheckResult[]) => new Map(rs.map((r) => [r.subject, r]));
const readOnly = (over: Parameters<typeof endpoint>[0] = {}) => endpoint({ service: 'kubelet-read-only', port: 10255, ...over });

test('unknown (needs a gitRepo pod, which a scan cannot show): an affected version from /metrics, one result per CVE of the node\'s OS from the shared table', () => {
  const rs = hostAll(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.30.1', platform: 'linux/amd64' } } }));
  const m = bySubject(rs);
  const gitRepo = m.get('CVE-2024-10220')!;
  assert.equal(gitRepo.status, 'unknown');
  assert.match(gitRepo.message, /exposed only if a pod on the node uses a gitRepo volume/);
  assert.equal(gitRepo.severity, 'high');
  assert.match(gitRepo.remediation ?? '', /Upgrade the kubelet to 1\.30\.3 or newer/);
  assert.match(gitRepo.evidence?.[0]?.note ?? '', /kubelet version v1\.30\.1 \(from kubernetes_build_info in \/metrics of 10\.0\.0\.5\)/);
  // Linux platform: the Windows-only flaws are not listed
  assert.equal(m.get('CVE-2024-5321'), undefined);
  assert.equal(m.get('CVE-2024-9042'), undefined);
  // an API-server flaw is not decided by the kubelet's version
  assert.equal(m.get('CVE-2025-4563')!.status, 'not-applicable');
});

test('unknown: an advisory condition needs the configuration, which was not collected', () => {
  const m = bySubject(hostAll(check, endpoint({ version: 'v1.31.2', collected: { metrics: { kubeletVersion: 'v1.31.2', platform: 'linux/amd64' } } })));
  const checkpoint = m.get('CVE-2025-0426')!;
  assert.equal(checkpoint.status, 'unknown');
  assert.match(checkpoint.message, /did not read the kubelet's \/configz/);
});

test('fail/pass: the condition judged on the live configz', () => {
  const open = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: { readOnlyPort: 10255 } })), '10.0.0.5').effective!;
  const closed = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: {} })), '10.0.0.5').effective!;
  const metrics = { kubeletVersion: 'v1.31.2', platform: 'linux/amd64' };
  assert.equal(bySubject(hostAll(check, endpoint({ collected: { metrics, configz: { effective: open } } }))).get('CVE-2025-0426')!.status, 'fail');
  assert.equal(bySubject(hostAll(check, endpoint({ collected: { metrics, configz: { effective: closed } } }))).get('CVE-2025-0426')!.status, 'pass');
});

test('one kubelet, several ports: one verdict per CVE from the union of what they told (issue 10)', () => {
  const open = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: { readOnlyPort: 10255 } })), '10.0.0.5').effective!;
  // the secure port read /configz and /metrics; the read-only port told the version too (no configz there)
  const secure = endpoint({ version: 'v1.31.2', collected: { metrics: { kubeletVersion: 'v1.31.2', platform: 'linux/amd64' }, configz: { effective: open } } });
  const ro = readOnly({ version: 'v1.31.2', reachable: ['pods', 'metrics'] });
  const healthz = endpoint({ service: 'kubelet-healthz', port: 10248, reachable: ['healthz'] });
  for (const order of [[secure, ro, healthz], [healthz, ro, secure]]) {
    const rs = hostAll(check, ...order);
    const subjects = rs.map((r) => r.subject);
    assert.equal(new Set(subjects).size, subjects.length, `a CVE twice: ${subjects.join(', ')}`);
    assert.equal(bySubject(rs).get('CVE-2025-0426')!.status, 'fail');
  }
  // the version only on the read-only port, the platform only from the secure port's /metrics
  const rs = bySubject(hostAll(check, endpoint({ collected: { metrics: { platform: 'windows/amd64' } } }), readOnly({ version: 'v1.28.0' })));
  assert.equal(rs.get('CVE-2023-3676')!.status, 'fail'); // a Windows flaw: known to be Windows only through the other port
});

test('the read-only port seen serving POST /checkpoint proves CVE-2025-0426 without /configz', () => {
  const ro = readOnly({ version: 'v1.31.2', reachable: ['pods', 'checkpoint'], probes: [probe('POST', '/checkpoint/kube-system/kubelet-guard-probe-nonexistent/c', 404)] });
  const r = bySubject(hostAll(check, endpoint({ version: 'v1.31.2' }), ro)).get('CVE-2025-0426')!;
  assert.equal(r.status, 'fail');
  assert.match(r.message, /read-only port 10255 serves the checkpoint API/);
  // not served: still the configuration's question, unknown without /configz
  assert.equal(bySubject(hostAll(check, readOnly({ version: 'v1.31.2', reachable: ['pods'] }))).get('CVE-2025-0426')!.status, 'unknown');
  // a fixed version serving it is not this CVE's fail
  assert.equal(bySubject(hostAll(check, readOnly({ version: 'v1.31.6', reachable: ['pods', 'checkpoint'] }))).get('CVE-2025-0426')!.status, 'pass');
});

test('two versions on one address are two kubelets, each judged once on its own ports', () => {
  const rs = hostAll(check, endpoint({ version: 'v1.30.1' }), endpoint({ port: 20250, version: 'v1.34.1' }));
  const m = bySubject(rs);
  assert.equal(m.get('(port 10250) CVE-2024-10220')!.status, 'unknown');
  assert.equal(m.get('(port 20250) CVE-2024-10220')!.status, 'pass');
});

test('Windows kubelets are judged on the Windows-only flaws; an unknown OS is unknown', () => {
  const win = bySubject(hostAll(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.28.0', platform: 'windows/amd64' } } })));
  assert.equal(win.get('CVE-2023-3676')!.status, 'fail');
  const unknownOs = bySubject(hostAll(check, endpoint({ version: 'v1.28.0' })));
  assert.equal(unknownOs.get('CVE-2023-3676')!.status, 'unknown');
  assert.match(unknownOs.get('CVE-2023-3676')!.message, /node's OS is unknown/);
  assert.equal(unknownOs.get('CVE-2024-5321')!.status, 'unknown');
  // not affected whatever the OS
  const newer = bySubject(hostAll(check, endpoint({ version: 'v1.34.1' })));
  assert.equal(newer.get('CVE-2023-3676')!.status, 'pass');
});

test('pass: a fixed version', () => {
  const m = bySubject(hostAll(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.31.6', platform: 'linux/arm64' } } })));
  assert.equal(m.get('CVE-2024-10220')!.status, 'pass');
  assert.equal(m.get('CVE-2023-2431')!.status, 'pass');
});

test('unknown: no version readable on any port, said once', () => {
  const rs = hostAll(check, endpoint({ collected: { metrics: { error: 'GET /metrics answered 403' } } }), readOnly());
  assert.equal(rs.length, 1);
  assert.equal(rs[0]!.status, 'unknown');
  assert.match(rs[0]!.message, /answered 403/);
  assert.match(rs[0]!.message, /ports 10250, 10255/);
});

test('nothing for a host without an open kubelet port (etcd, healthz only, closed)', () => {
  assert.deepEqual(hostAll(check, endpoint({ service: 'etcd', port: 2379, version: '3.5.16' })), []);
  assert.deepEqual(hostAll(check, endpoint({ service: 'kubelet-healthz', port: 10248 })), []);
  assert.deepEqual(hostAll(check, endpoint({ state: 'closed' })), []);
});

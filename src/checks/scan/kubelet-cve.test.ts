import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configzToEffective } from '../../scan/collect.ts';
import type { CheckResult } from '../types.ts';
import { all, endpoint, one } from './test-support.ts';
import { kubeletCve as check } from './kubelet-cve.ts';

const bySubject = (rs: CheckResult[]) => new Map(rs.map((r) => [r.subject, r]));

test('unknown (needs a gitRepo pod, which a scan cannot show): an affected version from /metrics, one result per CVE of the node\'s OS from the shared table', () => {
  const rs = all(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.30.1', platform: 'linux/amd64' } } }));
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
  const m = bySubject(all(check, endpoint({ version: 'v1.31.2', collected: { metrics: { kubeletVersion: 'v1.31.2', platform: 'linux/amd64' } } })));
  const checkpoint = m.get('CVE-2025-0426')!;
  assert.equal(checkpoint.status, 'unknown');
  assert.match(checkpoint.message, /did not read the kubelet's \/configz/);
});

test('fail/pass: the condition judged on the live configz', () => {
  const open = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: { readOnlyPort: 10255 } })), '10.0.0.5').effective!;
  const closed = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: {} })), '10.0.0.5').effective!;
  const metrics = { kubeletVersion: 'v1.31.2', platform: 'linux/amd64' };
  assert.equal(bySubject(all(check, endpoint({ collected: { metrics, configz: { effective: open } } }))).get('CVE-2025-0426')!.status, 'fail');
  assert.equal(bySubject(all(check, endpoint({ collected: { metrics, configz: { effective: closed } } }))).get('CVE-2025-0426')!.status, 'pass');
});

test('Windows kubelets are judged on the Windows-only flaws; an unknown OS is unknown', () => {
  const win = bySubject(all(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.28.0', platform: 'windows/amd64' } } })));
  assert.equal(win.get('CVE-2023-3676')!.status, 'fail');
  const unknownOs = bySubject(all(check, endpoint({ version: 'v1.28.0' })));
  assert.equal(unknownOs.get('CVE-2023-3676')!.status, 'unknown');
  assert.match(unknownOs.get('CVE-2023-3676')!.message, /node's OS is unknown/);
  assert.equal(unknownOs.get('CVE-2024-5321')!.status, 'unknown');
  // not affected whatever the OS
  const newer = bySubject(all(check, endpoint({ version: 'v1.34.1' })));
  assert.equal(newer.get('CVE-2023-3676')!.status, 'pass');
});

test('pass: a fixed version', () => {
  const m = bySubject(all(check, endpoint({ collected: { metrics: { kubeletVersion: 'v1.31.6', platform: 'linux/arm64' } } })));
  assert.equal(m.get('CVE-2024-10220')!.status, 'pass');
  assert.equal(m.get('CVE-2023-2431')!.status, 'pass');
});

test('unknown: no version readable', () => {
  const r = one(check, endpoint({ collected: { metrics: { error: 'GET /metrics answered 403' } } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /answered 403/);
});

test('the read-only port only when it told a version; nothing for etcd', () => {
  assert.deepEqual(all(check, endpoint({ service: 'kubelet-read-only', port: 10255 })), []);
  assert.ok(all(check, endpoint({ service: 'kubelet-read-only', port: 10255, version: 'v1.31.2' })).length > 5);
  assert.deepEqual(all(check, endpoint({ service: 'etcd', port: 2379, version: '3.5.16' })), []);
  assert.equal(one(check, endpoint({ state: 'closed' })).status, 'not-applicable');
});

// The cluster table with more RBAC failures than it shows: the count is every failure, and a line
// says how many were left out (all are in --format json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../checks/types.ts';
import { summarize } from '../checks/run.ts';
import { formatClusterTable } from './cluster-table.ts';

test('RBAC failures past what the table shows are counted and said', () => {
  const f = (i: number): Finding => ({ check: 'rbac-kubelet-access', title: 'Who can reach the kubelet API through RBAC', section: 'rbac', cis: [], status: 'fail', severity: 'critical', subject: `User/u${i}`, message: `User/u${i} may get nodes/proxy`, evidence: [] });
  const shown = [f(0), f(1)];
  const out = formatClusterTable({ tool: { name: 'kubelet-guard', version: '0' }, cluster: { server: 'https://127.0.0.1', nodes: 0 }, nodes: [], findings: shown, summary: summarize(shown), rbacFails: { 'rbac-kubelet-access': 5000 } }, { color: false });
  assert.match(out, /RBAC findings: kubelet API access 5000,/);
  assert.match(out, /… and 4998 more failed rbac-kubelet-access findings, not shown here \(all are in --format json\)/);
  assert.match(out, /User\/u1 may get nodes\/proxy/);
});

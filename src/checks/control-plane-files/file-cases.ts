// Test support: the four cases every one-file CIS 1.1 check shares (pass with one result, fail with
// the exact command, unknown when not examined or refused, not-applicable when absent or on a
// worker). Only tests import this module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatResult } from '../../sources/root-fs.ts';
import type { Check } from '../types.ts';
import { kubeadmNode, workerNode } from './test-support.ts';
import { about, all, only } from '../control-plane/test-support.ts';

/** `alongside`: other files the check also judges, present and passing in the pass and fail cases (admin.conf's super-admin.conf). */
export function singleFileCases(check: Check, FILE: string, c: { pass: Partial<StatResult>; fail: Partial<StatResult>; fix: string; alongside?: Record<string, Partial<StatResult>> }): void {
  const others = c.alongside ?? {};
  test('pass: one result per file', () => {
    const r = all(check.evaluate(kubeadmNode({ [FILE]: c.pass, ...others })));
    assert.deepEqual(r.map((x) => [x.subject, x.status]), [[FILE, 'pass'], ...Object.keys(others).map((f) => [f, 'pass'])]);
  });

  test('fail: the exact command for this file', () => {
    const r = about(check.evaluate(kubeadmNode({ [FILE]: c.fail, ...others })), FILE);
    assert.equal(r.status, 'fail');
    assert.equal(r.remediation, c.fix);
  });

  test('unknown: not examined, or stat refused', () => {
    assert.equal(about(check.evaluate(kubeadmNode({})), FILE).status, 'unknown');
    assert.equal(about(check.evaluate(kubeadmNode({ [FILE]: { exists: null, error: 'EACCES: permission denied' } })), FILE).status, 'unknown');
  });

  test('not-applicable: the file does not exist (with the reason), or no control plane on this node', () => {
    const r = about(check.evaluate(kubeadmNode({ [FILE]: { exists: false } })), FILE);
    assert.equal(r.status, 'not-applicable');
    assert.match(r.message, /does not exist; ./);
    const w = only(check.evaluate(workerNode()));
    assert.equal(w.status, 'not-applicable');
    assert.match(w.message, /no control-plane component on this node/);
  });
}

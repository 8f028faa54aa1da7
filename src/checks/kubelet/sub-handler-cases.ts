// Test support: the cases every optional debugging sub-handler check shares (profiling, debug
// flags, system logs): off, hidden behind the main switch, on by default, on again in a drop-in,
// unknown behind a refused file. Only tests import this module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import type { Check } from '../types.ts';

export const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

export function subHandlerCases(check: Check): void {
  const field = check.meta.setting!;

  test(`${check.meta.id} pass: off in the config file`, () => {
    const r = one(check, factsFrom({ config: `${HDR}${field}: false\n` }));
    assert.equal(r.status, 'pass');
  });

  test(`${check.meta.id} pass: not served when the debugging handlers are off, whatever the sub-switch`, () => {
    const r = one(check, factsFrom({ config: `${HDR}${field}: true\n`, flags: ['--enable-debugging-handlers=false'] }));
    assert.equal(r.status, 'pass');
    assert.match(r.message, /debugging handlers are off/);
  });

  test(`${check.meta.id} fail: on by default (kubeadm config)`, () => {
    const r = one(check, factsFrom({ config: KUBEADM_CONFIG }));
    assert.equal(r.status, 'fail');
    assert.match(r.remediation ?? '', new RegExp(`In /var/lib/kubelet/config\\.yaml, set \`${field}\` to \`false\``));
  });

  test(`${check.meta.id} fail: a drop-in turns it back on, and the fix names the drop-in line`, () => {
    const r = one(check, factsFrom({ config: `${HDR}${field}: false\n`, dropIns: [`${HDR}${field}: true\n`] }));
    assert.equal(r.status, 'fail');
    assert.match(r.remediation ?? '', /10\.conf line 3/);
  });

  test(`${check.meta.id} unknown: the config file is refused`, () => {
    assert.equal(one(check, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
  });
}

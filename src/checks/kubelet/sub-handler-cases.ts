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

  test(`${check.meta.id} pass (info): on by default behind anonymous off and Webhook (kubeadm config)`, () => {
    const r = one(check, factsFrom({ config: KUBEADM_CONFIG }));
    assert.equal(r.status, 'pass');
    assert.equal(r.severity, 'info');
    assert.match(r.message, /is on.*behind authentication and authorization: anonymous authentication is off and authorization is Webhook/);
  });

  test(`${check.meta.id} fail: on with anonymous authentication on`, () => {
    const r = one(check, factsFrom({ config: `${HDR}authentication:\n  anonymous:\n    enabled: true\n` }));
    assert.equal(r.status, 'fail');
    assert.match(r.message, /anonymous authentication is on/);
    assert.match(r.remediation ?? '', new RegExp(`In /var/lib/kubelet/config\\.yaml, set \`${field}\` to \`false\``));
  });

  test(`${check.meta.id} fail: on with AlwaysAllow (no --config: the flag defaults)`, () => {
    const r = one(check, factsFrom({ flags: ['--anonymous-auth=false'] }));
    assert.equal(r.status, 'fail');
    assert.match(r.message, /authorization is AlwaysAllow/);
  });

  test(`${check.meta.id} fail: a drop-in turns it back on, and the fix names the drop-in line`, () => {
    const r = one(check, factsFrom({ config: `${HDR}${field}: false\nauthorization:\n  mode: AlwaysAllow\n`, dropIns: [`${HDR}${field}: true\n`] }));
    assert.equal(r.status, 'fail');
    assert.match(r.remediation ?? '', /10\.conf line 3/);
  });

  test(`${check.meta.id} unknown: on, and whether anonymous authentication is on cannot be known`, () => {
    const f = factsFrom({ config: KUBEADM_CONFIG });
    f.kubelet.effective['authentication.anonymous.enabled'] = { ...f.kubelet.effective['authentication.anonymous.enabled']!, unknown: 'a test says so' };
    const r = one(check, f);
    assert.equal(r.status, 'unknown');
    assert.match(r.message, /authentication\.anonymous\.enabled cannot be known: a test says so/);
  });

  test(`${check.meta.id} unknown: the config file is refused`, () => {
    assert.equal(one(check, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
  });
}

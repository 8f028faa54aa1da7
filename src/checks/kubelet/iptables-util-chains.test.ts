import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { iptablesUtilChains } from './iptables-util-chains.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: default true', () => {
  const r = one(iptablesUtilChains, factsFrom({ config: KUBEADM_CONFIG }));
  assert.equal(r.status, 'pass');
});

test('fail: an explicit false in the config file stays false (pointer field)', () => {
  const r = one(iptablesUtilChains, factsFrom({ config: `${HDR}makeIPTablesUtilChains: false\n` }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'config-file');
  assert.match(r.remediation ?? '', /config\.yaml line 3: set `makeIPTablesUtilChains` to `true`/);
});

test('fail: --make-iptables-util-chains=false overrides the file', () => {
  const r = one(iptablesUtilChains, factsFrom({ config: `${HDR}makeIPTablesUtilChains: true\n`, flags: ['--make-iptables-util-chains=false'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--make-iptables-util-chains=false` with `--make-iptables-util-chains=true`/);
});

test('pass: a drop-in turns it back on', () => {
  const r = one(iptablesUtilChains, factsFrom({ config: `${HDR}makeIPTablesUtilChains: false\n`, dropIns: [`${HDR}makeIPTablesUtilChains: true\n`] }));
  assert.equal(r.status, 'pass');
});

test('unknown: no kubelet found', () => {
  assert.equal(one(iptablesUtilChains, factsFrom({ missing: 'no kubelet' })).status, 'unknown');
});

// The node's OS in the facts (issue 10, noise): Windows-only CVEs are not listed on a node the
// evidence shows to be Linux, and are unknown, not fail, where the OS is unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { knownVulnerabilities } from '../src/checks/versions/known-vulnerabilities.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { CONFIG, kubeadmTree, nodeTree } from './node-tree.ts';

const NOW = new Date('2026-11-23T00:00:00Z');
const cves = (root: string, version: string) =>
  knownVulnerabilities.evaluate(gatherNodeFacts({ root, kubeletVersion: version, now: NOW })) as CheckResult[];

test('offline: a kubelet started by a systemd unit is a Linux node; Windows-only CVEs are not listed', () => {
  const root = kubeadmTree();
  try {
    const facts = gatherNodeFacts({ root, now: NOW });
    assert.equal(facts.os?.value, 'linux');
    assert.match(facts.os?.source ?? '', /systemd unit/);
    const rs = cves(root, '1.28.0');
    assert.equal(rs.find((r) => r.subject === 'CVE-2023-3676'), undefined);
    assert.equal(rs.find((r) => r.subject === 'CVE-2024-9042'), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('offline: no unit, the OS is unknown: an affected Windows-only CVE is unknown saying so, not fail', () => {
  const root = nodeTree({ [CONFIG]: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n' });
  try {
    assert.equal(gatherNodeFacts({ root, now: NOW }).os, undefined);
    const r = cves(root, '1.28.0').find((x) => x.subject === 'CVE-2023-3676');
    assert.equal(r?.status, 'unknown');
    assert.match(r?.message ?? '', /this node's OS is unknown/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

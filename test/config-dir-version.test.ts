import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDirVersions, gatherNodeFacts } from '../src/sources/node.ts';
import { tempDir } from './support/tmp.ts';

// the eks-al2023 example without /etc/eks/kubelet-version.txt (which names its kubelet): version unknown
const EKS = tempDir('kg-eks-noversion-');
assert.equal(spawnSync('cp', ['-a', `${fileURLToPath(new URL('../examples/nodes/eks-al2023', import.meta.url))}/.`, EKS]).status, 0);
fs.rmSync(path.join(EKS, 'etc/eks/kubelet-version.txt'));

test('--config-dir with the kubelet version unknown: a refusal that names the versions (before 1.28; 1.28-1.29 without the alpha variable)', () => {
  assert.equal(configDirVersions({}), 'before 1.30');
  assert.equal(configDirVersions({ KUBELET_CONFIG_DROPIN_DIR_ALPHA: '1' }), 'before 1.28');
  const facts = gatherNodeFacts({ root: EKS });
  assert.equal(facts.kubelet.version, undefined);
  const d = facts.kubelet.diagnostics.find((x) => x.message.startsWith('--config-dir'));
  assert.equal(d?.fatal, true);
  assert.equal(d?.versions, configDirVersions(facts.kubelet.invocation!.env)); // the EKS unit sets the alpha variable: 'before 1.28'
  assert.ok(facts.kubelet.dropIns.length > 0, 'the drop-ins are still read: the version may well know the flag');
  // with the version given, no such claim
  const known = gatherNodeFacts({ root: EKS, kubeletVersion: '1.33.1' });
  assert.equal(known.kubelet.diagnostics.find((x) => x.message.startsWith('--config-dir')), undefined);
});

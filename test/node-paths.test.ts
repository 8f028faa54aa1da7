// A finding names only paths that exist (issue 10, noise): the node audit looks whether kubeadm's
// cluster CA is on the node before a fix tells to point clientCAFile at it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { clientCaFile } from '../src/checks/kubelet/client-ca-file.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { CONFIG, kubeadmTree } from './node-tree.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const NOW = new Date('2026-11-23T00:00:00Z');

test('kubelet-client-ca-file on a real tree: names /etc/kubernetes/pki/ca.crt only when the file is there', () => {
  const without = kubeadmTree({ [CONFIG]: HDR });
  const withCa = kubeadmTree({ [CONFIG]: HDR, '/etc/kubernetes/pki/ca.crt': 'x' });
  try {
    const a = clientCaFile.evaluate(gatherNodeFacts({ root: without, now: NOW })) as CheckResult;
    assert.equal(a.status, 'fail');
    assert.match(a.remediation ?? '', /which is not on this node/);
    assert.doesNotMatch(a.remediation ?? '', /to `\/etc\/kubernetes\/pki\/ca\.crt`/);
    const b = clientCaFile.evaluate(gatherNodeFacts({ root: withCa, now: NOW })) as CheckResult;
    assert.equal(b.status, 'fail');
    assert.match(b.remediation ?? '', /to `\/etc\/kubernetes\/pki\/ca\.crt`/);
  } finally {
    fs.rmSync(without, { recursive: true, force: true });
    fs.rmSync(withCa, { recursive: true, force: true });
  }
});

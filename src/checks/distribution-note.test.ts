import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeFacts } from '../facts/types.ts';
import { distributionNote } from './distribution-note.ts';
import type { CheckResult } from './types.ts';

const facts = (name: string) => ({ distribution: { name, title: name, evidence: [] } }) as unknown as NodeFacts;
const fail = (fixes: CheckResult['fixes']): CheckResult => ({ status: 'fail', message: 'm', fixes, remediation: 'the file edit' });

test('no note where the distribution rewrites nothing at boot (kubeadm: upgrade only)', () => {
  assert.equal(distributionNote(facts('kubeadm')), undefined);
  assert.equal(distributionNote({} as NodeFacts), undefined);
});

test('a fix in a file rendered at boot: the remediation says where the change belongs, not to edit it', () => {
  const note = distributionNote(facts('bottlerocket'))!;
  const r = note(fail([{ kind: 'config-set', file: '/etc/kubernetes/kubelet/config', path: ['eventRecordQPS'], value: 5, line: 3 }]));
  assert.match(r.remediation!, /^\/etc\/kubernetes\/kubelet\/config is not the place to change it: Bottlerocket renders this file.*`apiclient set settings\.kubernetes\.event-qps=5` \(or event-qps = 5 under \[settings\.kubernetes\] in the user data\)\.$/);
  // no proposal for `fix` (it would edit the rendered file); noFix says where the change belongs
  assert.equal(r.fixes, undefined);
  assert.equal(r.noFix, r.remediation);
});

test('fixes outside managed files are still described; a pass or a fix-less fail is left alone', () => {
  const note = distributionNote(facts('bottlerocket'))!;
  const r = note(fail([
    { kind: 'mode', file: '/etc/kubernetes/pki/ca.crt', mode: 0o600 },
    { kind: 'mode', file: '/var/lib/kubelet/pki/kubelet-server-current.pem', mode: 0o600 },
  ]));
  assert.match(r.remediation!, /^\/etc\/kubernetes\/pki\/ca\.crt is not the place to change it: .*its mode is fixed by Bottlerocket.*\. chmod 600 \/var\/lib\/kubelet\/pki\/kubelet-server-current\.pem$/);
  const pass: CheckResult = { status: 'pass', message: 'ok' };
  assert.equal(note(pass), pass);
  const bare = fail(undefined);
  assert.equal(note(bare), bare);
  const elsewhere = fail([{ kind: 'mode', file: '/var/lib/kubelet/kubeconfig', mode: 0o600 }]);
  assert.equal(note(elsewhere), elsewhere);
});

test('the kubelet restart in a remediation is the distribution\'s own where its kubelet is no kubelet.service', () => {
  const r: CheckResult = { status: 'fail', message: 'm', remediation: 'In /var/snap/microk8s/current/args/kubelet line 3: set it; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).' };
  const out = distributionNote(facts('microk8s'))!(r);
  assert.equal(out.remediation, 'In /var/snap/microk8s/current/args/kubelet line 3: set it; then restart kubelite, which runs the kubelet (snap restart microk8s.daemon-kubelite).');
  assert.match(distributionNote(facts('k3s'))!(r).remediation!, /then restart k3s, which runs the kubelet/);
});

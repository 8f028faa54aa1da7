// Live mode, on a fake /proc: the running kubelet's argv is what counts, the unit gives its words
// their files and lines, and a unit that changed since the start is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatherNodeFacts } from '../src/sources/node.ts';
import { RootFs } from '../src/sources/root-fs.ts';
import { runChecks } from '../src/checks/run.ts';
import { NODE_CHECKS } from '../src/checks/index.ts';
import { kubeadmTree, nodeTree } from './node-tree.ts';
import { buildNodeReport } from '../src/report/model.ts';
import { reportHeader } from '../src/report/contract.ts';

const ARGV = ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml', '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock'];
const nul = (words: string[]) => words.join('\0') + '\0';

function live(argv: string[], privileged = true, kubeletVersion?: string) {
  const root = kubeadmTree({
    '/proc/1/cmdline': nul(['/sbin/init']),
    '/proc/4242/cmdline': nul(argv),
    '/proc/4242/environ': nul(['PATH=/usr/bin', 'SECRET_TOKEN=do-not-print']),
    '/proc/self': '',
  });
  const facts = gatherNodeFacts({ fs: new RootFs(root), privileged, kubeletVersion });
  return { facts, findings: runChecks(NODE_CHECKS, facts) };
}

test('the running kubelet is found in /proc; its words get the unit files and lines when they match', () => {
  const { facts } = live(ARGV);
  const inv = facts.kubelet.invocation!;
  assert.equal(facts.mode, 'live');
  assert.equal(inv.from, 'process');
  assert.equal(inv.pid, 4242);
  assert.equal(inv.unit?.file, '/usr/lib/systemd/system/kubelet.service');
  assert.equal(facts.kubelet.effective['--kubeconfig']?.source.file, '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');
  assert.ok(!facts.kubelet.diagnostics.some((d) => d.code === 'unit-drift'));
});

test('a process started with other flags than the unit gives now: the process counts, the drift is reported', () => {
  const { facts, findings } = live([...ARGV, '--anonymous-auth=true']);
  assert.equal(facts.kubelet.effective['authentication.anonymous.enabled']?.value, true);
  assert.ok(facts.kubelet.diagnostics.some((d) => d.code === 'unit-drift'));
  assert.equal(findings.find((f) => f.check === 'kubelet-anonymous-auth')?.status, 'fail');
});

test('not root: the audit says so, and never passes the evidence check', () => {
  const { findings } = live(ARGV, false);
  assert.equal(findings.find((f) => f.check === 'kubelet-evidence-complete')?.status, 'unknown');
});

test('no kubelet process and no unit: kubelet-found is unknown with the reason', () => {
  const facts = gatherNodeFacts({ fs: new RootFs(nodeTree({ '/proc/1/cmdline': nul(['/sbin/init']) })), privileged: true });
  assert.match(facts.kubelet.missing ?? '', /no kubelet process is running/);
  const findings = runChecks(NODE_CHECKS, facts);
  assert.equal(findings.find((f) => f.check === 'kubelet-found')?.status, 'unknown');
});

test('environment values never reach the report', () => {
  const { facts, findings } = live(ARGV);
  const report = JSON.stringify(buildNodeReport(facts, findings, reportHeader('node', {})));
  assert.ok(!report.includes('do-not-print'));
});

test('--config-dir on 1.28/1.29 needs KUBELET_CONFIG_DROPIN_DIR_ALPHA, and older kubelets refuse the flag', async () => {
  const { configDirRefusal } = await import('../src/sources/node.ts');
  assert.match(configDirRefusal('1.29.3', {}) ?? '', /KUBELET_CONFIG_DROPIN_DIR_ALPHA/);
  assert.equal(configDirRefusal('1.29.3', { KUBELET_CONFIG_DROPIN_DIR_ALPHA: 'on' }), undefined);
  assert.match(configDirRefusal('1.27.9', { KUBELET_CONFIG_DROPIN_DIR_ALPHA: 'on' }) ?? '', /does not know the flag/);
  assert.equal(configDirRefusal('1.30.0', {}), undefined);
  assert.equal(configDirRefusal(undefined, {}), undefined); // version unknown: no claim
  const { facts, findings } = live([...ARGV, '--config-dir=/etc/kubernetes/kubelet.conf.d'], true, '1.29.1');
  assert.match(facts.kubelet.effective['readOnlyPort']?.unknown ?? '', /KUBELET_CONFIG_DROPIN_DIR_ALPHA/);
  assert.ok(findings.some((f) => f.check === 'kubelet-config-accepted' && f.status === 'fail'));
});

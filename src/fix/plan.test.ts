// The planner's proof rules, with made-up checks over a real node tree: a fix is kept only when its
// finding passes on the planned files and nothing that passed fails; conflicts and unknown files
// are refused with the reason; --check and --severity pick what is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_CHECKS } from '../checks/index.ts';
import type { Check, CheckMeta, Severity } from '../checks/types.ts';
import { RootFs } from '../sources/root-fs.ts';
import { CONFIG, DROPIN, GOOD_CONFIG, KUBEADM_DROPIN, nodeTree, UNIT } from '../../test/node-tree.ts';
import { makePlan } from './plan.ts';
import type { FixProposal } from './types.ts';

const meta = (id: string, severity: Severity = 'high'): CheckMeta => ({ id, title: id, section: 'cis-4.2', severity, cis: [], rationale: '', remediation: '' });

/** A check on one config value: passes when it equals `want`, else proposes `fixes`. */
function valueCheck(id: string, key: string, want: unknown, fixes: (file: string) => FixProposal[], severity?: Severity): Check {
  return {
    meta: meta(id, severity),
    evaluate: (facts) => {
      const s = facts.kubelet.effective[key];
      if (!s || s.unknown) return { status: 'unknown', message: 'unknown' };
      return JSON.stringify(s.value) === JSON.stringify(want) ? { status: 'pass', message: 'ok' } : { status: 'fail', message: `${key} is ${JSON.stringify(s.value)}`, fixes: fixes(facts.kubelet.configFile!) };
    },
  };
}

function node(config = `${GOOD_CONFIG}readOnlyPort: 10255\n`): { fs: RootFs; root: string } {
  const root = nodeTree({ [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet\n', [DROPIN]: KUBEADM_DROPIN, [CONFIG]: config, '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=\n' });
  return { fs: new RootFs(root), root };
}

const setPort = (v: number) => (file: string): FixProposal[] => [{ kind: 'config-set', file, path: ['readOnlyPort'], value: v }];
const evidence = NODE_CHECKS.filter((c) => c.meta.section === 'kubelet-evidence');

test('a fix that closes its finding is kept, with its diff and before → after', () => {
  const n = node();
  const plan = makePlan({ ...n, catalogue: [valueCheck('port', 'readOnlyPort', 0, setPort(0))] });
  assert.deepEqual(plan.fixed.map((f) => [f.check, f.before, f.after]), [['port', 'fail', 'pass']]);
  assert.equal(plan.changes.length, 1);
  assert.equal(plan.changes[0]!.path, CONFIG);
  assert.match(plan.changes[0]!.after!, /^readOnlyPort: 0$/m);
  assert.deepEqual(plan.refused, []);
});

test('a fix that does not close its finding is refused, with what the re-audit says', () => {
  const plan = makePlan({ ...node(), catalogue: [valueCheck('port', 'readOnlyPort', 0, setPort(10250))] });
  assert.deepEqual(plan.changes, []);
  assert.equal(plan.refused[0]?.check, 'port');
  assert.match(plan.refused[0]!.why, /does not pass it \(fail: readOnlyPort is 10250\)/);
});

test('a fix that makes a passing check fail is refused, naming it', () => {
  const guard = valueCheck('webhook-authz', 'authorization.mode', 'Webhook', () => []);
  const breaker = valueCheck('port', 'readOnlyPort', 0, (file) => [...setPort(0)(file), { kind: 'config-set', file, path: ['authorization', 'mode'], value: 'AlwaysAllow' }]);
  const plan = makePlan({ ...node(), catalogue: [guard, breaker] });
  assert.deepEqual(plan.changes, []);
  assert.match(plan.refused[0]!.why, /would make webhook-authz fail/);
});

test('a fix that leaves a config the kubelet refuses is refused (the audit\'s own decoder and validation)', () => {
  // a negative eventRecordQPS: the kubelet refuses to start (kubelet-config-accepted fails)
  const bad = valueCheck('port', 'readOnlyPort', 0, (file) => [...setPort(0)(file), { kind: 'config-set', file, path: ['eventRecordQPS'], value: -1 }]);
  const plan = makePlan({ ...node(), catalogue: [...evidence, bad] });
  assert.deepEqual(plan.changes, []);
  assert.match(plan.refused[0]!.why, /would make kubelet-config-accepted \(\/var\/lib\/kubelet\/config.yaml:\d+\) fail: eventRecordQPS -1/);
});

test('two fixes that set one key otherwise: the later one is refused, the first kept', () => {
  const a = valueCheck('a', 'readOnlyPort', 0, setPort(0));
  const b: Check = { meta: meta('b'), evaluate: (f) => ({ status: 'fail', message: 'b', fixes: setPort(0)(f.kubelet.configFile!).map((p) => ({ ...p, value: 10250 }) as FixProposal) }) };
  const plan = makePlan({ ...node(), catalogue: [a, b] });
  assert.deepEqual(plan.fixed.map((f) => f.check), ['a']);
  assert.equal(plan.refused.find((r) => r.check === 'b')?.check, 'b');
});

test('the same change for two findings is made once and closes both', () => {
  const plan = makePlan({ ...node(), catalogue: [valueCheck('a', 'readOnlyPort', 0, setPort(0)), valueCheck('b', 'readOnlyPort', 0, setPort(0))] });
  assert.deepEqual(plan.fixed.map((f) => f.check), ['a', 'b']);
  assert.equal(plan.changes[0]!.fixes.length, 1);
  assert.deepEqual(plan.changes[0]!.closes.map((c) => c.check), ['a', 'b']);
});

test('--check and --severity pick the findings fixed; the others are neither fixed nor listed as refused', () => {
  const catalogue = [valueCheck('low-one', 'readOnlyPort', 0, setPort(0), 'low')];
  assert.deepEqual(makePlan({ ...node(), catalogue, severity: 'high' }).fixed, []);
  assert.deepEqual(makePlan({ ...node(), catalogue, checks: ['other'] }).fixed, []);
  assert.equal(makePlan({ ...node(), catalogue, checks: ['low-one'] }).fixed.length, 1);
});

test('a file that cannot be resolved, and a new file whose name exists, are refused with why', () => {
  const ghost = valueCheck('ghost', 'readOnlyPort', 0, () => [{ kind: 'mode', file: '/nope/file', mode: 0o600 }]);
  const exists = valueCheck('exists', 'readOnlyPort', 0, (file) => [{ kind: 'dropin-create', file, content: 'x: 1\n', mode: 0o600 }]);
  const plan = makePlan({ ...node(), catalogue: [ghost, exists] });
  assert.match(plan.refused.find((r) => r.check === 'ghost')!.why, /\/nope\/file cannot be resolved/);
  assert.match(plan.refused.find((r) => r.check === 'exists')!.why, /exists already/);
});

test('an edit the editor refuses is refused with its words (a key written twice)', () => {
  const plan = makePlan({ ...node(`${GOOD_CONFIG}readOnlyPort: 10255\nreadOnlyPort: 10255\n`), catalogue: [valueCheck('port', 'readOnlyPort', 0, setPort(0))] });
  assert.deepEqual(plan.changes, []);
  assert.match(plan.refused[0]!.why, /readOnlyPort/);
});

test('many fixes that pass together are proven by one re-audit; when they do not, at most 200 are tried one by one and the rest say so', () => {
  const many = Array.from({ length: 205 }, (_, i) => valueCheck(`port-${i}`, 'readOnlyPort', 0, setPort(0)));
  const all = makePlan({ ...node(), catalogue: many });
  assert.equal(all.fixed.length, 205);
  assert.deepEqual(all.refused, []);
  // one fix that does not close its finding makes the set fail together
  const bad = valueCheck('bad', 'eventRecordQPS', 7, (file) => [{ kind: 'config-set', file, path: ['eventRecordQPS'], value: 9 }]);
  const plan = makePlan({ ...node(), catalogue: [bad, ...many] });
  assert.equal(plan.refused.find((r) => r.check === 'bad')?.check, 'bad');
  const capped = plan.refused.filter((r) => /only 200 are tried one by one/.test(r.why));
  assert.equal(capped.length, 6); // 206 fixes in all, the first 200 tried
});

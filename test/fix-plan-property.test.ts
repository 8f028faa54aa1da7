// Property tests of the fix plan (issue 12, item 8) over random kubelet configurations, with
// comments, nested and flat settings and flags in /etc/default/kubelet: the plan's re-audit passes
// every finding it targets, the planned config decodes to the same document except the keys the
// plan sets, every comment survives, and a plan of the planned node has nothing left to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { makePlan } from '../src/fix/plan.ts';
import { RootFs } from '../src/sources/root-fs.ts';
import { CONFIG, DROPIN, KUBEADM_DROPIN, nodeTree, UNIT } from './node-tree.ts';

/** Settings with an insecure and a secure value each (dotted v1beta1 paths). */
const SETTINGS: Array<[string, unknown, unknown]> = [
  ['readOnlyPort', 10255, 0],
  ['authentication.anonymous.enabled', true, false],
  ['authentication.webhook.enabled', false, true],
  ['authorization.mode', 'AlwaysAllow', 'Webhook'],
  ['streamingConnectionIdleTimeout', '0s', '4h0m0s'],
  ['makeIPTablesUtilChains', false, true],
  ['rotateCertificates', false, true],
  ['enableSystemLogHandler', true, false],
  ['enableProfilingHandler', true, false],
  ['healthzBindAddress', '0.0.0.0', '127.0.0.1'],
  ['seccompDefault', false, true],
];

interface Spec {
  values: Array<{ i: number; insecure: boolean; comment: string | null; trailing: string | null }>;
  flag: boolean;
}

const word = fc.stringMatching(/^[a-z][a-z0-9 ]{0,12}$/);

/** The config as YAML, nested maps built from the dotted paths, comments on their own lines and after values. */
function render(spec: Spec): string {
  const tree: Record<string, unknown> = {};
  const notes = new Map<string, { comment: string | null; trailing: string | null }>();
  for (const v of spec.values) {
    const [key, bad, good] = SETTINGS[v.i]!;
    const parts = key.split('.');
    let at = tree;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = v.insecure ? bad : good;
    notes.set(key, v);
  }
  const lines = ['apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', '# the kubelet of this node'];
  const walk = (o: Record<string, unknown>, prefix: string, indent: string) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      const n = notes.get(key);
      if (n?.comment) lines.push(`${indent}# ${n.comment}`);
      if (v && typeof v === 'object') {
        lines.push(`${indent}${k}:`);
        walk(v as Record<string, unknown>, key, `${indent}  `);
      } else lines.push(`${indent}${k}: ${YAML.stringify(v).trim()}${n?.trailing ? ` # ${n.trailing}` : ''}`);
    }
  };
  walk(tree, '', '');
  return `${lines.join('\n')}\n`;
}

function unset(o: Record<string, unknown>, dotted: string): void {
  const parts = dotted.split('.');
  let at: Record<string, unknown> | undefined = o;
  for (const p of parts.slice(0, -1)) at = at?.[p] as Record<string, unknown> | undefined;
  if (at) delete at[parts.at(-1)!];
}

const specs = fc.record({
  values: fc.uniqueArray(fc.record({ i: fc.nat(SETTINGS.length - 1), insecure: fc.boolean(), comment: fc.option(word), trailing: fc.option(word) }), { selector: (v) => v.i, minLength: 1, maxLength: SETTINGS.length }),
  flag: fc.boolean(),
});

test('the plan proves every fix it makes, changes only the keys it sets, keeps every comment, and leaves nothing to do', () => {
  fc.assert(
    fc.property(specs, (spec) => {
      const config = render(spec);
      const root = nodeTree({
        [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet\n',
        [DROPIN]: KUBEADM_DROPIN,
        [CONFIG]: config,
        '/etc/default/kubelet': spec.flag ? 'KUBELET_EXTRA_ARGS="--read-only-port=10255 --node-labels=a=b"\n' : 'KUBELET_EXTRA_ARGS=\n',
      });
      const plan = makePlan({ fs: new RootFs(root), root });
      for (const f of plan.fixed) assert.equal(f.after, 'pass', `${f.check}: ${f.message}`);
      assert.deepEqual(plan.regressions, []);
      const change = plan.changes.find((c) => c.path === CONFIG);
      if (change?.after !== undefined) {
        assert.ok(plan.fixed.length > 0, 'a change of the config closes some finding');
        const before = YAML.parse(config) as Record<string, unknown>;
        const after = YAML.parse(change.after) as Record<string, unknown>;
        // the keys the plan sets differ; everything else is the same document
        const keys = change.fixes.flatMap((p) => (p.kind === 'config-set' ? [p.path.join('.')] : []));
        for (const k of keys) {
          unset(before, k);
          unset(after, k);
        }
        // a nested map emptied by unset on one side and absent on the other is the same document
        const prune = (o: unknown): unknown => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, prune(v)]).filter(([, v]) => !(v && typeof v === 'object' && Object.keys(v).length === 0))) : o);
        assert.deepEqual(prune(after), prune(before));
        for (const l of config.split('\n')) {
          const c = l.indexOf('#');
          if (c >= 0) assert.ok(change.after.includes(l.slice(c)), `comment kept: ${l.slice(c)}`);
        }
      }
      // apply the plan to the tree, then plan again: nothing left that the first plan fixed
      for (const c of plan.changes) {
        const host = path.join(root, c.path);
        if (c.after !== undefined) fs.writeFileSync(host, c.after);
        if (c.mode) fs.chmodSync(host, c.mode.to);
      }
      const again = makePlan({ fs: new RootFs(root), root });
      assert.deepEqual(again.changes, [], 'a plan of the planned node changes nothing');
    }),
    { numRuns: 100, seed: 1206 },
  );
});

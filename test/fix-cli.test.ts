// `kubelet-guard fix` on the command line: usage errors, the plan as JSON, and a --write that
// cannot be made (nothing written, exit 1, the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from './run-cli.ts';
import { CONFIG, DROPIN, GOOD_CONFIG, KUBEADM_DROPIN, nodeTree, UNIT } from './node-tree.ts';
import { tempDir } from './support/tmp.ts';

const insecureNode = () =>
  nodeTree({ [UNIT]: '[Service]\nExecStart=/usr/bin/kubelet\n', [DROPIN]: KUBEADM_DROPIN, [CONFIG]: `${GOOD_CONFIG}readOnlyPort: 10255 # open\n`, '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=\n' });

test('usage errors exit 2 with the reason', async () => {
  for (const [args, why] of [
    [['fix', '--format', 'nft'], /--format "nft": expected text or json/],
    [['fix', '--check', 'no-such-check'], /no node check "no-such-check"/],
    [['fix', '--root', '/no/such/dir'], /--root \/no\/such\/dir: .*expected a folder/],
    [['fix', '--allow', '10.0.0.0/8'], /--allow and --etcd-allow go with --firewall/],
    [['fix', '--kubelet-version', 'x'], /expected a version/],
  ] as Array<[string[], RegExp]>) {
    const r = await runCli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, why);
    assert.equal(r.out, '');
  }
});

test('the plan as JSON: each change with its proposals, diff and the findings it closes; the proof', async () => {
  const root = insecureNode();
  const r = await runCli('fix', '--root', root, '--format', 'json', '--check', 'kubelet-read-only-port');
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out);
  assert.equal(plan.changes.length, 1);
  assert.equal(plan.changes[0].path, CONFIG);
  assert.deepEqual(plan.changes[0].fixes, [{ kind: 'config-set', file: CONFIG, path: ['readOnlyPort'], value: 0, line: 13 }]);
  assert.match(plan.changes[0].diff, /^-readOnlyPort: 10255 # open$/m);
  assert.match(plan.changes[0].diff, /^\+readOnlyPort: 0 # open$/m);
  assert.deepEqual(plan.fixed.map((f: { check: string; before: string; after: string }) => [f.check, f.before, f.after]), [['kubelet-read-only-port', 'fail', 'pass']]);
  assert.deepEqual(plan.restart, ['kubelet']);
  assert.equal(fs.readFileSync(path.join(root, CONFIG), 'utf8').includes('10255'), true, 'a plan writes nothing');
});

test('--write that cannot be made: nothing written, exit 1, the file and step named', async () => {
  const root = insecureNode();
  const notADir = path.join(tempDir('kg-fix-cli-'), 'file');
  fs.writeFileSync(notADir, '');
  const before = fs.readFileSync(path.join(root, CONFIG), 'utf8');
  const r = await runCli('fix', '--root', root, '--write', '--backup-dir', notADir);
  assert.equal(r.code, 1);
  assert.match(r.err, /nothing was written: .*\/var\/lib\/kubelet\/config.yaml \(backup-mkdir\)/);
  assert.equal(fs.readFileSync(path.join(root, CONFIG), 'utf8'), before);
  assert.deepEqual(fs.readdirSync(path.join(root, 'var/lib/kubelet')), ['config.yaml']);
});

test('--write: backups beside the files, the re-audit, and the undo words; a second run has nothing to change', async () => {
  const root = insecureNode();
  const r = await runCli('fix', '--root', root, '--write', '--check', 'kubelet-read-only-port');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Written:\n {2}\/var\/lib\/kubelet\/config.yaml {2}\(backup: .*config.yaml.kubelet-guard-\d{14}.bak\)/);
  assert.match(r.out, /Re-audit of the written files: all 1 fixed findings pass\./);
  assert.match(fs.readFileSync(path.join(root, CONFIG), 'utf8'), /^readOnlyPort: 0 # open$/m);
  const again = await runCli('fix', '--root', root, '--write', '--check', 'kubelet-read-only-port');
  assert.equal(again.code, 0);
  assert.match(again.out, /nothing to change/);
});

test('a folder that is no node: nothing audited, exit 3, never "nothing to change"', async () => {
  const r = await runCli('fix', '--root', tempDir('kg-fix-empty-'));
  assert.equal(r.code, 3);
  assert.match(r.err, /no kubelet found under --root/);
  assert.equal(r.out, '');
});

test('the node table says how many failures fix can close, and the command', async () => {
  const root = insecureNode();
  const r = await runCli('node', '--root', root, '--fail-on', 'none', '--no-color');
  assert.match(r.out.replace(/\s+/g, ' '), new RegExp(`\\d+ of the \\d+ failures can be closed by kubelet-guard fix --root ${root}: a plan, proven by a re-audit; --write applies it\\.`));
});

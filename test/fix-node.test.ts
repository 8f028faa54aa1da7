// `kubelet-guard fix` on every example node (issue 12, item 8): the plan is a golden diff (review a
// change of fix's behaviour as a change of these files: KG_UPDATE_GOLDEN=1 rewrites them), and
// on a copy `--write` applies it, the audit then passes every fixed finding, and a second
// `--write` changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli.ts';
import { tempDir } from './support/tmp.ts';

const EXAMPLES = fileURLToPath(new URL('../examples/nodes/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./golden/fix-plan/', import.meta.url));
const names = fs.readdirSync(EXAMPLES).filter((n) => fs.statSync(path.join(EXAMPLES, n)).isDirectory()).sort();
const isRoot = process.getuid?.() === 0;

/** A copy of an example node, modes, owners (as root), symlinks and sockets kept (GNU cp -a). */
function copyOf(name: string): string {
  const dst = tempDir(`kg-fix-${name}-`);
  const r = spawnSync('cp', ['-a', `${path.join(EXAMPLES, name)}/.`, dst], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dst;
}

/** Every file under a folder with its content hash, mode and owner: what a run may not change. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      out.set(path.relative(root, p), `${st.mode}:${st.uid}:${st.gid}:${e.isFile() ? fs.readFileSync(p, 'base64') : e.isSymbolicLink() ? fs.readlinkSync(p) : ''}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

for (const name of names) {
  test(`fix plan of ${name}: the golden diff, and nothing written`, { skip: isRoot ? false : 'the examples carry root-owned files (CI runs as root)' }, async () => {
    const root = copyOf(name);
    const before = snapshot(root);
    const r = await runCli('fix', '--root', root);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(snapshot(root), before, 'a plan writes nothing');
    const text = r.out.replaceAll(root, '<root>');
    const file = path.join(GOLDEN, `${name}.txt`);
    if (process.env.KG_UPDATE_GOLDEN) {
      fs.mkdirSync(GOLDEN, { recursive: true });
      fs.writeFileSync(file, text);
    }
    assert.equal(text, fs.readFileSync(file, 'utf8'));
  });

  test(`fix --write on a copy of ${name}: applied, re-audited, and a second run changes nothing`, { skip: isRoot ? false : 'the examples carry root-owned files (CI runs as root)' }, async () => {
    const root = copyOf(name);
    const backups = tempDir('kg-fix-backups-');
    const plan = JSON.parse((await runCli('fix', '--root', root, '--format', 'json')).out) as { changes: unknown[]; fixed: Array<{ check: string; subject?: string; after: string }> };
    for (const f of plan.fixed) assert.equal(f.after, 'pass', `${f.check} is proven by the plan`);
    const w = await runCli('fix', '--root', root, '--write', '--backup-dir', backups);
    assert.equal(w.code, 0, `${w.out}\n${w.err}`);
    if (plan.changes.length > 0) assert.match(w.out, /Re-audit of the written files: all \d+ fixed findings pass/);
    // the node audit agrees: every fixed finding passes
    const audit = JSON.parse((await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none')).out) as { findings: Array<{ check: string; subject?: string; status: string }> };
    for (const f of plan.fixed) {
      const now = audit.findings.filter((a) => a.check === f.check && (a.subject ?? '') === (f.subject ?? ''));
      assert.ok(now.length > 0 && now.every((a) => a.status === 'pass' || a.status === 'not-applicable'), `${f.check} ${f.subject ?? ''} passes after --write`);
    }
    // idempotent: nothing left to change, nothing written
    const after = snapshot(root);
    const again = await runCli('fix', '--root', root, '--write', '--backup-dir', backups);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /nothing to change/);
    assert.deepEqual(snapshot(root), after, 'a second --write changes nothing');
    // no temp of ours is left beside the files
    for (const k of after.keys()) assert.doesNotMatch(k, /\.kubelet-guard-\d+-[0-9a-f]{8}\.tmp$/);
  });
}

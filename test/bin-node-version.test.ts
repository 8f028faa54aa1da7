// The installed bin checks its Node before anything else: older than 22.18, it says in one line how
// to get a newer one and exits 2, with nothing on standard output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const HOW = /^kubelet-guard needs Node\.js 22\.18 or newer, this is v[\d.]+; get Node 24 with: npm install --prefix "\$HOME\/\.node24" node@24 && export PATH="\$HOME\/\.node24\/node_modules\/\.bin:\$PATH"\n$/;

/** Runs the bin under this Node, made to report `version`. */
function runAs(version: string) {
  const pretend = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`;
  return spawnSync(process.execPath, ['--import', pretend, 'bin/kubelet-guard.js', 'node', '--root', 'examples/nodes/kubeadm-worker'], { encoding: 'utf8' });
}

test('a Node older than 22.18: one line saying how to get Node 24, exit 2, no report', () => {
  for (const v of ['20.20.2', '22.17.9', '18.0.0']) {
    const r = runAs(v);
    assert.equal(r.status, 2, v);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, HOW);
    assert.ok(r.stderr.includes(`this is v${v};`));
  }
});

test('22.18 and newer run the audit', () => {
  for (const v of ['22.18.0', '23.0.0', '24.1.0']) {
    const r = runAs(v);
    assert.equal(r.status, 1, `${v}: ${r.stderr}`); // the example's self-signed serving certificate fails (high)
    assert.match(r.stdout, /^Summary: /m);
  }
});

// this machine's own Node, when it is an older one (Debian/Ubuntu ship Node 20 at /usr/bin/node)
const systemNode = '/usr/bin/node';
const old = fs.existsSync(systemNode) && Number(spawnSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout.trim()) < 22;
test('under a real older Node (/usr/bin/node)', { skip: old ? false : 'no Node older than 22 at /usr/bin/node' }, () => {
  const r = spawnSync(systemNode, ['bin/kubelet-guard.js', '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, HOW);
});

// The cluster command's kubeconfig, read as kubectl reads it: never a device, a FIFO nothing writes
// to ends at once, merge keys as go-yaml applies them (a merged value overwrites a key written
// before `<<`), relative file paths from the kubeconfig's folder, and a YAML error that names the
// file and line without quoting the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/cluster/fetch.ts';
import { runCli } from '../run-cli.ts';
import { nodesVia } from './count-nodes.ts';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';

let sim: ApiServerSim;
let dir: string;
before(async () => {
  sim = await startApiServerSim({ nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 1, kubeletVersion: 'v1.33.2', configz: () => 'ok' });
  dir = mkdtempSync(join(tmpdir(), 'kg-kubeconfig-'));
});
after(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a character device as the kubeconfig is refused by its type, never opened; so is a FIFO nothing writes to', async () => {
  const dev = join(dir, 'zero');
  try {
    execFileSync('mknod', [dev, 'c', '1', '5']); // /dev/zero's numbers: reading it never ends
  } catch {
    execFileSync('ln', ['-s', '/dev/zero', dev]);
  }
  let t0 = Date.now();
  let r = await runCli('cluster', '--kubeconfig', dev);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot use the kubeconfig [^ ]*zero: is a character device, expected a regular file \(devices are never opened\)/);
  assert.ok(Date.now() - t0 < 5000);

  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  t0 = Date.now();
  r = await runCli('cluster', '--kubeconfig', fifo);
  assert.equal(r.code, 2);
  assert.match(r.err, /is a FIFO that nothing wrote to within 1000 ms \(no writer\)/);
  assert.ok(Date.now() - t0 < 5000);

  // a device named inside the kubeconfig is refused the same way, before the library could read it
  const kc = join(dir, 'kubeconfig-ca-device');
  writeFileSync(kc, `clusters: [{name: c, cluster: {server: "${sim.url}", certificate-authority: zero}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
  await assert.rejects(connect({ kubeconfig: kc }), /clusters\[0\] certificate-authority .*zero: is a character device, expected a regular file/);
  const tf = join(dir, 'kubeconfig-token-fifo');
  writeFileSync(tf, `clusters: [{name: c, cluster: {server: "${sim.url}"}}]\nusers: [{name: u, user: {tokenFile: fifo}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
  await assert.rejects(connect({ kubeconfig: tf }), /users\[0\] tokenFile .*fifo: is a FIFO that nothing wrote to/);
});

test('merge keys as go-yaml applies them: the merged token overwrites one written before `<<`; relative files from the kubeconfig\'s folder', async () => {
  writeFileSync(join(dir, 'ca.crt'), sim.ca);
  const kc = join(dir, 'kubeconfig-merge.yaml');
  writeFileSync(kc, `apiVersion: v1
kind: Config
base: &good
  token: ${sim.token}
clusters:
- name: sim
  cluster:
    server: ${sim.url}
    certificate-authority: ca.crt
users:
- name: u
  user:
    token: not-the-token
    <<: *good
contexts:
- name: sim
  context: {cluster: sim, user: u}
current-context: sim
`);
  // js-yaml (the library's decoder) keeps not-the-token: a 401
  assert.equal(await nodesVia({ kubeconfig: kc }), 2);
});

test('a kubeconfig that is not valid YAML: the file and line are named, the text is not quoted', async () => {
  const secret = 'sekret-' + 'x'.repeat(20);
  const kc = join(dir, 'kubeconfig-bad');
  writeFileSync(kc, `clusters: []\nusers:\n- name: u\n  user:\n    token: "${secret}\n    password: ${secret}\n  - : [\n`);
  const r = await runCli('cluster', '--kubeconfig', kc);
  assert.equal(r.code, 2);
  assert.match(r.err, /kubeconfig-bad: not valid YAML \(line \d+: /);
  assert.ok(!r.err.includes(secret), r.err);
  assert.ok(!r.err.includes('sekret'), r.err);

  const list = join(dir, 'kubeconfig-list');
  writeFileSync(list, '- a\n- b\n');
  await assert.rejects(connect({ kubeconfig: list }), /kubeconfig .*kubeconfig-list: expected a kubeconfig \(a mapping with clusters, users and contexts\), found a list/);
});

test('$KUBECONFIG with several files: merged as the library merges them', async () => {
  const a = join(dir, 'kc-a');
  const b = join(dir, 'kc-b');
  writeFileSync(a, `clusters: [{name: sim, cluster: {server: "${sim.url}", certificate-authority: ca.crt}}]\ncontexts: [{name: sim, context: {cluster: sim, user: u}}]\ncurrent-context: sim\n`);
  writeFileSync(join(dir, 'ca.crt'), sim.ca);
  writeFileSync(b, `users: [{name: u, user: {token: ${sim.token}}}]\n`);
  const saved = process.env.KUBECONFIG;
  try {
    process.env.KUBECONFIG = `${a}:${b}`;
    const api = await connect({});
    api.close();
    assert.equal(api.server, sim.url);
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
});

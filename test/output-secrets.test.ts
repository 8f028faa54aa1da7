// Property: a credential placed in any input the tool reads — a node's files, the command line, a
// token file, a kubeconfig, an exec plugin — never reaches any output of any command in any format
// (table, json, jsonl, stderr), whatever a hostile server does with it (echoes it in /metrics, a
// Status message, a body preview). The CLI runs in-process (test/run-cli.ts); the servers are real
// HTTPS servers on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { assertSarifSchema } from './report/validate.ts';
import { runCli } from './run-cli.ts';
import { CONFIG, GOOD_CONFIG, kubeadmTree } from './node-tree.ts';
import { startEchoKubelet, type EchoKubelet } from './support/echo-kubelet.ts';
import { startApiServerSim, type ApiServerSim } from './cluster/apiserver-sim.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-'.split('');
/** A token-like secret: 12–40 characters, starting with a letter or digit, not a run of one character. */
const secretArb = fc
  .tuple(fc.constantFrom(...ALPHABET.slice(0, 62)), fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 11, maxLength: 39 }))
  .map(([a, b]) => a + b)
  .filter((s) => new Set(s).size >= 6)
  // a value shaped like the report's own words ("kubelet-anonymous-auth") is not taken from evidence as a secret (report/secrets.ts)
  .filter((s) => !/^[a-z]+(?:[- .][a-z]+)*$/.test(s));
const secretsArb = (n: number) => fc.uniqueArray(secretArb, { minLength: n, maxLength: n, comparator: (a, b) => a.includes(b) || b.includes(a) });

type Run = { code: number; out: string; err: string };

function assertClean(runs: Record<string, Run>, secrets: readonly string[]): void {
  for (const [label, r] of Object.entries(runs)) {
    for (const [stream, text] of [['stdout', r.out], ['stderr', r.err]] as const) {
      for (const s of secrets) {
        const at = text.indexOf(s);
        assert.ok(at < 0, `${label} ${stream} shows the secret ${s}: …${text.slice(Math.max(0, at - 120), at + s.length + 40)}…`);
      }
    }
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Four node trees, each hiding secrets in other inputs (some break parsing, so they do not share a tree). */
function nodeTrees(s: readonly string[]): Record<string, string> {
  const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://${s[4]}@10.0.0.1:6443"}}]
users: [{name: u, user: {token: ${s[5]}, client-key-data: ${b64(s[6]!)}, password: ${s[7]}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  return {
    config: kubeadmTree({
      [CONFIG]: `${GOOD_CONFIG}staticPodURL: "https://${s[0]}:${s[1]}@10.0.0.5/pods?token=${s[2]}&x=1"\nstaticPodURLHeader:\n  Authorization: ["Bearer ${s[3]}"]\n  X-Api-Key: ["${s[8]}"]\n`,
      '/etc/kubernetes/kubelet.conf': kubeconfig,
      '/etc/kubernetes/bootstrap-kubelet.conf': kubeconfig.replace(s[5]!, s[9]!),
    }),
    envFile: kubeadmTree({
      '/etc/default/kubelet': `KUBELET_EXTRA_ARGS=--v=2\nDB_PASSWORD=${s[10]}\n${s[11]}\nBAD-NAME=${s[12]}\nAPI_TOKEN="${s[13]}\n`,
      '/var/lib/kubelet/kubeadm-flags.env': `KUBELET_KUBEADM_ARGS="--manifest-url=https://u:${s[14]}@10.1.1.1/x?k=${s[15]} --manifest-url-header=Authorization:Bearer ${s[16]}"\n`,
    }),
    environment: kubeadmTree({
      '/etc/systemd/system/kubelet.service.d/20-secret.conf': `[Service]\nEnvironment="API_TOKEN=${s[17]}" "bad%zvar=${s[18]}"\nEnvironment=${s[19]}\n${s[20]}\nEnvironment="UNBALANCED=${s[21]}\n`,
    }),
    badExecStart: kubeadmTree({
      '/etc/systemd/system/kubelet.service.d/40-bad.conf': `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --manifest-url-header X-Tok:${s[26]} --bootstrap-token ${s[27]} "unbalanced\n`,
    }),
    flags: kubeadmTree({
      '/etc/systemd/system/kubelet.service.d/30-flags.conf': `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --manifest-url-header X-Tok:${s[22]} --token=${s[23]} --manifest-url=https://${s[24]}@h.example/ "--manifest-url-header=Authorization:Bearer ${s[25]}"\n`,
    }),
  };
}

let files = 0;
/** A run that writes each format to a file (-o FORMAT=FILE), its output being the files' contents too. */
async function withFiles(formats: string[], run: (o: string[]) => Promise<Run>): Promise<Run> {
  const paths = formats.map((f) => [f, path.join(dir, `report-${files++}.${f}`)] as const);
  const r = await run(paths.flatMap(([f, p]) => ['-o', `${f}=${p}`]));
  const texts = paths.map(([, p]) => fs.readFileSync(p, 'utf8'));
  paths.forEach(([f], i) => f === 'sarif' && assertSarifSchema(JSON.parse(texts[i]!)));
  for (const p of paths) fs.rmSync(p[1]);
  return { ...r, out: [r.out, ...texts].join('\n') };
}

test('property: no node input secret reaches any node output (table --show-config, json, stderr)', async () => {
  await fc.assert(
    fc.asyncProperty(secretsArb(28), async (s) => {
      const trees = nodeTrees(s);
      try {
        const runs: Record<string, Run> = {};
        for (const [name, root] of Object.entries(trees)) {
          runs[`${name} table`] = await runCli('node', '--root', root, '--show-config', '--fail-on', 'none');
          runs[`${name} json`] = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none');
          JSON.parse(runs[`${name} json`]!.out);
          // report files (-o) pass through the same layer: SARIF, JSON and the table, from one audit
          runs[`${name} files`] = await withFiles(['sarif', 'json', 'table'], (o) => runCli('node', '--root', root, '--show-config', '--fail-on', 'none', ...o));
        }
        assertClean(runs, s);
      } finally {
        for (const root of Object.values(trees)) fs.rmSync(root, { recursive: true, force: true });
      }
    }),
    { numRuns: 12 },
  );
});

test('the quoted env lines still say which variable and line: the value alone is hidden', async () => {
  const s = ['Zq8xWm2KpL4vNt7R'];
  const root = kubeadmTree({ '/etc/systemd/system/kubelet.service.d/20-secret.conf': `[Service]\nEnvironment="API_TOKEN=${s[0]}" "DB_PASSWORD=%z${s[0]}"\n` });
  try {
    const r = await runCli('node', '--root', root, '--format', 'json', '--fail-on', 'none');
    assert.ok(!r.out.includes(s[0]!));
    assert.match(r.out, /unknown specifier %z: systemd ignores the assignment DB_PASSWORD=<redacted>/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

let echo: EchoKubelet;
let dir: string;
before(async () => {
  echo = await startEchoKubelet({ host: '127.0.0.1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-out-secrets-'));
});
after(async () => {
  await echo.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const scanArgs = () => [echo.host, '--ports', String(echo.port), '--collect', '--no-progress', '--connect-timeout', '2000', '--timeout', '3000', '--fail-on', 'none'];

test('property: a scan credential (--token, --token-file, --kubeconfig) echoed back by a hostile kubelet never reaches any output', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(secretsArb(4), async (s) => {
      const tokenFile = path.join(dir, `token-${n}`);
      const kubeconfig = path.join(dir, `kubeconfig-${n++}`);
      fs.writeFileSync(tokenFile, `${s[1]}\n`);
      fs.writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: ${s[2]}, password: ${s[3]}}}]\ncontexts: [{name: x, context: {user: u}}]\ncurrent-context: x\n`);
      const runs: Record<string, Run> = {};
      for (const format of ['table', 'json', 'jsonl', 'sarif']) {
        runs[`--token ${format}`] = await runCli('scan', ...scanArgs(), '--format', format, '--token', s[0]!);
        runs[`--token-file ${format}`] = await runCli('scan', ...scanArgs(), '--format', format, '--token-file', tokenFile);
        runs[`--kubeconfig ${format}`] = await runCli('scan', ...scanArgs(), '--format', format, '--kubeconfig', kubeconfig);
      }
      for (const k of ['--token sarif', '--token-file sarif', '--kubeconfig sarif']) assertSarifSchema(JSON.parse(runs[k]!.out));
      // the servers did see the tokens and echo them: the outputs show that they answered
      assert.match(runs['--token json']!.out, /kubelet/);
      assert.match(runs['--token table']!.out, /<redacted>/);
      // a credential pasted into another option, or given twice: usage errors quote it
      runs['usage rate'] = await runCli('scan', echo.host, '--token', s[0]!, '--rate', s[0]!);
      runs['usage ports'] = await runCli('scan', echo.host, `--token=${s[0]}`, '--ports', s[0]!);
      runs['usage target'] = await runCli('scan', `${s[0]}/99`, '--token', s[0]!);
      runs['usage both'] = await runCli('scan', echo.host, '--token', s[0]!, '--token-file', `/nonexistent/${s[0]}`);
      for (const u of ['usage rate', 'usage ports', 'usage target']) assert.equal(runs[u]!.code, 2, `${u}: ${runs[u]!.err}`);
      assertClean(runs, s);
    }),
    { numRuns: 4 },
  );
});

let sim: ApiServerSim;
before(async () => {
  sim = await startApiServerSim({
    nodes: 2, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2',
    configz: (i) => (i === 0 ? 'forbidden' : 'ok'), forbidden: ['/api/v1/namespaces'], echoCredentials: true,
  });
});
after(async () => {
  await sim.close();
});

test('property: cluster credentials (token, password, exec-plugin token, server user-info) echoed in Status messages never reach any output', async () => {
  const base = JSON.parse(fs.readFileSync(sim.kubeconfigPath, 'utf8')) as { clusters: Array<{ name: string; cluster: Record<string, unknown> }> };
  const simCluster = base.clusters.find((c) => c.name === 'sim')!.cluster;
  let n = 0;
  await fc.assert(
    fc.asyncProperty(secretsArb(5), async (s) => {
      const plugin = path.join(dir, `plugin-${n}.sh`);
      fs.writeFileSync(plugin, `#!/bin/sh\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "${s[2]}"\n`);
      fs.chmodSync(plugin, 0o755);
      const server = String(simCluster['server']);
      const kc = {
        apiVersion: 'v1', kind: 'Config', 'current-context': 'token',
        clusters: [
          { name: 'sim', cluster: simCluster },
          { name: 'userinfo', cluster: { ...simCluster, server: server.replace('https://', `https://${s[3]}@`) } },
          { name: 'proxy', cluster: { ...simCluster, 'proxy-url': `http://u:${s[4]}@127.0.0.1:3128` } },
        ],
        users: [
          { name: 'token', user: { token: s[0] } },
          { name: 'basic', user: { username: 'admin', password: s[1] } },
          { name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } },
        ],
        contexts: [
          { name: 'token', context: { cluster: 'sim', user: 'token' } },
          { name: 'basic', context: { cluster: 'sim', user: 'basic' } },
          { name: 'exec', context: { cluster: 'sim', user: 'exec' } },
          { name: 'userinfo', context: { cluster: 'userinfo', user: 'token' } },
          { name: 'proxy', context: { cluster: 'proxy', user: 'token' } },
        ],
      };
      const file = path.join(dir, `cluster-kubeconfig-${n++}`);
      fs.writeFileSync(file, JSON.stringify(kc));
      const runs: Record<string, Run> = {};
      for (const context of ['token', 'basic', 'exec', 'userinfo', 'proxy']) {
        for (const format of ['table', 'json', 'sarif']) {
          runs[`${context} ${format}`] = await runCli('cluster', '--kubeconfig', file, '--context', context, '--format', format, '--no-progress', '--fail-on', 'none', '--timeout', '5000');
        }
      }
      // the server did echo them: a 401 Status message is quoted, redacted
      assert.match(runs["token json"]!.out, /Unauthorized \(you sent <redacted>\)/);
      assert.equal(runs['proxy table']!.code, 2);
      assertClean(runs, s);
    }),
    { numRuns: 3 },
  );
});

test("the cluster's own good token, echoed in 403 Status messages, is masked too", async () => {
  const runs: Record<string, Run> = {};
  for (const format of ['table', 'json', 'sarif']) runs[format] = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', format, '--no-progress', '--fail-on', 'none');
  runs['files'] = await withFiles(['sarif', 'json', 'table'], (o) => runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--fail-on', 'none', ...o));
  assert.match(runs['json']!.out, /you sent <redacted>/);
  assertSarifSchema(JSON.parse(runs['sarif']!.out));
  assertClean(runs, [sim.token, sim.token.slice(0, 12)]);
});

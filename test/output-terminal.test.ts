// Property: text from the evidence — file and drop-in names, feature-gate keys, pod and node names,
// kubelet versions, a server's answers, the user's own arguments — reaches the terminal inert. With
// ESC sequences (screen clear, title, OSC 52 clipboard), C0, DEL, C1 (U+009B CSI), bidi controls and
// line separators in those places, the table output holds no raw control character but its own
// newlines, no C1, no bidi or other format character, and no line the writer did not make (a forged
// `PASS` row); stderr the same; the JSON parses back to the exact value, with no raw C1, format
// character or U+2028/9 in its text.
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
import { startApiServerSim } from './cluster/apiserver-sim.ts';
import { escapeForJson, inert } from '../src/report/terminal.ts';

const FORGED = '\n  PASS  4.2.1   high     FORGED-ROW';
const UNITS = [
  '\x1b', '\x1b[2J\x1b[H', '\x1b]0;pwned\x07', '\x1b]52;c;cHduZWQ=\x07', '\x1b[31m', '\n', '\r', '\t', '\x07', '\x08', '\x7f',
  '\x9b', '\x9b2J', '\x85', '\x9d', '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u2028', '\u2029',
  '\ufeff', '\u200b', '\u00ad', 'a', 'Z', '9', '-', ' ', 'é', '\\', '語',
];
/** A hostile string: escapes and controls among ordinary characters, and a forged table row. */
const hostileArb = fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 10 }).map((a) => `x${a.join('')}${FORGED}`);

/** Raw characters the table (colour off) must never hold: controls other than its own newlines, C1, format characters, separators. */
const RAW_UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\p{Cf}]/u;
const JSON_UNSAFE = /[\x80-\x9f\u2028\u2029\p{Cf}]/u;

function assertInert(label: string, text: string): void {
  for (const [i, line] of text.split('\n').entries()) {
    const m = RAW_UNSAFE.exec(line);
    assert.ok(!m, `${label} line ${i + 1} holds a raw U+${m?.[0].codePointAt(0)!.toString(16).padStart(4, '0')}: ${JSON.stringify(line)}`);
    assert.ok(!/^\s*(PASS\s+)?4\.2\.1\s+high\s+FORGED-ROW/.test(line), `${label}: a forged row: ${JSON.stringify(line)}`);
  }
}

function jsonStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    out.push(k);
    jsonStrings(x, out);
  }
  return out;
}

/** The JSON text is safe and parses back to the exact hostile value (somewhere in a key or a string). */
function assertJsonExact(label: string, text: string, hostile: string, parse: (t: string) => unknown[] = (t) => [JSON.parse(t)]): void {
  const m = JSON_UNSAFE.exec(text);
  assert.ok(!m, `${label}: raw U+${m?.[0].codePointAt(0)!.toString(16)} in the JSON text`);
  const strings = parse(text).flatMap((d) => jsonStrings(d));
  assert.ok(strings.some((s) => s.includes(hostile)), `${label}: the exact value is not in the JSON: ${JSON.stringify(hostile)}`);
}

/** A string as a YAML/JSON double-quoted scalar, every non-ASCII character escaped (YAML forbids raw C1 in a stream). */
const yamlQuoted = (s: string) => escapeForJson(JSON.stringify(s)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** A file name: no '/' and no NUL. */
const fileName = (s: string) => s.replace(/[/\0]/g, '_');

test('inert() escapes visibly and leaves ordinary text alone', () => {
  assert.equal(inert('a\x1b[2Jb\nc\td\x9be\u202ef\u2028g\x7fh'), 'a\\x1b[2Jb\\nc\\td\\x9be\\u202ef\\u2028g\\x7fh');
  assert.equal(inert('/etc/kubernetes/manifests/é 語 \\x1b'), '/etc/kubernetes/manifests/é 語 \\x1b');
  assert.equal(inert('\u{E0041}'), '\\u{e0041}');
  assert.equal(escapeForJson(JSON.stringify('\x9b\u202e\u2028')), '"\\u009b\\u202e\\u2028"');
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !RAW_UNSAFE.test(inert(s)) && !/[\ud800-\udfff]/.test(inert(s).replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))));
});

test('property: hostile file, drop-in, feature-gate, pod and version strings reach the node table inert and the JSON exact', async () => {
  await fc.assert(
    fc.asyncProperty(hostileArb, hostileArb, hostileArb, async (name, gate, version) => {
      const file = fileName(name);
      const root = kubeadmTree({
        [CONFIG]: `${GOOD_CONFIG}staticPodPath: /etc/kubernetes/manifests\nfeatureGates:\n  ${yamlQuoted(gate)}: true\n`,
        [`/etc/systemd/system/kubelet.service.d/${file}.conf`]: '[Service]\nEnvironment="X=1"\n',
        [`/etc/kubernetes/manifests/${file}.yaml`]: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${yamlQuoted(name)}\n  namespace: ${yamlQuoted(name)}\nspec:\n  hostNetwork: true\n  containers:\n  - name: ${yamlQuoted(name)}\n    image: x\n    securityContext: {privileged: true}\n`,
      });
      // the --root folder's own name is printed too
      const evilRoot = path.join(path.dirname(root), fileName(`kg-${name}`).slice(0, 200));
      fs.renameSync(root, evilRoot);
      try {
        const kv = `1.31.4${version}`;
        const table = await runCli('node', '--root', evilRoot, '--show-config', '--fail-on', 'none', '--kubelet-version', kv);
        assertInert('node table', table.out);
        assertInert('node stderr', table.err);
        const json = await runCli('node', '--root', evilRoot, '--format', 'json', '--fail-on', 'none', '--kubelet-version', kv);
        for (const exact of [evilRoot, `/etc/systemd/system/kubelet.service.d/${file}.conf`, kv, name]) assertJsonExact('node json', json.out, exact);
        // SARIF of hostile names and paths: still valid SARIF 2.1.0 (URIs encoded), nothing raw for a terminal
        const sarif = await runCli('node', '--root', evilRoot, '--format', 'sarif', '--fail-on', 'none', '--kubelet-version', kv);
        assert.ok(!JSON_UNSAFE.test(sarif.out));
        assertSarifSchema(JSON.parse(sarif.out));
        assert.ok(json.out.includes(JSON.stringify(`featureGates.${gate}`).slice(1, -1).replace(/[\x80-\x9f\u2028\u2029\p{Cf}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)), 'the feature gate key, exact');
        // usage errors quote what the user gave
        const bad = await runCli('node', '--root', evilRoot, '--kubelet-version', `v${name}`);
        assert.equal(bad.code, 2);
        assertInert('node usage stderr', bad.err);
        assert.match(bad.err, /^kubelet-guard: --kubelet-version v.*FORGED-ROW: expected a version/);
        const missing = await runCli('node', '--root', path.join(evilRoot, 'nope', file));
        assertInert('node --root stderr', missing.err);
        const unknown = await runCli('node', `--${file}`);
        assertInert('commander stderr', unknown.err);
        assert.match(unknown.err, /^error: unknown option/);
      } finally {
        fs.rmSync(evilRoot, { recursive: true, force: true });
      }
    }),
    { numRuns: 15 },
  );
});

test('property: explain and rbac-for quote hostile paths inert', async () => {
  await fc.assert(
    fc.asyncProperty(hostileArb, async (h) => {
      for (const args of [['explain', 'GET', `/pods/${h}`], ['explain', `G${h}`, '/pods'], ['explain', 'GET', `/exec/${h}`, '--format', 'json'], ['rbac-for', `/logs/${h}`], ['rbac-for', `GET ${h}`], ['rbac-for', '/pods', '--name', h]]) {
        const r = await runCli(...args);
        if (args.includes('json')) assert.ok(!JSON_UNSAFE.test(r.out));
        else assertInert(`${args.join(' ')} stdout`, r.out);
        assertInert(`${args.join(' ')} stderr`, r.err);
      }
    }),
    { numRuns: 20 },
  );
});

let echo: EchoKubelet;
before(async () => {
  echo = await startEchoKubelet({ host: '127.0.0.1' });
});
after(async () => {
  await echo.close();
});

test('property: a hostile kubelet\'s version, user name, pod names and bodies reach the scan table inert and the JSON exact', async () => {
  await fc.assert(
    fc.asyncProperty(hostileArb, async (h) => {
      echo.setExtra(h);
      const args = [echo.host, '--ports', String(echo.port), '--collect', '--no-progress', '--token', 'kg-test-token-1234', '--fail-on', 'none'];
      const table = await runCli('scan', ...args);
      assertInert('scan table', table.out);
      assertInert('scan stderr', table.err);
      const json = await runCli('scan', ...args, '--format', 'json');
      // the 403 body names the user: `user=<token><hostile>`; the hostile part is kept exactly
      assertJsonExact('scan json', json.out, h.replace(/[\s\S]*?(?=\n {2}PASS)/, '').slice(0, 20));
      const sarif = await runCli('scan', ...args, '--format', 'sarif');
      assert.ok(!JSON_UNSAFE.test(sarif.out));
      assertSarifSchema(JSON.parse(sarif.out));
      const jsonl = await runCli('scan', ...args, '--format', 'jsonl');
      assert.ok(!JSON_UNSAFE.test(jsonl.out));
      for (const line of jsonl.out.trim().split('\n')) JSON.parse(line);
      const usage = await runCli('scan', h);
      assert.equal(usage.code, 2);
      assertInert('scan usage stderr', usage.err);
    }),
    { numRuns: 10 },
  );
});

test('property: hostile node names, versions and pod names from the API server reach the cluster table inert and the JSON exact', async () => {
  await fc.assert(
    fc.asyncProperty(hostileArb, async (h) => {
      const sim = await startApiServerSim({
        nodes: 1, podsPerNode: 1, bindings: 2, namespaces: 2, kubeletVersion: 'v1.33.2', configz: () => 'ok',
        extra: {
          '/api/v1/nodes': [{ metadata: { name: h }, status: { nodeInfo: { kubeletVersion: `v1.33.2${h}` } } }],
          '/api/v1/pods': [{ metadata: { name: h, namespace: 'default' }, spec: { nodeName: h, hostPID: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } }],
        },
      });
      try {
        const table = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--fail-on', 'none');
        assertInert('cluster table', table.out);
        assertInert('cluster stderr', table.err);
        assert.match(table.out, /FORGED-ROW/, 'the hostile name is shown (escaped)');
        const json = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--fail-on', 'none', '--format', 'json');
        assertJsonExact('cluster json', json.out, h);
        assertJsonExact('cluster json', json.out, `v1.33.2${h}`);
        const sarif = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-progress', '--fail-on', 'none', '--format', 'sarif');
        assert.ok(!JSON_UNSAFE.test(sarif.out));
        assertSarifSchema(JSON.parse(sarif.out));
      } finally {
        await sim.close();
      }
    }),
    { numRuns: 6 },
  );
});

test('a progress line drawn on a terminal is inert too', async () => {
  const { createProgressWriter } = await import('../src/scan/progress.ts');
  let written = '';
  const w = createProgressWriter<string>({ isTTY: true, columns: 200, write: (s) => ((written += s), true) }, () => 1000, (p) => `nodes ${p}`);
  w.update(`\x1b]52;c;QUJD\x07\n\u202e${FORGED}`);
  assert.equal(written, `\r\x1b[2Knodes \\x1b]52;c;QUJD\\x07\\n\\u202e\\n  PASS  4.2.1   high     FORGED-ROW`);
});

test('os tmpdir sanity (hostile names are made below it)', () => {
  assert.ok(fs.existsSync(os.tmpdir()));
});

test('an internal error: its message inert on one line, its stack frames lines of their own', async () => {
  const { internalError } = await import('../src/cli.ts');
  const text = internalError(new Error(`cannot read /x\x1b]0;t\x07${FORGED}`));
  const [first, ...rest] = text.trimEnd().split('\n');
  assert.equal(first, 'kubelet-guard: internal error: cannot read /x\\x1b]0;t\\x07\\n  PASS  4.2.1   high     FORGED-ROW');
  assert.ok(rest.length > 0 && rest.every((l) => /^\s+at /.test(l)));
  assertInert('internal error', text);
});

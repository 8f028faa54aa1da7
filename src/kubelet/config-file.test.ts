import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfigDoc } from './config-file.ts';

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const parse = (text: string | Buffer, role: 'config-file' | 'drop-in' = 'config-file') =>
  parseConfigDoc(Buffer.isBuffer(text) ? text : Buffer.from(text), '/var/lib/kubelet/config.yaml', role);

test('values keep the line of their key; durations normalize; nested structs are walked', () => {
  const d = parse(HEAD + 'authentication:\n  anonymous:\n    enabled: false\nstreamingConnectionIdleTimeout: 5m\nreadOnlyPort: 0\n');
  assert.equal(d.refused, undefined);
  assert.deepEqual(d.values.get('authentication.anonymous.enabled'), { value: false, line: 5, zero: true });
  assert.deepEqual(d.values.get('streamingConnectionIdleTimeout'), { value: '5m0s', line: 6, zero: false });
  assert.equal(d.values.get('readOnlyPort')?.line, 7);
});

test('JSON is read too, with lines', () => {
  const d = parse('{\n  "apiVersion": "kubelet.config.k8s.io/v1beta1",\n  "kind": "KubeletConfiguration",\n  "readOnlyPort": 10255\n}\n');
  assert.equal(d.refused, undefined);
  assert.deepEqual(d.values.get('readOnlyPort'), { value: 10255, line: 4, zero: false });
});

test("YAML 1.1 like Go's parser: yes is true", () => {
  const d = parse(HEAD + 'authentication:\n  anonymous:\n    enabled: yes\n');
  assert.equal(d.values.get('authentication.anonymous.enabled')?.value, true);
});

test('relative paths in --config resolve against its folder', () => {
  const d = parse(HEAD + 'tlsCertFile: pki/kubelet.crt\nstaticPodPath: /etc/kubernetes/manifests\n');
  assert.equal(d.values.get('tlsCertFile')?.value, '/var/lib/kubelet/pki/kubelet.crt');
  assert.equal(d.values.get('staticPodPath')?.value, '/etc/kubernetes/manifests');
});

test('unknown and duplicate fields are warnings: the kubelet decodes leniently', () => {
  const d = parse(HEAD + 'readOnlyPort: 10255\nReadOnlyPort: 0\nreadOnlyPort: 0\n');
  assert.equal(d.refused, undefined);
  assert.deepEqual(d.diagnostics.map((x) => [x.code, x.line]), [['config-unknown-field', 4], ['config-duplicate-field', 5]]);
  assert.equal(d.values.get('readOnlyPort')?.value, 0);
});

test('refused: each case names file and line, and what was expected', () => {
  const cases: Array<[string | Buffer, RegExp, number | undefined]> = [
    ['', /empty/, undefined],
    ['apiVersion: v1\nkind: Pod\n', /expected apiVersion kubelet.config.k8s.io\/v1beta1/, 1],
    ['readOnlyPort: 0\n', /Kind' is missing/, 1],
    [HEAD + 'readOnlyPort: "10255"\n', /readOnlyPort: expected an integer/, 3],
    [HEAD + 'authentication:\n  anonymous:\n    enabled: "false"\n', /expected true or false/, 5],
    [HEAD + 'streamingConnectionIdleTimeout: 5\n', /expected a duration string/, 3],
    [HEAD + 'streamingConnectionIdleTimeout: 5 minutes\n', /invalid duration/, 3],
    [HEAD + 'authentication: [1]\n', /expected a mapping/, 3],
    [HEAD + 'readOnlyPort: [\n', /invalid YAML/, 4],
    ['- 1\n- 2\n', /expected a mapping/, 1],
    [Buffer.concat([Buffer.from(HEAD + 'address: '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]), /invalid UTF-8/, 3],
    [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), /NUL bytes/, 1],
  ];
  for (const [text, msg, line] of cases) {
    const d = parse(text);
    assert.ok(d.refused, `refused: ${String(text).slice(0, 40)}`);
    assert.match(d.refused.message, msg);
    assert.equal(d.refused.line, line, String(text));
    assert.equal(d.diagnostics[0]?.file, '/var/lib/kubelet/config.yaml');
    assert.equal(d.diagnostics[0]?.fatal, true);
  }
});

test('an empty drop-in is refused; a drop-in with only comments is empty', () => {
  assert.ok(parse('# nothing\n', 'drop-in').refused);
  assert.equal(parse('# nothing\n', 'drop-in').diagnostics[0]?.code, 'dropin-invalid');
});

test('a YAML alias bomb is refused quickly, not expanded', () => {
  let bomb = HEAD + 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  const t0 = performance.now();
  const d = parse(bomb);
  assert.ok(d.refused);
  assert.match(d.refused.message, /alias/i);
  assert.ok(performance.now() - t0 < 5000);
});

test('names read from a refused file tell which settings it would decide', () => {
  const d = parse('apiVersion: v1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n');
  assert.ok(d.refused);
  assert.deepEqual(d.named, ['readOnlyPort']);
});

test('property: any bytes give a result, never a throw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    parse(Buffer.from(bytes));
  }));
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
    parse(HEAD + s);
  }));
});

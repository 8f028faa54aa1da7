// The Kubernetes YAML decoder against go-yaml v2's own expectations. Cases cite where they were
// read: kubernetes-sigs/yaml goyaml.v2/decode_test.go (mergeTests, unmarshalErrorTests),
// goyaml.v2/limit_test.go (limitTests) and goyaml.v2/decode.go (merge, mapping, isMerge).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeK8sYaml, scanYaml, toPlain, type K8sYaml } from './k8s-yaml.ts';

const plain = (r: K8sYaml): Record<string, unknown> => {
  assert.equal(r.status, 'ok', JSON.stringify(r));
  return (r.status === 'ok' ? toPlain(r.root) : undefined) as Record<string, unknown>;
};
const refusal = (src: string) => {
  const r = decodeK8sYaml(src);
  assert.equal(r.status, 'refused', JSON.stringify(r));
  return r.status === 'refused' ? r.problem.message : '';
};

// decode_test.go mergeTests ("From http://yaml.org/type/merge.html"): all maps equal {x:1, y:2, r:10, label}.
test('go-yaml mergeTests: every form of merge gives the same map', () => {
  const src = `anchors:
  list:
    - &CENTER { "x": 1, "y": 2 }
    - &LEFT   { "x": 0, "y": 2 }
    - &BIG    { "r": 10 }
    - &SMALL  { "r": 1 }
plain:
  "x": 1
  "y": 2
  "r": 10
  label: center/big
mergeOne:
  << : *CENTER
  "r": 10
  label: center/big
mergeMultiple:
  << : [ *CENTER, *BIG ]
  label: center/big
override:
  << : [ *BIG, *LEFT, *SMALL ]
  "x": 1
  label: center/big
shortTag:
  !!merge "<<" : [ *CENTER, *BIG ]
  label: center/big
longTag:
  !<tag:yaml.org,2002:merge> "<<" : [ *CENTER, *BIG ]
  label: center/big
inlineMap:
  << : {"x": 1, "y": 2, "r": 10}
  label: center/big
inlineSequenceMap:
  << : [ *CENTER, {"r": 10} ]
  label: center/big
`;
  const out = plain(decodeK8sYaml(src)) as Record<string, unknown>;
  const want = { x: 1, y: 2, r: 10, label: 'center/big' };
  for (const [name, v] of Object.entries(out)) if (name !== 'anchors') assert.deepEqual(v, want, name);
});

test('decode.go merge: written in place — a key before << is overwritten, a key after it wins; nested merges', () => {
  assert.deepEqual(plain(decodeK8sYaml('a: &a {k: 1}\nb: {k: 0, <<: *a}\n')), { a: { k: 1 }, b: { k: 1 } });
  assert.deepEqual(plain(decodeK8sYaml('a: &a {k: 1}\nb: {<<: *a, k: 0}\n')), { a: { k: 1 }, b: { k: 0 } });
  assert.deepEqual(plain(decodeK8sYaml('a: &a {k: 1}\nb: &b {<<: *a, m: 2}\nc: {<<: *b, p: 3}\n')).c, { k: 1, m: 2, p: 3 });
  // a merged value is replaced whole, never merged deeply
  assert.deepEqual(plain(decodeK8sYaml('a: &a {s: {p: 1}}\nb: {s: {q: 2}, <<: *a}\n')).b, { s: { p: 1 } });
});

test('the line of a merged value is where it was written, inside the anchor', () => {
  const r = decodeK8sYaml('base: &b\n  enabled: true\nuse:\n  <<: *b\n');
  assert.equal(r.status, 'ok');
  if (r.status !== 'ok' || r.root?.kind !== 'map') return;
  const use = r.root.fields.get('use')!.value;
  assert.equal(use.kind === 'map' ? use.fields.get('enabled')?.line : 0, 2);
});

test('duplicates: the last wins, and each is reported (strict decoding\'s "already set in map")', () => {
  const r = decodeK8sYaml('a: 1\nb: 2\na: 3\n');
  assert.deepEqual(plain(r), { a: 3, b: 2 });
  assert.deepEqual(r.status === 'ok' ? r.duplicates : [], [{ path: 'a', line: 3, previousLine: 1, merged: false }]);
});

// decode_test.go unmarshalErrorTests and decode.go failWantMap / alias
test('go-yaml unmarshalErrorTests: what go-yaml refuses is refused', () => {
  assert.match(refusal('a: &x null\n<<:\n- *x\nb: &x {}\n'), /map merge requires map or sequence of maps as the value/); // Issue #529
  assert.match(refusal('<<: 1\n'), /map merge requires map/);
  assert.match(refusal('<<: [{a: 1}, [2]]\n'), /map merge requires map/);
  assert.match(refusal('a: *b\n'), /unknown anchor 'b' referenced/);
  assert.match(refusal('a: &a\n  b: *a\n'), /anchor 'a' value contains itself/);
  assert.match(refusal('b: *a\na: &a {c: 1}'), /unknown anchor 'a' referenced/);
  assert.match(refusal('{[.]}'), /invalid map key/);
  assert.match(refusal('a: !!binary =='), /!!binary value contains invalid base64 data/);
  assert.match(refusal('v: !!float \'error\''), /cannot decode !!str `error` as a !!float/);
  // sigs.k8s.io/yaml: a null key cannot become a JSON key; json.Marshal refuses NaN
  assert.match(refusal('~: 1\n'), /unsupported map key/);
  assert.match(refusal('x: .nan\n'), /unsupported value: NaN/);
  assert.deepEqual(plain(decodeK8sYaml('x: .nan\nx: 1\n')), { x: 1 }); // overwritten before json.Marshal
});

test('a quoted "<<" is an ordinary key; !!merge makes any "<<" a merge key', () => {
  assert.deepEqual(plain(decodeK8sYaml('"<<": {a: 1}\n')), { '<<': { a: 1 } });
  assert.deepEqual(plain(decodeK8sYaml('!!merge "<<": {a: 1}\n')), { a: 1 });
  assert.deepEqual(plain(decodeK8sYaml('!!str <<: {a: 1}\n')), { '<<': { a: 1 } });
  assert.deepEqual(plain(decodeK8sYaml('! "<<": {a: 1}\n')), { a: 1 }); // `!` makes it implicit (parserc.go)
});

test('resolve.go: YAML 1.1 scalars as go-yaml types them, keys as sigs.k8s.io/yaml names them', () => {
  assert.deepEqual(plain(decodeK8sYaml('a: [yes, off, ~, 017, 0o17, 0x1F, 1_000, 08, 1:20, 2001-01-01, .5, 1e3, "12", !!str 12, !!binary aGVsbG8=]\n')).a,
    [true, false, null, 15, 15, 31, 1000, 8, '1:20', '2001-01-01', 0.5, 1000, '12', '12', 'hello']);
  assert.deepEqual(plain(decodeK8sYaml('1: a\ny: b\n1.5: c\n')), { 1: 'a', true: 'b', '1.5': 'c' });
});

// limit_test.go limitTests
test('go-yaml limitTests: depth beyond 10,000 and excessive aliasing are refused; the accepted ones are not', () => {
  assert.match(scanYaml('['.repeat(1000 * 1024)).refused?.message ?? '', /exceeded max depth of 10000/);
  assert.match(scanYaml(`x: ${'{'.repeat(1000 * 1024)}`).refused?.message ?? '', /exceeded max depth of 10000/);
  assert.match(scanYaml('- '.repeat(1000 * 1024)).refused?.message ?? '', /exceeded max depth of 10000/);
  assert.equal(scanYaml(`${'- '.repeat(1000)}\n`.repeat(1024 / 2)).refused, undefined);
  assert.equal(scanYaml(`${'['.repeat(10000)}1${']'.repeat(10000)}`).refused, undefined);
  assert.equal(scanYaml(`- ${'['.repeat(10000)}${']'.repeat(10000)}\n`.repeat(3)).refused, undefined);
  const manyAliases = `{a: &a [{a}${',{a}'.repeat(100 * 1024 / 4 - 100)}], b: &b [*a${',*a'.repeat(99)}]}`;
  assert.match(refusal(manyAliases), /excessive aliasing/);
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 20; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  assert.match(refusal(bomb), /excessive aliasing/);
  assert.equal(decodeK8sYaml(`a: &a [{a}${',{a}'.repeat(10 * 1024 / 4 - 1)}]`).status, 'ok');
});

test('beyond the audit\'s bounds: too large, with the line, and the tree is not built', () => {
  const r = decodeK8sYaml(`a: 1\nb: [${Array(50).fill('1').join(',')}]\n`, { nodes: 40 });
  assert.deepEqual(r.status === 'too-large' ? r.problem.line : undefined, 2);
  const d = decodeK8sYaml(`a:\n  b: ${'['.repeat(30)}${']'.repeat(30)}\n`, { depth: 10 });
  assert.equal(d.status, 'too-large');
  // 5,000 levels: go-yaml accepts them; the YAML library would run out of stack: too large, never "refused"
  assert.equal(decodeK8sYaml(`a: ${'['.repeat(5000)}${']'.repeat(5000)}`).status, 'too-large');
  assert.equal(decodeK8sYaml(`a: ${'['.repeat(5000)}${']'.repeat(5000)}`, { depth: 1e6 }).status, 'too-large');
});

// Property: a document written with merge keys decodes to the value of the same document written flat.
test('property: merging anchored maps equals writing their keys out (first map of a sequence wins, explicit keys after << win)', () => {
  const key = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'eps');
  const scalar = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constantFrom('s1', 's2', 'x y'));
  const map = fc.dictionary(key, scalar, { maxKeys: 5 });
  fc.assert(fc.property(fc.array(map, { minLength: 1, maxLength: 4 }), map, map, (sources, before, after) => {
    const lit = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
    const flow = (m: Record<string, unknown>) => `{${Object.entries(m).map(([k, v]) => `${k}: ${lit(v)}`).join(', ')}}`;
    let src = sources.map((m, i) => `a${i}: &a${i} ${flow(m)}\n`).join('');
    src += 'm:\n';
    for (const [k, v] of Object.entries(before)) src += `  ${k}: ${lit(v)}\n`;
    src += `  <<: [${sources.map((_, i) => `*a${i}`).join(', ')}]\n`;
    for (const [k, v] of Object.entries(after)) src += `  ${k}: ${lit(v)}\n`;
    const flat: Record<string, unknown> = { ...before };
    for (const m of [...sources].reverse()) Object.assign(flat, m);
    Object.assign(flat, after);
    const got = (plain(decodeK8sYaml(src)) as Record<string, unknown>)['m'];
    assert.deepEqual(got, flat);
  }), { numRuns: 300 });
});

test('only the first document is parsed: a later one neither refuses the file nor counts against the bounds', () => {
  const r = decodeK8sYaml(`a: 1\n---\nb: [\n---\n${'x: 1\n'.repeat(50)}`, { nodes: 10 });
  assert.equal(r.status, 'ok');
  assert.deepEqual(r.status === 'ok' ? r.later : undefined, { count: 2, nonEmpty: 2, line: 2 });
  assert.match(refusal('a: 1\n]\n---\nb: 1\n'), /Unexpected flow-seq-end/); // the error is in the first one
  // property: whatever the first document, the text after its end is where the second starts
  fc.assert(fc.property(fc.array(fc.constantFrom('a: 1', 'b: [1, 2]', 'c: |\n  x\n  y', '- z', '"q": \'r\'', '# c', 'd: {e: f}'), { minLength: 1, maxLength: 6 }), (lines) => {
    fc.pre(lines.some((l) => !l.startsWith('#'))); // a comment alone is no document: `---` would start the first
    const first = `${lines.join('\n')}\n`;
    assert.equal(scanYaml(`${first}---\nnext: 1\n`).secondOffset, first.length);
  }));
});

test('property: any text gives ok, refused or too-large — never an exception', () => {
  const piece = fc.constantFrom('a', 'b', ':', ' ', '\n', '  ', '- ', '<<', '&x ', '*x', '&y ', '*y', '[', ']', '{', '}', ',', '"', "'", '#', '---\n', '!!merge ', '!!int ', '? ', '|', '~', '.nan', '\t', '1', 'yes');
  fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
    const r = decodeK8sYaml(parts.join(''));
    assert.ok(['ok', 'refused', 'too-large'].includes(r.status));
  }), { numRuns: 2000 });
});

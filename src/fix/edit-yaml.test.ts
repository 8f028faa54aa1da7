import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeK8sYaml, toPlain } from '../sources/k8s-yaml.ts';
import { setYamlPath } from './edit-yaml.ts';

type Path = Array<string | number>;

/** The edited text (fails the test on a refusal). */
function edit(text: string, path: Path, value: unknown): string {
  const r = setYamlPath(text, path, value);
  assert.ok(r.ok, `refused: ${r.ok ? '' : r.why}`);
  return r.text;
}
function refused(text: string, path: Path, value: unknown, why: RegExp): void {
  const r = setYamlPath(text, path, value);
  assert.equal(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
  if (!r.ok) assert.match(r.why, why);
}
const plain = (text: string): unknown => {
  const d = decodeK8sYaml(text);
  assert.equal(d.status, 'ok', JSON.stringify(d));
  return d.status === 'ok' ? (d.root === null ? {} : toPlain(d.root)) : undefined;
};

/** An independent reference: the JSON value with `path` set (created on the way) or deleted. */
function expectSet(root: unknown, path: Path, value: unknown): unknown {
  const top = structuredClone(root ?? {}) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> | unknown[] = top;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    let next = Object.hasOwn(cur, seg) ? (cur as Record<string | number, unknown>)[seg] : undefined;
    if (next === undefined || next === null) {
      if (value === undefined) return top;
      next = typeof path[i + 1] === 'number' ? [] : {};
      Object.defineProperty(cur, seg, { value: next, enumerable: true, writable: true, configurable: true });
    }
    cur = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else Object.defineProperty(cur, last, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
  return top;
}

const KUBEADM = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
`;

/** The lines of `b` that differ from `a`: [removed, added]. */
function changed(a: string, b: string): [string[], string[]] {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return [x.slice(i, x.length - j), y.slice(i, y.length - j)];
}

test('a scalar is replaced in place: one line, its comment kept', () => {
  const text = 'a: 1\nauth:\n  anonymous:\n    enabled: true   # insecure\n  # keep me\nz: 2\n';
  const out = edit(text, ['auth', 'anonymous', 'enabled'], false);
  assert.equal(out, 'a: 1\nauth:\n  anonymous:\n    enabled: false   # insecure\n  # keep me\nz: 2\n');
  assert.deepEqual(changed(KUBEADM, edit(KUBEADM, ['authorization', 'mode'], 'AlwaysAllow')), [['  mode: Webhook'], ['  mode: AlwaysAllow']]);
});

test('strings that YAML 1.1 reads as something else are quoted; the original quote style is kept', () => {
  for (const s of ['0', 'on', 'yes', 'y', 'N', '1.10', '0x1f', '1e3', '', 'null', '~', '2024-01-01', 'a: b', '#x', '- x', '<<', 'x:', ' lead', 'tab\there', 'é\u2028x']) {
    const out = edit('k: v\n', ['k'], s);
    assert.deepEqual(plain(out), { k: s }, out);
    assert.notEqual(out, `k: ${s}\n`, `'${s}' must be quoted`);
  }
  assert.equal(edit('k: v\n', ['k'], 'Webhook'), 'k: Webhook\n');
  assert.equal(edit("k: 'v'\n", ['k'], 'it\'s'), "k: 'it''s'\n");
  assert.equal(edit('k: "v"\n', ['k'], 'w'), 'k: "w"\n');
  assert.equal(edit('k: "v"\n', ['k'], 5), 'k: 5\n');
  assert.equal(edit('k: v\n', ['k'], null), 'k: null\n');
  assert.equal(edit('k: v\n', ['k'], 1.5), 'k: 1.5\n');
  refused('k: v\n', ['k'], NaN, /not finite/);
});

test('a missing key is inserted after the mapping\'s last entry, with its indentation', () => {
  assert.deepEqual(changed(KUBEADM, edit(KUBEADM, ['authentication', 'anonymous', 'x'], 1)), [[], ['    x: 1']]);
  assert.deepEqual(changed(KUBEADM, edit(KUBEADM, ['readOnlyPort'], 0)), [[], ['readOnlyPort: 0']]);
  // nested maps created, with the file's own indentation (4 here)
  const four = 'a:\n    b: 1\n    # tail comment\nz: 2\n';
  assert.equal(edit(four, ['a', 'c', 'd'], 'x'), 'a:\n    b: 1\n    c:\n        d: x\n    # tail comment\nz: 2\n');
  // lists follow the file's sequence style (kubeadm: dashes under the key)
  assert.deepEqual(changed(KUBEADM, edit(KUBEADM, ['tlsCipherSuites'], ['A', 'B'])), [[], ['tlsCipherSuites:', '- A', '- B']]);
  assert.equal(edit('a:\n  - x\nb: 1\n', ['c'], ['w']), 'a:\n  - x\nb: 1\nc:\n  - w\n');
  // a small map value
  assert.equal(edit('a: 1\n', ['featureGates'], { RotateKubeletServerCertificate: true, X: 'on' }), 'a: 1\nfeatureGates:\n  RotateKubeletServerCertificate: true\n  X: "on"\n');
  // a value of a block scalar is not cut
  assert.deepEqual(plain(edit('a: |\n  text\n\n  more\nb: 1\n', ['c'], 2)), { a: 'text\n\nmore\n', b: 1, c: 2 });
});

test('an index equal to a block sequence\'s length appends, with its dash style', () => {
  assert.deepEqual(changed(KUBEADM, edit(KUBEADM, ['clusterDNS', 1], '10.96.0.11')), [[], ['- 10.96.0.11']]);
  assert.equal(edit('l:\n    -   a\n    -   b\n', ['l', 2], 'c'), 'l:\n    -   a\n    -   b\n    -   c\n');
  const pod = 'spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --a=1 # first\n    name: x\n';
  assert.equal(edit(pod, ['spec', 'containers', 0, 'command', 2], '--b=2'), 'spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --a=1 # first\n    - --b=2\n    name: x\n');
  assert.equal(edit(pod, ['spec', 'containers', 0, 'command', 1], '--a=2'), pod.replace('--a=1', '--a=2'));
  refused(pod, ['spec', 'containers', 0, 'command', 5], 'x', /2 items/);
});

test('delete: the key and its lines go, comments on other lines stay', () => {
  const text = '# head\na: 1\n# about b\nb:\n  c: 1\n  # inner\n  d:\n  - x\n  - y\ne: 2 # tail\n';
  assert.equal(edit(text, ['b', 'd'], undefined), '# head\na: 1\n# about b\nb:\n  c: 1\n  # inner\ne: 2 # tail\n');
  assert.equal(edit(text, ['e'], undefined), '# head\na: 1\n# about b\nb:\n  c: 1\n  # inner\n  d:\n  - x\n  - y\n');
  assert.equal(edit(text, ['b', 'd', 0], undefined), text.replace('  - x\n', ''));
  // the last entry of a mapping: the mapping stays, empty
  assert.deepEqual(plain(edit('a:\n  b: 1\nc: 2\n', ['a', 'b'], undefined)), { a: {}, c: 2 });
  assert.equal(edit('a:\n  b: 1\nc: 2\n', ['a', 'b'], undefined), 'a: {}\nc: 2\n');
  assert.equal(edit('l:\n- x\n', ['l', 0], undefined), 'l: []\n');
  // the first key of a list item's mapping: the next key moves up after the dash
  assert.equal(edit('l:\n- name: a\n  value: b\n', ['l', 0, 'name'], undefined), 'l:\n- value: b\n');
  // a missing key: nothing to do
  assert.equal(edit('a: 1\n', ['b', 'c'], undefined), 'a: 1\n');
  // no final line break stays none
  assert.equal(edit('a: 1\nb: 2', ['b'], undefined), 'a: 1');
});

test('empty documents, comments only, CRLF, BOM, the final line break', () => {
  assert.equal(edit('', ['a', 'b'], true), 'a:\n  b: true\n');
  assert.equal(edit('# only a comment\n', ['a'], 1), '# only a comment\na: 1\n');
  assert.equal(edit('# c', ['a'], 1), '# c\na: 1');
  assert.equal(edit('---\n', ['a'], 1), '---\na: 1\n');
  assert.equal(edit('a: 1\r\nb:\r\n  c: 2\r\n', ['b', 'd'], 3), 'a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\n');
  assert.equal(edit('a: 1\r\nb: 2\r\n', ['a'], undefined), 'b: 2\r\n');
  assert.equal(edit('\ufeffa: 1\n', ['b', 'c'], 2), '\ufeffa: 1\nb:\n  c: 2\n');
  assert.equal(edit('a: 1', ['b'], 2), 'a: 1\nb: 2');
});

test('only the first document is edited; the later ones are kept byte for byte', () => {
  const text = 'a: 1\n---\na: 2\nb: 3\n';
  assert.equal(edit(text, ['a'], 9), 'a: 9\n---\na: 2\nb: 3\n');
  assert.equal(edit(text, ['b'], 9), 'a: 1\nb: 9\n---\na: 2\nb: 3\n');
  refused('---\n---\nb: 1\n', ['a'], 1, /empty and followed/);
});

test('null, empty and flow values on the path', () => {
  assert.equal(edit('a:\nb: 1\n', ['a'], 'x'), 'a: x\nb: 1\n');
  assert.equal(edit('a:\nb: 1\n', ['a', 'c'], 'x'), 'a:\n  c: x\nb: 1\n');
  assert.equal(edit('a: ~ # none\nb: 1\n', ['a', 'c'], 'x'), 'a: # none\n  c: x\nb: 1\n');
  assert.equal(edit('memorySwap: {}\n', ['memorySwap', 'swapBehavior'], 'NoSwap'), 'memorySwap: {swapBehavior: NoSwap}\n');
  assert.equal(edit('t: [A, B] # x\n', ['t', 1], undefined), 't: [A] # x\n');
  assert.equal(edit('t: [A, B]\n', ['t'], ['C']), 't: [C]\n');
  assert.equal(edit('g: {A: true}\n', ['g', 'B'], false), 'g: {A: true, B: false}\n');
  refused('g: {A: true,\n  C: 1}\n', ['g', 'B'], false, /several lines/);
  refused('g: {A: *x}\n', ['g', 'B'], false, /YAML|alias/);
  // a flow mapping as the whole document
  assert.equal(edit('{a: 1, b: {c: 2}}\n', ['b', 'd'], 'x'), '{a: 1, b: {c: 2, d: x}}\n');
  // a hostile anchor name is shown inert
  refused('a: &\u202eevil\n  b: 1\n', ['a', 'b'], 2, /\\u202e/);
  // a scalar where a mapping is needed
  refused('a: 5\n', ['a', 'b'], 1, /not a mapping|single value/);
  refused('- a\n', ['a'], 1, /not a mapping/);
});

test('a block collection set member by member keeps what does not change', () => {
  const text = 'fg:\n  A: true # why A\n  B: false\n  C: true\n';
  assert.equal(edit(text, ['fg'], { A: true, B: true }), 'fg:\n  A: true # why A\n  B: true\n');
  assert.equal(edit('l:\n- a # 1\n- b\n- c\n', ['l'], ['a', 'x']), 'l:\n- a # 1\n- x\n');
  assert.equal(edit('a:\n  b: 1\nc: 2\n', ['a'], 'x'), 'a: x\nc: 2\n');
  assert.equal(edit('a: x # c\nz: 1\n', ['a'], ['p', 'q']), 'a: # c\n- p\n- q\nz: 1\n');
  assert.equal(edit('l:\n- x\n', ['l', 0], { name: 'm', value: 'v' }), 'l:\n- name: m\n  value: v\n');
});

test('refused: aliases, anchors, duplicate keys, tabs, tags, documents Kubernetes refuses', () => {
  refused('a: &x\n  b: 1\nc: *x\n', ['a', 'b'], 2, /anchored \(&x\)/);
  refused('a: &x\n  b: 1\nc: *x\n', ['c', 'b'], 2, /alias \(\*x\)/);
  refused('a: 1\na: 2\n', ['a'], 3, /written 2 times \(lines 1, 2\)/);
  refused('x:\n  a: 1\n  b: 2\n  a: 3\n', ['x', 'a', 'c'], 3, /written 2 times/);
  refused('a: !!str 5\n', ['a'], 3, /tag/);
  refused('a:\n\tb: 1\n', ['a', 'b'], 3, /[Tt]ab/);
  refused('a: [\n', ['a'], 1, /Kubernetes would not read/);
  refused('a: 1\n', [], 1, /empty path/);
  refused('a: 1\n', ['a', -1], 1, /neither/);
  refused('a: 1\n', ['b'], () => 1, /function/);
});

test('merge keys: a key written after << wins (go-yaml v2), so a merged value is overridden by adding it', () => {
  // go-yaml's rule, checked on the audit's decoder: a key after << wins, a key before it loses
  assert.deepEqual(plain('b: &b\n  x: 1\nc:\n  <<: *b\n  x: 2\n'), { b: { x: 1 }, c: { x: 2 } });
  assert.deepEqual(plain('b: &b\n  x: 1\nc:\n  x: 2\n  <<: *b\n'), { b: { x: 1 }, c: { x: 1 } });
  const text = 'b: &b\n  x: 1\n  w: 1\nc:\n  <<: *b\n  z: 2\n';
  const out = edit(text, ['c', 'x'], 5);
  assert.equal(out, 'b: &b\n  x: 1\n  w: 1\nc:\n  <<: *b\n  z: 2\n  x: 5\n');
  assert.deepEqual(plain(out), { b: { x: 1, w: 1 }, c: { x: 5, w: 1, z: 2 } });
  // a key before the << that the merge overrides: editing it would change nothing
  refused('b: &b\n  x: 1\nc:\n  x: 2\n  <<: *b\n', ['c', 'x'], 5, /merge|structure/);
  // deleting a merged key cannot be done in this mapping
  refused(text, ['c', 'w'], undefined, /merge|structure/);
  // 'y' is a boolean key in YAML 1.1 (go-yaml v2): the JSON key "true"
  assert.deepEqual(plain('y: 1\n'), { true: 1 });
  assert.equal(edit('y: 1\n', ['true'], 2), 'y: 2\n');
});

// ---- Property tests ---------------------------------------------------------------------------------

const KEYS = ['a', 'b', 'enabled', 'mode', 'clientCAFile', 'x509', 'on', '1.10', 'with space', 'n'];
const STRINGS = ['Webhook', '/etc/kubernetes/pki/ca.crt', 'on', '0', '1.10', 'yes', '', 'a b', 'x: y', '#no', '10.96.0.10', "it's", 'say "hi"'];

/** mulberry32: the generator below draws from one seed, so fast-check shrinks the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gen {
  text: string;
  /** every written path, with the lines (0-based) of its key and its value's last line */
  spans: Array<{ path: Path; first: number; last: number; kind: 'scalar' | 'map' | 'list' | 'flow' }>;
  /** comment id → the path it is written inside (or after) */
  comments: Map<string, Path>;
}

function genYaml(seed: number): Gen {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const unit = pick([2, 4]);
  const seqOff = pick([0, 2]);
  const lines: string[] = [];
  const spans: Gen['spans'] = [];
  const comments = new Map<string, Path>();
  let cid = 0;
  const comment = (p: Path): string => {
    const id = `c${cid++}`;
    comments.set(id, p);
    return `# ${id}`;
  };
  const quote = (k: string): string => (/^[a-z][a-zA-Z0-9]*$/.test(k) && !['on', 'n', 'y', 'yes', 'no', 'off', 'true', 'false', 'null'].includes(k) ? k : JSON.stringify(k));
  const scalar = (): string => {
    const c = r();
    if (c < 0.2) return String(Math.floor(r() * 70000));
    if (c < 0.35) return pick(['true', 'false']);
    if (c < 0.4) return pick(['null', '~', '']);
    const s = pick(STRINGS);
    const st = r();
    if (st < 0.3 && /^[A-Za-z/][A-Za-z0-9/.]*$/.test(s)) return s;
    if (st < 0.6 && !s.includes("'")) return `'${s}'`;
    return JSON.stringify(s);
  };
  const trail = (p: Path): string => (r() < 0.3 ? `${' '.repeat(1 + Math.floor(r() * 3))}${comment(p)}` : '');
  const map = (col: number, path: Path, depth: number): void => {
    const n = 1 + Math.floor(r() * 4);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const k = pick(KEYS);
      if (used.has(k)) continue;
      used.add(k);
      const p = [...path, k];
      if (r() < 0.15) lines.push('');
      if (r() < 0.2) lines.push(`${' '.repeat(col)}${comment(path)}`);
      const first = lines.length;
      const head = `${' '.repeat(col)}${quote(k)}:`;
      const c = r();
      if (depth < 3 && c < 0.3) {
        lines.push(head + trail(p));
        map(col + unit, p, depth + 1);
        spans.push({ path: p, first, last: lines.length - 1, kind: 'map' });
      } else if (c < 0.45) {
        lines.push(head + trail(p));
        const m = 1 + Math.floor(r() * 3);
        for (let j = 0; j < m; j++) {
          lines.push(`${' '.repeat(col + seqOff)}- ${scalar()}${trail([...p, j])}`);
          spans.push({ path: [...p, j], first: lines.length - 1, last: lines.length - 1, kind: 'scalar' });
        }
        spans.push({ path: p, first, last: lines.length - 1, kind: 'list' });
      } else if (c < 0.5) {
        lines.push(`${head} ${pick(['{}', '[]'])}`);
        spans.push({ path: p, first, last: first, kind: 'flow' });
      } else {
        const v = scalar();
        lines.push(`${head}${v === '' ? '' : ` ${v}`}${trail(p)}`);
        spans.push({ path: p, first, last: first, kind: 'scalar' });
      }
    }
    if (r() < 0.2) lines.push(`${' '.repeat(col + (r() < 0.5 ? 0 : unit))}${comment(path)}`);
  };
  if (r() < 0.3) lines.push(comment([]));
  map(0, [], 0);
  return { text: `${lines.join('\n')}\n`, spans, comments };
}

const valueArb = fc.oneof(
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -5, max: 70000 }),
  fc.constantFrom(...STRINGS),
  fc.array(fc.constantFrom(...STRINGS), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.constantFrom('p', 'q', 'on', 'r s'), fc.oneof(fc.boolean(), fc.constantFrom(...STRINGS)), { minKeys: 1, maxKeys: 3 }),
);

const within = (p: Path, q: Path) => q.length <= p.length && q.every((s, i) => p[i] === s);

test('property: setYamlPath changes exactly that path, keeps every other comment and line', () => {
  fc.assert(
    fc.property(fc.integer(), fc.nat(), fc.nat(), valueArb, fc.constantFrom('lf', 'crlf', 'no-final-eol'), (seed, choice, newKey, value, eol) => {
      const g = genYaml(seed);
      let text = g.text;
      if (eol === 'crlf') text = text.replace(/\n/g, '\r\n');
      if (eol === 'no-final-eol') text = text.replace(/\n$/, '');
      const before = plain(text);
      // an existing path, a new key under an existing mapping, or an append to a list
      const maps = [[] as Path, ...g.spans.filter((s) => s.kind === 'map').map((s) => s.path)];
      const lists = g.spans.filter((s) => s.kind === 'list');
      let path: Path;
      let span: Gen['spans'][number] | undefined;
      const c = choice % 10;
      if (c < 6) {
        span = g.spans[choice % g.spans.length]!;
        path = span.path;
      } else if (c < 8 || lists.length === 0) {
        path = [...maps[newKey % maps.length]!, `new${newKey % 3}`, ...(newKey % 2 ? ['deeper'] : [])];
      } else {
        const l = lists[newKey % lists.length]!;
        const len = (g.spans.filter((s) => s.path.length === l.path.length + 1 && within(s.path, l.path))).length;
        path = [...l.path, len];
      }
      const r = setYamlPath(text, path, value);
      if (process.env.DEBUG_PROP) console.log(JSON.stringify({ text, path, value, r }));
      assert.ok(r.ok, `${JSON.stringify(path)} ${JSON.stringify(value)}: ${r.ok ? '' : r.why}\n${text}`);
      const after = r.text;
      assert.deepEqual(plain(after), expectSet(before, path, value), after);
      // line breaks: CRLF stays CRLF, the final one (or its absence) is kept
      if (eol === 'crlf') assert.doesNotMatch(after, /(^|[^\r])\n/);
      // (deleting a last line that follows a blank line leaves that blank line's break at the end)
      if (after !== '' && !(value === undefined && /\n\r?\n[^\n]*$/.test(text))) assert.equal(/\n$/.test(after), /\n$/.test(text), 'the final line break');
      // comments outside the edited value are all kept
      for (const [id, p] of g.comments) if (!within(p, path)) assert.match(after, new RegExp(`# ${id}\\b`), `${id} lost`);
      // only lines of the edited value changed
      const [removed, added] = changed(text.replace(/\r/g, ''), after.replace(/\r/g, ''));
      if (!span) assert.equal(removed.length, 0, 'an insertion removes no line');
      // a deletion adds no line (but an emptied mapping or list is written `key: {}` / `key: []`)
      if (value === undefined && after !== '') assert.ok(added.length === 0 || (added.length === 1 && /: (\{\}|\[\])( |$)/.test(added[0]!)), `a deletion added ${JSON.stringify(added)}`);
      // (an emptied mapping or list also changes its key's line)
      if (span) assert.ok(removed.length <= span.last - span.first + 1 + (value === undefined && added.length === 1 ? 1 : 0), `${removed.length} lines removed for a value of ${span.last - span.first + 1}`);
      if (span && span.kind === 'scalar' && value !== undefined && (typeof value !== 'object' || value === null)) {
        assert.ok(removed.length <= 1 && added.length <= 1, 'a scalar for a scalar changes one line');
      }
    }),
    { numRuns: 800, seed: 20261206 },
  );
});

// ---- Bad inputs ---------------------------------------------------------------------------------------

const CORPUS: Array<[string, string]> = [
  ['anchor', 'a: &x\n  b: 1\nc: *x\n'],
  ['alias key', '*x : 1\n'],
  ['anchor scalar', 'a: &x 1\nb: *x\n'],
  ['merge', 'b: &b {x: 1}\nc:\n  <<: *b\n'],
  ['merge list', 'b: &b {x: 1}\nd: &d {y: 1}\nc:\n  <<: [*b, *d]\n  z: 1\n'],
  ['flow map', '{a: 1, b: {c: 2}}\n'],
  ['flow multi-line', 'a: {b: 1,\n  c: 2}\n'],
  ['duplicates', 'a: 1\na: 2\nb:\n  c: 1\n  c: 2\n'],
  ['tabs', 'a:\n\tb: 1\n'],
  ['tab after key', 'a:\t1\n'],
  ['multi-doc', 'a: 1\n---\na: 2\n'],
  ['doc end', 'a: 1\n...\n'],
  ['BOM', '\ufeffa: 1\nb:\n  c: 2\n'],
  ['CRLF', 'a: 1\r\nb:\r\n  c: 2\r\n'],
  ['mixed EOL', 'a: 1\r\nb:\n  c: 2\r\n'],
  ['CR only', 'a: 1\rb: 2\r'],
  ['huge nesting', `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
  ['deep flow', `a: ${'['.repeat(300)}${']'.repeat(300)}\n`],
  ['root list', '- a\n- b\n'],
  ['root scalar', 'hello\n'],
  ['tagged map', 'a: !!map\n  b: 1\n'],
  ['block scalar', 'a: |\n  x\n  y\nb: >-\n  z\n'],
  ['keep chomping', 'a: |+\n  x\n\n'],
  ['complex key', '? a\n: 1\n'],
  ['null key', '~: 1\n'],
  ['unclosed quote', 'a: "x\n'],
  ['NaN', 'a: .nan\n'],
  ['quoted keys', '"a": 1\n\'b\':\n  "c": 2\n'],
  ['bool keys', 'on: 1\ntrue: 2\n'],
  ['seq of maps', 'l:\n- a: 1\n  b: 2\n- a: 3\n'],
  ['indented seq', 'l:\n    - a\n    - b\n'],
  ['directive', '%YAML 1.1\n---\na: 1\n'],
  ['comment only', '# a\n# b'],
  ['empty', ''],
  ['spaces', '   '],
  ['nul', 'a: "\u0000"\n'],
  ['proto', '__proto__:\n  b: 1\n'],
  ['long line', `a: ${'x'.repeat(100000)}\n`],
];
const PATHS: Path[] = [['a'], ['a', 'b'], ['b', 'c'], ['c', 'x'], ['l', 0], ['l', 2], ['l', 0, 'b'], ['k'], ['__proto__', 'b'], ['true'], ['z', 'y', 'x']];
const VALUES: unknown[] = [undefined, 0, true, 'on', 'x', ['a', 'b'], { p: 1 }, null];

test('bad-input corpus: a refusal with a reason or a correct edit, never a throw or a wrong document', () => {
  let ok = 0;
  let no = 0;
  for (const [name, text] of CORPUS) {
    const d = decodeK8sYaml(text);
    for (const path of PATHS) {
      for (const value of VALUES) {
        let r;
        try {
          r = setYamlPath(text, path, value);
        } catch (e) {
          assert.fail(`${name} ${JSON.stringify(path)}: threw ${String(e)}`);
        }
        if (!r.ok) {
          assert.ok(r.why.length > 10 && !/undefined|\[object/.test(r.why), `${name}: ${r.why}`);
          no++;
          continue;
        }
        ok++;
        assert.equal(d.status, 'ok', `${name}: edited a document Kubernetes refuses`);
        if (d.status !== 'ok') continue;
        const after = decodeK8sYaml(r.text);
        assert.equal(after.status, 'ok', `${name} ${JSON.stringify(path)}: ${r.text}`);
        if (after.status !== 'ok') continue;
        assert.deepEqual(after.root === null ? {} : toPlain(after.root), expectSet(d.root === null ? {} : toPlain(d.root), path, value), `${name} ${JSON.stringify(path)} ${JSON.stringify(value)}:\n${r.text}`);
        // later documents and the line-break style are kept
        if (name === 'multi-doc') assert.ok(r.text.endsWith(text.slice(text.indexOf('\n---\n'))), name);
        if (/\r\n/.test(text) && !/(^|[^\r])\n/.test(text)) assert.doesNotMatch(r.text, /(^|[^\r])\n/, name);
      }
    }
  }
  assert.ok(ok > 100 && no > 100, `${ok} edits, ${no} refusals`);
});

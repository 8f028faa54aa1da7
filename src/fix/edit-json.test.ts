import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setJsonPath } from './edit-json.ts';

type Path = Array<string | number>;

function edit(text: string, path: Path, value: unknown): string {
  const r = setJsonPath(text, path, value);
  assert.ok(r.ok, `refused: ${r.ok ? '' : r.why}`);
  return r.text;
}
function refused(text: string, path: Path, value: unknown, why: RegExp): void {
  const r = setJsonPath(text, path, value);
  assert.equal(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
  if (!r.ok) assert.match(r.why, why);
}
const define = (o: object, k: string | number, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** An independent reference: the value with `path` set (created on the way) or deleted. */
function expectSet(root: unknown, path: Path, value: unknown): unknown {
  const top = structuredClone(root ?? {}) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = top;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    let next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    if (next === undefined || next === null) {
      if (value === undefined) return top;
      next = typeof path[i + 1] === 'number' ? [] : {};
      define(cur, seg, next);
    }
    cur = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else define(cur, last, JSON.parse(JSON.stringify(value)));
  return top;
}

function changed(a: string, b: string): [string[], string[]] {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return [x.slice(i, x.length - j), y.slice(i, y.length - j)];
}

const PRETTY = `{
  "kind": "KubeletConfiguration",
  "authentication": {
    "anonymous": {
      "enabled": true
    }
  },
  "clusterDNS": [
    "10.96.0.10"
  ],
  "memorySwap": {}
}
`;

test('a value is replaced where it is written: one line', () => {
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['authentication', 'anonymous', 'enabled'], false)), [['      "enabled": true'], ['      "enabled": false']]);
  assert.equal(edit('{"a":1,"b":"x"}', ['b'], 'y'), '{"a":1,"b":"y"}');
  assert.equal(edit('{"a": "\\u2028"}', ['a'], 'p\u2028q'), '{"a": "p\\u2028q"}');
});

test('a member is inserted after the last one, with the object\'s indentation', () => {
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['readOnlyPort'], 0)), [['  "memorySwap": {}'], ['  "memorySwap": {},', '  "readOnlyPort": 0']]);
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['authentication', 'webhook', 'enabled'], true)), [[], ['    },', '    "webhook": {', '      "enabled": true']]);
  const four = JSON.stringify({ a: { b: 1 } }, null, 4);
  assert.equal(edit(four, ['a', 'c'], [1, 2]), '{\n    "a": {\n        "b": 1,\n        "c": [\n            1,\n            2\n        ]\n    }\n}');
  assert.equal(edit('{\n\t"a": 1\n}', ['b'], { c: 'x' }), '{\n\t"a": 1,\n\t"b": {\n\t\t"c": "x"\n\t}\n}');
  // inline objects stay inline, in their own spacing
  assert.equal(edit('{"a":1}', ['b'], 2), '{"a":1,"b":2}');
  assert.equal(edit('{"a": 1, "c": 3}', ['b'], { d: [true] }), '{"a": 1, "c": 3, "b": {"d": [true]}}');
  assert.equal(edit('{"a":[1]}', ['a', 1], 2), '{"a":[1,2]}');
  // an empty object on its own line is opened over lines
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['memorySwap', 'swapBehavior'], 'NoSwap')), [['  "memorySwap": {}'], ['  "memorySwap": {', '    "swapBehavior": "NoSwap"', '  }']]);
  assert.equal(edit('{"m":{}}', ['m', 'k'], 1), '{"m":{"k":1}}');
  // null on the path is replaced
  assert.equal(edit('{"m": null}', ['m', 'k'], 1), '{"m": {"k": 1}}');
});

test('delete: the member and its comma go', () => {
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['memorySwap'], undefined)), [['  ],', '  "memorySwap": {}'], ['  ]']]);
  assert.deepEqual(changed(PRETTY, edit(PRETTY, ['kind'], undefined)), [['  "kind": "KubeletConfiguration",'], []]);
  assert.equal(edit('{"a": 1, "b": 2, "c": 3}', ['b'], undefined), '{"a": 1, "c": 3}');
  assert.equal(edit('{"a": 1, "b": 2}', ['a'], undefined), '{"b": 2}');
  assert.equal(edit('{"a": [1, 2, 3]}', ['a', 0], undefined), '{"a": [2, 3]}');
  assert.equal(edit('{"a": {"b": 1}}', ['a', 'b'], undefined), '{"a": {}}');
  assert.equal(edit('{"a": 1}', ['x', 'y'], undefined), '{"a": 1}');
});

test('CRLF, BOM, the final line break, an empty file', () => {
  const crlf = PRETTY.replace(/\n/g, '\r\n');
  const out = edit(crlf, ['authentication', 'x'], 1);
  assert.doesNotMatch(out, /[^\r]\n/);
  assert.ok(out.endsWith('}\r\n'));
  assert.equal(edit('\ufeff{"a":1}', ['b'], 2), '\ufeff{"a":1,"b":2}');
  assert.equal(edit('{"a":1}\n\n', ['a'], 2), '{"a":2}\n\n');
  assert.equal(edit('', ['a', 'b'], true), '{\n  "a": {\n    "b": true\n  }\n}\n');
});

test('refused: duplicates on the path, invalid JSON, a non-object, bad paths and values', () => {
  refused('{"a": 1, "a": 2}', ['a'], 3, /written 2 times/);
  refused('{"a": {"b": 1, "b": 2}}', ['a', 'b', 'c'], 3, /a\.b is written 2 times/);
  refused('{"a": 1,}', ['a'], 2, /not valid JSON/);
  refused('{"a": 1} x', ['a'], 2, /not valid JSON/);
  refused("{'a': 1}", ['a'], 2, /not valid JSON/);
  refused('{"a": 01}', ['a'], 2, /not valid JSON/);
  refused('[1]', ['a'], 2, /not an object/);
  refused('{"a": 5}', ['a', 'b'], 2, /not an object/);
  refused('{"a": [1]}', ['a', 3], 2, /1 items/);
  refused('{"a": 1}', ['a'], NaN, /not finite/);
  refused('{"a": 1}', ['a'], 1n, /bigint/);
  refused('{"a": 1}', [], 1, /empty path/);
  refused(`${'['.repeat(600)}${']'.repeat(600)}`, ['a'], 1, /deeply|deeper/);
  // a duplicate elsewhere does not matter to this path
  assert.equal(edit('{"x": 1, "x": 2, "a": 1}', ['a'], 2), '{"x": 1, "x": 2, "a": 2}');
});

// ---- Property test --------------------------------------------------------------------------------

function paths(v: unknown, p: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...p, i], ...paths(x, [...p, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...p, k], ...paths(x, [...p, k]));
  return out;
}
function at(v: unknown, p: Path): unknown {
  let cur = v;
  for (const s of p) cur = (cur as Record<string | number, unknown>)[s];
  return cur;
}

const rootArb = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
const valueArb = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));

test('property: setJsonPath changes exactly that path and the lines around it', () => {
  fc.assert(
    fc.property(rootArb, fc.constantFrom(0, 2, 4, '\t'), fc.boolean(), fc.boolean(), fc.nat(), fc.string({ maxLength: 4 }), valueArb, (root, indent, crlf, finalEol, pick, newKey, value) => {
      let text = JSON.stringify(root, null, indent);
      if (crlf) text = text.replace(/\n/g, '\r\n');
      if (finalEol) text += crlf ? '\r\n' : '\n';
      const before = JSON.parse(text) as unknown;
      const existing = paths(before);
      const containers: Path[] = [[], ...existing.filter((p) => { const x = at(before, p); return x !== null && typeof x === 'object'; })];
      let path: Path;
      let exists = true;
      if (pick % 3 !== 0 && existing.length > 0) path = existing[pick % existing.length]!;
      else {
        exists = false;
        const c = containers[pick % containers.length]!;
        const x = at(before, c);
        path = Array.isArray(x) ? [...c, x.length] : [...c, newKey];
        if (!Array.isArray(x) && Object.hasOwn(x as object, newKey)) exists = true;
      }
      const r = setJsonPath(text, path, value);
      assert.ok(r.ok, `${JSON.stringify(path)}: ${r.ok ? '' : r.why}`);
      const after = r.text;
      assert.deepEqual(JSON.parse(after), expectSet(before, path, value));
      if (crlf) assert.doesNotMatch(after, /(^|[^\r])\n/);
      assert.equal(/\n$/.test(after), finalEol);
      if (indent !== 0) {
        const [removed, added] = changed(text.replace(/\r/g, ''), after.replace(/\r/g, ''));
        const old = exists ? at(before, path) : undefined;
        const scalar = (x: unknown) => x === null || typeof x !== 'object' || Object.keys(x).length === 0;
        if (exists && value !== undefined && scalar(old) && scalar(value)) assert.ok(removed.length <= 1 && added.length <= 1, 'a scalar for a scalar changes one line');
        // an insertion changes at most the line before it (a comma) and one line an emptied {} opens
        if (!exists && value !== undefined) assert.ok(removed.length <= 1, `insertion removed ${JSON.stringify(removed)}`);
        if (value === undefined) assert.ok(added.length <= 1, `deletion added ${JSON.stringify(added)}`);
      }
    }),
    { numRuns: 1000, seed: 20261206 },
  );
});

// ---- Bad inputs ---------------------------------------------------------------------------------------

const CORPUS = [
  '', ' ', '\ufeff', '{', '}', '{}', '[]', 'null', '"x"', '{"a":1,}', '{"a" 1}', '{"a":1}}', '{"a":1} {"b":2}', '{"a":1,"a":2}',
  '{"__proto__":{"b":1}}', '{"a":"\u0000"}', '{"a":"\\ud800"}', '{"a":1e400}', '{"a":-0}', '{"a":[1,,2]}', '\ufeff{"a":1}\r\n',
  '{\r\n  "a": 1\r\n}', '{"a":1}\n\n\n', `{"a":${'['.repeat(700)}${']'.repeat(700)}}`, '{"a": {"b": [1, {"c": 2}]}}', '/* c */ {"a":1}', '{"a":1} // c',
  '{"a":NaN}', '{"a":0x1}', '{"a":"x\ny"}', '{"a":\'x\'}', '{"a":1}\u0000',
];
const PATHS: Path[] = [['a'], ['a', 'b'], ['a', 0], ['a', 'b', 1, 'c'], ['__proto__', 'b'], ['z']];
const VALUES: unknown[] = [undefined, 1, 'x', null, [], {}, ['p'], { q: [1] }];

test('bad-input corpus: a refusal with a reason or a correct edit, never a throw', () => {
  let ok = 0;
  let no = 0;
  for (const text of CORPUS) {
    let before: unknown;
    try {
      before = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch {
      before = undefined;
    }
    for (const path of PATHS) {
      for (const value of VALUES) {
        let r;
        try {
          r = setJsonPath(text, path, value);
        } catch (e) {
          assert.fail(`${JSON.stringify(text.slice(0, 40))} ${JSON.stringify(path)}: threw ${String(e)}`);
        }
        if (!r.ok) {
          assert.ok(r.why.length > 10 && !/\[object/.test(r.why), r.why);
          no++;
          continue;
        }
        ok++;
        if (before === undefined) {
          assert.equal(text.replace(/^\ufeff/, '').trim(), '', `edited invalid JSON ${JSON.stringify(text)}`);
          continue;
        }
        assert.deepEqual(JSON.parse(r.text.replace(/^\ufeff/, '')), expectSet(before, path, value), `${text} ${JSON.stringify(path)}`);
      }
    }
  }
  assert.ok(ok > 50 && no > 50, `${ok} edits, ${no} refusals`);
});

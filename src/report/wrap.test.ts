// Wrapping: cuts only between words, never inside a path, a flag, a setting or command text; loses
// no character; keeps to the width unless one word alone is wider; never starts a line like a row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reportWidth, units, visibleWidth, wrapLine, wrapText } from './wrap.ts';

const noSpace = (s: string) => s.replace(/\s+/g, '');

const WORDS = [
  'the', 'kubelet', 'a', 'serves', 'PASS', 'FAIL', '4.2.1', 'high', 'fix:', '-', '(see', 'it)', 'é語',
  '/var/lib/kubelet/config.yaml', '/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--anonymous-auth=false',
  '--kubelet-certificate-authority', 'readOnlyPort=0', 'https://10.0.0.5:10250/configz',
  '`systemctl restart kubelet`', '`--read-only-port=0`', '(systemctl daemon-reload && systemctl restart kubelet).',
  '"kubectl get csr"', `/${'very-long-segment/'.repeat(12)}file.conf`, '\u001b[2m', '\u001b[22m',
];
/** Tokens that must come out whole, on one line. */
const isProtected = (w: string) => /[/=`"]|--|\(systemctl/.test(w);

const lineArb = fc.tuple(fc.nat({ max: 6 }), fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(' ', '  ', '   ')), { minLength: 1, maxLength: 40 }))
  .map(([indent, ws]) => ({ words: ws.map(([w]) => w), line: ' '.repeat(indent) + ws.map(([w, sep], i) => (i === 0 ? w : sep + w)).join('') }));

test('property: wrapping loses no character, never splits a path, flag or command, and keeps to the width', () => {
  fc.assert(
    fc.property(lineArb, fc.integer({ min: 20, max: 200 }), ({ words, line }, width) => {
      const out = wrapLine(line, width);
      assert.equal(noSpace(out.join('\n')), noSpace(line), 'no character lost or added');
      for (const w of words.filter(isProtected)) {
        assert.ok(out.some((l) => l.includes(w)), `${JSON.stringify(w)} split across lines: ${JSON.stringify(out)}`);
      }
      for (const [i, l] of out.entries()) {
        // wider than the width only when the line holds a single unit (after its indent)
        if (visibleWidth(l) > width) assert.equal(units(l.trimStart()).length, 1, `line ${i} too wide: ${JSON.stringify(l)}`);
        // a continuation never starts with a word a row starts with
        if (i > 0) assert.ok(!/^\s*(PASS|FAIL|UNKN|N\/A|-|\d+(\.\d+)+|critical|high|medium|low|info|fix:)(\s|$)/.test(l.replace(/\u001b\[[0-9;]*m/g, '')), `a row-like continuation: ${JSON.stringify(l)}`);
        if (i > 0) assert.ok(l.startsWith(' '), 'a continuation is indented');
      }
    }),
    { numRuns: 3000 },
  );
});

test('a word longer than the width goes on a line of its own, unbroken', () => {
  const long = `/etc/${'x'.repeat(120)}/kubelet.conf`;
  const out = wrapLine(`  fix: remove ${long} and restart`, 40);
  assert.deepEqual(out, ['  fix: remove', `    ${long}`, '    and restart']);
});

test('backquoted and quoted command text and a parenthesised command stay on one line', () => {
  const line = '    fix: set it; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet) or run `kubectl certificate approve csr-1` as "cluster admin"';
  for (const width of [40, 60, 80]) {
    const out = wrapLine(line, width);
    assert.ok(out.some((l) => l.includes('(systemctl daemon-reload && systemctl restart kubelet)')), JSON.stringify(out));
    assert.ok(out.some((l) => l.includes('`kubectl certificate approve csr-1`')), JSON.stringify(out));
    assert.ok(out.some((l) => l.includes('"cluster admin"')), JSON.stringify(out));
  }
  // an apostrophe inside a word opens no quote
  assert.deepEqual(units("the node's kubelet's port").map((u) => u.word), ["the", "node's", "kubelet's", 'port']);
});

test('colour sequences take no width', () => {
  const line = `  \u001b[31mFAIL\u001b[39m  ${'word '.repeat(15).trim()}`;
  assert.equal(visibleWidth(line), 2 + 4 + 2 + 74);
  for (const l of wrapLine(line, 40)) assert.ok(visibleWidth(l) <= 40, l);
});

test('aligned columns stay aligned on a line that is not cut; short lines are untouched', () => {
  assert.deepEqual(wrapLine('  PASS  4.1.1   medium   Title', 80), ['  PASS  4.1.1   medium   Title']);
  assert.equal(wrapText('a\n\n  b c\n', 20), 'a\n\n  b c\n');
  const out = wrapLine(`  N/A   4.2.5   medium   ${'long title '.repeat(8).trim()}`, 40);
  assert.equal(out[0], '  N/A   4.2.5   medium   long title long');
});

test('the width: the terminal\'s on a TTY, else 100; never below 20', () => {
  assert.equal(reportWidth({ isTTY: true, columns: 132 }), 132);
  assert.equal(reportWidth({ isTTY: false, columns: 132 }), 100);
  assert.equal(reportWidth({}), 100);
  assert.equal(reportWidth({ isTTY: true, columns: 0 }), 100);
  assert.equal(reportWidth({ isTTY: true, columns: 8 }), 20);
});

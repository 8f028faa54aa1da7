// The edits are proven with the project's real systemd reconstruction (src/sources/systemd-unit.ts):
// a unit, a drop-in and environment files in a temporary node tree, and the kubelet's argv read
// back before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RootFs } from '../sources/root-fs.ts';
import { reconstructUnit } from '../sources/systemd-unit.ts';
import { DROPIN, KUBEADM_DROPIN, nodeTree, UNIT } from '../../test/node-tree.ts';
import { appendWordAfter, replaceWord } from './edit-words.ts';
import type { EditResult } from './edit-result.ts';

const FLAGS = '/var/lib/kubelet/kubeadm-flags.env';
const DEFAULTS = '/etc/default/kubelet';
const BASE_UNIT = '[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n';

function argv(files: Record<string, string>): string[] {
  const r = reconstructUnit(new RootFs(nodeTree(files)));
  assert.equal(r.missing, undefined, r.missing);
  assert.deepEqual(r.diagnostics.filter((d) => d.fatal), []);
  return r.argv.map((a) => a.text);
}

function ok(r: EditResult): string {
  assert.ok(r.ok, r.ok ? '' : r.why);
  return r.text;
}
function no(r: EditResult, why: RegExp): void {
  assert.equal(r.ok, false, JSON.stringify(r));
  if (!r.ok) assert.match(r.why, why);
}

/** Only `line` (1-based) differs between a and b, line counts equal. */
function onlyLine(a: string, b: string, line: number): void {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (i !== line - 1) assert.equal(y[i], x[i], `line ${i + 1} changed`);
}

const KUBEADM = (flags: string, defaults = 'KUBELET_EXTRA_ARGS=\n', dropin = KUBEADM_DROPIN): Record<string, string> => ({
  [UNIT]: BASE_UNIT,
  [DROPIN]: dropin,
  [FLAGS]: flags,
  [DEFAULTS]: defaults,
});
const HEAD = ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml'];

test('kubeadm-flags.env: a word replaced, removed, added, as systemd builds the argv', () => {
  const flags = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10 --read-only-port=10255"\n';
  assert.deepEqual(argv(KUBEADM(flags)), [...HEAD, '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', '--pod-infra-container-image=registry.k8s.io/pause:3.10', '--read-only-port=10255']);

  const replaced = ok(replaceWord(flags, 1, '--read-only-port=10255', '--read-only-port=0'));
  assert.equal(replaced, flags.replace('10255', '0'));
  assert.deepEqual(argv(KUBEADM(replaced)), [...HEAD, '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', '--pod-infra-container-image=registry.k8s.io/pause:3.10', '--read-only-port=0']);

  const removed = ok(replaceWord(flags, 1, '--read-only-port=10255', null));
  assert.deepEqual(argv(KUBEADM(removed)), [...HEAD, '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', '--pod-infra-container-image=registry.k8s.io/pause:3.10']);
  const first = ok(replaceWord(flags, 1, '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', null));
  assert.equal(first, 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10 --read-only-port=10255"\n');

  const added = ok(appendWordAfter(flags, 1, '--pod-infra-container-image=registry.k8s.io/pause:3.10', '--anonymous-auth=false'));
  assert.deepEqual(argv(KUBEADM(added)), [...HEAD, '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', '--pod-infra-container-image=registry.k8s.io/pause:3.10', '--anonymous-auth=false', '--read-only-port=10255']);
  const atEnd = ok(appendWordAfter(flags, 1, '--read-only-port=10255', '--anonymous-auth=false'));
  assert.equal(atEnd, flags.replace('10255"', '10255 --anonymous-auth=false"'));
});

test('/etc/default/kubelet: a word added to an empty KUBELET_EXTRA_ARGS=, then after it', () => {
  const flags = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n';
  for (const [defaults, want] of [
    ['KUBELET_EXTRA_ARGS=\n', 'KUBELET_EXTRA_ARGS=--read-only-port=0\n'],
    ['# extra flags\nKUBELET_EXTRA_ARGS=""\n', '# extra flags\nKUBELET_EXTRA_ARGS="--read-only-port=0"\n'],
    ['KUBELET_EXTRA_ARGS=--v=2\n', 'KUBELET_EXTRA_ARGS=--read-only-port=0 --v=2\n'],
  ] as const) {
    const line = defaults.startsWith('#') ? 2 : 1;
    const out = ok(appendWordAfter(defaults, line, 'KUBELET_EXTRA_ARGS=', '--read-only-port=0'));
    assert.equal(out, want);
    onlyLine(defaults, out, line);
    const a = argv(KUBEADM(flags, out));
    assert.equal(a.filter((w) => w === '--read-only-port=0').length, 1);
    assert.deepEqual(a.filter((w) => w !== '--read-only-port=0'), argv(KUBEADM(flags, defaults)));
  }
  const out = ok(appendWordAfter('KUBELET_EXTRA_ARGS=--v=2\n', 1, '--v=2', '--read-only-port=0'));
  assert.deepEqual(argv(KUBEADM(flags, out)).slice(-2), ['--v=2', '--read-only-port=0']);
});

test('ExecStart= with continuation lines, and Environment= in a drop-in', () => {
  const dropin = `[Service]
Environment="KUBELET_EXTRA_ARGS=--max-pods=110 --v=2"
ExecStart=
ExecStart=/usr/bin/kubelet \\
  --read-only-port=10255 \\
  "--anonymous-auth=true" \\
  --kubeconfig=/etc/kubernetes/kubelet.conf $KUBELET_EXTRA_ARGS
`;
  const files = (d: string) => ({ [UNIT]: BASE_UNIT, [DROPIN]: d });
  const before = argv(files(dropin));
  assert.deepEqual(before, ['/usr/bin/kubelet', '--read-only-port=10255', '--anonymous-auth=true', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--max-pods=110', '--v=2']);

  const a = ok(replaceWord(dropin, 5, '--read-only-port=10255', '--read-only-port=0'));
  onlyLine(dropin, a, 5);
  assert.deepEqual(argv(files(a)), before.map((w) => (w === '--read-only-port=10255' ? '--read-only-port=0' : w)));

  // a word in its own quotes goes with its quotes
  const b = ok(replaceWord(dropin, 6, '--anonymous-auth=true', null));
  assert.ok(b.includes('\n  \\\n'), b);
  assert.deepEqual(argv(files(b)), before.filter((w) => w !== '--anonymous-auth=true'));
  const b2 = ok(replaceWord(dropin, 6, '--anonymous-auth=true', '--anonymous-auth=false'));
  assert.ok(b2.includes('"--anonymous-auth=false"'));
  assert.deepEqual(argv(files(b2)), before.map((w) => (w === '--anonymous-auth=true' ? '--anonymous-auth=false' : w)));

  // added after a word in its own quotes: after the closing quote, a word of its own
  const c = ok(appendWordAfter(dropin, 6, '--anonymous-auth=true', '--authorization-mode=Webhook'));
  assert.deepEqual(argv(files(c)), ['/usr/bin/kubelet', '--read-only-port=10255', '--anonymous-auth=true', '--authorization-mode=Webhook', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--max-pods=110', '--v=2']);

  // Environment=: inside its quotes
  const d = ok(replaceWord(dropin, 2, '--v=2', null));
  assert.equal(d.split('\n')[1], 'Environment="KUBELET_EXTRA_ARGS=--max-pods=110"');
  assert.deepEqual(argv(files(d)), before.filter((w) => w !== '--v=2'));
  const e = ok(replaceWord(dropin, 2, '--max-pods=110', null));
  assert.deepEqual(argv(files(e)), before.filter((w) => w !== '--max-pods=110'));
  const f = ok(appendWordAfter(dropin, 2, '--v=2', '--rotate-certificates=true'));
  assert.deepEqual(argv(files(f)), [...before, '--rotate-certificates=true']);

  // the first word of the last continuation line; a $VAR is not a word the kubelet gets
  const g = ok(replaceWord(dropin, 7, '--kubeconfig=/etc/kubernetes/kubelet.conf', null));
  assert.equal(g.split('\n')[6], '  $KUBELET_EXTRA_ARGS');
  assert.deepEqual(argv(files(g)), before.filter((w) => !w.startsWith('--kubeconfig')));
  no(replaceWord(dropin, 7, '$KUBELET_EXTRA_ARGS', null), /quoting or escaping/);
});

test('CRLF lines keep their line break', () => {
  const text = 'A=1\r\nKUBELET_EXTRA_ARGS="--a=b --c=d"\r\n';
  assert.equal(ok(replaceWord(text, 2, '--c=d', '--c=e')), 'A=1\r\nKUBELET_EXTRA_ARGS="--a=b --c=e"\r\n');
  assert.equal(ok(replaceWord(text, 2, '--c=d', null)), 'A=1\r\nKUBELET_EXTRA_ARGS="--a=b"\r\n');
  assert.equal(ok(appendWordAfter(text, 2, '--c=d', '--e=f')), 'A=1\r\nKUBELET_EXTRA_ARGS="--a=b --c=d --e=f"\r\n');
});

test('refused: not found, found twice, quoted or escaped, words needing quotes, comments, the program', () => {
  const env = 'KUBELET_KUBEADM_ARGS="--a=b --c=d --a=b"\n# --x=y\n';
  no(replaceWord(env, 1, '--a=b', '--a=c'), /2 times/);
  no(replaceWord(env, 1, '--e=f', '--a=c'), /not written as a word/);
  no(replaceWord(env, 1, '--c', '--a=c'), /not written as a word/); // a prefix is no word
  no(replaceWord(env, 2, '--x=y', null), /comment/);
  no(replaceWord(env, 9, '--x=y', null), /no line 9/);
  no(replaceWord(env, 1, '--c=d', '--c=$HOME'), /quoting or escaping/);
  no(replaceWord(env, 1, '--c=d', '--c=%n'), /quoting or escaping/);
  no(replaceWord(env, 1, '--c=d', '--c=a b'), /quoting or escaping/);
  no(replaceWord(env, 1, '--c=d', '--c="x"'), /quoting or escaping/);
  no(replaceWord(env, 1, '--c=d', ''), /empty/);
  no(replaceWord(env, 1, 'a b', null), /quoting/);
  no(appendWordAfter(env, 1, '--c=d', '--x=\\y'), /quoting or escaping/);
  // written with an escape or a quote inside the word: not the word the kubelet gets
  no(replaceWord('ExecStart=/usr/bin/kubelet --a\\=b\n', 1, '--a=b', null), /not written as a word/);
  no(replaceWord('ExecStart=/usr/bin/kubelet --a="b"\n', 1, '--a=b', null), /not written as a word/);
  no(replaceWord('ExecStart=/usr/bin/kubelet x"--a=b"\n', 1, '--a=b', null), /not written as a word/);
  // `=` bounds a word only after an assignment's name, not inside a word such as foo=bar
  no(replaceWord('ExecStart=/usr/bin/kubelet foo=bar\n', 1, 'bar', null), /not written as a word/);
  no(replaceWord('Environment="ARGS=--a foo=bar"\n', 1, 'bar', null), /not written as a word/);
  assert.equal(ok(replaceWord('Environment="A=1" B=--x=y\n', 1, '--x=y', '--x=z')), 'Environment="A=1" B=--x=z\n');
  // in ExecStart= quotes make one argument: a word inside it is not an argument of its own
  no(replaceWord('ExecStart=/usr/bin/kubelet "--a=b --c=d"\n', 1, '--c=d', null), /quoted together/);
  no(replaceWord('ExecStart=/usr/bin/kubelet \\\n  "--a=b --c=d"\n', 2, '--a=b', null), /quoted together/);
  no(replaceWord('ExecStart=/usr/bin/kubelet --a=b\n', 1, '/usr/bin/kubelet', null), /program/);
  no(replaceWord('A=1\rB="--a=b"\r', 2, '--a=b', null), /carriage return/);
  no(appendWordAfter('KUBELET_EXTRA_ARGS=\nKUBELET_EXTRA_ARGS=\n', 1, 'OTHER=', '--a=b'), /0 times/);
});

// ---- Property test: random kubelet command lines in kubeadm-flags.env and a drop-in ----------------

const wordArb = fc.stringMatching(/^--[a-z]{1,8}(-[a-z]{1,6})?=[A-Za-z0-9_.,:/@+-]{1,10}$/);

test('property: replaceWord/appendWordAfter change exactly that word of the argv systemd builds', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(wordArb, { minLength: 1, maxLength: 6 }),
      fc.constantFrom('env-dq', 'env-sq', 'env-plain', 'environment', 'execstart'),
      fc.nat(),
      fc.constantFrom('replace', 'remove', 'append'),
      wordArb,
      fc.boolean(),
      (words, where, pick, op, fresh, crlf) => {
        fc.pre(!words.includes(fresh));
        const target = words[pick % words.length]!;
        let file: string;
        let text: string;
        let line: number;
        if (where.startsWith('env')) {
          file = FLAGS;
          const v = words.join(' ');
          text = `# written by kubeadm\nKUBELET_KUBEADM_ARGS=${where === 'env-dq' ? `"${v}"` : where === 'env-sq' ? `'${v}'` : v}\n`;
          line = 2;
        } else if (where === 'environment') {
          file = DROPIN;
          text = KUBEADM_DROPIN.replace('[Service]\n', `[Service]\nEnvironment="KUBELET_KUBEADM_ARGS=${words.join(' ')}"\n`).replace('EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n', '');
          line = 2;
        } else {
          file = DROPIN;
          // one word per continuation line, some in their own quotes
          const cont = words.map((w, i) => `  ${i % 2 ? `"${w}"` : w}`).join(' \\\n');
          text = `[Service]\nExecStart=\nExecStart=/usr/bin/kubelet \\\n${cont}\n`;
          line = 4 + (pick % words.length);
        }
        if (crlf && file === FLAGS) text = text.replace(/\n/g, '\r\n');
        const files = { [UNIT]: BASE_UNIT, [DROPIN]: KUBEADM_DROPIN, [FLAGS]: 'KUBELET_KUBEADM_ARGS=\n', [DEFAULTS]: 'KUBELET_EXTRA_ARGS=\n', [file]: text };
        const before = argv(files);
        const r = op === 'replace' ? replaceWord(text, line, target, fresh) : op === 'remove' ? replaceWord(text, line, target, null) : appendWordAfter(text, line, target, fresh);
        const after = argv({ ...files, [file]: ok(r) });
        const i = before.indexOf(target);
        assert.ok(i > 0);
        const want = [...before];
        if (op === 'replace') want[i] = fresh;
        else if (op === 'remove') want.splice(i, 1);
        else want.splice(i + 1, 0, fresh);
        assert.deepEqual(after, want);
        // one physical line changed
        onlyLine(text, ok(r), line);
        if (crlf && file === FLAGS) assert.doesNotMatch(ok(r), /(^|[^\r])\n/);
      },
    ),
    { numRuns: 600, seed: 20261206 },
  );
});

// ---- Bad inputs ---------------------------------------------------------------------------------------

test('bad-input corpus: never a throw; an edit only where the word stands alone', () => {
  const texts = ['', '\n', '\0', 'x\r', 'ExecStart=\\', 'ExecStart="', "A='--a=b", 'A="--a=b\\"', '\ufeffA=--a=b', `A=${'--a=b '.repeat(5000)}`, 'A=--a=b\\\n--a=b', '  ; --a=b', '[Service]\nExecStart=/bin/k "--a=b\n', 'A=--a=b\u2028B=1'];
  const lines = [0, 1, 2, -1, 1.5, Number.NaN, 1e9];
  let edits = 0;
  for (const t of texts) {
    for (const l of lines) {
      for (const [from, to] of [['--a=b', '--a=c'], ['--a=b', null], ['', 'x'], ['--a=b', '$x']] as const) {
        for (const r of [replaceWord(t, l, from, to), appendWordAfter(t, l, from, to ?? '--z=1'), appendWordAfter(t, l, 'A=', '--z=1')]) {
          if (r.ok) {
            edits++;
            // outside the one line nothing changed
            const a = t.split('\n');
            const b = r.text.split('\n');
            assert.equal(a.length, b.length);
            a.forEach((x, i) => (i === l - 1 ? undefined : assert.equal(b[i], x)));
          } else assert.ok(r.why.length > 10, r.why);
        }
      }
    }
  }
  assert.ok(edits > 0);
});

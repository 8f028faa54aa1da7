import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGoBool, parseGoInt, parsePflags } from './pflag.ts';
import type { Arg } from '../facts/types.ts';

const args = (...words: string[]): Arg[] => words.map((text, i) => ({ text, file: '/u', line: i + 1 }));

test('--f=v, --f v, bare booleans, and the last repeated flag wins', () => {
  const r = parsePflags(args('--read-only-port', '0', '--anonymous-auth', '--read-only-port=10255', '--kubeconfig=/k'));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.flags.map((f) => [f.name, f.value, f.line]), [
    ['read-only-port', '0', 1],
    ['anonymous-auth', 'true', 3],
    ['read-only-port', '10255', 4],
    ['kubeconfig', '/k', 5],
  ]);
});

test('a bool flag does not take the next word: "--anonymous-auth false" leaves a positional argument', () => {
  const r = parsePflags(args('--anonymous-auth', 'false'));
  assert.equal(r.flags[0]?.value, 'true');
  assert.equal(r.diagnostics[0]?.fatal, true);
  assert.match(r.diagnostics[0]!.message, /unexpected argument "false"/);
});

test('a non-bool flag takes the next word even if it looks like a flag', () => {
  const r = parsePflags(args('--hostname-override', '--anonymous-auth'));
  assert.deepEqual(r.flags.map((f) => [f.name, f.value]), [['hostname-override', '--anonymous-auth']]);
});

test('underscores normalize to dashes; -v is the shorthand of --v', () => {
  const r = parsePflags(args('--read_only_port=0', '-v=2', '-v', '3'));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.flags.map((f) => [f.name, f.value]), [['read-only-port', '0'], ['v', '2'], ['v', '3']]);
});

test('unknown flags, missing values and invalid values stop the kubelet', () => {
  const r = parsePflags(args('--no-such-flag=1', '--read-only-port=abc', '--anonymous-auth=maybe', '--streaming-connection-idle-timeout=5', '--kubeconfig'));
  assert.equal(r.diagnostics.length, 5);
  assert.ok(r.diagnostics.every((d) => d.fatal && d.file === '/u'));
});

test('strconv.ParseBool and ParseInt(s, 0, 64)', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false);
  for (const bad of ['yes', 'on', 'tRue', '']) assert.equal(parseGoBool(bad), undefined);
  assert.equal(parseGoInt('10255'), 10255);
  assert.equal(parseGoInt('0x10'), 16);
  assert.equal(parseGoInt('010'), 8);
  assert.equal(parseGoInt('-1'), -1);
  assert.equal(parseGoInt('1_000'), undefined);
  assert.equal(parseGoInt('0x_10'), 16);
  assert.equal(parseGoInt('12a'), undefined);
});

test('property: any argv parses without throwing', () => {
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 20 }), (words) => {
    parsePflags(args(...words));
  }));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatGoDuration, normalizeGoDuration, parseGoDuration } from './go-duration.ts';

test('parses and prints like Go', () => {
  const cases: Array<[string, string | undefined]> = [
    ['0', '0s'],
    ['0s', '0s'],
    ['4h', '4h0m0s'],
    ['4h0m0s', '4h0m0s'],
    ['5m', '5m0s'],
    ['30s', '30s'],
    ['1.5h', '1h30m0s'],
    ['100ms', '100ms'],
    ['1us', '1µs'],
    ['1µs', '1µs'],
    ['-2m3s', '-2m3s'],
    ['2h45m', '2h45m0s'],
    ['.5s', '500ms'],
    ['1.s', '1s'],
    ['', undefined],
    ['5', undefined],
    ['5 m', undefined],
    ['m', undefined],
    ['.s', undefined],
    ['1d', undefined],
    ['9999999999h', undefined],
  ];
  for (const [input, want] of cases) assert.equal(normalizeGoDuration(input), want, input);
});

test('property: format then parse is the identity on nanoseconds', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 62n), max: 1n << 62n }), (ns) => {
      assert.equal(parseGoDuration(formatGoDuration(ns)), ns);
    }),
  );
});

test('property: parsing arbitrary text never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => {
    parseGoDuration(s);
  }));
});

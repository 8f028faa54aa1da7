import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareVersions, describeRange, formatVersion, inRange, parseVersion, type Version } from './semver.ts';

test('parses the ways the evidence writes a kubelet version', () => {
  const want = { major: 1, minor: 31, patch: 2 };
  for (const s of ['1.31.2', 'v1.31.2', '1.31.2-1.1', '1:1.31.2-1.1', 'v1.31.2+k3s1', 'v1.31.2-eks-1a2b3c', ' v1.31.2\n', '1.31.2-00']) {
    assert.deepEqual(parseVersion(s), want, s);
  }
  assert.deepEqual(parseVersion('v1.32.0-rc.1'), { major: 1, minor: 32, patch: 0, pre: ['rc', 1] });
  assert.deepEqual(parseVersion('v1.33.0-alpha.2+abc'), { major: 1, minor: 33, patch: 0, pre: ['alpha', 2] });
});

test('refuses what is not a version', () => {
  for (const s of ['', 'kubelet', '1.31', 'v1', '1.31.x', '01.2.3', '1.2.3x', 'vv1.2.3', 'Kubernetes v1.31.2']) assert.equal(parseVersion(s), undefined, s);
});

test('orders patch, minor, major numerically, pre-releases before the release', () => {
  const order = ['1.9.0', '1.10.0-alpha.1', '1.10.0-alpha.2', '1.10.0-beta.0', '1.10.0-rc.1', '1.10.0', '1.10.1', '1.10.10', '1.29.14', '1.30.0', '2.0.0'];
  for (let i = 1; i < order.length; i++) {
    assert.ok(compareVersions(parseVersion(order[i - 1]!)!, parseVersion(order[i]!)!) < 0, `${order[i - 1]} < ${order[i]}`);
  }
  assert.equal(compareVersions(parseVersion('1.31.2-1.1')!, parseVersion('v1.31.2')!), 0);
});

test('ranges: inclusive through, exclusive before, open bounds', () => {
  const v = (s: string) => parseVersion(s)!;
  assert.ok(inRange(v('1.30.9'), { from: '1.30.0', through: '1.30.9' }));
  assert.ok(!inRange(v('1.30.10'), { from: '1.30.0', through: '1.30.9' }));
  assert.ok(!inRange(v('1.29.99'), { from: '1.30.0', through: '1.30.9' }));
  assert.ok(inRange(v('1.20.0'), { through: '1.29.12' }));
  assert.ok(inRange(v('1.35.4'), { before: '1.36.0' }));
  assert.ok(!inRange(v('1.36.0'), { before: '1.36.0' }));
  assert.ok(inRange(v('1.36.0-rc.1'), { before: '1.36.0' }), 'a pre-release precedes its release');
  assert.equal(describeRange({ from: '1.30.0', through: '1.30.9' }), '1.30.0–1.30.9');
  assert.equal(describeRange({ through: '1.29.12' }), '≤ 1.29.12');
  assert.equal(describeRange({ from: '1.32.0', through: '1.32.0' }), '1.32.0');
});

const arbVersion: fc.Arbitrary<Version> = fc
  .record({
    major: fc.nat(40),
    minor: fc.nat(60),
    patch: fc.nat(60),
    pre: fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'rc'), fc.nat(9)), { nil: undefined }),
  })
  .map(({ pre, ...v }) => (pre ? { ...v, pre: [...pre] } : v));

test('property: parse(format(v)) is v', () => {
  fc.assert(fc.property(arbVersion, (v) => assert.deepEqual(parseVersion(formatVersion(v)), v)));
});

test('property: a "v" prefix, an epoch and a packaging revision do not change a release', () => {
  const release = arbVersion.map(({ pre: _pre, ...v }) => v);
  fc.assert(
    fc.property(release, fc.nat(3), fc.nat(9), fc.nat(9), (v, epoch, r1, r2) => {
      const s = formatVersion(v);
      for (const t of [`v${s}`, `${epoch}:${s}-${r1}.${r2}`, `${s}-${r1}.${r2}`, `v${s}+k3s${r1}`]) assert.deepEqual(parseVersion(t), v, t);
    }),
  );
});

test('property: compare is a total order (reflexive, antisymmetric, transitive)', () => {
  const sign = (n: number) => Math.sign(n);
  fc.assert(
    fc.property(arbVersion, arbVersion, arbVersion, (a, b, c) => {
      assert.equal(compareVersions(a, a), 0);
      assert.equal(sign(compareVersions(a, b)), -sign(compareVersions(b, a)));
      if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
    }),
  );
});

test('property: compare agrees with numeric (major, minor, patch) order for releases', () => {
  const release = arbVersion.map(({ pre: _pre, ...v }) => v);
  fc.assert(
    fc.property(release, release, (a, b) => {
      const key = (v: Version) => v.major * 1e6 + v.minor * 1e3 + v.patch;
      assert.equal(Math.sign(compareVersions(a, b)), Math.sign(key(a) - key(b)));
    }),
  );
});

test('property: a range [from, through] holds exactly the versions between its bounds', () => {
  fc.assert(
    fc.property(arbVersion, arbVersion, arbVersion, (x, lo, hi) => {
      const r = { from: formatVersion(lo), through: formatVersion(hi) };
      const want = compareVersions(x, lo) >= 0 && compareVersions(x, hi) <= 0;
      assert.equal(inRange(x, r), want);
    }),
  );
});

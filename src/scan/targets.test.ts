import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  checkSweepSize,
  countAddresses,
  expandTargetArgs,
  formatIPv4,
  formatIPv6,
  iterateAddresses,
  parseIPv6,
  parsePorts,
  parseTargetList,
  parseTargetSpec,
  readTargetStream,
  SWEEP_LIMIT,
  TargetPlan,
  type TargetSet,
} from './targets.ts';

function target(spec: string): TargetSet {
  const r = parseTargetSpec(spec);
  assert.ok(r.ok, `${spec}: ${r.ok ? '' : r.error}`);
  return r.target;
}
function error(spec: string): string {
  const r = parseTargetSpec(spec);
  assert.ok(!r.ok, `${spec} should be refused`);
  return r.error;
}
const all = (...specs: string[]) => [...iterateAddresses(specs.map(target))];

test('IPv4 addresses, CIDRs and ranges', () => {
  assert.deepEqual(all('10.0.0.1'), ['10.0.0.1']);
  assert.deepEqual(all('10.0.0.1-3'), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  assert.deepEqual(all('10.0.0.254-10.0.1.1'), ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
  // network and broadcast addresses are included: a kubelet can sit on either
  assert.deepEqual(all('192.168.1.0/30'), ['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3']);
  assert.deepEqual(all('192.168.1.7/31'), ['192.168.1.6', '192.168.1.7']);
  assert.deepEqual(all('192.168.1.7/32'), ['192.168.1.7']);
  assert.deepEqual(all('10.0.0.5/30'), ['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7'], 'host bits set: the whole network, as nmap does');
  assert.equal(countAddresses([target('0.0.0.0/0')]), 1n << 32n);
  assert.equal(countAddresses([target('255.255.255.255')]), 1n);
});

test('IPv6 addresses, CIDRs and ranges, printed per RFC 5952', () => {
  assert.deepEqual(all('::1'), ['::1']);
  assert.deepEqual(all('[::1]'), ['::1']);
  assert.deepEqual(all('2001:DB8:0:0:0:0:0:1'), ['2001:db8::1']);
  assert.deepEqual(all('2001:db8::/126'), ['2001:db8::', '2001:db8::1', '2001:db8::2', '2001:db8::3']);
  assert.deepEqual(all('2001:db8::fe-101'), ['2001:db8::fe', '2001:db8::ff', '2001:db8::100', '2001:db8::101']);
  assert.deepEqual(all('2001:db8::ffff-2001:db8::1:0'), ['2001:db8::ffff', '2001:db8::1:0']);
  assert.deepEqual(all('fe80::1%eth0'), ['fe80::1%eth0']);
  assert.deepEqual(all('::ffff:10.0.0.1'), ['::ffff:10.0.0.1']);
  assert.equal(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3') as bigint), '1:0:0:2::3', 'the longest zero run');
  assert.equal(formatIPv6(parseIPv6('1:0:2:3:4:5:6:7') as bigint), '1:0:2:3:4:5:6:7', 'a single zero group stays');
  assert.equal(parseIPv6('1:2:3:4:5:6:1.2.3.4'), 0x0001_0002_0003_0004_0005_0006_0102_0304n);
  assert.equal(countAddresses([target('2001:db8::/64')]), 1n << 64n);
});

test('host names stay names', () => {
  assert.deepEqual(target('node-1.example.com'), { kind: 'name', spec: 'node-1.example.com', name: 'node-1.example.com' });
  assert.equal(target('10-web').kind, 'name');
  assert.equal(target('localhost').kind, 'name');
  assert.deepEqual(all('Node-1', 'node-1.', 'node-2'), ['Node-1', 'node-2'], 'deduplicated case-insensitively');
});

test('clear messages for bad specs', () => {
  assert.equal(error('10.0.0.0/33'), '10.0.0.0/33: prefix length must be 0–32');
  assert.equal(error('2001:db8::/129'), '2001:db8::/129: prefix length must be 0–128');
  assert.equal(error('10.0.0.0/'), '10.0.0.0/: prefix length must be 0–32');
  assert.match(error('10.0.0.256'), /octet '256' is not a number from 0 to 255/);
  assert.match(error('010.0.0.1'), /leading zero/);
  assert.match(error('10.0.0'), /four octets/);
  assert.match(error('10.0.0.20-10'), /ends before it starts/);
  assert.match(error('10.0.0.1-256'), /not an octet/);
  assert.match(error('10.0.0.1-'), /no end/);
  assert.match(error('1::2::3'), /'::' may appear only once/);
  assert.match(error('fe80::/64%eth0'), /zone/);
  assert.match(error('bücher.de'), /ASCII/);
  assert.match(error('-x'), /not an address, CIDR, range or host name/);
  assert.match(error('@targets.txt'), /list of targets/);
  assert.equal(error(''), 'empty target');
  assert.match(error('a\x1bb c'), /a\\x1bb c: contains white space/, 'control characters are escaped in messages');
});

test('lists of targets: comments, blank lines, line numbers in errors', async () => {
  const text = '# control plane\n10.0.0.1\n\n10.0.0.2-3   # workers\r\nnode-9, 10.0.1.0/31\n';
  const r = parseTargetList(text, 'hosts.txt');
  assert.ok(r.ok);
  assert.deepEqual([...iterateAddresses(r.targets)], ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.0', '10.0.1.1', 'node-9']);
  const bad = parseTargetList('10.0.0.1\n10.0.0.0/33\n@other\n', 'hosts.txt');
  assert.deepEqual(bad, { ok: false, errors: ['hosts.txt:2: 10.0.0.0/33: prefix length must be 0–32', 'hosts.txt:3: @other: a list of targets cannot include another list'] });
  // the same from a stream, split at awkward places
  const chunks = ['# x\n10.0.', '0.1\n\n10.0', '.0.2-3 # y\r\nnode-9, 10.0.1.0/31'];
  const s = await readTargetStream(Readable.from(chunks.map((c) => Buffer.from(c))), 'stdin');
  assert.ok(s.ok);
  assert.deepEqual([...iterateAddresses(s.targets)], ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.0', '10.0.1.1', 'node-9']);
  const long = await readTargetStream(Readable.from(['x'.repeat(10_000), '\n10.0.0.1\n']), 'stdin');
  assert.ok(!long.ok);
  assert.match(long.errors.join('\n'), /^stdin:1: line longer than 4096 bytes; expected one target a line .*reading stopped$/);
});

test('command-line targets: specs, @FILE and - (standard input)', async () => {
  const files: Record<string, string> = { 'a.txt': '10.0.0.1\n10.0.0.2\n' };
  const io = {
    openFile: (p: string) => {
      const body = files[p];
      if (body === undefined) return Readable.from((async function* () { yield* []; throw new Error(`ENOENT: no such file, open '${p}'`); })());
      return Readable.from([body]);
    },
    stdin: Readable.from(['::1\n']),
  };
  const r = await expandTargetArgs(['@a.txt', '-', 'node-1'], io);
  assert.ok(r.ok);
  assert.deepEqual([...iterateAddresses(r.targets)], ['10.0.0.1', '10.0.0.2', '::1', 'node-1']);
  const bad = await expandTargetArgs(['@missing.txt', '10.0.0.0/33'], io);
  assert.ok(!bad.ok);
  assert.match(bad.errors[0] ?? '', /missing\.txt: cannot read: ENOENT/);
  assert.equal(bad.errors[1], '10.0.0.0/33: prefix length must be 0–32');
  assert.deepEqual(await expandTargetArgs([], io), { ok: false, errors: ['no targets'] });
});

test('overlapping specs count and iterate each address once', () => {
  const sets = ['10.0.0.0/30', '10.0.0.2-10.0.0.5', '10.0.0.3', '::1', '::0-1'].map(target);
  assert.equal(countAddresses(sets), 8n);
  assert.deepEqual([...iterateAddresses(sets)], ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '::', '::1']);
});

test('iteration is lazy: a /8 yields its first address at once', () => {
  const it = iterateAddresses([target('10.0.0.0/8')]);
  assert.equal(it.next().value, '10.0.0.0');
  assert.equal(it.next().value, '10.0.0.1');
  const v6 = iterateAddresses([target('2001:db8::/64')]);
  assert.equal(v6.next().value, '2001:db8::');
});

test('the sweep-size guard', () => {
  assert.deepEqual(checkSweepSize(countAddresses([target('10.0.0.0/16')]), false), { ok: true });
  const big = checkSweepSize(countAddresses([target('10.0.0.0/15')]), false);
  assert.ok(!big.ok);
  assert.match(big.error, /131,072 addresses, more than 65,536.*--allow-large-sweep/);
  assert.deepEqual(checkSweepSize(131_072, true), { ok: true });
  const v6 = checkSweepSize(countAddresses([target('2001:db8::/64')]), true);
  assert.ok(!v6.ok, 'an IPv6 /64 is refused even with --allow-large-sweep');
  assert.match(v6.error, /a \/64 cannot be swept/);
  assert.ok(!checkSweepSize(SWEEP_LIMIT + 1, false).ok);
  assert.ok(!checkSweepSize(Infinity, true).ok);
});

test('ports', () => {
  assert.deepEqual(parsePorts('10250,10255,10248,2379-2380'), { ok: true, ports: [10250, 10255, 10248, 2379, 2380] });
  assert.deepEqual(parsePorts(' 22 , 22,21-23 '), { ok: true, ports: [22, 21, 23] });
  assert.deepEqual(parsePorts('1-65535').ok && parsePorts('1-65535'), { ok: true, ports: Array.from({ length: 65535 }, (_, i) => i + 1) });
  assert.deepEqual(parsePorts('0'), { ok: false, error: '0: port 0 is not from 1 to 65535' });
  assert.deepEqual(parsePorts('2380-2379'), { ok: false, error: '2380-2379: range 2380-2379 ends before it starts' });
  assert.ok(!parsePorts('10250,').ok);
  assert.ok(!parsePorts('http').ok);
  assert.ok(!parsePorts('1-2-3').ok);
});

// ---------------------------------------------------------------------------------------------
// properties

const specChars = fc.constantFrom(...'0123456789abcdefABCDEF:./-[]%,@# xyz\u00fc\x00'.split(''));
const specLike = fc.array(specChars, { maxLength: 40 }).map((cs) => cs.join(''));

test('property: parseTargetSpec and parsePorts never throw, on any string', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 60, unit: 'binary' }), specLike), (s) => {
      const r = parseTargetSpec(s);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(r.error.length > 0);
      const p = parsePorts(s);
      assert.equal(typeof p.ok, 'boolean');
      parseTargetList(s);
    }),
    { numRuns: 3000 },
  );
});

test('property: CIDR counts match iteration counts (small prefixes), and every address is inside', () => {
  fc.assert(
    fc.property(fc.nat({ max: 0xffffffff }), fc.integer({ min: 22, max: 32 }), (addr, len) => {
      const t = target(`${formatIPv4(addr)}/${len}`);
      const addrs = [...iterateAddresses([t])];
      assert.equal(BigInt(addrs.length), countAddresses([t]));
      assert.equal(addrs.length, 2 ** (32 - len));
      const net = addr - (addr % 2 ** (32 - len));
      assert.equal(addrs[0], formatIPv4(net), 'the network address is included');
      assert.equal(addrs.at(-1), formatIPv4(net + 2 ** (32 - len) - 1), 'the broadcast address is included');
    }),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 118, max: 128 }), (addr, len) => {
      const t = target(`${formatIPv6(addr)}/${len}`);
      let n = 0;
      for (const a of iterateAddresses([t])) {
        assert.equal(typeof parseIPv6(a), 'bigint', a);
        n++;
      }
      assert.equal(BigInt(n), countAddresses([t]));
      assert.equal(n, 2 ** (128 - len));
    }),
    { numRuns: 100 },
  );
});

test('property: ranges are inclusive at both ends', () => {
  fc.assert(
    fc.property(fc.nat({ max: 0xffffffff - 600 }), fc.nat({ max: 600 }), (start, span) => {
      const addrs = [...iterateAddresses([target(`${formatIPv4(start)}-${formatIPv4(start + span)}`)])];
      assert.equal(addrs.length, span + 1);
      assert.equal(addrs[0], formatIPv4(start));
      assert.equal(addrs.at(-1), formatIPv4(start + span));
    }),
  );
  fc.assert(
    fc.property(fc.nat({ max: 0xffffff }).map((x) => x * 256), fc.nat({ max: 255 }), fc.nat({ max: 255 }), (base, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const t = target(`${formatIPv4(base + lo)}-${hi}`);
      assert.equal(countAddresses([t]), BigInt(hi - lo + 1));
      assert.equal([...iterateAddresses([t])].at(-1), formatIPv4(base + hi));
    }),
  );
});

test('property: IPv6 print then parse is the identity', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat({ max: 7 }), fc.nat({ max: 7 }), (n, zeroAt, zeroLen) => {
      // plant zero runs so `::` gets exercised
      let v = n;
      for (let i = zeroAt; i < Math.min(8, zeroAt + zeroLen); i++) v &= ~(0xffffn << BigInt(16 * i));
      assert.equal(parseIPv6(formatIPv6(v)), v);
    }),
  );
});

// ---------------------------------------------------------------------------------------------
// hostile lists: each must end at once, with the file, the line and what was expected

/** an endless stream of one 64 KiB chunk, repeated: reading it whole would never end */
function* endless(chunk: Buffer | string): Generator<Buffer | string> {
  for (;;) yield chunk;
}

test('hostile lists stop at once: NUL bytes, an endless line, bytes that are not UTF-8', async () => {
  const zeros = await expandTargetArgs(['-'], { stdin: endless(Buffer.alloc(65536)) });
  assert.ok(!zeros.ok);
  assert.match(zeros.errors[0] ?? '', /^stdin:1: a NUL byte: binary data, not a list of targets \(expected UTF-8 text, one target a line/);
  const later = await readTargetStream(Readable.from([Buffer.from('10.0.0.1\n10.0.0.2\n10.0.0.3\x00\n')]), 'hosts.txt');
  assert.ok(!later.ok);
  assert.match(later.errors[0] ?? '', /^hosts\.txt:3: a NUL byte/);
  const line = await expandTargetArgs(['-'], { stdin: endless('a'.repeat(65536)) });
  assert.ok(!line.ok);
  assert.match(line.errors[0] ?? '', /^stdin:1: line longer than 4096 bytes; expected one target a line/);
  const junkStream = (function* () {
    yield Buffer.from('10.0.0.1\n# ok\n');
    yield Buffer.from([0x31, 0xff, 0xfe, 0x0a]);
    yield* endless('10.0.0.1\n');
  })();
  const junk = await readTargetStream(junkStream, 'junk.bin');
  assert.ok(!junk.ok);
  assert.match(junk.errors[0] ?? '', /^junk\.bin:3: bytes that are not UTF-8: binary data/);
  // a multi-byte character split across chunks is text, not junk
  const split = await readTargetStream(Readable.from([Buffer.from([0x23, 0xc3]), Buffer.from([0xbc, 0x0a, 0x31, 0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2e, 0x31])]), 'split');
  assert.ok(split.ok);
  assert.deepEqual([...iterateAddresses(split.targets)], ['10.0.0.1']);
});

test('the 20th bad line stops reading an endless list', async () => {
  const r = await expandTargetArgs(['-'], { stdin: endless('300.0.0.1\n'.repeat(1000)) });
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 21);
  assert.equal(r.errors.at(-1), 'stopped reading after 20 errors');
  assert.match(r.errors[19] ?? '', /^stdin:20: /);
});

test('devices, directories and sockets are refused by type, never opened', async () => {
  const dev = await expandTargetArgs(['@/dev/zero', '@/dev/null']);
  assert.ok(!dev.ok);
  assert.match(dev.errors[0] ?? '', /^\/dev\/zero: cannot read: is a character device, not a file of targets \(devices are never opened; give '-' to read standard input\)$/);
  assert.match(dev.errors[1] ?? '', /^\/dev\/null: cannot read: is a character device/);
  const dir = await expandTargetArgs(['@/tmp']);
  assert.ok(!dir.ok);
  assert.match(dir.errors[0] ?? '', /^\/tmp: cannot read: is a directory, not a file of targets$/);
});

test('the sweep guard stops an endless list at the line that passes it', async () => {
  let n = 0;
  const distinct = (function* () {
    for (;;) {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++, n++) lines.push(formatIPv4(0x0a000000 + n));
      yield lines.join('\n') + '\n';
    }
  })();
  const r = await expandTargetArgs(['-'], { stdin: distinct }, { allowLargeSweep: false });
  assert.ok(!r.ok);
  assert.equal(r.errors[0], 'stdin:65537: the targets cover at least 65,537 addresses, more than 65,536 (an IPv4 /16): pass --allow-large-sweep to sweep them; reading stopped');
  assert.ok(n < 70_000, `read ${n} lines`);
  // with the flag, up to the hard limit; a /8 and one more address pass it
  const hard = await expandTargetArgs(['10.0.0.0/8', '11.0.0.0'], {}, { allowLargeSweep: true });
  assert.ok(!hard.ok);
  assert.match(hard.errors[0] ?? '', /^11\.0\.0\.0: the targets cover at least 16,777,217 addresses; no sweep may cover more than 16,777,216/);
  // the same few addresses on endless lines cost nothing and never pass it
  const few = await expandTargetArgs(['-'], { stdin: Readable.from(Array.from({ length: 200 }, () => '127.0.0.1\n127.0.0.0/30\n127.0.0.2-3\n'.repeat(1000))) }, { allowLargeSweep: false });
  assert.ok(few.ok);
  assert.equal(countAddresses(few.targets), 4n);
});

test('property: the plan counts and walks the distinct targets, whatever the order and overlaps', () => {
  const iv = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000 }));
  fc.assert(
    fc.property(fc.array(iv, { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 10 }), (ivs, names) => {
      const plan = new TargetPlan({ allowLargeSweep: true }); // merges whenever the count could pass 16,777,216: rarely
      const small = new TargetPlan({ allowLargeSweep: false }); // merges often
      const seen = new Set<number>();
      for (const [f, len] of ivs) {
        const t: TargetSet = { kind: 'ipv4', spec: '', first: f, last: f + len };
        plan.add(t);
        small.add(t);
        for (let a = f; a <= f + len; a++) seen.add(a);
      }
      for (const n of names) {
        plan.add({ kind: 'name', spec: '', name: `Node-${n}.` });
        small.add({ kind: 'name', spec: '', name: `node-${n}` });
      }
      const want = BigInt(seen.size + new Set(names).size);
      assert.equal(plan.count(), want);
      assert.equal(small.count(), want);
      const walked = [...plan.addresses()];
      assert.equal(BigInt(walked.length), want);
      const v4 = walked.slice(0, seen.size).map((a) => Number(parseIPv4Checked(a)));
      assert.deepEqual(v4, [...seen].sort((a, b) => a - b));
    }),
    { numRuns: 150 },
  );
});

function parseIPv4Checked(a: string): number {
  const r = parseTargetSpec(a);
  assert.ok(r.ok && r.target.kind === 'ipv4');
  return r.target.first;
}

test('property: a list read as a stream, cut anywhere (inside characters too), is the list read whole', async () => {
  const line = fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }).map((n) => formatIPv4(n)),
    fc.tuple(fc.integer({ min: 0, max: 0xffffff00 }), fc.integer({ min: 0, max: 255 })).map(([n, k]) => `${formatIPv4(n)}-${k}`),
    fc.constantFrom('# ü comment', '', '  node-1, 10.0.0.1 ', '::1', 'bad..name', 'ümlaut.example', '\uFEFF10.1.1.1', '10.0.0.0/30 # x'),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }), async (lines, crlf, cuts) => {
      const text = lines.join(crlf ? '\r\n' : '\n');
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      let at = 0;
      for (const c of cuts) {
        if (at >= bytes.length) break;
        chunks.push(bytes.subarray(at, at + c));
        at += c;
      }
      if (at < bytes.length) chunks.push(bytes.subarray(at));
      const whole = parseTargetList(text, 'f');
      const streamed = await readTargetStream(chunks, 'f');
      assert.equal(streamed.ok, whole.ok);
      if (whole.ok && streamed.ok) assert.deepEqual([...iterateAddresses(streamed.targets)].slice(0, 2000), [...iterateAddresses(whole.targets)].slice(0, 2000));
      if (!whole.ok && !streamed.ok) assert.deepEqual(streamed.errors, whole.errors);
    }),
    { numRuns: 200 },
  );
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RootFs } from './root-fs.ts';
import { formatIPv6, OFFLINE, parseProcNetTcpLine, readListeners } from './listeners.ts';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const HEAD4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const HEAD6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const line4 = (n: number, addr: string, port: number, st: string, inode: number) =>
  `   ${n}: ${addr}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
const line6 = (n: number, addr: string, port: number, st: string, inode: number) =>
  `   ${n}: ${addr}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000000000000000000000000000:0000 ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

/** A fake /proc: net/tcp, net/tcp6, and /proc/<pid>/fd/* links to socket:[inode] with comm. */
function fakeProc(tcp: string, tcp6: string | undefined, procs: Record<number, { comm: string; fds: string[]; cmdline?: string }>): RootFs {
  const r = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-proc-'));
  roots.push(r);
  fs.mkdirSync(path.join(r, 'proc/net'), { recursive: true });
  fs.writeFileSync(path.join(r, 'proc/net/tcp'), tcp);
  if (tcp6 !== undefined) fs.writeFileSync(path.join(r, 'proc/net/tcp6'), tcp6);
  for (const [pid, p] of Object.entries(procs)) {
    fs.mkdirSync(path.join(r, `proc/${pid}/fd`), { recursive: true });
    fs.writeFileSync(path.join(r, `proc/${pid}/comm`), p.comm + '\n');
    if (p.cmdline) fs.writeFileSync(path.join(r, `proc/${pid}/cmdline`), p.cmdline);
    p.fds.forEach((t, i) => fs.symlinkSync(t, path.join(r, `proc/${pid}/fd/${i}`)));
  }
  return new RootFs(r);
}

test('line parser: little-endian IPv4 and IPv6, ports, state, inode', () => {
  assert.deepEqual(parseProcNetTcpLine(line4(0, '0100007F', 10248, '0A', 555), 4, 'LE'), { address: '127.0.0.1', port: 10248, state: 10, uid: 0, inode: 555 });
  assert.equal(parseProcNetTcpLine(line4(0, '0100007F', 80, '0A', 1), 4, 'BE')?.address, '1.0.0.127');
  assert.equal(parseProcNetTcpLine(line6(0, '00000000000000000000000001000000', 10250, '0A', 9), 6, 'LE')?.address, '::1');
  assert.equal(parseProcNetTcpLine(line6(0, '00000000000000000000000000000000', 10250, '0A', 9), 6, 'LE')?.address, '::');
  assert.equal(parseProcNetTcpLine(line6(0, '0000000000000000FFFF00000100007F', 10255, '0A', 9), 6, 'LE')?.address, '::ffff:127.0.0.1');
  assert.equal(parseProcNetTcpLine(line6(0, 'B80D0120000000000000000001000000', 1, '0A', 9), 6, 'LE')?.address, '2001:db8::1');
  assert.equal(parseProcNetTcpLine(HEAD4, 4), undefined);
  assert.equal(parseProcNetTcpLine(line4(0, '0100007F', 1, '0A', 1), 6), undefined); // wrong family width
  assert.equal(parseProcNetTcpLine('   0: 0100007F:ZZZZ 00000000:0000 0A 0:0 0:0 0 0 0 1', 4), undefined);
});

test('property: the /proc/net/tcp line parser never throws, and parsed fields are sane', () => {
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9A-F]{${n}}$`));
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.tuple(hex(8), hex(4), hex(2), fc.nat()).map(([a, p, s, i]) => `0: ${a}:${p} 00000000:0000 ${s} 0:0 0:0 0 0 0 ${i}`)), fc.constantFrom(4 as const, 6 as const), (s, fam) => {
    const e = parseProcNetTcpLine(s, fam);
    if (e) {
      assert.ok(e.port >= 0 && e.port <= 0xffff);
      assert.ok(Number.isSafeInteger(e.inode));
    }
  }));
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }), (b) => {
    const s = formatIPv6(b);
    assert.ok(s.length > 0 && !s.includes(':::'));
  }));
});

test('fake /proc: LISTEN sockets only, joined to their process by socket inode', () => {
  const fs4 = HEAD4 + line4(0, '00000000', 10250, '0A', 1001) + line4(1, '0100007F', 10248, '0A', 1002) + line4(2, '0100007F', 43210, '01', 1003);
  const fs6 = HEAD6 + line6(0, '0000000000000000FFFF00000100007F', 10255, '0A', 1004) + line6(1, '00000000000000000000000000000000', 2379, '0A', 1005);
  const f = fakeProc(fs4, fs6, {
    812: { comm: 'kubelet', fds: ['/dev/null', 'socket:[1001]', 'socket:[1002]', 'pipe:[77]', 'socket:[1004]'] },
    900: { comm: 'etcd', fds: ['socket:[1005]'] },
    950: { comm: 'kube-controller', cmdline: '/usr/local/bin/kube-controller-manager\0--v=2\0', fds: ['socket:[1001]'] },
  });
  const l = readListeners(f, true);
  assert.equal(l.available, true);
  assert.equal(l.unknown, undefined);
  assert.deepEqual(l.listeners.map((x) => [x.proto, x.address, x.port, x.pid, x.process]), [
    ['tcp6', '::', 2379, 900, 'etcd'],
    ['tcp', '127.0.0.1', 10248, 812, 'kubelet'],
    ['tcp', '0.0.0.0', 10250, 812, 'kubelet'], // shared with pid 950: the lowest pid is kept
    ['tcp6', '::ffff:127.0.0.1', 10255, 812, 'kubelet'],
  ]);
  assert.ok(!l.listeners.some((x) => x.port === 43210), 'an established connection is not a listener');
});

test('fake /proc: comm cut at 15 characters is completed from argv[0]', () => {
  const f = fakeProc(HEAD4 + line4(0, '00000000', 10257, '0A', 7), undefined, { 5: { comm: 'kube-controller', cmdline: '/usr/local/bin/kube-controller-manager\0', fds: ['socket:[7]'] } });
  const l = readListeners(f, true);
  assert.equal(l.listeners[0]!.process, 'kube-controller-manager');
  assert.match(l.note ?? '', /no IPv6/);
});

test('fake /proc: a socket no process holds is left without pid and counted', () => {
  const f = fakeProc(HEAD4 + line4(0, '00000000', 10255, '0A', 42), HEAD6, { 7: { comm: 'sh', fds: ['socket:[1]'] } });
  const l = readListeners(f, true);
  assert.equal(l.listeners[0]!.pid, undefined);
  assert.match(l.note ?? '', /1 listening socket could not be joined to a process/);
});

test('unreadable /proc/net: available, but unknown with the reason', () => {
  const r = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-proc-'));
  roots.push(r);
  const l = readListeners(new RootFs(r), true);
  assert.equal(l.available, true);
  assert.match(l.unknown ?? '', /cannot read \/proc\/net\/tcp: no such file or directory/);
  assert.deepEqual(l.listeners, []);
});

test('offline: no listeners to read', () => {
  assert.deepEqual(readListeners(new RootFs(os.tmpdir()), false), { available: false, unknown: OFFLINE, listeners: [] });
});

function hasIPv6Loopback(): Promise<boolean> {
  return new Promise((ok) => {
    const s = net.createServer();
    s.once('error', () => ok(false));
    s.listen(0, '::1', () => s.close(() => ok(true)));
  });
}

function listen(host: string): Promise<net.Server> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, host, () => ok(s));
  });
}

test('live: finds this process\'s own loopback servers (127.0.0.1 and ::1) with its pid', { skip: process.platform !== 'linux' }, async () => {
  const servers = [await listen('127.0.0.1')];
  const v6 = await hasIPv6Loopback();
  if (v6) servers.push(await listen('::1'));
  try {
    const l = readListeners(new RootFs('/'), true);
    assert.equal(l.available, true);
    for (const s of servers) {
      const a = s.address() as net.AddressInfo;
      const hit = l.listeners.find((x) => x.port === a.port && x.address === a.address);
      assert.ok(hit, `${a.address}:${a.port} not found`);
      assert.equal(hit.proto, a.family === 'IPv6' ? 'tcp6' : 'tcp');
      assert.equal(hit.pid, process.pid);
      assert.ok(hit.process && hit.process.length > 0);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
  }
});

test("fake /proc: another network namespace than pid 1's makes the listeners unknown; the same one is recorded", () => {
  const make = (self: string, init: string) => {
    const f = fakeProc(HEAD4 + line4(0, '00000000', 10255, '0A', 42), HEAD6, {});
    fs.mkdirSync(path.join(f.root, 'proc/self/ns'), { recursive: true });
    fs.mkdirSync(path.join(f.root, 'proc/1/ns'), { recursive: true });
    fs.symlinkSync(self, path.join(f.root, 'proc/self/ns/net'));
    fs.symlinkSync(init, path.join(f.root, 'proc/1/ns/net'));
    return readListeners(f, true);
  };
  const other = make('net:[4026532001]', 'net:[4026531840]');
  assert.match(other.unknown ?? '', /another network namespace \(net:\[4026532001\]\) than pid 1 \(net:\[4026531840\]\)/);
  const same = make('net:[4026531840]', 'net:[4026531840]');
  assert.equal(same.unknown, undefined);
  assert.equal(same.sameNetnsAsInit, true);
});

test('fake /proc: argv[1] is kept as the subcommand only when it is a plain word (hyperkube kubelet), never a flag or a secret', () => {
  const f = fakeProc(HEAD4 + line4(0, '00000000', 10250, '0A', 7) + line4(1, '00000000', 10255, '0A', 8), undefined, {
    5: { comm: 'hyperkube', cmdline: '/usr/bin/hyperkube\0kubelet\0--v=2\0', fds: ['socket:[7]'] },
    6: { comm: 'k3s-agent', cmdline: 'k3s\0--token=s3cr3t\0', fds: ['socket:[8]'] },
  });
  const l = readListeners(f, true);
  assert.deepEqual(l.listeners.map((x) => [x.port, x.process, x.subcommand]), [[10250, 'hyperkube', 'kubelet'], [10255, 'k3s-agent', undefined]]);
  assert.doesNotMatch(JSON.stringify(l), /s3cr3t/);
});

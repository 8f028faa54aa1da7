// `kubelet-guard fix --firewall` for real: the CLI's exit codes and refusals, nft's own check of
// every ruleset it prints (`nft -c -f`), and the rules loaded into a private pair of network
// namespaces that the test creates, where real TCP connections from an allowed and a denied source
// show what gets through.
//
// Addresses: 127.0.0.0/8 only for IPv4. The "node" namespace keeps 127.0.0.1/32 on lo and puts
// 127.1.0.1/24 on one end of a veth pair; the "client" namespace holds 127.1.0.2 (allowed on 10250),
// 127.1.0.3 (allowed nowhere) and 127.1.0.4 (allowed on etcd) on the other end. Linux routes 127/8
// off lo only with net.ipv4.conf.*.route_localnet=1, set in both private namespaces. IPv6 has no
// loopback range beyond ::1, so the IPv6 sources are documentation addresses (2001:db8::/32), on
// the private veth pair only: nothing in these namespaces reaches a real network.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.ts';

const NFT = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'].find((p) => fs.existsSync(p));
const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => fs.existsSync(p));
const IPTABLES = ['/usr/sbin/iptables', '/sbin/iptables'].find((p) => fs.existsSync(p));
const root = process.getuid?.() === 0;
const nftSkip = !root ? 'nft -c needs root (CAP_NET_ADMIN)' : !NFT ? 'nft not installed (Debian: nftables)' : false;
const netnsSkip = nftSkip || (!IP ? 'ip not installed (Debian: iproute2)' : false);
const iptSkip = netnsSkip || (!IPTABLES ? 'iptables not installed' : false);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kgfw-'));
const namespaces: string[] = [];
after(() => {
  // also when a test failed: the namespaces (and their veth pair) go with them
  for (const ns of namespaces) spawnSync(IP ?? 'ip', ['netns', 'del', ns]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('fix --firewall: --allow required; a hostile or wrong CIDR is refused (exit 2), quoted, never printed raw', async () => {
  assert.equal((await runCli('fix', '--firewall')).code, 2);
  const hostile = await runCli('fix', '--firewall', '--allow', '10.0.0.0/24,10.0.0.1\n}\nflush ruleset\x1b[2J');
  assert.equal(hostile.code, 2);
  assert.equal(hostile.out, '');
  assert.doesNotMatch(hostile.err, /\n./);
  assert.doesNotMatch(hostile.err, /\x1b/);
  const etcd = await runCli('fix', '--firewall', '--allow', '10.0.0.1', '--etcd-allow', '10.0.0.5/24');
  assert.equal(etcd.code, 2);
  assert.equal(etcd.err, 'kubelet-guard: --etcd-allow "10.0.0.5/24": host bits set: the network is 10.0.0.0/24\n');
  assert.equal((await runCli('fix', '--firewall', '--allow', '10.0.0.1', '--format', 'yaml')).code, 2);
});

test('fix --firewall prints (exit 0) in each format', async () => {
  const nft = await runCli('fix', '--firewall', '--allow', '10.0.0.0/24', '--allow', 'fd00::/64');
  assert.equal(nft.code, 0);
  assert.match(nft.out, /^#!\/usr\/sbin\/nft -f\n/);
  const ipt = await runCli('fix', '--firewall', '--allow', '10.0.0.0/24', '--format', 'iptables');
  assert.equal(ipt.code, 0);
  assert.match(ipt.out, /^#!\/bin\/sh\n/);
  const json = await runCli('fix', '--firewall', '--allow', '10.0.0.0/24', '--format', 'json');
  assert.equal(json.code, 0);
  assert.deepEqual((JSON.parse(json.out) as { allow: string[] }).allow, ['10.0.0.0/24']);
});

test('nft -c -f accepts every ruleset printed', { skip: nftSkip }, async () => {
  const cases = [
    ['--allow', '10.0.0.1'],
    ['--allow', '10.0.0.0/24,192.168.1.10', '--allow', 'fd00::/64', '--etcd-allow', '10.0.0.11,10.0.0.12,fd00::11'],
    ['--allow', '0.0.0.0/0,::/0', '--etcd-allow', '2001:db8::/32'],
    ['--allow', 'fd00::1'],
  ];
  for (const args of cases) {
    const r = await runCli('fix', '--firewall', ...args);
    assert.equal(r.code, 0, r.err);
    const file = path.join(tmp, 'check.nft');
    fs.writeFileSync(file, r.out);
    const c = spawnSync(NFT!, ['-c', '-f', file], { encoding: 'utf8' });
    assert.equal(c.status, 0, `${args.join(' ')}: ${c.stderr}`);
  }
});

const ip = (...args: string[]) => {
  const r = spawnSync(IP!, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `ip ${args.join(' ')}: ${r.stderr}`);
};
const inNs = (ns: string, cmd: string, args: string[]) => {
  const r = spawnSync(IP!, ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** A "node" namespace and a "client" namespace joined by a veth pair, as described at the top. */
function namespacePair(): { node: string; client: string } {
  const id = randomBytes(4).toString('hex');
  const node = `kgfw-${id}-n`;
  const client = `kgfw-${id}-c`;
  ip('netns', 'add', node);
  namespaces.push(node);
  ip('netns', 'add', client);
  namespaces.push(client);
  ip('link', 'add', 'kgn', 'netns', node, 'type', 'veth', 'peer', 'name', 'kgc', 'netns', client);
  ip('-n', node, 'link', 'set', 'lo', 'up');
  // lo holds 127.0.0.1 only, so the rest of 127/8 is routed over the veth pair
  ip('-n', node, 'addr', 'del', '127.0.0.1/8', 'dev', 'lo');
  ip('-n', node, 'addr', 'add', '127.0.0.1/32', 'dev', 'lo');
  for (const [ns, dev] of [[node, 'kgn'], [client, 'kgc']] as const) {
    inNs(ns, 'sysctl', ['-qw', 'net.ipv4.conf.all.route_localnet=1', `net.ipv4.conf.${dev}.route_localnet=1`]);
  }
  ip('-n', node, 'addr', 'add', '127.1.0.1/24', 'dev', 'kgn');
  ip('-n', node, 'addr', 'add', '2001:db8::1/64', 'dev', 'kgn', 'nodad');
  for (const a of ['127.1.0.2/24', '127.1.0.3/24', '127.1.0.4/24']) ip('-n', client, 'addr', 'add', a, 'dev', 'kgc');
  for (const a of ['2001:db8::2/64', '2001:db8::3/64']) ip('-n', client, 'addr', 'add', a, 'dev', 'kgc', 'nodad');
  ip('-n', node, 'link', 'set', 'kgn', 'up');
  ip('-n', client, 'link', 'set', 'kgc', 'up');
  return { node, client };
}

const PORTS = [10250, 10255, 10248, 2379, 2380];

/** Real TCP listeners on every guarded port (all addresses, both families), in the node namespace. */
async function listeners(ns: string): Promise<() => void> {
  const script = `const net=require('node:net');let n=0;for(const p of ${JSON.stringify(PORTS)}){net.createServer(s=>s.destroy()).listen({port:p,host:'::',ipv6Only:false},()=>{if(++n===${PORTS.length})console.log('ready')})}`;
  const child = spawn(IP!, ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (c) => reject(new Error(`listeners exited ${c}`)));
  });
  return () => child.kill();
}

interface Probe { from: string; to: string; port: number }

/**
 * Connects from each source to each port, in namespace `ns`; true where the connection was made.
 * A dropped SYN is never answered: "not connected" is "no answer within 1.5 s" (an allowed
 * connection on this veth pair takes well under a millisecond).
 */
function connects(ns: string, probes: Probe[]): boolean[] {
  const script = `const net=require('node:net');const ps=${JSON.stringify(probes)};Promise.all(ps.map(p=>new Promise(r=>{const s=net.connect({host:p.to,port:p.port,localAddress:p.from});const t=setTimeout(()=>{s.destroy();r(false)},1500);s.on('connect',()=>{clearTimeout(t);s.destroy();r(true)});s.on('error',()=>{clearTimeout(t);r(false)})}))).then(x=>console.log(JSON.stringify(x)))`;
  return JSON.parse(inNs(ns, process.execPath, ['-e', script])) as boolean[];
}

const matrix = (rows: Array<[string, string, number[]]>): Probe[] => rows.flatMap(([from, to, ports]) => ports.map((port) => ({ from, to, port })));

async function provesRules(load: (node: string) => void): Promise<void> {
  const { node, client } = namespacePair();
  const stop = await listeners(node);
  try {
    const fromClient = matrix([
      ['127.1.0.2', '127.1.0.1', PORTS], // allowed on 10250 only
      ['127.1.0.3', '127.1.0.1', PORTS], // allowed nowhere
      ['127.1.0.4', '127.1.0.1', PORTS], // allowed on etcd only
      ['2001:db8::2', '2001:db8::1', PORTS], // allowed on 10250 only
      ['2001:db8::3', '2001:db8::1', PORTS], // allowed nowhere
    ]);
    const loopback = matrix([['127.0.0.1', '127.0.0.1', PORTS], ['127.0.0.1', '127.1.0.1', PORTS]]);
    // before the rules every source connects everywhere: what the rules then stop is their doing
    assert.ok(connects(client, fromClient).every(Boolean), 'before the rules');
    load(node);
    const got = connects(client, fromClient);
    const want = fromClient.map((p) => (p.from === '127.1.0.2' || p.from === '2001:db8::2' ? p.port === 10250 : p.from === '127.1.0.4' ? p.port === 2379 || p.port === 2380 : false));
    assert.deepEqual(fromClient.map((p, i) => `${p.from}->${p.port} ${got[i]}`), fromClient.map((p, i) => `${p.from}->${p.port} ${want[i]}`));
    // the node itself (iif lo, whatever its address) reaches every port: kubeadm's API server uses 127.0.0.1:2379
    assert.ok(connects(node, loopback).every(Boolean), 'loopback');
  } finally {
    stop();
  }
}

const ALLOW = ['fix', '--firewall', '--allow', '127.1.0.2,2001:db8::2', '--etcd-allow', '127.1.0.4'];

test('nftables rules loaded in a private network namespace: allowed sources connect, others do not', { skip: netnsSkip }, async () => {
  const r = await runCli(...ALLOW);
  assert.equal(r.code, 0, r.err);
  const file = path.join(tmp, 'rules.nft');
  fs.writeFileSync(file, r.out);
  await provesRules((node) => {
    inNs(node, NFT!, ['-f', file]);
    inNs(node, NFT!, ['-f', file]); // loading it again replaces the table, no duplicate
    assert.equal(inNs(node, NFT!, ['list', 'tables']), 'table inet kubelet_guard\n');
  });
});

test('iptables rules loaded in a private network namespace: allowed sources connect, others do not', { skip: iptSkip }, async () => {
  const r = await runCli(...ALLOW, '--format', 'iptables');
  assert.equal(r.code, 0, r.err);
  const file = path.join(tmp, 'rules.sh');
  fs.writeFileSync(file, r.out);
  await provesRules((node) => {
    inNs(node, '/bin/sh', [file]);
    inNs(node, '/bin/sh', [file]); // running it again: one jump from INPUT, the chain refilled
    assert.equal(inNs(node, IPTABLES!, ['-S', 'INPUT']).split('\n').filter((l) => l.includes('KUBELET-GUARD')).length, 1);
  });
});

test("the README's fix --firewall sample is the tool's real output", async () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const m = /^kubelet-guard (fix --firewall [^\n]*)\n```\n\n```\n([\s\S]*?)```\n/m.exec(readme);
  assert.ok(m, 'the sample');
  const r = await runCli(...m[1]!.split(' '));
  assert.equal(r.code, 0, r.err);
  assert.equal(m[2], r.out);
});

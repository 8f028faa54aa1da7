// The planning of bench/scan-firewalled.js: which addresses drop, which answer, where the servers
// listen, the nftables ruleset, and how a scanner's output is judged. Pure logic, no network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifiedAs, expectedPorts, intToIp, ipToInt, median, nftRuleset, nmapOpen, parseLoopbackCidr, planNetwork, staleNamespaces, toElements } from '../bench/firewalled-plan.ts';

test('only ranges inside 127.0.0.0/8, away from 127.0.0.1, aligned', () => {
  assert.deepEqual(parseLoopbackCidr('127.16.0.0/20'), { base: ipToInt('127.16.0.0'), size: 4096 });
  assert.throws(() => parseLoopbackCidr('10.0.0.0/20'), /only 127\.0\.0\.0\/8/);
  assert.throws(() => parseLoopbackCidr('128.0.0.0/20'), /only 127/);
  assert.throws(() => parseLoopbackCidr('127.0.0.0/20'), /127\.0\.0\.1/);
  assert.throws(() => parseLoopbackCidr('127.16.0.1/20'), /first address/);
  assert.throws(() => parseLoopbackCidr('127.0.0.0/8'), /prefix length/);
  assert.throws(() => parseLoopbackCidr('127.16.0.0'), /CIDR/);
  assert.equal(intToIp(ipToInt('127.32.31.255')), '127.32.31.255');
});

test('a /20: 40 kubelet hosts spread over the range, ~30% of the addresses answer, the servers among them', () => {
  const p = planNetwork('127.16.0.0/20', { seed: 15 });
  assert.equal(p.servers.length, 40);
  const hosts = p.servers.map((s) => ipToInt(s.host));
  assert.equal(new Set(hosts).size, 40);
  for (const h of hosts) assert.ok(h > p.base && h < p.base + p.size - 1, intToIp(h));
  // one per tenth of the range at least: spread, not clustered
  const tenths = new Set(hosts.map((h) => Math.floor(((h - p.base) * 10) / p.size)));
  assert.equal(tenths.size, 10);
  const live = new Set(p.live);
  for (const h of hosts) assert.ok(live.has(h));
  const share = p.live.length / p.size;
  assert.ok(share > 0.27 && share < 0.33, String(share));
  assert.deepEqual(p.live, [...p.live].sort((a, b) => a - b));
  // every kubelet: 10250 and 10248; some 10255; four etcds, the last over plain HTTP
  assert.ok(p.servers.every((s) => s.ports.some((x) => x.port === 10250 && x.kind === 'kubelet') && s.ports.some((x) => x.port === 10248 && x.kind === 'kubelet-healthz')));
  const ro = p.servers.filter((s) => s.ports.some((x) => x.port === 10255)).length;
  assert.ok(ro > 5 && ro < 40);
  assert.deepEqual(p.servers.filter((s) => s.etcd).map((s) => s.etcd), ['tls-client-cert', 'tls-client-cert', 'tls-client-cert', 'plain']);
  assert.equal(expectedPorts(p).size, 80 + ro + 4);
  // the same seed, the same network
  assert.deepEqual(planNetwork('127.16.0.0/20', { seed: 15 }), p);
  assert.notDeepEqual(planNetwork('127.16.0.0/20', { seed: 16 }).live, p.live);
});

test('a small range holds fewer hosts than asked, never more than fit', () => {
  const p = planNetwork('127.16.0.0/29', { seed: 1 });
  assert.equal(p.servers.length, 3);
  assert.equal(new Set(p.servers.map((s) => s.host)).size, 3);
});

test('set elements: runs of consecutive addresses merged', () => {
  const a = ['127.16.0.1', '127.16.0.2', '127.16.0.3', '127.16.0.7', '127.16.0.255', '127.16.1.0'].map(ipToInt);
  assert.deepEqual(toElements(a), ['127.16.0.1-127.16.0.3', '127.16.0.7', '127.16.0.255-127.16.1.0']);
  assert.deepEqual(toElements([]), []);
});

test('the ruleset: one drop rule on input, the ranges and the answering addresses as named sets, nothing outside 127/8', () => {
  const plans = [planNetwork('127.16.0.0/20', { seed: 15 }), planNetwork('127.32.0.0/19', { seed: 15 })];
  const text = nftRuleset(plans);
  assert.match(text, /hook input priority 0; policy accept;/);
  assert.equal(text.match(/\bdrop\b/g)?.length, 1);
  assert.match(text, /ip daddr @ranges ip daddr != @live drop/);
  assert.match(text, /127\.16\.0\.0\/20,\s*127\.32\.0\.0\/19/);
  const addrs = text.match(/\b\d+\.\d+\.\d+\.\d+\b/g) ?? [];
  assert.ok(addrs.length > 100);
  for (const a of addrs) assert.ok(plans.some((p) => ipToInt(a) >= p.base && ipToInt(a) < p.base + p.size), a);
  // every answering address covered by the live set, and nothing else
  const live = new Set<number>();
  const liveBlock = /set live \{[\s\S]*?elements = \{([\s\S]*?)\}/.exec(text)?.[1] ?? '';
  for (const el of liveBlock.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [from, to = from] = el.split('-') as [string, string?];
    for (let x = ipToInt(from); x <= ipToInt(to!); x++) live.add(x);
  }
  assert.deepEqual([...live].sort((a, b) => a - b), plans.flatMap((p) => p.live));
});

test('classified: each kind with the evidence that proves it', () => {
  assert.ok(classifiedAs('kubelet', { service: 'kubelet', anonymous: false }));
  assert.ok(!classifiedAs('kubelet', { service: 'kubelet', anonymous: null }));
  assert.ok(!classifiedAs('kubelet', { service: 'other', anonymous: false }));
  assert.ok(classifiedAs('kubelet-healthz', { service: 'kubelet-healthz', reachable: ['healthz'] }));
  assert.ok(!classifiedAs('kubelet-healthz', { service: 'kubelet-healthz', reachable: [] }));
  assert.ok(classifiedAs('kubelet-read-only', { service: 'kubelet-read-only', reachable: ['pods', 'healthz'] }));
  assert.ok(!classifiedAs('kubelet-read-only', { service: 'kubelet-read-only' }));
  assert.ok(classifiedAs('etcd', { service: 'etcd', etcd: { tls: true, clientCertRequired: true } }));
  assert.ok(classifiedAs('etcd', { service: 'etcd', etcd: { tls: false, clientCertRequired: false, version: '3.5.17' } }));
  assert.ok(!classifiedAs('etcd', { service: 'etcd', etcd: { tls: true, clientCertRequired: null } }));
  assert.ok(!classifiedAs('etcd', { service: 'other' }));
});

test("nmap's grepable output: the open ports of a host line", () => {
  assert.deepEqual(nmapOpen('Host: 127.16.0.25 ()\tPorts: 10250/open/tcp//unknown///, 10255/closed/tcp//unknown///, 10248/open/tcp//unknown///, 2379/filtered/tcp//etcd-client///\tIgnored State: closed (1)'), ['127.16.0.25:10250', '127.16.0.25:10248']);
  assert.deepEqual(nmapOpen('Host: 127.16.0.25 ()\tStatus: Up'), []);
  assert.deepEqual(nmapOpen('# Nmap done'), []);
});

test('median, and stale namespaces (only those whose process is gone)', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const list = 'kg-bench-100 (id: 3)\nkg-bench-200\nother-ns\nkg-bench-x\n';
  assert.deepEqual(staleNamespaces(list, (pid) => pid === 200), ['kg-bench-100']);
});

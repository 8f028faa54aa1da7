import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firewallJson, iptablesScript, nftRuleset, parseCidr, parseCidrList, type Cidr } from './firewall.ts';

const list = (...xs: string[]): Cidr[] => {
  const r = parseCidrList(xs, '--allow');
  assert.ok(typeof r !== 'string', String(r));
  return r;
};

test('CIDRs: single addresses, networks, IPv6 in RFC 5952 form', () => {
  assert.deepEqual(parseCidr('10.0.0.1'), { family: 4, addr: 0x0a000001n, prefix: 32 });
  assert.deepEqual(parseCidr('10.0.0.0/8'), { family: 4, addr: 0x0a000000n, prefix: 8 });
  assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, addr: 0n, prefix: 0 });
  assert.equal((parseCidr('FD00:0:0::/64') as Cidr).family, 6);
  assert.match(nftRuleset({ allow: list('FD00:0000::1'), etcdAllow: [] }), /ip6 saddr fd00::1 tcp dport 10250 accept/);
});

test('CIDRs: refusals (host bits, bad prefix, mapped IPv6, hostile text)', () => {
  assert.equal(parseCidr('10.0.0.5/8'), 'host bits set: the network is 10.0.0.0/8');
  assert.equal(parseCidr('fd00::1/64'), 'host bits set: the network is fd00::/64');
  assert.match(parseCidr('10.0.0.0/33') as string, /prefix length '33'/);
  assert.match(parseCidr('10.0.0.0/08') as string, /prefix length '08'/);
  assert.match(parseCidr('10.0.0.0/') as string, /prefix length ''/);
  assert.match(parseCidr('010.0.0.1') as string, /leading zero/);
  assert.match(parseCidr('::ffff:10.0.0.1') as string, /IPv4-mapped/);
  for (const bad of ['', 'example.com', '10.0.0.1; flush ruleset', '10.0.0.1\n}', '10.0.0.1 ', '{10.0.0.1}', '10.0.0.1/24/8', 'fe80::1%eth0', '1.2.3.4.5', ':::']) {
    assert.equal(typeof parseCidr(bad), 'string', bad);
  }
  // the list's error quotes the argument as JSON: a newline never reaches the output raw
  const r = parseCidrList(['10.0.0.0/24,10.0.0.1\n;flush ruleset'], '--allow');
  assert.equal(r, '--allow "10.0.0.1\\n;flush ruleset": not an IPv4 or IPv6 address or CIDR');
  assert.match(parseCidrList([Array.from({ length: 1025 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(',')], '--allow') as string, /more than 1024/);
});

const GOLDEN_NFT = `#!/usr/sbin/nft -f
# kubelet-guard fix --firewall: only these sources reach the kubelet and etcd ports.
# 10250 (kubelet API) from: 10.0.0.0/24, 192.168.1.10, fd00::/64
# 2379, 2380 (etcd) from:   10.0.0.11, 10.0.0.12
# 10255, 10248 and everything not listed: dropped. Loopback (iif lo) is not filtered.
# A wrong list locks the API server out of the kubelets (logs, exec) or splits etcd: check it first.
# Remove: nft delete table inet kubelet_guard

table inet kubelet_guard
delete table inet kubelet_guard
table inet kubelet_guard {
\tchain input {
\t\ttype filter hook input priority filter - 10; policy accept;
\t\tiif "lo" accept
\t\tip saddr { 10.0.0.0/24, 192.168.1.10 } tcp dport 10250 accept
\t\tip6 saddr fd00::/64 tcp dport 10250 accept
\t\tip saddr { 10.0.0.11, 10.0.0.12 } tcp dport { 2379, 2380 } accept
\t\ttcp dport { 10250, 10255, 10248, 2379, 2380 } drop
\t}
}
`;

test('nftables: golden output, IPv4 and IPv6, the same whatever the order, duplicates and covered networks', () => {
  const input = { allow: list('10.0.0.0/24,192.168.1.10', 'fd00::/64'), etcdAllow: list('10.0.0.11,10.0.0.12') };
  assert.equal(nftRuleset(input), GOLDEN_NFT);
  // shuffled, repeated, and with networks inside others given: the same ruleset
  const shuffled = { allow: list('fd00::/64', 'fd00::5', '192.168.1.10,10.0.0.7', '10.0.0.0/24', '192.168.1.10'), etcdAllow: list('10.0.0.12', '10.0.0.11,10.0.0.12') };
  assert.equal(nftRuleset(shuffled), GOLDEN_NFT);
});

test('nftables: no --etcd-allow keeps etcd to loopback (no accept rule for 2379/2380)', () => {
  const out = nftRuleset({ allow: list('10.0.0.1'), etcdAllow: [] });
  assert.match(out, /# 2379, 2380 \(etcd\) from: {3}loopback only/);
  assert.doesNotMatch(out, /dport \{ 2379, 2380 \} accept/);
  assert.match(out, /\t\tip saddr 10\.0\.0\.1 tcp dport 10250 accept\n\t\ttcp dport \{ 10250, 10255, 10248, 2379, 2380 \} drop\n/);
});

const GOLDEN_IPT = `#!/bin/sh
# kubelet-guard fix --firewall: only these sources reach the kubelet and etcd ports.
# 10250 (kubelet API) from: 10.0.0.0/24, fd00::/64
# 2379, 2380 (etcd) from:   10.0.0.11
# 10255, 10248 and everything not listed: dropped. Loopback (iif lo) is not filtered.
# A wrong list locks the API server out of the kubelets (logs, exec) or splits etcd: check it first.
# Remove: for t in iptables ip6tables; do $t -D INPUT -j KUBELET-GUARD; $t -F KUBELET-GUARD; $t -X KUBELET-GUARD; done
set -e

iptables -N KUBELET-GUARD 2>/dev/null || iptables -F KUBELET-GUARD
iptables -A KUBELET-GUARD -i lo -j RETURN
iptables -A KUBELET-GUARD -s 10.0.0.0/24 -p tcp --dport 10250 -j RETURN
iptables -A KUBELET-GUARD -s 10.0.0.11 -p tcp -m multiport --dports 2379,2380 -j RETURN
iptables -A KUBELET-GUARD -p tcp -m multiport --dports 10250,10255,10248,2379,2380 -j DROP
iptables -C INPUT -j KUBELET-GUARD 2>/dev/null || iptables -I INPUT 1 -j KUBELET-GUARD

ip6tables -N KUBELET-GUARD 2>/dev/null || ip6tables -F KUBELET-GUARD
ip6tables -A KUBELET-GUARD -i lo -j RETURN
ip6tables -A KUBELET-GUARD -s fd00::/64 -p tcp --dport 10250 -j RETURN
ip6tables -A KUBELET-GUARD -p tcp -m multiport --dports 10250,10255,10248,2379,2380 -j DROP
ip6tables -C INPUT -j KUBELET-GUARD 2>/dev/null || ip6tables -I INPUT 1 -j KUBELET-GUARD
`;

test('iptables: golden output (own chain, RETURN for allowed, DROP last, one jump from INPUT)', () => {
  assert.equal(iptablesScript({ allow: list('fd00::/64,10.0.0.0/24'), etcdAllow: list('10.0.0.11') }), GOLDEN_IPT);
});

test('json: both rulesets and the normalized lists', () => {
  const input = { allow: list('10.0.0.0/24,fd00::/64'), etcdAllow: list('10.0.0.11') };
  const doc = JSON.parse(firewallJson(input)) as Record<string, unknown>;
  assert.deepEqual(doc.allow, ['10.0.0.0/24', 'fd00::/64']);
  assert.deepEqual(doc.etcdAllow, ['10.0.0.11']);
  assert.equal(doc.nftables, nftRuleset(input));
  assert.equal(doc.iptables, iptablesScript(input));
});

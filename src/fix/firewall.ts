// `kubelet-guard fix --firewall`: the host firewall rules that close the kubelet and etcd ports to
// everyone but the sources given. Pure: validated inputs in, ruleset text out; nothing is applied.
//
// What the rules do (nftables and iptables alike):
//   - traffic that arrives on `lo` (the node talking to itself, whatever address it uses) is left
//     alone on every port: kubeadm's API server reaches its etcd on 127.0.0.1:2379, health checks
//     use 127.0.0.1:10248;
//   - 10250 (kubelet API) is left alone from the --allow sources (API servers, monitoring);
//   - 2379/2380 (etcd client/peer) are left alone from the --etcd-allow sources (etcd peers, API servers);
//   - everything else to 10250, 10255 (read-only port), 10248 (healthz), 2379, 2380 is dropped.
// "Left alone" is `accept` in our own base chain / `RETURN` from our own iptables chain: neither
// bypasses the host's other rules (an nftables accept ends only this base chain; later chains at
// the hook still see the packet), so these rules can only take access away, never grant it.
// No `ct state established` exception: the ports are listeners, so every wanted packet matches by
// source, and an attacker's connection open before the rules were loaded is cut, not kept.
// Drop, not reject: the issue asks for drop, and a prober learns nothing from a silent port.
import { formatIPv4, formatIPv6 } from '../net/ip-text.ts';
import { parseIPv4, parseIPv6 } from '../scan/targets.ts';

export const KUBELET_PORT = 10250;
export const GUARDED_PORTS: readonly number[] = [10250, 10255, 10248, 2379, 2380];
export const ETCD_PORTS: readonly number[] = [2379, 2380];
export const NFT_TABLE = 'kubelet_guard';
export const IPTABLES_CHAIN = 'KUBELET-GUARD';
/** A bound on each list: a firewall of thousands of single addresses is a mistake, not a policy. */
export const MAX_SOURCES = 1024;

export interface Cidr {
  family: 4 | 6;
  /** the network address (host bits are zero: refused otherwise) */
  addr: bigint;
  prefix: number;
}

export interface FirewallInput {
  /** sources allowed to reach the kubelet API (10250) */
  allow: readonly Cidr[];
  /** sources allowed to reach etcd (2379, 2380) */
  etcdAllow: readonly Cidr[];
}

/**
 * One CIDR (or a single address, as /32 or /128), or why it is not one. Host bits set are refused
 * (`10.0.0.5/8`): nft and iptables would silently widen it to 10.0.0.0/8, and a typo in a firewall's
 * allow list should stop the run, not open a /8. IPv4-mapped IPv6 is refused: an IPv4 connection
 * reaches the rules as IPv4, so `::ffff:10.0.0.1` would never match.
 */
export function parseCidr(text: string): Cidr | string {
  if (text.length === 0) return 'empty';
  if (text.length > 50 || !/^[0-9A-Fa-f.:/]+$/.test(text)) return 'not an IPv4 or IPv6 address or CIDR';
  const slash = text.indexOf('/');
  const a = slash < 0 ? text : text.slice(0, slash);
  const p = slash < 0 ? undefined : text.slice(slash + 1);
  const v6 = a.includes(':');
  const bits = v6 ? 128 : 32;
  let prefix = bits;
  if (p !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > bits) return `prefix length '${p}' is not a number from 0 to ${bits}`;
    prefix = Number(p);
  }
  let addr: bigint;
  if (v6) {
    const n = parseIPv6(a);
    if (typeof n === 'string') return n;
    if (n >> 32n === 0xffffn) return 'an IPv4-mapped IPv6 address never matches (IPv4 connections are matched as IPv4): give the IPv4 form';
    addr = n;
  } else {
    const n = parseIPv4(a);
    if (typeof n === 'string') return n;
    addr = BigInt(n);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((addr & hostMask) !== 0n) {
    const net = addr & ~hostMask;
    return `host bits set: the network is ${v6 ? formatIPv6(net) : formatIPv4(Number(net))}/${prefix}`;
  }
  return { family: v6 ? 6 : 4, addr, prefix };
}

/** A comma-separated list of CIDRs (the option may also be repeated), or the first error. */
export function parseCidrList(values: readonly string[], option: string): Cidr[] | string {
  const out: Cidr[] = [];
  for (const v of values) {
    for (const item of v.split(',')) {
      const s = item.trim();
      const c = parseCidr(s);
      // the value is quoted as JSON: a hostile argument (newlines, ';') is shown escaped, never raw
      if (typeof c === 'string') return `${option} ${JSON.stringify(s)}: ${c}`;
      out.push(c);
      if (out.length > MAX_SOURCES) return `${option}: more than ${MAX_SOURCES} sources`;
    }
  }
  return out;
}

export function formatCidr(c: Cidr): string {
  const a = c.family === 4 ? formatIPv4(Number(c.addr)) : formatIPv6(c.addr);
  return c.prefix === (c.family === 4 ? 32 : 128) ? a : `${a}/${c.prefix}`;
}

function covers(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const shift = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return outer.addr >> shift === inner.addr >> shift;
}

/**
 * The sources of one family, sorted, without duplicates and without a network inside another one
 * given: the output is the same whatever the order of the arguments, and nft refuses overlapping
 * intervals in one set.
 */
export function normalize(list: readonly Cidr[], family: 4 | 6): Cidr[] {
  const xs = list.filter((c) => c.family === family).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.prefix - b.prefix));
  const out: Cidr[] = [];
  for (const c of xs) if (!out.some((o) => covers(o, c))) out.push(c);
  return out;
}

const header = (comment: string, input: FirewallInput): string[] => [
  `${comment} kubelet-guard fix --firewall: only these sources reach the kubelet and etcd ports.`,
  `${comment} 10250 (kubelet API) from: ${list(input.allow)}`,
  `${comment} 2379, 2380 (etcd) from:   ${list(input.etcdAllow)}`,
  `${comment} 10255, 10248 and everything not listed: dropped. Loopback (iif lo) is not filtered.`,
  `${comment} A wrong list locks the API server out of the kubelets (logs, exec) or splits etcd: check it first.`,
];

function list(cs: readonly Cidr[]): string {
  const all = [...normalize(cs, 4), ...normalize(cs, 6)];
  return all.length === 0 ? 'loopback only' : all.map(formatCidr).join(', ');
}

const nftSet = (cs: Cidr[]): string => (cs.length === 1 ? formatCidr(cs[0]!) : `{ ${cs.map(formatCidr).join(', ')} }`);
const nftPorts = (ps: readonly number[]): string => (ps.length === 1 ? String(ps[0]) : `{ ${ps.join(', ')} }`);

/**
 * The nftables ruleset, for `nft -f`: its own table (declared, deleted and declared again, so that
 * loading it twice replaces it in one transaction), one base chain at the input hook before the
 * usual filter chains (priority filter - 10), policy accept; no other table is touched.
 */
export function nftRuleset(input: FirewallInput): string {
  const lines = ['#!/usr/sbin/nft -f', ...header('#', input), `# Remove: nft delete table inet ${NFT_TABLE}`, ''];
  lines.push(`table inet ${NFT_TABLE}`, `delete table inet ${NFT_TABLE}`, `table inet ${NFT_TABLE} {`);
  lines.push('\tchain input {', '\t\ttype filter hook input priority filter - 10; policy accept;', '\t\tiif "lo" accept');
  const rules: Array<[readonly number[], readonly Cidr[]]> = [
    [[KUBELET_PORT], input.allow],
    [ETCD_PORTS, input.etcdAllow],
  ];
  for (const [ports, sources] of rules) {
    const v4 = normalize(sources, 4);
    const v6 = normalize(sources, 6);
    if (v4.length > 0) lines.push(`\t\tip saddr ${nftSet(v4)} tcp dport ${nftPorts(ports)} accept`);
    if (v6.length > 0) lines.push(`\t\tip6 saddr ${nftSet(v6)} tcp dport ${nftPorts(ports)} accept`);
  }
  lines.push(`\t\ttcp dport ${nftPorts(GUARDED_PORTS)} drop`, '\t}', '}', '');
  return lines.join('\n');
}

/**
 * The iptables/ip6tables equivalent, as a POSIX shell script: its own chain, jumped to first from
 * INPUT; RETURN (not ACCEPT) for what is allowed, so the host's other INPUT rules still apply.
 * Running it again flushes and refills the chain and adds the jump only once.
 */
export function iptablesScript(input: FirewallInput): string {
  const lines = ['#!/bin/sh', ...header('#', input), `# Remove: for t in iptables ip6tables; do $t -D INPUT -j ${IPTABLES_CHAIN}; $t -F ${IPTABLES_CHAIN}; $t -X ${IPTABLES_CHAIN}; done`, 'set -e'];
  const ports = (ps: readonly number[]) => (ps.length === 1 ? `--dport ${ps[0]}` : `-m multiport --dports ${ps.join(',')}`);
  for (const [cmd, family] of [['iptables', 4], ['ip6tables', 6]] as const) {
    const c = IPTABLES_CHAIN;
    lines.push('', `${cmd} -N ${c} 2>/dev/null || ${cmd} -F ${c}`, `${cmd} -A ${c} -i lo -j RETURN`);
    for (const cidr of normalize(input.allow, family)) lines.push(`${cmd} -A ${c} -s ${formatCidr(cidr)} -p tcp ${ports([KUBELET_PORT])} -j RETURN`);
    for (const cidr of normalize(input.etcdAllow, family)) lines.push(`${cmd} -A ${c} -s ${formatCidr(cidr)} -p tcp ${ports(ETCD_PORTS)} -j RETURN`);
    lines.push(`${cmd} -A ${c} -p tcp ${ports(GUARDED_PORTS)} -j DROP`, `${cmd} -C INPUT -j ${c} 2>/dev/null || ${cmd} -I INPUT 1 -j ${c}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Both rulesets and the inputs as read, for a program. */
export function firewallJson(input: FirewallInput): string {
  const fams = (cs: readonly Cidr[]) => [...normalize(cs, 4), ...normalize(cs, 6)].map(formatCidr);
  const doc = {
    ports: { guarded: GUARDED_PORTS, kubelet: [KUBELET_PORT], etcd: ETCD_PORTS },
    allow: fams(input.allow),
    etcdAllow: fams(input.etcdAllow),
    nftables: nftRuleset(input),
    iptables: iptablesScript(input),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

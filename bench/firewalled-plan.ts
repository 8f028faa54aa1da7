// The pure part of bench/scan-firewalled.js: which addresses of a range drop every packet, which
// answer RST, where the simulated kubelets and etcds listen, the nftables ruleset that makes it so,
// and how a scanner's output is judged against that plan. No I/O, no clock: tested in
// test/bench-firewalled-plan.test.ts. Loopback (127.0.0.0/8) only, whatever the caller asks.

export const BENCH_PORTS: readonly number[] = [10250, 10255, 10248, 2379, 2380];

export type Kind = 'kubelet' | 'kubelet-read-only' | 'kubelet-healthz' | 'etcd';
/** how a simulated etcd answers an anonymous client: TLS asking a client certificate (kubeadm), or plain HTTP */
export type EtcdMode = 'tls-client-cert' | 'plain';

export interface ServerHost {
  host: string;
  /** the ports it listens on, with what answers there */
  ports: Array<{ port: number; kind: Kind }>;
  etcd?: EtcdMode;
}

export interface NetworkPlan {
  cidr: string;
  /** the range's first address and size */
  base: number;
  size: number;
  /** addresses that answer (RST on a closed port, or a server): sorted, the servers' included */
  live: number[];
  servers: ServerHost[];
}

export interface PlanOptions {
  /** share of the addresses that answer (default 0.3): the rest drop every packet */
  liveFraction?: number;
  /** hosts running a kubelet (default 40) */
  hosts?: number;
  /** of those, how many also run etcd on 2379 (default 4; the last one over plain HTTP) */
  etcdHosts?: number;
  seed?: number;
}

/** 32-bit PRNG (mulberry32): the same seed, the same network, run after run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ipToInt(ip: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) throw new Error(`not an IPv4 address: ${ip}`);
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An IPv4 CIDR inside 127.0.0.0/8 (never any other address), /8 to /30, not 127.0.0.0/16 (the host's own 127.0.0.1 lives there). */
export function parseLoopbackCidr(cidr: string): { base: number; size: number } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`${cidr}: expected a CIDR such as 127.16.0.0/20`);
  const bits = Number(m[2]);
  if (bits < 9 || bits > 30) throw new Error(`${cidr}: prefix length must be 9 to 30`);
  const addr = ipToInt(m[1]!);
  const size = 2 ** (32 - bits);
  if (addr % size !== 0) throw new Error(`${cidr}: not the first address of its network`);
  if (addr >>> 24 !== 127) throw new Error(`${cidr}: only 127.0.0.0/8 is allowed`);
  if (addr < ipToInt('127.1.0.0')) throw new Error(`${cidr}: 127.0.0.0/16 holds 127.0.0.1, the scanners' own source address: use another part of 127.0.0.0/8`);
  return { base: addr, size };
}

/**
 * The network of one range: kubelets on `hosts` addresses spread evenly over it (one per equal
 * slice, at a random place in the slice, never the first or last address of the range), etcd on
 * a few of them, and of the other addresses a `liveFraction` share that answers.
 */
export function planNetwork(cidr: string, opts: PlanOptions = {}): NetworkPlan {
  const { base, size } = parseLoopbackCidr(cidr);
  const liveFraction = opts.liveFraction ?? 0.3;
  const hostCount = Math.min(opts.hosts ?? 40, Math.floor((size - 2) / 2));
  const etcdCount = Math.min(opts.etcdHosts ?? 4, hostCount);
  const rand = prng(opts.seed ?? base);
  const servers: ServerHost[] = [];
  const slice = (size - 2) / hostCount;
  const etcdEvery = etcdCount > 0 ? Math.floor(hostCount / etcdCount) : 0;
  let etcdMade = 0;
  for (let i = 0; i < hostCount; i++) {
    const lo = 1 + Math.floor(i * slice);
    const hi = 1 + Math.floor((i + 1) * slice); // exclusive
    const host = base + lo + Math.floor(rand() * (hi - lo));
    // every kubelet has its secure port and healthz; every third keeps the read-only port (most
    // current installers turn it off, so a closed 10255 on a live host is in the sweep too)
    const ports: ServerHost['ports'] = [
      { port: 10250, kind: 'kubelet' },
      { port: 10248, kind: 'kubelet-healthz' },
    ];
    if (i % 3 === 0) ports.push({ port: 10255, kind: 'kubelet-read-only' });
    const s: ServerHost = { host: intToIp(host), ports };
    // control-plane nodes: etcd beside the kubelet, at the middle of every etcdEvery-th group
    if (etcdMade < etcdCount && etcdEvery > 0 && i % etcdEvery === Math.floor(etcdEvery / 2)) {
      etcdMade++;
      s.etcd = etcdMade === etcdCount ? 'plain' : 'tls-client-cert';
      ports.push({ port: 2379, kind: 'etcd' });
    }
    servers.push(s);
  }
  const serverSet = new Set(servers.map((s) => ipToInt(s.host)));
  const live: number[] = [];
  for (let i = 0; i < size; i++) {
    const a = base + i;
    if (serverSet.has(a) || rand() < liveFraction) live.push(a);
  }
  return { cidr, base, size, live, servers };
}

/** Sorted addresses as the fewest nftables set elements: runs of consecutive addresses as a-b. */
export function toElements(sorted: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? intToIp(sorted[i]!) : `${intToIp(sorted[i]!)}-${intToIp(sorted[j]!)}`);
    i = j + 1;
  }
  return out;
}

/**
 * The ruleset (for `nft -f`, inside the benchmark's own network namespace): one rule and two
 * named sets. Dropped on input, where a real host's firewall drops: the scanner's SYN leaves, nothing
 * comes back, and it retries until its timeout; a drop on output would fail connect() at once (EPERM).
 */
export function nftRuleset(plans: readonly NetworkPlan[], table = 'kgbench'): string {
  const ranges = plans.map((p) => `${intToIp(p.base)}/${32 - Math.log2(p.size)}`);
  const live = toElements(plans.flatMap((p) => p.live).sort((a, b) => a - b));
  const chunk = (xs: string[]) => {
    const lines: string[] = [];
    for (let i = 0; i < xs.length; i += 8) lines.push(`      ${xs.slice(i, i + 8).join(', ')}${i + 8 < xs.length ? ',' : ''}`);
    return lines.join('\n');
  };
  return [
    `table ip ${table} {`,
    '  set ranges {',
    '    type ipv4_addr; flags interval;',
    `    elements = {\n${chunk(ranges)}\n    }`,
    '  }',
    '  set live {',
    '    type ipv4_addr; flags interval;',
    `    elements = {\n${chunk(live)}\n    }`,
    '  }',
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    '    ip daddr @ranges ip daddr != @live drop',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** What must be found: host:port → kind. */
export function expectedPorts(plan: NetworkPlan): Map<string, Kind> {
  const m = new Map<string, Kind>();
  for (const s of plan.servers) for (const p of s.ports) m.set(`${s.host}:${p.port}`, p.kind);
  return m;
}

/** The part of a jsonl endpoint the judgement reads. */
export interface EndpointView {
  host?: unknown;
  port?: unknown;
  service?: unknown;
  anonymous?: unknown;
  reachable?: unknown;
  etcd?: unknown;
}

/**
 * Whether the scan classified an open port as what it is, with the evidence that proves it: a
 * kubelet's 401 (anonymous false), healthz's "ok", the read-only port's pod list, etcd's answer.
 */
export function classifiedAs(kind: Kind, ep: EndpointView): boolean {
  const reached = Array.isArray(ep.reachable) ? ep.reachable : [];
  switch (kind) {
    case 'kubelet':
      return ep.service === 'kubelet' && ep.anonymous === false;
    case 'kubelet-healthz':
      return ep.service === 'kubelet-healthz' && reached.includes('healthz');
    case 'kubelet-read-only':
      return ep.service === 'kubelet-read-only' && reached.includes('pods');
    case 'etcd': {
      const e = ep.etcd as { clientCertRequired?: unknown; version?: unknown } | undefined;
      return ep.service === 'etcd' && typeof e === 'object' && e !== null && (e.clientCertRequired === true || typeof e.version === 'string');
    }
  }
}

/** Open ports in nmap's grepable output (`-oG -`): host:port. */
export function nmapOpen(line: string): string[] {
  const m = /^Host: (\S+) .*Ports: (.*)$/.exec(line);
  if (!m) return [];
  const out: string[] = [];
  for (const p of m[2]!.split(',')) {
    const pm = /^\s*(\d+)\/open\//.exec(p);
    if (pm) out.push(`${m[1]}:${pm[1]}`);
  }
  return out;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Namespaces this benchmark left behind (kg-bench-<pid> whose process is gone). */
export function staleNamespaces(list: string, alive: (pid: number) => boolean): string[] {
  const out: string[] = [];
  for (const line of list.split('\n')) {
    const m = /^(kg-bench-(\d+))(?:\s|$)/.exec(line.trim());
    if (m && !alive(Number(m[2]))) out.push(m[1]!);
  }
  return out;
}

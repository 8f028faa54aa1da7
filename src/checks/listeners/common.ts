// Shared logic of the listener checks: whether the listeners can be judged at all, the listeners
// on a port, and addresses compared the way the kernel and Go see them. Pure: everything comes
// from NodeFacts.listeners (src/sources/listeners.ts).
//
// Go detail that matters (net/ipsock_posix.go favoriteAddrFamily): a server listening on "tcp"
// at a wildcard address (0.0.0.0, ::, "") gets one dual-stack AF_INET6 socket when the host
// supports IPv4-mapped addresses, so a kubelet configured with address 0.0.0.0 shows in
// /proc/net/tcp6 as `::`. Both wildcards are therefore the same "every interface".
import type { Listener, ListenerFacts, NodeFacts } from '../../facts/types.ts';
import type { CheckResult, Evidence } from '../types.ts';

export const OFFLINE = 'listeners are seen only on a live node';

/** ListenerFacts as the source fills them, with its note on what it could not read. */
export type Scan = ListenerFacts;

export type Gate = { kind: 'result'; result: CheckResult } | { kind: 'ok'; lf: Scan };

/** not-applicable offline, unknown when the listeners cannot be known (with what was seen). */
export function gate(facts: NodeFacts): Gate {
  if (facts.mode === 'offline') return { kind: 'result', result: { status: 'not-applicable', message: OFFLINE } };
  const lf = facts.listeners as Scan | undefined;
  if (!lf) return { kind: 'result', result: { status: 'unknown', message: 'the listeners were not examined: the evidence holds no listener facts' } };
  if (!lf.available || lf.unknown) {
    return {
      kind: 'result',
      result: {
        status: 'unknown',
        message: `the node's listeners cannot be known: ${lf.unknown ?? 'not available'}`,
        evidence: lf.listeners.slice(0, 50).map((l) => listenerEvidence(l)),
      },
    };
  }
  return { kind: 'ok', lf };
}

export function onPort(lf: ListenerFacts, port: number): Listener[] {
  return lf.listeners.filter((l) => l.port === port);
}

/** A canonical address: lower case, no brackets, IPv6 compressed, IPv4-mapped as plain IPv4. */
export function canon(addr: string): string {
  const a = addr.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) return v4.slice(1).map(Number).join('.');
  if (!a.includes(':')) return a;
  let h: string;
  try {
    h = new URL(`http://[${a}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return a;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return h;
}

export function isWildcard(addr: string): boolean {
  const c = canon(addr);
  return c === '' || c === '0.0.0.0' || c === '::';
}

/** 127.0.0.0/8, ::1 (and their IPv4-mapped forms), or the name localhost. */
export function isLoopbackAddr(addr: string): boolean {
  const c = canon(addr);
  return c === 'localhost' || c === '::1' || /^127\.\d+\.\d+\.\d+$/.test(c);
}

/** "0.0.0.0:10250", "[::]:10250". */
export function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/**
 * Processes that are a kubelet or embed one, by /proc/<pid>/comm (or argv[0]'s base name): the
 * kubelet itself (kubeadm, kind, and k0s and RKE2, which start the kubelet binary as a child),
 * MicroK8s' kubelite and k3s (the kubelet runs inside them, k3s re-executing itself as k3s-server
 * or k3s-agent), and hyperkube run as `hyperkube kubelet`.
 */
const KUBELET_PROCESSES: Record<string, string> = {
  kubelet: 'a kubelet',
  kubelite: "MicroK8s' kubelite, which embeds the kubelet",
  k3s: 'k3s, which embeds the kubelet',
  'k3s-server': 'k3s, which embeds the kubelet',
  'k3s-agent': 'k3s, which embeds the kubelet',
};

/** Whose a listener is: the kubelet (or a process that embeds it), another named process, or unknown. */
export type Owner = { kind: 'kubelet' | 'other' | 'unknown'; words: string };

export function ownerOf(facts: NodeFacts, l: Listener): Owner {
  if (l.pid === undefined) return { kind: 'unknown', words: 'a process this audit could not identify' };
  if (l.pid === kubeletPid(facts)) return { kind: 'kubelet', words: `the audited kubelet (${who(l)})` };
  const name = l.process;
  if (name === undefined) return { kind: 'unknown', words: `pid ${l.pid}, whose name could not be read` };
  const embeds = KUBELET_PROCESSES[name] ?? (name === 'hyperkube' && l.subcommand === 'kubelet' ? 'hyperkube kubelet' : undefined);
  if (embeds) return { kind: 'kubelet', words: `${who(l)}, ${embeds}` };
  return { kind: 'other', words: `${who(l)}, which is not a kubelet nor a process known to embed one (k3s, MicroK8s kubelite, hyperkube kubelet)` };
}

/** Processes that are kube-proxy or embed it (k3s and MicroK8s' kubelite run it in-process). */
const KUBE_PROXY_PROCESSES = new Set(['kube-proxy', 'kubelite', 'k3s', 'k3s-server', 'k3s-agent']);

/** Whether a listener's process is known to be something else than kube-proxy. */
export function notKubeProxy(l: Listener): boolean {
  if (l.pid === undefined || l.process === undefined) return false;
  if (KUBE_PROXY_PROCESSES.has(l.process)) return false;
  return !(l.process === 'hyperkube' && l.subcommand === 'kube-proxy');
}

/** The listeners that are, or may be, a kubelet's: identified as one, or of an unknown owner. */
export function maybeKubelet(facts: NodeFacts, ls: Listener[]): Listener[] {
  return ls.filter((l) => ownerOf(facts, l).kind !== 'other');
}

export function who(l: Listener): string {
  if (l.pid === undefined) return 'an unknown process';
  return `${l.process ?? 'process'} (pid ${l.pid})`;
}

/** "[::]:10250 (tcp6, every interface) by kubelet (pid 812)". */
export function describe(l: Listener): string {
  const scope = isWildcard(l.address) ? 'every interface' : isLoopbackAddr(l.address) ? 'loopback only' : 'this address only';
  return `${hostPort(l.address, l.port)} (${l.proto}, ${scope}) by ${who(l)}`;
}

export function listenerEvidence(l: Listener, note?: string): Evidence {
  return { file: `/proc/net/${l.proto}`, note: `${describe(l)}, socket inode ${l.inode}${note ? `; ${note}` : ''}` };
}

/** Why the owning process of some listeners is unknown, from the source's note. */
export function attributionNote(lf: Scan, ls: Listener[]): string {
  if (!ls.some((l) => l.pid === undefined)) return '';
  return lf.note ? ` (the owning process is unknown: ${lf.note})` : ' (the owning process is unknown)';
}

/** The pid of the running kubelet the audit found, when it found one. */
export function kubeletPid(facts: NodeFacts): number | undefined {
  const inv = facts.kubelet.invocation;
  return inv?.from === 'process' ? inv.pid : undefined;
}

/** Listeners that belong, as far as can be told, to another process than the audited kubelet. */
export function notKubelet(facts: NodeFacts, ls: Listener[]): Listener[] {
  const pid = kubeletPid(facts);
  if (pid === undefined) return [];
  return ls.filter((l) => l.pid !== undefined && l.pid !== pid);
}

/**
 * Why "nothing listens" may not speak for the node: /proc/net lists the reader's own network
 * namespace. Trusted when it is pid 1's, or when the running kubelet's own sockets are in it
 * (the kubelet runs in the node's network namespace). Undefined: absence can be trusted.
 */
export function absenceDoubt(facts: NodeFacts, lf: Scan): string | undefined {
  if (lf.sameNetnsAsInit === true) return undefined;
  const pid = kubeletPid(facts);
  if (pid !== undefined && lf.listeners.some((l) => l.pid === pid)) return undefined;
  return `whether this audit sees the node's network namespace cannot be told (it could not compare its own with pid 1's, and sees no socket of a running kubelet)${lf.note ? `: ${lf.note}` : ''}`;
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

// TCP listeners of a live node, joined to the processes that hold them (kubelet-facts §1, §7).
//
// /proc/net/tcp and /proc/net/tcp6 (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c
// get_tcp6_sock): after a header line, one socket per line,
//   `sl: local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …`
// where an IPv4 address is its __be32 printed with %08X (so on a little-endian host the bytes
// read backwards: 0100007F is 127.0.0.1), an IPv6 address is its four __be32 words printed the
// same way one after the other, the port is in host order (%04X of ntohs), `st` is the TCP state
// (0A = TCP_LISTEN) and `inode` is the socket's inode, which /proc/<pid>/fd/* links name as
// `socket:[INODE]`. Listening sockets are printed first.
//
// What the kernel lists is the network namespace of the reader (/proc/net is /proc/self/net):
// run inside a container without the host network, this sees the container's sockets only.
// Reading another user's /proc/<pid>/fd needs root (ptrace access); what cannot be read is
// counted, never guessed. Nothing here opens a connection.
import os from 'node:os';
import type { Listener, ListenerFacts } from '../facts/types.ts';
import type { RootFs } from './root-fs.ts';
import { formatIPv6 as formatIPv6Number, ipv6FromBytes } from '../net/ip-text.ts';

export const OFFLINE = 'listeners are seen only on a live node';

/** Bounds of the process scan. */
export const LIMITS = { pids: 20000, fdsPerPid: 65536, fds: 300_000, procNetBytes: 64 * 1024 * 1024 };

export interface ProcNetEntry {
  address: string;
  port: number;
  state: number;
  uid: number;
  inode: number;
}

const HEX = /^[0-9A-Fa-f]+$/;

/** One line of /proc/net/tcp (family 4) or tcp6 (family 6); undefined for the header or garbage. Never throws. */
export function parseProcNetTcpLine(line: string, family: 4 | 6, endian: 'LE' | 'BE' = os.endianness()): ProcNetEntry | undefined {
  if (typeof line !== 'string') return undefined;
  const f = line.trim().split(/\s+/);
  if (f.length < 10 || !/^\d+:$/.test(f[0]!)) return undefined;
  const local = f[1]!.split(':');
  if (local.length !== 2) return undefined;
  const [addrHex, portHex] = local as [string, string];
  const addrLen = family === 4 ? 8 : 32;
  if (addrHex.length !== addrLen || !HEX.test(addrHex) || portHex.length !== 4 || !HEX.test(portHex)) return undefined;
  if (!/^[0-9A-Fa-f]{2}$/.test(f[3]!)) return undefined;
  if (!/^\d{1,10}$/.test(f[7]!) || !/^\d{1,19}$/.test(f[9]!)) return undefined;
  const inode = Number(f[9]);
  if (!Number.isSafeInteger(inode)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < addrLen; w += 8) {
    const word = [0, 2, 4, 6].map((i) => parseInt(addrHex.slice(w + i, w + i + 2), 16));
    bytes.push(...(endian === 'LE' ? word.reverse() : word));
  }
  return {
    address: family === 4 ? bytes.join('.') : formatIPv6(bytes),
    port: parseInt(portHex, 16),
    state: parseInt(f[3]!, 16),
    uid: Number(f[7]),
    inode,
  };
}

/** RFC 5952 text of 16 bytes (network order); IPv4-mapped addresses as ::ffff:a.b.c.d. */
export function formatIPv6(b: number[]): string {
  return b.length === 16 ? formatIPv6Number(ipv6FromBytes(b)) : '';
}

const TCP_LISTEN = 0x0a;

export function readListeners(fs: RootFs, live: boolean): ListenerFacts {
  if (!live) return { available: false, unknown: OFFLINE, listeners: [] };
  const listeners: Listener[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const incomplete: string[] = [];

  let readable = 0;
  for (const [proto, family] of [['tcp', 4], ['tcp6', 6]] as const) {
    const file = `/proc/net/${proto}`;
    const r = fs.read(file, LIMITS.procNetBytes);
    if (!r.ok) {
      // No tcp6 at all: the kernel runs without IPv6, so there are no IPv6 listeners to miss.
      if (proto === 'tcp6' && r.code === 'ENOENT') notes.push('/proc/net/tcp6 does not exist (no IPv6 in this kernel)');
      else problems.push(`cannot read ${file}: ${r.error}`);
      continue;
    }
    readable++;
    for (const line of r.bytes.toString('latin1').split('\n')) {
      const e = parseProcNetTcpLine(line, family);
      if (!e || e.state !== TCP_LISTEN) continue;
      listeners.push({ proto, address: e.address, port: e.port, inode: e.inode });
    }
  }
  if (readable === 0) {
    return { available: true, unknown: problems.join('; '), listeners: [] };
  }

  // Whose network namespace is this? Only comparable when pid 1's link can be read (root).
  const self = fs.readlink('/proc/self/ns/net');
  const init = fs.readlink('/proc/1/ns/net');
  const sameNetns = self.ok && init.ok ? self.target === init.target : undefined;
  if (self.ok && init.ok && self.target !== init.target) {
    problems.push(`this audit runs in another network namespace (${self.target}) than pid 1 (${init.target}): /proc/net shows that namespace's sockets, not the node's; run it in the host network namespace (e.g. nsenter -t 1 -n, or a hostNetwork pod)`);
  } else if (!self.ok || !init.ok) {
    const why = !self.ok ? `/proc/self/ns/net: ${self.error}` : !init.ok ? `/proc/1/ns/net: ${init.error}` : '';
    notes.push(`whether this runs in the host network namespace cannot be told (${why})`);
    incomplete.push(`the network namespace of pid 1 could not be compared with this audit's (${why})`);
  }

  const scan = joinToProcesses(fs, listeners);
  notes.push(...scan.notes);
  incomplete.push(...scan.incomplete);

  listeners.sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto) || a.address.localeCompare(b.address) || a.inode - b.inode);
  return {
    available: true,
    listeners,
    ...(problems.length > 0 ? { unknown: problems.join('; ') } : {}),
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    ...(sameNetns !== undefined ? { sameNetnsAsInit: sameNetns } : {}),
    ...(incomplete.length > 0 ? { incomplete } : {}),
  };
}

/** Fills pid and process of each listener from /proc/<pid>/fd/*; bounded; says what it could not read. */
function joinToProcesses(fs: RootFs, listeners: Listener[]): { notes: string[]; incomplete: string[] } {
  const notes: string[] = [];
  const incomplete: string[] = [];
  const wanted = new Map<number, Listener[]>();
  for (const l of listeners) {
    if (l.inode === 0) continue; // a socket being torn down has no inode
    const xs = wanted.get(l.inode) ?? [];
    xs.push(l);
    wanted.set(l.inode, xs);
  }
  if (wanted.size === 0) return { notes, incomplete };
  const list = fs.entries('/proc', (n) => /^[0-9]+$/.test(n));
  if (!list.ok) {
    const why = `cannot list /proc to find the processes behind the listeners: ${list.error}`;
    return { notes: [why], incomplete: [why] };
  }
  const pids = list.entries.map((e) => Number(e.name)).sort((a, b) => a - b);
  let denied = 0;
  let scannedPids = 0;
  let fdsSeen = 0;
  let capped = '';
  const found = new Set<number>();
  for (const pid of pids) {
    if (found.size === wanted.size) break;
    if (scannedPids >= LIMITS.pids) {
      capped = `only the first ${LIMITS.pids} of ${pids.length} processes were scanned`;
      break;
    }
    if (fdsSeen >= LIMITS.fds) {
      capped = `the scan stopped after ${LIMITS.fds} file descriptors`;
      break;
    }
    scannedPids++;
    const fds = fs.entries(`/proc/${pid}/fd`, () => true, LIMITS.fdsPerPid);
    if (!fds.ok) {
      if (fds.code === 'EACCES' || fds.code === 'EPERM') denied++;
      continue; // ENOENT: the process has exited since /proc was listed
    }
    let owned = false;
    let refused = false;
    if (fds.truncated) capped ||= `pid ${pid} holds more than ${LIMITS.fdsPerPid} file descriptors; only ${LIMITS.fdsPerPid} were examined`;
    for (const { name: fd } of fds.entries) {
      fdsSeen++;
      const link = fs.readlink(`/proc/${pid}/fd/${fd}`);
      if (!link.ok) {
        // The folder may be listable while its links are not (ptrace access is checked per link).
        if (link.code === 'EACCES' || link.code === 'EPERM') refused = true;
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link.target);
      if (!m) continue;
      const inode = Number(m[1]);
      const ls = wanted.get(inode);
      if (!ls || found.has(inode)) continue; // first (lowest) pid wins for a shared socket
      found.add(inode);
      for (const l of ls) l.pid = pid;
      owned = true;
    }
    if (refused) denied++;
    if (owned) {
      const { name, subcommand } = processName(fs, pid);
      for (const l of listeners) {
        if (l.pid !== pid) continue;
        if (name) l.process = name;
        if (subcommand) l.subcommand = subcommand;
      }
    }
  }
  const missing = wanted.size - found.size;
  if (denied > 0) {
    const who = typeof process.getuid === 'function' && process.getuid() !== 0 ? ' (not root: only your own processes can be read)' : ' (ptrace access refused, e.g. a container without CAP_SYS_PTRACE)';
    const why = `the file descriptors of ${denied} process${denied === 1 ? '' : 'es'} could not be read${who}`;
    notes.push(why);
    incomplete.push(why);
  }
  if (capped) {
    notes.push(capped);
    incomplete.push(capped);
  }
  if (missing > 0) {
    notes.push(`${missing} listening socket${missing === 1 ? '' : 's'} could not be joined to a process${denied === 0 && !capped ? ' (held by a process in another pid namespace, or closed during the scan)' : ''}`);
  }
  return { notes, incomplete };
}

/**
 * comm, or argv[0]'s base name when comm is cut at 15 characters (TASK_COMM_LEN); and argv[1] when
 * it is a plain subcommand word (`hyperkube kubelet`, `k3s agent`), which tells a kubelet
 * embedded in a multi-call binary. Only such a word is kept: argv may hold tokens (k3s --token).
 */
function processName(fs: RootFs, pid: number): { name?: string; subcommand?: string } {
  const c = fs.read(`/proc/${pid}/comm`, 4096);
  const comm = c.ok ? c.bytes.toString('utf8').replace(/\n$/, '') : undefined;
  const cmd = fs.read(`/proc/${pid}/cmdline`, 64 * 1024);
  const argv = cmd.ok && cmd.bytes.length > 0 ? cmd.bytes.toString('utf8').split('\0') : [];
  const sub = argv[1] !== undefined && /^[a-z][a-z0-9-]{0,31}$/.test(argv[1]) ? { subcommand: argv[1] } : {};
  if (comm !== undefined && comm.length < 15) return { name: comm, ...sub };
  const base = (argv[0] ?? '').split('/').pop() ?? '';
  if (base && (comm === undefined || base.startsWith(comm))) return { name: base, ...sub };
  return { ...(comm !== undefined ? { name: comm } : {}), ...sub };
}


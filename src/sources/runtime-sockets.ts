// Container runtime sockets (kubelet-facts §7): the kubelet's containerRuntimeEndpoint (and
// imageServiceEndpoint when it names another socket) plus the places runtimes put their sockets,
// each stat'ed with its owner and group by name and the group's members. Read-only: no socket is
// ever connected to; a socket exists only while its runtime runs, so an offline copy has none.
//
// How the kubelet reads the endpoint (k8s.io/cri-client pkg/util/util_unix.go,
// GetAddressAndDialer → parseEndpointWithFallbackProtocol): url.Parse; scheme `unix` → the URL's
// path (the host part is dropped: `unix://run/x.sock` dials `/x.sock`); scheme `tcp` → refused on
// Linux ("only support unix socket endpoint"); any other scheme → "protocol not supported"; no
// scheme → parsed again as `unix://` + the value (deprecated, but honoured).
//
// Convention the runtime-socket checks rely on: the fact of the kubelet's own endpoint has a
// `source` that starts with `containerRuntimeEndpoint`.
import path from 'node:path';
import type { EffectiveConfig, RuntimeSocketFact, RuntimeSocketFacts } from '../facts/types.ts';
import { normalize, PATH_MAX, type RootFs } from './root-fs.ts';

/** Where runtimes put their sockets, in the order they are reported. */
export const KNOWN_SOCKETS: ReadonlyArray<{ path: string; runtime: string }> = [
  { path: '/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/var/run/containerd/containerd.sock', runtime: 'containerd' },
  // containerd serves ttrpc on the gRPC address + ".ttrpc", with the gRPC socket's uid and gid
  // unless [ttrpc] says otherwise (cmd/containerd/command/main.go).
  { path: '/run/containerd/containerd.sock.ttrpc', runtime: 'containerd ttrpc' },
  { path: '/var/run/crio/crio.sock', runtime: 'CRI-O' },
  { path: '/run/crio/crio.sock', runtime: 'CRI-O' },
  { path: '/var/run/docker.sock', runtime: 'Docker' },
  { path: '/run/docker.sock', runtime: 'Docker' },
  { path: '/var/run/cri-dockerd.sock', runtime: 'cri-dockerd' },
  { path: '/run/cri-dockerd.sock', runtime: 'cri-dockerd' },
  { path: '/run/k3s/containerd/containerd.sock', runtime: 'k3s containerd' },
  { path: '/run/k3s/containerd/containerd.sock.ttrpc', runtime: 'k3s containerd ttrpc' },
  { path: '/var/run/dockershim.sock', runtime: 'dockershim (removed from the kubelet in 1.24)' },
];

export type Endpoint =
  | { kind: 'unix'; path: string; note?: string }
  | { kind: 'remote'; why: string }
  | { kind: 'invalid'; why: string };

/** What the kubelet makes of a CRI endpoint on Linux (see the header). Never throws. */
export function parseEndpoint(value: string): Endpoint {
  if (/[\x00-\x1f\x7f]/.test(value)) return { kind: 'invalid', why: `${JSON.stringify(value)} has a control character: Go's url.Parse refuses it` };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value);
  if (!m) {
    if (value.startsWith(':')) return { kind: 'invalid', why: `${JSON.stringify(value)} is not a URL (missing protocol scheme)` };
    if (value === '') return { kind: 'invalid', why: 'the endpoint is empty' };
    // No scheme: the kubelet retries with "unix://" in front (and logs a deprecation warning).
    const r = unixPath('unix://' + value);
    return r.kind === 'unix' ? { ...r, note: `a bare path, read as unix://${value}${r.note ? `; ${r.note}` : ''}` } : r;
  }
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'unix') return unixPath(value);
  if (scheme === 'tcp') {
    return { kind: 'remote', why: `${value} is a TCP endpoint, not a local socket; the kubelet on Linux refuses it ("only support unix socket endpoint", k8s.io/cri-client pkg/util/util_unix.go), so it cannot reach its runtime` };
  }
  if (scheme === 'npipe') return { kind: 'remote', why: `${value} is a Windows named pipe, not a local unix socket; the kubelet on Linux does not support the npipe protocol` };
  return { kind: 'invalid', why: `${value}: protocol "${scheme}" is not supported by the kubelet on Linux` };
}

/** The path Go's url.Parse gives for a `unix:` URL (fragment and query cut, escapes decoded). */
function unixPath(url: string): Endpoint {
  let rest = url.slice(url.indexOf(':') + 1);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  let host = '';
  if (rest.startsWith('//')) {
    const auth = rest.slice(2);
    const slash = auth.indexOf('/');
    host = slash < 0 ? auth : auth.slice(0, slash);
    rest = slash < 0 ? '' : auth.slice(slash);
  } else if (!rest.startsWith('/')) {
    return { kind: 'invalid', why: `${url} has no path (an opaque URL): the kubelet would dial an empty address` };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { kind: 'invalid', why: `${url} has an invalid %-escape: the kubelet cannot parse it` };
  }
  if (decoded === '') return { kind: 'invalid', why: `${url} has an empty path: the kubelet would dial an empty address` };
  return { kind: 'unix', path: decoded, ...(host ? { note: `the host part "${host}" of ${url} is ignored: the kubelet dials ${decoded}` } : {}) };
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.@-]*\$?$/;

/** /etc/passwd lines `name:pw:uid:gid:…`; comments, NIS `+`/`-` lines and garbage are ignored. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    if (f.length < 4 || !NAME.test(f[0]!) || !/^\d{1,10}$/.test(f[2]!) || !/^\d{1,10}$/.test(f[3]!)) continue;
    out.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) });
  }
  return out;
}

/** /etc/group lines `name:pw:gid:member,member`; the member list may be missing or empty. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    if (f.length < 3 || !NAME.test(f[0]!) || !/^\d{1,10}$/.test(f[2]!)) continue;
    const members = (f[3] ?? '').split(',').map((s) => s.trim()).filter((s) => NAME.test(s));
    out.push({ name: f[0]!, gid: Number(f[2]), members: [...new Set(members)] });
  }
  return out;
}

interface Accounts {
  users?: PasswdEntry[];
  groups?: GroupEntry[];
}

function readAccounts(fs: RootFs): Accounts {
  const p = fs.read('/etc/passwd');
  const g = fs.read('/etc/group');
  return {
    ...(p.ok ? { users: parsePasswd(p.bytes.toString('utf8')) } : {}),
    ...(g.ok ? { groups: parseGroup(g.bytes.toString('utf8')) } : {}),
  };
}

/** Owner and group names, and the group's members: listed in /etc/group plus primary-group users. */
function namesOf(acc: Accounts, uid: number | undefined, gid: number | undefined): Pick<RuntimeSocketFact, 'owner' | 'group' | 'groupMembers'> {
  const out: Pick<RuntimeSocketFact, 'owner' | 'group' | 'groupMembers'> = {};
  // getpwuid/getgrgid return the first matching line.
  const owner = uid === undefined ? undefined : acc.users?.find((u) => u.uid === uid);
  if (owner) out.owner = owner.name;
  if (gid === undefined || !acc.groups) return out;
  const group = acc.groups.find((x) => x.gid === gid);
  if (group) out.group = group.name;
  // Members are known only when both files were read: a user's primary group is in /etc/passwd.
  if (acc.users) {
    const listed = acc.groups.filter((x) => x.gid === gid).flatMap((x) => x.members);
    const primary = acc.users.filter((u) => u.gid === gid).map((u) => u.name);
    out.groupMembers = [...new Set([...listed, ...primary])];
  }
  return out;
}

/**
 * The key two node paths share when they name the same file (/var/run → /run): the real path,
 * or for a path that does not exist, the real path of its nearest existing folder plus the rest.
 */
function identity(fs: RootFs, p: string): string {
  const rest: string[] = [];
  let cur = normalize(p);
  if (cur.length >= PATH_MAX) return cur; // names no file (ENAMETOOLONG); walking it up would cost its length squared
  for (;;) {
    const r = fs.realpath(cur);
    if (r.ok) return path.posix.join(r.path, ...rest);
    if (cur === '/') return normalize(p);
    rest.unshift(path.posix.basename(cur));
    cur = path.posix.dirname(cur);
  }
}

export function readRuntimeSockets(fs: RootFs, effective: EffectiveConfig): RuntimeSocketFacts {
  const candidates: Array<{ path: string; source: string }> = [];
  const unknown: string[] = [];

  const endpoint = (setting: string): void => {
    const s = effective[setting];
    if (setting === 'imageServiceEndpoint' && (!s || s.unknown || s.value === '')) return; // "" = the runtime endpoint
    if (!s) {
      unknown.push(`${setting} is not known: the evidence holds no effective kubelet configuration`);
      return;
    }
    if (s.unknown) {
      unknown.push(`${setting} cannot be known: ${s.unknown}`);
      return;
    }
    if (typeof s.value !== 'string') {
      unknown.push(`${setting} is not a string (${JSON.stringify(s.value)})`);
      return;
    }
    const e = parseEndpoint(s.value);
    if (e.kind !== 'unix') {
      unknown.push(`${setting}: ${e.why}`);
      return;
    }
    candidates.push({ path: normalize(e.path), source: `${setting} (${s.value}${e.note ? `; ${e.note}` : ''})` });
  };
  endpoint('containerRuntimeEndpoint');
  endpoint('imageServiceEndpoint');
  for (const k of KNOWN_SOCKETS) candidates.push({ path: k.path, source: `known location (${k.runtime})` });

  const byId = new Map<string, RuntimeSocketFact>();
  const sockets: RuntimeSocketFact[] = [];
  let accounts: Accounts | undefined;
  for (const c of candidates) {
    const id = identity(fs, c.path);
    const seen = byId.get(id);
    if (seen) {
      const alias = c.path === seen.path ? '' : ` at ${c.path}`;
      if (!seen.source.includes(c.source)) seen.source += `; also ${c.source}${alias}`;
      else if (alias) seen.source += `; also${alias}`;
      continue;
    }
    const stat = fs.stat(c.path);
    const fact: RuntimeSocketFact = { path: c.path, source: c.source, stat };
    if (stat.exists === true) {
      accounts ??= readAccounts(fs);
      Object.assign(fact, namesOf(accounts, stat.uid, stat.gid));
    }
    byId.set(id, fact);
    sockets.push(fact);
  }
  return { sockets, ...(unknown.length > 0 ? { unknown: unknown.join('; ') } : {}) };
}

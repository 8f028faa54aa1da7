// Shared logic of the runtime-socket checks (kubelet-facts §7: the runtime socket is root only).
// Pure: everything comes from NodeFacts.runtimeSockets. The kubelet's own endpoint is the fact
// whose `source` starts with `containerRuntimeEndpoint` (see src/sources/runtime-sockets.ts).
import type { NodeFacts, RuntimeSocketFact } from '../../facts/types.ts';
import type { CheckResult, Evidence, Severity } from '../types.ts';
import { octal, shellWord } from '../files/file-stat.ts';

export { octal, shellWord };

export const isEndpoint = (s: RuntimeSocketFact): boolean => s.source.startsWith('containerRuntimeEndpoint');

export const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** "docker (gid 999)", "gid 999 (no name in /etc/group)". */
export function groupName(s: RuntimeSocketFact): string {
  const gid = s.stat.gid;
  return s.group ? `${s.group} (gid ${gid})` : `gid ${gid} (no name in /etc/group)`;
}

export function ownerName(s: RuntimeSocketFact): string {
  const uid = s.stat.uid;
  return s.owner ? `${s.owner} (uid ${uid})` : `uid ${uid} (no name in /etc/passwd)`;
}

/** The stat of a socket as evidence: type, mode, owner and group with names. */
export function socketEvidence(s: RuntimeSocketFact): Evidence {
  const st = s.stat;
  const parts: string[] = [];
  if (st.exists === false) parts.push('does not exist');
  else if (st.exists === null) parts.push(st.error ?? 'stat failed');
  else {
    parts.push(`type ${st.type ?? 'unknown'}`);
    parts.push(st.mode === undefined ? 'mode unknown' : `mode ${octal(st.mode)}`);
    if (st.uid !== undefined) parts.push(`owner ${ownerName(s)}`);
    if (st.gid !== undefined) parts.push(`group ${groupName(s)}`);
    if (s.groupMembers) parts.push(`group members: ${s.groupMembers.length > 0 ? s.groupMembers.join(', ') : 'none listed'}`);
  }
  parts.push(`found as: ${s.source}`);
  return { file: s.path, note: parts.join('; ') };
}

/** Which runtime a socket belongs to, for the fix that survives a restart. */
export function runtimeOf(s: RuntimeSocketFact): 'docker' | 'cri-dockerd' | 'containerd' | 'crio' | 'other' {
  const t = `${s.path} ${s.source}`;
  if (/cri-dockerd/i.test(t)) return 'cri-dockerd';
  if (/docker\.sock|\(Docker\)/i.test(t)) return 'docker';
  if (/containerd/i.test(t)) return 'containerd';
  if (/crio/i.test(t)) return 'crio';
  return 'other';
}

/** Where the socket's owner and mode are set, so a fix outlives the next start of the runtime. */
export function persistFix(s: RuntimeSocketFact): string {
  switch (runtimeOf(s)) {
    case 'docker':
      return 'The socket is created again at every start: set SocketGroup=root in docker.socket (systemctl edit docker.socket; its packaged default is SocketMode=0660, SocketGroup=docker) or, without socket activation, "group": "root" in /etc/docker/daemon.json (dockerd --group, default docker); or run rootless Docker';
    case 'cri-dockerd':
      return 'The socket is created again at every start: set SocketGroup=root in cri-docker.socket (systemctl edit cri-docker.socket; its packaged default is SocketGroup=docker)';
    case 'containerd':
      return 'The socket is created again at every start: set uid = 0 and gid = 0 under [grpc] (and [ttrpc]) in /etc/containerd/config.toml and restart containerd';
    default:
      return "The socket is created again at every start: fix the owner, group and mode in the runtime's own configuration too";
  }
}

export type Present =
  | { kind: 'none'; result: CheckResult }
  | { kind: 'some'; present: RuntimeSocketFact[]; extra: CheckResult[] };

/**
 * The socket paths that exist (or could not be examined), plus a result for the kubelet's own
 * endpoint when it is missing and for an endpoint that names no local socket. When nothing
 * exists anywhere: not-applicable on an offline root (sockets exist only while the runtime
 * runs), unknown on a live node (the runtime may run elsewhere).
 */
export function presentSockets(facts: NodeFacts): Present {
  const rs = facts.runtimeSockets;
  const offline = facts.mode === 'offline';
  if (!rs) {
    return { kind: 'none', result: { status: 'unknown', message: 'the runtime sockets were not examined: the evidence holds no runtime-socket facts' } };
  }
  const present = rs.sockets.filter((s) => s.stat.exists !== false);
  const endpoint = rs.sockets.find(isEndpoint);
  const lookedAt = rs.sockets.map((s) => s.path);
  const why = rs.unknown ? ` (${rs.unknown})` : '';
  if (present.length === 0) {
    const where = `no runtime socket exists at ${lookedAt.join(', ')}`;
    if (offline) {
      return {
        kind: 'none',
        result: {
          status: 'not-applicable',
          message: `${where}: sockets exist only while the runtime runs; an offline copy has none${why}`,
          evidence: rs.sockets.map((s) => ({ file: s.path, note: `does not exist; ${s.source}` })),
        },
      };
    }
    return {
      kind: 'none',
      result: {
        status: 'unknown',
        message: `${where}${endpoint ? ` (the kubelet's endpoint is ${endpoint.path})` : ''}: the runtime is not running here, or it listens at a path not known to this audit; whether its socket is root-only cannot be told${why}`,
        evidence: rs.sockets.map((s) => ({ file: s.path, note: `does not exist; ${s.source}` })),
      },
    };
  }
  const extra: CheckResult[] = [];
  if (endpoint && endpoint.stat.exists === false) {
    extra.push({
      status: offline ? 'not-applicable' : 'unknown',
      subject: endpoint.path,
      message: offline
        ? `the kubelet's runtime endpoint ${endpoint.path} does not exist: sockets exist only while the runtime runs; an offline copy has none`
        : `the kubelet's runtime endpoint ${endpoint.path} does not exist: the runtime is not running, or listens elsewhere; the kubelet cannot reach it`,
      evidence: [socketEvidence(endpoint)],
    });
  }
  if (rs.unknown) {
    extra.push({ status: 'unknown', subject: 'containerRuntimeEndpoint', message: `the kubelet's own runtime socket is not known: ${rs.unknown}` });
  }
  return { kind: 'some', present, extra };
}

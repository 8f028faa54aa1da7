// Only root may connect to a container runtime socket (kubelet-facts §7): whoever connects runs
// containers with any host path mounted, privileged, in the host namespaces — root on the node,
// without the API server, its admission or its audit log.
//
// What access means, from unix(7): on Linux, connecting to a stream socket requires write
// permission on the socket file (and search permission on its folders). So `w` for others lets
// every local user connect; `w` for the group lets its members — and any process or container
// running with that gid — connect; r and x alone do not let anyone connect. The owner can always
// chmod the file, so a socket not owned by root is open to its owner.
// The docker group is the classic case: Docker's own docs ("Linux post-installation steps") warn
// that the docker group grants root-level privileges.
import type { NodeFacts, RuntimeSocketFact } from '../../facts/types.ts';
import type { Check, CheckResult, Severity } from '../types.ts';
import { groupName, octal, ownerName, persistFix, presentSockets, RANK, runtimeOf, shellWord, socketEvidence } from './common.ts';

interface Issue {
  severity: Severity;
  text: string;
  fix: string[];
}

function can(bits: number): string {
  const w: string[] = [];
  if (bits & 4) w.push('read');
  if (bits & 2) w.push('write');
  if (bits & 1) w.push('execute');
  return w.join(' and ');
}

function membersText(s: RuntimeSocketFact): string {
  const gid = s.stat.gid;
  const anyProcess = `any process or container running with gid ${gid} (runAsGroup, fsGroup or supplementalGroups ${gid} in a pod that mounts the socket)`;
  if (!s.groupMembers) return `its members cannot be listed (/etc/group or /etc/passwd could not be read), and ${anyProcess} can too`;
  if (s.groupMembers.length === 0) return `no user is listed in it, but ${anyProcess} can connect, and so can anyone added to the group later`;
  return `its members ${s.groupMembers.join(', ')} (from /etc/group and the primary groups in /etc/passwd; LDAP or SSSD may add more) and ${anyProcess} can connect`;
}

/** gpasswd -d for each member (a user whose primary group it is needs usermod -g instead). */
function memberFixes(s: RuntimeSocketFact): string[] {
  const g = s.group ?? String(s.stat.gid);
  const members = (s.groupMembers ?? []).filter((m) => m !== 'root');
  if (members.length === 0) return [];
  return [...members.map((m) => `gpasswd -d ${shellWord(m)} ${shellWord(g)}`), `(for a user whose primary group is ${g}: usermod -g <another group> USER)`];
}

export function judgeAccess(facts: NodeFacts, s: RuntimeSocketFact): CheckResult {
  const subject = s.path;
  const evidence = [socketEvidence(s)];
  const st = s.stat;
  if (st.exists === null) return { status: 'unknown', subject, message: `${s.path} cannot be examined: ${st.error ?? 'stat failed'}`, evidence };
  if (st.type !== 'socket') {
    return { status: 'not-applicable', subject, message: `${s.path} is a ${st.type === 'dir' ? 'folder' : st.type === 'file' ? 'regular file' : (st.type ?? 'file of unknown type')}, not a socket: nothing can connect to it (see runtime-socket-is-socket)`, evidence };
  }
  if (st.mode === undefined || st.uid === undefined || st.gid === undefined) {
    return { status: 'unknown', subject, message: `${s.path}: the evidence holds no mode or owner for it`, evidence };
  }
  const p = shellWord(s.path);
  const mode = st.mode;
  const issues: Issue[] = [];
  const notes: string[] = [];
  let unknownWhy: string | undefined;

  if (mode & 0o002) {
    issues.push({ severity: 'critical', text: `others can write it (mode ${octal(mode)}): every local user and every process — including any container that mounts it — can connect`, fix: [`chmod o-rwx ${p}`] });
  } else if (mode & 0o005) {
    issues.push({ severity: 'low', text: `others can ${can(mode & 0o007)} it (mode ${octal(mode)}); without write permission that does not let them connect, but only root should have any access`, fix: [`chmod o-rwx ${p}`] });
  }
  if (st.uid !== 0) {
    issues.push({ severity: 'high', text: `it is owned by ${ownerName(s)}, not root: the owner can connect (or chmod it and then connect)`, fix: [`chown root ${p}`] });
  }
  if (mode & 0o020) {
    if (st.gid !== 0) {
      if (s.group === 'docker' || runtimeOf(s) === 'docker') notes.push('Membership of the docker group is root on the node (Docker documents that the docker group grants root-level privileges)');
      issues.push({
        severity: 'high',
        text: `group ${groupName(s)} can write it (mode ${octal(mode)}): ${membersText(s)}`,
        fix: [`chgrp root ${p}`, ...memberFixes(s)],
      });
    } else {
      const others = s.groupMembers?.filter((m) => m !== 'root');
      if (!others) unknownWhy = `the root group can write it (mode ${octal(mode)}) and whether that group has members other than root cannot be told (/etc/group or /etc/passwd could not be read)`;
      else if (others.length > 0) {
        issues.push({ severity: 'high', text: `the root group can write it (mode ${octal(mode)}) and has members other than root: ${others.join(', ')}`, fix: memberFixes(s) });
      }
    }
  } else if (mode & 0o050 && st.gid !== 0) {
    issues.push({ severity: 'low', text: `group ${groupName(s)} can ${can((mode >> 3) & 7)} it; without write permission that does not let its members connect, but only root should have any access`, fix: [`chmod g-rwx ${p}`] });
  }

  if (issues.length === 0) {
    if (unknownWhy) return { status: 'unknown', subject, message: `${s.path}: ${unknownWhy}`, evidence };
    const group = mode & 0o070 ? ` and the root group (no other members in /etc/group or /etc/passwd)` : '';
    return { status: 'pass', subject, message: `${s.path} has mode ${octal(mode)}, owner ${ownerName(s)}, group ${groupName(s)}: only root${group} can connect`, evidence };
  }
  const severity = issues.map((i) => i.severity).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
  const fixes = [...new Set(issues.flatMap((i) => i.fix))];
  return {
    status: 'fail',
    severity,
    subject,
    message: [
      `${s.path}: ${issues.map((i) => i.text).join('; ')}`,
      ...notes,
      'Connecting to a runtime socket is root on the node: it runs containers with any host path mounted, without the API server',
      'Connecting also needs search permission on every folder above the socket; those folders are not part of this evidence',
      ...(unknownWhy ? [`Also: ${unknownWhy}`] : []),
    ].join('. ') + '.',
    evidence,
    remediation: `Now: ${fixes.join('; ')}. ${persistFix(s)}.`,
  };
}

export const runtimeSocketAccess: Check = {
  meta: {
    id: 'runtime-socket-access',
    title: 'Only root can connect to the container runtime sockets',
    section: 'runtime-sockets',
    severity: 'critical',
    emits: [
      { severity: 'high', when: 'the worst problem is an owner other than root, or a group other than root (or a root group with other members) that can write it: those accounts, not everyone, can connect' },
      { severity: 'low', when: 'others or a group can only read or search it: without write permission that does not let them connect' },
    ],
    cis: [],
    rationale:
      'Whoever can connect to containerd, CRI-O, Docker or cri-dockerd runs a privileged container with / mounted: root on the node, around the API server, its admission plugins and its audit log. On Linux, connecting to a unix socket needs write permission on it (unix(7)), so a group or others with write access — a docker group above all — hold root on the node.',
    remediation:
      "Make the socket root-only (owner root, group root with no other members, no access for others: mode 0660 root:root or 0600), remove users from the socket's group (gpasswd -d USER docker), and fix the runtime's configuration so the socket is created that way again at the next start (docker.socket SocketGroup=, containerd [grpc] uid/gid); for Docker, prefer rootless Docker.",
  },
  evaluate(facts) {
    const t = presentSockets(facts);
    if (t.kind === 'none') return t.result;
    return [...t.present.map((s) => judgeAccess(facts, s)), ...t.extra];
  },
};

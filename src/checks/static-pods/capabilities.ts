// Capabilities added to static pod containers (kubelet-facts §7: no admission limits them).
// The severity follows what the capability gives on the host. Names are compared the way container
// runtimes accept them: case-insensitive, with or without the CAP_ prefix.
import type { ContainerFact } from '../../facts/types.ts';
import type { Check, CheckResult, Severity } from '../types.ts';
import { APPLIES, at, ev, podName, podScope } from './common.ts';

// A way out of the container, or the kernel itself.
const CRITICAL: Record<string, string> = {
  ALL: 'every capability',
  SYS_ADMIN: 'mount, namespaces, most of root: the classic container escape',
  SYS_MODULE: 'loads kernel modules',
  SYS_RAWIO: 'raw I/O to devices and memory',
  DAC_READ_SEARCH: "open_by_handle_at: reads any host file through a handle (the 'shocker' escape)",
};
const HIGH: Record<string, string> = {
  SYS_PTRACE: 'traces processes (all of the node\'s with hostPID)',
  NET_ADMIN: 'reconfigures networking and firewall rules (the node\'s with hostNetwork)',
  BPF: 'loads eBPF programs',
  PERFMON: 'kernel performance monitoring',
  SYS_BOOT: 'reboots the node',
  SYS_TIME: "sets the node's clock",
  MAC_ADMIN: 'changes the AppArmor/SELinux policy',
  MAC_OVERRIDE: 'overrides the AppArmor/SELinux policy',
  SYSLOG: 'reads and clears the kernel log',
  SYS_RESOURCE: 'overrides resource limits',
  LINUX_IMMUTABLE: 'changes immutable files',
};
// Already in the runtimes' default set (containerd, CRI-O): adding them changes little.
const DEFAULT_SET = new Set(['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE']);

export function capName(c: string): string {
  return c.trim().toUpperCase().replace(/^CAP_/, '');
}

function rate(cap: string, hostPID: boolean, hostNetwork: boolean): { severity: Severity; why: string } {
  const n = capName(cap);
  if (n === 'SYS_PTRACE' && hostPID) return { severity: 'critical', why: 'traces and enters every process on the node (hostPID)' };
  if (n === 'NET_ADMIN' && hostNetwork) return { severity: 'high', why: "reconfigures the node's own networking and firewall (hostNetwork)" };
  if (CRITICAL[n]) return { severity: 'critical', why: CRITICAL[n] };
  if (HIGH[n]) return { severity: 'high', why: HIGH[n] };
  if (DEFAULT_SET.has(n)) return { severity: 'low', why: 'already in the container runtime\'s default set' };
  return { severity: 'medium', why: 'not in the container runtime\'s default set' };
}

const RANK: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const staticPodCapabilities: Check = {
  meta: {
    id: 'static-pod-capabilities',
    title: 'Static pod containers add no dangerous capabilities',
    section: 'static-pods',
    severity: 'high',
    emits: [
      { severity: 'critical', when: "an added capability is root on the node (SYS_ADMIN, SYS_MODULE…, or SYS_PTRACE with hostPID): the result takes the worst capability's severity" },
      { severity: 'medium', when: "the worst added capability is outside the runtime's default set but gives no direct hold on the host" },
      { severity: 'low', when: "every added capability is already in the container runtime's default set" },
    ],
    cis: [],
    rationale:
      'Added Linux capabilities widen what a container may do to the host: SYS_ADMIN, SYS_MODULE, SYS_RAWIO, DAC_READ_SEARCH and ALL are known container escapes; SYS_PTRACE with hostPID enters every process on the node; NET_ADMIN with hostNetwork rewrites the node\'s firewall. Static pods get no admission, so Pod Security does not limit them.',
    remediation: 'Remove the capability from securityContext.capabilities.add (drop ALL and add back only what the process needs); the kubelet applies the edited manifest by itself.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const with_ = (ref.pod.containers as ContainerFact[]).filter((c) => c.capabilitiesAdd.length > 0);
      if (with_.length === 0) {
        out.push({ status: 'pass', subject: ref.subject, message: `${podName(ref)}: no container adds capabilities`, evidence: [ev(ref.manifest.path, ref.pod.line, `pod ${ref.pod.name}`)] });
        continue;
      }
      for (const c of with_) {
        const rated = c.capabilitiesAdd.map((cap) => ({ cap, ...rate(cap, ref.pod.hostPID, ref.pod.hostNetwork) }));
        const severity = RANK.find((s) => rated.some((r) => r.severity === s))!;
        const line = c.lines?.capabilitiesAdd ?? c.line;
        out.push({
          status: 'fail',
          severity,
          subject: `${ref.subject} (container ${c.name})`,
          message: `${podName(ref)}: container ${c.name} adds ${rated.map((r) => `${r.cap} (${r.severity}: ${r.why})`).join(', ')}`,
          evidence: [ev(ref.manifest.path, line, `container ${c.name}: capabilities.add [${c.capabilitiesAdd.join(', ')}]`)],
          remediation: `${at(ref.manifest.path, line)}: remove ${rated.filter((r) => r.severity === severity).map((r) => `\`${r.cap}\``).join(', ')}${rated.some((r) => r.severity !== severity) ? ` (and review ${rated.filter((r) => r.severity !== severity).map((r) => r.cap).join(', ')})` : ''} from securityContext.capabilities.add of container ${c.name}; ${APPLIES}.`,
        });
      }
    }
    return [...out, ...scope.gaps];
  },
};

// Whether the evidence could be read fully: in live mode a non-root run cannot read /proc of other
// users' processes or root-only files (the kubeconfig, keys), and an offline tree may hold files
// the auditing user may not read; verdicts built on them are unknown. Live, the listeners count: a
// run that could not read pid 1's network namespace (nor tell it sees the node's) is not complete. This check has no `fail`:
// missing evidence is never a finding about the node, only a reason the audit is incomplete.
import type { Check } from '../types.ts';

export const evidenceComplete: Check = {
  meta: {
    id: 'kubelet-evidence-complete',
    title: 'The node evidence could be read fully',
    section: 'kubelet-evidence',
    severity: 'medium',
    cis: [],
    rationale:
      "Without root, the kubelet's command line, its root-only files and their modes cannot all be read; a tool that turns what it could not read into passes hides the kubelet's real configuration.",
    remediation: 'Run kubelet-guard as root (sudo kubelet-guard node), or give --root a copy of the node filesystem that you can read.',
  },
  evaluate(facts) {
    if (facts.unreadable.length > 0) {
      const list = facts.unreadable.slice(0, 5).join(', ') + (facts.unreadable.length > 5 ? `, … (${facts.unreadable.length} in all)` : '');
      return {
        status: 'unknown',
        message: `the audit was refused ${facts.unreadable.length === 1 ? 'a file' : `${facts.unreadable.length} files`} (${list}); verdicts that need ${facts.unreadable.length === 1 ? 'it' : 'them'} are unknown`,
        evidence: facts.unreadable.map((file) => ({ file, note: 'permission denied' })),
      };
    }
    if (!facts.privileged) {
      return {
        status: 'unknown',
        message: facts.privilegeNote ?? `the evidence on ${facts.target} could not be read fully (not privileged); verdicts that need unreadable files are unknown`,
      };
    }
    // A command line seen in part (a unit or config cut at a bound, Talos's machine config) is
    // evidence not read fully, whatever the privileges: the settings a flag could set are unknown.
    const hidden = facts.kubelet.commandLineHidden;
    if (hidden) {
      return {
        status: 'unknown',
        message: `the kubelet's command line could not be seen whole: ${hidden}; verdicts on settings a flag could set are unknown`,
      };
    }
    // Live, the listeners are evidence too: /proc/net is the reader's network namespace, which
    // speaks for the node only when it is pid 1's; when that could not be read (or fds of some
    // processes, or the scan hit a bound), the listener verdicts rest on partial evidence.
    const lf = facts.listeners;
    if (facts.mode === 'live' && lf?.available) {
      const gaps = [...(lf.unknown ? [lf.unknown] : []), ...(lf.incomplete ?? [])];
      if (gaps.length === 0 && lf.sameNetnsAsInit !== true) gaps.push("whether /proc/net is pid 1's network namespace is not in the evidence");
      if (gaps.length > 0) {
        return {
          status: 'unknown',
          message: `the node's listeners could not be read fully: ${gaps.join('; ')}; verdicts that need them are unknown or name what they could not see`,
          evidence: gaps.map((note) => ({ file: '/proc/net/tcp', note })),
        };
      }
    }
    return {
      status: 'pass',
      message: facts.mode === 'live' ? "the live node was read with full privileges, its listeners in pid 1's network namespace" : `the offline root ${facts.target} was read fully`,
    };
  },
};

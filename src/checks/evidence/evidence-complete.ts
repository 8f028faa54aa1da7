// Whether the evidence could be read fully: in live mode a non-root run cannot read /proc of other
// users' processes or root-only files (the kubeconfig, keys), and an offline tree may hold files
// the auditing user may not read; verdicts built on them are unknown. This check has no `fail`:
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
    return {
      status: 'pass',
      message: facts.mode === 'live' ? 'the live node was read with full privileges' : `the offline root ${facts.target} was read fully`,
    };
  },
};

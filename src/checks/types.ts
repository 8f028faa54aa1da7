// A check is metadata beside a pure evaluate function (like an ESLint rule: meta + logic, tested
// with passing, failing and unknown cases). Checks never do I/O, read the clock or keep state.
import type { NodeFacts, Provenance, SettingValue } from '../facts/types.ts';
import type { FixProposal } from '../fix/types.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export type Status = 'pass' | 'fail' | 'unknown' | 'not-applicable';

/** Table sections, in the order they are printed. */
export const SECTIONS = {
  'kubelet-evidence': 'Kubelet evidence',
  'cis-4.1': 'CIS 4.1 Worker node configuration files',
  'cis-4.2': 'CIS 4.2 Kubelet',
  'cis-4.3': 'CIS 4.3 kube-proxy',
  'kubelet-api': 'Kubelet API exposure (beyond CIS)',
  exposure: 'Network exposure (scan)',
  certificates: 'Kubelet certificates (beyond CIS)',
  versions: 'Known kubelet vulnerabilities',
  'static-pods': 'Static pods (run without API-server admission)',
  'cis-1.1': 'CIS 1.1 Control-plane node configuration files',
  'control-plane': 'API server: the kubelet path (CIS 1.2)',
  etcd: 'etcd (CIS 2)',
  'runtime-sockets': 'Container runtime sockets',
  listeners: 'Listeners',
  rbac: 'RBAC: who reaches the kubelet (cluster)',
  workloads: 'Workloads that bypass the API server (cluster)',
} as const;
export type Section = keyof typeof SECTIONS;

export interface CheckMeta {
  id: string; // stable, kebab-case, e.g. `kubelet-anonymous-auth`
  title: string;
  section: Section;
  severity: Severity;
  /** severities a result may carry other than `severity`, each with when and why (shown in docs/checks.md) */
  emits?: Array<{ severity: Severity; when: string }>;
  cis: string[]; // CIS Kubernetes Benchmark v1.12 ids
  setting?: string; // v1beta1 JSON path or `--flag`
  rationale: string;
  /** the general fix; a result may give a more exact one for this node */
  remediation: string;
  /** why `kubelet-guard fix` never changes anything for this check, whatever its results propose (the change would stop the kubelet) */
  noFix?: string;
}

/** One piece of evidence behind a verdict. */
export interface Evidence {
  setting?: string;
  value?: SettingValue;
  source?: Provenance;
  file?: string;
  line?: number;
  note?: string;
}

export interface CheckResult {
  status: Status;
  message: string;
  evidence?: Evidence[];
  /** an exact fix for this node (which file and line to change); defaults to meta.remediation */
  remediation?: string;
  /** on failure: the changes that close it, for `kubelet-guard fix` (the remediation is written from them) */
  fixes?: FixProposal[];
  /** on failure without fixes: why no change can be proposed (evidence unknown, a decision only a person can make) */
  noFix?: string;
  /** a severity other than the check's own, e.g. a CVE's */
  severity?: Severity;
  /** for checks that report several results (one per file, one per CVE) */
  subject?: string;
}

export interface Check {
  meta: CheckMeta;
  evaluate(facts: NodeFacts): CheckResult | CheckResult[];
}

export interface Finding {
  check: string;
  title: string;
  section: Section;
  /** CIS Kubernetes Benchmark v1.12 ids, whatever the report's profile */
  cis: string[];
  /** the report's benchmark profile (src/profiles): its ids for this check, or none and `beyond` when the profile leaves the check out */
  benchmark?: { profile: string; ids: string[]; beyond?: true };
  setting?: string;
  subject?: string;
  status: Status;
  severity: Severity;
  message: string;
  evidence: Evidence[];
  remediation?: string;
  /** on failure: the changes `kubelet-guard fix` makes to close it */
  fixes?: FixProposal[];
  /** on failure without fixes: why `kubelet-guard fix` proposes none */
  noFix?: string;
  /** accepted by an entry of the ignore file (report/suppressions.ts): reported, not counted for --fail-on */
  suppressed?: { reason: string; expires?: string; source: string };
  /** with --baseline (report/baseline.ts): whether the baseline report held this finding */
  baseline?: 'new' | 'unchanged';
}

/**
 * The checks, each failure without a proposal of its own saying `reason`: why `kubelet-guard fix`
 * makes no change for a family whose fix is a decision or no file edit (its index says so once).
 */
export function withNoFix(reason: string, checks: readonly Check[]): Check[] {
  return checks.map((c) => ({
    ...c,
    evaluate: (facts: NodeFacts) => {
      const r = c.evaluate(facts);
      const add = (x: CheckResult): CheckResult => (x.status === 'fail' && !x.fixes?.length && !x.noFix ? { ...x, noFix: reason } : x);
      return Array.isArray(r) ? r.map(add) : add(r);
    },
  }));
}

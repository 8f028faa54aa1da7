// The report: what every reporter formats. Built once from facts and findings, with secrets
// redacted here so no reporter can leak them (header values, environment values, token-like args).
import type { EffectiveConfig, NodeFacts, Provenance } from '../facts/types.ts';
import { REDACTED, redactArg, redactArgv, redactUrl } from '../facts/redact.ts';
import type { Finding } from '../checks/types.ts';
import { summarize, type Summary } from '../checks/run.ts';
import type { ReportHeader } from './contract.ts';
import type { TriageReport } from './triage.ts';
import type { BenchmarkChoice } from '../profiles/index.ts';

/** The JSON contract's header (contract.ts) first: schemaVersion, generatedAt, tool, inputs. */
export interface NodeReport extends ReportHeader {
  target: string;
  mode: NodeFacts['mode'];
  privileged: boolean;
  /** present when the run audited nothing (exit 3): what was not found and what to try */
  incomplete?: string;
  distribution?: NodeFacts['distribution'];
  /** the benchmark profile whose ids the findings carry, and why it was chosen */
  benchmark?: BenchmarkChoice;
  kubelet: {
    found: boolean;
    missing?: string;
    from?: string;
    pid?: number;
    unit?: { file: string; dropIns: string[] };
    argv?: Array<{ text: string; file?: string; line?: number; by?: string }>;
    version?: { value: string; source: string };
    configFile?: string;
    configDir?: string;
    dropIns: string[];
  };
  effectiveConfig: EffectiveConfig;
  findings: Finding[];
  summary: Summary;
  /** with an ignore file: its expired and stale entries (triage.ts) */
  suppressions?: TriageReport['suppressions'];
  /** with --baseline: new and unchanged counts, the resolved findings */
  baseline?: TriageReport['baseline'];
}


export function buildNodeReport(facts: NodeFacts, findings: Finding[], header: ReportHeader, benchmark?: BenchmarkChoice): NodeReport {
  const inv = facts.kubelet.invocation;
  return {
    ...header,
    target: facts.target,
    mode: facts.mode,
    privileged: facts.privileged,
    ...(facts.distribution ? { distribution: facts.distribution } : {}),
    ...(benchmark ? { benchmark } : {}),
    kubelet: {
      found: !facts.kubelet.missing,
      ...(facts.kubelet.missing ? { missing: facts.kubelet.missing } : {}),
      ...(inv ? { from: inv.from, pid: inv.pid, unit: inv.unit, argv: argvOut(inv.argv) } : {}),
      version: facts.kubelet.version,
      configFile: facts.kubelet.configFile,
      configDir: facts.kubelet.configDir,
      dropIns: facts.kubelet.dropIns,
    },
    effectiveConfig: redactConfig(facts.kubelet.effective),
    findings: findings.map(redactFinding),
    summary: summarize(findings),
  };
}

function argvOut(argv: ReadonlyArray<{ text: string; file?: string; line?: number; by?: string }>): Array<{ text: string; file?: string; line?: number; by?: string }> {
  const texts = redactArgv(argv.map((a) => a.text));
  return argv.map((a, i) => ({ text: texts[i]!, file: a.file, line: a.line, ...(a.by !== undefined ? { by: a.by } : {}) }));
}

/** staticPodURLHeader values are credentials more often than not; staticPodURL may carry some. */
function redactConfig(eff: EffectiveConfig): EffectiveConfig {
  const out: EffectiveConfig = {};
  for (const [k, s] of Object.entries(eff)) {
    const source: Provenance = s.source.detail ? { ...s.source, detail: redactArg(s.source.detail) } : s.source;
    let value = s.value;
    if (k === 'staticPodURLHeader' && value !== null) {
      value = typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.keys(value).map((h) => [h, [REDACTED]])) : REDACTED;
    }
    if (k === 'staticPodURL' && typeof value === 'string' && value !== '') value = redactUrl(value);
    out[k] = { ...s, value, source };
  }
  return out;
}

function redactFinding(f: Finding): Finding {
  return { ...f, evidence: f.evidence.map((e) => (e.source?.detail ? { ...e, source: { ...e.source, detail: redactArg(e.source.detail) } } : e)) };
}

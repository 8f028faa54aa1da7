// The report: what every reporter formats. Built once from facts and findings, with secrets
// redacted here so no reporter can leak them (header values, environment values, token-like args).
import type { EffectiveConfig, NodeFacts } from '../facts/types.ts';
import type { Finding } from '../checks/types.ts';
import { summarize, type Summary } from '../checks/run.ts';

export interface NodeReport {
  tool: { name: 'kubelet-guard'; version: string };
  target: string;
  mode: NodeFacts['mode'];
  privileged: boolean;
  generatedAt: string;
  kubelet: {
    found: boolean;
    missing?: string;
    from?: string;
    pid?: number;
    unit?: { file: string; dropIns: string[] };
    argv?: Array<{ text: string; file?: string; line?: number }>;
    version?: { value: string; source: string };
    configFile?: string;
    configDir?: string;
    dropIns: string[];
  };
  effectiveConfig: EffectiveConfig;
  findings: Finding[];
  summary: Summary;
}

export const REDACTED = '<redacted>';
const SECRET_FLAG = /(token|password|secret|key-data|credential)/i;

export function buildNodeReport(facts: NodeFacts, findings: Finding[], version: string): NodeReport {
  const inv = facts.kubelet.invocation;
  return {
    tool: { name: 'kubelet-guard', version },
    target: facts.target,
    mode: facts.mode,
    privileged: facts.privileged,
    generatedAt: facts.now,
    kubelet: {
      found: !facts.kubelet.missing,
      ...(facts.kubelet.missing ? { missing: facts.kubelet.missing } : {}),
      ...(inv ? { from: inv.from, pid: inv.pid, unit: inv.unit, argv: inv.argv.map((a) => ({ text: redactArg(a.text), file: a.file, line: a.line })) } : {}),
      version: facts.kubelet.version,
      configFile: facts.kubelet.configFile,
      configDir: facts.kubelet.configDir,
      dropIns: facts.kubelet.dropIns,
    },
    effectiveConfig: redactConfig(facts.kubelet.effective),
    findings,
    summary: summarize(findings),
  };
}

/** `--some-token=abc` → `--some-token=<redacted>`; the kubelet has no such flag today, but argv is user data. */
export function redactArg(text: string): string {
  const m = /^(--?[^=]+)=(.*)$/s.exec(text);
  return m && SECRET_FLAG.test(m[1]!) ? `${m[1]}=${REDACTED}` : text;
}

/** staticPodURLHeader values are credentials more often than not. */
function redactConfig(eff: EffectiveConfig): EffectiveConfig {
  const out: EffectiveConfig = { ...eff };
  const h = out['staticPodURLHeader'];
  if (h && h.value && typeof h.value === 'object' && !Array.isArray(h.value)) {
    out['staticPodURLHeader'] = { ...h, value: Object.fromEntries(Object.keys(h.value).map((k) => [k, [REDACTED]])) };
  }
  return out;
}

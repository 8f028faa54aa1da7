// SARIF 2.1.0 (OASIS), the format code scanning reads (GitHub's upload-sarif, Azure DevOps, IDEs):
// one run, a rule per check from its metadata (src/report/catalogue.ts), one result per failed or
// unknown finding. A finding whose evidence names a node file lands on its line: the path relative
// to the node's root (uriBaseId NODEROOT: the --root folder, or file:/// live) and region.startLine,
// since GitHub rejects a result whose physical location has no region. A finding about no file (a
// default value, a network endpoint, a cluster object) has a logical location only.
// partialFingerprints are made of what identifies the finding (check, subject, file), never a line
// or a time, so a re-run on another day or machine updates the same alert instead of opening one.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import type { Evidence, Finding, Severity } from '../checks/types.ts';
import type { Summary } from '../checks/run.ts';
import { catalogueEntry, repositoryUrl, type ReportCommand } from './catalogue.ts';
import type { BenchmarkChoice } from '../profiles/index.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const NODE_ROOT = 'NODEROOT';
/** The key of our fingerprint in partialFingerprints: versioned, so a change of its recipe is a new key. */
export const FINGERPRINT_KEY = 'kubeletGuardFinding/v1';

export interface SarifInput {
  command: ReportCommand;
  findings: readonly Finding[];
  /** what was audited: the node, the API server; the logical location of a node finding without a file */
  target: string;
  /** node: the --root folder offline (its files' paths are node paths below it); absent live */
  root?: string;
  /** why the audit is incomplete (exit 3), if it is */
  incomplete?: string;
  summary?: Summary;
  /** warnings about the run itself: expired and stale suppressions (report/suppressions.ts) */
  notes?: string[];
  /** the report's benchmark profile (node, cluster): its ids replace the CIS Kubernetes v1.12 ids */
  benchmark?: BenchmarkChoice;
}

type Level = 'error' | 'warning' | 'note';

/** GitHub code scanning's levels: what fails a pull request's check by default is error. */
const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/**
 * security-severity as GitHub reads it (a CVSS-like score: over 9.0 critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 0.1–3.9 low); info has none, so GitHub shows it as a plain note.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: undefined };

/** The place a finding is about: a node file (with its line when known), from its evidence, else from its fixes. */
export function findingFile(f: Finding): { file: string; line?: number } | undefined {
  const withLine = (e: Evidence): { file: string; line: number } | undefined =>
    e.file && e.line ? { file: e.file, line: e.line } : e.source?.file && e.source.line ? { file: e.source.file, line: e.source.line } : undefined;
  for (const e of f.evidence) {
    const l = withLine(e);
    if (l) return l;
  }
  for (const x of f.fixes ?? []) if ('line' in x && x.line) return { file: x.file, line: x.line };
  for (const e of f.evidence) {
    const file = e.file ?? e.source?.file;
    if (file) return { file };
  }
  // the file a fix changes (not one it would create): where the missing setting belongs
  const x = (f.fixes ?? []).find((p) => p.kind !== 'dropin-create');
  return x ? { file: x.file } : undefined;
}

/** A node path as a URI relative to the node's root: each segment percent-encoded. */
function relativeUri(file: string): string {
  return path.posix.normalize(`/${file}`).slice(1).split('/').map(encodeURIComponent).join('/');
}

function fingerprint(f: Finding, file: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([f.check, f.subject ?? '', file ?? ''])).digest('hex');
}

/** What SARIF's `text` fields get: the finding's message, then the exact fix (or why there is none). */
function resultText(f: Finding): string {
  const lead = f.status === 'unknown' ? `unknown (the evidence could not be read, so no verdict): ${f.message}` : f.message;
  const fix = f.remediation ?? catalogueEntry(f.check)?.remediation;
  const parts = [lead];
  if (f.status === 'fail' && fix) parts.push(`Fix: ${fix}`);
  if (f.status === 'fail' && f.noFix) parts.push(`kubelet-guard fix changes nothing here: ${f.noFix}`);
  return parts.join('\n');
}

function rule(id: string, fallback: Finding, benchmark: BenchmarkChoice | undefined): Record<string, unknown> {
  const c = catalogueEntry(id);
  const title = c?.title ?? fallback.title;
  const severity = c?.severity ?? fallback.severity;
  const remediation = c?.remediation ?? c?.failsWhen;
  const sev = SECURITY_SEVERITY[severity];
  const cis = c?.cis ?? fallback.cis;
  const md = [
    `**${title}**`, '', c?.rationale ?? '',
    ...(remediation ? ['', c?.remediation ? `**Fix:** ${remediation}` : `**Fails when:** ${remediation}`] : []),
    ...benchmarkLines(cis, fallback.benchmark, benchmark),
    '', `[${id} in docs/checks.md](${c?.helpUri ?? `${repositoryUrl()}/blob/main/docs/checks.md`})`,
  ].join('\n');
  return {
    id,
    name: id.replace(/(^|[-.])([a-z0-9])/g, (_m, _s, ch: string) => ch.toUpperCase()),
    shortDescription: { text: title },
    fullDescription: { text: c?.rationale ?? title },
    ...(c ? { helpUri: c.helpUri } : {}),
    help: { text: [c?.rationale, remediation ? `${c?.remediation ? 'Fix' : 'Fails when'}: ${remediation}` : undefined].filter(Boolean).join('\n'), markdown: md },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ['security', 'kubernetes', c?.section ?? fallback.section, ...benchmarkTags(cis, fallback.benchmark)],
      severity,
      ...(sev ? { 'security-severity': sev } : {}),
      cis,
      ...(fallback.benchmark ? { benchmark: fallback.benchmark } : {}),
      section: c?.section ?? fallback.section,
      ...(c?.setting ? { setting: c.setting } : {}),
    },
  };
}

/** The SARIF 2.1.0 log of one report: its failed and unknown findings as results. */
export function buildSarif(input: SarifInput): Record<string, unknown> {
  const open = input.findings.filter((f) => f.status === 'fail' || f.status === 'unknown');
  const ruleIndex = new Map<string, number>();
  const rules: Array<Record<string, unknown>> = [];
  for (const f of open) {
    if (ruleIndex.has(f.check)) continue;
    ruleIndex.set(f.check, rules.length);
    rules.push(rule(f.check, f, input.benchmark));
  }
  let usesRoot = false;
  const results = open.map((f) => {
    const where = input.command === 'node' ? findingFile(f) : undefined;
    if (where) usesRoot = true;
    // the node (and the subject on it), the endpoint (host:port), the cluster object
    const name = f.subject ?? input.target;
    const logical = { name, fullyQualifiedName: input.command === 'node' && f.subject ? `${input.target} ${f.subject}` : name, kind: logicalKind(input.command) };
    const location = where
      ? { physicalLocation: { artifactLocation: { uri: relativeUri(where.file), uriBaseId: NODE_ROOT }, region: { startLine: where.line ?? 1 } }, logicalLocations: [logical] }
      : { logicalLocations: [logical] };
    return {
      ruleId: f.check,
      ruleIndex: ruleIndex.get(f.check)!,
      level: f.status === 'unknown' ? 'note' : LEVEL[f.severity],
      message: { text: resultText(f) },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, where?.file) },
      // an accepted finding stays a result, marked as suppressed outside the code (SARIF 3.35.x: kind external)
      ...(f.suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppressed.reason, properties: { source: f.suppressed.source, ...(f.suppressed.expires ? { expires: f.suppressed.expires } : {}) } }] } : {}),
      // --baseline: SARIF's own baselineState (3.27.24)
      ...(f.baseline ? { baselineState: f.baseline } : {}),
      properties: {
        status: f.status, severity: f.severity, section: f.section, ...(f.subject ? { subject: f.subject } : {}),
        ...(where && where.line === undefined ? { wholeFile: true } : {}),
        ...(f.fixes?.length ? { fixes: f.fixes } : {}),
        ...(f.noFix ? { noFix: f.noFix } : {}),
      },
    };
  });
  const rootUri = input.root !== undefined ? pathToFileURL(path.resolve(input.root)).href.replace(/\/?$/, '/') : 'file:///';
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kubelet-guard', version: pkg.version, semanticVersion: pkg.version, informationUri: repositoryUrl(), rules } },
      ...(usesRoot ? { originalUriBaseIds: { [NODE_ROOT]: { uri: rootUri, description: { text: input.root !== undefined ? "the node's root filesystem (--root)" : "the node's root filesystem (live)" } } } } : {}),
      invocations: [{
        executionSuccessful: true,
        ...(input.incomplete !== undefined || input.notes?.length ? { toolExecutionNotifications: [
          ...(input.incomplete !== undefined ? [{ level: 'warning', message: { text: `incomplete: ${input.incomplete}` } }] : []),
          ...(input.notes ?? []).map((text) => ({ level: 'warning', message: { text } })),
        ] } : {}),
      }],
      results,
      properties: { command: input.command, target: input.target, ...(input.benchmark ? { benchmark: input.benchmark } : {}), ...(input.summary ? { summary: input.summary } : {}) },
    }],
  };
}

/**
 * The rule's benchmark line: the report's profile's ids, or that the check is beyond it, said
 * plainly; without a profile (scan) the CIS Kubernetes Benchmark v1.12 ids.
 */
function benchmarkLines(cis: readonly string[], b: Finding['benchmark'], choice: BenchmarkChoice | undefined): string[] {
  const title = choice?.title ?? b?.profile;
  if (b && b.ids.length > 0) return ['', `${title}: ${b.ids.join(', ')}`];
  if (b) return ['', `Beyond the benchmark: the ${title} has no control for what this check judges (it runs all the same).`];
  return cis.length ? ['', `CIS Kubernetes Benchmark v1.12: ${cis.join(', ')}`] : [];
}

/** CIS-4.2.1 under the CIS Kubernetes Benchmark (and without a profile), cis-eks-3.2.1 under another, beyond-benchmark for a check it leaves out. */
function benchmarkTags(cis: readonly string[], b: Finding['benchmark']): string[] {
  if (!b) return cis.map((x) => `CIS-${x}`);
  if (b.ids.length === 0) return ['beyond-benchmark'];
  return b.ids.map((x) => (b.profile === 'cis-kubernetes' ? `CIS-${x}` : `${b.profile}-${x}`));
}

function logicalKind(command: ReportCommand): string {
  return command === 'node' ? 'module' : command === 'scan' ? 'resource' : 'object';
}

/** The SARIF text: pretty-printed JSON, one newline at the end. */
export function formatSarif(input: SarifInput): string {
  return `${JSON.stringify(buildSarif(input), null, 2)}\n`;
}

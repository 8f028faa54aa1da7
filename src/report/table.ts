// The terminal report: the failures first, most severe first, each with its fix; then the other
// findings grouped by section, each verdict with its evidence; then a summary line naming the worst
// failures. Not-applicable findings are counted but not listed unless asked (--all). Lines are
// wrapped to the width given (wrap.ts: never inside a path or a command). Colour is decided once by
// the caller.
import { shellWord } from '../fix/describe.ts';
import pc from 'picocolors';
import { SECTIONS, type Finding, type Status } from '../checks/types.ts';
import type { NodeReport } from './model.ts';
import { failuresFirst, sevColor, statusMarks, unknownColor, worstFailures, type Colors } from './marks.ts';
import { inert, inertLine as oneLine } from './terminal.ts';
import { DEFAULT_WIDTH, wrapLine, wrapText } from './wrap.ts';
import { choiceText, sectionTitle } from '../profiles/index.ts';

/** Where a row's title starts: `  FAIL  4.2.1   critical Title`. */
const TITLE_COLUMN = 25;

export interface TableOptions {
  color: boolean;
  /** hide passing and not-applicable findings */
  quiet?: boolean;
  /** list the not-applicable findings too (hidden by default; JSON always holds them) */
  all?: boolean;
  /** wrap lines to this many columns (default 100) */
  width?: number;
  /** print the effective configuration: every setting written somewhere, and the security ones */
  showConfig?: boolean;
}

/** The settings kubelet-facts §4 lists: always shown with --show-config, defaulted or not. */
const SECURITY_SETTINGS = [
  'authentication.anonymous.enabled', 'authentication.webhook.enabled', 'authentication.webhook.cacheTTL',
  'authentication.x509.clientCAFile', 'authorization.mode', 'authorization.webhook.cacheAuthorizedTTL',
  'authorization.webhook.cacheUnauthorizedTTL', 'readOnlyPort', 'port', 'address', 'healthzBindAddress', 'healthzPort',
  'tlsCertFile', 'tlsPrivateKeyFile', 'tlsCipherSuites', 'tlsMinVersion', 'rotateCertificates', 'serverTLSBootstrap',
  'protectKernelDefaults', 'makeIPTablesUtilChains', 'eventRecordQPS', 'streamingConnectionIdleTimeout', 'podPidsLimit',
  'seccompDefault', 'staticPodPath', 'staticPodURL', 'enableDebuggingHandlers', 'enableContentionProfiling',
  'enableSystemLogHandler', 'enableSystemLogQuery', 'enableProfilingHandler', 'enableDebugFlagsHandler', 'enableServer',
  '--hostname-override', '--kubeconfig', '--cert-dir',
];

export function formatTable(report: NodeReport, opts: TableOptions): string {
  const c = pc.createColors(opts.color);
  const status = statusMarks(c);
  const width = opts.width ?? DEFAULT_WIDTH;
  const lines: string[] = [];
  const k = report.kubelet;
  // every string from the evidence goes through inert()/oneLine() (terminal.ts) before it is printed
  // a run that audited nothing says so first, with what to try (exit 3)
  if (report.incomplete !== undefined) lines.push(c.yellow(c.bold(`INCOMPLETE: ${oneLine(report.incomplete)}`)), '');
  lines.push(c.bold(`kubelet-guard node audit: ${inert(report.target)}`));
  const d = report.distribution;
  if (d) lines.push(`  distribution: ${inert(d.title)}${d.version ? ` ${inert(d.version.value)}` : ''} (${oneLine(d.evidence.join('; '))})`);
  if (report.benchmark) lines.push(`  benchmark: ${oneLine(choiceText(report.benchmark))}; "beyond" marks a check it has no control for`);
  if (!k.found) lines.push(`  kubelet: ${c.yellow('not found')}: ${oneLine(k.missing ?? '')}`);
  else {
    const how = k.from === 'process' ? `process ${k.pid}` : k.from === 'distribution' ? `started by ${inert(d?.title ?? 'the distribution')}${k.unit ? ` (${inert(k.unit.file)})` : ''}` : `systemd unit ${inert(k.unit?.file ?? '')}`;
    const dropIns = k.unit && k.unit.dropIns.length > 0 ? ` (+${k.unit.dropIns.length} drop-in${k.unit.dropIns.length > 1 ? 's' : ''})` : '';
    lines.push(`  kubelet: ${how}${k.from === 'process' ? '' : dropIns}`);
    lines.push(`  config:  ${k.configFile !== undefined ? inert(k.configFile) : 'no --config (flag defaults apply)'}${k.configDir ? `, drop-ins from ${inert(k.configDir)} (${k.dropIns.length})` : ''}`);
  }
  lines.push(`  version: ${k.version ? `${inert(k.version.value)} (${inert(k.version.source)})` : 'unknown (give --kubelet-version to judge CVEs)'}`);
  if (!report.privileged) lines.push(c.yellow('  not running as root: some evidence is unreadable and its checks are unknown'));

  if (opts.showConfig) lines.push(...configSection(report, c));

  // the failures first, most severe first, each with its fix
  const failed = failuresFirst(report.findings.filter((f) => !f.suppressed), (f) => f);
  if (failed.length > 0) {
    lines.push('', c.bold(c.red('Failed, most severe first')));
    for (const f of failed) lines.push(...row(f, status, c, width));
  }
  // then the rest by section: passes unless --quiet, not-applicable only with --all
  const listed = (f: Finding) => !f.suppressed && (
    f.status === 'unknown' || (f.status === 'pass' && !opts.quiet) || (f.status === 'not-applicable' && opts.all === true && !opts.quiet));
  for (const key of Object.keys(SECTIONS) as Array<keyof typeof SECTIONS>) {
    const fs = report.findings.filter((f) => f.section === key && listed(f));
    if (fs.length === 0) continue;
    lines.push('', c.bold(sectionTitle(key, report.benchmark?.profile)));
    for (const f of fs) lines.push(...row(f, status, c, width));
  }
  lines.push(...triageSection(report, status, c, width));

  const s = report.summary;
  const bySev = Object.entries(s.failBySeverity).filter(([, n]) => n > 0).map(([sev, n]) => `${n} ${sev}`).join(', ');
  const worst = worstFailures(report.findings.filter((f) => !f.suppressed));
  const na = s['not-applicable'];
  // --quiet lists only failed and unknown findings, --all or not: the hint to --all only without it
  const naHidden = na === 0 ? '' : opts.quiet ? ' (not listed)' : opts.all !== true ? ' (not listed; --all lists them)' : '';
  lines.push(
    '',
    `${c.bold('Summary:')} ${c.red(`${s.fail} failed`)}${worst ? ` — ${worst}` : ''}${bySev ? ` (${bySev})` : ''}; ${c.green(`${s.pass} passed`)}, ${unknownColor(c)(`${s.unknown} unknown`)}, ${na} not applicable${naHidden}`,
  );
  const tail = triageSummary(report);
  if (tail) lines.push(tail);
  const fixable = report.findings.filter((f) => f.status === 'fail' && f.fixes?.length).length;
  if (fixable > 0) {
    const cmd = `kubelet-guard fix${report.mode === 'offline' ? ` --root ${shellWord(report.target)}` : ''}`;
    lines.push(`${fixable} of the ${s.fail} failures can be closed by ${c.cyan(inert(cmd))}: a plan, proven by a re-audit; --write applies it.`);
  }
  return wrapText(lines.join('\n') + '\n', width);
}

/** The summary's line of suppressed findings and baseline counts, or '' when neither was used. */
export function triageSummary(report: Pick<NodeReport, 'findings' | 'baseline'>): string {
  const sup = report.findings.filter((f) => f.suppressed).length;
  const b = report.baseline;
  return [sup > 0 ? `${sup} suppressed (listed above with their reasons; not counted for --fail-on)` : '', b ? `baseline ${inert(b.file)}: ${b.new} new, ${b.unchanged} unchanged, ${b.resolved.length} resolved` : ''].filter(Boolean).join('; ');
}

/** The suppressed findings, each with its reason and where the suppression is written; expired and stale entries; resolved findings. */
export function triageSection(report: Pick<NodeReport, 'findings' | 'suppressions' | 'baseline'>, status: Record<Status, string>, c: Colors, width: number): string[] {
  const out: string[] = [];
  const sup = report.findings.filter((f) => f.suppressed);
  if (sup.length > 0) {
    out.push('', c.bold('Suppressed (reported, not counted for --fail-on)'));
    for (const f of sup) out.push(...row(f, status, c, width));
  }
  const n = report.suppressions;
  if (n && (n.expired.length > 0 || n.stale.length > 0)) {
    out.push('', c.bold(c.yellow('Suppressions to review')));
    for (const e of n.expired) out.push(`  ${c.yellow('EXPIRED')} ${inert(e.source)} ${inert(e.check)}: expired on ${inert(e.expires ?? '')}, no longer suppresses${e.matches ? ` (${e.matches} finding${e.matches > 1 ? 's' : ''})` : ''}`);
    for (const e of n.stale) out.push(`  ${c.yellow('STALE  ')} ${inert(e.source)} ${inert(e.check)}: matched no finding`);
  }
  const resolved = report.baseline?.resolved ?? [];
  if (resolved.length > 0) {
    out.push('', c.bold(c.green(`Resolved since the baseline (${resolved.length})`)));
    for (const r of resolved.slice(0, 50)) out.push(`  ${c.green('GONE')}  ${inert(r.check)}${r.subject ? ` [${oneLine(r.subject)}]` : ''} (was ${r.status}, ${r.severity})`);
    if (resolved.length > 50) out.push(`  … and ${resolved.length - 50} more (the JSON report lists them all)`);
  }
  return out;
}

function row(f: Finding, status: Record<Status, string>, c: Colors, width: number): string[] {
  // the report's profile's ids, "beyond" for a check it has no control for; CIS v1.12 ids without a profile
  const ids = f.benchmark ? (f.benchmark.ids.length > 0 ? f.benchmark.ids.join(',') : 'beyond') : f.cis.length > 0 ? f.cis.join(',') : '-';
  const id = ids.padEnd(7);
  const sev = sevColor(f.severity, c)(f.severity.padEnd(8));
  const mark = f.baseline === 'new' ? ` ${c.bold('NEW')}` : '';
  const head = `  ${status[f.status]}  ${inert(id)} ${sev} ${oneLine(f.title)}${f.subject ? ` [${oneLine(f.subject)}]` : ''} ${c.dim(`(${inert(f.check)})`)}${mark}`;
  const indent = ' '.repeat(4);
  // a head's continuation lines start under its title, apart from the message lines below
  const out = [...wrapLine(head, width, TITLE_COLUMN), `${indent}${c.dim(oneLine(f.message))}`];
  if (f.suppressed) out.push(`${indent}${c.yellow('suppressed:')} ${oneLine(f.suppressed.reason)} ${c.dim(`(${inert(f.suppressed.source)}${f.suppressed.expires ? `, until ${inert(f.suppressed.expires)}` : ''})`)}`);
  if (f.status === 'fail' && f.remediation) out.push(`${indent}${c.cyan('fix:')} ${oneLine(f.remediation)}`);
  return out;
}

function configSection(report: NodeReport, c: Colors): string[] {
  const eff = report.effectiveConfig;
  const keys = Object.keys(eff).filter((k) => {
    const kind = eff[k]!.source.kind;
    return SECURITY_SETTINGS.includes(k) || kind === 'flag' || kind === 'config-file' || kind === 'drop-in' || eff[k]!.source.file !== undefined;
  });
  const width = Math.min(44, Math.max(...keys.map((k) => inert(k).length)));
  const out = ['', c.bold('Effective configuration (settings written anywhere, and the security ones)')];
  for (const k of keys) {
    const s = eff[k]!;
    const value = s.unknown ? unknownColor(c)('unknown') : oneLine(JSON.stringify(s.value));
    const where = s.source.file ? ` ${inert(s.source.file)}${s.source.line ? `:${s.source.line}` : ''}` : '';
    const why = s.unknown ? ` (${oneLine(s.unknown)})` : s.source.detail && s.source.kind !== 'flag' ? ` (${oneLine(s.source.detail)})` : '';
    out.push(`  ${inert(k).padEnd(width)} ${value}  ${c.dim(`${s.source.kind}${where}${why}`)}`);
  }
  return out;
}

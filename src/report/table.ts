// The terminal report: findings grouped by section, each verdict with its evidence in one line,
// failures with the fix, and a summary line. Colour is decided once by the caller.
import pc from 'picocolors';
import { SECTIONS, type Finding, type Status } from '../checks/types.ts';
import type { NodeReport } from './model.ts';
import { inert, inertLine as oneLine } from './terminal.ts';

export interface TableOptions {
  color: boolean;
  /** hide passing and not-applicable findings */
  quiet?: boolean;
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
  const status: Record<Status, string> = {
    pass: c.green('PASS'),
    fail: c.red(c.bold('FAIL')),
    unknown: c.yellow('UNKN'),
    'not-applicable': c.dim('N/A '),
  };
  const lines: string[] = [];
  const k = report.kubelet;
  // every string from the evidence goes through inert()/oneLine() (terminal.ts) before it is printed
  // a run that audited nothing says so first, with what to try (exit 3)
  if (report.incomplete !== undefined) lines.push(c.yellow(c.bold(`INCOMPLETE: ${oneLine(report.incomplete)}`)), '');
  lines.push(c.bold(`kubelet-guard node audit: ${inert(report.target)}`));
  if (!k.found) lines.push(`  kubelet: ${c.yellow('not found')}: ${oneLine(k.missing ?? '')}`);
  else {
    const how = k.from === 'process' ? `process ${k.pid}` : `systemd unit ${inert(k.unit?.file ?? '')}`;
    const dropIns = k.unit && k.unit.dropIns.length > 0 ? ` (+${k.unit.dropIns.length} drop-in${k.unit.dropIns.length > 1 ? 's' : ''})` : '';
    lines.push(`  kubelet: ${how}${k.from === 'process' ? '' : dropIns}`);
    lines.push(`  config:  ${k.configFile !== undefined ? inert(k.configFile) : 'no --config (flag defaults apply)'}${k.configDir ? `, drop-ins from ${inert(k.configDir)} (${k.dropIns.length})` : ''}`);
  }
  lines.push(`  version: ${k.version ? `${inert(k.version.value)} (${inert(k.version.source)})` : 'unknown (give --kubelet-version to judge CVEs)'}`);
  if (!report.privileged) lines.push(c.yellow('  not running as root: some evidence is unreadable and its checks are unknown'));

  if (opts.showConfig) lines.push(...configSection(report, c));

  for (const [key, title] of Object.entries(SECTIONS)) {
    const fs = report.findings.filter((f) => f.section === key && !(opts.quiet && (f.status === 'pass' || f.status === 'not-applicable')));
    if (fs.length === 0) continue;
    lines.push('', c.bold(title));
    for (const f of fs) lines.push(...row(f, status, c));
  }

  const s = report.summary;
  const bySev = Object.entries(s.failBySeverity).filter(([, n]) => n > 0).map(([sev, n]) => `${n} ${sev}`).join(', ');
  lines.push(
    '',
    `${c.bold('Summary:')} ${c.red(`${s.fail} failed`)}${bySev ? ` (${bySev})` : ''}, ${c.green(`${s.pass} passed`)}, ${c.yellow(`${s.unknown} unknown`)}, ${s['not-applicable']} not applicable`,
  );
  return lines.join('\n') + '\n';
}

function row(f: Finding, status: Record<Status, string>, c: ReturnType<typeof pc.createColors>): string[] {
  const id = (f.cis.length > 0 ? f.cis.join(',') : '-').padEnd(7);
  const sev = sevColor(f.severity, c)(f.severity.padEnd(8));
  const head = `  ${status[f.status]}  ${inert(id)} ${sev} ${oneLine(f.title)}${f.subject ? ` [${oneLine(f.subject)}]` : ''} ${c.dim(`(${inert(f.check)})`)}`;
  const indent = ' '.repeat(4);
  const out = [head, `${indent}${c.dim(oneLine(f.message))}`];
  if (f.status === 'fail' && f.remediation) out.push(`${indent}${c.cyan('fix:')} ${oneLine(f.remediation)}`);
  return out;
}

function sevColor(sev: string, c: ReturnType<typeof pc.createColors>): (s: string) => string {
  if (sev === 'critical') return (s) => c.magenta(c.bold(s));
  if (sev === 'high') return c.red;
  if (sev === 'medium') return c.yellow;
  return c.dim;
}

function configSection(report: NodeReport, c: ReturnType<typeof pc.createColors>): string[] {
  const eff = report.effectiveConfig;
  const keys = Object.keys(eff).filter((k) => {
    const kind = eff[k]!.source.kind;
    return SECURITY_SETTINGS.includes(k) || kind === 'flag' || kind === 'config-file' || kind === 'drop-in' || eff[k]!.source.file !== undefined;
  });
  const width = Math.min(44, Math.max(...keys.map((k) => inert(k).length)));
  const out = ['', c.bold('Effective configuration (settings written anywhere, and the security ones)')];
  for (const k of keys) {
    const s = eff[k]!;
    const value = s.unknown ? c.yellow('unknown') : oneLine(JSON.stringify(s.value));
    const where = s.source.file ? ` ${inert(s.source.file)}${s.source.line ? `:${s.source.line}` : ''}` : '';
    const why = s.unknown ? ` (${oneLine(s.unknown)})` : s.source.detail && s.source.kind !== 'flag' ? ` (${oneLine(s.source.detail)})` : '';
    out.push(`  ${inert(k).padEnd(width)} ${value}  ${c.dim(`${s.source.kind}${where}${why}`)}`);
  }
  return out;
}

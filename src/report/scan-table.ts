// The terminal report of a scan: one line per open endpoint (what it is, who may use it, what
// it gives), then the failed findings (most severe first) with their fixes and the unknown ones,
// then a summary line naming the worst failures; wrapped to the width given (wrap.ts).
import pc from 'picocolors';
import type { Finding } from '../checks/types.ts';
import type { Endpoint } from '../scan/types.ts';
import { failuresFirst, sevColor, statusMarks, unknownColor, worstFailures } from './marks.ts';
import { inert, inertLine as oneLine } from './terminal.ts';
import { DEFAULT_WIDTH, wrapText } from './wrap.ts';
import { triageSection, triageSummary } from './table.ts';
import type { TriageReport } from './triage.ts';

export interface ScanReport {
  endpoints: Endpoint[];
  findings: Finding[];
  summary: { targets: string; ports: number[]; probes: number; open: number; elapsedMs: number };
  suppressions?: TriageReport['suppressions'];
  baseline?: TriageReport['baseline'];
}

export function formatScanTable(r: ScanReport, opts: { color: boolean; width?: number }): string {
  const c = pc.createColors(opts.color);
  // every string from a target or a server's answer goes through inert()/oneLine() (terminal.ts)
  const out: string[] = [c.bold(`kubelet-guard scan: ${inert(r.summary.targets)} address(es) × ports ${r.summary.ports.join(',')}`)];
  const eps = [...r.endpoints].sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
  if (eps.length === 0) out.push('', 'No open kubelet or etcd port found.');
  else {
    out.push('', c.bold('Open endpoints'));
    for (const e of eps) {
      const who =
        e.service === 'kubelet'
          ? `anonymous ${e.anonymous === null || e.anonymous === undefined ? '?' : e.anonymous ? c.red('on') : 'off'}, authorization ${inert(e.authorization ?? '?')}`
          : e.service.startsWith('etcd') && e.etcd
            ? `${e.etcd.tls ? (e.etcd.plainHttp ? `TLS ${c.red('and plain HTTP')}` : 'TLS') : c.red('plain HTTP')}, client certificate ${e.etcd.clientCertRequired === null ? '?' : e.etcd.clientCertRequired ? 'required' : c.red('not required')}${e.etcd.keysReadable ? c.red(', keys readable') : ''}`
            : '';
      // with an identity, what it reaches and what requests without credentials reach are two facts
      const reach =
        e.identity !== 'anonymous' && e.service === 'kubelet'
          ? ` the identity reaches ${inert(e.reachable.join(', ') || 'nothing')}${e.anonymousReachable && e.anonymousReachable.length > 0 ? `; without credentials: ${inert(e.anonymousReachable.join(', '))}` : ''}`
          : e.reachable.length > 0
            ? ` reaches ${inert(e.reachable.join(', '))}`
            : '';
      out.push(`  ${inert(`${e.host}:${e.port}`).padEnd(22)} ${inert(e.service).padEnd(18)} ${who}${c.dim(reach)}${e.version ? c.dim(` (v${inert(e.version.replace(/^v/, ''))})`) : ''}`);
      for (const n of e.notes) out.push(`    ${c.dim(oneLine(n))}`);
    }
  }
  // the failures first, most severe first; then the unknown findings in the order found
  const open = r.findings.filter((f) => !f.suppressed);
  const shown = [...failuresFirst(open, (f) => f), ...open.filter((f) => f.status === 'unknown')];
  if (shown.length > 0) {
    out.push('', c.bold('Findings'));
    const mark = statusMarks(c);
    for (const f of shown) {
      out.push(`  ${mark[f.status]}  ${sevColor(f.severity, c)(f.severity.padEnd(8))} ${oneLine(f.title)}${f.subject ? ` [${oneLine(f.subject)}]` : ''} ${c.dim(`(${inert(f.check)})`)}${f.baseline === 'new' ? ` ${c.bold('NEW')}` : ''}`);
      out.push(`    ${c.dim(oneLine(f.message))}`);
      if (f.status === 'fail' && f.remediation) out.push(`    ${c.cyan('fix:')} ${oneLine(f.remediation)}`);
    }
  }
  out.push(...triageSection(r, statusMarks(c), c, opts.width ?? DEFAULT_WIDTH));
  const failed = r.findings.filter((f) => f.status === 'fail').length;
  const unknown = r.findings.filter((f) => f.status === 'unknown').length;
  const worst = worstFailures(open);
  out.push('', `${c.bold('Summary:')} ${r.summary.probes} probes, ${r.summary.open} open endpoints, ${c.red(`${failed} failed`)}${worst ? ` — ${worst}` : ''}${unknown > 0 ? `, ${unknownColor(c)(`${unknown} unknown`)}` : ''}, ${(r.summary.elapsedMs / 1000).toFixed(1)} s`);
  const tail = triageSummary(r);
  if (tail) out.push(tail);
  return wrapText(out.join('\n') + '\n', opts.width ?? DEFAULT_WIDTH);
}

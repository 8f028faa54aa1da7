// The HTML report (issue 13, item 4): one self-contained file for a node, a scan or a cluster —
// inline style and script allowed by hash in a strict Content-Security-Policy, no fetch of any
// kind, readable without JavaScript (only the filters need it) and in print. Pure functions: a
// report in, text out. The caller writes the text through the output layer (output.ts), which
// redacts the invocation's secrets as for every format.
//
// Every untrusted string (names, paths, messages, evidence values) goes through escapeHtml or
// escapeAttr (html-escape.ts) and only into text or a quoted data-*/value attribute; links are
// in-page anchors built from counters, never from report text.
import { SECTIONS, SEVERITIES, type Evidence, type Finding, type Section, type Severity, type Status } from '../checks/types.ts';
import type { Summary } from '../checks/run.ts';
import type { Provenance, SettingValue } from '../facts/types.ts';
import type { Endpoint } from '../scan/types.ts';
import { describeFix } from '../fix/describe.ts';
import type { NodeReport } from './model.ts';
import { failuresFirst } from './marks.ts';
import { CSP, CSS, SCRIPT } from './html-assets.ts';
import { escapeAttr, escapeHtml } from './html-escape.ts';
import type { TriageReport } from './triage.ts';
import { suppressionWarnings } from './suppressions.ts';
import { benchmarkRef, choiceText, sectionTitle as profileSectionTitle } from '../profiles/index.ts';

export interface HtmlOptions {
  /**
   * The invocation's redaction (`io.secrets.redact`, report/secrets.ts), applied to every string
   * BEFORE it is escaped: a secret holding `&`, `<` or `"` no longer matches once escaped, and the
   * marker `<redacted>` must be escaped to be seen. The output layer redacts again as it writes.
   */
  redact?: (text: string) => string;
}

const identity = (s: string) => s;
// set for the length of one synchronous rendering (withOptions); the writers stay pure
let redactNow: (text: string) => string = identity;
const h = (s: string) => escapeHtml(redactNow(s));
const attr = (s: string) => escapeAttr(redactNow(s));

function withOptions(opts: HtmlOptions | undefined, render: () => string): string {
  const before = redactNow;
  redactNow = opts?.redact ?? identity;
  try {
    return render();
  } finally {
    redactNow = before;
  }
}

/** Expired and stale suppressions, and the baseline's counts, as the page's notes. */
function triageNotes(r: TriageReport): string[] {
  const b = r.baseline;
  return [
    ...(r.suppressions ? suppressionWarnings(r.suppressions) : []),
    ...(b ? [`baseline ${b.file}: ${b.new} new, ${b.unchanged} unchanged, ${b.resolved.length} resolved${b.resolved.length ? ` (${b.resolved.slice(0, 20).map((x) => `${x.check}${x.subject ? ` ${x.subject}` : ''}`).join(', ')}${b.resolved.length > 20 ? ', …' : ''})` : ''}`] : []),
  ];
}

/** `kubelet-guard scan --format json`'s report. */
export interface ScanReportJson {
  tool: { name: string; version: string };
  generatedAt?: string;
  scan: { targets: number; ports: number[]; probes: number; open: number; elapsedMs: number };
  endpoints: Endpoint[];
  findings: Finding[];
  summary: Summary;
  suppressions?: TriageReport['suppressions'];
  baseline?: TriageReport['baseline'];
}

/** `kubelet-guard cluster --format json`'s report (ClusterReport of commands/cluster.ts, findings all or only failed/unknown). */
export interface ClusterReportJson {
  tool: { name: string; version: string };
  generatedAt?: string;
  /** why the audit is not complete, as the command says it on standard error */
  incomplete?: string;
  cluster: { server: string; nodes: number };
  nodes: Array<{ name: string; version?: string; configz: string; summary: Omit<Summary, 'failBySeverity'>; staticPods?: string[]; nodeAudit?: string; platform?: { title: string } }>;
  findings: Finding[];
  summary: Summary;
  rbacFails?: Record<string, number>;
  suppressions?: TriageReport['suppressions'];
  baseline?: TriageReport['baseline'];
}

export const STATUS_WORD: Record<Status, string> = { fail: 'FAIL', unknown: 'UNKNOWN', pass: 'PASS', 'not-applicable': 'N/A' };
/** a mark beside the word: status is never told by colour alone */
const STATUS_MARK: Record<Status, string> = { fail: '✗', unknown: '?', pass: '✓', 'not-applicable': '–' };
const STATUS_ORDER: Status[] = ['fail', 'unknown', 'pass', 'not-applicable'];
const STATUS_LABEL: Record<Status, string> = { fail: 'Failed', unknown: 'Unknown', pass: 'Passed', 'not-applicable': 'Not applicable' };
const WORST_LISTED = 10;

// statuses, severities and counts are the tool's own, but escaped all the same: a report read back from JSON is input
const badge = (s: Status) => `<span class="badge st-${attr(s)}">${STATUS_MARK[s] ?? '?'} ${h(STATUS_WORD[s] ?? s)}</span>`;
const sev = (s: Severity) => `<span class="sev sev-${attr(s)}">${h(s)}</span>`;
const num = (n: number) => h(String(n));
/** A section's heading under the report's profile (a newer report's unknown section: its key). */
const sectionTitle = (s: Section, profile?: string) => (SECTIONS[s] ? profileSectionTitle(s, profile) : s);

export function nodeHtml(r: NodeReport, opts?: HtmlOptions): string {
  return withOptions(opts, () => nodePage(r));
}

export function scanHtml(r: ScanReportJson, opts?: HtmlOptions): string {
  return withOptions(opts, () => scanPage(r));
}

export function clusterHtml(r: ClusterReportJson, opts?: HtmlOptions): string {
  return withOptions(opts, () => clusterPage(r));
}

function nodePage(r: NodeReport): string {
  const k = r.kubelet;
  const facts: Array<[string, string]> = [
    ['Target', h(r.target)],
    ['Mode', h(`${r.mode}${r.privileged ? '' : ' (unprivileged: some files could not be read)'}`)],
    ['Generated', h(r.generatedAt)],
    ['Kubelet', k.found ? h(`found (${k.from ?? 'unknown source'}${k.pid !== undefined ? `, pid ${k.pid}` : ''})`) : h(`not found${k.missing ? `: ${k.missing}` : ''}`)],
  ];
  if (r.benchmark) facts.push(['Benchmark', h(choiceText(r.benchmark))]);
  if (k.version) facts.push(['Kubelet version', `${h(k.version.value)} <span class="meta">(${h(k.version.source)})</span>`]);
  if (k.unit) facts.push(['Unit', `<code>${h(k.unit.file)}</code>${k.unit.dropIns.map((d) => `<br><code>${h(d)}</code>`).join('')}`]);
  if (k.configFile) facts.push(['Config file', `<code>${h(k.configFile)}</code>`]);
  if (k.configDir) facts.push(['Config dir', `<code>${h(k.configDir)}</code>${k.dropIns.map((d) => `<br><code>${h(d)}</code>`).join('')}`]);
  const extra = [effectiveConfigHtml(r), argvHtml(r)].join('');
  return page({
    title: `kubelet-guard node report: ${r.target}`,
    heading: 'Node report',
    facts,
    incomplete: r.incomplete,
    notes: triageNotes(r),
    findings: r.findings,
    summary: r.summary,
    before: '',
    after: extra,
    version: r.tool.version,
    ...(r.benchmark ? { profile: r.benchmark.profile } : {}),
  });
}

function scanPage(r: ScanReportJson): string {
  const hosts = [...new Set(r.endpoints.map((e) => e.host))];
  const facts: Array<[string, string]> = [
    ['Targets', `${h(String(r.scan.targets))} address(es)`],
    ['Ports', h(r.scan.ports.join(', '))],
    ['Probes', h(String(r.scan.probes))],
    ['Open endpoints', h(String(r.scan.open))],
    ['Elapsed', h(`${(r.scan.elapsedMs / 1000).toFixed(1)} s`)],
  ];
  if (r.generatedAt) facts.push(['Generated', h(r.generatedAt)]);
  return page({
    title: `kubelet-guard scan report: ${r.scan.targets} address(es)`,
    heading: 'Network scan report',
    facts,
    notes: triageNotes(r),
    findings: r.findings,
    summary: r.summary,
    owner: { label: 'Host', names: hosts, of: ownerBy(hosts, ': ') },
    before: endpointsHtml(r.endpoints),
    after: '',
    version: r.tool.version,
  });
}

function clusterPage(r: ClusterReportJson): string {
  const names = r.nodes.map((n) => n.name);
  const of = ownerBy(names, ' ');
  const facts: Array<[string, string]> = [
    ['API server', h(r.cluster.server)],
    ['Nodes', h(String(r.cluster.nodes))],
  ];
  if (r.generatedAt) facts.push(['Generated', h(r.generatedAt)]);
  const cut = Object.entries(r.rbacFails ?? {}).filter(([, n]) => n > 0);
  const note = cut.length > 0 ? `<p class="meta">RBAC failures counted: ${cut.map(([c, n]) => `<code>${h(c)}</code> ${num(n)}`).join(', ')}; the JSON report lists each.</p>` : '';
  return page({
    title: `kubelet-guard cluster report: ${r.cluster.server}`,
    heading: 'Cluster report',
    facts,
    incomplete: r.incomplete,
    notes: triageNotes(r),
    findings: r.findings,
    summary: r.summary,
    owner: { label: 'Node', names, of },
    before: matrixHtml(r, of) + note,
    after: '',
    version: r.tool.version,
  });
}

/**
 * The owner (node or host) of a finding: the longest of `names` its subject is, or begins with
 * followed by a separator — `NODE what` (commands/cluster.ts); `HOST`, `HOST:PORT`, `[IPV6]:PORT`,
 * each maybe followed by ` what` (checks/scan/run.ts). Longest, and not the first word: a hostile
 * API server may name a node with a space in it.
 */
function ownerBy(names: readonly string[], seps: string): (f: Finding) => string | undefined {
  const known = new Set(names);
  return (f) => {
    if (f.subject === undefined) return undefined;
    const s = f.subject.replace(/^\[([^\]]*)\]/, '$1');
    if (known.has(s)) return s;
    for (let i = s.length - 1; i > 0; i--) if (seps.includes(s[i]!) && known.has(s.slice(0, i))) return s.slice(0, i);
    return undefined;
  };
}

interface PageSpec {
  title: string;
  heading: string;
  facts: Array<[string, string]>;
  incomplete?: string;
  /** expired and stale suppressions, the baseline's counts (report/triage.ts) */
  notes?: string[];
  findings: readonly Finding[];
  summary: Summary;
  owner?: { label: string; names: readonly string[]; of: (f: Finding) => string | undefined };
  /** sections of the page between the summary and the findings, and after the findings (HTML) */
  before: string;
  after: string;
  version: string;
  /** the report's benchmark profile: section headings without CIS Kubernetes numbers under another */
  profile?: string;
}

function page(p: PageSpec): string {
  const ids = new Map<Finding, number>();
  p.findings.forEach((f, i) => ids.set(f, i + 1));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#findings">Skip to the findings</a>
<header>
<h1>kubelet-guard: ${h(p.heading)}</h1>
<dl class="facts">${p.facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>
</header>
<main>
${p.incomplete !== undefined ? `<p class="warn" role="alert"><strong>INCOMPLETE:</strong> ${h(p.incomplete)}</p>` : ''}
${p.notes?.length ? `<ul class="notes">${p.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
${summaryHtml(p, ids)}
${p.before}
${findingsHtml(p, ids)}
${p.after}
</main>
<footer><p>Written by kubelet-guard ${h(p.version)}. This file is self-contained: it loads nothing and sends nothing.</p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function summaryHtml(p: PageSpec, ids: Map<Finding, number>): string {
  const s = p.summary;
  const total = STATUS_ORDER.reduce((n, st) => n + s[st], 0);
  // one row each, a column per status (severity): read across at a glance, headed for a screen reader
  const byStatus = `<tr>${STATUS_ORDER.map((st) => `<th scope="col">${badge(st)}</th>`).join('')}</tr><tr>${STATUS_ORDER.map((st) => `<td id="count-${st}">${num(s[st])}</td>`).join('')}</tr>`;
  const bySev = `<tr>${SEVERITIES.map((v) => `<th scope="col">${sev(v)}</th>`).join('')}</tr><tr>${SEVERITIES.map((v) => `<td id="count-sev-${v}">${num(s.failBySeverity[v])}</td>`).join('')}</tr>`;
  const worst = failuresFirst(p.findings, (f) => f);
  const listed = worst.slice(0, WORST_LISTED).map((f) => {
    const owner = p.owner?.of(f);
    return `<li>${sev(f.severity)} <a href="#f-${ids.get(f)}">${h(f.title)}</a>${f.subject !== undefined ? ` — <code>${h(f.subject)}</code>` : owner !== undefined ? ` — ${h(owner)}` : ''}</li>`;
  }).join('');
  const more = worst.length > WORST_LISTED ? `<p class="meta">and ${worst.length - WORST_LISTED} more failure(s) below.</p>` : '';
  return `<section aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<p><strong id="count-total">${num(total)}</strong> findings: <strong>${num(s.fail)}</strong> failed, <strong>${num(s.unknown)}</strong> unknown (could not be judged), ${num(s.pass)} passed, ${num(s['not-applicable'])} not applicable.</p>
<div class="counts">
<table id="by-status"><caption>Findings by status</caption><tbody>${byStatus}</tbody></table>
<table id="by-severity"><caption>Failures by severity</caption><tbody>${bySev}</tbody></table>
</div>
<h3>Worst failures</h3>
${listed ? `<ol id="worst">${listed}</ol>${more}` : '<p id="worst">No check failed.</p>'}
</section>`;
}

function findingsHtml(p: PageSpec, ids: Map<Finding, number>): string {
  const sections = (Object.keys(SECTIONS) as Section[]).filter((s) => p.findings.some((f) => f.section === s));
  // a section we do not know (a newer report) is still shown, after the known ones
  for (const f of p.findings) if (!sections.includes(f.section)) sections.push(f.section);
  const rank = (f: Finding) => STATUS_ORDER.indexOf(f.status) * 10 + SEVERITIES.indexOf(f.severity);
  const opt = (v: string, label: string) => `<option value="${attr(v)}">${h(label)}</option>`;
  const select = (name: string, label: string, options: string) =>
    `<label for="filter-${name}">${h(label)}<select id="filter-${name}" name="${name}"><option value="">All</option>${options}</select></label>`;
  const owner = p.owner;
  const form = `<form id="filters" hidden aria-label="Filter the findings">
${select('severity', 'Severity', SEVERITIES.map((v) => opt(v, v)).join(''))}
${select('status', 'Status', STATUS_ORDER.map((s) => opt(s, `${STATUS_WORD[s]} (${STATUS_LABEL[s].toLowerCase()})`)).join(''))}
${select('section', 'Section', sections.map((s) => opt(s, sectionTitle(s, p.profile))).join(''))}
${owner ? select('owner', owner.label, `${opt('*', `(not tied to one ${owner.label.toLowerCase()})`)}${owner.names.map((n) => opt(`n:${n}`, n)).join('')}`) : ''}
<button type="button" id="show-all">Show all</button>
</form>`;
  const groups = sections.map((s, i) => {
    const fs = p.findings.filter((f) => f.section === s).map((f, j) => ({ f, j })).sort((a, b) => rank(a.f) - rank(b.f) || a.j - b.j).map(({ f }) => f);
    return `<section data-group aria-labelledby="sec-${i}">
<h3 id="sec-${i}">${h(sectionTitle(s, p.profile))} <span class="meta" data-count="${fs.length}">(${fs.length})</span></h3>
${fs.map((f) => findingHtml(f, ids.get(f)!, owner ? ownerValue(owner.of(f)) : undefined)).join('\n')}
</section>`;
  });
  return `<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
${form}
<p id="shown" aria-live="polite">${p.findings.length} findings</p>
${groups.join('\n')}
</section>`;
}

/** The filter's value for an owner: `n:NAME`, or `*` for a finding of no one node (never equal to a name's). */
const ownerValue = (name: string | undefined) => (name === undefined ? '*' : `n:${name}`);

function findingHtml(f: Finding, id: number, owner: string | undefined): string {
  const data = `data-finding data-status="${attr(f.status)}" data-severity="${attr(f.severity)}" data-section="${attr(f.section)}"${owner !== undefined ? ` data-owner="${attr(owner)}"` : ''}`;
  const meta = [`<code>${h(f.check)}</code>`];
  const ref = benchmarkRef(f);
  if (ref !== undefined) meta.push(h(ref));
  if (f.setting) meta.push(`setting <code>${h(f.setting)}</code>`);
  if (f.subject !== undefined) meta.push(`subject <code>${h(f.subject)}</code>`);
  if (f.baseline) meta.push(f.baseline === 'new' ? '<strong>new since the baseline</strong>' : 'unchanged since the baseline');
  // a suppressed finding is shown with its reason, never hidden (report/suppressions.ts)
  const suppressed = f.suppressed ? `<p class="suppressed"><strong>Suppressed</strong> (not counted for --fail-on): ${h(f.suppressed.reason)} <span class="meta">(${h(f.suppressed.source)}${f.suppressed.expires ? `, until ${h(f.suppressed.expires)}` : ''})</span></p>\n` : '';
  const evidence = f.evidence.length > 0 ? `<p><strong>Evidence</strong></p><ul class="evidence">${f.evidence.map((e) => `<li>${evidenceHtml(e)}</li>`).join('')}</ul>` : '';
  return `<article class="finding st-${attr(f.status)}" id="f-${id}" ${data}>
<h4>${badge(f.status)} ${sev(f.severity)} <span>${h(f.title)}</span></h4>
<p class="meta">${meta.join(' · ')}</p>
<p class="pre">${h(f.message)}</p>
${suppressed}${evidence}${fixHtml(f)}
</article>`;
}

function fixHtml(f: Finding): string {
  if (f.status !== 'fail' && f.status !== 'unknown') return '';
  const parts: string[] = [];
  const changes = f.fixes ?? [];
  // the remediation is written from the proposals (fix/describe.ts): shown once, the changes only without it
  if (f.remediation) parts.push(`<p><strong>Fix:</strong> <span class="pre">${h(f.remediation)}</span></p>`);
  else if (changes.length > 0) parts.push(`<p><strong>Fix:</strong></p><ul>${changes.map((x) => `<li class="pre">${h(describeFix(x))}</li>`).join('')}</ul>`);
  if (changes.length > 0) parts.push(`<p class="meta"><code>kubelet-guard fix</code> makes ${changes.length === 1 ? 'this change' : `these ${changes.length} changes`}.</p>`);
  else if (f.status === 'fail') parts.push(`<p><strong>No automatic fix:</strong> ${h(f.noFix ?? 'none proposed for this finding')}</p>`);
  return parts.length > 0 ? `<div class="fix">${parts.join('')}</div>` : '';
}

/** as fix/describe.ts shows values: a string bare (the empty one as ""), the rest as JSON */
const showValue = (v: SettingValue | undefined): string => (typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v) ?? 'undefined');
const at = (file: string | undefined, line: number | undefined) => (file ? `${file}${line !== undefined ? `:${line}` : ''}` : '');

function sourceHtml(s: Provenance): string {
  const where = at(s.file, s.line);
  return `${h(s.kind)}${where ? ` <code>${h(where)}</code>` : ''}${s.detail ? ` (${h(s.detail)})` : ''}`;
}

function evidenceHtml(e: Evidence): string {
  const out: string[] = [];
  const where = at(e.file, e.line);
  if (where) out.push(`<code>${h(where)}</code>`);
  if (e.setting !== undefined) out.push(`<code>${h(e.setting)}</code> = <code>${h(showValue(e.value))}</code>`);
  else if (e.value !== undefined) out.push(`value <code>${h(showValue(e.value))}</code>`);
  if (e.source) out.push(`source: ${sourceHtml(e.source)}`);
  if (e.note) out.push(`<span class="pre">${h(e.note)}</span>`);
  return out.join(' — ');
}

function effectiveConfigHtml(r: NodeReport): string {
  const rows = Object.entries(r.effectiveConfig).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, s]) =>
    `<tr><th scope="row"><code>${h(k)}</code></th><td>${s.unknown !== undefined ? `<span class="st-unknown">? UNKNOWN</span> ${h(s.unknown)}` : `<code class="pre">${h(showValue(s.value))}</code>`}</td><td>${sourceHtml(s.source)}</td></tr>`);
  if (rows.length === 0) return '';
  return `<section aria-labelledby="config-h">
<h2 id="config-h">Effective kubelet configuration</h2>
<p class="meta">Each value as the kubelet runs with it, and where it comes from (a flag, the config file, a drop-in, or a default).</p>
<div class="wrapx"><table id="effective-config"><thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
</section>`;
}

function argvHtml(r: NodeReport): string {
  const argv = r.kubelet.argv;
  if (!argv || argv.length === 0) return '';
  return `<section aria-labelledby="argv-h">
<h2 id="argv-h">Kubelet command line</h2>
<div class="wrapx"><table><thead><tr><th scope="col">Word</th><th scope="col">Written in</th></tr></thead><tbody>${argv.map((a) => `<tr><td><code>${h(a.text)}</code></td><td>${a.file ? `<code>${h(at(a.file, a.line))}</code>` : ''}</td></tr>`).join('')}</tbody></table></div>
</section>`;
}

function endpointsHtml(eps: readonly Endpoint[]): string {
  const yn = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : v === null ? 'unknown' : '');
  const rows = eps.map((e) => `<tr><th scope="row"><code>${h(`${e.host}:${e.port}`)}</code></th><td>${h(e.service)}</td><td>${h(e.state)}</td><td>${yn(e.anonymous)}</td><td>${h(e.authorization ?? '')}</td><td>${h(e.reachable.join(', '))}</td><td>${h(e.version ?? '')}</td></tr>`);
  return `<section aria-labelledby="endpoints-h">
<h2 id="endpoints-h">Open endpoints</h2>
${eps.length === 0 ? '<p>No kubelet or etcd port answered.</p>' : `<div class="wrapx"><table id="endpoints"><thead><tr><th scope="col">Endpoint</th><th scope="col">Service</th><th scope="col">State</th><th scope="col">Anonymous</th><th scope="col">Authorization</th><th scope="col">Reachable</th><th scope="col">Version</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`}
</section>`;
}

/**
 * Nodes × checks: each node a row, each check that judged a node a column, the cell its worst
 * verdict there (fail, then unknown, then pass), with the word, not only the colour.
 */
function matrixHtml(r: ClusterReportJson, of: (f: Finding) => string | undefined): string {
  const cells = new Map<string, Map<string, Finding>>(); // node → check → worst finding
  const checks: string[] = [];
  const worse = (a: Finding, b: Finding) => STATUS_ORDER.indexOf(a.status) < STATUS_ORDER.indexOf(b.status) || (a.status === b.status && SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(b.severity));
  for (const f of r.findings) {
    const n = of(f);
    if (n === undefined || f.status === 'not-applicable') continue;
    if (!checks.includes(f.check)) checks.push(f.check);
    let row = cells.get(n);
    if (!row) cells.set(n, (row = new Map()));
    const had = row.get(f.check);
    if (!had || worse(f, had)) row.set(f.check, f);
  }
  const cell = (f: Finding | undefined) =>
    !f ? '<td><span aria-label="no finding">·</span></td>'
      : `<td class="st-${attr(f.status)}">${STATUS_MARK[f.status] ?? '?'} ${f.status === 'fail' ? `${STATUS_WORD.fail} <span class="sev sev-${attr(f.severity)}">${h(f.severity.slice(0, 4))}</span>` : f.status === 'unknown' ? 'UNKN' : h(STATUS_WORD[f.status] ?? f.status)}</td>`;
  const rows = r.nodes.map((n) => {
    const open = n.summary.fail > 0;
    const state = open ? `<td class="open">✗ OPEN (${num(n.summary.fail)})</td>` : n.summary.unknown > 0 ? `<td class="st-unknown">? UNKNOWN (${num(n.summary.unknown)})</td>` : `<td class="closed">✓ closed</td>`;
    const row = cells.get(n.name);
    return `<tr><th scope="row"><code>${h(n.name)}</code></th>${state}<td>${h(n.version ?? '')}${n.platform ? ` <small>(${h(n.platform.title)})</small>` : ''}</td><td>${n.configz === 'ok' ? 'read' : `<span class="st-unknown">? ${h(n.configz)}</span>`}</td>${checks.map((c) => cell(row?.get(c))).join('')}</tr>`;
  });
  return `<section aria-labelledby="matrix-h">
<h2 id="matrix-h">Nodes × checks</h2>
<p class="meta">A row per node, a column per check that judged a node; each cell the worst verdict (✗ FAIL with its severity, ? UNKN, ✓ PASS; · no finding).</p>
<div class="wrapx"><table class="matrix" id="matrix"><thead><tr><th scope="col">Node</th><th scope="col">State</th><th scope="col">Kubelet</th><th scope="col">Configuration</th>${checks.map((c) => `<th scope="col" class="chk"><span>${h(c)}</span></th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
</section>`;
}

// JUnit XML (issue 13, item 3), the test report CI systems read (GitLab's artifacts:reports:junit,
// Jenkins' junit step, GitHub test-reporter actions): a <testsuite> per section, a <testcase> per
// check and subject (classname = the section, name = check id and subject), a failure with the
// message, the evidence's file:line and the exact fix; unknown and not-applicable are skipped
// with their reason (a skip is what the reporters show as "not run": neither a pass nor a fail).
// A cluster gets a suite per section too, the node in each testcase's name (its subject starts
// with the node): 16 suites whose failures read across the fleet, where a suite per node and
// section would be thousands of suites in GitLab's and Jenkins' lists; and check + node as the
// name keeps each node's history per test in Jenkins.
//
// Every untrusted string goes through inert() (terminal.ts) first — which shows as a visible
// escape every character XML 1.0 forbids (C0 controls, U+FFFE/FFFF, lone surrogates) and the
// tab, newline and CR an attacker could use to forge lines — then through XML escaping. No CDATA.
// The run's redaction is applied before escaping (as for HTML: a secret holding & no longer
// matches once escaped). Pure: the timestamp is the report's generatedAt.
import { SECTIONS, type Evidence, type Finding, type Section } from '../checks/types.ts';
import { catalogueEntry } from './catalogue.ts';
import { inert } from './terminal.ts';
import { benchmarkRef, choiceText, sectionTitle, type BenchmarkChoice } from '../profiles/index.ts';

export interface JunitInput {
  /** the suites' package and hostname: the node, the scan, the API server */
  command: 'node' | 'scan' | 'cluster';
  target: string;
  generatedAt: string;
  findings: readonly Finding[];
  incomplete?: string;
  /** the report's benchmark profile (node, cluster) */
  benchmark?: BenchmarkChoice;
  redact?: (text: string) => string;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value: redacted, made inert (no character XML forbids survives), escaped. */
export function xmlEscape(s: string, redact: (t: string) => string = (t) => t): string {
  return inert(redact(s)).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/** A value as evidence shows it: strings as they are, the rest as JSON. */
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** One evidence line: file:line first (what a reader opens), then the setting and its value, then the note. */
export function evidenceText(e: Evidence): string {
  const file = e.file ?? e.source?.file;
  const line = e.file ? e.line : e.source?.line;
  const parts: string[] = [];
  if (file) parts.push(line ? `${file}:${line}` : file);
  if (e.setting) parts.push(e.value !== undefined ? `${e.setting} = ${show(e.value)}` : e.setting);
  else if (e.value !== undefined) parts.push(show(e.value));
  if (e.source && !e.source.file) parts.push(`(${e.source.kind}${e.source.detail ? ` ${e.source.detail}` : ''})`);
  if (e.note) parts.push(e.note);
  return parts.join(' ');
}

/** The testcase's name: the check, then its subject (for a cluster, the node first). */
export const testName = (f: Finding): string => (f.subject ? `${f.check} ${f.subject}` : f.check);

/** The timestamp the Ant schema accepts: seconds, no zone (the report's UTC time; its generatedAt property keeps the zone). */
const antTimestamp = (iso: string): string => (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(iso)?.[0] ?? '1970-01-01T00:00:00');

function failureBody(f: Finding, esc: (s: string) => string): string {
  const fix = f.remediation ?? catalogueEntry(f.check)?.remediation;
  const lines = [
    `${esc(f.check)}: ${esc(f.title)}`,
    `severity: ${f.severity}${benchmarkRef(f) !== undefined ? ` (${esc(benchmarkRef(f)!)})` : ''}`,
    ...(f.subject ? [`subject: ${esc(f.subject)}`] : []),
    esc(f.message),
    ...f.evidence.map((e) => `evidence: ${esc(evidenceText(e))}`),
    ...(fix ? [`fix: ${esc(fix)}`] : []),
    ...(f.fixes?.length ? ['kubelet-guard fix makes this change (it shows the plan first; --write applies it)'] : []),
    ...(f.noFix ? [`kubelet-guard fix changes nothing here: ${esc(f.noFix)}`] : []),
  ];
  return lines.join('\n');
}

function testcase(f: Finding, esc: (s: string) => string): string {
  const head = `<testcase classname="${esc(f.section)}" name="${esc(testName(f))}" time="0"`;
  if (f.status === 'pass') return `    ${head}/>`;
  // accepted in the ignore file: reported with its reason, not a failure of the build (as --fail-on)
  if (f.status === 'fail' && f.suppressed) return `    ${head}>\n      <skipped message="${esc(`suppressed (${f.suppressed.source}): ${f.suppressed.reason}; ${f.message}`)}"/>\n    </testcase>`;
  if (f.status === 'fail') return `    ${head}>\n      <failure message="${esc(f.message)}" type="${f.severity}">${failureBody(f, esc)}</failure>\n    </testcase>`;
  const why = f.status === 'unknown' ? `unknown (the evidence could not be read, so no verdict): ${f.message}` : `not applicable: ${f.message}`;
  return `    ${head}>\n      <skipped message="${esc(why)}"/>\n    </testcase>`;
}

/** The JUnit XML of one report. */
export function formatJunit(input: JunitInput): string {
  const esc = (s: string) => xmlEscape(s, input.redact);
  const timestamp = antTimestamp(input.generatedAt);
  const bySection = new Map<Section, Finding[]>();
  for (const s of Object.keys(SECTIONS) as Section[]) bySection.set(s, []);
  for (const f of input.findings) {
    const list = bySection.get(f.section) ?? [];
    list.push(f);
    bySection.set(f.section, list);
  }
  const suites: string[] = [];
  let total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suite = (name: string, title: string, cases: string[], counts: { tests: number; failures: number; errors: number; skipped: number }) => {
    total = { tests: total.tests + counts.tests, failures: total.failures + counts.failures, errors: total.errors + counts.errors, skipped: total.skipped + counts.skipped };
    suites.push([
      `  <testsuite name="${esc(name)}" id="${suites.length}" package="kubelet-guard.${input.command}" hostname="${esc(input.target) || 'localhost'}" timestamp="${timestamp}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0">`,
      '    <properties>',
      `      <property name="section" value="${esc(title)}"/>`,
      `      <property name="target" value="${esc(input.target)}"/>`,
      `      <property name="generatedAt" value="${esc(input.generatedAt)}"/>`,
      ...(input.benchmark ? [`      <property name="benchmark" value="${esc(choiceText(input.benchmark))}"/>`] : []),
      '    </properties>',
      ...cases,
      '  </testsuite>',
    ].join('\n'));
  };
  // an audit that could not run (exit 3) is an error, never an empty green report
  if (input.incomplete !== undefined) {
    suite('audit', 'The audit itself', [`    <testcase classname="audit" name="audit-complete" time="0">\n      <error message="${esc(input.incomplete)}" type="incomplete">${esc(input.incomplete)}</error>\n    </testcase>`], { tests: 1, failures: 0, errors: 1, skipped: 0 });
  }
  for (const [section, list] of bySection) {
    if (list.length === 0) continue;
    suite(section, SECTIONS[section] ? sectionTitle(section, input.benchmark?.profile) : section, list.map((f) => testcase(f, esc)), {
      tests: list.length,
      failures: list.filter((f) => f.status === 'fail' && !f.suppressed).length,
      errors: 0,
      skipped: list.filter((f) => f.status === 'unknown' || f.status === 'not-applicable' || (f.status === 'fail' && f.suppressed)).length,
    });
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(`kubelet-guard ${input.command} ${input.target}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

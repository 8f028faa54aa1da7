// Markdown for pull requests and tickets (issue 13, item 5): a title with the target, the summary
// (counts by status, failures by severity), the failed findings worst first (severity, check,
// title, subject, message, evidence file:line, the exact fix), then the unknowns with reasons.
//
// Every untrusted string (names, subjects, paths, messages, evidence, fixes) is redacted, made
// inert (terminal.ts: controls and newlines become visible escapes, so no line of it can start a
// heading, list or table) and then set where Markdown cannot act on it: short strings in an
// inline code span (codeSpan: a backtick run longer than any inside), prose in a fenced code block
// (a fence longer than any backtick run inside). Neither interprets HTML, entities, emphasis or
// links, and GitHub does not autolink inside them — a backslash escape would not stop GitHub's
// autolinking of a bare https:// or www. in text. The only text outside them is ours.
//
// GitHub refuses a comment over 65,536 characters (counted in UTF-16 code units, as JavaScript's
// length): the writer stops at MARKDOWN_LIMIT, well under it, and says what it left out and how
// to get the whole report.
import { SEVERITIES, type Finding } from '../checks/types.ts';
import type { Summary } from '../checks/run.ts';
import { catalogueEntry } from './catalogue.ts';
import { evidenceText } from './junit.ts';
import { failuresFirst } from './marks.ts';
import { inert } from './terminal.ts';
import { benchmarkRef, choiceText, type BenchmarkChoice } from '../profiles/index.ts';

/** GitHub's comment limit is 65,536 UTF-16 code units; this leaves room for a bot's own header. */
export const MARKDOWN_LIMIT = 60_000;
/** One untrusted string at most this long (a megabyte-long message would crowd out every other finding). */
const FIELD_MAX = 2_000;
/** The unknowns listed at most (each with its reason); the rest counted. */
const UNKNOWN_MAX = 50;

export interface MarkdownInput {
  command: 'node' | 'scan' | 'cluster';
  target: string;
  findings: readonly Finding[];
  summary: Summary;
  incomplete?: string;
  /** the report's benchmark profile (node, cluster) */
  benchmark?: BenchmarkChoice;
  redact?: (text: string) => string;
  /** for tests: the size limit */
  limit?: number;
}

const longestRun = (s: string): number => Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));

/** Untrusted text made inert and bounded (redacted first, so a secret is matched before escaping). */
function clean(s: string, redact: (t: string) => string): string {
  const t = inert(redact(s));
  return t.length > FIELD_MAX ? `${t.slice(0, FIELD_MAX)}… (${t.length - FIELD_MAX} more characters)` : t;
}

/** An inline code span holding `s` literally (CommonMark 6.1): delimiters one backtick longer than any run inside, padded when `s` starts or ends with a backtick or space. */
export function codeSpan(s: string): string {
  if (s === '') return '` `';
  const fence = '`'.repeat(longestRun(s) + 1);
  const pad = /^[` ]|[` ]$/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A fenced code block holding `lines` literally: a fence longer than any backtick run inside. */
export function codeBlock(lines: readonly string[]): string {
  const fence = '`'.repeat(Math.max(3, longestRun(lines.join('\n')) + 1));
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

/** Our own text outside code: every ASCII punctuation Markdown may act on, backslash-escaped (for the check titles from the catalogue). */
export function escapeMarkdown(s: string): string {
  return inert(s).replace(/[\\`*_{}[\]()#+\-.!|<>&~^:@$]/g, (c) => `\\${c}`);
}

const SEV_LABEL: Record<string, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' };

function findingBlock(f: Finding, n: number, cl: (s: string) => string): string {
  const fix = f.remediation ?? catalogueEntry(f.check)?.remediation;
  const where = f.evidence.map((e) => codeSpan(cl(evidenceText(e)))).filter((x) => x !== '` `');
  const ref = benchmarkRef(f);
  const head = [`**${n}. ${SEV_LABEL[f.severity]}** ${codeSpan(cl(f.check))} ${escapeMarkdown(f.title)}${ref !== undefined ? ` (${escapeMarkdown(ref)})` : ''}`];
  if (f.subject) head.push(`Subject: ${codeSpan(cl(f.subject))}`);
  if (where.length) head.push(`Evidence: ${where.join(', ')}`);
  const body = [cl(f.message), ...(fix ? [`Fix: ${cl(fix)}`] : []), ...(f.noFix ? [`kubelet-guard fix changes nothing here: ${cl(f.noFix)}`] : [])];
  const hint = f.fixes?.length ? ['`kubelet-guard fix` makes this change (it shows the plan first; `--write` applies it).'] : [];
  // two trailing spaces: a line break inside one paragraph
  return [head.join('  \n'), '', codeBlock(body), ...(hint.length ? ['', ...hint] : [])].join('\n');
}

function summaryLines(s: Summary): string[] {
  const bySev = SEVERITIES.filter((x) => s.failBySeverity[x] > 0).map((x) => `${x} ${s.failBySeverity[x]}`).join(', ');
  return [
    `**${s.fail} failed**${bySev ? ` (${bySev})` : ''} · **${s.unknown} unknown** · ${s.pass} passed · ${s['not-applicable']} not applicable`,
  ];
}

/** The Markdown of one report, under `limit` UTF-16 code units. */
export function formatMarkdown(input: MarkdownInput): string {
  const redact = input.redact ?? ((t: string) => t);
  const cl = (s: string) => clean(s, redact);
  const limit = input.limit ?? MARKDOWN_LIMIT;
  const head: string[] = [`## kubelet-guard ${input.command} report: ${codeSpan(cl(input.target))}`, ''];
  if (input.incomplete !== undefined) head.push(`**Incomplete:** the audit did not run in full:`, '', codeBlock([cl(input.incomplete)]), '');
  if (input.benchmark) head.push(`Benchmark: ${escapeMarkdown(choiceText(input.benchmark))}; a check it has no control for is marked beyond benchmark.`, '');
  head.push(...summaryLines(input.summary), '');

  // accepted in the ignore file: listed apart with the reason, never among the failures to act on
  const failed = failuresFirst(input.findings, (f) => f).filter((f) => !f.suppressed);
  const suppressed = input.findings.filter((f) => f.status === 'fail' && f.suppressed);
  const unknown = input.findings.filter((f) => f.status === 'unknown');
  const unknownLines = unknown.slice(0, UNKNOWN_MAX).map((f) => `- ${codeSpan(cl(f.check))}${f.subject ? ` ${codeSpan(cl(f.subject))}` : ''}: ${codeSpan(cl(f.message))}`);
  if (unknown.length > UNKNOWN_MAX) unknownLines.push(`- … and ${unknown.length - UNKNOWN_MAX} more unknown`);
  const unknownPart = unknown.length ? ['', `### Unknown (${unknown.length}): no verdict, the evidence could not be read`, '', ...unknownLines] : [];

  const more = `the whole report: \`kubelet-guard ${input.command} … -f json\` or \`-o html=report.html\``;
  const tail = (leftFailed: number, leftUnknown: number) =>
    leftFailed + leftUnknown > 0 ? ['', `_${leftFailed} failed finding(s)${leftUnknown ? ` and ${leftUnknown} unknown` : ''} left out to stay under GitHub's comment size limit; ${more}._`] : [];
  const size = (parts: readonly string[]) => parts.reduce((n, p) => n + p.length + 1, 0);

  const out = [...head];
  if (failed.length) out.push(`### Failed (${failed.length}), worst first`, '');
  const reserveTail = size(tail(failed.length, unknown.length)) + 20;
  // the unknowns' list keeps at most a quarter of the room, the failures the rest
  const unknownRoom = Math.min(size(unknownPart), Math.floor(limit / 4));
  let shown = 0;
  for (const f of failed) {
    const block = findingBlock(f, shown + 1, cl);
    if (size(out) + block.length + 2 + unknownRoom + reserveTail > limit) break;
    out.push(block, '');
    shown++;
  }
  // unknowns listed or counted by the list's own "and N more" line
  let unknownTold = 0;
  if (unknown.length && size(out) + size(unknownPart.slice(0, 3)) + reserveTail <= limit) {
    out.push(...unknownPart.slice(0, 3));
    for (const l of unknownLines) {
      if (size(out) + l.length + 1 + reserveTail > limit) break;
      out.push(l);
      unknownTold = l.startsWith('- … and') ? unknown.length : unknownTold + 1;
    }
  }
  const leftUnknown = unknown.length - unknownTold;
  out.push(...tail(failed.length - shown, leftUnknown));
  if (suppressed.length) {
    const lines = suppressed.slice(0, UNKNOWN_MAX).map((f) => `- ${codeSpan(cl(f.check))}${f.subject ? ` ${codeSpan(cl(f.subject))}` : ''}: ${codeSpan(cl(`${f.suppressed!.reason} (${f.suppressed!.source})`))}`);
    if (suppressed.length > UNKNOWN_MAX) lines.push(`- … and ${suppressed.length - UNKNOWN_MAX} more suppressed`);
    const part = ['', `### Suppressed (${suppressed.length}): failed, accepted in the ignore file`, '', ...lines];
    if (size(out) + size(part) <= limit) out.push(...part);
    else out.push('', `_${suppressed.length} suppressed finding(s) not listed here (size limit); their reasons are in the JSON and HTML reports._`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

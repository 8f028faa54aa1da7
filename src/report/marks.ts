// What the three terminal reports (node, scan, cluster) share: the status marks, the severity
// colours, the order failures are listed in, and the summary's naming of the worst failures.
// `unknown` has a colour of its own (blue), distinct from every severity's (magenta, red, yellow,
// dim): "could not be read" must never look like "medium".
import type pc from 'picocolors';
import { SEVERITIES, type Finding, type Severity, type Status } from '../checks/types.ts';
import { inert } from './terminal.ts';

export type Colors = ReturnType<typeof pc.createColors>;

export function statusMarks(c: Colors): Record<Status, string> {
  return {
    pass: c.green('PASS'),
    fail: c.red(c.bold('FAIL')),
    unknown: c.blue(c.bold('UNKN')),
    'not-applicable': c.dim('N/A '),
  };
}

export function sevColor(sev: Severity, c: Colors): (s: string) => string {
  if (sev === 'critical') return (s) => c.magenta(c.bold(s));
  if (sev === 'high') return c.red;
  if (sev === 'medium') return c.yellow;
  return c.dim;
}

/** Colour of the word "unknown" wherever a report counts or states it. */
export const unknownColor = (c: Colors) => c.blue;

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** `items` whose finding failed, most severe first (critical → info); equal severities keep their order. */
export function failuresFirst<T>(items: readonly T[], finding: (t: T) => Finding): T[] {
  return items.filter((t) => finding(t).status === 'fail').map((t, i) => ({ t, i })).sort((a, b) => rank(finding(a.t).severity) - rank(finding(b.t).severity) || a.i - b.i).map(({ t }) => t);
}

const MAX_NAMED = 3;

/**
 * The worst failures named for a summary line: the checks that failed at the highest severity
 * present, e.g. "critical: kubelet-anonymous-auth, kubelet-authorization-mode"; "" when none failed.
 */
export function worstFailures(findings: readonly Finding[]): string {
  const failed = findings.filter((f) => f.status === 'fail');
  if (failed.length === 0) return '';
  const worst = SEVERITIES.find((s) => failed.some((f) => f.severity === s))!;
  const checks = [...new Set(failed.filter((f) => f.severity === worst).map((f) => f.check))];
  const more = checks.length > MAX_NAMED ? `, +${checks.length - MAX_NAMED} more` : '';
  return `${worst}: ${checks.slice(0, MAX_NAMED).map(inert).join(', ')}${more}`;
}

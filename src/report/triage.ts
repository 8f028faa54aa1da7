// What a run does with its findings before they are reported, for node, scan and cluster alike:
// --skip / --check (checks not run or not reported at all: no finding, no count; unlike a
// suppression, which reports the finding and only stops it counting), the ignore file's
// suppressions (suppressions.ts), and the --baseline marks (baseline.ts). Built once from the
// options (a bad option or file is a usage error, exit 2), then applied to each finding as it
// comes (the cluster streams them), and summed up at the end for the report and standard error.
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../checks/types.ts';
import { catalogueEntry, type ReportCommand } from './catalogue.ts';
import { DEFAULT_IGNORE_FILE, parseIgnoreFile, suppressionWarnings, SuppressionSet, type SuppressionNotes } from './suppressions.ts';
import { BaselineSet, readBaseline, type BaselineSummary } from './baseline.ts';
import { reasonOf } from '../sources/errno.ts';

/** An ignore file bigger than this is refused (the YAML decoder's token bound applies below it). */
export const MAX_IGNORE_BYTES = 4 * 1024 * 1024;

export interface TriageOptions {
  ignoreFile?: string;
  /** --skip, repeatable, comma-separated */
  skip?: string[];
  /** --check, repeatable, comma-separated */
  check?: string[];
  baseline?: string;
  failOnNew?: boolean;
}

/** What the end of a run adds to the JSON report (absent keys: the feature was not used). */
export interface TriageReport {
  suppressions?: SuppressionNotes;
  baseline?: BaselineSummary;
}

export class Triage {
  private readonly command: ReportCommand;
  private readonly skip: ReadonlySet<string>;
  private readonly only: ReadonlySet<string> | undefined;
  readonly suppressions: SuppressionSet | undefined;
  readonly baseline: BaselineSet | undefined;
  readonly failOnNew: boolean;

  constructor(command: ReportCommand, skip: ReadonlySet<string>, only: ReadonlySet<string> | undefined, suppressions: SuppressionSet | undefined, baseline: BaselineSet | undefined, failOnNew: boolean) {
    this.command = command;
    this.skip = skip;
    this.only = only;
    this.suppressions = suppressions;
    this.baseline = baseline;
    this.failOnNew = failOnNew;
  }

  /** Whether a check is run and reported (--skip, --check). */
  runs(check: string): boolean {
    return !this.skip.has(check) && (this.only === undefined || this.only.has(check));
  }

  /** The finding as reported (suppressed, baseline-marked), or undefined when its check is skipped. */
  mark(f: Finding, node: string | undefined): Finding | undefined {
    if (!this.runs(f.check)) return undefined;
    let out = this.suppressions ? this.suppressions.apply(f, node) : f;
    if (this.baseline) out = this.baseline.apply(out);
    return out;
  }

  /** Whether a reported finding counts for --fail-on: not suppressed, and new with --fail-on-new. */
  counts(f: Finding): boolean {
    return f.suppressed === undefined && (!this.failOnNew || f.baseline === 'new');
  }

  /** The report's summary of suppressions and baseline. */
  report(): TriageReport {
    const ofThis = (id: string) => this.runs(id) && (catalogueEntry(id)?.commands.includes(this.command) ?? false);
    const notes = this.suppressions?.notes();
    // an entry for a check this command never reports (another command's, or skipped) is not stale here
    const suppressions = notes ? { expired: notes.expired, stale: notes.stale.filter((s) => ofThis(s.check)) } : undefined;
    // a baseline finding of a check left out by --skip/--check is not resolved: it was not looked at
    const b = this.baseline?.summary();
    const baseline = b ? { ...b, resolved: b.resolved.filter((f) => this.runs(f.check)) } : undefined;
    return { ...(suppressions ? { suppressions } : {}), ...(baseline ? { baseline } : {}) };
  }

  /** The lines for standard error: expired and stale suppressions. */
  warnings(r: TriageReport): string[] {
    return r.suppressions ? suppressionWarnings(r.suppressions) : [];
  }
}

/** The ids of a comma-separated, repeatable option, each a check this command reports. */
function ids(option: string, values: readonly string[] | undefined, command: ReportCommand): Set<string> | { error: string } {
  const out = new Set<string>();
  for (const v of values ?? []) {
    for (const raw of v.split(',')) {
      const id = raw.trim();
      if (id === '') continue;
      const c = catalogueEntry(id);
      if (!c) return { error: `${option} ${id}: no such check (kubelet-guard checks lists them)` };
      if (!c.commands.includes(command)) return { error: `${option} ${id}: kubelet-guard ${command} reports no finding of this check (only ${c.commands.join(', ')})` };
      out.add(id);
    }
  }
  return out;
}

/**
 * The triage of a run from its options, or a usage error. `cwd` is where the default ignore file
 * is looked for; `today` (YYYY-MM-DD, UTC) decides expiry.
 */
export function loadTriage(command: ReportCommand, o: TriageOptions, cwd: string, today: string): Triage | { error: string } {
  const skip = ids('--skip', o.skip, command);
  if ('error' in skip) return skip;
  const only = o.check?.length ? ids('--check', o.check, command) : undefined;
  if (only && 'error' in only) return only;
  if (only && only.size === 0) return { error: '--check: no check id given' };
  let suppressions: SuppressionSet | undefined;
  const explicit = o.ignoreFile !== undefined;
  const file = o.ignoreFile ?? path.join(cwd, DEFAULT_IGNORE_FILE);
  const shown = o.ignoreFile ?? DEFAULT_IGNORE_FILE;
  let text: string | undefined;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: `${explicit ? '--ignore-file ' : ''}${shown}: not a file` };
    if (st.size > MAX_IGNORE_BYTES) return { error: `${explicit ? '--ignore-file ' : ''}${shown}: ${st.size} bytes; at most ${MAX_IGNORE_BYTES} are read` };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    // no default file is fine (nothing suppressed); a file named on the command line must be there
    if (explicit || (e as NodeJS.ErrnoException).code !== 'ENOENT') return { error: `${explicit ? '--ignore-file ' : ''}${shown}: ${reasonOf(e)}` };
  }
  if (text !== undefined) {
    const parsed = parseIgnoreFile(text, shown, (id) => catalogueEntry(id) !== undefined);
    if ('error' in parsed) return { error: parsed.error };
    suppressions = new SuppressionSet(parsed.entries, today);
  }
  let baseline: BaselineSet | undefined;
  if (o.baseline !== undefined) {
    const b = readBaseline(o.baseline, command);
    if ('error' in b) return b;
    baseline = new BaselineSet(o.baseline, b.findings);
  }
  if (o.failOnNew && !baseline) return { error: '--fail-on-new needs --baseline FILE (the report the new findings are new against)' };
  return new Triage(command, skip, only, suppressions, baseline, o.failOnNew === true);
}

/** The triage options as the report's inputs record them (undefined ones are left out by reportHeader). */
export function triageInputs(o: TriageOptions): Record<string, unknown> {
  return { ignoreFile: o.ignoreFile, skip: o.skip?.length ? o.skip.join(',') : undefined, check: o.check?.length ? o.check.join(',') : undefined, baseline: o.baseline, failOnNew: o.failOnNew || undefined };
}

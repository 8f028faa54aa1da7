// Baselines (issue 13, item 7): --baseline previous.json, a JSON report of the same command, marks
// each open (failed or unknown) finding `new` or `unchanged` and lists the baseline's open findings
// that are gone as `resolved`; --fail-on-new then fails only on new failures — how a team adopts
// the scanner on an old fleet. A finding's identity is its check id and subject (a cluster's
// subjects start with the node's name, so the node is part of it), never its message, line or
// severity: a setting moving to another line must not make its finding "new".
import fs from 'node:fs';
import type { Finding, Severity, Status } from '../checks/types.ts';
import type { ReportCommand } from './catalogue.ts';
import { SCHEMA_VERSION } from './contract.ts';
import { reasonOf } from '../sources/errno.ts';

/** A baseline bigger than this is refused (a 5,000-node cluster's report is about 200 MB). */
export const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

/** One open finding of the baseline: what identifies it and what a reader of "resolved" needs. */
export interface BaselineFinding {
  check: string;
  subject?: string;
  status: Status;
  severity: Severity;
  title?: string;
}

export const identity = (f: Pick<Finding, 'check' | 'subject'>): string => JSON.stringify([f.check, f.subject ?? '']);

const isOpen = (s: unknown): boolean => s === 'fail' || s === 'unknown';

/** The open findings of a baseline report's text, or why it is no baseline for `command`. */
export function parseBaseline(text: string, command: ReportCommand): { findings: BaselineFinding[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message}); expected the JSON report of an earlier kubelet-guard ${command} run (--format json)` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { error: `expected a JSON object, the report of an earlier kubelet-guard ${command} run` };
  const r = doc as Record<string, unknown>;
  if (r['schemaVersion'] !== SCHEMA_VERSION) return { error: `schemaVersion ${JSON.stringify(r['schemaVersion'] ?? null)}: expected "${SCHEMA_VERSION}" (a report of this kubelet-guard's JSON contract)` };
  const inputs = r['inputs'] as Record<string, unknown> | undefined;
  const was = typeof inputs === 'object' && inputs !== null ? inputs['command'] : undefined;
  if (was !== command) return { error: `a report of kubelet-guard ${typeof was === 'string' ? was : '(no command)'}, not of ${command}: compare runs of the same command` };
  if (!Array.isArray(r['findings'])) return { error: 'no findings array' };
  const out: BaselineFinding[] = [];
  for (const [i, f] of (r['findings'] as unknown[]).entries()) {
    if (typeof f !== 'object' || f === null) return { error: `findings[${i}]: expected an object` };
    const x = f as Record<string, unknown>;
    if (typeof x['check'] !== 'string' || (x['subject'] !== undefined && typeof x['subject'] !== 'string') || typeof x['status'] !== 'string' || typeof x['severity'] !== 'string') {
      return { error: `findings[${i}]: expected check, status and severity strings (and subject, if any)` };
    }
    if (!isOpen(x['status'])) continue;
    out.push({ check: x['check'], ...(x['subject'] !== undefined ? { subject: x['subject'] as string } : {}), status: x['status'] as Status, severity: x['severity'] as Severity, ...(typeof x['title'] === 'string' ? { title: x['title'] } : {}) });
  }
  return { findings: out };
}

/** Reads and parses a baseline file; the error names the file. */
export function readBaseline(file: string, command: ReportCommand): { findings: BaselineFinding[] } | { error: string } {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: `--baseline ${file}: not a file` };
    if (st.size > MAX_BASELINE_BYTES) return { error: `--baseline ${file}: ${st.size} bytes; at most ${MAX_BASELINE_BYTES} are read` };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `--baseline ${file}: ${reasonOf(e)}` };
  }
  const r = parseBaseline(text, command);
  return 'error' in r ? { error: `--baseline ${file}: ${r.error}` } : r;
}

export interface BaselineSummary {
  file: string;
  new: number;
  unchanged: number;
  resolved: BaselineFinding[];
}

/** One run against a baseline: `apply` marks each open finding, `summary` lists what is gone. */
export class BaselineSet {
  readonly file: string;
  private readonly before = new Map<string, BaselineFinding>();
  private readonly seen = new Set<string>();
  private counts = { new: 0, unchanged: 0 };

  constructor(file: string, findings: readonly BaselineFinding[]) {
    this.file = file;
    for (const f of findings) this.before.set(identity(f), f);
  }

  apply(f: Finding): Finding {
    if (!isOpen(f.status)) return f;
    const id = identity(f);
    const was = this.before.has(id);
    // two open findings of one identity in one run (should not happen): the second is unchanged too
    this.seen.add(id);
    const baseline = was ? 'unchanged' : 'new';
    this.counts[baseline]++;
    return { ...f, baseline };
  }

  summary(): BaselineSummary {
    return { file: this.file, ...this.counts, resolved: [...this.before].filter(([id]) => !this.seen.has(id)).map(([, f]) => f) };
  }
}

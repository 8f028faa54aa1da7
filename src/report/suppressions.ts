// Suppressions with reasons (issue 13, item 6): a YAML file (`.kubelet-guard-ignore.yaml` in the
// working folder, or --ignore-file) of accepted findings, each with the check id, optional glob
// patterns on the subject, the node and the evidence file, a mandatory reason and an optional
// expiry date. A suppressed finding keeps its status and is reported everywhere with its reason;
// it only stops counting for --fail-on. The file is read with the audit's own YAML decoder
// (sources/k8s-yaml.ts: its token and depth bounds, anchors resolved as go-yaml does) and checked
// strictly: an unknown key or check id, a missing reason, a bad date is an error with its line.
// Everything here is pure: the day is passed in, never read from the clock.
import { decodeK8sYaml, describeGo, type GoNode } from '../sources/k8s-yaml.ts';
import type { Finding } from '../checks/types.ts';
import { findingFile } from './sarif.ts';

export const DEFAULT_IGNORE_FILE = '.kubelet-guard-ignore.yaml';
/** A pattern longer than this is refused: real ones are names and paths. */
export const MAX_PATTERN = 1024;
/** At most this many entries (a file of more is no reviewed list of exceptions). */
export const MAX_ENTRIES = 10_000;

export interface Suppression {
  check: string;
  subject?: string;
  node?: string;
  file?: string;
  reason: string;
  /** YYYY-MM-DD: in force through that day (UTC), expired the day after */
  expires?: string;
  /** where it is written: FILE:LINE */
  source: string;
}

/** What a suppressed finding carries (JSON `suppressed`, SARIF `suppressions`). */
export interface SuppressedBy {
  reason: string;
  expires?: string;
  source: string;
}

const KEYS = new Set(['check', 'subject', 'node', 'file', 'reason', 'expires']);

/**
 * The entries of an ignore file, or the first error naming the file, the line and what was
 * expected. `knownCheck` says whether an id is a check of kubelet-guard.
 */
export function parseIgnoreFile(text: string, fileName: string, knownCheck: (id: string) => boolean): { entries: Suppression[] } | { error: string } {
  const at = (line: number | undefined) => `${fileName}${line ? `:${line}` : ''}`;
  const y = decodeK8sYaml(text);
  if (y.status !== 'ok') return { error: `${at(y.problem.line)}: ${y.problem.message}` };
  // a key written twice in one entry (the last would win silently): say which
  const dup = y.duplicates[0];
  if (dup) return { error: `${at(dup.line)}: ${dup.path} is set twice (also line ${dup.previousLine}); write each key once` };
  if (y.later.nonEmpty > 0) return { error: `${at(y.later.line)}: only one YAML document is read; expected a single list of suppressions` };
  const root = y.root;
  // an empty file suppresses nothing
  if (root === null || root.kind === 'null') return { entries: [] };
  if (root.kind !== 'list') return { error: `${at(root.line)}: expected a list of suppressions (- check: ID, reason: WHY), found ${describeGo(root)}` };
  if (root.items.length > MAX_ENTRIES) return { error: `${at(root.line)}: ${root.items.length} suppressions; at most ${MAX_ENTRIES} are read` };
  const entries: Suppression[] = [];
  for (const item of root.items) {
    if (item.kind !== 'map') return { error: `${at(item.line)}: expected a suppression (a mapping with check and reason), found ${describeGo(item)}` };
    for (const [k, f] of item.fields) if (!KEYS.has(k)) return { error: `${at(f.line)}: unknown key ${JSON.stringify(k)}; expected check, subject, node, file, reason or expires` };
    const str = (key: string, required: boolean): string | { error: string } | undefined => {
      const f = item.fields.get(key);
      if (!f) return required ? { error: `${at(item.line)}: the suppression has no ${key}; ${key === 'reason' ? 'every suppression says why the finding is accepted' : 'expected the id of a check (kubelet-guard checks lists them)'}` } : undefined;
      const v: GoNode = f.value;
      if (v.kind !== 'string') return { error: `${at(f.line)}: ${key}: expected a string, found ${describeGo(v)}` };
      if (v.value.trim() === '') return { error: `${at(f.line)}: ${key}: expected a non-empty string` };
      if (key !== 'reason' && v.value.length > MAX_PATTERN) return { error: `${at(f.line)}: ${key}: longer than ${MAX_PATTERN} characters` };
      return v.value;
    };
    const e: Partial<Suppression> = { source: at(item.line) };
    for (const key of ['check', 'reason', 'subject', 'node', 'file'] as const) {
      const v = str(key, key === 'check' || key === 'reason');
      if (typeof v === 'object') return v;
      if (v !== undefined) e[key] = v;
    }
    if (!knownCheck(e.check!)) return { error: `${at(item.fields.get('check')!.line)}: unknown check ${JSON.stringify(e.check)}; kubelet-guard checks lists the ids` };
    const ex = item.fields.get('expires');
    if (ex) {
      // go-yaml reads an unquoted 2026-01-31 as a timestamp, which decodes as its text
      const v = ex.value;
      const m = v.kind === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.value) : null;
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return { error: `${at(ex.line)}: expires: expected a date YYYY-MM-DD, found ${v.kind === 'string' ? JSON.stringify(v.value) : describeGo(v)}` };
      e.expires = m[0];
    }
    entries.push(e as Suppression);
  }
  return { entries };
}

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Whether a suppression expiring on `expires` no longer applies on `today` (both YYYY-MM-DD, UTC). */
export const isExpired = (s: Pick<Suppression, 'expires'>, today: string): boolean => s.expires !== undefined && s.expires < today;

/** The UTC day of a time, YYYY-MM-DD: the caller reads the clock. */
export const utcDay = (t: Date): string => t.toISOString().slice(0, 10);

/**
 * Glob matching, whole text: `*` matches any run of characters (slashes and spaces too), `?` one
 * character, every other character itself (no classes, no escapes, case-sensitive). Greedy with
 * one backtrack point (the last `*`): at most pattern × text steps, never exponential.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether an entry covers a finding (its expiry aside): the check, and every pattern it gives. */
export function covers(s: Suppression, f: Finding, node: string | undefined): boolean {
  if (s.check !== f.check) return false;
  if (s.subject !== undefined && (f.subject === undefined || !globMatch(s.subject, f.subject))) return false;
  if (s.node !== undefined && (node === undefined || !globMatch(s.node, node))) return false;
  if (s.file !== undefined) {
    const file = findingFile(f)?.file;
    if (file === undefined || !globMatch(s.file, file)) return false;
  }
  return true;
}

/**
 * The suppressions of one run: `apply` marks each finding an entry in force covers (the first
 * one, in file order), and remembers which entries were used; `notes` says, at the end, which
 * entries expired (they suppress nothing) and which matched nothing (stale).
 */
export class SuppressionSet {
  readonly entries: readonly Suppression[];
  readonly today: string;
  private readonly used = new Set<Suppression>();
  private readonly expiredHits = new Map<Suppression, number>();

  constructor(entries: readonly Suppression[], today: string) {
    this.entries = entries;
    this.today = today;
  }

  apply(f: Finding, node: string | undefined): Finding {
    let by: Suppression | undefined;
    for (const s of this.entries) {
      if (!covers(s, f, node)) continue;
      if (isExpired(s, this.today)) {
        this.expiredHits.set(s, (this.expiredHits.get(s) ?? 0) + 1);
        continue;
      }
      by = s;
      break;
    }
    if (!by) return f;
    this.used.add(by);
    const suppressed: SuppressedBy = { reason: by.reason, ...(by.expires ? { expires: by.expires } : {}), source: by.source };
    return { ...f, suppressed };
  }

  /** Expired entries (with how many findings they would have suppressed) and entries in force that matched nothing. */
  notes(): SuppressionNotes {
    const describe = (s: Suppression) => ({ check: s.check, ...(s.subject ? { subject: s.subject } : {}), ...(s.node ? { node: s.node } : {}), ...(s.file ? { file: s.file } : {}), reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), source: s.source });
    return {
      expired: this.entries.filter((s) => isExpired(s, this.today)).map((s) => ({ ...describe(s), matches: this.expiredHits.get(s) ?? 0 })),
      stale: this.entries.filter((s) => !isExpired(s, this.today) && !this.used.has(s)).map(describe),
    };
  }
}

/** An entry as the expired and stale notes name it: the entry itself. */
export type SuppressionNote = Suppression;

export interface SuppressionNotes {
  expired: Array<SuppressionNote & { matches: number }>;
  stale: SuppressionNote[];
}

/** The warnings for standard error, one line each. */
export function suppressionWarnings(n: SuppressionNotes): string[] {
  return [
    ...n.expired.map((s) => `suppression expired on ${s.expires} (${s.source}, ${s.check}): it no longer suppresses${s.matches ? ` (${s.matches} finding${s.matches > 1 ? 's count' : ' counts'} again)` : ''}; renew it or fix the finding`),
    ...n.stale.map((s) => `stale suppression (${s.source}, ${s.check}): it matched no finding; remove it`),
  ];
}

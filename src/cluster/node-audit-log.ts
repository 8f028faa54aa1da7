// The log of a `cluster --node-audit` pod: the JSON report of `kubelet-guard node --root /host`,
// read from a node that may be compromised. So it is bounded (the caller reads at most
// NODE_AUDIT_LOG_MAX_BYTES), parsed strictly (UTF-8, one JSON document, nothing else but our own
// standard-error lines around it: `kubectl logs` merges the streams), and checked field by field.
// A finding is kept only for a check this build knows, with a status and a severity that check can
// give; its title, section, CIS ids and setting come from our own metadata, never from the log. Two
// findings about one subject that disagree make the whole log unusable. Every finding carries its
// provenance (the Job and image that produced it) as its first piece of evidence.
import type { Evidence, Finding, Severity, Status } from '../checks/types.ts';
import { SEVERITIES } from '../checks/types.ts';
import type { CheckMeta } from '../checks/types.ts';
import { NODE_CHECKS } from '../checks/index.ts';

/** how the evidence naming a finding's Job begins */
export const NODE_AUDIT_PROVENANCE = 'from the node audit Job ';
/** A node report is ~100 KiB; a hostile node gets no more than this read. */
export const NODE_AUDIT_LOG_MAX_BYTES = 16 * 1024 * 1024;
const MAX_FINDINGS = 20_000;
const MAX_EVIDENCE = 200;
const MAX_TEXT = 16 * 1024;
/** standard-error lines of `kubelet-guard node` around the report (an incomplete audit says why) */
const MAX_STDERR_LINES = 20;
const STDERR_PREFIX = 'kubelet-guard node: ';

const META = new Map<string, CheckMeta>(NODE_CHECKS.map((c) => [c.meta.id, c.meta]));
const STATUSES: ReadonlySet<string> = new Set<Status>(['pass', 'fail', 'unknown', 'not-applicable']);

export interface NodeAuditLog {
  findings: Finding[];
  /** the node audit's own `incomplete` (it judged nothing), or its standard-error lines */
  incomplete?: string;
  /** the version of kubelet-guard that ran in the pod */
  version: string;
}

class Invalid extends Error {}

function text(v: unknown, what: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new Invalid(`${what} is not a string`);
  if (v.length > MAX_TEXT) throw new Invalid(`${what} is over ${MAX_TEXT} characters`);
  return v;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function evidenceOf(v: unknown, what: string): Evidence {
  const e = obj(v, what);
  const out: Evidence = {};
  const setting = text(e.setting, `${what}.setting`, true);
  const note = text(e.note, `${what}.note`, true);
  const file = text(e.file, `${what}.file`, true);
  if (setting !== undefined) out.setting = setting;
  if (file !== undefined) out.file = file;
  if (e.line !== undefined) {
    if (!Number.isSafeInteger(e.line) || (e.line as number) < 0) throw new Invalid(`${what}.line is not a line number`);
    out.line = e.line as number;
  }
  // a value is shown as the node reported it, as text: never an object the reporters would walk
  if (e.value !== undefined) {
    const v = typeof e.value === 'string' ? e.value : JSON.stringify(e.value);
    out.note = `${note !== undefined ? `${note}; ` : ''}value: ${v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v}`;
  } else if (note !== undefined) out.note = note;
  return out;
}

function findingOf(v: unknown, i: number, node: string, provenance: Evidence): Finding {
  const what = `findings[${i}]`;
  const f = obj(v, what);
  const check = text(f.check, `${what}.check`)!;
  const meta = META.get(check);
  if (!meta) throw new Invalid(`${what}: no node check is called ${JSON.stringify(check.slice(0, 80))}`);
  const status = text(f.status, `${what}.status`)!;
  if (!STATUSES.has(status)) throw new Invalid(`${what}.status ${JSON.stringify(status.slice(0, 40))} is not a status`);
  const severity = text(f.severity, `${what}.severity`)!;
  const allowed = [meta.severity, ...(meta.emits ?? []).map((e) => e.severity)];
  if (!(SEVERITIES as readonly string[]).includes(severity) || !allowed.includes(severity as Severity)) {
    throw new Invalid(`${what}: ${check} cannot have severity ${JSON.stringify(severity.slice(0, 40))}`);
  }
  const subject = text(f.subject, `${what}.subject`, true);
  const message = text(f.message, `${what}.message`)!;
  const remediation = text(f.remediation, `${what}.remediation`, true);
  if (!Array.isArray(f.evidence)) throw new Invalid(`${what}.evidence is not a list`);
  if (f.evidence.length > MAX_EVIDENCE) throw new Invalid(`${what}.evidence has over ${MAX_EVIDENCE} items`);
  const evidence = [provenance, ...f.evidence.map((e, k) => evidenceOf(e, `${what}.evidence[${k}]`))];
  return {
    check, title: meta.title, section: meta.section, cis: [...meta.cis], ...(meta.setting ? { setting: meta.setting } : {}),
    subject: subject ? `${node} ${subject}` : node,
    status: status as Status, severity: severity as Severity, message: `${node}: ${message}`, evidence,
    ...(remediation !== undefined ? { remediation } : {}),
  };
}

/** The report in a pod's log as findings about `node`, or why it cannot be used. */
export function parseNodeAuditLog(log: Uint8Array, node: string, provenance: string): NodeAuditLog | { error: string } {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(log);
  } catch {
    return { error: 'the log is not UTF-8 text' };
  }
  const lines = s.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const start = lines.indexOf('{');
  const end = lines.lastIndexOf('}');
  if (start < 0 || end < start) return { error: `the log is not a node audit's JSON report${lines.length === 0 ? ' (it is empty)' : ''}` };
  const around = [...lines.slice(0, start), ...lines.slice(end + 1)];
  if (around.length > MAX_STDERR_LINES || around.some((l) => !l.startsWith(STDERR_PREFIX))) {
    return { error: 'the log holds more than the node audit\'s JSON report and its own error lines' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(lines.slice(start, end + 1).join('\n'));
  } catch (e) {
    return { error: `the log is not valid JSON: ${(e as Error).message.slice(0, 200)}` };
  }
  try {
    const r = obj(doc, 'the report');
    const tool = obj(r.tool, 'tool');
    if (tool.name !== 'kubelet-guard') throw new Invalid('tool.name is not kubelet-guard');
    const version = text(tool.version, 'tool.version')!;
    if (!Array.isArray(r.findings)) throw new Invalid('findings is not a list');
    if (r.findings.length > MAX_FINDINGS) throw new Invalid(`over ${MAX_FINDINGS} findings`);
    const ev: Evidence = { note: provenance };
    const findings = r.findings.map((f, i) => findingOf(f, i, node, ev));
    // two findings about one subject never disagree: a log where they do is not believed at all
    const seen = new Map<string, string>();
    for (const f of findings) {
      const key = JSON.stringify([f.check, f.subject]);
      const verdict = `${f.status}/${f.severity}`;
      const before = seen.get(key);
      if (before !== undefined && before !== verdict) throw new Invalid(`two findings of ${f.check} about ${f.subject} disagree (${before} and ${verdict})`);
      seen.set(key, verdict);
    }
    const incomplete = text(r.incomplete, 'incomplete', true);
    const stderr = around.map((l) => l.slice(STDERR_PREFIX.length).slice(0, 500)).join('; ');
    const said = [incomplete, stderr].filter((x) => x !== undefined && x !== '').join('; ');
    return { findings, version, ...(said !== '' ? { incomplete: said } : {}) };
  } catch (e) {
    if (e instanceof Invalid) return { error: `the report in the log is not valid: ${e.message}` };
    // anything else a hostile log provokes (a value nested too deep to print: RangeError) is its node's problem, never the run's
    return { error: `the report in the log could not be read (${e instanceof Error ? e.name : 'error'})` };
  }
}

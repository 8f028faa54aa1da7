// The fix plan (issue 12, items 3 and 5): the failing findings' proposals turned into file edits,
// each finding's fix proven by re-running the audit on the planned files in memory (PlannedFs).
// A fix is kept only when its finding then passes and nothing that passed before fails; fixes
// that cannot be made or proven are listed with the reason, never applied.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { NODE_CHECKS } from '../checks/index.ts';
import { runChecks } from '../checks/run.ts';
import type { Check, Finding, Severity, Status } from '../checks/types.ts';
import { SEVERITIES } from '../checks/types.ts';
import type { NodeFacts } from '../facts/types.ts';
import { gatherNodeFacts, type NodeOptions } from '../sources/node.ts';
import { distributionNamed, managedFile, managedWhy } from '../distros/index.ts';
import type { Distribution } from '../distros/types.ts';
import { normalize, type RootFs } from '../sources/root-fs.ts';
import { restartsOf } from './describe.ts';
import type { EditResult } from './edit-result.ts';
import { setJsonPath } from './edit-json.ts';
import { appendWordAfter, replaceWord } from './edit-words.ts';
import { setYamlPath } from './edit-yaml.ts';
import { PlannedFs, type Overlay } from './planned-fs.ts';
import type { FixProposal, Restart } from './types.ts';

/** A finding, named as the plan names it. */
export interface FindingRef {
  check: string;
  subject?: string;
  title: string;
  severity: Severity;
}

export interface FileChange {
  /** canonical node path (a symlink is changed where it points) */
  path: string;
  /** the file is created */
  create?: boolean;
  /** the text before and after, when the content changes */
  before?: string;
  after?: string;
  mode?: { from?: number; to: number };
  owner?: { from?: { uid: number; gid: number }; to: { uid: number; gid: number; user: string; group: string } };
  /** the findings this change closes (check ids, with subject) */
  closes: FindingRef[];
  /** the proposals made in this file, each once */
  fixes: FixProposal[];
}

export interface Outcome extends FindingRef {
  before: Status;
  after: Status;
  /** the re-audit's message */
  message: string;
}

export interface Plan {
  target: string;
  /** the audit the plan starts from (its secrets are registered before anything is printed) */
  facts: NodeFacts;
  /** its findings */
  findings: Finding[];
  changes: FileChange[];
  /** targeted findings and their status after the plan (all pass: that is the proof) */
  fixed: Outcome[];
  /** failing findings with proposals the plan does not make, with why */
  refused: Array<FindingRef & { why: string }>;
  /** failing findings with no proposal, with why (the remediation is for a person) */
  manual: Array<FindingRef & { why: string }>;
  /** findings that would fail (or become unknown) after the plan although they did not before: none in a plan that is kept */
  regressions: Outcome[];
  restart: Restart[];
  /** how the kubelet is restarted on this distribution (Distribution.restart), when not kubelet.service */
  restartKubelet?: string;
  notes: string[];
}

export interface PlanOptions extends Omit<NodeOptions, 'fs'> {
  fs: RootFs;
  /** only these checks (ids) */
  checks?: readonly string[];
  /** only findings at or above this severity */
  severity?: Severity;
  /** the checks to run (tests); the node checks by default */
  catalogue?: readonly Check[];
}

const keyOf = (f: { check: string; subject?: string }) => `${f.check}\u0000${f.subject ?? ''}`;
const refOf = (f: Finding): FindingRef => ({ check: f.check, ...(f.subject ? { subject: f.subject } : {}), title: f.title, severity: f.severity });
const closed = (s: Status | undefined) => s === 'pass' || s === 'not-applicable';

export function makePlan(opts: PlanOptions): Plan {
  const catalogue = opts.catalogue ?? NODE_CHECKS;
  const audit = (fs: RootFs, distribution = opts.distribution) => {
    const facts = gatherNodeFacts({ ...opts, fs, kubeletFromFiles: true, ...(distribution !== undefined ? { distribution } : {}) });
    return { facts, findings: runChecks(catalogue, facts) };
  };
  const base = audit(opts.fs);
  // the planned files are audited as the same distribution (a fix never changes which one it is)
  const distro = distributionNamed(base.facts.distribution?.name ?? 'generic')!;
  const failing = base.findings.filter((f) => f.status === 'fail');
  const wanted = (f: Finding) =>
    (!opts.checks || opts.checks.includes(f.check)) && (!opts.severity || SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(opts.severity));
  const manual = failing.filter((f) => wanted(f) && !f.fixes?.length).map((f) => ({ ...refOf(f), why: f.noFix ?? 'no change is proposed' }));
  const refused: Plan['refused'] = [];
  const accepted: Finding[] = [];

  const candidates = failing.filter((x) => wanted(x) && x.fixes?.length);
  // Together first (one re-audit): when they build without a conflict, every target then passes and
  // nothing got worse, that is the proof, whatever the number of fixes.
  const together = build(opts.fs, candidates, distro);
  if (together.ok && provenTogether(candidates, base, audit(new PlannedFs(opts.fs.root, together.overlay), distro.name))) accepted.push(...candidates);
  else {
    // Otherwise each fix alone, to tell which one fails or breaks what (a conflict is then settled
    // among the proven ones): at most MAX_TRIALS re-audits, so a node of thousands of failing files
    // does not cost thousands of audits of it.
    for (const [i, f] of candidates.entries()) {
      if (i >= MAX_TRIALS) {
        refused.push({ ...refOf(f), why: `not proven: the plan's fixes do not all pass together, and only ${MAX_TRIALS} are tried one by one; re-run with --check or --severity` });
        continue;
      }
      const one = build(opts.fs, [f], distro);
      if (!one.ok) {
        refused.push({ ...refOf(f), why: one.why });
        continue;
      }
      const why = unproven(f, base, audit(new PlannedFs(opts.fs.root, one.overlay), distro.name));
      if (why) refused.push({ ...refOf(f), why });
      else accepted.push(f);
    }
  }
  const built = buildRefusing(opts.fs, accepted, refused, distro).built;

  const after = audit(new PlannedFs(opts.fs.root, built.overlay), distro.name);
  const afterByKey = new Map(after.findings.map((f) => [keyOf(f), f]));
  const fixed = accepted.map((f) => outcome(f, afterOf(f, after.findings, afterByKey)));
  const regressions = regressionsOf(base, after);
  // files rewritten on upgrade are changed, with a note of where the change must also go
  const rewritten = (path: string) => { const m = managedFile(distro, path); return m?.when === 'upgrade' ? [m.why] : []; };
  const notes = [...new Set(built.changes.flatMap((c) => (c.after !== undefined ? rewritten(c.path) : [])))];
  if (opts.fs.live && built.changes.length > 0) notes.push('the plan changes the files the kubelet starts from: the running kubelet keeps its settings until it is restarted');
  return {
    target: base.facts.target,
    facts: base.facts,
    findings: base.findings,
    changes: built.changes,
    fixed,
    refused,
    manual,
    regressions,
    restart: restartsOf(accepted.flatMap((f) => f.fixes ?? [])),
    ...(distro.restart ? { restartKubelet: distro.restart } : {}),
    notes,
  };
}

/** Re-audits tried one fix at a time when the fixes together do not pass. */
const MAX_TRIALS = 200;

/** The fixes built together, each that conflicts with one before it refused (and left out). */
function buildRefusing(fs: RootFs, fixes: readonly Finding[], refused: Plan['refused'], distro: Distribution): { built: Extract<Built, { ok: true }> } {
  const kept = [...fixes];
  for (;;) {
    const b = build(fs, kept, distro);
    if (b.ok) return { built: b };
    kept.splice(kept.indexOf(b.culprit), 1);
    refused.push({ ...refOf(b.culprit), why: b.why });
  }
}

/** Whether every fix's finding passes on the planned node and nothing got worse. */
function provenTogether(fixes: readonly Finding[], base: { findings: Finding[] }, after: { findings: Finding[] }): boolean {
  const byKey = new Map(after.findings.map((f) => [keyOf(f), f]));
  return fixes.every((f) => closed(afterOf(f, after.findings, byKey)?.status)) && regressionsOf(base, after).length === 0;
}

/** The finding of the same check and subject after the plan; a check that now reports otherwise counts by its worst result. */
function afterOf(f: Finding, findings: readonly Finding[], byKey: ReadonlyMap<string, Finding>): Finding | undefined {
  const same = byKey.get(keyOf(f));
  if (same) return same;
  const ofCheck = findings.filter((x) => x.check === f.check);
  return ofCheck.find((x) => !closed(x.status)) ?? ofCheck[0];
}

function outcome(f: Finding, a: Finding | undefined): Outcome {
  return { ...refOf(f), before: f.status, after: a?.status ?? 'unknown', message: a?.message ?? 'the re-audit does not report this check' };
}

/** Why a fix is not proven by the re-audit, or undefined. */
function unproven(f: Finding, base: { findings: Finding[]; facts: NodeFacts }, after: { findings: Finding[]; facts: NodeFacts }): string | undefined {
  const a = afterOf(f, after.findings, new Map(after.findings.map((x) => [keyOf(x), x])));
  if (!closed(a?.status)) return `the audit re-run on the planned files does not pass it (${a?.status ?? 'not reported'}${a ? `: ${a.message}` : ''})`;
  const worse = regressionsOf(base, after);
  if (worse.length > 0) return `it would make ${worse.map((w) => `${w.check}${w.subject ? ` (${w.subject})` : ''}`).join(', ')} ${worse[0]!.after === 'unknown' ? 'unknown' : 'fail'}: ${worse[0]!.message}`;
  return undefined;
}

/** Findings closed (or unknown-free) before and failing or unknown after, and new failures. */
function regressionsOf(base: { findings: Finding[] }, after: { findings: Finding[] }): Outcome[] {
  const before = new Map(base.findings.map((f) => [keyOf(f), f]));
  const out: Outcome[] = [];
  for (const a of after.findings) {
    if (a.status !== 'fail' && a.status !== 'unknown') continue;
    const b = before.get(keyOf(a));
    if (b && (b.status === a.status || b.status === 'fail' || (b.status === 'unknown' && a.status === 'unknown'))) continue;
    out.push({ ...refOf(a), before: b?.status ?? 'not-applicable', after: a.status, message: a.message });
  }
  return out;
}

// ---- Building: proposals → file contents ---------------------------------------------------

type Built =
  | { ok: true; overlay: Map<string, Overlay>; changes: FileChange[] }
  | { ok: false; why: string; culprit: Finding };

interface Pending {
  path: string;
  create?: { content: string; mode: number; from: Finding };
  edits: Array<{ p: FixProposal; from: Finding }>;
  mode?: { to: number; from: Finding };
  owner?: { to: Extract<FixProposal, { kind: 'owner' }>; from: Finding };
  closes: Map<string, FindingRef>;
  fixes: FixProposal[];
}

/** Edits are applied in this order: a created file first, words added before words replaced (an added word may follow one that is replaced). */
const ORDER: Record<FixProposal['kind'], number> = { 'dropin-create': 0, 'flag-add': 1, 'flag-set': 2, 'config-set': 3, 'manifest-set': 4, mode: 5, owner: 6 };

/** A file the distribution writes again at boot is refused: the change belongs in the distribution's own input (src/distros). */
function build(fs: RootFs, findings: readonly Finding[], distro: Distribution): Built {
  const files = new Map<string, Pending>();
  const seen = new Set<string>();
  for (const f of findings) {
    for (const p of [...(f.fixes ?? [])].sort((a, b) => ORDER[a.kind] - ORDER[b.kind])) {
      const target = targetOf(fs, p);
      if (!target.ok) return { ok: false, why: target.why, culprit: f };
      const managed = managedFile(distro, target.path);
      if (managed?.when === 'boot') return { ok: false, why: `${target.path}: ${managedWhy(managed, p)}`, culprit: f };
      const pf: Pending = files.get(target.path) ?? { path: target.path, edits: [], closes: new Map(), fixes: [] };
      files.set(target.path, pf);
      pf.closes.set(keyOf(f), refOf(f));
      const id = JSON.stringify({ ...p, file: target.path });
      if (seen.has(id)) continue; // the same change for two findings: made once
      seen.add(id);
      pf.fixes.push(p);
      if (p.kind === 'dropin-create') {
        if (pf.create && pf.create.content !== p.content) return { ok: false, why: `two fixes create ${target.path} with different contents`, culprit: f };
        pf.create = { content: p.content, mode: p.mode, from: f };
      } else if (p.kind === 'mode') {
        if (pf.mode && pf.mode.to !== p.mode) return { ok: false, why: `two fixes want different modes for ${target.path}`, culprit: f };
        pf.mode = { to: p.mode, from: f };
      } else if (p.kind === 'owner') {
        if (pf.owner && (pf.owner.to.uid !== p.uid || pf.owner.to.gid !== p.gid)) return { ok: false, why: `two fixes want different owners for ${target.path}`, culprit: f };
        pf.owner = { to: p, from: f };
      } else {
        const clash = pf.edits.find((e) => sameField(e.p, p));
        if (clash) return { ok: false, why: `it changes ${describeField(p)} in ${target.path}, which the fix of ${clash.from.check} sets otherwise`, culprit: f };
        pf.edits.push({ p, from: f });
      }
    }
  }
  const overlay = new Map<string, Overlay>();
  const changes: FileChange[] = [];
  for (const pf of files.values()) {
    const change: FileChange = { path: pf.path, closes: [...pf.closes.values()], fixes: pf.fixes };
    const o: Overlay = {};
    const st = pf.create ? undefined : fs.stat(pf.path);
    if (pf.create) {
      if (fs.stat(pf.path, { follow: false }).exists !== false) return { ok: false, why: `${pf.path} exists already`, culprit: pf.create.from };
      change.create = true;
      o.created = true;
      o.mode = pf.create.mode;
      // the writer creates a file only with a planned mode (safe-write.ts): the drop-in's own
      change.mode = { to: pf.create.mode };
    } else if (st?.exists !== true) {
      return { ok: false, why: `${pf.path} cannot be examined: ${st?.error ?? 'it does not exist'}`, culprit: (pf.edits[0]?.from ?? pf.mode?.from ?? pf.owner?.from)! };
    }
    if (pf.create || pf.edits.length > 0) {
      let text: string;
      if (pf.create) text = pf.create.content;
      else {
        const r = fs.read(pf.path);
        if (!r.ok) return { ok: false, why: `${pf.path} cannot be read: ${r.error}`, culprit: pf.edits[0]!.from };
        text = r.bytes.toString('utf8');
        if (!Buffer.from(text, 'utf8').equals(r.bytes)) return { ok: false, why: `${pf.path} is not UTF-8 text: it is not edited`, culprit: pf.edits[0]!.from };
      }
      const before = text;
      for (const e of pf.edits) {
        const r = applyEdit(text, e.p);
        if (!r.ok) return { ok: false, why: `${pf.path}: ${r.why}`, culprit: e.from };
        text = r.text;
      }
      if (!pf.create) change.before = before;
      change.after = text;
      o.bytes = Buffer.from(text, 'utf8');
    }
    if (pf.mode && (pf.create || st?.mode !== pf.mode.to)) {
      change.mode = { ...(st?.mode !== undefined ? { from: st.mode } : {}), to: pf.mode.to };
      o.mode = pf.mode.to;
    }
    if (pf.owner) {
      const t = pf.owner.to;
      change.owner = { ...(st?.uid !== undefined && st.gid !== undefined ? { from: { uid: st.uid, gid: st.gid } } : {}), to: { uid: t.uid, gid: t.gid, user: t.user, group: t.group } };
      o.uid = t.uid;
      o.gid = t.gid;
    }
    overlay.set(pf.path, o);
    changes.push(change);
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, overlay, changes };
}

/** The canonical node path a proposal changes: a symlink is followed inside the root; a new file's folder must exist. */
function targetOf(fs: RootFs, p: FixProposal): { ok: true; path: string } | { ok: false; why: string } {
  if (p.kind === 'dropin-create') {
    const dir = fs.realpath(path.posix.dirname(normalize(p.file)));
    if (!dir.ok) return { ok: false, why: `the folder of ${p.file} cannot be used: ${dir.error}` };
    return { ok: true, path: path.posix.join(dir.path, path.posix.basename(p.file)) };
  }
  const r = fs.realpath(p.file);
  // a file a created drop-in will be: the planned path itself
  if (!r.ok) return p.kind === 'config-set' && r.code === 'ENOENT' ? targetOf(fs, { kind: 'dropin-create', file: p.file, content: '', mode: 0 }) : { ok: false, why: `${p.file} cannot be resolved: ${r.error}` };
  return { ok: true, path: r.path };
}

function sameField(a: FixProposal, b: FixProposal): boolean {
  if (a.kind === 'config-set' && b.kind === 'config-set') return a.path.join('\u0000') === b.path.join('\u0000');
  if (a.kind === 'manifest-set' && b.kind === 'manifest-set') return a.path.join('\u0000') === b.path.join('\u0000');
  if (a.kind === 'flag-set' && b.kind === 'flag-set') return a.line === b.line && a.from === b.from;
  return false;
}

function describeField(p: FixProposal): string {
  if (p.kind === 'config-set' || p.kind === 'manifest-set') return p.path.join('.');
  if (p.kind === 'flag-set' || p.kind === 'flag-add') return `--${p.flag}`;
  return p.kind;
}

function applyEdit(text: string, p: FixProposal): EditResult {
  switch (p.kind) {
    case 'config-set':
      return /^\s*\{/.test(text) ? setJsonPath(text, p.path, p.value) : setYamlPath(text, p.path, p.value);
    case 'manifest-set':
      return setYamlPath(text, p.path, p.value);
    case 'flag-set':
      return replaceWord(text, p.line, p.from, p.to);
    case 'flag-add':
      return appendWordAfter(text, p.line, p.after, p.text);
    default:
      return { ok: true, text };
  }
}

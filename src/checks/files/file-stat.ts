// Shared logic of the CIS 4.1 file checks: which node paths a check is about (its targets), and
// the verdict on one file's stat. Pure: everything comes from NodeFacts (facts.files holds the stat
// of every file a check may ask about; a path absent from it was not examined).
import path from 'node:path';
import type { NodeFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import type { Check, CheckMeta, CheckResult } from '../types.ts';
import { describeFixes } from '../../fix/describe.ts';
import type { FixProposal } from '../../fix/types.ts';

/** One file a check judges. */
export interface FileTarget {
  path: string; // node path
  /** what the file is, e.g. "kubelet unit file" */
  role: string;
  /** said when the file does not exist: why that matters (or why it does not) */
  whenMissing: string;
}

/** The files a check is about, or why there are none (not-applicable) or why it cannot tell (unknown). */
export type Targets =
  | { kind: 'files'; files: FileTarget[] }
  | { kind: 'not-applicable'; why: string }
  | { kind: 'unknown'; why: string };

/** "600 or more restrictive": no bit outside `max`, setuid/setgid/sticky included. */
export type Rule = { kind: 'mode'; max: number } | { kind: 'owner' };

// the words of a fix are written in src/fix/describe.ts; checks here name them too
export { octal, shellWord } from '../../fix/describe.ts';
import { octal } from '../../fix/describe.ts';

/** The permission bits outside `max`, in words: "group can read, others can read and write". */
export function excessWords(mode: number, max: number): string {
  const bits = mode & ~max & 0o7777;
  const out: string[] = [];
  if (bits & 0o4000) out.push('setuid is set');
  if (bits & 0o2000) out.push('setgid is set');
  if (bits & 0o1000) out.push('the sticky bit is set');
  const who = (name: string, shift: number): void => {
    const can: string[] = [];
    if (bits & (0o4 << shift)) can.push('read');
    if (bits & (0o2 << shift)) can.push('write');
    if (bits & (0o1 << shift)) can.push('execute');
    if (can.length > 0) out.push(`${name} can ${can.length > 1 ? `${can.slice(0, -1).join(', ')} and ${can.at(-1)!}` : can[0]!}`);
  };
  who('the owner', 6);
  who('the group', 3);
  who('others', 0);
  return out.join(', ');
}

function noteOf(st: StatResult): string {
  const parts: string[] = [];
  parts.push(st.mode === undefined ? 'mode unknown' : `mode ${octal(st.mode)}`);
  parts.push(st.uid === undefined || st.gid === undefined ? 'owner unknown' : `owner ${st.uid}:${st.gid}`);
  if (st.type && st.type !== 'file') parts.push(`type ${st.type}`);
  return parts.join(', ');
}

/** The verdict on one file against one rule. */
export function judgeFile(facts: NodeFacts, t: FileTarget, rule: Rule): CheckResult {
  const subject = t.path;
  const st = facts.files[t.path];
  if (!st) {
    return { status: 'unknown', subject, message: `${t.path} (${t.role}) was not examined: the evidence holds no stat of it`, evidence: [{ file: t.path, note: 'not examined' }] };
  }
  if (st.exists === null) {
    return { status: 'unknown', subject, message: `${t.path} (${t.role}) cannot be examined: ${st.error ?? 'stat failed'}`, evidence: [{ file: t.path, note: st.error ?? 'stat failed' }] };
  }
  if (st.exists === false) {
    // CIS 4.1 audits "if the file exists": a file that is not there cannot be too open. Each
    // target says whether the kubelet or kube-proxy would miss it.
    return { status: 'not-applicable', subject, message: `${t.path} (${t.role}) does not exist; ${t.whenMissing}`, evidence: [{ file: t.path, note: 'does not exist' }] };
  }
  const evidence = [{ file: t.path, note: noteOf(st) }];
  if (rule.kind === 'mode') {
    if (st.mode === undefined) return { status: 'unknown', subject, message: `${t.path} (${t.role}): the evidence holds no mode for it`, evidence };
    const want = octal(rule.max).replace(/^0/, '');
    if ((st.mode & ~rule.max) === 0) {
      return { status: 'pass', subject, message: `${t.path} (${t.role}) has mode ${octal(st.mode)}, ${want} or stricter`, evidence };
    }
    // only the excess bits go: a mode stricter than wanted in some bits stays so (0640 under 0600 max: 0600, not wider)
    const fixes: FixProposal[] = [{ kind: 'mode', file: t.path, mode: st.mode & rule.max }];
    return {
      status: 'fail',
      subject,
      message: `${t.path} (${t.role}) has mode ${octal(st.mode)}: ${excessWords(st.mode, rule.max)}; ${want} or stricter is wanted`,
      evidence,
      fixes,
      remediation: describeFixes(fixes),
    };
  }
  if (st.uid === undefined || st.gid === undefined) return { status: 'unknown', subject, message: `${t.path} (${t.role}): the evidence holds no owner for it`, evidence };
  if (st.uid === 0 && st.gid === 0) {
    return { status: 'pass', subject, message: `${t.path} (${t.role}) is owned by root:root (0:0)`, evidence };
  }
  const wrong = [st.uid !== 0 ? `user ${st.uid}` : '', st.gid !== 0 ? `group ${st.gid}` : ''].filter(Boolean).join(' and ');
  const fixes: FixProposal[] = [{ kind: 'owner', file: t.path, uid: 0, gid: 0, user: 'root', group: 'root' }];
  return {
    status: 'fail',
    subject,
    message: `${t.path} (${t.role}) is owned by ${st.uid}:${st.gid}: ${wrong} ${st.uid !== 0 && st.gid !== 0 ? 'are' : 'is'} not root; root:root (0:0) is wanted`,
    evidence,
    fixes,
    remediation: describeFixes(fixes),
  };
}

/** A check over files: one result per target, or one not-applicable/unknown result. */
export function fileCheck(meta: CheckMeta, rule: Rule, targets: (facts: NodeFacts) => Targets): Check {
  return {
    meta,
    evaluate(facts) {
      const t = targets(facts);
      if (t.kind === 'not-applicable') return { status: 'not-applicable', message: t.why };
      if (t.kind === 'unknown') return { status: 'unknown', message: t.why };
      if (t.files.length === 0) return { status: 'not-applicable', message: 'no file to examine' };
      return t.files.map((f) => judgeFile(facts, f, rule));
    },
  };
}

export const MODE_600: Rule = { kind: 'mode', max: 0o600 };
export const MODE_644: Rule = { kind: 'mode', max: 0o644 };
export const ROOT_OWNER: Rule = { kind: 'owner' };

// ─── Targets ────────────────────────────────────────────────────────────────────────────────────

/** 4.1.1/4.1.2: the kubelet's systemd unit file and every drop-in of it (kubelet-facts §6). */
export function unitTargets(facts: NodeFacts): Targets {
  const k = facts.kubelet;
  if (k.missing) return { kind: 'unknown', why: `no kubelet was found, so its unit file is not known: ${k.missing}` };
  const inv = k.invocation;
  if (!inv) return { kind: 'unknown', why: 'the evidence holds no kubelet invocation, so its unit file is not known' };
  if (!inv.unit) {
    // Found through a unit but without its file name: the evidence is incomplete, not absent.
    if (inv.from === 'systemd-unit') return { kind: 'unknown', why: 'the kubelet was found through a systemd unit, but the evidence does not name the unit file' };
    const how = inv.from === 'process'
      ? `the kubelet was found as a running process${inv.pid !== undefined ? ` (pid ${inv.pid})` : ''} and no systemd unit file for it was found`
      : inv.from === 'distribution'
        ? `the kubelet is started by ${facts.distribution?.title ?? 'its distribution'}, not by a kubelet systemd unit`
        : 'the kubelet invocation was given by hand, not read from a systemd unit';
    return { kind: 'not-applicable', why: `${how}; this check is about the kubelet.service file and its drop-ins` };
  }
  const files: FileTarget[] = [
    { path: inv.unit.file, role: 'kubelet unit file', whenMissing: 'the kubelet invocation was read from it, so it may have been removed since' },
    ...inv.unit.dropIns.map((d) => ({ path: d, role: 'kubelet unit drop-in', whenMissing: 'the kubelet invocation was read from it, so it may have been removed since' })),
  ];
  return { kind: 'files', files: dedupe(files) };
}

/** 4.1.3/4.1.4: kube-proxy's --kubeconfig, when kube-proxy runs from this node's files. */
export function kubeProxyKubeconfigTargets(facts: NodeFacts): Targets {
  const kp = facts.kubeProxy;
  if (!kp.present) {
    return { kind: 'not-applicable', why: `kube-proxy does not run from this node's files${kp.source ? ` (${kp.source})` : ''}; kubeadm runs it as a DaemonSet whose kubeconfig is in the cluster` };
  }
  if (!kp.kubeconfig) {
    if (kp.unknown) return { kind: 'unknown', why: `kube-proxy's kubeconfig cannot be known: ${kp.unknown}` };
    return { kind: 'not-applicable', why: `kube-proxy runs on this node${kp.source ? ` (${kp.source})` : ''} but is given no kubeconfig file` };
  }
  return { kind: 'files', files: [{ path: kp.kubeconfig, role: "kube-proxy's --kubeconfig", whenMissing: 'kube-proxy is configured to read its API server credentials from it' }] };
}

/** 4.1.5/4.1.6: the kubelet's --kubeconfig (a flag-only setting). */
export function kubeletKubeconfigTargets(facts: NodeFacts): Targets {
  const k = facts.kubelet;
  if (k.missing) return { kind: 'unknown', why: `no kubelet was found, so its --kubeconfig is not known: ${k.missing}` };
  const s = k.effective['--kubeconfig'];
  if (!s) return { kind: 'unknown', why: '--kubeconfig is not part of the evidence' };
  if (s.unknown) return { kind: 'unknown', why: `--kubeconfig cannot be known: ${s.unknown}` };
  const v = typeof s.value === 'string' ? s.value : '';
  if (v === '') return { kind: 'not-applicable', why: 'the kubelet is given no --kubeconfig: a standalone kubelet that does not talk to an API server has no kubeconfig file' };
  if (!v.startsWith('/')) {
    return { kind: 'unknown', why: `--kubeconfig=${v} is a relative path, resolved against the kubelet's working directory, which the evidence does not hold` };
  }
  const boot = k.effective['--bootstrap-kubeconfig'];
  const bootPath = boot && !boot.unknown && typeof boot.value === 'string' ? boot.value : '';
  const whenMissing = bootPath
    ? `the kubelet uses it to reach the API server and, with --bootstrap-kubeconfig=${bootPath}, writes it at TLS bootstrap; check again once the node has joined`
    : 'the kubelet uses it to reach the API server';
  return { kind: 'files', files: [{ path: path.posix.normalize(v), role: "the kubelet's --kubeconfig", whenMissing }] };
}

/** 4.1.7/4.1.8: authentication.x509.clientCAFile. */
export function clientCATargets(facts: NodeFacts): Targets {
  const k = facts.kubelet;
  const setting = 'authentication.x509.clientCAFile';
  if (k.missing) return { kind: 'unknown', why: `no kubelet was found, so its client CA file is not known: ${k.missing}` };
  const s = k.effective[setting];
  if (!s) return { kind: 'unknown', why: `${setting} is not part of the evidence` };
  if (s.unknown) return { kind: 'unknown', why: `${setting} cannot be known: ${s.unknown}` };
  const v = typeof s.value === 'string' ? s.value : '';
  if (v === '') {
    return { kind: 'not-applicable', why: `${setting} is empty: the kubelet trusts no client CA and so accepts no client certificate; CIS 4.2.3 covers that` };
  }
  let p = v;
  if (!v.startsWith('/')) {
    // kubelet-facts §5: relative paths in the --config file are resolved against the file's folder.
    // Nothing there says how a drop-in's or a flag's relative path is resolved: unknown, not a guess.
    const inConfig = (s.source.kind === 'config-file' || s.source.kind === 'config-default') && s.source.file && s.source.file === k.configFile;
    if (!inConfig) return { kind: 'unknown', why: `${setting} is the relative path ${v}, set ${s.source.kind === 'flag' ? 'by a flag' : `in ${s.source.file ?? 'an unknown file'}`}; how the kubelet resolves it is not known` };
    p = path.posix.join(path.posix.dirname(s.source.file!), v);
  }
  return { kind: 'files', files: [{ path: path.posix.normalize(p), role: 'client CA file', whenMissing: `the kubelet is configured (${setting}) to verify client certificates against it` }] };
}

/** 4.1.9/4.1.10: the --config file and every --config-dir drop-in (kubelet-facts §5). */
export function configTargets(facts: NodeFacts): Targets {
  const k = facts.kubelet;
  if (k.missing) return { kind: 'unknown', why: `no kubelet was found, so its config file is not known: ${k.missing}` };
  if (!k.invocation) return { kind: 'unknown', why: 'the kubelet\'s command line is not part of the evidence (a live configz), so its config file is not known' };
  const files: FileTarget[] = [];
  if (k.configFile) {
    files.push({ path: k.configFile, role: 'kubelet --config file', whenMissing: 'the kubelet cannot start without its --config file (see kubelet-config-accepted)' });
  }
  for (const d of k.dropIns) files.push({ path: d, role: 'kubelet --config-dir drop-in', whenMissing: 'it may have been removed since the drop-in folder was listed' });
  if (files.length === 0) {
    return { kind: 'not-applicable', why: 'the kubelet is started without --config (and without drop-ins), so there is no config file: it runs on its flag defaults' };
  }
  return { kind: 'files', files: dedupe(files) };
}

function dedupe(files: FileTarget[]): FileTarget[] {
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
}

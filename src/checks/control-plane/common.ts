// Shared by the API-server, etcd and CIS 1.1 checks: which instances of a component this node
// runs (or why that cannot be known), one result per instance, evidence naming the file and line
// of each flag, and the exact fix in the manifest (kubelet-facts §7).
import { proposeComponentFlag } from '../../fix/propose-flag.ts';
import type { ComponentFacts, ComponentFlag, ComponentName, NodeFacts } from '../../facts/types.ts';
import { allFlags, effective, envUnknown, etcdEnvName, isFromEnvironment, parseGoBool, UNIT_DIRS } from '../../sources/control-plane.ts';
import type { CheckResult, Evidence } from '../types.ts';

export type Presence =
  | { kind: 'found'; components: ComponentFacts[] }
  | { kind: 'not-applicable'; why: string }
  | { kind: 'unknown'; why: string };

const WORDS: Record<ComponentName, string> = {
  'kube-apiserver': 'kube-apiserver',
  etcd: 'etcd',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
};

/** Where a component comes from, in words: its manifest, or its process. */
export function origin(c: ComponentFacts): string {
  if (c.apiPod) return c.file ?? 'a pod';
  return c.from === 'manifest' ? `the static pod manifest ${c.file ?? '(unknown file)'}` : `the running process ${c.pid ?? '?'}`;
}

/** The subject of a component's result: its manifest, or `pid N`. */
export function subjectOf(c: ComponentFacts): string {
  return c.from === 'manifest' && c.file ? c.file : `${c.name} pid ${c.pid ?? '?'}`;
}

/**
 * The instances of a component on this node, or why there are none (not-applicable) or why that
 * cannot be known: a static pod folder or manifest that could not be read may hold it, and an
 * offline audit does not read the systemd units that start control planes outside static pods.
 */
export function presence(facts: NodeFacts, name?: ComponentName): Presence {
  const cp = facts.controlPlane;
  if (!cp) return { kind: 'unknown', why: 'the control-plane evidence was not gathered' };
  const mine = cp.components.filter((c) => name === undefined || c.name === name);
  if (mine.length > 0) return { kind: 'found', components: mine };
  const what = name ? WORDS[name] : 'a control-plane component';

  const doubts: string[] = [];
  const sp = facts.staticPods;
  if (!sp) {
    if (facts.mode === 'offline') doubts.push('the static pod manifests were not read');
  } else {
    if (sp.unknown) doubts.push(`the static pod manifests cannot be known: ${sp.unknown}`);
    // A manifest the audit could not read or analyse (too large, EACCES) may hold the component.
    for (const m of sp.manifests) {
      const why = m.unreadable ?? m.error;
      if (why && !m.ignored) doubts.push(`the manifest ${m.path} cannot be read (${why}), and the kubelet may run ${what} from it`);
    }
  }
  const names = name ? [name] : (Object.keys(WORDS) as ComponentName[]);
  const units = names.flatMap((n) => UNIT_DIRS.map((d) => `${d}/${n}.service`)).filter((p) => facts.files[p]?.exists === true);
  if (units.length > 0 && facts.mode === 'offline') {
    doubts.push(`the systemd unit ${units[0]} would start ${what}, and an offline audit does not read its command line`);
  }
  if (doubts.length > 0) return { kind: 'unknown', why: `whether ${what} runs on this node cannot be known: ${doubts.join('; ')}` };

  const others = cp.components.map((c) => `${c.name} (${origin(c)})`);
  if (others.length === 0) {
    const where = sp?.path ? `the static pod folder ${sp.path} holds none` : 'the kubelet has no static pod folder';
    const live = facts.mode === 'live' ? ' and no such process is running' : '';
    const unit = units.length > 0 ? `; the unit ${units[0]} exists but nothing it starts is running` : '';
    return { kind: 'not-applicable', why: `no control-plane component on this node: ${where}${live}${unit}` };
  }
  return { kind: 'not-applicable', why: `${what} does not run on this node (it runs ${[...new Set(others)].join(', ')})` };
}

/** One result per instance of the component; unknown flags give unknown. */
export function perComponent(facts: NodeFacts, name: ComponentName, judge: (c: ComponentFacts) => CheckResult): CheckResult | CheckResult[] {
  const p = presence(facts, name);
  if (p.kind !== 'found') return { status: p.kind, message: p.why };
  return p.components.map((c) => {
    const subject = subjectOf(c);
    if (c.unknown) return { status: 'unknown', subject, message: `the flags of ${WORDS[name]} (${origin(c)}) cannot be known: ${c.unknown}`, evidence: [{ file: c.file, note: c.unknown }] };
    return { subject, ...judge(c) };
  });
}

/** A flag occurrence as evidence. */
export function flagEvidence(f: ComponentFlag, note?: string): Evidence {
  const e: Evidence = { setting: `--${f.name}`, value: f.value, note: note ?? (isFromEnvironment(f) ? `set by the environment variable ${f.text}` : f.text) };
  if (f.file) e.file = f.file;
  if (f.line) e.line = f.line;
  return e;
}

/** A setting left at its default, as evidence. */
export function defaultEvidence(c: ComponentFacts, name: string, value: string, note: string): Evidence {
  const e: Evidence = { setting: `--${name}`, value, note };
  if (c.file) e.file = c.file;
  return e;
}

/** "/etc/kubernetes/manifests/etcd.yaml line 20" */
export function at(f: { file?: string; line?: number }): string {
  return f.file ? `${f.file}${f.line ? ` line ${f.line}` : ''}` : 'the command line';
}

function afterHint(c: ComponentFacts): string {
  const last = c.flags.filter((f) => !isFromEnvironment(f) && f.line).at(-1);
  return last?.line ? ` (for example after line ${last.line})` : '';
}

const STATIC_RESTART = 'the kubelet restarts the static pod when the manifest changes (keep any backup copy out of the manifest folder: the kubelet runs every file in it)';

function restartHint(c: ComponentFacts): string {
  if (c.apiPod) return podChangeHint(c, c.apiPod);
  return c.from === 'manifest' ? STATIC_RESTART : `then restart ${c.name}`;
}

/**
 * Where a change to a pod seen through the API server really goes: a pod's command cannot be
 * changed in place, and a mirror pod is only a read-only copy of the node's static pod.
 */
function podChangeHint(c: ComponentFacts, p: NonNullable<ComponentFacts['apiPod']>): string {
  const The = `The ${c.file ?? 'pod'}`;
  const inPlace = "not through the API, which cannot change a pod's command";
  if (p.mirror && p.source === 'http') {
    return `the kubelet restarts the static pod when the manifest it fetches changes. ${The} is a mirror pod, a read-only copy of the static pod the kubelet on ${p.node} fetches from its staticPodURL: make the change in the manifest served there, ${inPlace}`;
  }
  if (p.mirror) {
    return `${STATIC_RESTART}. ${The} is a mirror pod, a read-only copy of the static pod the kubelet on ${p.node} runs from a manifest file: make the change in that file on ${p.node} (kubeadm's is /etc/kubernetes/manifests/${c.name}.yaml), ${inPlace}`;
  }
  if (p.owner) return `the pod must then be recreated. ${The} is not a static pod: it belongs to ${p.owner} in ${p.namespace}; make the change in that object's pod template, since a pod's command cannot be changed in place`;
  return `the pod must then be recreated. ${The} is not a static pod and has no owner: create it again with the change, since a pod's command cannot be changed in place`;
}

/**
 * The exact change that makes `--name` have the wanted flag text, where it is written: replace the
 * deciding occurrence (and drop the others), change an ETCD_* variable, or add the flag.
 */
export function fixFlag(c: ComponentFacts, name: string, want: string): string {
  const occ = allFlags(c, name);
  const cmd = occ.filter((f) => !isFromEnvironment(f));
  const env = occ.filter((f) => isFromEnvironment(f));
  const restart = restartHint(c);
  if (cmd.length > 0) {
    const last = cmd.at(-1)!;
    const others = cmd.slice(0, -1).filter((f) => f.line).map((f) => f.line);
    const drop = others.length > 0 ? ` and remove the earlier --${name} at line${others.length > 1 ? 's' : ''} ${others.join(', ')}` : '';
    const place = last.file ? `In ${at(last)}` : `On the command line of ${c.name} (pid ${c.pid ?? '?'})`;
    return `${place}: replace \`${last.text}\` with \`${want}\`${drop}; ${restart}.`;
  }
  if (env.length > 0) {
    const e = env.at(-1)!;
    const eq = want.indexOf('=');
    const value = eq >= 0 ? want.slice(eq + 1) : 'true';
    return `In ${at(e)}: the variable ${e.text} sets --${name}; set ${etcdEnvName(name)} to \`${value}\` (or remove it and add \`${want}\` to the command); ${restart}.`;
  }
  if (c.from === 'manifest') return `In ${c.file ?? 'the manifest'}: add \`- ${want}\` to the command of the ${c.name} container${afterHint(c)}; ${restart}.`;
  return `Add \`${want}\` to the command line that starts ${c.name} (pid ${c.pid ?? '?'}: its systemd unit or start script); ${restart}.`;
}

/** fixFlag's words with the same change as proposals for `kubelet-guard fix` (or why there are none); `words` replaces the words. */
export function flagFix(facts: NodeFacts, c: ComponentFacts, name: string, want: string, words?: string): Pick<CheckResult, 'remediation' | 'fixes' | 'noFix'> {
  return { remediation: words ?? fixFlag(c, name, want), ...proposeComponentFlag(facts, c, name, want) };
}

/** Removing every occurrence of a flag (its default then applies). */
export function fixRemove(c: ComponentFacts, name: string, why: string): string {
  const occ = allFlags(c, name);
  const places = occ.map((f) => `\`${f.text}\` (${at(f)})`).join(', ');
  return `Remove ${places} ${why}; ${restartHint(c)}.`;
}

export type Setting =
  | { kind: 'set'; value: string; flag: ComponentFlag }
  | { kind: 'default'; value: string }
  | { kind: 'unknown'; why: string };

/**
 * A scalar setting: the deciding flag (etcd: or its ETCD_* variable), else the binary's default;
 * for etcd, unknown when an unreadable environment could set it.
 */
export function setting(c: ComponentFacts, name: string, def: string): Setting {
  const e = effective(c, name);
  if (e) return { kind: 'set', value: e.value, flag: e.flag };
  if (c.name === 'etcd') {
    const env = envUnknown(c);
    if (env) return { kind: 'unknown', why: `--${name} is not on etcd's command line, and ${env}` };
  }
  return { kind: 'default', value: def };
}

/** A bool setting as the binary reads it (strconv.ParseBool; the parsers already refused bad values). */
export function boolOf(s: Setting): boolean | undefined {
  return s.kind === 'unknown' ? undefined : parseGoBool(s.value);
}

/** Evidence for a setting. */
export function settingEvidence(c: ComponentFacts, name: string, s: Setting, defaultNote: string): Evidence[] {
  if (s.kind === 'set') return [flagEvidence(s.flag)];
  if (s.kind === 'default') return [defaultEvidence(c, name, s.value, defaultNote)];
  return [{ setting: `--${name}`, note: s.why }];
}

/** "--x=v (file line n)" or "not set (default v)". */
export function describe(name: string, s: Setting): string {
  if (s.kind === 'set') return isFromEnvironment(s.flag) ? `${s.flag.text} (${at(s.flag)})` : `${s.flag.text} (${at(s.flag)})`;
  if (s.kind === 'default') return `--${name} is not set (default ${s.value === '' ? '""' : s.value})`;
  return s.why;
}

// The plan of `kubelet-guard fix --cluster` (issue 12, item 6): what to change in the cluster so that
// the `rbac-kubelet-access` and `namespace-pod-security` findings close, as data. Pure: no I/O.
//
// RBAC. For each ClusterRole whose rules reach a kubelet subresource (nodes/proxy, nodes/log, …) for
// a subject that is not expected to (rbac/kubelet.ts), the subjects bound to it are classed by what
// they likely need from the kubelet (needOf below: a documented, conservative name heuristic):
//   - metrics agents (prometheus, metrics-server, datadog, …) read /metrics, /metrics/cadvisor,
//     /metrics/resource and /stats/summary: nodes/metrics and nodes/stats, get — always their own
//     subresources (kubelet auth.go maps those paths whatever KubeletFineGrainedAuthz says);
//   - log agents (fluent-bit, fluentd, …) read the node's log files through a hostPath; what some of
//     them ask the kubelet is /pods (fluent-bit's Use_Kubelet), nodes/pods, which kubelets have only
//     with KubeletFineGrainedAuthz (on by default from 1.33): with an older (or unknown) kubelet the
//     need cannot be met without nodes/proxy, so no replacement is made.
// When every subject bound to the role through a ClusterRoleBinding has a known need, the plan is:
// the least-privilege ClusterRole for that need (made by rbacFor, as `kubelet-guard rbac-for`), a
// ClusterRoleBinding of those subjects to it, and the role itself without its kubelet subresources,
// as a whole object keeping everything else (labels, annotations, other rules, resourceVersion).
// A subject whose need cannot be told (a group, a user, a name that says nothing) gets no automatic
// replacement: a note says why and gives the rbac-for command; and its role is then left as it is,
// since removing the rules would take from it what it may need.
// Never touched: what the control plane needs (system:* roles and bindings, the bootstrap roles
// labelled kubernetes.io/bootstrapping=rbac-defaults, cluster-admin): a note. An aggregated
// ClusterRole's rules are the aggregation controller's (clusterroleaggregation_controller.go writes
// them back): the source role that carries the rule is changed instead, or the plan says why not.
//
// Namespaces. One without a pod-security.kubernetes.io/enforce label (privileged by default) gets
// enforce=baseline, warn=restricted, audit=restricted: baseline refuses what leads around the API
// server (host namespaces, hostPath, privileged) and rarely breaks an ordinary workload, while the
// restricted warnings show what a later tightening would meet. A namespace with a pod that baseline
// refuses gets warn/audit only: enforce would refuse that pod's replacement. kube-system,
// kube-public and kube-node-lease are never labelled (control-plane and node pods run there);
// an explicit enforce=privileged is a choice someone made: a note. A warn or audit label that is no
// level fails open (workloads.ts podSecurityLabelErrors) and is set to restricted, which refuses
// nothing; an enforce level or a version that is none is a note (which was meant is the user's to say).
import { parseMinor, rbacFor } from './kubelet-authz.ts';
import { selectorMatches } from './rbac/match.ts';
import { whoCanReachKubelet } from './rbac.ts';
import { KUBELET_SUBRESOURCES, type ClusterRole, type ClusterRoleBinding, type Grant, type PolicyRule, type SubjectRef } from './rbac/types.ts';
import { PSA_ENFORCE_LABEL, podSecurityLabelErrors } from './workloads.ts';

export type Need = 'metrics' | 'logs';

/** An object the plan creates or changes, as `kubectl apply -f` takes it. */
export type KubeObject = { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<string, unknown>;

export interface PlanChange {
  /** create: a new object (POST); replace: an existing one whole, with the resourceVersion read (PUT); label: labels added to a Namespace (merge patch with the resourceVersion read) */
  action: 'create' | 'replace' | 'label';
  kind: 'ClusterRole' | 'ClusterRoleBinding' | 'Namespace';
  name: string;
  object: KubeObject;
  /** the findings it closes, as `check subject` */
  closes: string[];
  why: string[];
}

export interface PlanNote {
  /** the finding it is about, as `check subject` */
  finding: string;
  note: string;
  /** the command that gives what the plan could not */
  command?: string;
}

export interface ClusterFixPlan {
  changes: PlanChange[];
  notes: PlanNote[];
}

/** A ClusterRole or ClusterRoleBinding as listed, metadata kept (labels, annotations, resourceVersion). */
export interface FullMeta {
  name: string;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  resourceVersion?: string;
}

export interface FixInput {
  /** undefined when the RBAC lists could not be read whole: then no RBAC change is planned */
  rbac?: { clusterRoles: (ClusterRole & { metadata: FullMeta })[]; clusterRoleBindings: (ClusterRoleBinding & { metadata: FullMeta })[] };
  /** the nodes' kubelet versions; undefined when unknown */
  kubeletVersions?: string[];
  /** namespaces as listed (metadata: name, labels, resourceVersion); undefined when not read */
  namespaces?: { metadata: { name: string; labels?: Record<string, string> | null; resourceVersion?: string } }[];
  /** namespace → pods (names) baseline refuses, from the pod list; undefined when it was not read */
  podsRefusedByBaseline?: Map<string, string[]>;
  /** only these findings (check ids); default both */
  checks?: ReadonlySet<string>;
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const KUBELET_RESOURCES = new Set(KUBELET_SUBRESOURCES.map((s) => `nodes/${s}`));
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Names that say what a subject is. Tools whose kubelet use is known; "monitoring"/"logging" as
 * whole words of a namespace. Looked for in the subject's name first, then its namespace, then
 * the role's and binding's names: the first that says one need decides; one that says both, nothing.
 */
const NEED_WORDS: Record<Need, RegExp> = {
  metrics: /(^|[^a-z])(prometheus|metrics-server|metrics|monitoring|datadog|grafana-agent|alloy|kube-state-metrics|otel|opentelemetry|telegraf|node-exporter|vmagent|victoria-metrics|newrelic|dynatrace|signalfx|splunk-otel|metricbeat|sysdig|cadvisor|kubelet-stats)([^a-z]|$)/,
  logs: /(^|[^a-z])(fluent-bit|fluentbit|fluentd|promtail|vector|filebeat|logstash|loki|logging|log-agent|logs-agent)([^a-z]|$)/,
};

/** The kubelet paths each need reads, given to rbacFor. */
const NEED_PATHS: Record<Need, string[]> = {
  metrics: ['/metrics', '/metrics/cadvisor', '/metrics/resource', '/stats/summary'],
  logs: ['/pods'],
};

/** The replacement roles' names (their words classify their subjects again on the next run: idempotent). */
export const REPLACEMENT_ROLE: Record<Need, string> = { metrics: 'kubelet-guard-node-metrics', logs: 'kubelet-guard-node-pods-logging' };

function needIn(text: string): Need | 'both' | undefined {
  const t = text.toLowerCase();
  const m = NEED_WORDS.metrics.test(t);
  const l = NEED_WORDS.logs.test(t);
  return m && l ? 'both' : m ? 'metrics' : l ? 'logs' : undefined;
}

/** What a subject likely needs from the kubelet, or why that cannot be told. */
export function needOf(subject: SubjectRef, roleName: string, bindingName: string): { need: Need } | { why: string } {
  if (subject.kind === 'Group') return { why: `${subject.kind} ${subject.name} stands for identities whose needs differ` };
  for (const text of [subject.name, subject.namespace ?? '', roleName, bindingName]) {
    const n = needIn(text);
    if (n === 'both') return { why: `"${text}" names both a metrics and a log agent` };
    if (n) return { need: n };
  }
  return { why: 'its name, namespace, role and binding say nothing of what it reads from the kubelet' };
}

const refName = (r: { kind: string; name: string; namespace?: string }) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** Roles and bindings the control plane needs (or that grant everything on purpose): never changed. */
function isProtected(meta: FullMeta): boolean {
  return meta.name.startsWith('system:') || meta.name === 'cluster-admin' || meta.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

/** The subresources and verbs a need is met with (what rbacFor gives for its paths). */
function needGrants(need: Need): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const r of rbacFor(NEED_PATHS[need], { fineGrained: 'on' }).role.rules) for (const res of r.resources) m.set(res.slice('nodes/'.length), new Set(r.verbs));
  return m;
}

function withinNeed(g: Grant, need: Need): boolean {
  const allowed = needGrants(need).get(g.subresource);
  return allowed !== undefined && g.verbs.every((v) => allowed.has(v));
}

/** Whether every kubelet seen has KubeletFineGrainedAuthz on by default (1.33 and later). */
function fineGrainedEverywhere(versions: string[] | undefined): { ok: boolean; why: string } {
  if (!versions || versions.length === 0) return { ok: false, why: 'the kubelet versions are unknown' };
  const old = versions.filter((v) => {
    const m = parseMinor(v);
    return !m || (m.major === 1 && m.minor < 33);
  });
  return old.length === 0 ? { ok: true, why: '' } : { ok: false, why: `kubelet ${old[0]} has no KubeletFineGrainedAuthz by default (1.33 and later), so /pods is authorized as nodes/proxy there` };
}

/** A rule's resources without the kubelet subresources; undefined when a wildcard (a resource "*", or "*" followed by "/proxy" or another kubelet subresource) covers one (it cannot be cut out). */
function stripRule(rule: PolicyRule): PolicyRule | null | undefined {
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('') && !groups.includes('*')) return rule;
  const resources = rule.resources ?? [];
  if (resources.some((r) => r === '*' || (r.startsWith('*/') && KUBELET_SUBRESOURCES.includes(r.slice(2) as never)))) return undefined;
  const kept = resources.filter((r) => !KUBELET_RESOURCES.has(r));
  if (kept.length === resources.length) return rule;
  return kept.length === 0 ? null : { ...rule, resources: kept };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function replacementRole(need: Need): KubeObject {
  const r = rbacFor(NEED_PATHS[need], { fineGrained: 'on', name: REPLACEMENT_ROLE[need] }).role;
  return { ...r, metadata: { name: r.metadata.name, labels: { 'app.kubernetes.io/managed-by': 'kubelet-guard' } } };
}

/** a ClusterRoleBinding name (a path segment: no "/" or "%"), at most 253 characters */
function bindingName(need: Need, from: string): string {
  const n = `${REPLACEMENT_ROLE[need]}.${from}`;
  return n.length <= 253 ? n : `${n.slice(0, 240)}.${hash(n)}`;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** the role object with its rules replaced, everything else as read (server-set fields aside) */
function replacedRole(cr: ClusterRole & { metadata: FullMeta }, rules: PolicyRule[]): KubeObject {
  const m = cr.metadata;
  const metadata: Record<string, unknown> = { name: m.name };
  if (m.labels && Object.keys(m.labels).length > 0) metadata.labels = m.labels;
  if (m.annotations && Object.keys(m.annotations).length > 0) metadata.annotations = m.annotations;
  // kept so that applying a stale plan fails (409) instead of removing rules added since it was made
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  return { apiVersion: RBAC_API, kind: 'ClusterRole', metadata, rules };
}

function rbacPlan(input: FixInput, plan: ClusterFixPlan): void {
  const rbac = input.rbac!;
  const objs = { clusterRoles: rbac.clusterRoles, roles: [], clusterRoleBindings: rbac.clusterRoleBindings, roleBindings: [] };
  const grants = whoCanReachKubelet(objs).filter((g) => !g.expected && g.chain.binding.kind === 'ClusterRoleBinding');
  const roles = new Map(rbac.clusterRoles.filter((r) => r?.metadata?.name).map((r) => [r.metadata.name, r]));
  const bindings = new Map(rbac.clusterRoleBindings.filter((b) => b?.metadata?.name).map((b) => [b.metadata.name, b]));
  const fg = fineGrainedEverywhere(input.kubeletVersions);
  const finding = (g: Grant) => `rbac-kubelet-access ${refName(g.subject)}`;
  const noted = new Set<string>();
  const note = (n: PlanNote): void => {
    const k = JSON.stringify(n);
    if (noted.has(k)) return;
    noted.add(k);
    plan.notes.push(n);
  };
  const rbacForCmd = (g: Grant) => `kubelet-guard rbac-for --name ${g.subject.name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 200) || 'least-privilege'}-kubelet PATH... (the kubelet paths it calls: /metrics, /stats/summary, /pods, …)`;

  // each grant's rule owner: the role whose stored rules carry it (an aggregated role's source)
  const owners = new Map<string, Grant[]>();
  for (const g of grants) {
    const role = roles.get(g.chain.role.name);
    let ownerNames: string[];
    if (g.chain.aggregatedFrom !== undefined) ownerNames = [g.chain.aggregatedFrom];
    else if (role?.aggregationRule) {
      const sels = role.aggregationRule.clusterRoleSelectors ?? [];
      ownerNames = rbac.clusterRoles.filter((c) => c.metadata.name !== role.metadata.name && sels.some((s) => s && selectorMatches(s, c.metadata.labels ?? {}))
        && (c.rules ?? []).some((r) => same(r, g.chain.rule))).map((c) => c.metadata.name);
      if (ownerNames.length === 0) {
        note({ finding: finding(g), note: `ClusterRole ${role.metadata.name} is aggregated (its rules are written by the aggregation controller) and no ClusterRole its selectors pick carries the rule ${JSON.stringify(g.chain.rule)}: not changed (if a source role was just changed, the aggregation controller may not have copied it yet: run again); else remove the rule from the role that contributes it, or the binding ${g.chain.binding.name}` });
        continue;
      }
    } else ownerNames = [g.chain.role.name];
    for (const o of ownerNames) {
      const l = owners.get(o);
      if (l) l.push(g);
      else owners.set(o, [g]);
    }
  }

  const createdRoles = new Set<string>();
  const createdBindings = new Set<string>();
  for (const [ownerName, gs] of owners) {
    const owner = roles.get(ownerName);
    if (!owner) continue;
    const through = (g: Grant) => (g.chain.role.name !== ownerName ? ` (through the aggregated ClusterRole ${g.chain.role.name})` : '');
    if (isProtected(owner.metadata)) {
      for (const g of gs) {
        const b = bindings.get(g.chain.binding.name);
        note({ finding: finding(g), note: `ClusterRole ${ownerName} is one the control plane or its bootstrap policy owns (system:*, rbac-defaults, cluster-admin): not changed${b && !isProtected(b.metadata) ? `; if ${refName(g.subject)} does not need it, delete or rebind ClusterRoleBinding ${g.chain.binding.name} to a least-privilege role` : ''}`, ...(b && !isProtected(b.metadata) ? { command: rbacForCmd(g) } : {}) });
      }
      continue;
    }
    if (owner.aggregationRule) {
      for (const g of gs) note({ finding: finding(g), note: `ClusterRole ${ownerName} is itself aggregated: its rules are the aggregation controller's to write; not changed` });
      continue;
    }
    // what each subject needs; one that cannot be told keeps the role as it is
    const needs = gs.map((g) => ({ g, n: needOf(g.subject, g.chain.role.name, g.chain.binding.name) }));
    // a grant limited to some nodes (resourceNames) would be widened by a replacement for every node
    const unknown = needs.filter((x) => 'why' in x.n || (x.n.need === 'logs' && !fg.ok) || x.g.resourceNames !== undefined);
    if (unknown.length > 0) {
      for (const { g, n } of unknown) {
        const why = 'why' in n ? n.why
          : g.resourceNames !== undefined ? `its grant is limited to the nodes ${g.resourceNames.join(', ')}, and the replacement role would reach every node`
            : `it looks like a log agent, whose /pods needs nodes/pods, and ${fg.why}`;
        note({ finding: finding(g), note: `no automatic replacement for ${refName(g.subject)} (ClusterRoleBinding ${g.chain.binding.name}${through(g)}): ${why}; find what it calls on the kubelet and make its role with rbac-for`, command: rbacForCmd(g) });
      }
      if (unknown.length < needs.length)
        for (const { g } of needs.filter((x) => !unknown.includes(x)))
          note({ finding: finding(g), note: `ClusterRole ${ownerName} is not changed: it is also bound to subjects whose need cannot be told (see their notes); ${refName(g.subject)} would get ${REPLACEMENT_ROLE[(needs.find((x) => x.g === g)!.n as { need: Need }).need]}` });
      continue;
    }
    const known = needs as { g: Grant; n: { need: Need } }[];
    // already least privilege for everyone bound to it: nothing to do (a second run after --write ends here)
    if (known.every(({ g, n }) => withinNeed(g, n.need))) continue;
    const stripped: PolicyRule[] = [];
    let wildcard: PolicyRule | undefined;
    for (const r of owner.rules ?? []) {
      if (!r) continue;
      const s = stripRule(r);
      if (s === undefined) wildcard = r;
      else if (s !== null) stripped.push(s);
    }
    if (wildcard) {
      for (const { g } of known) note({ finding: finding(g), note: `ClusterRole ${ownerName} has the rule ${JSON.stringify(wildcard)}, whose wildcard covers the kubelet subresources and cannot be cut out of it: not changed; list the resources it is meant for instead`, command: rbacForCmd(g) });
      continue;
    }
    const closes = [...new Set(known.map(({ g }) => finding(g)))];
    const byNeed = new Map<Need, Grant[]>();
    for (const { g, n } of known) byNeed.set(n.need, [...(byNeed.get(n.need) ?? []), g]);
    let blocked = false;
    const pending: PlanChange[] = [];
    for (const [need, ngs] of byNeed) {
      const roleObj = replacementRole(need);
      const existing = roles.get(REPLACEMENT_ROLE[need]);
      if (existing && !same(existing.rules, roleObj.rules)) {
        for (const g of ngs) note({ finding: finding(g), note: `a ClusterRole ${REPLACEMENT_ROLE[need]} exists with other rules than the plan's: ${ownerName} is not changed; look at it first` });
        blocked = true;
        continue;
      }
      if (!existing && !createdRoles.has(REPLACEMENT_ROLE[need])) {
        createdRoles.add(REPLACEMENT_ROLE[need]);
        pending.push({ action: 'create', kind: 'ClusterRole', name: REPLACEMENT_ROLE[need], object: roleObj, closes: [],
          why: [`the least-privilege role for ${need === 'metrics' ? 'a metrics agent' : 'a log agent'}: \`kubelet-guard rbac-for ${NEED_PATHS[need].join(' ')}\``] });
      }
      // one binding per original binding and need: the same subjects, to the replacement role
      const perBinding = new Map<string, Grant[]>();
      for (const g of ngs) perBinding.set(g.chain.binding.name, [...(perBinding.get(g.chain.binding.name) ?? []), g]);
      for (const [from, bgs] of perBinding) {
        const name = bindingName(need, from);
        const subjects = [...new Map(bgs.map((g) => [refName(g.subject), g.subject])).values()].map((s) =>
          s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { kind: s.kind, apiGroup: 'rbac.authorization.k8s.io', name: s.name });
        const obj: KubeObject = { apiVersion: RBAC_API, kind: 'ClusterRoleBinding', metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubelet-guard' } },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: REPLACEMENT_ROLE[need] }, subjects };
        const have = bindings.get(name);
        if (have) {
          if (!same(have.roleRef, obj.roleRef) || !subjects.every((s) => (have.subjects ?? []).some((h) => h?.kind === s.kind && h.name === s.name && (h.namespace ?? '') === (s.namespace ?? '')))) {
            for (const g of bgs) note({ finding: finding(g), note: `a ClusterRoleBinding ${name} exists, binding other subjects or another role: ${ownerName} is not changed; look at it first` });
            blocked = true;
          }
          continue;
        }
        if (createdBindings.has(name)) continue;
        createdBindings.add(name);
        pending.push({ action: 'create', kind: 'ClusterRoleBinding', name, object: obj, closes: [],
          why: [`gives ${subjects.map((s) => refName(s)).join(', ')} (bound by ${from}) what ${need === 'metrics' ? 'a metrics agent' : 'a log agent'} reads, before the old rules go`] });
      }
    }
    if (blocked) continue;
    const removed = (owner.rules ?? []).filter((r) => r && stripRule(r) !== r).map((r) => JSON.stringify(r));
    plan.changes.push(...pending, {
      action: 'replace', kind: 'ClusterRole', name: ownerName, object: replacedRole(owner, stripped), closes,
      why: [
        `${ownerName} without its kubelet subresources (rules ${removed.join(', ')}); everything else kept`,
        ...known.map(({ g }) => `${refName(g.subject)} may ${g.verbs.join(',')} nodes/${g.subresource}${through(g)}: ${g.why}`),
        ...(gs.some((g) => g.chain.role.name !== ownerName) ? [`the aggregation controller copies the change into ${[...new Set(gs.map((g) => g.chain.role.name).filter((n) => n !== ownerName))].join(', ')}`] : []),
        ...(stripped.length === 0 ? [`${ownerName} is left with no rule: its bindings grant nothing; delete it and them when nothing else uses them`] : []),
      ] });
  }
}

function namespacePlan(input: FixInput, plan: ClusterFixPlan): void {
  const refused = input.podsRefusedByBaseline!;
  const labelErrors = podSecurityLabelErrors(input.namespaces!);
  for (const ns of input.namespaces!) {
    const name = ns?.metadata?.name;
    if (typeof name !== 'string' || name === '') continue;
    const labels = ns.metadata.labels ?? {};
    const enforce = labels[PSA_ENFORCE_LABEL];
    const finding = `namespace-pod-security ${name}`;
    if (SYSTEM_NAMESPACES.has(name)) {
      if (enforce === undefined) plan.notes.push({ finding, note: `namespace ${name} is the control plane's and the nodes': not labelled (its pods are privileged by design)` });
      continue;
    }
    if (enforce === 'privileged') {
      plan.notes.push({ finding, note: `namespace ${name} enforces privileged by its label: a choice someone made (node agents, CSI drivers); not changed. Move what does not need it elsewhere and label it baseline` });
    }
    const pods = enforce === undefined ? refused.get(name) : undefined;
    const want: Record<string, string> = {};
    const closes: string[] = [];
    const why: string[] = [];
    if (enforce === undefined) {
      if (!pods) {
        want[PSA_ENFORCE_LABEL] = 'baseline';
        closes.push(finding);
        why.push(`no ${PSA_ENFORCE_LABEL} label: privileged pods, host namespaces and hostPath are admitted`,
          'enforce=baseline refuses those (what leads around the API server) and rarely breaks an ordinary workload; warn/audit=restricted show what a tightening would meet');
      } else {
        why.push('warn and audit at restricted: each pod that would be refused is said at admission and in the audit log, nothing is refused yet');
        plan.notes.push({ finding, note: `namespace ${name} runs pods that baseline refuses (${pods.join(', ')}): enforce=baseline would refuse their replacements, so only warn/audit are added; fix those pods, then label enforce=baseline`,
          command: `kubectl label namespace ${name} ${PSA_ENFORCE_LABEL}=baseline` });
      }
      for (const mode of ['warn', 'audit']) if (labels[`pod-security.kubernetes.io/${mode}`] === undefined) want[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    }
    // a warn or audit level that is no level fails open (nothing said): restricted refuses nothing, so it is safe to set
    for (const e of labelErrors.filter((x) => x.namespace === name)) {
      if (e.label.endsWith('/warn') || e.label.endsWith('/audit')) {
        want[e.label] = 'restricted';
        closes.push(`namespace-pod-security-label ${name} ${e.label}`);
        why.push(`${e.label}=${JSON.stringify(e.value)} is no level: Pod Security evaluates it as privileged (silently off); restricted refuses nothing, it only ${e.label.endsWith('/warn') ? 'warns' : 'annotates the audit log'}`);
      } else {
        plan.notes.push({ finding: `namespace-pod-security-label ${name} ${e.label}`, note: `${e.detail}; which ${e.label.endsWith('-version') ? 'version' : 'level'} was meant is yours to say`,
          command: `kubectl label --overwrite namespace ${name} ${e.label}=<the one meant>` });
      }
    }
    if (Object.keys(want).length === 0) continue;
    const metadata: Record<string, unknown> = { name, labels: want };
    if (ns.metadata.resourceVersion !== undefined) metadata.resourceVersion = ns.metadata.resourceVersion;
    plan.changes.push({ action: 'label', kind: 'Namespace', name, object: { apiVersion: 'v1', kind: 'Namespace', metadata }, closes,
      why: [...why, 'labels it has are kept (kubectl apply merges labels; --write sends a merge patch)'] });
  }
}

/** The plan for what was read (RBAC, namespaces); a part whose input is missing plans nothing. */
export function planClusterFix(input: FixInput): ClusterFixPlan {
  const plan: ClusterFixPlan = { changes: [], notes: [] };
  const want = (c: string) => !input.checks || input.checks.has(c);
  if (input.rbac && want('rbac-kubelet-access')) rbacPlan(input, plan);
  if (input.namespaces && input.podsRefusedByBaseline && (want('namespace-pod-security') || want('namespace-pod-security-label'))) namespacePlan(input, plan);
  return plan;
}

// ---- pods Pod Security baseline refuses (a subset of the baseline policy: the checks that matter here) ----

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** capabilities baseline allows to add (pod-security-admission policy/check_capabilities_baseline.go) */
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/**
 * Why Pod Security baseline would refuse this pod, or undefined: host namespaces, hostPath volumes,
 * privileged containers, host ports, added capabilities beyond the baseline set, Unconfined seccomp
 * (pod-security-admission policy/check_*.go). Not every baseline check: those that leave a pod
 * out of it err towards enforcing (a pod missed here meets a server-side dry-run warning).
 */
export function baselineRefusal(pod: unknown): string | undefined {
  const spec = obj(obj(pod)?.spec);
  if (!spec) return undefined;
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === true) return k;
  if (arr(spec.volumes).some((v) => obj(v)?.hostPath !== undefined)) return 'hostPath volume';
  if (obj(obj(spec.securityContext)?.seccompProfile)?.type === 'Unconfined') return 'seccomp Unconfined';
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)]) {
    const sc = obj(obj(c)?.securityContext);
    if (sc?.privileged === true) return 'privileged';
    if (obj(sc?.seccompProfile)?.type === 'Unconfined') return 'seccomp Unconfined';
    if (arr(obj(sc?.capabilities)?.add).some((cap) => typeof cap !== 'string' || !BASELINE_CAPS.has(cap))) return 'added capabilities';
    if (arr(obj(c)?.ports).some((p) => typeof obj(p)?.hostPort === 'number' && (obj(p)!.hostPort as number) !== 0)) return 'hostPort';
  }
  return undefined;
}

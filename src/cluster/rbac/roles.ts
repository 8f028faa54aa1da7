// Role resolution: an index of the (Cluster)Roles and the effective rules behind a roleRef, an
// aggregated ClusterRole computed as clusterroleaggregation_controller.go would store it.

import { selectorMatches } from './match.ts';
import type { ClusterRole, LabelSelector, ObjectRef, PolicyRule, RbacNote, RbacObjects, Role, RoleRef } from './types.ts';

// ---- role resolution ----

export interface EffectiveRule {
  rule: PolicyRule;
  index: number;
  from?: string;
}

export interface ResolvedRole {
  ref: ObjectRef;
  rules: EffectiveRule[];
  aggregated: boolean;
}

export interface Index {
  clusterRoles: Map<string, ClusterRole>;
  roles: Map<string, Role>;
  resolved: Map<string, ResolvedRole>;
  notes: RbacNote[];
  sortedClusterRoles: ClusterRole[];
  /** built on the first aggregation */
  agg?: AggState;
}

export function buildIndex(objs: RbacObjects): Index {
  const clusterRoles = new Map<string, ClusterRole>();
  for (const cr of objs.clusterRoles ?? []) if (cr?.metadata && typeof cr.metadata.name === 'string') clusterRoles.set(cr.metadata.name, cr);
  const roles = new Map<string, Role>();
  for (const r of objs.roles ?? []) if (r?.metadata) roles.set(`${r.metadata.namespace ?? ''}/${r.metadata.name}`, r);
  const sortedClusterRoles = [...clusterRoles.values()].sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  );
  return { clusterRoles, roles, resolved: new Map(), notes: [], sortedClusterRoles };
}

/** Stored rules with their index; null entries (malformed input) are skipped, indices kept. */
function effectiveRules(stored: readonly (PolicyRule | null | undefined)[]): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  stored.forEach((rule, index) => {
    if (rule && typeof rule === 'object') out.push({ rule, index });
  });
  return out;
}

/** A role whose rules are computed: an aggregationRule and no stored rules (stored rules win: they are what the authorizer reads now). */
function isComputed(cr: ClusterRole): boolean {
  return !!cr.aggregationRule && storedRules(cr).length === 0;
}

function storedRules(r: { rules?: unknown }): readonly (PolicyRule | null | undefined)[] {
  return Array.isArray(r.rules) ? (r.rules as (PolicyRule | null | undefined)[]) : [];
}

function selectorsOf(cr: ClusterRole): LabelSelector[] {
  const sels = cr.aggregationRule?.clusterRoleSelectors;
  return Array.isArray(sels) ? sels.filter((s): s is LabelSelector => !!s && typeof s === 'object') : [];
}

/**
 * What aggregation works on, by position in sortedClusterRoles (typed arrays, no string keys in the
 * inner loops): names, which roles are computed, the label indexes, and Tarjan's bookkeeping, which
 * survives between calls (roles resolved once stay resolved).
 */
interface AggState {
  pos: Map<string, number>;
  computed: Uint8Array;
  byKey: Map<string, number[]>;
  byPair: Map<string, number[]>;
  order: Int32Array; // DFS number, -1 unvisited
  low: Int32Array;
  onStack: Uint8Array;
  resolved: (ResolvedRole | undefined)[];
  counter: number;
  /** per component being resolved: its members (inside) and the roles whose rules it took (taken), by component number */
  inside: Int32Array;
  taken: Int32Array;
  component: number;
}

function aggState(ix: Index): AggState {
  if (ix.agg) return ix.agg;
  const all = ix.sortedClusterRoles;
  const n = all.length;
  const st: AggState = {
    pos: new Map(), computed: new Uint8Array(n), byKey: new Map(), byPair: new Map(),
    order: new Int32Array(n).fill(-1), low: new Int32Array(n), onStack: new Uint8Array(n), resolved: new Array(n), counter: 0,
    inside: new Int32Array(n), taken: new Int32Array(n), component: 0,
  };
  const add = (m: Map<string, number[]>, k: string, i: number): void => {
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  };
  all.forEach((cr, i) => {
    st.pos.set(cr.metadata.name, i);
    if (isComputed(cr)) st.computed[i] = 1;
    const labels = cr.metadata.labels;
    if (!labels || typeof labels !== 'object') return;
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string') continue;
      add(st.byKey, k, i);
      add(st.byPair, JSON.stringify([k, v]), i);
    }
  });
  ix.agg = st;
  return st;
}

const labelsOf = (cr: ClusterRole): Record<string, string> => (cr.metadata.labels && typeof cr.metadata.labels === 'object' ? cr.metadata.labels : {});

/** Positions of the ClusterRoles a selector matches, ascending (by name, as the controller sorts them). */
function matching(ix: Index, st: AggState, sel: LabelSelector, self: number, out: number[]): void {
  // the narrowest requirement an index can answer: a matchLabels pair, an In, or an Exists
  let candidates: number[] | undefined;
  const narrow = (c: number[]): void => {
    if (!candidates || c.length < candidates.length) candidates = c;
  };
  const ml = sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels) : [];
  for (const [k, v] of ml) narrow(st.byPair.get(JSON.stringify([k, v])) ?? []);
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (e?.operator === 'Exists') narrow(st.byKey.get(e.key) ?? []);
    else if (e?.operator === 'In' && Array.isArray(e.values)) {
      const u = new Set<number>();
      for (const v of e.values) for (const i of st.byPair.get(JSON.stringify([e.key, v])) ?? []) u.add(i);
      narrow([...u].sort((a, b) => a - b));
    }
  }
  const all = ix.sortedClusterRoles;
  const empty = ml.length === 0 && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0);
  if (empty) {
    // LabelSelectorAsSelector: an empty selector matches everything
    for (let i = 0; i < all.length; i++) if (i !== self) out.push(i);
  } else if (candidates) {
    for (const i of candidates) if (i !== self && selectorMatches(sel, labelsOf(all[i]!))) out.push(i);
  } else {
    for (let i = 0; i < all.length; i++) if (i !== self && selectorMatches(sel, labelsOf(all[i]!))) out.push(i);
  }
}

/** The roles an aggregated role selects, in the controller's order: selector by selector, each by name, itself skipped. */
function selected(ix: Index, st: AggState, i: number): Int32Array {
  const out: number[] = [];
  for (const sel of selectorsOf(ix.sortedClusterRoles[i]!)) matching(ix, st, sel, i, out);
  return Int32Array.from(out);
}

const ruleKeys = new WeakMap<object, string>();
function ruleKey(r: PolicyRule): string {
  let k = ruleKeys.get(r);
  if (k === undefined) {
    k = JSON.stringify(r);
    ruleKeys.set(r, k);
  }
  return k;
}

const MAX_NAMED = 20;
const names = (l: readonly string[]): string => l.slice(0, MAX_NAMED).join(', ') + (l.length > MAX_NAMED ? `, … +${l.length - MAX_NAMED}` : '');

/**
 * Resolves a ClusterRole. An aggregated one (an aggregationRule, no stored rules) gets what
 * clusterroleaggregation_controller.go converges to: the controller sets a role's rules to the
 * deduplicated rules of every OTHER ClusterRole its selectors match (byName), as those are stored
 * now, and re-queues every aggregated role whenever any ClusterRole changes; so across its passes a
 * chain of aggregated roles fills from its end, and roles that select each other (a cycle) end up
 * holding the union of what any of them selects. That fixed point is computed here at once over the
 * strongly connected components of the selection graph (Tarjan, with an explicit stack: a chain of
 * any length cannot overflow the call stack), each component after the ones it selects, so the cost
 * is the graph's size plus the rules produced. A component's roles share one rule list.
 */
export function resolveClusterRole(ix: Index, name: string): ResolvedRole | undefined {
  const key = `ClusterRole/${name}`;
  const cached = ix.resolved.get(key);
  if (cached) return cached;
  const cr = ix.clusterRoles.get(name);
  if (!cr) return undefined;
  if (!isComputed(cr)) {
    const res: ResolvedRole = { ref: { kind: 'ClusterRole', name }, rules: effectiveRules(storedRules(cr)), aggregated: false };
    ix.resolved.set(key, res);
    return res;
  }
  const st = aggState(ix);
  const i = st.pos.get(name)!;
  aggregate(ix, st, i);
  return st.resolved[i];
}

function aggregate(ix: Index, st: AggState, root: number): void {
  const stack: number[] = [];
  const edges = new Map<number, Int32Array>();
  const frames: { at: number; next: number; out: Int32Array }[] = [];
  const enter = (n: number): void => {
    st.order[n] = st.counter;
    st.low[n] = st.counter++;
    stack.push(n);
    st.onStack[n] = 1;
    const out = selected(ix, st, n);
    edges.set(n, out);
    frames.push({ at: n, next: 0, out });
  };
  enter(root);
  while (frames.length > 0) {
    const f = frames[frames.length - 1]!;
    const out = f.out;
    if (f.next < out.length) {
      const t = out[f.next++]!;
      if (!st.computed[t] || st.resolved[t]) continue; // a stored role, or one resolved already
      if (st.order[t] === -1) enter(t);
      else if (st.onStack[t]) st.low[f.at] = Math.min(st.low[f.at]!, st.order[t]!);
      continue;
    }
    frames.pop();
    const parent = frames[frames.length - 1];
    if (parent) st.low[parent.at] = Math.min(st.low[parent.at]!, st.low[f.at]!);
    if (st.low[f.at] !== st.order[f.at]) continue;
    const members: number[] = [];
    for (;;) {
      const m = stack.pop()!;
      st.onStack[m] = 0;
      members.push(m);
      if (m === f.at) break;
    }
    members.sort((a, b) => a - b);
    resolveComponent(ix, st, members, edges);
    for (const m of members) edges.delete(m);
  }
}

/** One strongly connected component of aggregated roles, every role it selects outside it resolved already. */
function resolveComponent(ix: Index, st: AggState, members: number[], edges: Map<number, Int32Array>): void {
  const all = ix.sortedClusterRoles;
  const c = ++st.component;
  for (const m of members) st.inside[m] = c;
  const rules: EffectiveRule[] = [];
  const seen = new Set<string>();
  const gaveBy = new Map<number, string[]>(); // member → the roles it selects that gave rules (up to MAX_NAMED + 1)
  let shared: EffectiveRule[] | undefined; // one source that is itself aggregated: its list is used as is
  let sources = 0;
  let selfLoop = false;
  for (const m of members) {
    const gave: string[] = [];
    const out = edges.get(m)!;
    for (let e = 0; e < out.length; e++) {
      const t = out[e]!;
      if (st.inside[t] === c) {
        selfLoop = true;
        continue; // what it holds comes from its own selections
      }
      // a role's rules are added once, however many members select it
      if (st.taken[t] === c) {
        if (gave.length <= MAX_NAMED && !gave.includes(all[t]!.metadata.name)) gave.push(all[t]!.metadata.name);
        continue;
      }
      st.taken[t] = c;
      const tName = all[t]!.metadata.name;
      const sub = st.computed[t] ? st.resolved[t] : resolveClusterRole(ix, tName);
      const subRules = sub?.rules ?? [];
      if (subRules.length === 0) continue;
      sources++;
      shared = sub?.aggregated && sources === 1 ? subRules : undefined;
      for (const r of subRules) {
        const k = ruleKey(r.rule);
        if (seen.has(k)) continue;
        seen.add(k);
        rules.push({ rule: r.rule, index: rules.length, from: r.from ?? tName });
      }
      if (gave.length <= MAX_NAMED) gave.push(tName);
    }
    gaveBy.set(m, gave);
  }
  const list = shared && sources === 1 ? shared : rules;
  const cycle = members.length > 1 || selfLoop;
  const memberNames = members.map((m) => all[m]!.metadata.name);
  for (const m of members) {
    const name = all[m]!.metadata.name;
    const ref: ObjectRef = { kind: 'ClusterRole', name };
    const gave = gaveBy.get(m) ?? [];
    ix.notes.push({
      kind: 'aggregated-role',
      object: ref,
      message: `ClusterRole ${name} has no stored rules but an aggregationRule: its rules were computed from ${
        gave.length > 0 ? names(gave) : 'no matching ClusterRole'
      }${cycle ? ` and ClusterRoles that select each other with it (${names(memberNames)}): each holds what any of them selects` : ''} (what the clusterrole-aggregation controller converges to)`,
    });
    const res: ResolvedRole = { ref, rules: list, aggregated: true };
    st.resolved[m] = res;
    ix.resolved.set(`ClusterRole/${name}`, res);
  }
}

export function resolveRoleRef(ix: Index, roleRef: RoleRef, bindingNamespace: string | undefined): ResolvedRole | undefined {
  if (roleRef.kind === 'ClusterRole') return resolveClusterRole(ix, roleRef.name);
  if (roleRef.kind === 'Role' && bindingNamespace) {
    const key = `Role/${bindingNamespace}/${roleRef.name}`;
    const cached = ix.resolved.get(key);
    if (cached) return cached;
    const role = ix.roles.get(`${bindingNamespace}/${roleRef.name}`);
    if (!role) return undefined;
    const res: ResolvedRole = {
      ref: { kind: 'Role', name: roleRef.name, namespace: bindingNamespace },
      rules: effectiveRules(storedRules(role)),
      aggregated: false,
    };
    ix.resolved.set(key, res);
    return res;
  }
  return undefined;
}

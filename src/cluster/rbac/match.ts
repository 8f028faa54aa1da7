// Rule matching after pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
// ResourceMatches, ResourceNameMatches) and label selectors after metav1.LabelSelectorAsSelector.

import type { LabelSelector, PolicyRule } from './types.ts';

// ---- matching (evaluation_helpers.go) ----

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs ?? []) if (v === '*' || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === '*' || g === group) return true;
  return false;
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** The kubelet-relevant verbs a rule allows, "*" kept as is. */
export function allowedVerbs(rule: PolicyRule, candidates: readonly string[]): string[] {
  const verbs = rule.verbs ?? [];
  if (verbs.includes('*')) return ['*'];
  return candidates.filter((v) => verbs.includes(v));
}

export function hasVerb(verbs: string[], v: string): boolean {
  return verbs.includes('*') || verbs.includes(v);
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

// ---- label selectors (metav1.LabelSelectorAsSelector) ----

export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // invalid selector: the controller errors out and aggregates nothing
    }
  }
  return true;
}

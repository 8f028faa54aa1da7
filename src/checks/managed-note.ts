// A failing result whose fix would edit a file the node's distribution writes again at every boot
// (src/distros: `managed`, when 'boot') must not tell the user to edit that file: the change would
// be undone (AKS, GKE and EKS rewrite them from the node pool or user data, Bottlerocket renders
// them from its settings, OpenShift's machine-config-daemon from the MachineConfigs). The finding
// then has no proposal for `kubelet-guard fix`; its noFix and remediation say where each change
// belongs instead (the setting for that key, where the distribution's data knows it), and the
// changes outside managed files are still said after them. Checks stay unaware of distributions;
// this runs on their results, like the refusal note.
import type { NodeFacts } from '../facts/types.ts';
import { distributionNamed, managedFile, managedWhy } from '../distros/index.ts';
import { describeFixes } from '../fix/describe.ts';
import type { CheckResult } from './types.ts';

export type ManagedNote = (r: CheckResult) => CheckResult;

export function managedNote(facts: NodeFacts): ManagedNote | undefined {
  const d = facts.distribution ? distributionNamed(facts.distribution.name) : undefined;
  if (!d?.managed?.some((m) => m.when === 'boot')) return undefined;
  return (r) => {
    if (r.status !== 'fail' || !r.fixes?.length) return r;
    const said = new Set<string>();
    const rest = r.fixes.filter((p) => {
      const m = managedFile(d, p.file);
      if (m?.when !== 'boot') return true;
      said.add(`${p.file} is not the place to change it: ${managedWhy(m, p)}`);
      return false;
    });
    if (said.size === 0) return r;
    const { fixes: _managed, ...kept } = r;
    const where = `${[...said].join('. ')}.`;
    return { ...kept, noFix: where, remediation: rest.length > 0 ? `${where} ${describeFixes(rest)}` : where };
  };
}

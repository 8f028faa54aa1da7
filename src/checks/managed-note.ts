// A failing result whose fix would edit a file the node's distribution writes again at every boot
// (src/distros: `managed`, when 'boot') must not tell the user to edit that file: the change would
// be lost (Bottlerocket renders it from its settings, OpenShift's machine-config-daemon from the
// MachineConfigs). The remediation then says where the change belongs instead, per change (the
// setting for that key); the proposals stay, so `kubelet-guard fix` refuses them with the same words.
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
      said.add(`${p.file}: ${managedWhy(m, p)}`);
      return false;
    });
    if (said.size === 0) return r;
    // the changes that can be made are still said, after the ones that cannot
    return { ...r, remediation: `${[...said].join('. ')}.${rest.length > 0 ? ` ${describeFixes(rest)}` : ''}` };
  };
}

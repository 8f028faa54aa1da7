// What a distribution changes in a failing result's advice (src/distros). The kubelet's restart:
// checks say `systemctl restart kubelet`, which is wrong where the kubelet runs inside k3s or
// kubelite; the distribution's own words (Distribution.restart) replace it.
//
// Managed files: a failing result whose fix would edit a file the node's distribution writes again at every boot
// (src/distros: `managed`, when 'boot') must not tell the user to edit that file: the change would
// be undone (AKS, GKE and EKS rewrite them from the node pool or user data, Bottlerocket renders
// them from its settings, OpenShift's machine-config-daemon from the MachineConfigs). The finding
// then has no proposal for `kubelet-guard fix`; its noFix and remediation say where each change
// belongs instead (the setting for that key, where the distribution's data knows it), and the
// changes outside managed files are still said after them. Checks stay unaware of distributions;
// this runs on their results, like the refusal note.
import type { NodeFacts } from '../facts/types.ts';
import { distributionNamed, managedFile, managedWhy } from '../distros/index.ts';
import { describeFixes, KUBELET_RESTART } from '../fix/describe.ts';
import type { CheckResult } from './types.ts';
import type { Distribution } from '../distros/types.ts';

export type DistributionNote = (r: CheckResult) => CheckResult;

export function distributionNote(facts: NodeFacts): DistributionNote | undefined {
  const d = facts.distribution ? distributionNamed(facts.distribution.name) : undefined;
  const restart = d?.restart;
  const managed = managedNote(d);
  if (!restart && !managed) return undefined;
  return (r) => {
    const m = managed ? managed(r) : r;
    return restart && m.remediation?.includes(KUBELET_RESTART) ? { ...m, remediation: m.remediation.replaceAll(KUBELET_RESTART, restart) } : m;
  };
}

function managedNote(d: Distribution | undefined): DistributionNote | undefined {
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

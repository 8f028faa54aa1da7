// CIS Kubernetes Benchmark v1.12 (kube-bench cfg/cis-1.12). Its ids are written once, in each
// check's own meta (`cis`, shown in docs/checks.md): this profile is built from them, so the
// default numbering and the checks' metadata can never disagree.
import { NODE_CHECKS } from '../checks/index.ts';
import { checks as ENDPOINT_CHECKS } from '../checks/scan/index.ts';
import type { Control, Profile } from './types.ts';

/** Every control some check's meta names, in the benchmark's order, with the checks that judge it. */
function controlsFromMeta(): Control[] {
  const byId = new Map<string, string[]>();
  for (const { meta } of [...NODE_CHECKS, ...ENDPOINT_CHECKS]) for (const id of meta.cis) byId.set(id, [...(byId.get(id) ?? []), meta.id]);
  const num = (id: string) => id.split('.').map(Number);
  const order = (a: string, b: string) => {
    const x = num(a), y = num(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
    return 0;
  };
  return [...byId.keys()].sort(order).map((id) => ({ id, checks: byId.get(id)! }));
}

export const cisKubernetes: Profile = {
  name: 'cis-kubernetes',
  benchmark: 'CIS Kubernetes Benchmark',
  version: '1.12',
  source: { repository: 'aquasecurity/kube-bench', commit: 'a73ce378418c71c5861e6963753f50dec3badadf', files: ['cfg/cis-1.12/master.yaml', 'cfg/cis-1.12/etcd.yaml', 'cfg/cis-1.12/node.yaml', 'cfg/cis-1.12/policies.yaml'] },
  scope: "The controls some check judges, from each check's own meta (docs/checks.md lists them); the benchmark's other controls (the controller manager, the scheduler, most API server flags, policies) hold nothing kubelet-guard judges.",
  controls: controlsFromMeta(),
};

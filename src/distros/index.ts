// Every distribution the node audit knows, most specific first: detection takes the first whose
// marks are on the node (kind before kubeadm, whose files a kind node also has; generic last).
import type { Distribution } from './types.ts';
import { talos } from './talos.ts';
import { microk8s } from './microk8s.ts';
import { k3s } from './k3s.ts';
import { rke2 } from './rke2.ts';
import { kind } from './kind.ts';
import { openshift } from './openshift.ts';
import { bottlerocket } from './bottlerocket.ts';
import { eksAl2023 } from './eks-al2023.ts';
import { eksAl2 } from './eks-al2.ts';
import { aks } from './aks.ts';
import { gke } from './gke.ts';
import { kubeadm } from './kubeadm.ts';
import { generic } from './generic.ts';

export const DISTRIBUTIONS: readonly Distribution[] = [talos, microk8s, k3s, rke2, kind, openshift, bottlerocket, eksAl2023, eksAl2, aks, gke, kubeadm, generic];

export function distributionNamed(name: string): Distribution | undefined {
  return DISTRIBUTIONS.find((d) => d.name === name);
}

/** The files a distribution writes again that cover this node path, if any. */
export function managedFile(d: Distribution, path: string): { when: 'boot' | 'upgrade'; why: string } | undefined {
  return d.managed?.find((m) => m.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
}

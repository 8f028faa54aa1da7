// Every distribution the node audit knows, most specific first: detection takes the first whose
// marks are on the node (kind before kubeadm, whose files a kind node also has; generic last).
import type { FixProposal } from '../fix/types.ts';
import type { Distribution, ManagedChange, ManagedFile } from './types.ts';
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
export function managedFile(d: Distribution, path: string): ManagedFile | undefined {
  return d.managed?.find((m) => m.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
}

/** Why a change to a managed file does not last and, for this proposal, where it belongs instead. */
export function managedWhy(m: ManagedFile, p?: FixProposal): string {
  const c = p ? changeOf(p) : undefined;
  const instead = c && m.instead ? m.instead(c) : '';
  return instead ? `${m.why}; ${instead}` : m.why;
}

function changeOf(p: FixProposal): ManagedChange | undefined {
  switch (p.kind) {
    case 'config-set': return { key: p.path.join('.'), value: p.value };
    case 'flag-set': return { flag: p.flag, ...(p.to !== null ? { value: flagValue(p.to) } : {}) };
    case 'flag-add': return { flag: p.flag, value: flagValue(p.text) };
    case 'mode': return { meta: 'mode' };
    case 'owner': return { meta: 'owner' };
    default: return undefined;
  }
}

/** `--name=value` or `--name value` → value */
function flagValue(word: string): string {
  const m = /^--?[^=\s]+[=\s](.*)$/s.exec(word);
  return m ? m[1]! : word;
}

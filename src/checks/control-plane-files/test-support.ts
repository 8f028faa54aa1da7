// Test support for the CIS 1.1 checks (only tests import this module): a kubeadm control-plane
// node with its four static pods and the stats of the files the checks judge.
import type { NodeFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import type { EtcdAccount } from '../../facts/types.ts';
import { factsFrom } from '../fixtures.ts';
import { component, withControlPlane } from '../control-plane/test-support.ts';
import type { ComponentFacts } from '../../facts/types.ts';

export const root = { uid: 0, gid: 0 };

export function kubeadmNode(files: Record<string, Partial<StatResult>>, opts: { components?: ComponentFacts[]; etcdAccount?: EtcdAccount; runAsUser?: number } = {}): NodeFacts {
  const components = opts.components ?? [component('kube-apiserver'), component('kube-controller-manager'), component('kube-scheduler'), component('etcd')];
  return factsFrom({
    patch: (f) => {
      withControlPlane({ components, files, ...(opts.etcdAccount ? { etcdAccount: opts.etcdAccount } : {}) })(f);
      if (opts.runAsUser !== undefined) {
        for (const m of f.staticPods!.manifests) for (const p of m.pods) for (const c of p.containers) if (c.name === 'etcd') c.runAsUser = opts.runAsUser;
      }
    },
  });
}

/** A node with no control-plane component (a worker). */
export function workerNode(): NodeFacts {
  return factsFrom({ patch: withControlPlane({ components: [] }) });
}

// Test support for the listener checks (only tests import this module).
import type { Listener, NodeFacts } from '../../facts/types.ts';
import { factsFrom, KUBEADM_CONFIG, type FactsSpec } from '../fixtures.ts';

export const KUBELET_PID = 812;

export const L = (proto: 'tcp' | 'tcp6', address: string, port: number, pid?: number, process?: string, inode = port * 10): Listener => ({
  proto,
  address,
  port,
  inode,
  ...(pid !== undefined ? { pid } : {}),
  ...(process !== undefined ? { process } : {}),
});

/** The kubelet's own listeners on a kubeadm node: [::]:10250 (dual stack) and 127.0.0.1:10248. */
export const KUBEADM_LISTENERS: Listener[] = [L('tcp6', '::', 10250, KUBELET_PID, 'kubelet'), L('tcp', '127.0.0.1', 10248, KUBELET_PID, 'kubelet')];

/** Live facts with a running kubelet (pid 812) and the given listeners. */
export function liveFacts(listeners: Listener[], spec: FactsSpec = { config: KUBEADM_CONFIG }, more?: (f: NodeFacts) => void): NodeFacts {
  return factsFrom({
    ...spec,
    patch: (f) => {
      f.mode = 'live';
      if (f.kubelet.invocation) {
        f.kubelet.invocation.from = 'process';
        f.kubelet.invocation.pid = KUBELET_PID;
      }
      f.listeners = { available: true, listeners };
      more?.(f);
    },
  });
}

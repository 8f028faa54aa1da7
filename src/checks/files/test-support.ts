// Test support for the CIS 4.1 file checks (only tests import this module).
import type { NodeFacts } from '../../facts/types.ts';
import type { CheckResult } from '../types.ts';

export const UNIT = '/usr/lib/systemd/system/kubelet.service';
export const UNIT_DROPIN = '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';
export const KUBECONFIG = '/etc/kubernetes/kubelet.conf';
export const CLIENT_CA = '/etc/kubernetes/pki/ca.crt';
export const PROXY_KUBECONFIG = '/var/lib/kube-proxy/kubeconfig';

/** patch: the kubelet is started by kubeadm's unit and drop-in */
export function withUnit(f: NodeFacts): void {
  f.kubelet.invocation!.unit = { file: UNIT, dropIns: [UNIT_DROPIN] };
}

/** patch: kube-proxy runs from a unit on the node with a kubeconfig */
export function withKubeProxy(f: NodeFacts): void {
  f.kubeProxy = { present: true, source: '/etc/systemd/system/kube-proxy.service', kubeconfig: PROXY_KUBECONFIG };
}

/** All results as an array. */
export function all(r: CheckResult | CheckResult[]): CheckResult[] {
  return Array.isArray(r) ? r : [r];
}

/** The result about one node path. */
export function about(r: CheckResult | CheckResult[], subject: string): CheckResult {
  const x = all(r).find((y) => y.subject === subject);
  if (!x) throw new Error(`no result about ${subject}`);
  return x;
}

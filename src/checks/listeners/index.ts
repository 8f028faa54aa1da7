// Listeners on a live node: the kubelet's ports against its effective configuration, the
// read-only port, kube-proxy's metrics port and etcd (kubelet-facts §1, §7).
import { withNoFix, type Check } from '../types.ts';
import { listenerKubeletPorts } from './kubelet-ports.ts';
import { listenerReadOnlyPort } from './read-only-port.ts';
import { listenerKubeProxyMetrics } from './kube-proxy.ts';
import { listenerEtcd } from './etcd.ts';

export const checks: Check[] = withNoFix(
  'a listener closes when the process holding it restarts with the fixed setting: the setting\'s own check carries the change',
  [listenerKubeletPorts, listenerReadOnlyPort, listenerKubeProxyMetrics, listenerEtcd],
);

// Every node check, in the order reports list them (sections in SECTIONS order).
import type { Check } from './types.ts';
import { checks as evidence } from './evidence/index.ts';
import { checks as files } from './files/index.ts';
import { checks as kubelet } from './kubelet/index.ts';
import { checks as kubeProxy } from './kube-proxy/index.ts';
import { checks as certs } from './certs/index.ts';
import { checks as versions } from './versions/index.ts';
import { checks as staticPods } from './static-pods/index.ts';
import { checks as controlPlaneFiles } from './control-plane-files/index.ts';
import { checks as controlPlane } from './control-plane/index.ts';
import { checks as etcd } from './etcd/index.ts';
import { checks as runtimeSockets } from './runtime-sockets/index.ts';
import { checks as listeners } from './listeners/index.ts';

export const NODE_CHECKS: readonly Check[] = [...evidence, ...files, ...kubelet, ...kubeProxy, ...certs, ...versions, ...staticPods, ...controlPlaneFiles, ...controlPlane, ...etcd, ...runtimeSockets, ...listeners];

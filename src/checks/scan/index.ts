// Every scan check, in the order reports list them: the kubelet's authentication and what it
// gives away, its other ports, its TLS, etcd, then what --collect found and the known CVEs.
import type { ScanCheck } from './types.ts';
import { kubeletAnonymousAlwaysAllow } from './kubelet-anonymous-alwaysallow.ts';
import { kubeletAnonymous } from './kubelet-anonymous.ts';
import { kubeletExecReachable } from './kubelet-exec-reachable.ts';
import { kubeletReadOnlyPort } from './kubelet-read-only-port.ts';
import { kubeletHealthzRemote } from './kubelet-healthz-remote.ts';
import { kubeletSelfSignedCert } from './kubelet-self-signed-cert.ts';
import { kubeletWeakTls } from './kubelet-weak-tls.ts';
import { etcdNoClientAuth } from './etcd-no-client-auth.ts';
import { etcdPlainHttp } from './etcd-plain-http.ts';
import { etcdPeerExposed } from './etcd-peer-exposed.ts';
import { secretsInPods } from './secrets-in-pods.ts';
import { kubeletCve } from './kubelet-cve.ts';

export type { EndpointCheck, HostCheck, ScanCheck } from './types.ts';

export const checks: ScanCheck[] = [
  kubeletAnonymousAlwaysAllow,
  kubeletAnonymous,
  kubeletExecReachable,
  kubeletReadOnlyPort,
  kubeletHealthzRemote,
  kubeletSelfSignedCert,
  kubeletWeakTls,
  etcdNoClientAuth,
  etcdPlainHttp,
  etcdPeerExposed,
  secretsInPods,
  kubeletCve,
];

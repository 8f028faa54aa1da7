// etcd (kubelet-facts §7): CIS v1.12 section 2 in benchmark order, then the plain-http listeners.
import { withNoFix, type Check } from '../types.ts';
import { etcdCertFile } from './cert-file.ts';
import { etcdClientCertAuth } from './client-cert-auth.ts';
import { etcdAutoTls } from './auto-tls.ts';
import { etcdPeerCertFile } from './peer-cert-file.ts';
import { etcdPeerClientCertAuth } from './peer-client-cert-auth.ts';
import { etcdPeerAutoTls } from './peer-auto-tls.ts';
import { etcdUniqueCa } from './unique-ca.ts';
import { etcdClientPlainHttp } from './client-plain-http.ts';
import { etcdMetricsPlainHttp } from './metrics-plain-http.ts';

export const checks: Check[] = withNoFix('etcd\'s TLS changes with certificates and with every client and peer that talks to it: a person plans that change', [
  etcdCertFile, // 2.1
  etcdClientCertAuth, // 2.2
  etcdAutoTls, // 2.3
  etcdPeerCertFile, // 2.4
  etcdPeerClientCertAuth, // 2.5
  etcdPeerAutoTls, // 2.6
  etcdUniqueCa, // 2.7
  etcdClientPlainHttp,
  etcdMetricsPlainHttp,
]);

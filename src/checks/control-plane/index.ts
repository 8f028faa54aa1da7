// The API server's side of the kubelet path (kubelet-facts §7), CIS 1.2 order.
import { withNoFix, type Check } from '../types.ts';
import { apiserverAnonymousAuth } from './anonymous-auth.ts';
import { apiserverKubeletClientCert } from './kubelet-client-cert.ts';
import { apiserverKubeletCertificateAuthority } from './kubelet-certificate-authority.ts';
import { apiserverAuthorizationNotAlwaysAllow } from './authorization-not-always-allow.ts';
import { apiserverAuthorizationNode } from './authorization-node.ts';
import { apiserverAuthorizationRbac } from './authorization-rbac.ts';
import { apiserverNodeRestriction } from './node-restriction.ts';

export const checks: Check[] = withNoFix('how the API server authenticates its clients and the kubelets changes with certificates and clients (kubeadm\'s probes call /livez and /readyz anonymously): a person plans that change', [
  apiserverAnonymousAuth, // 1.2.1
  apiserverKubeletClientCert, // 1.2.4
  apiserverKubeletCertificateAuthority, // 1.2.5
  apiserverAuthorizationNotAlwaysAllow, // 1.2.6
  apiserverAuthorizationNode, // 1.2.7
  apiserverAuthorizationRbac, // 1.2.8
  apiserverNodeRestriction, // 1.2.14
]);

// Without tlsCertFile/tlsPrivateKeyFile and without serverTLSBootstrap, the kubelet serves a
// certificate it signed itself (kubelet-facts §1). No client can verify it, so the API server talks
// to the kubelet without checking who answers (unless --kubelet-certificate-authority, which then
// fails), and every client learns to skip verification.
import type { Evidence } from '../types.ts';
import type { CheckResult } from '../types.ts';
import { hostPort, isService, notOpen, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const kubeletSelfSignedCert: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-self-signed-cert',
    title: 'The kubelet serves a certificate signed by a CA',
    section: EXPOSURE_SECTION,
    severity: 'high', // as the node audit's cert-serving-ca-signed: one fact, one severity
    cis: ['4.2.10', '1.2.5'],
    setting: 'serverTLSBootstrap',
    rationale:
      "A self-signed serving certificate cannot be verified: the API server's connections to the kubelet (logs, exec, port-forward) can be intercepted by whoever can redirect the traffic, and clients of the kubelet API are pushed to insecure-skip-tls-verify.",
    remediation: `Either set \`serverTLSBootstrap: true\` in the kubelet config file (the kubelet then asks the cluster CA for its serving certificate; approve the CSR: \`kubectl get csr\`, \`kubectl certificate approve <csr>\`), or set \`tlsCertFile\` and \`tlsPrivateKeyFile\` to a certificate signed by the cluster CA; ${RESTART}. Then give the API server \`--kubelet-certificate-authority\`.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const t = ep.tls;
    if (!t || t.error) return { status: 'unknown', message: `the serving certificate of ${hostPort(ep)} could not be read${t?.error ? `: ${t.error}` : ''}` };
    const evidence: Evidence[] = [{ note: `subject ${t.subject ?? '?'}; issuer ${t.issuer ?? '?'}${t.fingerprint256 ? `; SHA-256 ${t.fingerprint256}` : ''}` }];
    if (t.selfSigned === true) {
      return { status: 'fail', message: `${hostPort(ep)} serves a self-signed certificate (${t.subject ?? 'no subject'}): no client can verify it`, evidence };
    }
    if (t.selfSigned === false) return { status: 'pass', message: `${hostPort(ep)} serves a certificate issued by ${t.issuer ?? 'another certificate'}, not by itself`, evidence };
    return { status: 'unknown', message: `whether the certificate of ${hostPort(ep)} is self-signed could not be told`, evidence };
  },
};

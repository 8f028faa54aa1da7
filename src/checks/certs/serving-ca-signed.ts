// The certificate the kubelet actually serves on 10250 (kubelet-facts §1), judged from its file,
// not from the settings (CIS 4.2.9 judges those: kubelet-tls-cert-files).
//
// Self-signed means: nothing outside the file vouches for it. The kubelet's own pair
// (<cert-dir>/kubelet.crt, written by InitializeTLS when unreadable) is a leaf signed by a
// throwaway CA "<host>-ca@<unix>" whose key is discarded and whose certificate follows the leaf in
// the same file (client-go util/cert GenerateSelfSignedCertKeyWithFixtures): the leaf's issuer
// differs from its subject, yet it is as self-signed as a single self-signed certificate.
//
// A missing file: with neither tlsCertFile nor serverTLSBootstrap, the configuration alone decides
// that the kubelet writes (or has written) a self-signed pair at start, so that is a fail, not
// unknown. With serverTLSBootstrap on and no certificate issued yet the kubelet serves no
// certificate at all (every TLS handshake fails) until a CSR is approved: what it will serve
// cannot be known, so that is unknown.
import type { Check, CheckResult } from '../types.ts';
import { factEvidence, isKubeletThrowawayCA, isKubeletSelfSignedPair, noEvidence, ORIGIN } from './common.ts';

const REMEDIATION =
  'Give the kubelet a CA-signed serving certificate: set serverTLSBootstrap: true in the kubelet config file and approve the kubelet-serving CSRs (kubectl get csr; kube-controller-manager does not approve them by itself), or set tlsCertFile/tlsPrivateKeyFile to a certificate signed by the cluster CA; restart the kubelet, then start the API server with --kubelet-certificate-authority so it verifies the kubelet.';

export const servingCaSigned: Check = {
  meta: {
    id: 'cert-serving-ca-signed',
    title: "The kubelet's serving certificate is signed by a CA, not self-signed",
    section: 'certificates',
    // high, as kubelet-tls-cert-files (CIS 4.2.9): on a default kubeadm node both fail on one fact,
    // the kubelet's self-generated pair, and one fact never gets two severities.
    severity: 'high',
    cis: [],
    setting: 'tlsCertFile',
    rationale:
      'With a self-signed serving certificate the API server cannot verify the kubelet it talks to: --kubelet-certificate-authority cannot be used, so whoever can intercept traffic to port 10250 can impersonate the kubelet and read or alter exec, attach, port-forward and log streams.',
    remediation: REMEDIATION,
  },
  evaluate: (facts): CheckResult => {
    const none = noEvidence(facts);
    if (none) return none;
    const server = facts.kubelet.effective['enableServer'];
    if (server && !server.unknown && server.value === false) {
      return { status: 'not-applicable', message: 'enableServer is false: the kubelet serves no HTTPS API' };
    }
    const s = facts.certificates.find((c) => c.role === 'serving');
    if (!s) return { status: 'unknown', message: 'no serving certificate in the evidence' };
    const evidence = [factEvidence(s)];

    if (s.error !== undefined) {
      if (s.origin === ORIGIN.selfSigned && s.error === 'missing') {
        return {
          status: 'fail',
          message: `${s.path} does not exist yet, but with neither tlsCertFile nor serverTLSBootstrap set the kubelet writes a self-signed certificate there when it starts (InitializeTLS) and serves it`,
          evidence,
          remediation: REMEDIATION,
        };
      }
      if (s.origin === ORIGIN.rotatedServer && s.error === 'missing') {
        return {
          status: 'unknown',
          message: `not issued yet: serverTLSBootstrap is on but ${s.path} does not exist, so the kubelet serves no certificate (TLS handshakes on port 10250 fail) until its kubelet-serving CSR is approved (kubectl get csr)`,
          evidence,
        };
      }
      return { status: 'unknown', message: `the serving certificate ${s.path} cannot be examined: ${s.error}`, evidence };
    }

    if (s.selfSigned) {
      return {
        status: 'fail',
        message: `${s.path} is self-signed: its own key signs it (subject ${s.subject}${s.issuer !== s.subject ? `, naming ${s.issuer} as issuer` : ''}); origin: ${s.origin}`,
        evidence,
        remediation: REMEDIATION,
      };
    }
    const root = (s.chain ?? []).find((c) => c.selfSigned && c.subject === s.issuer);
    if (root && isKubeletThrowawayCA(root.subject) && isKubeletSelfSignedPair(s.subject, root.subject)) {
      return {
        status: 'fail',
        message: `${s.path} is the kubelet's self-signed pair: ${s.subject} is signed by the throwaway CA ${root.subject} shipped in the same file, whose key the kubelet discarded; nothing the API server trusts vouches for it`,
        evidence,
        remediation: REMEDIATION,
      };
    }
    const note = root
      ? `; the file also carries its root ${root.subject}: the API server trusts it only if --kubelet-certificate-authority names that CA`
      : '; the API server verifies it only when started with --kubelet-certificate-authority naming that CA';
    const placed = s.origin === ORIGIN.selfSigned ? ' (a CA-signed certificate placed where the kubelet would write its own; the kubelet keeps serving it while it is readable)' : '';
    return { status: 'pass', message: `${s.path} (${s.subject}) is signed by ${s.issuer}${placed}${note}`, evidence };
  },
};

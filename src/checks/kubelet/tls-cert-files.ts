// CIS 4.2.9. With tlsCertFile and tlsPrivateKeyFile both empty and serverTLSBootstrap false, the
// kubelet generates a self-signed certificate into its cert dir (kubelet-facts §1;
// cmd/kubelet/app/server.go InitializeTLS). With serverTLSBootstrap true it requests a serving
// certificate from the API server by CSR instead.
import type { NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, fixSetting, lookup } from '../setting.ts';

const CERT = 'tlsCertFile';
const KEY = 'tlsPrivateKeyFile';
const BOOTSTRAP = 'serverTLSBootstrap';

export const tlsCertFiles: Check = {
  meta: {
    id: 'kubelet-tls-cert-files',
    title: 'The kubelet serves a CA-signed certificate, not a self-signed one',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.9'],
    setting: CERT,
    rationale:
      'With a self-signed serving certificate nothing can verify the kubelet: the API server checks kubelet certificates only with --kubelet-certificate-authority, which a self-signed certificate cannot pass, so clients connect unverified and anyone able to intercept traffic to port 10250 can impersonate the kubelet and read the exec sessions, logs and credentials sent to it.',
    remediation:
      'Set serverTLSBootstrap: true in the kubelet config file (and approve the kubelet-serving CSRs), or set tlsCertFile and tlsPrivateKeyFile to a certificate signed by the cluster CA, then restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const cert = lookup(facts, CERT);
    const key = lookup(facts, KEY);
    const boot = lookup(facts, BOOTSTRAP);
    const evidence: Evidence[] = [];
    for (const [k, l] of [[CERT, cert], [KEY, key], [BOOTSTRAP, boot]] as const) if (l.ok) evidence.push(evidenceOf(k, l.s));

    if (boot.ok && boot.s.value === true) {
      return {
        status: 'pass',
        message: `serverTLSBootstrap is on: the kubelet requests a CA-signed serving certificate by CSR (signer kubernetes.io/kubelet-serving; such CSRs are not auto-approved by kube-controller-manager, so they need an approver); ${describeSource(boot.s)}`,
        evidence,
      };
    }
    const set = (l: typeof cert) => l.ok && typeof l.s.value === 'string' && l.s.value !== '';
    if (set(cert) && set(key) && cert.ok) {
      return { status: 'pass', message: `the kubelet serves ${String(cert.s.value)}; ${describeSource(cert.s)}`, evidence };
    }
    for (const [k, l] of [[BOOTSTRAP, boot], [CERT, cert], [KEY, key]] as const) {
      if (!l.ok) return { status: 'unknown', message: `${k} cannot be known: ${l.why}`, evidence };
    }
    if (set(cert) !== set(key)) {
      const only = set(cert) ? CERT : KEY;
      return { status: 'fail', message: `only ${only} is set: the kubelet needs both files of the pair`, evidence, remediation: remedy(facts, set(cert) ? KEY : CERT) };
    }
    const certDir = facts.kubelet.effective['--cert-dir'];
    const dir = certDir && !certDir.unknown && typeof certDir.value === 'string' && certDir.value !== '' ? certDir.value : '/var/lib/kubelet/pki';
    return {
      status: 'fail',
      message: `no serving certificate configured and serverTLSBootstrap off: the kubelet serves a self-signed certificate (${dir}/kubelet.crt)`,
      evidence,
      remediation: remedy(facts, CERT),
    };
  },
};

function remedy(facts: NodeFacts, missing: string): string {
  const boot = fixSetting(facts, BOOTSTRAP, true);
  return `${boot.replace(/; then restart.*$/, '')} and approve the node's kubelet-serving CSR (kubectl certificate approve), or set ${missing === CERT ? 'tlsCertFile and tlsPrivateKeyFile' : missing} to a certificate and key signed by the cluster CA; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).`;
}

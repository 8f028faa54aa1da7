// Every certificate the kubelet uses (serving, client, client CA, and every further certificate in
// those files) is valid at facts.now and for 30 more days.
//
// Certificates the kubelet rotates itself (the rotated client certificate with rotateCertificates,
// the rotated server certificate with serverTLSBootstrap) are renewed at a jittered 70–90% of
// their lifetime (client-go util/certificate/certificate_manager.go, nextRotationDeadline and
// jitteryDuration), so short-lived ones are always "within 30 days" of expiry: for those, a near
// expiry is only a finding once more than 90% of the lifetime has passed (rotation is late).
import type { NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { DAY_MS, describeCert, entries, factEvidence, noEvidence, ORIGIN, unreadable, type CertEntry } from './common.ts';

export const WARN_DAYS = 30;

export const notExpired: Check = {
  meta: {
    id: 'cert-not-expired',
    title: 'The kubelet certificates are within their validity dates, with 30 days left or renewed by the kubelet in time',
    section: 'certificates',
    severity: 'high',
    emits: [
      { severity: 'medium', when: 'the certificate is not valid yet (check the clock), or expires within the warning window (rotation not on, or failing)' },
    ],
    cis: [],
    rationale:
      'An expired serving certificate breaks kubectl exec/logs and metrics scraping (and tempts operators into --kubelet-insecure-tls); an expired client certificate takes the node off the API server; an expired client CA makes every client certificate fail authentication.',
    remediation:
      'Renew the certificate: for rotated certificates check that rotation works (rotateCertificates / serverTLSBootstrap, CSR approval, kubelet logs); for files you manage, replace them and restart the kubelet; kubeadm clusters: kubeadm certs check-expiration.',
  },
  evaluate: (facts): CheckResult[] | CheckResult => {
    const none = noEvidence(facts);
    if (none) return none;
    const now = Date.parse(facts.now);
    return [...entries(facts).map((e) => judge(facts, e, now)), ...unreadable(facts, 'the validity')];
  },
};

function rotates(facts: NodeFacts, e: CertEntry): boolean {
  if (e.index !== 0) return false;
  const eff = facts.kubelet.effective;
  if (e.fact.origin === ORIGIN.rotatedClient) return eff['rotateCertificates']?.value === true;
  if (e.fact.origin === ORIGIN.rotatedServer) return eff['serverTLSBootstrap']?.value === true;
  return false;
}

function judge(facts: NodeFacts, e: CertEntry, now: number): CheckResult {
  const what = describeCert(e);
  const evidence = [factEvidence(e.fact, `notBefore ${e.cert.notBefore}, notAfter ${e.cert.notAfter}`)];
  const base = { subject: e.label, evidence };
  const from = Date.parse(e.cert.notBefore ?? '');
  const to = Date.parse(e.cert.notAfter ?? '');
  if (Number.isNaN(from) || Number.isNaN(to)) return { ...base, status: 'unknown', message: `${what}: validity dates unknown` };
  if (now > to) {
    return { ...base, status: 'fail', severity: 'high', message: `${what} in ${e.fact.path} expired on ${e.cert.notAfter} (${days(now - to)} days ago)` };
  }
  if (now < from) {
    return { ...base, status: 'fail', severity: 'medium', message: `${what} in ${e.fact.path} is not valid before ${e.cert.notBefore} (check the node's clock)` };
  }
  const left = to - now;
  if (left > WARN_DAYS * DAY_MS) {
    return { ...base, status: 'pass', message: `${what} in ${e.fact.path} is valid until ${e.cert.notAfter} (${days(left)} days)` };
  }
  if (rotates(facts, e)) {
    const used = (now - from) / (to - from);
    if (used <= 0.9) {
      return {
        ...base,
        status: 'pass',
        message: `${what} in ${e.fact.path} expires on ${e.cert.notAfter} (${days(left)} days), ${Math.round(used * 100)}% of its lifetime used: the kubelet renews it at 70–90% of its lifetime (${e.fact.origin})`,
      };
    }
    return {
      ...base,
      status: 'fail',
      severity: 'medium',
      message: `${what} in ${e.fact.path} expires on ${e.cert.notAfter} (${days(left)} days) and ${Math.round(used * 100)}% of its lifetime has passed: the kubelet should have renewed it at 70–90%, so rotation is failing (CSR not approved? check the kubelet log)`,
    };
  }
  return { ...base, status: 'fail', severity: 'medium', message: `${what} in ${e.fact.path} expires on ${e.cert.notAfter}, in ${days(left)} days` };
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

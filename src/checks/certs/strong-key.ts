// Every certificate the kubelet uses carries a strong public key: RSA ≥ 2048 bits, EC ≥ 256 bits,
// or Ed25519/Ed448. The kubelet's own keys meet this (its self-signed pair is RSA-2048, rotated
// certificates are requested with ECDSA P-256: client-go util/cert and util/certificate); weak
// keys come from files someone else made.
import type { Check, CheckResult } from '../types.ts';
import { describeCert, entries, factEvidence, noEvidence, unreadable, type CertEntry } from './common.ts';

const MIN_BITS: Record<string, number> = { rsa: 2048, 'rsa-pss': 2048, ec: 256 };

export const strongKey: Check = {
  meta: {
    id: 'cert-strong-key',
    title: 'The kubelet certificates use strong keys',
    section: 'certificates',
    severity: 'high',
    cis: [],
    rationale:
      'A certificate with a short RSA key (below 2048 bits) or a small elliptic curve can be forged by factoring or by a discrete-log attack within reach of a determined attacker, who can then impersonate the kubelet, the node or the CA.',
    remediation: 'Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 (or larger) key, and restart the kubelet.',
  },
  evaluate: (facts): CheckResult[] | CheckResult => {
    const none = noEvidence(facts);
    if (none) return none;
    return [...entries(facts).map(judge), ...unreadable(facts, 'the key strength')];
  },
};

function judge(e: CertEntry): CheckResult {
  const { keyType, keyBits } = e.cert;
  const base = { subject: e.label, evidence: [factEvidence(e.fact, `${keyType ?? 'unknown'} key, ${keyBits ?? '?'} bits`)] };
  const what = `${describeCert(e)} in ${e.fact.path}`;
  if (!keyType) return { ...base, status: 'unknown', message: `${what}: key type unknown` };
  if (keyType === 'ed25519' || keyType === 'ed448') return { ...base, status: 'pass', message: `${what} has an ${keyType} key` };
  if (keyType === 'dsa') {
    return { ...base, status: 'fail', message: `${what} has a DSA key (${keyBits ?? '?'} bits): DSA is deprecated and Go's TLS stack does not support it` };
  }
  const min = MIN_BITS[keyType];
  if (min === undefined) return { ...base, status: 'unknown', message: `${what} has a ${keyType} key, which this check does not know` };
  if (keyBits === undefined) return { ...base, status: 'unknown', message: `${what}: size of the ${keyType} key unknown` };
  const name = keyType === 'ec' ? 'EC' : 'RSA';
  return keyBits >= min
    ? { ...base, status: 'pass', message: `${what} has a ${keyBits}-bit ${name} key` }
    : { ...base, status: 'fail', message: `${what} has a ${keyBits}-bit ${name} key, less than ${min} bits` };
}

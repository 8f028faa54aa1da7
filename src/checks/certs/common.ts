// Shared by the certificate checks: which certificates the evidence holds, one entry per
// certificate (leaf and every further certificate of the same PEM), and the words for them.
import type { CertificateFact, NodeFacts } from '../../facts/types.ts';
import type { CheckResult, Evidence } from '../types.ts';
import { ORIGIN } from '../../sources/certificates.ts';

export { ORIGIN };

type CertFields = Pick<CertificateFact, 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'selfSigned' | 'keyType' | 'keyBits'>;

/** One certificate to judge: the leaf of a fact, or a further certificate of its PEM. */
export interface CertEntry {
  fact: CertificateFact;
  cert: CertFields;
  /** 0 for the leaf, 1… for the chain members */
  index: number;
  /** the result's subject: the path, with "#n" for the n-th certificate of the file (1-based) */
  label: string;
}

export const ROLE_WORDS: Record<CertificateFact['role'], string> = {
  serving: 'serving certificate',
  client: 'client certificate',
  'client-ca': 'client CA',
};

/** Why no certificate can be judged at all, or undefined when there are facts to judge. */
export function noEvidence(facts: NodeFacts): CheckResult | undefined {
  if (facts.kubelet.missing) return { status: 'unknown', message: `no certificate evidence: ${facts.kubelet.missing}` };
  if (facts.certificates.length === 0) return { status: 'unknown', message: 'no certificate evidence: the kubelet configuration names no certificate file that could be examined' };
  return undefined;
}

/** Every certificate of every fact that parsed, leaf first. */
export function entries(facts: NodeFacts): CertEntry[] {
  const out: CertEntry[] = [];
  for (const fact of facts.certificates) {
    if (fact.error !== undefined) continue;
    const n = 1 + (fact.chain?.length ?? 0);
    out.push({ fact, cert: fact, index: 0, label: n > 1 ? `${fact.path}#1` : fact.path });
    (fact.chain ?? []).forEach((c, i) => out.push({ fact, cert: c, index: i + 1, label: `${fact.path}#${i + 2}` }));
  }
  return out;
}

/** The facts that could not be read or parsed: one unknown result each. */
export function unreadable(facts: NodeFacts, what: string): CheckResult[] {
  return facts.certificates
    .filter((f) => f.error !== undefined)
    .map((f) => ({
      status: 'unknown' as const,
      subject: f.path,
      message: `${what} of the ${ROLE_WORDS[f.role]} ${f.path} cannot be known: ${f.error}`,
      evidence: [factEvidence(f)],
    }));
}

export function factEvidence(f: CertificateFact, note?: string): Evidence {
  return { file: f.path, note: note ?? `${ROLE_WORDS[f.role]} (${f.origin})` };
}

export function describeCert(e: CertEntry): string {
  const pos = e.index === 0 ? '' : ` (certificate ${e.index + 1} of the file)`;
  return `the ${e.index === 0 ? ROLE_WORDS[e.fact.role] : 'certificate'} ${e.cert.subject ?? '(no subject)'}${pos}`;
}

/** The kubelet's own throwaway CA: "<host>-ca@<unix seconds>" (client-go util/cert). */
export function isKubeletThrowawayCA(dn: string | undefined): boolean {
  return !!dn && /(?:^|, )CN=[^,]*-ca@\d+(?:,|$)/.test(dn);
}

/**
 * The kubelet's self-signed pair: client-go GenerateSelfSignedCertKeyWithFixtures names the CA
 * "<host>-ca@<unix>" and the leaf "<host>@<unix>". Both names are needed: k3s and RKE2 name their
 * cluster CAs "k3s-server-ca@<unix>" (k3s-io/k3s pkg/daemons/control/deps) and sign a leaf named
 * after the node, which the API server trusts.
 */
export function isKubeletSelfSignedPair(leaf: string | undefined, ca: string | undefined): boolean {
  const c = /(?:^|, )CN=([^,]*)-ca@\d+(?:,|$)/.exec(ca ?? '');
  const l = /(?:^|, )CN=([^,]*)@\d+(?:,|$)/.exec(leaf ?? '');
  return !!c && !!l && c[1] === l[1];
}

export const DAY_MS = 86_400_000;

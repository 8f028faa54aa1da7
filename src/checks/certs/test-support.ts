// Test support for the certificate checks (only tests import this module): hand-written facts.
import type { CertificateFact, NodeFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import type { CheckResult } from '../types.ts';
import { ORIGIN } from './common.ts';

export const PKI = '/var/lib/kubelet/pki';
export const NOW = '2026-11-23T00:00:00Z'; // fixtures.ts factsFrom's facts.now

export function stat(path: string, over: Partial<StatResult> = {}): StatResult {
  return { path, exists: true, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1200, ...over };
}

/** A CA-signed serving certificate from tlsCertFile, valid for another year. */
export function serving(over: Partial<CertificateFact> = {}): CertificateFact {
  return {
    path: '/etc/kubernetes/pki/kubelet-serving.crt',
    role: 'serving',
    origin: ORIGIN.tlsCertFile,
    stat: stat('/etc/kubernetes/pki/kubelet-serving.crt'),
    key: stat('/etc/kubernetes/pki/kubelet-serving.key', { mode: 0o600 }),
    subject: 'CN=system:node:node1',
    issuer: 'CN=kubernetes',
    selfSigned: false,
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-12-31T00:00:00.000Z',
    keyType: 'ec',
    keyBits: 256,
    sans: ['DNS:node1'],
    ...over,
  };
}

/** The rotated client certificate (cert and key in one PEM). */
export function client(over: Partial<CertificateFact> = {}): CertificateFact {
  const p = `${PKI}/kubelet-client-current.pem`;
  return {
    path: p,
    role: 'client',
    origin: ORIGIN.rotatedClient,
    stat: stat(p, { mode: 0o600 }),
    key: stat(p, { mode: 0o600 }),
    subject: 'O=system:nodes, CN=system:node:node1',
    issuer: 'CN=kubernetes',
    selfSigned: false,
    notBefore: '2026-06-01T00:00:00.000Z',
    notAfter: '2027-06-01T00:00:00.000Z',
    keyType: 'ec',
    keyBits: 256,
    ...over,
  };
}

/** The cluster CA bundle at /etc/kubernetes/pki/ca.crt. */
export function clientCA(over: Partial<CertificateFact> = {}): CertificateFact {
  return {
    path: '/etc/kubernetes/pki/ca.crt',
    role: 'client-ca',
    origin: ORIGIN.clientCA,
    stat: stat('/etc/kubernetes/pki/ca.crt'),
    subject: 'CN=kubernetes',
    issuer: 'CN=kubernetes',
    selfSigned: true,
    notBefore: '2024-01-01T00:00:00.000Z',
    notAfter: '2034-01-01T00:00:00.000Z',
    keyType: 'rsa',
    keyBits: 2048,
    ...over,
  };
}

/** patch: put these certificate facts into NodeFacts */
export function certs(...list: CertificateFact[]): (f: NodeFacts) => void {
  return (f) => {
    f.certificates = list;
  };
}

export function arr(r: CheckResult | CheckResult[]): CheckResult[] {
  return Array.isArray(r) ? r : [r];
}

export function about(r: CheckResult | CheckResult[], subject: string): CheckResult {
  const x = arr(r).find((y) => y.subject === subject);
  if (!x) throw new Error(`no result about ${subject}: ${arr(r).map((y) => y.subject).join(', ')}`);
  return x;
}

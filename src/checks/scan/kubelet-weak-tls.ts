// TLS 1.0/1.1 or weak cipher suites (CBC-SHA1, 3DES, RC4) accepted on the kubelet API: the probes
// offer each protocol version and the weak suites one by one (TlsInfo.protocols, weakCiphers).
import type { CheckResult, Evidence } from '../types.ts';
import { WEAK_CIPHERS } from '../../scan/weak-ciphers.ts';
import { hostPort, isService, notOpen, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

/** the suites the probe offers one by one (src/scan/weak-ciphers.ts) */
const WEAK_NAMES = WEAK_CIPHERS.map((c) => c.name).join(', ');

const OLD = new Set(['TLSv1', 'TLSv1.1', 'SSLv3', 'SSLv2']);

const STRONG = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

export const kubeletWeakTls: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-weak-tls',
    title: 'The kubelet API accepts only TLS 1.2+ with strong cipher suites',
    section: EXPOSURE_SECTION,
    severity: 'medium',
    cis: ['4.2.12'],
    setting: 'tlsCipherSuites',
    rationale:
      'TLS 1.0 and 1.1 and the CBC-SHA1, 3DES and RC4 suites have practical attacks (BEAST, Lucky13, Sweet32); a kubelet that accepts them lets a network attacker downgrade the connections that carry exec sessions and logs.',
    remediation: `In the kubelet config file set \`tlsMinVersion: VersionTLS12\` and \`tlsCipherSuites: [${STRONG.join(', ')}]\` (or the flags --tls-min-version, --tls-cipher-suites); ${RESTART}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const t = ep.tls;
    if (!t || t.error || !t.protocols) return { status: 'unknown', message: `the TLS versions ${hostPort(ep)} accepts were not probed${t?.error ? `: ${t.error}` : ''}` };
    const old = t.protocols.filter((p) => OLD.has(p));
    const weak = t.weakCiphers ?? [];
    const evidence: Evidence[] = [{ note: `accepted protocols: ${t.protocols.join(', ') || 'none'}` }];
    if (t.weakCiphers) evidence.push({ note: `weak cipher suites accepted: ${weak.join(', ') || 'none'}` });
    if (old.length > 0 || weak.length > 0) {
      const what = [old.length > 0 ? `the old protocol${old.length > 1 ? 's' : ''} ${old.join(', ')}` : '', weak.length > 0 ? `the weak cipher suite${weak.length > 1 ? 's' : ''} ${weak.join(', ')}` : ''].filter(Boolean).join(' and ');
      return { status: 'fail', message: `${hostPort(ep)} accepts ${what}`, evidence };
    }
    // The probe records the versions it could not tell and the suites it could not offer.
    const oldUntold = (t.protocolsUntold ?? []).filter((v) => v === 'TLSv1' || v === 'TLSv1.1');
    if (oldUntold.length > 0) return { status: 'unknown', message: `${hostPort(ep)} accepts ${t.protocols.join(', ') || 'no version tried'}, but whether it accepts ${oldUntold.join(', ')} was not told (no answer)`, evidence };
    if (!t.weakCiphers) return { status: 'unknown', message: `${hostPort(ep)} accepts only ${t.protocols.join(', ')}, but the weak cipher suites were not probed`, evidence };
    // every weak suite must have been answered (tls-hello.ts offers those OpenSSL lacks): one not told may be accepted
    const untold = t.weakCiphersUntold ?? [];
    if (untold.length > 0) {
      evidence.push({ note: `weak suites not told: ${untold.join(', ')}` });
      return { status: 'unknown', message: `${hostPort(ep)} accepts only ${t.protocols.join(', ')} and refused the weak suites it answered about, but whether it accepts ${untold.join(', ')} was not told (no answer)`, evidence };
    }
    return { status: 'pass', message: `${hostPort(ep)} accepts only ${t.protocols.join(', ')} and refused every weak cipher suite offered (${WEAK_NAMES})`, evidence };
  },
};

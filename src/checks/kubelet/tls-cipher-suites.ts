// CIS 4.2.12. Read in the sources (not in kubelet-facts beyond the §4 table row):
// - the kubelet maps tlsCipherSuites names with component-base cliflag.TLSCipherSuites: Go's
//   tls.CipherSuites() and tls.InsecureCipherSuites() names plus two legacy CHACHA20 names; any
//   other name stops the kubelet ("Cipher suite X not supported or doesn't exist");
// - an empty list leaves Go's defaults. In every Go release kubelets ship with, the TLS 1.2
//   defaults include the four ECDHE ..._CBC_SHA suites (crypto/tls defaults.go: only CBC_SHA256,
//   RC4, and - since Go 1.22/1.23 - RSA key exchange and 3DES are removed from the defaults);
// - tlsMinVersion empty means TLS 1.2 (cliflag.DefaultTLSVersion); with VersionTLS13 the list is
//   ignored ("TLS 1.3 cipher suites are not configurable"), and all TLS 1.3 suites are AEAD.
// The strong set is kube-bench's cis-1.12 list (node.yaml 4.2.12) plus the TLS 1.3 suites.
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';

const SETTING = 'tlsCipherSuites';
const MIN = 'tlsMinVersion';

export const STRONG_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];
const STRONG = new Set([
  ...STRONG_SUITES,
  // Go's canonical names of the same two CHACHA20 suites
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  // TLS 1.3 (accepted by the kubelet, ignored for TLS 1.2)
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
]);
/** Names the kubelet accepts that are not in the strong set. */
const KNOWN_WEAK = new Set([
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
]);
/** Weak suites in Go's TLS 1.2 defaults in every Go version kubelets are built with. */
const GO_DEFAULT_WEAK = ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'];

export const tlsCipherSuites: Check = {
  meta: {
    id: 'kubelet-tls-cipher-suites',
    title: 'The kubelet accepts only strong TLS cipher suites',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.12'],
    setting: SETTING,
    rationale:
      "CBC-mode suites with SHA-1 MACs, RSA key exchange (no forward secrecy), 3DES and RC4 let a network attacker who records traffic to port 10250 attack it later (a stolen serving key decrypts RSA-key-exchange sessions) or exploit padding-oracle and SWEET32-class weaknesses. An empty list is not 'secure defaults': Go's TLS 1.2 defaults still include ECDHE CBC-SHA suites.",
    remediation: `Set tlsCipherSuites to ${STRONG_SUITES.join(',')} (or a subset), or tlsMinVersion: VersionTLS13, in the kubelet config file, and restart the kubelet.`,
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const list = Array.isArray(l.s.value) ? l.s.value.map(String) : [];
    const evidence: Evidence[] = [evidenceOf(SETTING, l.s)];
    const unknownNames = list.filter((n) => !STRONG.has(n) && !KNOWN_WEAK.has(n));
    if (unknownNames.length > 0) {
      return {
        status: 'fail',
        message: `${unknownNames.join(', ')} ${unknownNames.length > 1 ? 'are not cipher suites' : 'is not a cipher suite'} the kubelet knows: it refuses to start; ${describeSource(l.s)}`,
        evidence,
        ...settingFix(facts, SETTING, STRONG_SUITES, STRONG_SUITES.join(',')),
      };
    }
    const weak = list.length === 0 ? GO_DEFAULT_WEAK : list.filter((n) => !STRONG.has(n));
    if (weak.length === 0) return { status: 'pass', message: `only strong cipher suites: ${list.join(', ')}; ${describeSource(l.s)}`, evidence };

    // Weak TLS 1.2 suites only matter when TLS 1.2 is accepted at all.
    const min = lookup(facts, MIN);
    if (!min.ok) return { status: 'unknown', message: `${MIN} cannot be known: ${min.why}`, evidence };
    evidence.push(evidenceOf(MIN, min.s));
    if (min.s.value === 'VersionTLS13') {
      return { status: 'pass', message: `TLS 1.3 only (${MIN} VersionTLS13): the cipher suite list does not apply, all TLS 1.3 suites are AEAD; ${describeSource(min.s)}`, evidence };
    }
    const what =
      list.length === 0
        ? `no cipher suites set: Go's TLS 1.2 defaults include ${weak.join(', ')} (Go before 1.23 also 3DES, before 1.22 RSA key exchange)`
        : `weak cipher suites allowed: ${weak.join(', ')}`;
    return { status: 'fail', message: `${what}; ${describeSource(l.s)}`, evidence, ...settingFix(facts, SETTING, STRONG_SUITES, STRONG_SUITES.join(',')) };
  },
};

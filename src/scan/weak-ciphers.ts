// The weak TLS suites the kubelet probe offers one at a time (src/scan/kubelet.ts), as data: the
// checks name them too, and data is all they may import from the probes.
/** Weak suites (OpenSSL names, IANA ids), each offered alone over TLS ≤ 1.2. */
export const WEAK_CIPHERS: ReadonlyArray<{ name: string; id: number; why: string }> = [
  { name: 'DES-CBC3-SHA', id: 0x000a, why: '3DES (Sweet32), RSA key exchange' },
  { name: 'ECDHE-RSA-DES-CBC3-SHA', id: 0xc012, why: '3DES (Sweet32)' },
  { name: 'RC4-SHA', id: 0x0005, why: 'RC4, RSA key exchange' },
  { name: 'ECDHE-RSA-RC4-SHA', id: 0xc011, why: 'RC4' },
  { name: 'AES128-SHA', id: 0x002f, why: 'RSA key exchange, CBC-SHA1' },
  { name: 'AES256-SHA', id: 0x0035, why: 'RSA key exchange, CBC-SHA1' },
  { name: 'ECDHE-RSA-AES128-SHA', id: 0xc013, why: 'CBC-SHA1' },
  { name: 'ECDHE-ECDSA-AES128-SHA', id: 0xc009, why: 'CBC-SHA1' },
  { name: 'AES128-GCM-SHA256', id: 0x009c, why: 'RSA key exchange (no forward secrecy)' },
  { name: 'AES256-GCM-SHA384', id: 0x009d, why: 'RSA key exchange (no forward secrecy)' },
];

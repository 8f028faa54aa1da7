// Which certificates the kubelet uses, read the way the kubelet picks them, parsed into facts.
//
// Serving (kubelet-facts §1; cmd/kubelet/app/server.go InitializeTLS; pkg/kubelet/kubelet.go
// NewMainKubelet; client-go util/certificate/certificate_store.go fileStore.Current):
// - serverTLSBootstrap true: the server certificate manager's file store ("kubelet-server") serves
//   the first of <cert-dir>/kubelet-server-current.pem (cert and key in one PEM), then
//   tlsCertFile/tlsPrivateKeyFile, then <cert-dir>/kubelet-server.crt/.key; with none of them it
//   serves no certificate at all until a CSR is approved;
// - else tlsCertFile/tlsPrivateKeyFile when either is set;
// - else <cert-dir>/kubelet.crt + kubelet.key, written at start when unreadable. That file holds a
//   leaf signed by a throwaway CA "<host>-ca@<unix time>" followed by that CA (client-go
//   util/cert GenerateSelfSignedCertKeyWithFixtures), so the leaf alone does not look self-signed.
// Client (server.go buildKubeletClientConfig): with rotateCertificates the client certificate
// manager's store ("kubelet-client") prefers <cert-dir>/kubelet-client-current.pem over the
// kubeconfig's client-certificate; without rotation the kubeconfig's user is used as written.
// Client CA: authentication.x509.clientCAFile (§4), one or more CA certificates.
//
// Private keys are never parsed or copied: a key block only marks that the file holds a key, and
// kubeconfig `client-key-data`/`token` values are never read into a fact.
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { decodeK8sYaml, toPlain } from './k8s-yaml.ts';
import type { CertificateFact, EffectiveConfig, EffectiveSetting } from '../facts/types.ts';
import { joinNodePath, type RootFs, type StatResult } from './root-fs.ts';

export const MAX_CERT_BYTES = 1024 * 1024;
export const DEFAULT_CERT_DIR = '/var/lib/kubelet/pki';

/** How the kubelet came to use a certificate (CertificateFact.origin). Checks branch on these. */
export const ORIGIN = {
  tlsCertFile: 'tlsCertFile',
  tlsCertFileBeforeRotation: 'tlsCertFile (serverTLSBootstrap is on but no rotated server certificate exists yet)',
  rotatedServer: 'rotated server certificate (serverTLSBootstrap)',
  rotatedServerLegacyPair: 'kubelet-server.crt/.key in the cert dir (serverTLSBootstrap is on but no rotated server certificate exists yet)',
  selfSigned: 'self-signed, written by the kubelet',
  rotatedClient: 'rotated client certificate',
  kubeconfigClientCert: 'client-certificate of the kubelet kubeconfig',
  kubeconfigClientCertData: 'client-certificate-data embedded in the kubelet kubeconfig',
  clientCA: 'authentication.x509.clientCAFile',
  unknown: 'cannot be known',
} as const;

type CertInfo = Pick<CertificateFact, 'subject' | 'issuer' | 'selfSigned' | 'notBefore' | 'notAfter' | 'keyType' | 'keyBits' | 'sans'>;

type Parsed = { ok: true; certs: CertInfo[]; keyBlocks: number } | { ok: false; error: string };

export function readKubeletCertificates(fs: RootFs, effective: EffectiveConfig): CertificateFact[] {
  const out: CertificateFact[] = [];
  const certDir = nodePath(str(effective['--cert-dir']) || DEFAULT_CERT_DIR);
  const serving = servingCertificate(fs, effective, certDir);
  if (serving) out.push(serving);
  const client = clientCertificate(fs, effective, certDir);
  if (client) out.push(client);
  const ca = effective['authentication.x509.clientCAFile'];
  if (ca && !ca.unknown && typeof ca.value === 'string' && ca.value !== '') {
    out.push(readCertificate(fs, nodePath(ca.value), 'client-ca', ORIGIN.clientCA));
  }
  return out;
}

function servingCertificate(fs: RootFs, eff: EffectiveConfig, certDir: string): CertificateFact | undefined {
  const why = unknownOf(eff, ['tlsCertFile', 'tlsPrivateKeyFile', 'serverTLSBootstrap', '--cert-dir']);
  if (why) return unknownFact('serving', `which serving certificate the kubelet uses cannot be known: ${why}`);
  const certFile = str(eff['tlsCertFile']);
  const keyFile = str(eff['tlsPrivateKeyFile']);
  if (eff['serverTLSBootstrap']?.value === true) {
    const current = joinNodePath(certDir, 'kubelet-server-current.pem');
    const cur = fs.stat(current);
    if (cur.exists !== false) return readCertificate(fs, current, 'serving', ORIGIN.rotatedServer, current, cur);
    if (certFile && keyFile && fs.stat(nodePath(certFile)).exists !== false && fs.stat(nodePath(keyFile)).exists !== false) {
      return readCertificate(fs, nodePath(certFile), 'serving', ORIGIN.tlsCertFileBeforeRotation, nodePath(keyFile));
    }
    const crt = joinNodePath(certDir, 'kubelet-server.crt');
    const key = joinNodePath(certDir, 'kubelet-server.key');
    if (fs.stat(crt).exists !== false && fs.stat(key).exists !== false) {
      return readCertificate(fs, crt, 'serving', ORIGIN.rotatedServerLegacyPair, key);
    }
    return readCertificate(fs, current, 'serving', ORIGIN.rotatedServer, current, cur);
  }
  if (certFile) return readCertificate(fs, nodePath(certFile), 'serving', ORIGIN.tlsCertFile, keyFile ? nodePath(keyFile) : undefined);
  if (keyFile) {
    return {
      path: '(tlsCertFile not set)',
      role: 'serving',
      origin: ORIGIN.tlsCertFile,
      stat: { path: '', exists: false },
      key: fs.stat(nodePath(keyFile)),
      error: 'tlsPrivateKeyFile is set but tlsCertFile is not, so the kubelet has no serving certificate to load',
    };
  }
  return readCertificate(fs, joinNodePath(certDir, 'kubelet.crt'), 'serving', ORIGIN.selfSigned, joinNodePath(certDir, 'kubelet.key'));
}

function clientCertificate(fs: RootFs, eff: EffectiveConfig, certDir: string): CertificateFact | undefined {
  const kubeconfig = str(eff['--kubeconfig']);
  const rotation = eff['rotateCertificates'];
  // Unknown rotation: kubelet-client-current.pem is still the likelier one (kubeadm's kubeconfig names it).
  const rotating = rotation?.value === true || !!rotation?.unknown;
  if (rotating) {
    const current = joinNodePath(certDir, 'kubelet-client-current.pem');
    const cur = fs.stat(current);
    if (cur.exists !== false) return readCertificate(fs, current, 'client', ORIGIN.rotatedClient, current, cur);
    if (!kubeconfig) return readCertificate(fs, current, 'client', ORIGIN.rotatedClient, current, cur);
  }
  if (!kubeconfig) return undefined; // standalone kubelet: no API server, no client certificate
  const kcPath = nodePath(kubeconfig);
  const kc = readKubeconfigUser(fs, kcPath);
  if (!kc.ok) {
    return { path: kcPath, role: 'client', origin: ORIGIN.kubeconfigClientCert, stat: fs.stat(kcPath), error: `the kubelet kubeconfig cannot be read: ${kc.error}` };
  }
  const keyStat = kc.keyFile ? fs.stat(kc.keyFile) : kc.keyData ? fs.stat(kcPath) : undefined;
  if (kc.certFile) {
    return readCertificate(fs, kc.certFile, 'client', ORIGIN.kubeconfigClientCert, undefined, undefined, keyStat);
  }
  if (kc.certData !== undefined) {
    const fact: CertificateFact = { path: kcPath, role: 'client', origin: ORIGIN.kubeconfigClientCertData, stat: fs.stat(kcPath) };
    if (keyStat) fact.key = keyStat;
    return withParsed(fact, parsePem(kc.certData));
  }
  if (rotating) {
    const current = joinNodePath(certDir, 'kubelet-client-current.pem');
    return readCertificate(fs, current, 'client', ORIGIN.rotatedClient, current);
  }
  return undefined; // token or exec credentials: no client certificate
}

type KubeconfigUser =
  | { ok: true; certFile?: string; certData?: Buffer; keyFile?: string; keyData: boolean }
  | { ok: false; error: string };

/**
 * The current context's user of a kubeconfig (users[0] without a usable current-context). Only
 * the client certificate (a path or its data) and the key's *path* are kept; the presence of
 * client-key-data is noted, its value is never copied.
 */
function readKubeconfigUser(fs: RootFs, kcPath: string): KubeconfigUser {
  const r = fs.read(kcPath, MAX_CERT_BYTES);
  if (!r.ok) return { ok: false, error: r.code === 'ENOENT' ? 'missing' : r.error };
  // clientcmd reads kubeconfigs with sigs.k8s.io/yaml (merge keys applied, go-yaml's limits).
  const decoded = decodeK8sYaml(r.bytes.toString('utf8'));
  if (decoded.status !== 'ok') {
    const at = decoded.problem.line ? `line ${decoded.problem.line}: ` : '';
    return { ok: false, error: decoded.status === 'refused' ? `not valid YAML (${at}${decoded.problem.message})` : `not analysed (${at}${decoded.problem.message})` };
  }
  const doc = toPlain(decoded.root);
  if (!isObject(doc)) return { ok: false, error: 'not a kubeconfig' };
  const users = Array.isArray(doc['users']) ? doc['users'].filter(isObject) : [];
  const contexts = Array.isArray(doc['contexts']) ? doc['contexts'].filter(isObject) : [];
  const current = typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined;
  const ctx = contexts.find((c) => c['name'] === current)?.['context'];
  const userName = isObject(ctx) && typeof ctx['user'] === 'string' ? ctx['user'] : undefined;
  const entry = (userName !== undefined ? users.find((u) => u['name'] === userName) : undefined) ?? users[0];
  const user = entry && isObject(entry['user']) ? entry['user'] : undefined;
  if (!user) return { ok: true, keyData: false };
  const dir = path.posix.dirname(kcPath);
  const certFile = nonEmpty(user['client-certificate']);
  const keyFile = nonEmpty(user['client-key']);
  const certDataB64 = nonEmpty(user['client-certificate-data']);
  return {
    ok: true,
    // clientcmd resolves relative paths against the kubeconfig's folder
    ...(certFile ? { certFile: joinNodePath(dir, certFile) } : {}),
    ...(keyFile ? { keyFile: joinNodePath(dir, keyFile) } : {}),
    ...(certDataB64 ? { certData: Buffer.from(certDataB64, 'base64') } : {}),
    keyData: nonEmpty(user['client-key-data']) !== undefined,
  };
}

function readCertificate(
  fs: RootFs,
  certPath: string,
  role: CertificateFact['role'],
  origin: string,
  keyPath?: string,
  stat?: StatResult,
  keyStat?: StatResult,
): CertificateFact {
  const st = stat ?? fs.stat(certPath);
  const fact: CertificateFact = { path: certPath, role, origin, stat: st };
  const key = keyStat ?? (keyPath === undefined ? undefined : keyPath === certPath ? st : fs.stat(keyPath));
  if (key) fact.key = key;
  if (st.exists === false) return { ...fact, error: 'missing' };
  const r = fs.read(certPath, MAX_CERT_BYTES);
  if (!r.ok) return { ...fact, error: r.code === 'ENOENT' ? 'missing' : r.error };
  return withParsed(fact, parsePem(r.bytes));
}

function withParsed(fact: CertificateFact, p: Parsed): CertificateFact {
  if (!p.ok) return { ...fact, error: p.error };
  const [leaf, ...chain] = p.certs;
  const out: CertificateFact = { ...fact, ...leaf };
  if (chain.length > 0) out.chain = chain.map(({ sans: _sans, ...c }) => c);
  return out;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * All CERTIFICATE blocks of a PEM text, in order (Go's tls.X509KeyPair and cert.ParseCertsPEM:
 * the first is the leaf). Key blocks are counted, never decoded. A CERTIFICATE block that does not
 * parse is an error, as it is for the kubelet.
 */
export function parsePem(bytes: Buffer): Parsed {
  if (bytes.length === 0) return { ok: false, error: 'empty file' };
  const text = bytes.toString('latin1');
  const certs: CertInfo[] = [];
  let keyBlocks = 0;
  let blocks = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks++;
    const type = m[1]!;
    if (type.endsWith('PRIVATE KEY')) {
      keyBlocks++;
      continue; // never decoded, never copied
    }
    if (type !== 'CERTIFICATE') continue;
    const body = m[2]!;
    if (/^[^\n]*:/m.test(body.trim())) continue; // a block with headers: Go's ParseCertsPEM skips it
    try {
      certs.push(describe(new X509Certificate(Buffer.from(body.replace(/\s+/g, ''), 'base64'))));
    } catch (e) {
      return { ok: false, error: `invalid certificate (block ${blocks}): ${(e as Error).message}` };
    }
  }
  if (certs.length === 0) {
    return { ok: false, error: blocks === 0 ? 'not a PEM certificate' : 'not a PEM certificate (no CERTIFICATE block)' };
  }
  return { ok: true, certs, keyBlocks };
}

function describe(c: X509Certificate): CertInfo {
  const info: CertInfo = {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    // Self-signed is what the signature says, not the names: a certificate its own key verifies
    // vouches only for itself, whatever issuer it names (an issuer DN is free text to whoever signs).
    selfSigned: verifiesItself(c),
    notBefore: c.validFromDate.toISOString(),
    notAfter: c.validToDate.toISOString(),
  };
  try {
    const k = c.publicKey;
    const type = k.asymmetricKeyType;
    if (type) info.keyType = type;
    const bits = keyBits(type, k.asymmetricKeyDetails);
    if (bits !== undefined) info.keyBits = bits;
  } catch {
    // an algorithm node:crypto does not know: keyType stays unset, checks say unknown
  }
  if (c.subjectAltName) info.sans = splitSans(c.subjectAltName);
  return info;
}

function verifiesItself(c: X509Certificate): boolean {
  try {
    return c.verify(c.publicKey);
  } catch {
    return false;
  }
}

const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192r1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256r1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

function keyBits(type: string | undefined, d: { modulusLength?: number; namedCurve?: string } | undefined): number | undefined {
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      return d?.modulusLength;
    case 'ec': {
      const curve = d?.namedCurve;
      if (!curve) return undefined;
      const known = CURVE_BITS[curve];
      if (known) return known;
      const m = /(\d{3})/.exec(curve); // brainpoolP256r1 …
      return m ? Number(m[1]) : undefined;
    }
    case 'ed25519':
      return 256;
    case 'ed448':
      return 448;
    default:
      return undefined;
  }
}

/** "CN=a\nO=b" (node:crypto) → "CN=a, O=b". */
function dn(s: string): string {
  return s.split('\n').filter((x) => x !== '').join(', ');
}

function splitSans(s: string): string[] {
  return s.split(/,\s*(?=[A-Za-z][A-Za-z ]*:)/).map((x) => x.trim()).filter((x) => x !== '');
}

function unknownFact(role: CertificateFact['role'], error: string): CertificateFact {
  return { path: `(${role} certificate)`, role, origin: ORIGIN.unknown, stat: { path: '', exists: null, error }, error };
}

function unknownOf(eff: EffectiveConfig, settings: string[]): string | undefined {
  for (const s of settings) {
    const v = eff[s];
    if (v?.unknown) return v.unknown;
  }
  return undefined;
}

function str(s: EffectiveSetting | undefined): string {
  return s && !s.unknown && typeof s.value === 'string' ? s.value : '';
}

function nodePath(p: string): string {
  return joinNodePath('/', p);
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// The identity a scan probes with: nothing (anonymous), a bearer token, a client certificate, or
// what a kubeconfig's current context names. The secret itself never reaches a report: the label
// says what it is and shows a short fingerprint at most.
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { SECRET_ENV_NAME } from '../facts/redact.ts';
import { reasonOf } from '../sources/errno.ts';
import { decodeK8sYaml, toPlain } from '../sources/k8s-yaml.ts';

export interface Identity {
  token?: string;
  cert?: string;
  key?: string;
  label: string;
}

export interface IdentityOptions {
  token?: string;
  tokenFile?: string;
  cert?: string;
  key?: string;
  kubeconfig?: string;
}

const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

function certLabel(pem: string): string {
  try {
    return `client certificate ${new X509Certificate(pem).subject.replace(/\n/g, ', ')}`;
  } catch {
    throw new Error('the client certificate is not a PEM certificate');
  }
}

/**
 * Throws a clear message for bad input; returns undefined for an anonymous scan. Every credential
 * read (a token, a key, a kubeconfig user's secrets) is handed to `onSecret` as soon as it is read,
 * for the output layer to mask wherever it reappears (a server may echo it).
 */
export function readIdentity(o: IdentityOptions, readFile: (p: string) => string, onSecret: (s: string) => void = () => {}): Identity | undefined {
  const id = readIdentityInner(o, (p, secret) => {
    const text = readFile(p);
    if (secret) onSecret(text);
    return text;
  }, onSecret);
  if (id?.token !== undefined) onSecret(id.token);
  if (id?.key !== undefined) onSecret(id.key);
  return id;
}

type Reader = (p: string, secret: boolean) => string;

function readIdentityInner(o: IdentityOptions, readFile: Reader, onSecret: (s: string) => void): Identity | undefined {
  const given = [o.token !== undefined, o.tokenFile !== undefined, o.cert !== undefined || o.key !== undefined, o.kubeconfig !== undefined].filter(Boolean).length;
  if (given > 1) throw new Error('give one identity: --token, --token-file, --cert with --key, or --kubeconfig');
  if (o.token !== undefined) {
    onSecret(o.token);
    if (o.token.trim() === '') throw new Error('--token is empty');
    return { token: o.token.trim(), label: `bearer token (sha256 ${fingerprint(o.token.trim())}…)` };
  }
  if (o.tokenFile !== undefined) {
    const t = read(readFile, o.tokenFile, '--token-file', true).trim();
    if (t === '') throw new Error(`--token-file ${o.tokenFile} is empty`);
    return { token: t, label: `bearer token from ${o.tokenFile} (sha256 ${fingerprint(t)}…)` };
  }
  if (o.cert !== undefined || o.key !== undefined) {
    if (!o.cert || !o.key) throw new Error('--cert and --key go together');
    const cert = read(readFile, o.cert, '--cert');
    return { cert, key: read(readFile, o.key, '--key', true), label: certLabel(cert) };
  }
  if (o.kubeconfig !== undefined) return fromKubeconfig(o.kubeconfig, readFile, onSecret);
  return undefined;
}

function read(readFile: Reader, p: string, flag: string, secret = false): string {
  try {
    return readFile(p, secret);
  } catch (e) {
    throw new Error(`${flag} ${p}: ${reasonOf(e)}`, { cause: e });
  }
}

/** The current context's user: token, token file, or client certificate (files or inline data). */
function fromKubeconfig(file: string, readFile: Reader, onSecret: (s: string) => void): Identity {
  // As kubectl reads it: sigs.k8s.io/yaml on go-yaml v2 (merge keys applied, go-yaml's limits).
  const decoded = decodeK8sYaml(read(readFile, file, '--kubeconfig'));
  if (decoded.status !== 'ok') {
    const at = decoded.problem.line ? `line ${decoded.problem.line}: ` : '';
    throw new Error(`--kubeconfig ${file}: ${decoded.status === 'refused' ? 'not valid YAML' : 'too large to read'} (${at}${decoded.problem.message})`);
  }
  const doc = toPlain(decoded.root);
  const kc = (doc ?? {}) as { 'current-context'?: string; contexts?: Array<{ name?: string; context?: { user?: string } }>; users?: Array<{ name?: string; user?: Record<string, unknown> }> };
  const ctxName = kc['current-context'];
  const ctx = kc.contexts?.find((c) => c.name === ctxName)?.context;
  const userName = ctx?.user;
  const user = (userName !== undefined ? kc.users?.find((u) => u.name === userName) : kc.users?.[0])?.user;
  if (!user) throw new Error(`--kubeconfig ${file}: no user for the current context${ctxName ? ` "${ctxName}"` : ''}`);
  registerUserSecrets(user, onSecret);
  const dir = path.dirname(file);
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, p));
  const str = (k: string) => (typeof user[k] === 'string' ? (user[k] as string) : undefined);
  if (str('token')) return { token: str('token')!, label: `bearer token of kubeconfig user ${userName ?? '(first)'} (sha256 ${fingerprint(str('token')!)}…)` };
  if (str('tokenFile')) {
    const t = read(readFile, abs(str('tokenFile')!), 'tokenFile', true).trim();
    return { token: t, label: `bearer token of kubeconfig user ${userName ?? '(first)'} (sha256 ${fingerprint(t)}…)` };
  }
  const certData = str('client-certificate-data');
  const keyData = str('client-key-data');
  const cert = certData ? Buffer.from(certData, 'base64').toString('utf8') : str('client-certificate') ? read(readFile, abs(str('client-certificate')!), 'client-certificate') : undefined;
  const key = keyData ? Buffer.from(keyData, 'base64').toString('utf8') : str('client-key') ? read(readFile, abs(str('client-key')!), 'client-key', true) : undefined;
  if (cert && key) return { cert, key, label: `${certLabel(cert)} (kubeconfig user ${userName ?? '(first)'})` };
  if (user['exec'] || user['auth-provider']) {
    throw new Error(`--kubeconfig ${file}: user ${userName ?? '(first)'} gets its credentials from an exec plugin or auth provider, which scan does not run; get a token (e.g. kubectl create token) and give --token-file`);
  }
  throw new Error(`--kubeconfig ${file}: user ${userName ?? '(first)'} has no token or client certificate`);
}

/** A kubeconfig user's secrets: token, password, key data (as written and decoded), auth-provider tokens, exec env credentials. */
function registerUserSecrets(user: Record<string, unknown>, onSecret: (s: string) => void): void {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  for (const k of ['token', 'password']) if (str(user[k])) onSecret(str(user[k])!);
  const keyData = str(user['client-key-data']);
  if (keyData) {
    onSecret(keyData);
    onSecret(Buffer.from(keyData, 'base64').toString('utf8'));
  }
  const ap = user['auth-provider'] as { config?: Record<string, unknown> } | undefined;
  for (const [k, v] of Object.entries(ap?.config ?? {})) if (/token|secret/i.test(k) && str(v)) onSecret(str(v)!);
  const env = (user['exec'] as { env?: unknown } | undefined)?.env;
  // an exec plugin's environment: only the variables named like credentials (AWS_PROFILE=default is none)
  for (const e of Array.isArray(env) ? (env as Array<{ name?: unknown; value?: unknown } | null>) : []) {
    if (typeof e?.name === 'string' && SECRET_ENV_NAME.test(e.name) && str(e.value)) onSecret(e.value as string);
  }
}

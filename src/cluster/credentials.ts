// The credentials the cluster command's kubeconfig holds or its auth produces at run time, handed to
// the invocation's secrets registry (src/report/secrets.ts) so that the output layer masks them
// wherever they reappear — an API server echoing a token in a Status message, an error quoting a
// URL. Called from fetch.ts: once the kubeconfig is loaded, and after every (re-)run of its auth.
import type { OutgoingHttpHeaders } from 'node:http';
import { SECRET_ENV_NAME } from '../facts/redact.ts';

type User = import('@kubernetes/client-node').User;

/** A kubeconfig user's own secrets: token, password, key data (as written and decoded), auth-provider tokens, exec env credentials. */
export function userCredentials(user: User | null | undefined): string[] {
  if (!user) return [];
  const out: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === 'string' && v !== '') out.push(v);
  };
  push(user.token);
  push(user.password);
  if (user.keyData) {
    push(user.keyData);
    push(Buffer.from(user.keyData, 'base64').toString('utf8'));
  }
  const config = (user.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  for (const [k, v] of Object.entries(config)) if (/token|secret/i.test(k)) push(v);
  const env = (user.exec as { env?: unknown } | undefined)?.env;
  // an exec plugin's environment: only the variables named like credentials (AWS_PROFILE=default is none)
  if (Array.isArray(env)) for (const e of env as Array<{ name?: unknown; value?: unknown } | null>) if (typeof e?.name === 'string' && SECRET_ENV_NAME.test(e.name)) push(e.value);
  return out;
}

/** What applyToHTTPSOptions produced: the Authorization header's credentials (an exec plugin's token), basic auth, the client key. */
export function authCredentials(o: { headers?: unknown; auth?: string | null; key?: unknown }): string[] {
  const out: string[] = [];
  const h = (o.headers ?? {}) as OutgoingHttpHeaders;
  for (const v of [h['Authorization'], h['authorization']]) {
    if (typeof v !== 'string') continue;
    out.push(v);
    const sp = v.indexOf(' ');
    if (sp > 0) out.push(v.slice(sp + 1).trim());
  }
  if (typeof o.auth === 'string' && o.auth !== '') {
    out.push(o.auth, Buffer.from(o.auth).toString('base64'));
    const colon = o.auth.indexOf(':');
    if (colon >= 0) out.push(o.auth.slice(colon + 1));
  }
  const keys = Array.isArray(o.key) ? o.key : [o.key];
  for (const k of keys) {
    if (typeof k === 'string') out.push(k);
    else if (Buffer.isBuffer(k)) out.push(k.toString('utf8'));
  }
  return out;
}

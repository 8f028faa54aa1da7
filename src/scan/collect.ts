// `scan --collect`: what an attacker gets from an exposed kubelet, read from the bodies the probes
// fetched. Pure: bytes in, JSON-able facts out; no network, no file, no clock. Every function here
// takes bytes from a host that may be hostile, so none of them throws, all work is capped, and no
// secret value is ever kept: a secret-looking env var is recorded by name, place, reason and the
// first 8 hex digits of the SHA-256 of its value (enough to tell two findings apart or to match a
// value you already know, useless to recover it).
//
// Sources: kubelet-facts §2 (routes), §4 (defaults), §5 (precedence); the kubelet's /pods is the
// v1 PodList of the pods bound to the node as the kubelet holds them (after API-server admission),
// /metrics is Prometheus text with `kubernetes_build_info`, /configz is
// `{"kubeletconfig": <the kubelet's configuration converted to v1beta1>}` (cmd/kubelet/app/server.go
// setConfigz/initConfigz: the configuration after --config, drop-ins, flags and defaulting).
import { createHash } from 'node:crypto';
import type { EffectiveConfig, EffectiveSetting, NodeFacts, Provenance, SettingValue } from '../facts/types.ts';
import { REDACTED, redactUrl } from '../facts/redact.ts';
import { FLAG_ONLY_SETTINGS } from '../kubelet/effective-config.ts';
import { normalizeGoDuration } from '../kubelet/go-duration.ts';
import { V1BETA1_FIELDS, zeroValue, type FieldSpec } from '../kubelet/kubelet-schema.ts';
import type { CollectedFacts } from './types.ts';

export type PodsFacts = NonNullable<CollectedFacts['pods']>;
export type SecretEnv = PodsFacts['secretEnv'][number];

/**
 * Work caps: pods analysed, containers per pod (all kinds), env entries per container, entries kept
 * per list, and characters kept of a hostPath. What is kept stays with the endpoint until the
 * report is written (table and json hold every endpoint), so it is bounded per endpoint: about
 * 1.5 MB at most per list.
 */
export const LIMITS = { pods: 10_000, containersPerPod: 100, envPerContainer: 1_000, entries: 1_000, pathChars: 1024 } as const;

/**
 * Shapes of JSON answers analysed: JSON.parse holds every object and list (a 16 MiB body of `{},`
 * is 5.5 million objects, 700 MiB), so a body past these is refused before it is parsed. A kubelet's
 * PodList of a few hundred pods, managedFields included, has tens of thousands of objects and
 * nests about 20 levels; its configz a few hundred objects.
 */
export const JSON_LIMITS = {
  pods: { containers: 1_000_000, depth: 1000 },
  configz: { containers: 100_000, depth: 1000 },
} as const;
/** A kubelet refuses to start with a feature gate it does not know (k8s.io/component-base/featuregate
 *  feature_gate.go SetFromMap: "unrecognized feature gate"), and it knows a few hundred. */
export const MAX_FEATURE_GATES = 2_000;

/** The service-account token folder the ServiceAccount admission plugin mounts in every container. */
const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

// ─── Small helpers over untrusted JSON ─────────────────────────────────────────────────────────

type Json = Record<string, unknown>;

function obj(x: unknown): Json | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : undefined;
}

function arr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

function own(o: Json | undefined, k: string): unknown {
  return o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** A name from the remote host as it may be printed: no control characters, bounded. */
export function clean(text: string, max = 253): string {
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The first 8 hex digits of the value's SHA-256: the only trace of a secret value that is kept. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}

/**
 * Bytes → JSON, or why not. The parser's own message is never passed on: V8 quotes a piece of the
 * input in it ("…"AKIA…" is not valid JSON"), which could be a secret.
 */
function parseJson(body: Buffer, what: string, limits: { containers: number; depth: number }): { ok: true; value: unknown } | { ok: false; error: string } {
  if (body.length === 0) return { ok: false, error: `the ${what} answer is empty` };
  const shape = jsonShapeError(body, limits);
  if (shape) return { ok: false, error: `the ${what} answer ${shape} (${body.length} bytes): not analysed` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, error: `the ${what} answer is not UTF-8 text (${body.length} bytes): not the kubelet's JSON` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    return { ok: false, error: `the ${what} answer is not valid JSON${at !== undefined ? ` (error at character ${at})` : ''} (${body.length} bytes)` };
  }
}

/**
 * Whether the JSON text stays within `limits` of objects and lists (counted together) and of
 * nesting, by one pass over the bytes (strings skipped; UTF-8 continuation bytes are never ASCII).
 * Says what was passed, or undefined; malformed JSON is left to JSON.parse.
 */
export function jsonShapeError(body: Uint8Array, limits: { containers: number; depth: number }): string | undefined {
  let containers = 0;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 0x22) {
      // a string: to the closing quote, past escapes
      for (i++; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++containers > limits.containers) return `holds more than ${limits.containers.toLocaleString('en-US')} JSON objects and lists`;
      if (++depth > limits.depth) return `nests JSON deeper than ${limits.depth} levels (at byte ${i})`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

// ─── /pods ──────────────────────────────────────────────────────────────────────────────────────

function emptyPods(): PodsFacts {
  return { count: 0, privileged: [], hostPaths: [], serviceAccountTokens: 0, serviceAccounts: [], secretEnv: [] };
}

/**
 * The kubelet's /pods (a v1 PodList): how many pods, privileged containers, hostPath volumes,
 * service-account tokens mounted, and env vars whose literal value looks like a secret.
 *
 * Service-account tokens, decided from what the JSON makes certain: the pods here are past
 * admission, so the ServiceAccount plugin's work is visible in the spec. A token is mounted when a
 * container mounts either a projected volume with a `serviceAccountToken` source (the
 * `kube-api-access-*` volume, or any hand-written projected token), or a secret volume at
 * /var/run/secrets/kubernetes.io/serviceaccount (the legacy secret-based token, before 1.22).
 * `automountServiceAccountToken` alone proves nothing: the plugin has already acted on it, and a
 * pod that set it false has no such volume. `serviceAccountTokens` counts pods, and
 * `serviceAccounts` names them with their service account: anyone who can exec into one of those
 * containers (exposure-kubelet-exec-reachable) holds that account's API rights.
 *
 * Env vars: only literal `value`s are in the PodList (a `valueFrom` secretKeyRef is resolved
 * by the kubelet when it starts the container and is not in the spec), so only those are judged.
 */
export function analysePods(body: Buffer, truncated: boolean): PodsFacts {
  try {
    return podsOf(body, truncated);
  } catch (e) {
    // a bug here must not stop the scan; the message names no part of the body
    return { ...emptyPods(), error: `internal error analysing /pods: ${e instanceof Error ? e.name : 'exception'}` };
  }
}

function podsOf(body: Buffer, truncated: boolean): PodsFacts {
  const out = emptyPods();
  if (truncated) {
    return {
      ...out,
      truncated: true,
      error: `the /pods answer was cut at the read limit (${body.length} bytes read); a partial PodList is not analysed: raise the body limit to see the pods`,
    };
  }
  const parsed = parseJson(body, '/pods', JSON_LIMITS.pods);
  if (!parsed.ok) return { ...out, error: parsed.error };
  const root = obj(parsed.value);
  if (!root) return { ...out, error: 'the /pods answer is JSON but not an object: not a PodList' };
  const kind = own(root, 'kind');
  if (kind !== undefined && kind !== 'PodList') {
    return { ...out, error: `the /pods answer is a ${typeof kind === 'string' ? `"${clean(kind, 40)}"` : 'JSON object'}, not a PodList` };
  }
  const rawItems = own(root, 'items');
  if (rawItems !== undefined && rawItems !== null && !Array.isArray(rawItems)) {
    return { ...out, error: 'the /pods answer has "items" that is not a list: not a PodList' };
  }
  if (kind === undefined && rawItems === undefined) return { ...out, error: 'the /pods answer has neither "kind" nor "items": not a PodList' };
  const items = arr(rawItems);
  out.count = items.length;
  const limited: string[] = [];
  if (items.length > LIMITS.pods) limited.push(`only the first ${LIMITS.pods} of ${items.length} pods were analysed`);
  let containersCut = 0;
  let envCut = 0;
  let entriesCut = 0;
  const push = <T>(list: T[], entry: T): void => {
    if (list.length < LIMITS.entries) list.push(entry);
    else entriesCut++;
  };

  for (const item of items.slice(0, LIMITS.pods)) {
    const pod = obj(item);
    const meta = obj(own(pod, 'metadata'));
    const spec = obj(own(pod, 'spec'));
    const namespace = clean(str(own(meta, 'namespace')) ?? '');
    const name = clean(str(own(meta, 'name')) ?? '');

    // volumes by name: hostPath, projected token, secret
    const volumes = new Map<string, 'token' | 'secret' | 'other'>();
    for (const v of arr(own(spec, 'volumes'))) {
      const vol = obj(v);
      const vname = str(own(vol, 'name'));
      const hostPath = obj(own(vol, 'hostPath'));
      const path = str(own(hostPath, 'path'));
      if (path !== undefined) push(out.hostPaths, { namespace, pod: name, path: clean(path, LIMITS.pathChars) });
      const sources = arr(own(obj(own(vol, 'projected')), 'sources'));
      const isToken = sources.some((s) => obj(own(obj(s), 'serviceAccountToken')) !== undefined);
      const isSecret = obj(own(vol, 'secret')) !== undefined;
      if (vname !== undefined) volumes.set(vname, isToken ? 'token' : isSecret ? 'secret' : 'other');
    }

    const all = [...arr(own(spec, 'initContainers')), ...arr(own(spec, 'containers')), ...arr(own(spec, 'ephemeralContainers'))];
    if (all.length > LIMITS.containersPerPod) containersCut++;
    let tokenMounted = false;
    for (const c of all.slice(0, LIMITS.containersPerPod)) {
      const ctr = obj(c);
      const cname = clean(str(own(ctr, 'name')) ?? '');
      if (own(obj(own(ctr, 'securityContext')), 'privileged') === true) push(out.privileged, { namespace, pod: name, container: cname });
      for (const m of arr(own(ctr, 'volumeMounts'))) {
        const mount = obj(m);
        const kindOf = volumes.get(str(own(mount, 'name')) ?? '');
        const at = (str(own(mount, 'mountPath')) ?? '').replace(/\/+$/, '');
        if (kindOf === 'token' || (kindOf === 'secret' && at === SA_MOUNT)) tokenMounted = true;
      }
      const env = arr(own(ctr, 'env'));
      if (env.length > LIMITS.envPerContainer) envCut++;
      for (const e of env.slice(0, LIMITS.envPerContainer)) {
        const entry = obj(e);
        const ename = str(own(entry, 'name'));
        const value = str(own(entry, 'value'));
        if (ename === undefined || value === undefined || value === '') continue;
        const why = secretReasons(ename, value);
        if (why.length > 0) push(out.secretEnv, { namespace, pod: name, container: cname, name: clean(ename), fingerprint: fingerprint(value), why: why.join('; ') });
      }
    }
    if (tokenMounted) {
      out.serviceAccountTokens++;
      const sa = str(own(spec, 'serviceAccountName')) ?? str(own(spec, 'serviceAccount')) ?? 'default';
      push(out.serviceAccounts!, { namespace, pod: name, serviceAccount: clean(sa) });
    }
  }
  if (containersCut > 0) limited.push(`${containersCut} pod${containersCut === 1 ? ' has' : 's have'} more than ${LIMITS.containersPerPod} containers; only the first ${LIMITS.containersPerPod} of each were analysed`);
  if (envCut > 0) limited.push(`${envCut} container${envCut === 1 ? ' has' : 's have'} more than ${LIMITS.envPerContainer} env vars; only the first ${LIMITS.envPerContainer} of each were judged`);
  if (entriesCut > 0) limited.push(`${entriesCut} further entries were left out (at most ${LIMITS.entries} per list)`);
  if (limited.length > 0) {
    out.truncated = true;
    out.limited = limited.join('; ');
  }
  return out;
}

// ─── Secret-looking env vars ───────────────────────────────────────────────────────────────────

/** Words that make a variable name secret-like, as whole words of the name. */
const SECRET_WORDS = new Set([
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASSPHRASE', 'PASS', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS',
  'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY', 'AUTHTOKEN', 'BEARER', 'COOKIE',
]);
/** Word pairs that do (API_KEY, ACCESS_KEY, PRIVATE_KEY, …). */
const SECRET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['API', 'KEY'], ['ACCESS', 'KEY'], ['PRIVATE', 'KEY'], ['SECRET', 'KEY'], ['SIGNING', 'KEY'], ['ENCRYPTION', 'KEY'],
  ['MASTER', 'KEY'], ['AUTH', 'KEY'], ['LICENSE', 'KEY'], ['SESSION', 'KEY'], ['CONNECTION', 'STRING'], ['CLIENT', 'SECRET'],
];
/**
 * A last word that says the variable describes a secret instead of holding it: PASSWORD_FILE is a
 * path, TOKEN_TTL a duration, SECRET_NAME the name of a Secret object.
 */
const ABOUT_WORDS = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'REF', 'TTL', 'TIMEOUT', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'ENABLED', 'ENABLE', 'DISABLED',
  'TYPE', 'LENGTH', 'LEN', 'SIZE', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'ISSUER', 'AUDIENCE', 'ALGORITHM', 'ALG', 'HEADER', 'LOCATION',
  'PROVIDER', 'FORMAT', 'ID', 'MOUNT', 'SECONDS', 'DURATION', 'INTERVAL', 'COUNT', 'LIMIT', 'VERSION', 'MODE', 'POLICY', 'KIND', 'STORE', 'NAMESPACE',
]);

/** The words of an env var name: `dbPassword` → DB PASSWORD, `AWS_SECRET_ACCESS_KEY` → AWS SECRET ACCESS KEY. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/** Why the name looks like it holds a secret, or undefined. */
function nameReason(name: string): string | undefined {
  const w = words(name);
  if (w.length === 0) return undefined;
  const upper = name.toUpperCase();
  if (upper === 'PWD' || upper === 'OLDPWD') return undefined; // the shell's working directory
  if (ABOUT_WORDS.has(w[w.length - 1]!)) return undefined;
  for (const x of w) if (SECRET_WORDS.has(x)) return `the name looks like a secret (${x})`;
  for (let i = 0; i + 1 < w.length; i++) {
    for (const [a, b] of SECRET_PAIRS) if (w[i] === a && w[i + 1] === b) return `the name looks like a secret (${a}_${b})`;
  }
  return undefined;
}

/** A value a secret-sounding name does not make secret: a flag, a path, a reference to another var. */
function harmlessValue(v: string): boolean {
  const t = v.trim();
  if (t === '') return true;
  if (/^(true|false|yes|no|on|off|enabled|disabled|none|null)$/i.test(t)) return true;
  if (/^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(t) || /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(t)) return true; // $(VAR) expansion
  if (/^\/[^\s]*$/.test(t)) return true; // an absolute path (a mounted secret file)
  return false;
}

/**
 * Value shapes of well-known credentials. Values come from a hostile host, so every test is linear
 * in the value: quantifiers are bounded, and a pattern that could be retried at every position of
 * a long run (a JWT in "eyJeyJeyJ…", a URL scheme in "aaaa…") is only tried where its literal
 * marker is, anchored there.
 */
const VALUE_SHAPES: ReadonlyArray<{ test: (v: string) => boolean; why: string }> = [
  { test: (v) => /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/.test(v), why: 'the value looks like an AWS access key id (AKIA…/ASIA…)' },
  { test: (v) => atMarker(v, 'eyJ', /^eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,}\./, 32), why: 'the value looks like a JWT (eyJ….eyJ….…), e.g. a bearer token' },
  { test: (v) => /(?:^|[^A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,255})/.test(v), why: 'the value looks like a GitHub token' },
  { test: (v) => /(?:^|[^A-Za-z0-9])glpat-[A-Za-z0-9_-]{20}/.test(v), why: 'the value looks like a GitLab token' },
  { test: (v) => /(?:^|[^A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,255}/.test(v), why: 'the value looks like a Slack token (xox…)' },
  { test: (v) => /hooks\.slack\.com\/services\/[A-Za-z0-9]{1,64}\/[A-Za-z0-9]{1,64}/.test(v), why: 'the value looks like a Slack webhook URL' },
  { test: (v) => /(?:^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/.test(v), why: 'the value looks like a Google API key' },
  { test: (v) => /(?:^|[^A-Za-z0-9])[sr]k_live_[0-9A-Za-z]{16,255}/.test(v), why: 'the value looks like a Stripe live key' },
  { test: (v) => atMarker(v, '-----BEGIN ', /^-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/, 16), why: 'the value holds a PEM private key' },
  { test: (v) => atMarker(v, '://', /^:\/\/[^\s/:@]{0,256}:[^\s/@]{1,256}@/, 32), why: 'the value is a URL with a password in it' },
  { test: (v) => /(?:^|[;\s])(?:password|pwd|accountkey|sharedaccesskey)[ \t]{0,8}=[ \t]{0,8}[^;\s]/i.test(v), why: 'the value is a connection string with a password or key' },
];

/** Whether `re` (anchored with ^) matches where `marker` occurs, at the first `max` occurrences. */
function atMarker(v: string, marker: string, re: RegExp, max: number): boolean {
  let i = v.indexOf(marker);
  for (let n = 0; i >= 0 && n < max; n++) {
    if (re.test(v.slice(i, i + 8192))) return true;
    i = v.indexOf(marker, i + marker.length);
  }
  return false;
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * The entropy below which a string of n characters is not called random: about the 1st percentile
 * of random alphanumeric strings of that length (measured), so few random tokens fall under it.
 */
const ENTROPY_BAR: ReadonlyArray<readonly [number, number]> = [[20, 3.55], [24, 3.8], [32, 4.15], [40, 4.35], [48, 4.55], [64, 4.85], [100, 5.15], [4096, 5.3]];

function entropyBar(n: number): number {
  let prev = ENTROPY_BAR[0]!;
  for (const cur of ENTROPY_BAR) {
    if (n <= cur[0]) return cur === prev ? cur[1] : prev[1] + ((n - prev[0]) / (cur[0] - prev[0])) * (cur[1] - prev[1]);
    prev = cur;
  }
  return prev[1];
}

/** Mean length of the runs of lower-case letters: words in camel case have long ones, random text short ones. */
function meanLowerRun(s: string): number {
  const runs = s.match(/[a-z]+/g) ?? [];
  return runs.length === 0 ? 0 : runs.reduce((n, r) => n + r.length, 0) / runs.length;
}

/**
 * A long random-looking token: 20+ characters of the base64/base64url/alphanumeric alphabet with
 * upper case, lower case and digits, high entropy, and no words in it. Hex-only strings (commit
 * hashes, digests, UUIDs) have no upper case and are left to the name check; identifiers in camel
 * case (ProductionDatabaseReplicaSet01) have long lower-case runs.
 */
function looksRandom(v: string): boolean {
  const t = v.trim();
  if (t.length < 20 || t.length > 4096 || !/^[A-Za-z0-9+/_=-]+$/.test(t)) return false;
  if (!/[A-Z]/.test(t) || !/[a-z]/.test(t) || !/[0-9]/.test(t)) return false;
  if (meanLowerRun(t) >= 3) return false;
  return entropy(t) >= entropyBar(t.length);
}

/** Why an env var looks like it holds a secret (empty: it does not). Never quotes the value. */
export function secretReasons(name: string, value: string): string[] {
  const why: string[] = [];
  const byName = nameReason(name);
  if (byName && !harmlessValue(value)) why.push(byName);
  // credentials are short (a 4096-bit PEM key is about 3.3 KB): the first 16 KiB are judged
  const v = value.length > 16_384 ? value.slice(0, 16_384) : value;
  for (const s of VALUE_SHAPES) if (s.test(v)) why.push(s.why);
  if (why.length === 0 && looksRandom(v)) why.push('the value looks like a long random token (high entropy)');
  return why;
}

// ─── /metrics ───────────────────────────────────────────────────────────────────────────────────

/**
 * The kubelet version (and its platform, `linux/amd64`) from
 * `kubernetes_build_info{…,git_version="v1.31.4",…,platform="linux/amd64"} 1` in Prometheus
 * text format: labels in any order, escaped quotes, backslashes and newlines in label values,
 * comments and a timestamp after the value.
 */
export function analyseMetrics(text: string): { kubeletVersion?: string; platform?: string; error?: string } {
  try {
    let seen = false;
    // line by line without splitting: millions of short lines would be millions of strings
    for (let start = 0, end = 0; start < text.length; start = end + 1) {
      end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (!text.slice(start, Math.min(end, start + 256)).trimStart().startsWith('kubernetes_build_info')) continue;
      const line = text.slice(start, end).trim();
      const rest = line.slice('kubernetes_build_info'.length);
      if (rest !== '' && !/^[{\s]/.test(rest)) continue; // kubernetes_build_info_other
      seen = true;
      const labels = parseLabels(rest.trimStart());
      const v = labels?.get('git_version');
      if (v === undefined) continue;
      if (v.length <= 64 && /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+_-]*)?$/.test(v)) {
        // platform="linux/amd64": which OS-specific advisories apply (exposure-kubelet-cve)
        const platform = labels?.get('platform');
        return platform !== undefined && /^[a-z0-9]+\/[a-z0-9_]+$/.test(platform) ? { kubeletVersion: v, platform } : { kubeletVersion: v };
      }
      return { error: `kubernetes_build_info gives git_version "${clean(v, 64)}", which is not a Kubernetes version` };
    }
    return { error: seen ? 'kubernetes_build_info has no readable git_version label' : 'no kubernetes_build_info metric in the /metrics answer' };
  } catch (e) {
    return { error: `internal error reading /metrics: ${e instanceof Error ? e.name : 'exception'}` };
  }
}

const MAX_LABEL_VALUE = 4096;

/** `{a="x",b="y\"z"}` → Map; undefined when malformed or a value is longer than 4096 characters. */
function parseLabels(s: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  if (!s.startsWith('{')) return out; // no labels
  let i = 1;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t' || s[i] === ',') i++;
    if (i >= s.length) return undefined;
    if (s[i] === '}') return out;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i, i + 256));
    if (!m) return undefined;
    const key = m[0];
    i += key.length;
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] !== '=') return undefined;
    i++;
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] !== '"') return undefined;
    i++;
    let v = '';
    for (;;) {
      const ch = s[i];
      if (ch === undefined) return undefined;
      if (ch === '"') break;
      if (v.length >= MAX_LABEL_VALUE) return undefined; // no label we read is this long
      if (ch === '\\') {
        const n = s[i + 1];
        if (n === undefined) return undefined;
        v += n === 'n' ? '\n' : n;
        i += 2;
        continue;
      }
      v += ch;
      i++;
    }
    i++;
    if (!out.has(key)) out.set(key, v);
  }
}

// ─── /configz ───────────────────────────────────────────────────────────────────────────────────

const KUBELET_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

type Found = { kind: 'found'; value: unknown } | { kind: 'absent' } | { kind: 'blocked'; why: string };

function at(root: Json, path: string): Found {
  let cur: Json = root;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i]!;
    if (!Object.hasOwn(cur, k) || cur[k] === null) return { kind: 'absent' };
    const v = cur[k];
    if (i === parts.length - 1) return { kind: 'found', value: v };
    const next = obj(v);
    if (!next) return { kind: 'blocked', why: `configz gives ${parts.slice(0, i + 1).join('.')} as ${describe(v)}, expected an object` };
    cur = next;
  }
  return { kind: 'absent' };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A configz value checked against the field's type and normalised as the node audit does. */
function convert(f: FieldSpec, v: unknown): { value: SettingValue } | { error: string } {
  const bad = (want: string) => ({ error: `configz gives ${f.path} as ${describe(v)}, expected ${want}` });
  switch (f.type) {
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : bad('true or false');
    case 'int32':
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? { value: v } : bad('an integer');
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : bad('a number');
    case 'string':
      return typeof v === 'string' ? { value: v } : bad('a string');
    case 'duration': {
      if (typeof v !== 'string') return bad('a duration string');
      const d = normalizeGoDuration(v);
      return d === undefined ? { error: `configz gives ${f.path} as an invalid duration` } : { value: d };
    }
    case 'stringList':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? { value: [...(v as string[])] } : bad('a list of strings');
    case 'boolMap':
    case 'stringMap': {
      const o = obj(v);
      const want = f.type === 'boolMap' ? 'boolean' : 'string';
      if (!o || !Object.values(o).every((x) => typeof x === want)) return bad(`an object of ${want} values`);
      return { value: { ...o } };
    }
    case 'objectList':
      return Array.isArray(v) ? { value: structuredClone(v) as SettingValue } : bad('a list');
    default:
      return v !== null && typeof v === 'object' ? { value: structuredClone(v) as SettingValue } : bad('an object');
  }
}

/** Values that hold credentials are redacted before they become facts (src/facts/redact.ts). */
function redactValue(path: string, v: SettingValue): SettingValue {
  if (path === 'staticPodURL' && typeof v === 'string' && v !== '') return redactUrl(v);
  if (path === 'staticPodURLHeader' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.keys(v).map((k) => [k, [REDACTED]]));
  }
  return v;
}

/**
 * The kubelet's /configz answer turned into the EffectiveConfig the node audit builds from files and
 * flags, every setting with source kind 'configz'.
 *
 * What configz shows: the kubelet's configuration object after --config, drop-ins, explicit flags
 * and the v1beta1 defaulter, converted from the internal type to v1beta1 and printed with Go's
 * encoding/json. So there is nothing left to default, and absence has a precise meaning:
 * - every v1beta1 field is tagged `omitempty`, which drops a zero scalar, an empty list or map, a
 *   nil pointer, but never a struct: an absent scalar, list or map field is its zero value (false,
 *   0, "", [], {}) — e.g. no `readOnlyPort` means 0, the port is off;
 * - a struct-typed field (every duration, `logging`, `memorySwap`) is always printed, "0s"
 *   included: absent means this kubelet version predates the field, so the setting is `unknown`;
 * - a pointer field that the defaulter fills (`authentication.anonymous.enabled`,
 *   `enableDebuggingHandlers`, …) is never nil after defaulting, and the conversion from the
 *   internal type always sets it: absent means this kubelet version has no such field, so the
 *   setting is `unknown` rather than guessed;
 * - a pointer field that is never defaulted (`singleProcessOOMKill`, `maxParallelImagePulls`,
 *   `tracing`, …) is absent when nil; it gets the zero value, as the node audit gives it.
 * Flag-only settings (`--hostname-override`, `--kubeconfig`, …) are not part of the configuration
 * object and are `unknown`. `seccompDefault` is ORed with the --seccomp-default flag outside the
 * configuration object (server.go createAndInitKubelet), so configz proves it on, never off.
 * Credentials (staticPodURL userinfo and query, staticPodURLHeader values) are redacted.
 */
export function configzToEffective(body: Buffer, host: string): { effective?: EffectiveConfig; error?: string } {
  try {
    const parsed = parseJson(body, '/configz', JSON_LIMITS.configz);
    if (!parsed.ok) return { error: parsed.error };
    const root = obj(parsed.value);
    if (!root) return { error: 'the /configz answer is JSON but not an object' };
    if (obj(own(root, 'componentconfig')) && !obj(own(root, 'kubeletconfig'))) {
      return { error: 'the /configz answer is the pre-1.10 "componentconfig" (v1alpha1) form, which is not read; the kubelet is far out of support' };
    }
    const kc = obj(own(root, 'kubeletconfig'));
    if (!kc) return { error: 'the /configz answer has no "kubeletconfig" object: not a kubelet configz' };
    const apiVersion = own(kc, 'apiVersion');
    if (apiVersion !== undefined && apiVersion !== KUBELET_API_VERSION) {
      return { error: `the /configz answer is ${typeof apiVersion === 'string' ? `"${clean(apiVersion, 80)}"` : 'of an unknown version'}, not ${KUBELET_API_VERSION}` };
    }
    const detail = `live configz from ${clean(host, 300)}`;
    const source: Provenance = { kind: 'configz', detail };
    const eff: EffectiveConfig = {};
    for (const f of V1BETA1_FIELDS) eff[f.path] = settingOf(kc, f, source, detail);

    // Feature gates one by one, as the node audit gives them. configz lists only the gates the
    // configuration sets; the others keep the default of the kubelet's version.
    const gates = eff['featureGates'];
    const gateCount = gates?.value && typeof gates.value === 'object' && !Array.isArray(gates.value) ? Object.keys(gates.value).length : 0;
    if (gates && gateCount > MAX_FEATURE_GATES) {
      // not a running kubelet's answer: every gate would be a setting and a row of the report
      eff['featureGates'] = { value: null, source, unknown: `configz lists ${gateCount.toLocaleString('en-US')} feature gates; a kubelet knows a few hundred and refuses to start with any other, so these are not read` };
    } else if (gates && !gates.unknown && gates.value && typeof gates.value === 'object' && !Array.isArray(gates.value)) {
      for (const [gate, on] of Object.entries(gates.value)) eff[`featureGates.${gate}`] = { value: on as boolean, source };
    }
    for (const name of Object.keys(FLAG_ONLY_SETTINGS)) {
      eff[`--${name}`] = { value: null, source, unknown: 'flag-only settings are not in configz' };
    }
    return { effective: eff };
  } catch (e) {
    return { error: `internal error reading /configz: ${e instanceof Error ? e.name : 'exception'}` };
  }
}

/** Struct-typed fields (metav1.Duration, LoggingConfiguration, …): encoding/json prints them even when zero. */
function isStruct(f: FieldSpec): boolean {
  return f.type === 'duration' || (f.type === 'object' && !(f.goType ?? '').startsWith('map['));
}

function settingOf(kc: Json, f: FieldSpec, source: Provenance, detail: string): EffectiveSetting {
  const found = at(kc, f.path);
  if (found.kind === 'blocked') return { value: null, source, unknown: found.why };
  if (found.kind === 'absent') {
    if (f.pointer && f.default !== undefined) {
      return { value: null, source, unknown: `configz does not list ${f.path}; a kubelet that has this field always lists it (defaulted, never nil), so this kubelet version predates it` };
    }
    if (!f.pointer && isStruct(f)) {
      return { value: null, source, unknown: `configz does not list ${f.path}; Go's JSON always prints a struct-typed field (omitempty does not drop structs), so this kubelet version predates it` };
    }
    const why = f.pointer ? 'not listed: the field is unset (nil) in the kubelet' : 'not listed: the kubelet omits zero values (omitempty), so it is the zero value';
    return { value: zeroValue(f), source: { kind: 'configz', detail: `${detail}; ${why}` } };
  }
  let c: ReturnType<typeof convert>;
  try {
    c = convert(f, found.value);
  } catch {
    c = { error: `configz gives ${f.path} in a form that could not be read (nested too deeply)` };
  }
  if ('error' in c) return { value: null, source, unknown: c.error };
  if (f.path === 'seccompDefault' && c.value === false) {
    return { value: null, source, unknown: 'configz shows seccompDefault false, but the kubelet ORs it with the --seccomp-default flag, which configz does not show' };
  }
  return { value: redactValue(f.path, c.value), source };
}

// ─── NodeFacts for the node checks ─────────────────────────────────────────────────────────────

/**
 * NodeFacts from a live configz, so the node checks can judge a remote kubelet's configuration.
 * Only the effective configuration (and the version from /metrics) is known: no files, no command
 * line, no processes, no listeners, no certificates. The facts say so (unknown, privileged false
 * with a note), so checks that need the node's files end unknown and none passes for want of
 * evidence. NodeFacts has no remote mode; `mode` is 'live' because configz is the running
 * kubelet's state, and because the checks read 'offline' as "a copy of the files, where sockets and
 * listeners cannot exist" (not-applicable), while 'live' with nothing examined gives unknown. `now`
 * is only used for certificate expiry, and there are no certificates.
 */
export function nodeFactsFromConfigz(effective: EffectiveConfig, host: string, version?: string, now = '1970-01-01T00:00:00.000Z'): NodeFacts {
  const h = clean(host, 300);
  const remote = `a remote scan of ${h} reads only the kubelet's live configz`;
  const spp = effective['staticPodPath'];
  const url = effective['staticPodURL'];
  const path = typeof spp?.value === 'string' && !spp.unknown ? spp.value : undefined;
  const podUrl = typeof url?.value === 'string' && !url.unknown ? url.value : undefined;
  // With no staticPodPath and no staticPodURL, configz proves the kubelet runs no static pods;
  // otherwise the manifests are on the node (or behind the URL), out of a remote scan's sight.
  const noStaticPods = path === '' && podUrl === '';
  return {
    target: `live configz from ${h}`,
    mode: 'live',
    privileged: false,
    privilegeNote: `${remote} and /metrics: the node's files, the kubelet's command line, processes, listeners and certificates were not read; verdicts that need them are unknown`,
    unreadable: [],
    kubelet: {
      ...(version ? { version: { value: version, source: `kubernetes_build_info in /metrics of ${h}` } } : {}),
      dropIns: [],
      effective,
      diagnostics: [],
    },
    staticPods: noStaticPods
      ? { path: '', manifests: [], url: '' }
      : { path: path ?? '', manifests: [], url: podUrl ?? '', unknown: `${remote}; the static pod manifests on the node were not read` },
    runtimeSockets: { sockets: [], unknown: `${remote}; the runtime sockets on the node were not examined` },
    listeners: { available: false, unknown: `${remote}; the node's listeners were not read (the scan itself shows which ports answer)`, listeners: [] },
    files: {},
    certificates: [],
    kubeProxy: { present: true, source: 'not visible to a remote scan of the kubelet', unknown: `${remote}; kube-proxy's settings were not read` },
    now,
  };
}

// Shared by the etcd checks (kubelet-facts §7; CIS v1.12 section 2): etcd settings with their
// defaults (etcd-io/etcd server/embed/config.go: listen-client-urls http://localhost:2379,
// listen-peer-urls http://localhost:2380, no metrics listener, every TLS flag empty or false), and
// URL lists as etcd reads them (comma-separated; http, https, unix, unixs).
import type { ComponentFacts } from '../../facts/types.ts';
import type { Evidence, Severity } from '../types.ts';
import { boolOf, describe, setting, settingEvidence, type Setting } from '../control-plane/common.ts';

export const DEFAULTS: Record<string, string> = {
  'listen-client-urls': 'http://localhost:2379',
  'listen-client-http-urls': '',
  'listen-peer-urls': 'http://localhost:2380',
  'listen-metrics-urls': '',
  'cert-file': '',
  'key-file': '',
  'client-cert-auth': 'false',
  'auto-tls': 'false',
  'peer-cert-file': '',
  'peer-key-file': '',
  'peer-client-cert-auth': 'false',
  'peer-auto-tls': 'false',
  'trusted-ca-file': '',
  'peer-trusted-ca-file': '',
};

export function etcdSetting(c: ComponentFacts, name: string): Setting {
  return setting(c, name, DEFAULTS[name] ?? '');
}

export function etcdBool(c: ComponentFacts, name: string): { s: Setting; on: boolean | undefined } {
  const s = etcdSetting(c, name);
  return { s, on: boolOf(s) };
}

export function isSet(s: Setting): boolean {
  return s.kind === 'set' && s.value !== '';
}

export { describe };

export type Reach = 'loopback' | 'socket' | 'network';

/** Who can reach a listener: loopback only, a unix socket, or the network (a routable or wildcard address). */
export function reachOf(u: string): { scheme: string; host: string; reach: Reach } | undefined {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'unix' || scheme === 'unixs') return { scheme, host: url.host || url.pathname, reach: 'socket' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loop = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
  return { scheme, host, reach: loop ? 'loopback' : 'network' };
}

export function urls(s: Setting): string[] {
  return s.kind === 'unknown' ? [] : s.value.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** Severity of a plain listener: from the network critical, on loopback or a unix socket medium. */
export const PLAIN_ON_NETWORK: Severity = 'critical';
export const PLAIN_LOCAL: Severity = 'medium';

export type Plain =
  | { kind: 'unknown'; why: string; evidence: Evidence[] }
  | {
      kind: 'known';
      /** the http:// and unix:// URLs: no TLS, so no certificate is served or asked for */
      plain: Array<{ u: string; reach: Reach }>;
      /** every listener URL, plain or TLS */
      all: Array<{ u: string; reach: Reach }>;
      /** PLAIN_ON_NETWORK when one is reachable from the network, else PLAIN_LOCAL; undefined when none */
      severity: Severity | undefined;
      /** "--listen-client-urls=… (file line n)" */
      where: string;
      evidence: Evidence[];
    };

/**
 * etcd's client (--listen-client-urls, --listen-client-http-urls) or peer (--listen-peer-urls)
 * listeners and which of them are plain. The scheme alone decides: on an http:// or unix:// URL
 * etcd ignores --cert-file/--key-file and --client-cert-auth (peer: the peer-* flags) and serves
 * plain text (server/embed/etcd.go configureClientListeners/configurePeerListeners: "scheme is
 * HTTP while key and cert files are present; ignoring key and cert files"). The one source of the
 * verdict and severity on a plain listener, so that every check about it agrees.
 */
export function plainListeners(c: ComponentFacts, role: 'client' | 'peer'): Plain {
  const names = role === 'client' ? ['listen-client-urls', 'listen-client-http-urls'] : ['listen-peer-urls'];
  const settings = names.map((n) => ({ n, s: etcdSetting(c, n) }));
  const evidence = settings.flatMap(({ n, s }) => (n === 'listen-client-http-urls' && s.kind === 'default' ? [] : settingEvidence(c, n, s, `not set: etcd listens on ${DEFAULTS[n]}`)));
  const unknown = settings.find(({ s }) => s.kind === 'unknown');
  if (unknown?.s.kind === 'unknown') return { kind: 'unknown', why: unknown.s.why, evidence };
  const main = settings[0]!;
  const where = settings.filter(({ s }, i) => i === 0 || s.kind === 'set').map(({ n, s }) => describe(n, s)).join('; ');
  if (urls(main.s).length === 0) return { kind: 'unknown', why: `${describe(main.n, main.s)} names no URL, and etcd refuses to start without a ${role} URL`, evidence };
  const plain: Array<{ u: string; reach: Reach }> = [];
  const all: Array<{ u: string; reach: Reach }> = [];
  for (const { s } of settings) {
    for (const u of urls(s)) {
      const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(u);
      const scheme = m?.[1]?.toLowerCase();
      // etcd (client/pkg/types NewURLs) accepts only these schemes and refuses to start on others
      if (!m || !['http', 'https', 'unix', 'unixs'].includes(scheme!)) return { kind: 'unknown', why: `${u} (${where}) is not a URL etcd accepts (http, https, unix or unixs), and etcd refuses to start with it`, evidence };
      // A host this parser does not take for loopback (a name, a zone id, an IPv4-mapped address) counts as the network.
      const x = { u, reach: scheme === 'unix' || scheme === 'unixs' ? ('socket' as const) : (reachOf(u)?.reach ?? 'network') };
      all.push(x);
      if (scheme === 'http' || scheme === 'unix') plain.push(x);
    }
  }
  return { kind: 'known', plain, all, severity: reachSeverity(plain), where, evidence };
}

/** PLAIN_ON_NETWORK when one of the listeners is reachable from the network, PLAIN_LOCAL when all are local, undefined for none. */
export function reachSeverity(xs: Array<{ reach: Reach }>): Severity | undefined {
  return xs.length === 0 ? undefined : xs.some((x) => x.reach === 'network') ? PLAIN_ON_NETWORK : PLAIN_LOCAL;
}

/** The fix that turns the plain URLs of a listener flag into TLS ones (http→https, unix→unixs). */
export function httpsOf(v: string): string {
  return v.split(',').map((u) => u.trim()).filter((u) => u !== '').map((u) => u.replace(/^http:/i, 'https:').replace(/^unix:/i, 'unixs:')).join(',');
}

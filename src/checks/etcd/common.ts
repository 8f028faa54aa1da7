// Shared by the etcd checks (kubelet-facts §7; CIS v1.12 section 2): etcd settings with their
// defaults (etcd-io/etcd server/embed/config.go: listen-client-urls http://localhost:2379,
// listen-peer-urls http://localhost:2380, no metrics listener, every TLS flag empty or false), and
// URL lists as etcd reads them (comma-separated; http, https, unix, unixs).
import type { ComponentFacts } from '../../facts/types.ts';
import { boolOf, describe, setting, type Setting } from '../control-plane/common.ts';

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

// Beyond CIS: etcd serving clients over plain http (kubelet-facts §7). An http:// client listener
// has no TLS and so no client certificates: --client-cert-auth does not apply to it. Reachable from
// the network, anyone reads and writes every key; on loopback (etcd's default,
// http://localhost:2379), any process on the node and any hostNetwork pod does. Both
// --listen-client-urls and --listen-client-http-urls (3.5+) are judged.
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, reachOf, urls } from './common.ts';

export const etcdClientPlainHttp: Check = {
  meta: {
    id: 'etcd-client-plain-http',
    title: 'etcd serves no client listener over plain http',
    section: 'etcd',
    severity: 'critical',
    cis: [],
    setting: '--listen-client-urls',
    rationale:
      'A plain-http client listener asks for no certificate: whoever reaches it reads and writes every key in etcd (every Secret, token and RoleBinding), bypassing the API server. On a routable address that is anyone on the network; on loopback, any process on the node and any hostNetwork pod.',
    remediation: 'List only https:// URLs in --listen-client-urls (and --listen-client-http-urls), with --cert-file, --key-file and --client-cert-auth=true.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const main = etcdSetting(c, 'listen-client-urls');
      const extra = etcdSetting(c, 'listen-client-http-urls');
      const evidence = [
        ...settingEvidence(c, 'listen-client-urls', main, 'not set: etcd listens on http://localhost:2379'),
        ...(extra.kind === 'default' ? [] : settingEvidence(c, 'listen-client-http-urls', extra, '')),
      ];
      const why = [main, extra].find((s) => s.kind === 'unknown');
      if (why?.kind === 'unknown') return { status: 'unknown', message: why.why, evidence };
      const plain = [...urls(main), ...urls(extra)].map((u) => ({ u, r: reachOf(u) })).filter((x) => x.r && (x.r.scheme === 'http' || x.r.scheme === 'unix'));
      const where = [describe('listen-client-urls', main), ...(extra.kind === 'set' ? [describe('listen-client-http-urls', extra)] : [])].join('; ');
      if (plain.length === 0) return { status: 'pass', message: `every client listener uses TLS: ${where}`, evidence };
      const network = plain.filter((x) => x.r!.reach === 'network');
      const list = (xs: typeof plain) => xs.map((x) => x.u).join(', ');
      const httpsOf = (v: string) => v.split(',').map((u) => u.trim()).filter((u) => u !== '').map((u) => u.replace(/^http:/, 'https:').replace(/^unix:/, 'unixs:')).join(',');
      const fix = main.kind !== 'unknown' && urls(main).some((u) => /^(http|unix):/.test(u))
        ? fixFlag(c, 'listen-client-urls', `--listen-client-urls=${httpsOf(main.value)}`)
        : fixFlag(c, 'listen-client-http-urls', `--listen-client-http-urls=${httpsOf(extra.kind === 'unknown' ? '' : extra.value)}`);
      const tls = ' etcd then needs --cert-file, --key-file and --client-cert-auth=true, and every client (the API server\'s --etcd-servers, the liveness probe) must use https with a client certificate.';
      if (network.length > 0) {
        return {
          status: 'fail',
          message: `etcd serves clients over plain http on the network: ${list(network)} (${where}); anyone who reaches it reads and writes every key, with no certificate asked`,
          evidence,
          remediation: fix + tls,
        };
      }
      return {
        status: 'fail',
        severity: 'medium',
        message: `etcd serves clients over plain http on ${list(plain)} (${where}): not from the network, but any process on this node and any hostNetwork pod reads and writes every key`,
        evidence,
        remediation: fix + tls,
      };
    }),
};

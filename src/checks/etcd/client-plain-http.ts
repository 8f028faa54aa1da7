// Beyond CIS: etcd serving clients over plain http (kubelet-facts §7). An http:// client listener
// has no TLS and so no client certificates: --client-cert-auth does not apply to it. Reachable from
// the network, anyone reads and writes every key; on loopback (etcd's default,
// http://localhost:2379), any process on the node and any hostNetwork pod does. Both
// --listen-client-urls and --listen-client-http-urls (3.5+) are judged. This check is the
// authority on plain client listeners: 2.1 and 2.2 fail on the same listeners with the same
// severity (plainListeners in common.ts), and so does listener-etcd when the port is seen open.
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent } from '../control-plane/common.ts';
import { etcdSetting, httpsOf, plainListeners, PLAIN_LOCAL, urls } from './common.ts';
import type { ComponentFacts } from '../../facts/types.ts';

export const etcdClientPlainHttp: Check = {
  meta: {
    id: 'etcd-client-plain-http',
    title: 'etcd serves no client listener over plain http',
    section: 'etcd',
    severity: 'critical',
    emits: [{ severity: PLAIN_LOCAL, when: 'the plain-http client listeners are all on loopback or a unix socket: only processes on this node and hostNetwork pods reach them' }],
    cis: [],
    setting: '--listen-client-urls',
    rationale:
      'A plain-http client listener asks for no certificate: whoever reaches it reads and writes every key in etcd (every Secret, token and RoleBinding), bypassing the API server. On a routable address that is anyone on the network; on loopback, any process on the node and any hostNetwork pod.',
    remediation: 'List only https:// URLs in --listen-client-urls (and --listen-client-http-urls), with --cert-file, --key-file and --client-cert-auth=true.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const p = plainListeners(c, 'client');
      if (p.kind === 'unknown') return { status: 'unknown', message: p.why, evidence: p.evidence };
      if (p.plain.length === 0) return { status: 'pass', message: `every client listener uses TLS: ${p.where}`, evidence: p.evidence };
      const network = p.plain.filter((x) => x.reach === 'network');
      const list = (xs: typeof p.plain) => xs.map((x) => x.u).join(', ');
      const remediation = plainClientFix(c);
      if (network.length > 0) {
        return {
          status: 'fail',
          message: `etcd serves clients over plain http on the network: ${list(network)} (${p.where}); anyone who reaches it reads and writes every key, with no certificate asked`,
          evidence: p.evidence,
          remediation,
        };
      }
      return {
        status: 'fail',
        severity: p.severity,
        message: `etcd serves clients over plain http on ${list(p.plain)} (${p.where}): not from the network, but any process on this node and any hostNetwork pod reads and writes every key`,
        evidence: p.evidence,
        remediation,
      };
    }),
};

/** The fix for plain client listeners: https in the flag that holds them, and what TLS then needs. */
export function plainClientFix(c: ComponentFacts): string {
  const main = etcdSetting(c, 'listen-client-urls');
  const extra = etcdSetting(c, 'listen-client-http-urls');
  const fix = main.kind !== 'unknown' && urls(main).some((u) => /^(http|unix):/i.test(u))
    ? fixFlag(c, 'listen-client-urls', `--listen-client-urls=${httpsOf(main.value)}`)
    : fixFlag(c, 'listen-client-http-urls', `--listen-client-http-urls=${httpsOf(extra.kind === 'unknown' ? '' : extra.value)}`);
  return `${fix} etcd then needs --cert-file, --key-file and --client-cert-auth=true, and every client (the API server's --etcd-servers, the liveness probe) must use https with a client certificate.`;
}

// Beyond CIS: --listen-metrics-urls over plain http beyond loopback. That listener serves
// /metrics and /health (3.5+: also /livez and /readyz) without authentication; kubeadm binds it
// to http://127.0.0.1:2381. Unset, there is no separate metrics listener (the client listeners
// serve /metrics too, under their own TLS: etcd-client-plain-http judges those).
import type { Check, CheckResult } from '../types.ts';
import { fixFlag, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, reachOf, urls } from './common.ts';

export const etcdMetricsPlainHttp: Check = {
  meta: {
    id: 'etcd-metrics-plain-http',
    title: "etcd's separate metrics listener (--listen-metrics-urls), if any, is not plain http on a network address",
    section: 'etcd',
    severity: 'low',
    cis: [],
    setting: '--listen-metrics-urls',
    rationale:
      "A plain-http metrics listener serves /metrics and /health to anyone who reaches it, with no authentication: key counts, request rates and the cluster's health leak, and the endpoint can be hammered. It gives no access to keys.",
    remediation: 'Bind --listen-metrics-urls to loopback (kubeadm: http://127.0.0.1:2381), or use https.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'etcd', (c): CheckResult => {
      const s = etcdSetting(c, 'listen-metrics-urls');
      const evidence = settingEvidence(c, 'listen-metrics-urls', s, 'not set: no separate metrics listener');
      if (s.kind === 'unknown') return { status: 'unknown', message: s.why, evidence };
      const open = urls(s).filter((u) => {
        const r = reachOf(u);
        // a host the URL parser refuses (an IPv6 zone id, which Go accepts) counts as the network
        if (!r) return /^http:\/\//i.test(u);
        return r.scheme === 'http' && r.reach === 'network';
      });
      if (open.length === 0) {
        return { status: 'pass', message: s.kind === 'default' ? 'etcd has no separate metrics listener (--listen-metrics-urls is not set)' : `the metrics listener is not plain http on the network: ${describe('listen-metrics-urls', s)}`, evidence };
      }
      const keep = urls(s).filter((u) => !open.includes(u));
      const want = keep.length > 0 ? keep.join(',') : 'http://127.0.0.1:2381';
      return {
        status: 'fail',
        message: `etcd serves /metrics and /health over plain http on ${open.join(', ')} (${describe('listen-metrics-urls', s)}), without authentication`,
        evidence,
        remediation: fixFlag(c, 'listen-metrics-urls', `--listen-metrics-urls=${want}`),
      };
    }),
};

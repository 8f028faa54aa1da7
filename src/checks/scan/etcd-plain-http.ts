// etcd serving its client API over plain HTTP: no client certificate is possible and every key and
// value (Secrets included) crosses the network in clear text.
import type { CheckResult } from '../types.ts';
import { firewall, hostPort, isService, notesText, notOpen, probeEvidence } from './common.ts';
import { ETCD_TLS_FLAGS } from './etcd-no-client-auth.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const etcdPlainHttp: EndpointCheck = {
  meta: {
    id: 'exposure-etcd-plain-http',
    title: 'etcd serves its client API over TLS',
    section: EXPOSURE_SECTION,
    severity: 'critical',
    cis: ['2.1'],
    setting: '--listen-client-urls',
    rationale:
      'Over plain HTTP etcd cannot authenticate clients by certificate and sends every value, Secrets included, in clear text: anyone on the path reads them, anyone who reaches the port writes them.',
    remediation: `Listen on https:// only: ${ETCD_TLS_FLAGS}. And ${firewall(2379, 'the API server nodes (and the other etcd members)')}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'etcd')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const evidence = probeEvidence(ep);
    const tls = ep.etcd?.tls;
    if (tls === false) return { status: 'fail', message: `${hostPort(ep)} serves etcd over plain HTTP${ep.etcd?.version ? ` (etcd ${ep.etcd.version})` : ''}`, evidence };
    if (tls === true) return { status: 'pass', message: `${hostPort(ep)} serves etcd over TLS`, evidence };
    return { status: 'unknown', message: `whether ${hostPort(ep)} speaks TLS or plain HTTP could not be told${notesText(ep)}`, evidence };
  },
};

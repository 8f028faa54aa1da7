// etcd serving its client API over plain HTTP: no client certificate is possible and every key and
// value (Secrets included) crosses the network in clear text.
import type { CheckResult } from '../types.ts';
import { firewall, hostPort, isService, notesText, notOpen, probeEvidence } from './common.ts';
import { ETCD_TLS_FLAGS } from './etcd-no-client-auth.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const etcdPlainHttp: EndpointCheck = {
  meta: {
    id: 'exposure-etcd-plain-http',
    title: 'etcd serves its client API over TLS only',
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
    // TLS answering is not enough: etcd serves plain HTTP on the same port when told to (src/scan/etcd.ts)
    if (tls === true && ep.etcd?.plainHttp === true) {
      return { status: 'fail', message: `${hostPort(ep)} serves etcd over TLS and ALSO over plain HTTP on the same port (listen-client-urls names it with http:// too)`, evidence };
    }
    if (tls === true && ep.etcd?.plainHttp === false) return { status: 'pass', message: `${hostPort(ep)} serves etcd over TLS only (a plain-HTTP request was refused)`, evidence };
    if (tls === true) return { status: 'unknown', message: `${hostPort(ep)} serves etcd over TLS, but whether it also answers plain HTTP was not told${notesText(ep)}`, evidence };
    return { status: 'unknown', message: `whether ${hostPort(ep)} speaks TLS or plain HTTP could not be told${notesText(ep)}`, evidence };
  },
};

// etcd without client-certificate authentication: whoever reaches 2379 reads (and writes) every
// key, Secrets included (kubelet-facts §7). The probes try a key read without a client certificate
// (Endpoint.etcd.keysReadable) and see whether the handshake requires one (clientCertRequired);
// when it does, keysReadable may be true for the scan's own certificate, which is not a finding.
import type { CheckResult, Evidence } from '../types.ts';
import { clean } from '../../scan/collect.ts';
import { firewall, hostPort, isService, notesText, notOpen, probeEvidence } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const ETCD_TLS_FLAGS =
  '`--client-cert-auth=true --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt --cert-file=/etc/kubernetes/pki/etcd/server.crt --key-file=/etc/kubernetes/pki/etcd/server.key --listen-client-urls=https://127.0.0.1:2379,https://<node-ip>:2379 --advertise-client-urls=https://<node-ip>:2379` (kubeadm: in /etc/kubernetes/manifests/etcd.yaml; the kubelet restarts the pod by itself), with a CA for etcd alone (not the cluster CA)';

export const etcdNoClientAuth: EndpointCheck = {
  meta: {
    id: 'exposure-etcd-no-client-auth',
    title: 'etcd requires a client certificate',
    section: EXPOSURE_SECTION,
    severity: 'critical',
    emits: [
      { severity: 'high', when: "no client certificate is asked, but the key read was refused: etcd's own user authentication is on, so a password still stands in the way" },
    ],
    cis: ['2.2'],
    setting: '--client-cert-auth',
    rationale:
      "etcd holds the whole cluster state: every Secret, every service-account token's signing material by reference, every RBAC rule. Without client-certificate authentication, anyone who reaches port 2379 reads and rewrites it, bypassing the API server entirely.",
    remediation: `Start etcd with ${ETCD_TLS_FLAGS}. And ${firewall(2379, 'the API server nodes (and the other etcd members)')}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'etcd')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const e = ep.etcd;
    const evidence: Evidence[] = probeEvidence(ep);
    if (!e) return { status: 'unknown', message: `${hostPort(ep)} is open, but it was not probed as etcd${notesText(ep)}`, evidence };
    if (e.plainHttp === true) {
      const read = e.keysReadable === true ? `; keys were read over plain HTTP without any credential${e.sampleKey ? ` (e.g. ${clean(e.sampleKey, 200)})` : ''}` : e.keysReadable === false ? '; the key read was refused (etcd user authentication is on)' : '';
      return { status: 'fail', ...(e.keysReadable === false ? { severity: 'high' as const } : {}), message: `${hostPort(ep)} also serves plain HTTP on the same port, where no client certificate can be asked for${e.clientCertRequired ? ' (its TLS side requires one)' : ''}${read}`, evidence };
    }
    if (e.clientCertRequired === true && e.plainHttp !== false) {
      return { status: 'unknown', message: `${hostPort(ep)} requires a client certificate over TLS, but whether the same port also serves plain HTTP (where none is asked) was not told${notesText(ep)}`, evidence };
    }
    if (e.clientCertRequired === true) {
      // any certificate from etcd's CA reads everything: the scan's own certificate did, if it was given
      const own = e.keysReadable === true ? `; with the scan's identity (${ep.identity}) keys were readable, as with any certificate etcd's CA signed` : e.keysReadable === false ? '; nothing was readable without one' : '';
      return { status: 'pass', message: `${hostPort(ep)} requires a client certificate${own}`, evidence };
    }
    if (e.keysReadable === true) {
      return {
        status: 'fail',
        message: `${hostPort(ep)} let the scanner read keys without a client certificate${e.sampleKey ? ` (e.g. ${clean(e.sampleKey, 200)})` : ''}: the whole cluster state, Secrets included, is open to anyone who reaches it`,
        evidence,
      };
    }
    const noCert = e.tls === false || e.clientCertRequired === false;
    if (noCert) {
      const how = e.tls === false ? 'serves plain HTTP, so no client certificate can be asked for' : 'accepts TLS clients without a certificate';
      if (e.keysReadable === false) {
        return { status: 'fail', severity: 'high', message: `${hostPort(ep)} ${how}; the key read was refused (etcd's own user authentication is on), so only a password stands between the network and the cluster state`, evidence };
      }
      return { status: 'fail', message: `${hostPort(ep)} ${how}; whether keys can be read was not proved, but without etcd user authentication (rarely enabled) they can`, evidence };
    }
    return { status: 'unknown', message: `whether ${hostPort(ep)} requires a client certificate could not be told${notesText(ep)}`, evidence };
  },
};

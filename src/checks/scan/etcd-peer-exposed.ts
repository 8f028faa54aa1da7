// The etcd peer port (2380) is for the other members of the etcd cluster only. Reaching it from the
// scanner means the firewall lets more hosts in than need it; without peer client-certificate
// authentication, a stranger can join the cluster or read the replication stream.
import type { CheckResult } from '../types.ts';
import { firewall, hostPort, isService, notesText, probeEvidence } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const etcdPeerExposed: EndpointCheck = {
  meta: {
    id: 'exposure-etcd-peer-exposed',
    title: "etcd's peer port is reachable only by etcd members",
    section: EXPOSURE_SECTION,
    severity: 'high',
    emits: [
      { severity: 'critical', when: 'the peer port speaks plain HTTP: no member authentication at all (as etcd-peer-client-cert-auth and listener-etcd judge the same fact)' },
      { severity: 'medium', when: 'the peer port asks peers for a client certificate: only the firewall is too wide' },
    ],
    cis: ['2.4', '2.5'],
    setting: '--peer-client-cert-auth',
    rationale:
      'The peer port carries Raft replication: the full cluster state. Only the other etcd members need it; a peer port without client-certificate authentication lets anyone who reaches it talk to etcd as a member.',
    remediation: `${firewall(2380, 'the other etcd members')}; and start etcd with \`--peer-client-cert-auth=true --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt --peer-key-file=/etc/kubernetes/pki/etcd/peer.key --listen-peer-urls=https://<node-ip>:2380\` (never --peer-auto-tls).`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'etcd-peer')) return [];
    if (ep.state !== 'open') {
      return { status: 'pass', message: `${hostPort(ep)} is ${ep.state} from the scanner: the etcd peer port is not reachable from here` };
    }
    const evidence = probeEvidence(ep);
    const e = ep.etcd;
    if (e?.tls === false) return { status: 'fail', severity: 'critical', message: `${hostPort(ep)} (etcd peer) is reachable from the scanner and speaks plain HTTP: no member authentication at all`, evidence };
    if (e?.clientCertRequired === false) return { status: 'fail', message: `${hostPort(ep)} (etcd peer) is reachable from the scanner and accepts peers without a client certificate`, evidence };
    if (e?.clientCertRequired === true) {
      return { status: 'fail', severity: 'medium', message: `${hostPort(ep)} (etcd peer) is reachable from the scanner; it asks peers for a client certificate, so only the firewall is too wide`, evidence };
    }
    if (e) return { status: 'fail', message: `${hostPort(ep)} (etcd peer) is reachable from the scanner; whether it requires a peer certificate could not be told`, evidence };
    return { status: 'unknown', message: `${hostPort(ep)} accepts connections, but did not answer like etcd${notesText(ep)}`, evidence };
  },
};

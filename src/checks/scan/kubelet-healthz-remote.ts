// The healthz port (10248) binds to 127.0.0.1 by default (kubelet-facts §1); reaching it from the
// scanner means healthzBindAddress is not loopback. /healthz reveals little, but the listener
// should not be there, and it tells a scanner a kubelet runs on the host.
import type { CheckResult } from '../types.ts';
import { firewall, hostPort, isService, notesText, probeEvidence, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

function isLoopback(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || /^::ffff:127\./i.test(host) || host === 'localhost';
}

export const kubeletHealthzRemote: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-healthz-remote',
    title: "The kubelet's healthz port is not reachable from the scanner",
    section: EXPOSURE_SECTION,
    severity: 'low',
    cis: [],
    setting: 'healthzBindAddress',
    rationale:
      "The healthz server is plain HTTP without authentication; the kubelet binds it to 127.0.0.1 unless told otherwise. Reaching it from another host means it was bound to every interface: a needless listener that fingerprints the node.",
    remediation: `In the kubelet config file set \`healthzBindAddress: 127.0.0.1\` (and remove any \`--healthz-bind-address\` flag); ${RESTART}. Or ${firewall(10248, 'the node itself')}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet-healthz')) return [];
    if (ep.state !== 'open') {
      return { status: 'pass', message: `${hostPort(ep)} is ${ep.state} from the scanner: the healthz port is not reachable beyond the node (loopback-bound or firewalled)` };
    }
    const evidence = probeEvidence(ep);
    const tried = ep.probes.filter((p) => p.path.startsWith('/healthz'));
    const ok = tried.find((p) => p.status === 200);
    if (ep.reachable.includes('healthz') || ok || tried.length === 0) {
      // a loopback target is the node itself: reaching it there says nothing about the bind address
      const why = isLoopback(ep.host) ? 'the scanner runs on the node itself (a loopback address), so this does not show healthzBindAddress' : 'healthzBindAddress is not loopback';
      return { status: 'fail', message: `${hostPort(ep)} accepts connections from the scanner${ok ? ` and answers ${ok.method} ${ok.path} with 200` : ''}: ${why}`, evidence };
    }
    // The port is open, but what listens did not answer /healthz like the kubelet.
    const seen = tried.map((p) => (p.status !== undefined ? String(p.status) : (p.error ?? 'no answer'))).join(', ');
    return { status: 'unknown', message: `${hostPort(ep)} is open, but did not answer /healthz like the kubelet (${seen}): something else may listen there${notesText(ep)}`, evidence };
  },
};

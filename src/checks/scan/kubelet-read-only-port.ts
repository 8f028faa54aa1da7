// The read-only port (default 10255 on a kubelet without --config, kubelet-facts §1, §4) serves
// /pods, /stats, /metrics over plain HTTP with no authentication at all.
import type { CheckResult } from '../types.ts';
import { firewall, hostPort, isService, notesText, probeEvidence, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

export const kubeletReadOnlyPort: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-read-only-port',
    title: "The kubelet's unauthenticated read-only port is not reachable",
    section: EXPOSURE_SECTION,
    severity: 'high',
    cis: ['4.2.4'],
    setting: 'readOnlyPort',
    rationale:
      "The read-only port answers without any authentication: /pods gives every pod spec on the node (images, commands, env values, mounted volumes), /stats and /metrics the node's workload. On kubelets 1.25–1.32 it also served /checkpoint (CVE-2025-0426).",
    remediation: `In the kubelet config file set \`readOnlyPort: 0\` (a kubelet without --config defaults to 10255) and remove any \`--read-only-port=10255\` flag; ${RESTART}. Until then, ${firewall(10255, 'nothing: no client needs the read-only port')}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet-read-only')) return [];
    if (ep.state !== 'open') {
      return { status: 'pass', message: `${hostPort(ep)} is ${ep.state} from the scanner${ep.state === 'filtered' ? ' (no answer)' : ' (connection refused)'}: the read-only port is not reachable from here` };
    }
    const podsProbe = ep.probes.filter((p) => p.path === '/pods');
    const evidence = probeEvidence(ep);
    if (ep.reachable.includes('pods') || podsProbe.some((p) => p.status === 200)) {
      const pods = ep.collected?.pods;
      const what = pods && !pods.error ? `: ${pods.count} pod${pods.count === 1 ? '' : 's'}${pods.secretEnv.length > 0 ? `, ${pods.secretEnv.length} secret-looking env value${pods.secretEnv.length === 1 ? '' : 's'}` : ''}` : '';
      return { status: 'fail', message: `${hostPort(ep)} serves /pods over plain HTTP without authentication${what}`, evidence };
    }
    if (ep.reachable.length > 0) return { status: 'fail', message: `${hostPort(ep)} serves ${ep.reachable.join(', ')} over plain HTTP without authentication`, evidence };
    const answered = podsProbe.find((p) => p.status !== undefined);
    if (answered) {
      return { status: 'unknown', message: `${hostPort(ep)} is open but answered GET /pods with ${answered.status}, not the kubelet's pod list: something else listens there, or the kubelet refused it${notesText(ep)}`, evidence };
    }
    return { status: 'unknown', message: `${hostPort(ep)} is open, but whether it serves the kubelet's /pods was not proved${notesText(ep)}`, evidence };
  },
};

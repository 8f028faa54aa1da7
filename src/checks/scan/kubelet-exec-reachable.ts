// Whether the identity the scan used reached the routes that run code in a container: /exec,
// /attach, /run, /portForward (kubelet-facts §2). Proved without effects by the probes (a 404 for a
// pod that does not exist, a 400 for an exec without an upgrade: both come only after authz passed).
// With a token this answers "what does my monitoring agent's token really reach": a subject with
// `get` on nodes/proxy can exec through a WebSocket upgrade, unlogged by the API server (§3).
import type { Endpoint, EndpointGroup, ProbeRecord } from '../../scan/types.ts';
import type { CheckResult } from '../types.ts';
import { EXEC_GROUPS, firewall, FIX_ANONYMOUS, hostPort, isAnonymous, isExecPath, isService, KUBELET_CLIENTS, notesText, notOpen, probeEvidence, RESTART } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

const FIX_RBAC =
  "Remove `nodes/proxy` (and the wildcards `nodes/*`, `*`) from the RBAC roles bound to this identity: `get` on nodes/proxy is command execution (WebSocket exec is a GET). Grant what the agent needs instead: `nodes/metrics` and `nodes/stats` (get) for metrics; with KubeletFineGrainedAuthz (beta and on in 1.33+) also `nodes/pods`, `nodes/healthz`, `nodes/configz`. Find the rules with `kubectl auth can-i get nodes/proxy --as=<subject>` and `kubectl get clusterroles -o yaml | grep -n -B5 'nodes/proxy'`";

export const kubeletExecReachable: EndpointCheck = {
  meta: {
    id: 'exposure-kubelet-exec-reachable',
    title: 'The scanned identity cannot reach exec, attach, run or portForward on the kubelet',
    section: EXPOSURE_SECTION,
    severity: 'critical',
    cis: [],
    rationale:
      "The kubelet's /exec, /attach, /run and /portForward run commands in, or connect into, any container on the node, with none of the API server's admission or audit. Whoever reaches them owns every workload on the node, its service-account tokens and, through a privileged container, the node itself.",
    remediation: `For anonymous access: ${FIX_ANONYMOUS}; ${RESTART}. For a token: remove nodes/proxy from its roles. And ${firewall(10250, KUBELET_CLIENTS)}.`,
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet')) return [];
    if (ep.state !== 'open') return notOpen(ep);
    const who = isAnonymous(ep) ? 'a request without credentials' : `the identity ${ep.identity}`;
    const reached = ep.reachable.filter((g) => EXEC_GROUPS.includes(g));
    const evidence = probeEvidence(ep, (p) => isExecPath(p.path));
    if (reached.length > 0) {
      return {
        status: 'fail',
        message: `${who} reached ${reached.join(', ')} on ${hostPort(ep)}: it can run commands in every pod on the node${loot(ep)}`,
        evidence,
        remediation: isAnonymous(ep)
          ? `${FIX_ANONYMOUS}; ${RESTART}. Until then, ${firewall(10250, KUBELET_CLIENTS)}.`
          : `${FIX_RBAC}. If the kubelet runs AlwaysAllow, the token is not even needed: set \`authorization.mode: Webhook\`. And ${firewall(10250, KUBELET_CLIENTS)}.`,
      };
    }
    // A 401 answers before any routing (the auth filter runs for every path), so a refused
    // request proves no route is reachable for that caller (§3); otherwise each exec route must
    // have been probed AS THIS CALLER with an answer: a timeout on one proves nothing about it.
    const own = (p: ProbeRecord) => (isAnonymous(ep) ? p.withIdentity !== true : p.withIdentity === true);
    if (isAnonymous(ep) && ep.anonymous === false) {
      return { status: 'pass', message: `${hostPort(ep)} refuses requests without credentials (401), before any route is looked at`, evidence: probeEvidence(ep) };
    }
    const refusedIdentity = !isAnonymous(ep) && ep.probes.some((p) => own(p) && p.path === '/pods' && p.status === 401);
    if (refusedIdentity) {
      return { status: 'pass', message: `${hostPort(ep)} refused ${who} (401 Unauthorized) before any route is looked at: it reaches nothing there`, evidence: probeEvidence(ep, own) };
    }
    const answered = EXEC_GROUPS.map((g) => ({ g, p: ep.probes.find((p) => own(p) && execGroupOf(p.path) === g && p.status !== undefined) }));
    const missing = answered.filter((a) => !a.p).map((a) => a.g);
    if (missing.length === 0) {
      const statuses = [...new Set(answered.map((a) => a.p!.status))].join(', ');
      return { status: 'pass', message: `${who} was refused on every exec route of ${hostPort(ep)} (exec, attach, run, portForward: ${statuses}): it cannot run commands in the node's pods`, evidence };
    }
    if (missing.length < EXEC_GROUPS.length) {
      return { status: 'unknown', message: `${who} was refused on some exec routes of ${hostPort(ep)}, but ${missing.join(', ')} gave no answer: not proved${notesText(ep)}`, evidence };
    }
    return { status: 'unknown', message: `whether ${who} can reach exec, attach, run or portForward on ${hostPort(ep)} was not proved either way: no exec route was probed with an answer${notesText(ep)}`, evidence: probeEvidence(ep) };
  },
};

/** The exec-like group a probe path belongs to. */
function execGroupOf(path: string): EndpointGroup | undefined {
  const m = /^\/(exec|run|attach|portForward)(\/|$)/.exec(path);
  return m ? (m[1] as EndpointGroup) : undefined;
}

/** What exec gives on this node, from --collect: privileged containers and mounted tokens. */
function loot(ep: Endpoint): string {
  const pods = ep.collected?.pods;
  if (!pods || pods.error) return '';
  const parts: string[] = [];
  if (pods.privileged.length > 0) parts.push(`${pods.privileged.length} privileged container${pods.privileged.length === 1 ? '' : 's'} (root on the node)`);
  if (pods.serviceAccountTokens > 0) {
    const sas = [...new Set((pods.serviceAccounts ?? []).map((s) => `${s.namespace}/${s.serviceAccount}`))];
    parts.push(`the service-account tokens of ${pods.serviceAccountTokens} pod${pods.serviceAccountTokens === 1 ? '' : 's'}${sas.length > 0 ? ` (${sas.slice(0, 5).join(', ')}${sas.length > 5 ? `, … ${sas.length} accounts` : ''})` : ''}`);
  }
  return parts.length > 0 ? `; that includes ${parts.join(' and ')}` : '';
}

// The kubelet's read-only port, seen on the node: plain HTTP without authentication or
// authorization (kubelet-facts §1), serving /pods (every pod spec on the node, environment
// included), /stats, /metrics and /healthz (§2). Whatever listens on 10255 (or on the configured
// readOnlyPort) is a finding, whatever the configuration on disk says: kubelet-read-only-port
// judges the configuration, this check judges the node.
import { describeSource, evidenceOf, fixSetting, lookup } from '../setting.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { absenceDoubt, attributionNote, describe, gate, isLoopbackAddr, listenerEvidence, onPort, ownerOf, uniq, who } from './common.ts';

const DEFAULT = 10255;

export const listenerReadOnlyPort: Check = {
  meta: {
    id: 'listener-read-only-port',
    title: "Nothing listens on the kubelet's read-only port",
    section: 'listeners',
    severity: 'high',
    cis: [], // CIS 4.2.4 judges the setting (kubelet-read-only-port); this judges the node
    setting: 'readOnlyPort',
    rationale:
      "The read-only port answers without authentication or authorization: /pods lists every pod on the node with its spec and environment, /stats and /metrics describe the node. A listener on it is open to anyone who reaches it, whatever the configuration on disk says.",
    remediation: 'Set readOnlyPort: 0 in the kubelet config file (and remove any --read-only-port flag), then restart the kubelet; if the port stays open, find what holds it (ss -ltnp) and stop it.',
  },
  evaluate(facts): CheckResult | CheckResult[] {
    const g = gate(facts);
    if (g.kind === 'result') return g.result;
    const ro = lookup(facts, 'readOnlyPort');
    const configured = ro.ok && typeof ro.s.value === 'number' && ro.s.value > 0 ? ro.s.value : undefined;
    const ports = uniq([DEFAULT, ...(configured !== undefined ? [configured] : [])]);
    const cfgEvidence: Evidence[] = ro.ok ? [evidenceOf('readOnlyPort', ro.s)] : [];
    const listening = ports.filter((p) => onPort(g.lf, p).length > 0);
    if (listening.length === 0) {
      const doubt = absenceDoubt(facts, g.lf);
      if (doubt) return { status: 'unknown', subject: `port ${ports.join(', ')}`, message: `nothing listens on port ${ports.join(' or ')} in the network namespace this audit sees, but ${doubt}`, evidence: cfgEvidence };
      const also = configured !== undefined && ro.ok ? `; the effective configuration sets readOnlyPort ${configured} (${describeSource(ro.s)}) but the running kubelet does not serve it (see listener-kubelet-ports)` : '';
      return { status: 'pass', subject: `port ${ports.join(', ')}`, message: `nothing listens on port ${ports.join(' or ')}${also}`, evidence: cfgEvidence };
    }
    return listening.map((port): CheckResult => {
      const seen = onPort(g.lf, port);
      const owners = seen.map((l) => ownerOf(facts, l));
      const loopOnly = seen.every((l) => isLoopbackAddr(l.address));
      let config: string;
      if (!ro.ok) config = ` readOnlyPort cannot be known (${ro.why}).`;
      else if (ro.s.value === 0) config = ` The effective readOnlyPort is 0 (${describeSource(ro.s)}).`;
      else if (ro.s.value === port) config = ` As configured: readOnlyPort ${port} (${describeSource(ro.s)}).`;
      else config = ` The effective readOnlyPort is ${String(ro.s.value)} (${describeSource(ro.s)}).`;
      const evidence = [...seen.map((l, i) => listenerEvidence(l, owners[i]!.words)), ...cfgEvidence];
      const find = `find what holds it: ss -ltnp 'sport = :${port}'`;
      // Only the kubelet (or a process embedding it) serves the kubelet's read-only API: a port
      // held by another, named process is that process's, and the finding names it (issue 10 §4).
      if (owners.every((o) => o.kind === 'other')) {
        return {
          status: 'fail',
          severity: 'medium',
          subject: `port ${port}`,
          message: `${seen.map(describe).join(', ')}: port ${port} is the kubelet's read-only port number, but ${uniq(owners.map((o) => o.words)).join('; ')} holds it, so this is not the kubelet's read-only API; what it serves there is not known to this audit, and a kubelet configured with readOnlyPort ${port} could not bind it.${config}`,
          evidence,
          remediation: `Find out why ${uniq(seen.map(who)).join(', ')} listens on port ${port} (${find}); stop it or move it if it has no business there.`,
        };
      }
      const kubeletOnly = owners.every((o) => o.kind === 'kubelet');
      const holders = uniq(owners.map((o) => o.words)).join('; ');
      const what = kubeletOnly
        ? `the kubelet's read-only API (plain HTTP, no authentication, no authorization) listens, held by ${holders}`
        : `something listens on the kubelet's read-only port, held by ${holders}; if it is the kubelet, that is its read-only API (plain HTTP, no authentication, no authorization)${attributionNote(g.lf, seen)}`;
      const drift = ro.ok && ro.s.value === 0 && kubeletOnly ? ' The running kubelet does not run the configuration on disk: a restart is pending, or another kubelet holds the port.' : '';
      const reach = loopOnly
        ? 'only local processes and hostNetwork pods reach it on loopback, but any of them reads every pod spec without credentials'
        : 'anyone who reaches the node reads every pod spec (environment included), its stats and metrics without credentials';
      const remediation = ro.ok && ro.s.value !== 0
        ? `${fixSetting(facts, 'readOnlyPort', 0)} If port ${port} stays open, ${find}.`
        : `Restart the kubelet so it runs its configuration (systemctl daemon-reload && systemctl restart kubelet); if port ${port} stays open, ${find} and stop it.`;
      return {
        status: 'fail',
        severity: 'high',
        subject: `port ${port}`,
        message: `${seen.map(describe).join(', ')}: ${what}; ${reach}.${config}${drift}`,
        evidence,
        remediation,
      };
    });
  },
};

// kube-proxy's listeners, seen on the node. Its metrics server (default 127.0.0.1:10249,
// pkg/proxy/apis/config/v1alpha1/defaults.go; see kube-proxy-metrics-localhost) is plain HTTP
// without authentication: /metrics, /proxyMode, /configz (its whole configuration) and, with
// profiling, /debug/pprof. Its healthz server (default 0.0.0.0:10256, same file) answers health
// only: reported for information. kube-proxy runs with the host network (kubeadm's DaemonSet is
// hostNetwork), so its sockets are in the node's namespace.
import type { Check, CheckResult, Evidence } from '../types.ts';
import { hostOf, isLoopback as isLoopbackHost } from '../kube-proxy/metrics-localhost.ts';
import { absenceDoubt, attributionNote, describe, gate, isLoopbackAddr, listenerEvidence, notKubeProxy, onPort, uniq, who } from './common.ts';

const METRICS = 10249;
const HEALTHZ = 10256;

/** The port of kube-proxy's metricsBindAddress ("IP:port", "[IPv6]:port"), when it names one. */
function configuredPort(v: string): number | undefined {
  const m = /:(\d{1,5})$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 && n < 65536 ? n : undefined;
}

export const listenerKubeProxyMetrics: Check = {
  meta: {
    id: 'listener-kube-proxy-metrics',
    title: "kube-proxy's metrics port listens on loopback only",
    section: 'listeners',
    severity: 'medium',
    emits: [{ severity: 'info', when: "the result about kube-proxy's healthz port 10256: plain HTTP that serves health only, said for information (pass, or unknown when absence cannot be told)" }],
    cis: [], // CIS 4.3.1 judges the setting (kube-proxy-metrics-localhost); this judges the node
    rationale:
      "kube-proxy's metrics server is plain HTTP without authentication and serves /configz (its whole configuration) and /proxyMode; beyond loopback anyone who reaches port 10249 reads them. The node shows what runs, whatever the DaemonSet's ConfigMap or the unit says.",
    remediation:
      "Set metricsBindAddress: 127.0.0.1:10249 in kube-proxy's configuration (kubeadm: kubectl -n kube-system edit configmap kube-proxy, then restart the kube-proxy pods) or --metrics-bind-address=127.0.0.1:10249, and restart kube-proxy.",
  },
  evaluate(facts): CheckResult[] | CheckResult {
    const g = gate(facts);
    if (g.kind === 'result') return g.result;
    const kp = facts.kubeProxy;
    const cfg = kp.present && !kp.unknown ? kp.metricsBindAddress : undefined;
    const cfgPort = cfg ? configuredPort(cfg.value) : undefined;
    const cfgEvidence: Evidence[] = cfg ? [{ setting: 'metricsBindAddress', value: cfg.value, source: cfg.source, ...(cfg.source.file ? { file: cfg.source.file } : {}), ...(cfg.source.line ? { line: cfg.source.line } : {}) }] : [];
    const results: CheckResult[] = [];
    const doubt = absenceDoubt(facts, g.lf);

    for (const port of uniq([METRICS, ...(cfgPort !== undefined ? [cfgPort] : [])])) {
      const seen = onPort(g.lf, port);
      const evidence = [...seen.map((l) => listenerEvidence(l)), ...cfgEvidence];
      const subject = `port ${port}`;
      if (seen.length === 0 && doubt) {
        results.push({ status: 'unknown', subject, message: `nothing listens on port ${port} in the network namespace this audit sees, but ${doubt}`, evidence });
        continue;
      }
      if (seen.length === 0) {
        results.push({ status: 'pass', subject, message: `nothing listens on port ${port}: kube-proxy's metrics server is off or elsewhere, or kube-proxy does not run on this node`, evidence });
        continue;
      }
      const beyond = seen.filter((l) => !isLoopbackAddr(l.address));
      if (beyond.length === 0) {
        results.push({ status: 'pass', subject, message: `${seen.map(describe).join(', ')}: loopback only${attributionNote(g.lf, seen)}`, evidence });
        continue;
      }
      const cfgLoop = cfg && cfg.value.trim() !== '' && isLoopbackHost(hostOf(cfg.value));
      const drift = cfgLoop
        ? ` kube-proxy's configuration says ${cfg.value}${cfg.source.file ? ` (${cfg.source.file}${cfg.source.line ? ` line ${cfg.source.line}` : ''})` : ''}: the running kube-proxy does not run it (a restart is pending) or another program holds the port.`
        : '';
      // A named process that is not kube-proxy (nor embeds it) is named, not called kube-proxy.
      if (beyond.every(notKubeProxy)) {
        results.push({
          status: 'fail',
          subject,
          message: `${beyond.map(describe).join(', ')}: port ${port}, ${port === METRICS ? "kube-proxy's metrics port" : "kube-proxy's configured metrics port"}, listens beyond loopback, held by ${uniq(beyond.map(who)).join(', ')}, which is not kube-proxy (nor k3s or kubelite, which embed it): what it serves there is not known to this audit.${drift}`,
          evidence,
        });
        continue;
      }
      results.push({
        status: 'fail',
        subject,
        message: `${beyond.map(describe).join(', ')}: ${port === METRICS ? "kube-proxy's metrics port" : "kube-proxy's configured metrics port"} listens beyond loopback; plain HTTP without authentication, serving /metrics, /proxyMode and /configz to anyone who reaches it.${drift}`,
        evidence,
      });
    }

    const hz = onPort(g.lf, HEALTHZ);
    results.push({
      status: hz.length === 0 && doubt ? 'unknown' : 'pass',
      severity: 'info',
      subject: `port ${HEALTHZ}`,
      message: hz.length > 0
        ? `${hz.map(describe).join(', ')}: kube-proxy's healthz server (plain HTTP, health only; its default is 0.0.0.0:10256) — for information`
        : `nothing listens on port ${HEALTHZ} (kube-proxy's healthz server) — for information`,
      evidence: hz.map((l) => listenerEvidence(l)),
    });
    return results;
  },
};

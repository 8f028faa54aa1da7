// CIS 4.3.1. kube-proxy's metrics server (plain HTTP, no authentication) must listen on loopback only.
// kube-proxy itself is outside kubelet-facts.md; what this check relies on, read in
// kubernetes/kubernetes:
// - pkg/proxy/apis/config/v1alpha1/defaults.go: an empty metricsBindAddress in the config file
//   becomes 127.0.0.1:10249 (or [::1]:10249 when bindAddress is IPv6); a host without a port gets
//   :10249 appended;
// - cmd/kube-proxy/app/options.go: --metrics-bind-address defaults to 127.0.0.1:10249, "Set empty
//   to disable";
// - pkg/proxy/apis/config/validation/validation.go: validateHostPort wants IP:port, the host an IP;
// - cmd/kube-proxy/app/server.go serveMetrics: an empty address serves nothing; otherwise
//   /healthz, /proxyMode, /metrics, /configz, and with enableProfiling /debug/pprof, /debug/flags/v.
// The newest kube-proxy config (v1alpha2) lists CIDRs (metricsBindAddresses, default 127.0.0.0/8
// and ::1/128) instead of one address; KubeProxyFacts models one address only.
import type { Provenance } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';

const SETTING = 'metricsBindAddress';
const WANT = '127.0.0.1:10249';

/** The host part of an address as kube-proxy writes it: `IP:port`, `[IPv6]:port`, `IP` or `:port`. */
export function hostOf(addr: string): string {
  const a = addr.trim();
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end < 0 ? a : a.slice(1, end);
  }
  const colons = a.split(':').length - 1;
  if (colons === 0) return a; // bare IP or name
  if (colons === 1) return a.slice(0, a.indexOf(':')); // IP:port or :port
  return a; // a bare IPv6 address
}

/** Whether a host names the loopback interface only: 127.0.0.0/8, ::1, ::ffff:127.x.y.z, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  const m4 = v4.exec(h.replace(/^::ffff:/, ''));
  if (m4) return m4.slice(1).every((o) => Number(o) <= 255) && Number(m4[1]) === 127;
  return expandV6(h) === '0000:0000:0000:0000:0000:0000:0000:0001';
}

/** Whether a host means every interface: empty, 0.0.0.0 or ::. */
export function isUnspecified(host: string): boolean {
  return host === '' || host === '0.0.0.0' || expandV6(host) === '0000:0000:0000:0000:0000:0000:0000:0000';
}

function expandV6(h: string): string | undefined {
  if (!/^[0-9a-f:]+$/i.test(h) || !h.includes(':')) return undefined;
  const halves = h.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return groups.map((g) => g.toLowerCase().padStart(4, '0')).join(':');
}

function where(src: Provenance): string {
  return src.file ? `${src.file}${src.line ? ` line ${src.line}` : ''}` : '';
}

function fix(src: Provenance): string {
  const restart = 'then restart kube-proxy (e.g. systemctl restart kube-proxy).';
  const at = where(src);
  if (src.kind === 'flag') {
    const flag = `--metrics-bind-address=${WANT}`;
    return at
      ? `In ${at}: replace \`${src.detail ?? '--metrics-bind-address=…'}\` with \`${flag}\` (or remove it: the default is ${WANT}); ${restart}`
      : `On kube-proxy's command line, replace \`${src.detail ?? '--metrics-bind-address=…'}\` with \`${flag}\`; ${restart}`;
  }
  if (at) return `In ${at}: set \`metricsBindAddress: ${WANT}\` (or remove the line: the default is ${WANT}); ${restart}`;
  return `Set \`metricsBindAddress: ${WANT}\` in kube-proxy's config file, or \`--metrics-bind-address=${WANT}\` on its command line; ${restart}`;
}

/** The same change as a proposal where the file and line are known (kube-proxy's own precedence: the flag over the file). */
function proposal(src: Provenance): Pick<CheckResult, 'fixes' | 'noFix'> {
  if (!src.file) return { noFix: "kube-proxy's setting is not in a file this audit found" };
  if (src.kind === 'flag') {
    if (!src.line || !src.detail) return { noFix: "the flag's line is not known" };
    return { fixes: [{ kind: 'flag-set', file: src.file, line: src.line, flag: 'metrics-bind-address', from: src.detail, to: `--metrics-bind-address=${WANT}` }] };
  }
  return { fixes: [{ kind: 'config-set', file: src.file, path: ['metricsBindAddress'], value: WANT, ...(src.line ? { line: src.line } : {}) }] };
}

export const kubeProxyMetricsLocalhost: Check = {
  meta: {
    id: 'kube-proxy-metrics-localhost',
    title: "kube-proxy's metrics server is off or listens on loopback only",
    section: 'cis-4.3',
    severity: 'medium',
    cis: ['4.3.1'],
    setting: SETTING,
    rationale:
      "kube-proxy's metrics server is plain HTTP without authentication: /metrics, /proxyMode and /configz (its whole configuration), and with profiling on /debug/pprof and PUT /debug/flags/v (changes its log verbosity). Bound beyond loopback, anyone who can reach port 10249 reads them.",
    remediation: `Set metricsBindAddress: ${WANT} in kube-proxy's config file (or --metrics-bind-address=${WANT}, or remove the setting: that is the default) and restart kube-proxy.`,
  },
  evaluate(facts): CheckResult {
    const kp = facts.kubeProxy;
    if (!kp.present) {
      return {
        status: 'not-applicable',
        message: `kube-proxy does not run from this node's files${kp.source ? ` (${kp.source})` : ''}; kubeadm runs it as a DaemonSet whose config is in the cluster`,
      };
    }
    if (kp.unknown) return { status: 'unknown', message: `kube-proxy's metricsBindAddress cannot be known: ${kp.unknown}` };
    const m = kp.metricsBindAddress;
    if (!m) {
      return { status: 'pass', message: `kube-proxy sets no metricsBindAddress, so the default ${WANT} applies (localhost only)${kp.source ? `; read from ${kp.source}` : ''}` };
    }
    const evidence: Evidence[] = [{ setting: SETTING, value: m.value, source: m.source, ...(m.source.file ? { file: m.source.file } : {}), ...(m.source.line ? { line: m.source.line } : {}) }];
    const at = where(m.source) ? ` (${where(m.source)})` : '';
    const isDefault = m.source.kind === 'config-default' || m.source.kind === 'flag-default';
    const said = isDefault
      ? `the default ${m.value || WANT} (${m.source.kind === 'config-default' ? `metricsBindAddress is not set in ${m.source.file ?? "kube-proxy's config file"}` : 'no --metrics-bind-address flag'})`
      : m.source.kind === 'flag' ? `the flag ${m.source.detail ?? '--metrics-bind-address'}${at}` : `metricsBindAddress: ${JSON.stringify(m.value)}${at}`;
    if (m.value.trim() === '') {
      // A flag set empty (or --metrics-port=0) disables the metrics server (options.go,
      // serveMetrics); an empty field in the config file is defaulted to 127.0.0.1:10249
      // (defaults.go). Neither serves beyond this node.
      const what = m.source.kind === 'flag'
        ? `${m.source.detail ?? 'an empty --metrics-bind-address'}${at} disables the metrics server`
        : `an empty metricsBindAddress${at} is defaulted to ${WANT}`;
      return { status: 'pass', message: what, evidence };
    }
    const host = hostOf(m.value);
    if (isLoopback(host)) {
      const note = host.toLowerCase() === 'localhost' ? "; note that kube-proxy's validation asks for an IP here (validateHostPort), so prefer 127.0.0.1" : '';
      return { status: 'pass', message: `${said} binds the metrics server to loopback only${note}`, evidence };
    }
    const wide = isUnspecified(host)
      ? 'every interface of the node'
      : `${host}, reachable by anyone who can route to that address`;
    return {
      status: 'fail',
      message: `${said} serves kube-proxy's unauthenticated metrics on ${wide}`,
      evidence,
      remediation: fix(m.source),
      ...proposal(m.source),
    };
  },
};

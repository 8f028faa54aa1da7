// Shared by the scan checks: endpoint names, probe evidence, and the fixes (kubelet config lines,
// etcd flags, firewall rules) that close an exposure. Pure: an Endpoint in, words out.
import type { Endpoint, EndpointGroup, ProbeRecord, Service } from '../../scan/types.ts';
import type { CheckResult, Evidence } from '../types.ts';

/** `host:port`, with brackets around an IPv6 address. */
export function hostPort(ep: Pick<Endpoint, 'host' | 'port'>): string {
  return ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`;
}

export function isService(ep: Endpoint, ...services: Service[]): boolean {
  return services.includes(ep.service);
}

/** `GET /pods → 403 (12 ms)`: a probe as evidence, never its body (it may hold secrets). */
export function probeNote(p: ProbeRecord): string {
  const outcome = p.status !== undefined ? String(p.status) : p.error ? `no answer (${p.error})` : 'no answer';
  return `${p.method} ${p.path} → ${outcome}${p.ms !== undefined ? ` (${Math.round(p.ms)} ms)` : ''}`;
}

/** The probes behind a verdict (those whose path matches, or all), at most `max`. */
export function probeEvidence(ep: Endpoint, match?: (p: ProbeRecord) => boolean, max = 12): Evidence[] {
  return ep.probes.filter((p) => !match || match(p)).slice(0, max).map((p) => ({ note: probeNote(p) }));
}

/** Why the endpoint could not be classified, as one clause (the scanner's notes). */
export function notesText(ep: Endpoint): string {
  return ep.notes.length > 0 ? `: ${ep.notes.slice(0, 3).join('; ')}` : '';
}

/** For a check about a service's configuration: nothing answers, so there is nothing to judge here. */
export function notOpen(ep: Endpoint): CheckResult {
  return {
    status: 'not-applicable',
    message: `${hostPort(ep)} is ${ep.state}${ep.state === 'filtered' ? ' (no answer)' : ' (connection refused)'} from the scanner: nothing to judge here`,
  };
}

/** The groups that run code in a container: exec, attach, run, portForward (kubelet-facts §2, §3). */
export const EXEC_GROUPS: readonly EndpointGroup[] = ['exec', 'run', 'attach', 'portForward'];

/** Whether a probe path belongs to one of the exec-like routes. */
export function isExecPath(path: string): boolean {
  return /^\/(exec|run|attach|portForward)(\/|$)/.test(path);
}

export function isAnonymous(ep: Endpoint): boolean {
  return ep.identity === 'anonymous';
}

/**
 * What a request without credentials reached: probed without them whatever the identity (issue 10:
 * an identity's reach is never "anonymous"). Undefined when not told.
 */
export function anonymousReach(ep: Endpoint): EndpointGroup[] | undefined {
  return ep.anonymousReachable ?? (isAnonymous(ep) ? ep.reachable : undefined);
}

/** The user a request without credentials was seen as (a 403 body), when one told it. */
export function anonymousUser(ep: Endpoint): string | undefined {
  return ep.anonymousUser ?? (isAnonymous(ep) ? ep.user : undefined);
}

export const RESTART = 'then restart the kubelet (systemctl restart kubelet)';

/** The kubelet config lines that close anonymous access (kubelet-facts §3, §4). */
export const FIX_ANONYMOUS =
  'In the kubelet config file (kubeadm: /var/lib/kubelet/config.yaml) set `authentication.anonymous.enabled: false`, `authentication.webhook.enabled: true` and `authorization.mode: Webhook`; remove `--anonymous-auth=true` and `--authorization-mode=AlwaysAllow` from its command line (a flag wins over the file; a kubelet without --config defaults to anonymous on and AlwaysAllow)';

/**
 * A firewall rule that keeps the scanner's network off a port, and an allow-list form. The
 * scanner's own address is not in the Endpoint, so it is a placeholder.
 */
export function firewall(port: number, allowed: string): string {
  return (
    `block ${port}/tcp from the scanner's network, e.g. \`iptables -I INPUT -p tcp --dport ${port} -s <scanner network CIDR> -j DROP\`; ` +
    `better, allow only ${allowed}: \`iptables -A INPUT -p tcp --dport ${port} -s <allowed CIDR> -j ACCEPT\` then \`iptables -A INPUT -p tcp --dport ${port} -j DROP\` (or the same in the cloud security group / host firewall)`
  );
}

/** Who needs the kubelet's 10250: the API server (logs, exec, port-forward) and the metrics scrapers. */
export const KUBELET_CLIENTS = 'the control-plane nodes and the pod network of metrics-server/Prometheus';

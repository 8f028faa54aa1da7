// Env vars whose literal value looks like a credential, in the pod specs the kubelet handed out
// (--collect: /pods on the secure or the read-only port; src/scan/collect.ts analysePods). Whoever
// got /pods has those values; the finding names them by pod, container and variable, with the first
// 8 hex digits of the value's SHA-256 so the owner can tell which credential to rotate. Never the value.
// Judged per host: the secure and the read-only port of one kubelet serve the same pods.
import type { SecretEnv } from '../../scan/collect.ts';
import type { CheckResult, Evidence } from '../types.ts';
import { hostPort, isService } from './common.ts';
import { EXPOSURE_SECTION, type HostCheck } from './types.ts';

const MAX_LISTED = 50;

export const secretsInPods: HostCheck = {
  meta: {
    id: 'exposure-secrets-in-pods',
    title: 'No env value in the pod specs the kubelet serves looks like a credential',
    section: EXPOSURE_SECTION,
    severity: 'high',
    cis: ['5.4.1'],
    rationale:
      "A credential written as a literal env value is part of the pod spec: it is returned by the kubelet's /pods to whoever reaches it (on the read-only port, to anyone), and by the API server to anyone who may get pods. Secrets referenced with valueFrom.secretKeyRef or mounted as files are not in the spec. The scan recognises credentials by name and shape, so a pass means none looked like one.",
    remediation:
      'Rotate every credential listed (it was readable by whoever reached this kubelet); then move the values into Secrets and reference them with `valueFrom.secretKeyRef` or a secret volume, and close the access that exposed /pods (the other exposure findings for this host).',
  },
  // one kubelet's pods, whichever of its ports (10250, 10255) served them: one verdict per host
  scope: 'host',
  evaluateHost(host, endpoints): CheckResult | CheckResult[] {
    const kubelet = endpoints.filter((ep) => isService(ep, 'kubelet', 'kubelet-read-only'));
    const collected = kubelet.filter((ep) => ep.collected?.pods);
    if (collected.length === 0) {
      const reachable = kubelet.filter((ep) => ep.state === 'open' && ep.reachable.includes('pods'));
      return reachable.length > 0
        ? { status: 'not-applicable', message: `/pods of ${reachable.map(hostPort).join(', ')} is reachable but was not collected (run the scan with --collect to see what it holds)` }
        : [];
    }
    const where = collected.map(hostPort).join(' and ');
    // the same env value seen through two ports is one finding
    const seen = new Map<string, SecretEnv>();
    for (const ep of collected) for (const e of ep.collected!.pods!.secretEnv) seen.set(`${e.namespace}/${e.pod}/${e.container}/${e.name}/${e.fingerprint}`, e);
    const secrets = [...seen.values()];
    const count = Math.max(...collected.map((ep) => ep.collected!.pods!.count));
    const pods = `${count} pod${count === 1 ? '' : 's'} served by ${where}`;
    const partial = collected.map((ep) => ep.collected!.pods!.limited).filter(Boolean);
    const partialText = partial.length > 0 ? ` (${partial.join('; ')})` : '';
    if (secrets.length > 0) {
      const podsWith = new Set(secrets.map((s) => `${s.namespace}/${s.pod}`)).size;
      return {
        status: 'fail',
        message: `${secrets.length} env value${secrets.length === 1 ? '' : 's'} in ${podsWith} of the ${pods} look${secrets.length === 1 ? 's' : ''} like credentials: ${listed(secrets, 5)}${partialText}`,
        evidence: evidenceOf(secrets),
      };
    }
    // a pass needs one complete analysis: an error or a cut on one port, and nothing else, proves nothing
    const complete = collected.filter((ep) => { const p = ep.collected!.pods!; return !p.error && !p.truncated && !p.limited; });
    if (complete.length > 0) return { status: 'pass', message: `no literal env value in the ${count} pod${count === 1 ? '' : 's'} served by ${complete.map(hostPort).join(' and ')} looks like a credential` };
    const errors = collected.map((ep) => ep.collected!.pods!.error).filter(Boolean);
    if (errors.length === collected.length) return { status: 'unknown', message: `the pods of ${host} could not be analysed: ${errors.join('; ')}` };
    return { status: 'unknown', message: `no literal env value looks like a credential in the part of the ${pods} that was analysed${partialText}` };
  },
};

function describe(s: SecretEnv): string {
  return `${s.namespace}/${s.pod} container ${s.container}: ${s.name} (${s.why}; value sha256 ${s.fingerprint}…)`;
}

function listed(list: readonly SecretEnv[], n: number): string {
  return list.slice(0, n).map(describe).join('; ') + (list.length > n ? `; … ${list.length - n} more in the evidence` : '');
}

function evidenceOf(list: readonly SecretEnv[]): Evidence[] {
  const ev: Evidence[] = list.slice(0, MAX_LISTED).map((s) => ({ setting: `env ${s.name}`, note: describe(s) }));
  if (list.length > MAX_LISTED) ev.push({ note: `${list.length - MAX_LISTED} more not listed` });
  return ev;
}

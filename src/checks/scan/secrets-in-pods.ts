// Env vars whose literal value looks like a credential, in the pod specs the kubelet handed out
// (--collect: /pods on the secure or the read-only port; src/scan/collect.ts analysePods). Whoever
// got /pods has those values; the finding names them by pod, container and variable, with the first
// 8 hex digits of the value's SHA-256 so the owner can tell which credential to rotate. Never the value.
import type { SecretEnv } from '../../scan/collect.ts';
import type { Endpoint } from '../../scan/types.ts';
import type { CheckResult, Evidence } from '../types.ts';
import { hostPort, isService } from './common.ts';
import { EXPOSURE_SECTION, type EndpointCheck } from './types.ts';

const MAX_LISTED = 50;

export const secretsInPods: EndpointCheck = {
  meta: {
    id: 'exposure-secrets-in-pods',
    title: 'The pod specs the kubelet serves hold no credentials',
    section: EXPOSURE_SECTION,
    severity: 'high',
    cis: ['5.4.1'],
    rationale:
      "A credential written as a literal env value is part of the pod spec: it is returned by the kubelet's /pods to whoever reaches it (on the read-only port, to anyone), and by the API server to anyone who may get pods. Secrets referenced with valueFrom.secretKeyRef or mounted as files are not in the spec.",
    remediation:
      'Rotate every credential listed (it was readable by whoever reached this kubelet); then move the values into Secrets and reference them with `valueFrom.secretKeyRef` or a secret volume, and close the access that exposed /pods (the other exposure findings for this host).',
  },
  evaluate(ep): CheckResult | CheckResult[] {
    if (!isService(ep, 'kubelet', 'kubelet-read-only')) return [];
    const pods = ep.collected?.pods;
    if (!pods) {
      return ep.state === 'open' && ep.reachable.includes('pods')
        ? { status: 'not-applicable', message: `/pods of ${hostPort(ep)} is reachable but was not collected (run the scan with --collect to see what it holds)` }
        : [];
    }
    if (pods.error) return { status: 'unknown', message: `the pods of ${hostPort(ep)} could not be analysed: ${pods.error}` };
    const where = `${pods.count} pod${pods.count === 1 ? '' : 's'} served by ${hostPort(ep)}`;
    const partial = pods.limited ? ` (${pods.limited})` : '';
    if (pods.secretEnv.length > 0) {
      const podsWith = new Set(pods.secretEnv.map((s) => `${s.namespace}/${s.pod}`)).size;
      return {
        status: 'fail',
        message: `${pods.secretEnv.length} env value${pods.secretEnv.length === 1 ? '' : 's'} in ${podsWith} of the ${where} look${pods.secretEnv.length === 1 ? 's' : ''} like credentials: ${listed(ep, 5)}${partial}`,
        evidence: evidenceOf(ep),
      };
    }
    if (pods.truncated || pods.limited) return { status: 'unknown', message: `no literal env value looks like a credential in the part of the ${where} that was analysed${partial}` };
    return { status: 'pass', message: `no literal env value in the ${where} looks like a credential` };
  },
};

function describe(s: SecretEnv): string {
  return `${s.namespace}/${s.pod} container ${s.container}: ${s.name} (${s.why}; value sha256 ${s.fingerprint}…)`;
}

function listed(ep: Endpoint, n: number): string {
  const list = ep.collected!.pods!.secretEnv;
  return list.slice(0, n).map(describe).join('; ') + (list.length > n ? `; … ${list.length - n} more in the evidence` : '');
}

function evidenceOf(ep: Endpoint): Evidence[] {
  const list = ep.collected!.pods!.secretEnv;
  const ev: Evidence[] = list.slice(0, MAX_LISTED).map((s) => ({ setting: `env ${s.name}`, note: describe(s) }));
  if (list.length > MAX_LISTED) ev.push({ note: `${list.length - MAX_LISTED} more not listed` });
  return ev;
}

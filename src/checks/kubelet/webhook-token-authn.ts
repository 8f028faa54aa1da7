// kubelet-facts §3: bearer tokens are checked by TokenReview only when
// authentication.webhook.enabled; otherwise only client certificates (clientCAFile) authenticate.
// A request whose token nobody checks has no identity: 401 with anonymous off, system:anonymous
// with anonymous on (k8s.io/apiserver delegating authenticator: union, then anonymous on no
// error). Config default true, flag default false (§4).
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';

const WEBHOOK = 'authentication.webhook.enabled';
const MODE = 'authorization.mode';

export const webhookTokenAuthn: Check = {
  meta: {
    id: 'kubelet-webhook-authz-without-token-authn',
    title: 'Bearer-token authentication is on wherever Webhook authorization is used',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: WEBHOOK,
    rationale:
      'With Webhook authorization but no token authentication, the kubelet accepts only client certificates: the API server\'s own client certificate still works (kubectl exec/logs go through), but service-account tokens (metrics scrapers, node agents) get 401, or are treated as system:anonymous when anonymous auth is on. Nothing is exposed by this itself; the risk is the usual workaround, turning on anonymous auth or AlwaysAllow, and tokens being silently downgraded to anonymous.',
    remediation: 'Set authentication.webhook.enabled: true in the kubelet config file (or --authentication-token-webhook) and restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const mode = lookup(facts, MODE);
    const hook = lookup(facts, WEBHOOK);
    const evidence: Evidence[] = [];
    if (mode.ok) evidence.push(evidenceOf(MODE, mode.s));
    if (hook.ok) evidence.push(evidenceOf(WEBHOOK, hook.s));
    if (hook.ok && hook.s.value === true) return { status: 'pass', message: `bearer tokens are checked with TokenReview; ${describeSource(hook.s)}`, evidence };
    if (mode.ok && mode.s.value !== 'Webhook') return { status: 'not-applicable', message: `authorization mode is ${String(mode.s.value)}, not Webhook (see kubelet-authorization-mode)`, evidence };
    if (!hook.ok) return { status: 'unknown', message: `${WEBHOOK} cannot be known: ${hook.why}`, evidence };
    if (!mode.ok) return { status: 'unknown', message: `${MODE} cannot be known: ${mode.why}`, evidence };
    const anon = lookup(facts, 'authentication.anonymous.enabled');
    const then = anon.ok && anon.s.value === true ? 'service-account tokens are ignored and the request runs as system:anonymous' : 'service-account tokens get 401';
    return {
      status: 'fail',
      message: `token authentication is off while authorization is Webhook: only client certificates authenticate, ${then}; ${describeSource(hook.s)}`,
      evidence,
      ...settingFix(facts, WEBHOOK, true),
    };
  },
};

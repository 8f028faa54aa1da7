// The healthz listener is plain HTTP without auth on healthzBindAddress:healthzPort, started when
// healthzPort > 0 (kubelet-facts §1); defaults 127.0.0.1:10248 (§4). An empty address makes Go
// listen on every interface (net.JoinHostPort("", port)).
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, evidenceOf, settingFix, lookup } from '../setting.ts';
import { isLoopback } from './helpers.ts';

const ADDR = 'healthzBindAddress';
const PORT = 'healthzPort';

export const healthzBindAddress: Check = {
  meta: {
    id: 'kubelet-healthz-bind-address',
    title: 'The kubelet healthz endpoint is off or listens on loopback only',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: ADDR,
    rationale:
      'The healthz listener is plain HTTP without authentication. It only answers /healthz, but bound beyond loopback it tells anyone on the network that a kubelet runs here and whether it is healthy, and adds an unauthenticated listener to the node.',
    remediation: 'Set healthzBindAddress: 127.0.0.1 (or healthzPort: 0 to turn it off) in the kubelet config file and restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const port = lookup(facts, PORT);
    const addr = lookup(facts, ADDR);
    const evidence: Evidence[] = [];
    if (port.ok) evidence.push(evidenceOf(PORT, port.s));
    if (addr.ok) evidence.push(evidenceOf(ADDR, addr.s));
    if (port.ok && !(typeof port.s.value === 'number' && port.s.value > 0)) return { status: 'pass', message: `the healthz listener is off (healthzPort ${String(port.s.value)}); ${describeSource(port.s)}`, evidence };
    if (!port.ok) return { status: 'unknown', message: `${PORT} cannot be known: ${port.why}`, evidence };
    if (!addr.ok) return { status: 'unknown', message: `${ADDR} cannot be known: ${addr.why}`, evidence };
    const a = typeof addr.s.value === 'string' ? addr.s.value : '';
    if (isLoopback(a)) return { status: 'pass', message: `healthz listens on ${a}:${String(port.s.value)} only; ${describeSource(addr.s)}`, evidence };
    const shown = a === '' ? 'every interface ("")' : a;
    return {
      status: 'fail',
      message: `healthz (plain HTTP, no auth) listens on ${shown}:${String(port.s.value)}; ${describeSource(addr.s)}`,
      evidence,
      ...settingFix(facts, ADDR, '127.0.0.1'),
    };
  },
};

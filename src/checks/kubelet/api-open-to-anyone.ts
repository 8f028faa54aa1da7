// The critical combination (kubelet-facts §3): anonymous authentication on + AlwaysAllow +
// the secure server running (enableServer, §1) means a request with no credentials at all is
// served as system:anonymous and allowed everything: /run and /exec in every pod.
// One known-safe condition is enough to rule the combination out.
import type { Check, CheckResult, Evidence } from '../types.ts';
import type { NodeFacts } from '../../facts/types.ts';
import { evidenceOf, fixSetting, lookup, settingFix, type Lookup } from '../setting.ts';
import { RESTART } from './helpers.ts';

const ANON = 'authentication.anonymous.enabled';
const MODE = 'authorization.mode';
const SERVER = 'enableServer';

export const apiOpenToAnyone: Check = {
  meta: {
    id: 'kubelet-api-open-to-anyone',
    // With anonymous on and Webhook, the API server's RBAC decides what system:anonymous may do,
    // which the node cannot show: the title claims only what the node's configuration rules out.
    title: 'Unauthenticated requests to the kubelet API are not allowed everything (anonymous authentication with AlwaysAllow)',
    section: 'kubelet-api',
    severity: 'critical',
    cis: [],
    setting: MODE,
    rationale:
      'With anonymous authentication on and AlwaysAllow authorization, anyone who reaches port 10250 (another pod, a neighbour on the network, the internet if the port is exposed) is served as system:anonymous and allowed everything: POST /run/<ns>/<pod>/<container> runs a command in any pod on the node and returns its output, with no credentials and no API-server audit record. This is the kubelet default without --config.',
    remediation:
      'Set authentication.anonymous.enabled: false and authorization.mode: Webhook in the kubelet config file (or --anonymous-auth=false --authorization-mode=Webhook), then restart the kubelet.',
  },
  evaluate: (facts): CheckResult => {
    const anon = lookup(facts, ANON);
    const mode = lookup(facts, MODE);
    const server = lookup(facts, SERVER);
    const evidence: Evidence[] = [];
    for (const [k, l] of [[ANON, anon], [MODE, mode], [SERVER, server]] as [string, Lookup][]) if (l.ok) evidence.push(evidenceOf(k, l.s));

    const safe: string[] = [];
    if (anon.ok && anon.s.value !== true) safe.push('anonymous authentication is off');
    if (mode.ok && mode.s.value !== 'AlwaysAllow') safe.push(`authorization is ${String(mode.s.value)}${anon.ok && anon.s.value === true ? ' (anonymous requests are decided by the API server\'s RBAC)' : ''}`);
    if (server.ok && server.s.value !== true) safe.push('the secure server is off (enableServer false)');
    if (safe.length > 0) return { status: 'pass', message: `not open to unauthenticated requests by configuration: ${safe.join(', ')}`, evidence };
    for (const [k, l] of [[ANON, anon], [MODE, mode], [SERVER, server]] as [string, Lookup][]) {
      if (!l.ok) return { status: 'unknown', message: `${k} cannot be known: ${l.why}`, evidence };
    }
    const addr = lookup(facts, 'address');
    const port = lookup(facts, 'port');
    const at = `${addr.ok ? String(addr.s.value) : '?'}:${port.ok ? String(port.s.value) : '10250'}`;
    return {
      status: 'fail',
      message: `anyone reaching ${at} without credentials is system:anonymous and allowed everything (anonymous on, AlwaysAllow, secure server on): command execution in every pod on the node`,
      evidence,
      remediation: fix(facts, anon, mode),
      ...fixesOf(facts),
    };
  },
};

/** Both changes as proposals (each where its value is set), or why there are none. */
function fixesOf(facts: NodeFacts): Pick<CheckResult, 'fixes' | 'noFix'> {
  const a = settingFix(facts, ANON, false);
  const m = settingFix(facts, MODE, 'Webhook');
  if (!a.fixes || !m.fixes) return { noFix: a.noFix ?? m.noFix ?? 'no change can be proposed' };
  return { fixes: [...a.fixes, ...m.fixes] };
}

/** Both changes, where each value is set; one sentence for a kubelet without any config file. */
function fix(facts: NodeFacts, anon: Lookup, mode: Lookup): string {
  const bare = (l: Lookup) => l.ok && l.s.source.kind !== 'flag' && !l.s.source.file;
  if (!facts.kubelet.configFile && bare(anon) && bare(mode)) {
    return `Start the kubelet with a --config file that sets \`authentication.anonymous.enabled: false\` and \`authorization.mode: Webhook\` (or add \`--anonymous-auth=false --authorization-mode=Webhook\` to its command line); ${RESTART}`;
  }
  const cut = (t: string) => t.replace(/; then restart the kubelet.*$/, '');
  return `${cut(fixSetting(facts, ANON, false))}; ${cut(fixSetting(facts, MODE, 'Webhook'))}; ${RESTART}`;
}
